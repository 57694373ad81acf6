"""Elman RNN in PyTorch: the one-step cell and the sequence layer (autograd does the backward pass)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..layout import make_spec
from ._base import Cell, Layer

__all__ = ["RNNCell", "RNN", "rnn_step"]


def rnn_step(gi, state, weights, spec):
    """One Elman step: ``(h,)`` from the input projection ``gi`` (B, H) and ``(h_prev,)`` (B, H)."""
    (h_prev,) = state
    weight_hh, bias_hh = weights
    a = gi + F.linear(h_prev, weight_hh, bias_hh)  # (B, H)
    return (torch.tanh(a) if spec.nonlinearity == "tanh" else torch.relu(a),)


class RNNCell(Cell):
    """One step of an Elman recurrent cell, in PyTorch.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the number of hidden units.
    bias : bool
        If False, the cell has no ``bias_ih`` and ``bias_hh``.
    nonlinearity : str
        ``"tanh"`` (default) or ``"relu"``.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, D input features, H hidden units, G = 1 gate.

    - ``x_t``: (B, D); ``state``: ``h`` (B, H), or None for zeros.
    - returns ``h`` (B, H) and the new state (the same ``h``).
    - ``weight_ih`` (H, D), ``weight_hh`` (H, H), ``bias_ih`` and ``bias_hh`` (H,).

    Notes
    -----
    .. math::

        h_t = \\phi(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh}), \\quad \\phi = \\tanh \\text{ or } \\mathrm{ReLU}

    References
    ----------
    Elman (1990), Finding structure in time. Book chapter: recurrent networks.
    """

    kind = "rnn"
    step = staticmethod(rnn_step)

    def __init__(self, input_size, hidden_size, *, bias=True, nonlinearity="tanh", dtype="float32", seed=None):
        super().__init__()
        spec = make_spec("rnn", input_size, hidden_size, None, False, bias, nonlinearity, where="RNNCell")
        self._setup(spec, dtype, seed, 0.0)


class RNN(Layer):
    """A (stacked, optionally bidirectional) Elman RNN over whole sequences, in PyTorch, batch-first.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the number of hidden units of each layer and direction.
    num_layers : int
        L, the number of stacked layers; layer l > 0 reads layer l - 1's outputs.
    bidirectional : bool
        If True, each layer also runs backwards in time (S = 2 directions) and concatenates.
    bias : bool
        If False, no ``bias_ih_*`` and ``bias_hh_*``.
    nonlinearity : str
        ``"tanh"`` (default) or ``"relu"``.
    fused : bool
        If True, run through ``torch.nn.RNN`` (its C++ kernels) on the same parameters: the
        same numbers, faster. Not available for ``GRU(reset_after=False)``; needs all lengths >= 1;
        can be toggled later as ``layer.fused``.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).

    Shapes
    ------
    B batch, T time steps, D input features, H hidden units, L layers, S directions, G = 1 gate.

    - ``x``: (B, T, D). ``state``: ``h`` (L*S, B, H), or None for zeros;
      index ``l*S + s`` is layer l, direction s (0 forward, 1 backward), as in ``torch.nn.RNN``.
    - ``lengths``: None or integers (B,) in [0, T]; steps t >= lengths[b] leave the state alone and output zeros.
    - ``final_state`` passed back as ``state`` continues the sequence exactly, so a long sequence can be
      fed in chunks (the backward direction of a bidirectional layer sees each chunk on its own).
    - returns ``outputs`` (B, T, S*H), the last layer's h at every step (directions concatenated),
      and ``final_state`` h (L*S, B, H) at each sequence's last valid step.
    - ``weight_ih_l{l}`` (H, D or S*H), ``weight_hh_l{l}`` (H, H), ``bias_ih_l{l}``, ``bias_hh_l{l}`` (H,),
      and ``*_reverse`` for the backward direction.

    Notes
    -----
    .. math::

        h_t = \\phi(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh}), \\quad \\phi = \\tanh \\text{ or } \\mathrm{ReLU}

    References
    ----------
    Elman (1990), Finding structure in time. Book chapter: recurrent networks.
    """

    kind = "rnn"
    step = staticmethod(rnn_step)
    _builtin_class = nn.RNN

    def __init__(self, input_size, hidden_size, *, num_layers=1, bidirectional=False, bias=True,
                 nonlinearity="tanh", fused=False, dtype="float32", seed=None):
        super().__init__()
        spec = make_spec("rnn", input_size, hidden_size, num_layers, bidirectional, bias, nonlinearity, where="RNN")
        self._setup(spec, dtype, seed, 0.0, fused)
