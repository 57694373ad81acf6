"""GRU in NumPy, both variants: the one-step cell, the sequence layer, and their hand-written backward pass."""

from __future__ import annotations

import numpy as np

from ..layout import make_spec
from ._base import Cell, Layer, affine, affine_backward, sigmoid

__all__ = ["GRUCell", "GRU", "gru_step", "gru_step_backward"]


def gru_step(p, x, state, spec):
    """One GRU step: ``(h,)`` from ``x`` (B, D) and ``(h_prev,)`` (B, H); ``spec.reset_after`` picks the variant."""
    (h_prev,) = state
    H = spec.hidden_size
    if spec.reset_after:
        gi, gh = affine(p, x, h_prev)  # (B, 3H) each, blocks r, z, n
        r = sigmoid(gi[:, :H] + gh[:, :H])
        z = sigmoid(gi[:, H : 2 * H] + gh[:, H : 2 * H])
        gh_n = gh[:, 2 * H :]
        n = np.tanh(gi[:, 2 * H :] + r * gh_n)
    else:
        w_hh, b_hh = p["weight_hh"], p.get("bias_hh")
        gi = x @ p["weight_ih"].T
        gh_rz = h_prev @ w_hh[: 2 * H].T  # (B, 2H)
        if b_hh is not None:
            gi = gi + p["bias_ih"]
            gh_rz = gh_rz + b_hh[: 2 * H]
        r = sigmoid(gi[:, :H] + gh_rz[:, :H])
        z = sigmoid(gi[:, H : 2 * H] + gh_rz[:, H:])
        gh_n = (r * h_prev) @ w_hh[2 * H :].T  # (B, H)
        if b_hh is not None:
            gh_n = gh_n + b_hh[2 * H :]
        n = np.tanh(gi[:, 2 * H :] + gh_n)
    h = (1 - z) * n + z * h_prev
    return (h,), (x, h_prev, r, z, n, gh_n)


def gru_step_backward(p, cache, d_state, spec):
    """Backward of :func:`gru_step`: ``(dx, (dh_prev,), grads)`` from ``(dh,)``."""
    x, h_prev, r, z, n, gh_n = cache
    (dh,) = d_state
    H = spec.hidden_size
    dn = dh * (1 - z)
    dz = dh * (h_prev - n)
    da_n = dn * (1 - n**2)
    da_z = dz * z * (1 - z)
    if spec.reset_after:
        da_r = da_n * gh_n * r * (1 - r)
        d_gi = np.concatenate([da_r, da_z, da_n], axis=1)  # (B, 3H)
        d_gh = np.concatenate([da_r, da_z, da_n * r], axis=1)
        dx, dh_prev, grads = affine_backward(p, x, h_prev, d_gi, d_gh)
        return dx, (dh_prev + dh * z,), grads
    w_hh = p["weight_hh"]
    d_rh = da_n @ w_hh[2 * H :]  # gradient of r * h_prev, (B, H)
    da_r = d_rh * h_prev * r * (1 - r)
    d_gi = np.concatenate([da_r, da_z, da_n], axis=1)  # (B, 3H)
    d_rz = d_gi[:, : 2 * H]
    dx = d_gi @ p["weight_ih"]
    dh_prev = dh * z + d_rh * r + d_rz @ w_hh[: 2 * H]
    grads = {"weight_ih": d_gi.T @ x, "weight_hh": np.concatenate([d_rz.T @ h_prev, da_n.T @ (r * h_prev)], axis=0)}
    if p.get("bias_ih") is not None:
        grads["bias_ih"] = d_gi.sum(0)
        grads["bias_hh"] = d_gi.sum(0)
    return dx, (dh_prev,), grads


class GRUCell(Cell):
    """One step of a gated recurrent unit (GRU), in NumPy.

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
    step_backward = staticmethod(gru_step_backward)

    def __init__(self, input_size, hidden_size, *, bias=True, reset_after=True, dtype="float32", seed=None):
        spec = make_spec("gru", input_size, hidden_size, None, False, bias, reset_after=reset_after, where="GRUCell")
        self._setup(spec, dtype, seed, 0.0)


class GRU(Layer):
    """A (stacked, optionally bidirectional) GRU over whole sequences, in NumPy, batch-first.

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
    step_backward = staticmethod(gru_step_backward)

    def __init__(self, input_size, hidden_size, *, num_layers=1, bidirectional=False, bias=True,
                 reset_after=True, dtype="float32", seed=None):
        spec = make_spec("gru", input_size, hidden_size, num_layers, bidirectional, bias, reset_after=reset_after, where="GRU")
        self._setup(spec, dtype, seed, 0.0)
