"""Causal self-attention in NumPy, with a KV cache: the forward pass the PyTorch and Keras twins are checked against."""

from __future__ import annotations

import math

import numpy as np

from ..causal_attention_layout import self_attention_init_params, check_self_attention_args
from ..layout import canonical_dtype
from ..utils import check_shape

__all__ = ["CausalSelfAttention", "attention_weights", "causal_attention"]


def _split_heads(a, num_heads):
    """(B, S, H) -> (B, N, S, d): head n takes entries n*d .. (n+1)*d - 1 of every vector."""
    B, S, H = a.shape
    return a.reshape(B, S, num_heads, H // num_heads).transpose(0, 2, 1, 3)


def attention_weights(q, k, num_heads):
    """Causal attention weights (B, N, T, S) of the queries q (B, T, H) over the keys k (B, S, H), S >= T.

    The queries belong to the last T of the S positions: query t sits at position S - T + t and may look
    at positions 0 .. S - T + t only. Each row of the result sums to 1.
    """
    T, S = q.shape[1], k.shape[1]
    d = q.shape[2] // num_heads
    scores = _split_heads(q, num_heads) @ _split_heads(k, num_heads).transpose(0, 1, 3, 2) / math.sqrt(d)  # (B, N, T, S)
    visible = np.arange(S)[None, :] <= np.arange(S - T, S)[:, None]  # (T, S): the causal mask
    scores = np.where(visible, scores, -np.inf)
    scores = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=-1, keepdims=True)


def causal_attention(q, k, v, num_heads):
    """Multi-head causal attention: u (B, T, H), each head's weighted average of the values v (B, S, H)."""
    B, T, H = q.shape
    weights = attention_weights(q, k, num_heads)  # (B, N, T, S)
    u = weights @ _split_heads(v, num_heads)  # (B, N, T, d)
    return u.transpose(0, 2, 1, 3).reshape(B, T, H)  # heads side by side


class CausalSelfAttention:
    r"""Multi-head causal self-attention with a key-value (KV) cache, in NumPy, batch-first.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the size of the queries, keys, values and outputs; a multiple of ``num_heads``.
    num_heads : int
        N, the number of heads; each works on d_h = H / N entries of the queries, keys and values.
    bias : bool
        If False, no ``bias_q``, ``bias_k``, ``bias_v`` and ``bias_o``.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T new time steps, S = P + T positions in all, P cached positions, D input features, H hidden, N heads.

    - ``x``: (B, T, D). ``state``: the KV cache of the P positions before ``x``, a tuple ``(keys, values)``,
      each (B, P, H), or None (P = 0: the start of a sequence).
    - returns ``y`` (B, T, H) and the new cache ``(keys, values)``, each (B, S, H): the old one with the T new
      positions appended. Passed back as ``state``, it continues the sequence exactly.
    - ``step(x_t, state)``: one position, ``x_t`` (B, D) -> ``y_t`` (B, H) and the cache grown by one.
    - ``weight_q``, ``weight_k``, ``weight_v`` (H, D), ``weight_o`` (H, H), ``bias_*`` (H,).

    Notes
    -----
    .. math::

        q_t = W_q x_t + b_q, \quad k_t = W_k x_t + b_k, \quad v_t = W_v x_t + b_v
        \alpha^{(n)}_{ts} = \operatorname{softmax}_{s \le t}\big(q^{(n)}_t \cdot k^{(n)}_s / \sqrt{d_h}\big)
        u^{(n)}_t = \sum_{s \le t} \alpha^{(n)}_{ts} v^{(n)}_s
        y_t = W_o [u^{(1)}_t; \dots; u^{(N)}_t] + b_o

    Head n reads entries (n - 1)d_h + 1 to n d_h of q_t, k_t and v_t, with d_h = H / N. Position t sees the positions
    s <= t only (the causal mask), so y_t depends on x_1, ..., x_t alone; the cache holds every k_s and v_s.

    References
    ----------
    Vaswani et al. (2017), Attention is all you need. Book chapter: RNNs vs transformers.
    """

    def __init__(self, input_size, hidden_size, *, num_heads=1, bias=True, dtype="float32", seed=None):
        self.input_size, self.hidden_size, self.num_heads = check_self_attention_args(
            input_size, hidden_size, num_heads)
        self.bias = bool(bias)
        self.dtype = canonical_dtype(dtype, "CausalSelfAttention")
        self.params = self_attention_init_params(input_size, hidden_size, self.bias, seed, self.dtype)

    def __getattr__(self, name):  # layer.weight_q, ...
        params = self.__dict__.get("params", {})
        if name in params:
            return params[name]
        raise AttributeError(f"CausalSelfAttention has no attribute {name!r}")

    def _linear(self, x, name):
        y = x @ self.params[f"weight_{name}"].T
        return y + self.params[f"bias_{name}"] if self.bias else y

    def _check_state(self, state, B):
        if state is None:
            empty = np.zeros((B, 0, self.hidden_size), self.dtype)
            return empty, empty
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            raise ValueError(f"CausalSelfAttention expected state to be a tuple (keys, values), got {type(state).__name__}")
        keys, values = (np.asarray(s) for s in state)
        _, sym = check_shape(keys, (B, "P", self.hidden_size), "keys", "CausalSelfAttention")
        check_shape(values, (B, sym["P"], self.hidden_size), "values", "CausalSelfAttention")
        return keys.astype(self.dtype, copy=False), values.astype(self.dtype, copy=False)

    def __call__(self, x, state=None):
        x = np.asarray(x)
        _, sym = check_shape(x, ("B", "T", self.input_size), "x", "CausalSelfAttention")
        x = x.astype(self.dtype, copy=False)
        old_keys, old_values = self._check_state(state, sym["B"])
        keys = np.concatenate([old_keys, self._linear(x, "k")], axis=1)  # (B, S, H)
        values = np.concatenate([old_values, self._linear(x, "v")], axis=1)  # (B, S, H)
        u = causal_attention(self._linear(x, "q"), keys, values, self.num_heads)  # (B, T, H)
        return self._linear(u, "o"), (keys, values)

    def step(self, x_t, state=None):
        """One position: ``y_t`` (B, H) from ``x_t`` (B, D), and the cache with this position's key and value appended."""
        x_t = np.asarray(x_t)
        check_shape(x_t, ("B", self.input_size), "x_t", "CausalSelfAttention.step")
        y, state = self(x_t[:, None], state)
        return y[:, 0], state
