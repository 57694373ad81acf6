"""Causal linear attention in NumPy: the parallel (attention-like) form and the recurrent form."""

from __future__ import annotations

import numpy as np

from ..ssm_layout import check_size, linear_attention_init
from ._params import ParamLayer

__all__ = ["LinearAttention", "elu_plus_one"]


def elu_plus_one(u):
    """The feature map phi(u) = elu(u) + 1: u + 1 for u > 0, exp(u) otherwise; always positive."""
    return np.where(u > 0, u + 1, np.exp(np.minimum(u, 0)))


class LinearAttention(ParamLayer):
    """Causal linear attention (Katharopoulos et al. 2020) over whole sequences, in NumPy, batch-first.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the width of queries, keys, values and outputs; a multiple of ``num_heads``.
    num_heads : int
        The number of heads; each has d = H / num_heads features.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T time steps, D input features, H hidden units, heads, d = H / heads.

    - ``x``: (B, T, D); ``x_t``: (B, D).
    - ``state``: a tuple ``(S, z)`` with S (B, heads, d, d) and z (B, heads, d), or None for zeros.
    - ``layer(x, state)`` returns ``y`` (B, T, H) and the final ``(S, z)``; ``layer.step(x_t, state)``
      returns ``y_t`` (B, H) and the new ``(S, z)``. Both compute the same numbers.
    - ``weight_q``, ``weight_k``, ``weight_v`` (H, D), ``weight_o`` (H, H).

    Notes
    -----
    .. math::

        q_t = W_q x_t, \\quad k_t = W_k x_t, \\quad v_t = W_v x_t, \\quad \\phi(u) = \\mathrm{elu}(u) + 1 > 0

    split into heads of d features each. Per head, the recurrent form keeps two running sums,

    .. math::

        S_t = S_{t-1} + \\phi(k_t) v_t^\\top, \\quad z_t = z_{t-1} + \\phi(k_t), \\quad
        o_t = \\frac{S_t^\\top \\phi(q_t)}{z_t^\\top \\phi(q_t)},

    and the parallel form is causal attention with the similarity :math:`\\phi(q_t)^\\top \\phi(k_s)` in place
    of :math:`\\exp(q_t^\\top k_s / \\sqrt{d})`:

    .. math::

        o_t = \\frac{\\sum_{s \\le t} \\phi(q_t)^\\top \\phi(k_s) \\, v_s}{\\sum_{s \\le t} \\phi(q_t)^\\top \\phi(k_s)}
        \\quad (\\text{plus } S_0, z_0 \\text{ from a given state}), \\qquad
        y_t = W_o [o_t^{(1)}; \\dots; o_t^{(\\mathrm{heads})}].

    The parallel form costs O(T^2 d) per head and parallelises over t; the recurrent form costs O(d^2)
    per step with a state whose size does not grow with t.

    References
    ----------
    Katharopoulos et al. (2020), Transformers are RNNs: fast autoregressive transformers with linear attention.
    Book chapter: linear attention and state-space models.
    """

    def __init__(self, input_size, hidden_size, *, num_heads=1, dtype="float32", seed=None):
        self.input_size = check_size(input_size, "input_size", "LinearAttention")
        self.hidden_size = check_size(hidden_size, "hidden_size", "LinearAttention")
        self.num_heads = check_size(num_heads, "num_heads", "LinearAttention")
        if self.hidden_size % self.num_heads:
            raise ValueError(f"LinearAttention: hidden_size must be a multiple of num_heads, "
                             f"got hidden_size={hidden_size} and num_heads={num_heads}")
        self.head_size = self.hidden_size // self.num_heads
        self._setup(linear_attention_init(input_size, hidden_size, seed, dtype), dtype)

    def _project(self, x):
        """phi(q), phi(k), v with the heads split off: (..., heads, d) each, from x (..., D)."""
        heads = x.shape[:-1] + (self.num_heads, self.head_size)
        q = (x @ self.weight_q.T).reshape(heads)
        k = (x @ self.weight_k.T).reshape(heads)
        v = (x @ self.weight_v.T).reshape(heads)
        return elu_plus_one(q), elu_plus_one(k), v

    def _state(self, state, B):
        heads, d = self.num_heads, self.head_size
        if state is None:
            return np.zeros((B, heads, d, d), self.dtype), np.zeros((B, heads, d), self.dtype)
        S, z = state
        return self._array(S, (B, heads, d, d), "S")[0], self._array(z, (B, heads, d), "z")[0]

    def __call__(self, x, state=None):
        x, sym = self._array(x, ("B", "T", self.input_size), "x")
        B, T = sym["B"], sym["T"]
        S, z = self._state(state, B)
        fq, fk, v = (np.moveaxis(u, 2, 1) for u in self._project(x))  # (B, heads, T, d) each
        scores = np.tril(fq @ np.swapaxes(fk, -1, -2))  # (B, heads, T, T): phi(q_t) . phi(k_s), s <= t
        numerator = scores @ v + fq @ S  # (B, heads, T, d)
        denominator = scores.sum(-1) + (fq @ z[..., None])[..., 0]  # (B, heads, T)
        o = numerator / denominator[..., None]
        y = np.moveaxis(o, 1, 2).reshape(B, T, self.hidden_size) @ self.weight_o.T  # (B, T, H)
        S = S + np.swapaxes(fk, -1, -2) @ v  # (B, heads, d, d)
        z = z + fk.sum(2)  # (B, heads, d)
        return y, (S, z)

    def step(self, x_t, state=None):
        """One token: ``y_t`` (B, H) and the new state ``(S, z)`` from ``x_t`` (B, D)."""
        x_t, sym = self._array(x_t, ("B", self.input_size), "x_t")
        S, z = self._state(state, sym["B"])
        fq, fk, v = self._project(x_t)  # (B, heads, d) each
        S = S + fk[..., :, None] * v[..., None, :]  # (B, heads, d, d): add phi(k_t) v_t^T
        z = z + fk
        o = (fq[..., None, :] @ S)[..., 0, :] / (fq * z).sum(-1, keepdims=True)  # (B, heads, d)
        y_t = o.reshape(-1, self.hidden_size) @ self.weight_o.T  # (B, H)
        return y_t, (S, z)
