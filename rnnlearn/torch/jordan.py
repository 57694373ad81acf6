"""The Jordan network in PyTorch (autograd does the backward pass)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..jordan_layout import check_jordan_args, jordan_init_params
from ..layout import canonical_dtype
from ..utils import check_shape

__all__ = ["JordanRNN", "jordan_step"]

_ACTIVATIONS = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "linear": lambda a: a}


def jordan_step(gi_t, y_prev, weights, output_activation):
    """One Jordan step: h (B, H) and y (B, O) from the input projection gi_t (B, H) and y_prev (B, O)."""
    weight_yh, bias_yh, weight_hy, bias_hy = weights
    h = torch.tanh(gi_t + F.linear(y_prev, weight_yh, bias_yh))  # (B, H)
    return h, _ACTIVATIONS[output_activation](F.linear(h, weight_hy, bias_hy))  # (B, O)


class JordanRNN(nn.Module):
    """A Jordan network over whole sequences: the previous output, not the hidden state, is fed back. In PyTorch, batch-first.

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
        super().__init__()
        self.input_size, self.hidden_size, self.output_size = check_jordan_args(
            input_size, hidden_size, output_size, output_activation)
        self.bias = bool(bias)
        self.output_activation = output_activation
        values = jordan_init_params(input_size, hidden_size, output_size, self.bias, seed,
                                    canonical_dtype(dtype, "JordanRNN"))
        for name, value in values.items():
            self.register_parameter(name, nn.Parameter(torch.from_numpy(np.ascontiguousarray(value))))

    def forward(self, x, state=None):
        p = self.weight_ih
        x = torch.as_tensor(x, dtype=p.dtype, device=p.device)
        _, sym = check_shape(x, ("B", "T", self.input_size), "x", "JordanRNN")
        B = sym["B"]
        if state is None:
            y = torch.zeros(B, self.output_size, dtype=p.dtype, device=p.device)
        else:
            state = torch.as_tensor(state, dtype=p.dtype, device=p.device)
            check_shape(state, (1, B, self.output_size), "state", "JordanRNN")
            y = state[0]
        bias = lambda name: getattr(self, name, None)  # noqa: E731
        gi = F.linear(x, self.weight_ih, bias("bias_ih"))  # (B, T, H): every step in one product
        weights = (self.weight_yh, bias("bias_yh"), self.weight_hy, bias("bias_hy"))
        outputs = []
        for gi_t in gi.unbind(1):  # not gi[:, t]: that makes the backward pass quadratic in T
            _, y = jordan_step(gi_t, y, weights, self.output_activation)
            outputs.append(y)
        return torch.stack(outputs, 1), y[None]  # (B, T, O), (1, B, O)
