"""The Jordan network in NumPy: a forward pass that the PyTorch and Keras twins are checked against."""

from __future__ import annotations

import numpy as np

from ..jordan_layout import check_jordan_args, jordan_init_params
from ..layout import canonical_dtype
from ..utils import check_shape
from ._base import sigmoid

__all__ = ["JordanRNN", "jordan_step"]

_ACTIVATIONS = {"tanh": np.tanh, "sigmoid": sigmoid, "linear": lambda a: a}


def jordan_step(p, x_t, y_prev, output_activation):
    """One Jordan step: the new hidden layer h (B, H) and output y (B, O) from x_t (B, D) and y_prev (B, O)."""
    a = x_t @ p["weight_ih"].T + y_prev @ p["weight_yh"].T  # (B, H)
    if p.get("bias_ih") is not None:
        a = a + p["bias_ih"] + p["bias_yh"]
    h = np.tanh(a)  # (B, H)
    z = h @ p["weight_hy"].T  # (B, O)
    if p.get("bias_hy") is not None:
        z = z + p["bias_hy"]
    return h, _ACTIVATIONS[output_activation](z)


class JordanRNN:
    """A Jordan network over whole sequences: the previous output, not the hidden state, is fed back. In NumPy, batch-first.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the number of hidden units.
    output_size : int
        O, the number of outputs; the outputs are also the state carried from step to step.
    bias : bool
        If False, no ``bias_ih``, ``bias_yh`` and ``bias_hy``.
    output_activation : str
        sigma_y, applied to the outputs: ``"tanh"`` (default), ``"sigmoid"`` or ``"linear"``.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T time steps, D input features, H hidden units, O outputs.

    - ``x``: (B, T, D). ``state``: the previous output ``y_0`` (1, B, O), or None for zeros
      (the leading 1 is the number of layers, as in ``RNN``'s (L*S, B, H)).
    - returns ``outputs`` (B, T, O), ``y_t`` at every step, and ``final_state`` ``y_T`` (1, B, O);
      passing ``final_state`` back as ``state`` continues the sequence exactly.
    - ``weight_ih`` (H, D), ``weight_yh`` (H, O), ``weight_hy`` (O, H), ``bias_ih``, ``bias_yh`` (H,), ``bias_hy`` (O,).

    Notes
    -----
    .. math::

        h_t = \\tanh(W_{ih} x_t + b_{ih} + W_{yh} y_{t-1} + b_{yh}), \\quad
        y_t = \\sigma_y(W_{hy} h_t + b_{hy}), \\quad y_0 = 0

    The state is ``y_t`` (O numbers), not ``h_t``: whatever the network remembers must be visible in its outputs.

    References
    ----------
    Jordan (1986), Serial order: a parallel distributed processing approach. Book chapter: the vanilla RNN.
    """

    def __init__(self, input_size, hidden_size, *, output_size, bias=True, output_activation="tanh",
                 dtype="float32", seed=None):
        self.input_size, self.hidden_size, self.output_size = check_jordan_args(
            input_size, hidden_size, output_size, output_activation)
        self.bias = bool(bias)
        self.output_activation = output_activation
        self.dtype = canonical_dtype(dtype, "JordanRNN")
        self.params = jordan_init_params(input_size, hidden_size, output_size, self.bias, seed, self.dtype)

    def __getattr__(self, name):  # layer.weight_yh, ...
        params = self.__dict__.get("params", {})
        if name in params:
            return params[name]
        raise AttributeError(f"JordanRNN has no attribute {name!r}")

    def __call__(self, x, state=None):
        x = np.asarray(x)
        _, sym = check_shape(x, ("B", "T", self.input_size), "x", "JordanRNN")
        B, T = sym["B"], sym["T"]
        x = x.astype(self.dtype, copy=False)
        if state is None:
            y = np.zeros((B, self.output_size), self.dtype)
        else:
            state = np.asarray(state)
            check_shape(state, (1, B, self.output_size), "state", "JordanRNN")
            y = state[0].astype(self.dtype)
        outputs = np.zeros((B, T, self.output_size), self.dtype)
        for t in range(T):
            _, y = jordan_step(self.params, x[:, t], y, self.output_activation)
            outputs[:, t] = y
        return outputs, y[None]  # (B, T, O), (1, B, O)
