"""minGRU and minLSTM in Keras 3 (Feng et al. 2024): gates that read x_t only, so a parallel scan computes all h_t."""

from __future__ import annotations

from keras import ops

from ..gated_layout import MIN_METHODS, check_method
from ..layout import canonical_dtype
from ._gated import GatedRecurrence, linear, softplus
from .scan import linear_scan, log_space_scan

__all__ = ["MinGRU", "MinLSTM", "g", "log_g", "scan_from_logs"]

def g(a):
    """The paper's positive activation for the candidate: a + 1/2 for a >= 0, sigmoid(a) below."""
    return ops.where(a >= 0, ops.relu(a) + 0.5, ops.sigmoid(a))


def log_g(a):
    """log g(a), computed without forming g(a) (no log of a tiny sigmoid)."""
    return ops.where(a >= 0, ops.log(ops.relu(a) + 0.5), -softplus(-a))


def scan_from_logs(log_a, log_b, h0):
    """h_t = a_t h_{t-1} + b_t from log a_t and log b_t (b_t > 0) by a log-space scan; h0 (B, H) may have any sign.

    h is linear in (b, h0): the scan from h_0 = 0 (``log_space_scan``, Heinsen 2023) plus a_t ... a_1 h0.
    Returns h (B, T, H).
    """
    # The reshape restores the static shape, which TensorFlow's associative scan loses when B is unknown
    # (inside model.fit); without it the loss cannot match ranks.
    h = ops.reshape(ops.exp(log_space_scan(log_a, log_b)), ops.shape(log_b))  # the scan from h_0 = 0
    return h + ops.exp(ops.cumsum(log_a, axis=1)) * ops.expand_dims(h0, 1)


class MinGRU(GatedRecurrence):
    """A minimal GRU (minGRU): its update gate and candidate read x_t only, so it trains with a parallel scan. In Keras, batch-first.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the number of hidden units.
    bias : bool
        If False, no ``bias_z`` and ``bias_h``.
    method : str
        How ``call`` computes all steps at once: ``"log"`` (default), the paper's scan in log space
        (``scan_from_logs``); or ``"sequential"``, ``"hillis_steele"``, ``"blelloch"``: ``linear_scan``
        in linear space with that algorithm. All give the same numbers; ``step`` is the recurrent form.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T time steps, D input features, H hidden units.

    - ``call(x, state=None)``: ``x`` (B, T, D), ``state`` h_0 (B, H) or None for zeros;
      returns ``outputs`` (B, T, H), h_t at every step, and ``state`` h_T (B, H).
    - ``step(x_t, state=None)``: ``x_t`` (B, D); returns h_t (B, H) twice (output and state).
    - ``weight_z``, ``weight_h`` (H, D); ``bias_z``, ``bias_h`` (H,).

    Notes
    -----
    .. math::

        z_t = \\sigma(W_z x_t + b_z)
        \\tilde h_t = g(W_h x_t + b_h), \\quad g(a) = a + \\tfrac12 \\ (a \\ge 0), \\quad g(a) = \\sigma(a) \\ (a < 0)
        h_t = (1 - z_t) \\odot h_{t-1} + z_t \\odot \\tilde h_t

    Neither gate reads h_{t-1}, so h_t = a_t h_{t-1} + b_t is a linear recurrence (a_t = 1 - z_t,
    b_t = z_t \\odot \\tilde h_t) and a scan computes every step at once. g keeps \\tilde h_t > 0, so
    b_t > 0 and the scan can run in log space: log a_t = -softplus(k_t) and log z_t = -softplus(-k_t)
    with k_t = W_z x_t + b_z. The initial state enters linearly (h_t = a_t ... a_1 h_0 + ...), so it may
    have any sign.

    Update convention: z_t is the share of the new candidate, as in the paper and in Chung et al. (2014).
    ``torch.nn.GRU`` and ``keras.layers.GRU`` write h_t = z_t h_{t-1} + (1 - z_t) n_t: the same gate
    with z replaced by 1 - z.

    References
    ----------
    Feng, Tung, Ahmed, Bengio and Hajimirsadeghi (2024), Were RNNs all we needed? arXiv:2410.01201
    (minGRU, g and the log-space scan); Heinsen (2023), Efficient parallelization of a ubiquitous
    sequential computation (the log-space scan). Book chapter: modern gated recurrences.
    """

    def __init__(self, input_size, hidden_size, *, bias=True, method="log", dtype="float32", seed=None):
        super().__init__(dtype=canonical_dtype(dtype, "MinGRU"))
        config = dict(input_size=input_size, hidden_size=hidden_size, bias=bias, method=method)
        self._setup(input_size, hidden_size, bias, dtype, seed, config)
        self.method = check_method(method, MIN_METHODS, "MinGRU")

    def call(self, x, state=None):
        x, (h0,) = self._inputs(x, state, step=False)
        k = linear(x, self.weight_z, self.bias_z)  # (B, T, H), z_t = sigmoid(k)
        h_hat = linear(x, self.weight_h, self.bias_h)  # (B, T, H), candidate before g
        if self.method == "log":
            h = scan_from_logs(-softplus(k), -softplus(-k) + log_g(h_hat), h0)
        else:
            z = ops.sigmoid(k)
            h = linear_scan(1 - z, z * g(h_hat), h0, method=self.method)
        return h, h[:, -1]

    def step(self, x_t, state=None):
        x_t, (h_prev,) = self._inputs(x_t, state, step=True)
        z = ops.sigmoid(linear(x_t, self.weight_z, self.bias_z))  # (B, H)
        h = (1 - z) * h_prev + z * g(linear(x_t, self.weight_h, self.bias_h))
        return h, h


