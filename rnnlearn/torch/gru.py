"""GRU, both variants in PyTorch: the one-step cell and the sequence layer (autograd does the backward pass)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..layout import make_spec
from ._base import Cell, Layer

__all__ = ["GRUCell", "GRU", "gru_step"]


def gru_step(gi, state, weights, spec):
    """One GRU step: ``(h,)`` from the input projection ``gi`` (B, 3H) and ``(h_prev,)`` (B, H)."""
    (h_prev,) = state
    weight_hh, bias_hh = weights
    H = spec.hidden_size
    if spec.reset_after:
        gh = F.linear(h_prev, weight_hh, bias_hh)  # (B, 3H)
        r, z = torch.sigmoid(gi[:, : 2 * H] + gh[:, : 2 * H]).chunk(2, 1)
        n = torch.tanh(gi[:, 2 * H :] + r * gh[:, 2 * H :])
    else:
        b_rz, b_n = (None, None) if bias_hh is None else (bias_hh[: 2 * H], bias_hh[2 * H :])
        r, z = torch.sigmoid(gi[:, : 2 * H] + F.linear(h_prev, weight_hh[: 2 * H], b_rz)).chunk(2, 1)
        n = torch.tanh(gi[:, 2 * H :] + F.linear(r * h_prev, weight_hh[2 * H :], b_n))
    return ((1 - z) * n + z * h_prev,)


class GRUCell(Cell):
    """One step of a gated recurrent unit (GRU), in PyTorch.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the number of hidden units.
    bias : bool
        If False, the cell has no ``bias_ih`` and ``bias_hh``.
    reset_after : bool
        True (default): the reset gate multiplies ``W_hn h + b_hn``, as in cuDNN, ``torch.nn.GRU`` and
        ``keras.layers.GRU``. False: it multiplies ``h`` before ``W_hn``, the original form of Cho et al. (2014).
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, D input features, H hidden units, G = 3 gates.

    - ``x_t``: (B, D); ``state``: ``h`` (B, H), or None for zeros.
    - returns ``h`` (B, H) and the new state (the same ``h``).
    - ``weight_ih`` (G*H, D), ``weight_hh`` (G*H, H), ``bias_ih`` and ``bias_hh`` (G*H,); gate blocks r, z, n.

    Notes
    -----
    .. math::

        r_t = \\sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr})
        z_t = \\sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz})
        n_t = \\tanh(W_{in} x_t + b_{in} + r_t \\odot (W_{hn} h_{t-1} + b_{hn}))      (reset_after=True)
        n_t = \\tanh(W_{in} x_t + b_{in} + W_{hn} (r_t \\odot h_{t-1}) + b_{hn})      (reset_after=False)
        h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}

    References
    ----------
    Cho et al. (2014), Learning phrase representations using RNN encoder-decoder for statistical
    machine translation. Book chapter: GRU.
    """

    kind = "gru"
    step = staticmethod(gru_step)

    def __init__(self, input_size, hidden_size, *, bias=True, reset_after=True, dtype="float32", seed=None):
        super().__init__()
        spec = make_spec("gru", input_size, hidden_size, None, False, bias, reset_after=reset_after, where="GRUCell")
        self._setup(spec, dtype, seed, 0.0)


class GRU(Layer):
    """A (stacked, optionally bidirectional) GRU over whole sequences, in PyTorch, batch-first.

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
    reset_after : bool
        True (default): the reset gate multiplies ``W_hn h + b_hn``, as in cuDNN, ``torch.nn.GRU`` and
        ``keras.layers.GRU``. False: it multiplies ``h`` before ``W_hn``, the original form of Cho et al. (2014).
    fused : bool
        If True, run through ``torch.nn.GRU`` (its C++ kernels) on the same parameters: the
        same numbers, faster. Not available for ``GRU(reset_after=False)``; needs all lengths >= 1;
        can be toggled later as ``layer.fused``.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).

    Shapes
    ------
    B batch, T time steps, D input features, H hidden units, L layers, S directions, G = 3 gates.

    - ``x``: (B, T, D). ``state``: ``h`` (L*S, B, H), or None for zeros;
      index ``l*S + s`` is layer l, direction s (0 forward, 1 backward), as in ``torch.nn.GRU``.
    - ``lengths``: None or integers (B,) in [0, T]; steps t >= lengths[b] leave the state alone and output zeros.
    - ``final_state`` passed back as ``state`` continues the sequence exactly, so a long sequence can be
      fed in chunks (the backward direction of a bidirectional layer sees each chunk on its own).
    - returns ``outputs`` (B, T, S*H), the last layer's h at every step (directions concatenated),
      and ``final_state`` h (L*S, B, H) at each sequence's last valid step.
    - ``weight_ih_l{l}`` (G*H, D or S*H), ``weight_hh_l{l}`` (G*H, H), ``bias_ih_l{l}``, ``bias_hh_l{l}`` (G*H,),
      and ``*_reverse`` for the backward direction; gate blocks r, z, n.

    Notes
    -----
    .. math::

        r_t = \\sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr})
        z_t = \\sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz})
        n_t = \\tanh(W_{in} x_t + b_{in} + r_t \\odot (W_{hn} h_{t-1} + b_{hn}))      (reset_after=True)
        n_t = \\tanh(W_{in} x_t + b_{in} + W_{hn} (r_t \\odot h_{t-1}) + b_{hn})      (reset_after=False)
        h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}

    References
    ----------
    Cho et al. (2014), Learning phrase representations using RNN encoder-decoder for statistical
    machine translation. Book chapter: GRU.
    """

    kind = "gru"
    step = staticmethod(gru_step)
    _builtin_class = nn.GRU

    def __init__(self, input_size, hidden_size, *, num_layers=1, bidirectional=False, bias=True,
                 reset_after=True, fused=False, dtype="float32", seed=None):
        super().__init__()
        spec = make_spec("gru", input_size, hidden_size, num_layers, bidirectional, bias, reset_after=reset_after, where="GRU")
        self._setup(spec, dtype, seed, 0.0, fused)
