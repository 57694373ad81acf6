"""Elman RNN in NumPy: the one-step cell, the sequence layer, and their hand-written backward pass."""

from __future__ import annotations

import numpy as np

from ..layout import make_spec
from ._base import Cell, Layer, affine, affine_backward

__all__ = ["RNNCell", "RNN", "rnn_step", "rnn_step_backward"]


def rnn_step(p, x, state, spec):
    """One Elman step: ``(h,)`` from ``x`` (B, D) and ``(h_prev,)`` (B, H)."""
    (h_prev,) = state
    gi, gh = affine(p, x, h_prev)
    a = gi + gh  # (B, H)
    h = np.tanh(a) if spec.nonlinearity == "tanh" else np.maximum(a, 0)
    return (h,), (x, h_prev, h)


def rnn_step_backward(p, cache, d_state, spec):
    """Backward of :func:`rnn_step`: ``(dx, (dh_prev,), grads)`` from ``(dh,)``."""
    x, h_prev, h = cache
    (dh,) = d_state
    da = dh * (1 - h**2) if spec.nonlinearity == "tanh" else dh * (h > 0)
    dx, dh_prev, grads = affine_backward(p, x, h_prev, da, da)
    return dx, (dh_prev,), grads


class RNNCell(Cell):
    """One step of an Elman recurrent cell, in NumPy.

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
    step_backward = staticmethod(rnn_step_backward)

    def __init__(self, input_size, hidden_size, *, bias=True, nonlinearity="tanh", dtype="float32", seed=None):
        spec = make_spec("rnn", input_size, hidden_size, None, False, bias, nonlinearity, where="RNNCell")
        self._setup(spec, dtype, seed, 0.0)


class RNN(Layer):
    """A (stacked, optionally bidirectional) Elman RNN over whole sequences, in NumPy, batch-first.

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
    step_backward = staticmethod(rnn_step_backward)

    def __init__(self, input_size, hidden_size, *, num_layers=1, bidirectional=False, bias=True,
                 nonlinearity="tanh", dtype="float32", seed=None):
        spec = make_spec("rnn", input_size, hidden_size, num_layers, bidirectional, bias, nonlinearity, where="RNN")
        self._setup(spec, dtype, seed, 0.0)