class MinLSTM(GatedRecurrence):
    """A minimal LSTM (minLSTM): normalised forget and input gates that read x_t only, trained with a parallel scan. In Keras, batch-first.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the number of hidden units.
    bias : bool
        If False, no ``bias_f``, ``bias_i`` and ``bias_h``.
    method : str
        How ``call`` computes all steps at once: ``"log"`` (default), the paper's scan in log space
        (``scan_from_logs``); or ``"sequential"``, ``"hillis_steele"``, ``"blelloch"``: ``linear_scan``
        in linear space with that algorithm. All give the same numbers; ``step`` is the recurrent form.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T time steps, D input features, H hidden units.

    - ``call(x, state=None)``: ``x`` (B, T, D), ``state`` h_0 (B, H) or None for zeros;
      returns ``outputs`` (B, T, H), h_t at every step, and ``state`` h_T (B, H).
    - ``step(x_t, state=None)``: ``x_t`` (B, D); returns h_t (B, H) twice (output and state).
    - ``weight_f``, ``weight_i``, ``weight_h`` (H, D); ``bias_f``, ``bias_i``, ``bias_h`` (H,).

    Notes
    -----
    .. math::

        f_t = \\sigma(W_f x_t + b_f), \\quad i_t = \\sigma(W_i x_t + b_i)
        f'_t = \\frac{f_t}{f_t + i_t}, \\quad i'_t = \\frac{i_t}{f_t + i_t}
        \\tilde h_t = g(W_h x_t + b_h), \\quad g(a) = a + \\tfrac12 \\ (a \\ge 0), \\quad g(a) = \\sigma(a) \\ (a < 0)
        h_t = f'_t \\odot h_{t-1} + i'_t \\odot \\tilde h_t

    No output gate and no cell state: h_t is the memory. Normalising the gates (f'_t + i'_t = 1) keeps
    the scale of h_t independent of t. In log space, with d_t = softplus(-(W_f x_t + b_f)) -
    softplus(-(W_i x_t + b_i)): log f'_t = -softplus(d_t) and log i'_t = -softplus(-d_t). The scan and
    the initial state are as in ``MinGRU``.

    References
    ----------
    Feng, Tung, Ahmed, Bengio and Hajimirsadeghi (2024), Were RNNs all we needed? arXiv:2410.01201
    (minLSTM, g and the log-space scan); Hochreiter and Schmidhuber (1997) for the LSTM it simplifies.
    Book chapter: modern gated recurrences.
    """

    def __init__(self, input_size, hidden_size, *, bias=True, method="log", dtype="float32", seed=None):
        super().__init__(dtype=canonical_dtype(dtype, "MinLSTM"))
        config = dict(input_size=input_size, hidden_size=hidden_size, bias=bias, method=method)
        self._setup(input_size, hidden_size, bias, dtype, seed, config)
        self.method = check_method(method, MIN_METHODS, "MinLSTM")

    def call(self, x, state=None):
        x, (h0,) = self._inputs(x, state, step=False)
        kf = linear(x, self.weight_f, self.bias_f)  # (B, T, H), f_t = sigmoid(kf)
        ki = linear(x, self.weight_i, self.bias_i)  # (B, T, H), i_t = sigmoid(ki)
        h_hat = linear(x, self.weight_h, self.bias_h)
        if self.method == "log":
            d = softplus(-kf) - softplus(-ki)  # log i_t - log f_t
            h = scan_from_logs(-softplus(d), -softplus(-d) + log_g(h_hat), h0)
        else:
            f, i = ops.sigmoid(kf), ops.sigmoid(ki)
            h = linear_scan(f / (f + i), i / (f + i) * g(h_hat), h0, method=self.method)
        return h, h[:, -1]

    def step(self, x_t, state=None):
        x_t, (h_prev,) = self._inputs(x_t, state, step=True)
        f = ops.sigmoid(linear(x_t, self.weight_f, self.bias_f))  # (B, H)
        i = ops.sigmoid(linear(x_t, self.weight_i, self.bias_i))
        h = f / (f + i) * h_prev + i / (f + i) * g(linear(x_t, self.weight_h, self.bias_h))
        return h, h
