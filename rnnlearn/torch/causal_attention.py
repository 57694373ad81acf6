"""Causal self-attention in PyTorch, with a KV cache (autograd does the backward pass)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..causal_attention_layout import self_attention_init_params, check_self_attention_args
from ..layout import canonical_dtype
from ..utils import check_shape

__all__ = ["CausalSelfAttention", "causal_attention"]


def causal_attention(q, k, v, num_heads):
    """Multi-head causal attention: u (B, T, H) from the queries q (B, T, H) of the last T of S positions
    and the keys and values k, v (B, S, H) of all S; query t sits at position S - T + t."""
    B, T, H = q.shape
    S = k.shape[1]
    heads = lambda a: a.reshape(B, a.shape[1], num_heads, H // num_heads).transpose(1, 2)  # noqa: E731  (B, N, len, d)
    mask = None
    if 1 < T < S:  # a chunk after a cache: query t sees positions 0 .. S - T + t
        mask = torch.arange(S, device=q.device)[None, :] <= torch.arange(S - T, S, device=q.device)[:, None]  # (T, S)
    u = F.scaled_dot_product_attention(heads(q), heads(k), heads(v), attn_mask=mask,
                                       is_causal=T == S and T > 1)  # (B, N, T, d); T == 1 sees everything
    return u.transpose(1, 2).reshape(B, T, H)  # heads side by side


class CausalSelfAttention(nn.Module):
    r"""Multi-head causal self-attention with a key-value (KV) cache, in PyTorch, batch-first.

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
        super().__init__()
        self.input_size, self.hidden_size, self.num_heads = check_self_attention_args(
            input_size, hidden_size, num_heads)
        self.bias = bool(bias)
        values = self_attention_init_params(input_size, hidden_size, self.bias, seed,
                                       canonical_dtype(dtype, "CausalSelfAttention"))
        for name, value in values.items():
            self.register_parameter(name, nn.Parameter(torch.from_numpy(np.ascontiguousarray(value))))

    def _linear(self, x, name):
        return F.linear(x, getattr(self, f"weight_{name}"), getattr(self, f"bias_{name}", None))

    def _check_state(self, state, B):
        p = self.weight_q
        if state is None:
            empty = torch.zeros(B, 0, self.hidden_size, dtype=p.dtype, device=p.device)
            return empty, empty
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            raise ValueError(f"CausalSelfAttention expected state to be a tuple (keys, values), got {type(state).__name__}")
        keys, values = (torch.as_tensor(s, dtype=p.dtype, device=p.device) for s in state)
        _, sym = check_shape(keys, (B, "P", self.hidden_size), "keys", "CausalSelfAttention")
        check_shape(values, (B, sym["P"], self.hidden_size), "values", "CausalSelfAttention")
        return keys, values

    def forward(self, x, state=None):
        p = self.weight_q
        x = torch.as_tensor(x, dtype=p.dtype, device=p.device)
        _, sym = check_shape(x, ("B", "T", self.input_size), "x", "CausalSelfAttention")
        old_keys, old_values = self._check_state(state, sym["B"])
        keys = torch.cat([old_keys, self._linear(x, "k")], 1)  # (B, S, H)
        values = torch.cat([old_values, self._linear(x, "v")], 1)  # (B, S, H)
        u = causal_attention(self._linear(x, "q"), keys, values, self.num_heads)  # (B, T, H)
        return self._linear(u, "o"), (keys, values)

    def step(self, x_t, state=None):
        """One position: ``y_t`` (B, H) from ``x_t`` (B, D), and the cache with this position's key and value appended."""
        p = self.weight_q
        x_t = torch.as_tensor(x_t, dtype=p.dtype, device=p.device)
        check_shape(x_t, ("B", self.input_size), "x_t", "CausalSelfAttention.step")
        y, state = self.forward(x_t.unsqueeze(1), state)
        return y[:, 0], state
