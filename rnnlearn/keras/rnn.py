"""Elman RNN in Keras 3 (``keras.ops`` only): the one-step cell and the sequence layer."""

from __future__ import annotations

from keras import ops

from ..layout import make_spec
from ._base import Cell, Layer, matmul

__all__ = ["RNNCell", "RNN", "rnn_step"]


def rnn_step(gi, state, weights, spec):
    """One Elman step: ``(h,)`` from the input projection ``gi`` (B, H) and ``(h_prev,)`` (B, H)."""
    (h_prev,) = state
    weight_hh_t, bias_hh = weights  # weight_hh_t is W_hh^T, (H, H)
    a = gi + matmul(h_prev, weight_hh_t)  # (B, H)
    if bias_hh is not None:
        a = a + bias_hh
    return (ops.tanh(a) if spec.nonlinearity == "tanh" else ops.relu(a),)


class RNNCell(Cell):
    """One step of an Elman recurrent cell, in Keras.

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
        super().__init__(dtype=dtype)
        spec = make_spec("rnn", input_size, hidden_size, None, False, bias, nonlinearity, where="RNNCell")
        config = dict(input_size=input_size, hidden_size=hidden_size, bias=bias, nonlinearity=nonlinearity)
        self._setup(spec, dtype, seed, 0.0, config)


class RNN(Layer):
    """A (stacked, optionally bidirectional) Elman RNN over whole sequences, in Keras, batch-first.

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

    def __init__(self, input_size, hidden_size, *, num_layers=1, bidirectional=False, bias=True,
                 nonlinearity="tanh", dtype="float32", seed=None):
        super().__init__(dtype=dtype)
        spec = make_spec("rnn", input_size, hidden_size, num_layers, bidirectional, bias, nonlinearity, where="RNN")
        config = dict(input_size=input_size, hidden_size=hidden_size, num_layers=num_layers,
                      bidirectional=bidirectional, bias=bias, nonlinearity=nonlinearity)
        self._setup(spec, dtype, seed, 0.0, config)
