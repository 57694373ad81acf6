"""LSTM in PyTorch: the one-step cell and the sequence layer (autograd does the backward pass)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..layout import make_spec
from ._base import Cell, Layer

__all__ = ["LSTMCell", "LSTM", "lstm_step"]


def lstm_step(gi, state, weights, spec):
    """One LSTM step: ``(h, c)`` from the input projection ``gi`` (B, 4H) and ``(h_prev, c_prev)`` (B, H) each."""
    h_prev, c_prev = state
    weight_hh, bias_hh = weights
    gates = gi + F.linear(h_prev, weight_hh, bias_hh)  # (B, 4H)
    i, f, g, o = gates.chunk(4, 1)
    c = torch.sigmoid(f) * c_prev + torch.sigmoid(i) * torch.tanh(g)
    h = torch.sigmoid(o) * torch.tanh(c)
    return h, c


class LSTMCell(Cell):
    """One step of a long short-term memory (LSTM) cell, in PyTorch.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the number of hidden units.
    bias : bool
        If False, the cell has no ``bias_ih`` and ``bias_hh``.
    forget_bias : float
        Added to the forget-gate block of ``bias_ih`` after the random initialisation. The default
        0.0 initialises like ``torch.nn.LSTM``; 1.0 adds the +1 that ``keras.layers.LSTM`` gives the
        forget gate (``unit_forget_bias=True``; Jozefowicz et al. 2015).
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, D input features, H hidden units, G = 4 gates.

    - ``x_t``: (B, D); ``state``: a tuple ``(h, c)``, each (B, H), or None for zeros.
    - returns ``h`` (B, H) and the new state ``(h, c)``.
    - ``weight_ih`` (G*H, D), ``weight_hh`` (G*H, H), ``bias_ih`` and ``bias_hh`` (G*H,); gate blocks i, f, g, o.

    Notes
    -----
    .. math::

        i_t = \\sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi})
        f_t = \\sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf})
        g_t = \\tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg})
        o_t = \\sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho})
        c_t = f_t \\odot c_{t-1} + i_t \\odot g_t
        h_t = o_t \\odot \\tanh(c_t)

    References
    ----------
    Hochreiter and Schmidhuber (1997), Long short-term memory; Gers et al. (2000) for the forget gate.
    Book chapter: LSTM.
    """

    kind = "lstm"
    num_states = 2
    step = staticmethod(lstm_step)

    def __init__(self, input_size, hidden_size, *, bias=True, forget_bias=0.0, dtype="float32", seed=None):
        super().__init__()
        spec = make_spec("lstm", input_size, hidden_size, None, False, bias, where="LSTMCell")
        self._setup(spec, dtype, seed, forget_bias)


class LSTM(Layer):
    """A (stacked, optionally bidirectional) LSTM over whole sequences, in PyTorch, batch-first.

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
    forget_bias : float
        Added to the forget-gate block of every ``bias_ih_*`` after the random initialisation. The
        default 0.0 initialises like ``torch.nn.LSTM``; 1.0 adds the +1 that ``keras.layers.LSTM`` gives
        the forget gate (``unit_forget_bias=True``; Jozefowicz et al. 2015).
    fused : bool
        If True, run through ``torch.nn.LSTM`` (its C++ kernels) on the same parameters: the
        same numbers, faster. Not available for ``GRU(reset_after=False)``; needs all lengths >= 1;
        can be toggled later as ``layer.fused``.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).

    Shapes
    ------
    B batch, T time steps, D input features, H hidden units, L layers, S directions, G = 4 gates.

    - ``x``: (B, T, D). ``state``: a tuple ``(h, c)``, each (L*S, B, H), or None for zeros;
      index ``l*S + s`` is layer l, direction s (0 forward, 1 backward), as in ``torch.nn.LSTM``.
    - ``lengths``: None or integers (B,) in [0, T]; steps t >= lengths[b] leave the state alone and output zeros.
    - ``final_state`` passed back as ``state`` continues the sequence exactly, so a long sequence can be
      fed in chunks (the backward direction of a bidirectional layer sees each chunk on its own).
    - returns ``outputs`` (B, T, S*H), the last layer's h at every step (directions concatenated),
      and ``final_state`` ``(h, c)``, each (L*S, B, H), at each sequence's last valid step.
    - ``weight_ih_l{l}`` (G*H, D or S*H), ``weight_hh_l{l}`` (G*H, H), ``bias_ih_l{l}``, ``bias_hh_l{l}`` (G*H,),
      and ``*_reverse`` for the backward direction; gate blocks i, f, g, o.

    Notes
    -----
    .. math::

        i_t = \\sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi})
        f_t = \\sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf})
        g_t = \\tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg})
        o_t = \\sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho})
        c_t = f_t \\odot c_{t-1} + i_t \\odot g_t
        h_t = o_t \\odot \\tanh(c_t)

    References
    ----------
    Hochreiter and Schmidhuber (1997), Long short-term memory; Gers et al. (2000) for the forget gate.
    Book chapter: LSTM.
    """

    kind = "lstm"
    num_states = 2
    step = staticmethod(lstm_step)
    _builtin_class = nn.LSTM

    def __init__(self, input_size, hidden_size, *, num_layers=1, bidirectional=False, bias=True,
                 forget_bias=0.0, fused=False, dtype="float32", seed=None):
        super().__init__()
        spec = make_spec("lstm", input_size, hidden_size, num_layers, bidirectional, bias, where="LSTM")
        self._setup(spec, dtype, seed, forget_bias, fused)
