"""A temporal convolutional network (TCN) in NumPy, with a streaming step: the oracle for its twins."""

from __future__ import annotations

import numpy as np

from ..layout import canonical_dtype
from ..tcn_layout import check_tcn_args, tcn_buffer_lengths, tcn_dilations, tcn_init_params
from ..utils import check_shape

__all__ = ["TCN", "causal_conv"]


def causal_conv(x, past, weight, bias, dilation):
    """A causal dilated convolution: ``z`` (B, T, H) from ``x`` (B, T, D_l) and the P = (k - 1) dilation
    inputs before it, ``past`` (B, P, D_l); also returns the last P inputs, the ``past`` of what follows.

    Output t reads the inputs t - (k - 1 - j) dilation through tap j of ``weight`` (H, D_l, k).
    """
    T, k = x.shape[1], weight.shape[2]
    padded = np.concatenate([past, x], axis=1)  # (B, P + T, D_l)
    z = sum(padded[:, j * dilation : j * dilation + T] @ weight[:, :, j].T for j in range(k))  # (B, T, H)
    if bias is not None:
        z = z + bias
    return z, padded[:, T:]


class TCN:
    r"""A temporal convolutional network: a stack of causal dilated convolutions, in NumPy, batch-first.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the number of channels of every layer's output.
    num_layers : int
        L, the number of convolutions; layer l has dilation 2^(l-1) (1, 2, 4, ...).
    kernel_size : int
        k >= 2, the number of taps of each convolution.
    bias : bool
        If False, no ``bias_l*``.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T time steps, D input features, H channels, L layers, k taps, P_l = (k - 1) 2^(l-1) buffered steps.

    - ``x``: (B, T, D). ``state``: a tuple of L buffers, buffer l of shape (B, P_l, D_l) holding layer l's last
      P_l inputs (D_1 = D, else H), or None for zeros (the start of a sequence).
    - returns ``y`` (B, T, H), the last layer's output at every step, and the new buffers; passed back as
      ``state`` they continue the sequence exactly.
    - ``step(x_t, state)``: one step, ``x_t`` (B, D) -> ``y_t`` (B, H) and the new buffers.
    - ``weight_l{l}`` (H, D_l, k), ``bias_l{l}`` (H,), l counted from 0 in the names.

    Notes
    -----
    .. math::

        z^{(l)}_t = b^{(l)} + \sum_{j=0}^{k-1} W^{(l)}_j \, h^{(l-1)}_{t - (k-1-j) d_l}, \qquad d_l = 2^{l-1}
        h^{(1)}_t = \operatorname{relu}(z^{(1)}_t), \qquad h^{(l)}_t = \operatorname{relu}(z^{(l)}_t) + h^{(l-1)}_t \ (l > 1)
        h^{(0)}_t = x_t, \qquad h^{(l)}_t = 0 \text{ for } t \le 0, \qquad y_t = h^{(L)}_t

    W_j is tap j of the layer's weight. Output t sees the R = 1 + (k - 1)(2^L - 1) inputs x_{t-R+1}, ..., x_t
    (the receptive field) and nothing later. A simplified form of the TCN of Bai et al.: one convolution per
    residual block, without weight normalisation or dropout.

    References
    ----------
    Bai, Kolter and Koltun (2018), An empirical evaluation of generic convolutional and recurrent networks for
    sequence modeling; van den Oord et al. (2016), WaveNet, for dilated causal convolutions.
    Book chapter: RNNs vs transformers.
    """

    def __init__(self, input_size, hidden_size, *, num_layers=4, kernel_size=2, bias=True, dtype="float32", seed=None):
        self.input_size, self.hidden_size, self.num_layers, self.kernel_size = check_tcn_args(
            input_size, hidden_size, num_layers, kernel_size)
        self.bias = bool(bias)
        self.dtype = canonical_dtype(dtype, "TCN")
        self.dilations = tcn_dilations(self.num_layers)
        self.buffer_lengths = tcn_buffer_lengths(self.kernel_size, self.num_layers)
        self.params = tcn_init_params(input_size, hidden_size, self.num_layers, self.kernel_size, self.bias, seed,
                                      self.dtype)

    def __getattr__(self, name):  # tcn.weight_l0, ...
        params = self.__dict__.get("params", {})
        if name in params:
            return params[name]
        raise AttributeError(f"TCN has no attribute {name!r}")

    def _check_state(self, state, B):
        sizes = [self.input_size] + [self.hidden_size] * (self.num_layers - 1)
        if state is None:
            return [np.zeros((B, P, D), self.dtype) for P, D in zip(self.buffer_lengths, sizes)]
        if not isinstance(state, (tuple, list)) or len(state) != self.num_layers:
            got = f"{len(state)} items" if isinstance(state, (tuple, list)) else type(state).__name__
            raise ValueError(f"TCN expected state to be a tuple of {self.num_layers} buffers, got {got}")
        buffers = []
        for layer, (s, P, D) in enumerate(zip(state, self.buffer_lengths, sizes)):
            s = np.asarray(s)
            check_shape(s, (B, P, D), f"state[{layer}]", "TCN")
            buffers.append(s.astype(self.dtype, copy=False))
        return buffers

    def __call__(self, x, state=None):
        x = np.asarray(x)
        _, sym = check_shape(x, ("B", "T", self.input_size), "x", "TCN")
        h = x.astype(self.dtype, copy=False)
        buffers = self._check_state(state, sym["B"])
        new_state = []
        for layer, dilation in enumerate(self.dilations):
            z, past = causal_conv(h, buffers[layer], self.params[f"weight_l{layer}"],
                                  self.params.get(f"bias_l{layer}"), dilation)  # (B, T, H)
            h = np.maximum(z, 0) if layer == 0 else np.maximum(z, 0) + h
            new_state.append(past)
        return h, tuple(new_state)

    def step(self, x_t, state=None):
        """One step: ``y_t`` (B, H) from ``x_t`` (B, D), and the buffers shifted by one step."""
        x_t = np.asarray(x_t)
        check_shape(x_t, ("B", self.input_size), "x_t", "TCN.step")
        y, state = self(x_t[:, None], state)
        return y[:, 0], state
