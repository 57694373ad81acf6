"""GRU, both variants in Keras 3 (``keras.ops`` only): the one-step cell and the sequence layer."""

from __future__ import annotations

from keras import ops

from ..layout import make_spec
from ._base import Cell, Layer, matmul

__all__ = ["GRUCell", "GRU", "gru_step"]


def gru_step(gi, state, weights, spec):
    """One GRU step: ``(h,)`` from the input projection ``gi`` (B, 3H) and ``(h_prev,)`` (B, H)."""
    (h_prev,) = state
    weight_hh_t, bias_hh = weights  # weight_hh_t is W_hh^T, (H, 3H)
    H = spec.hidden_size
    if spec.reset_after:
        gh = matmul(h_prev, weight_hh_t)  # (B, 3H)
        if bias_hh is not None:
            gh = gh + bias_hh
        r, z = ops.split(ops.sigmoid(gi[:, : 2 * H] + gh[:, : 2 * H]), 2, axis=-1)
        n = ops.tanh(gi[:, 2 * H :] + r * gh[:, 2 * H :])
    else:
        gh_rz = matmul(h_prev, weight_hh_t[:, : 2 * H])  # (B, 2H)
        if bias_hh is not None:
            gh_rz = gh_rz + bias_hh[: 2 * H]
        r, z = ops.split(ops.sigmoid(gi[:, : 2 * H] + gh_rz), 2, axis=-1)
        gh_n = matmul(r * h_prev, weight_hh_t[:, 2 * H :])  # (B, H)
        if bias_hh is not None:
            gh_n = gh_n + bias_hh[2 * H :]
        n = ops.tanh(gi[:, 2 * H :] + gh_n)
    return ((1 - z) * n + z * h_prev,)


class GRUCell(Cell):
    """One step of a gated recurrent unit (GRU), in Keras.

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
        super().__init__(dtype=dtype)
        spec = make_spec("gru", input_size, hidden_size, None, False, bias, reset_after=reset_after, where="GRUCell")
        config = dict(input_size=input_size, hidden_size=hidden_size, bias=bias, reset_after=reset_after)
        self._setup(spec, dtype, seed, 0.0, config)


class GRU(Layer):
    """A (stacked, optionally bidirectional) GRU over whole sequences, in Keras, batch-first.

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

    def __init__(self, input_size, hidden_size, *, num_layers=1, bidirectional=False, bias=True,
                 reset_after=True, dtype="float32", seed=None):
        super().__init__(dtype=dtype)
        spec = make_spec("gru", input_size, hidden_size, num_layers, bidirectional, bias, reset_after=reset_after, where="GRU")
        config = dict(input_size=input_size, hidden_size=hidden_size, num_layers=num_layers,
                      bidirectional=bidirectional, bias=bias, reset_after=reset_after)
        self._setup(spec, dtype, seed, 0.0, config)
