"""RWKV-4's time mixing in Keras 3 (Peng et al. 2023): a decaying, attention-like average that is also an RNN."""

from __future__ import annotations

from keras import ops

from ..layout import canonical_dtype
from ._gated import GatedRecurrence, linear, maximum

__all__ = ["RWKVTimeMix", "wkv_parallel"]


def wkv_parallel(k, v, w, u, state):
    """All wkv_t at once (the masked T x T form) and the final ``(a, b, p)``, stabilised by the row maximum.

    k, v (B, T, H); w, u (H,); state ``(a, b, p)`` (B, H) each: the running sums scaled by e^{-p}.
    """
    a0, b0, p0 = state
    T = ops.shape(k)[1]
    t = ops.cast(ops.arange(T), k.dtype)
    gap = ops.expand_dims(t[:, None] - 1 - t[None, :], -1)  # (T, T, 1): t - 1 - i, the decays token i has had
    k_i = ops.expand_dims(k, 1)  # (B, 1, T, H): k_i for every row t
    logits = ops.where(gap >= 0, k_i - gap * w, ops.where(gap == -1, k_i + u, float("-inf")))  # (B, T, T, H)
    log_0 = ops.expand_dims(p0, 1) - t[:, None] * w  # (B, T, H): the initial sums, decayed t times
    m = maximum(ops.max(logits, axis=2), log_0)  # (B, T, H), the largest exponent of each row
    e, e0 = ops.exp(logits - ops.expand_dims(m, 2)), ops.exp(log_0 - m)
    num = ops.einsum("btih,bih->bth", e, v) + e0 * ops.expand_dims(a0, 1)
    wkv = num / (ops.sum(e, axis=2) + e0 * ops.expand_dims(b0, 1))
    log_T = k - (ops.cast(T, k.dtype) - 1 - t)[:, None] * w  # (B, T, H): token i's weight after the last step
    p = maximum(ops.max(log_T, axis=1), p0 - ops.cast(T, k.dtype) * w)  # (B, H)
    eT, eT0 = ops.exp(log_T - ops.expand_dims(p, 1)), ops.exp(p0 - ops.cast(T, k.dtype) * w - p)
    return wkv, (ops.sum(eT * v, axis=1) + eT0 * a0, ops.sum(eT, axis=1) + eT0 * b0, p)


class RWKVTimeMix(GatedRecurrence):
    """RWKV-4's time-mixing block: token shift, receptance/key/value projections and the WKV recurrence. In Keras, batch-first.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the number of channels of r, k, v and of the output.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T time steps, D input features, H channels.

    - ``call(x, state=None)``: ``x`` (B, T, D); returns ``outputs`` (B, T, H) and the final state.
    - ``step(x_t, state=None)``: ``x_t`` (B, D); returns y_t (B, H) and the new state.
    - ``state``: a tuple ``(x, a, b, p)``: the last input x_{t} (B, D) for the token shift, the running
      sums a (B, H) and b (B, H) scaled by e^{-p}, and their log-scale p (B, H); None starts from
      x = a = b = 0 and p = -1e30 (minus infinity in practice).
    - ``mix_r``, ``mix_k``, ``mix_v`` (D,); ``weight_r``, ``weight_k``, ``weight_v`` (H, D); ``weight_o`` (H, H);
      ``decay`` (H,), with w = exp(decay); ``bonus`` (H,), u.
    - memory: the parallel form holds a (B, T, T, H) tensor; feed a long sequence in chunks, passing
      the state on (the result is the same).

    Notes
    -----
    .. math::

        r_t = W_r (\\mu_r \\odot x_t + (1 - \\mu_r) \\odot x_{t-1}), \\quad \\text{likewise } k_t \\ (W_k, \\mu_k), \\ v_t \\ (W_v, \\mu_v)
        wkv_t = \\frac{\\sum_{i=1}^{t-1} e^{-(t-1-i) w + k_i} \\odot v_i + e^{u + k_t} \\odot v_t}{\\sum_{i=1}^{t-1} e^{-(t-1-i) w + k_i} + e^{u + k_t}}
        y_t = W_o (\\sigma(r_t) \\odot wkv_t)

    w = exp(decay) > 0 is a per-channel decay, u a per-channel bonus for the current token, and
    x_0 = 0. The same wkv_t as a recurrence (the ``step``): a_t = e^{-w} a_{t-1} + e^{k_t} v_t,
    b_t = e^{-w} b_{t-1} + e^{k_t}, wkv_t = (a_{t-1} + e^{u + k_t} v_t) / (b_{t-1} + e^{u + k_t}).
    e^{k} overflows, so the state holds a_t e^{-p_t} and b_t e^{-p_t} with the running maximum
    p_t = max(p_{t-1} - w, k_t), and every exponent has the largest one subtracted. The parallel
    form builds the T x T matrix of exponents (as attention does) and subtracts each row's maximum.

    References
    ----------
    Peng et al. (2023), RWKV: Reinventing RNNs for the Transformer era, Findings of EMNLP 2023,
    arXiv:2305.13048 (RWKV-4; the stabilised recurrence follows the authors' RWKV-LM code).
    Book chapter: modern gated recurrences.
    """

    def __init__(self, input_size, hidden_size, *, dtype="float32", seed=None):
        super().__init__(dtype=canonical_dtype(dtype, "RWKVTimeMix"))
        self._setup(input_size, hidden_size, False, dtype, seed, dict(input_size=input_size, hidden_size=hidden_size))

    def _project(self, x, x_prev):
        """r, k, v from the token shift: each mixes x_t with x_{t-1} channel by channel."""
        def mix(mu):
            return mu * x + (1 - mu) * x_prev
        return (linear(mix(self.mix_r), self.weight_r), linear(mix(self.mix_k), self.weight_k),
                linear(mix(self.mix_v), self.weight_v))

    def call(self, x, state=None):
        x, (x0, a, b, p) = self._inputs(x, state, step=False)
        x_prev = ops.concatenate([ops.expand_dims(x0, 1), x[:, :-1]], axis=1)  # (B, T, D): x_{t-1}
        r, k, v = self._project(x, x_prev)  # (B, T, H) each
        wkv, (a, b, p) = wkv_parallel(k, v, ops.exp(self.decay), self.bonus, (a, b, p))
        return linear(ops.sigmoid(r) * wkv, self.weight_o), (x[:, -1], a, b, p)

    def step(self, x_t, state=None):
        x_t, (x_prev, a, b, p) = self._inputs(x_t, state, step=True)
        r, k, v = self._project(x_t, x_prev)  # (B, H) each
        w, u = ops.exp(self.decay), self.bonus
        q = maximum(p, u + k)  # the largest exponent, taken out above and below the fraction
        wkv = (ops.exp(p - q) * a + ops.exp(u + k - q) * v) / (ops.exp(p - q) * b + ops.exp(u + k - q))
        q = maximum(p - w, k)  # decay the sums, add token t: the new running maximum
        a, b = ops.exp(p - w - q) * a + ops.exp(k - q) * v, ops.exp(p - w - q) * b + ops.exp(k - q)
        return linear(ops.sigmoid(r) * wkv, self.weight_o), (x_t, a, b, q)
