"""Causal self-attention in Keras 3 (``keras.ops`` only, any backend), with a KV cache."""

from __future__ import annotations

import math

import keras
from keras import ops

from ..causal_attention_layout import self_attention_init_params, check_self_attention_args
from ..layout import canonical_dtype
from ..utils import check_shape
from ._base import matmul

__all__ = ["CausalSelfAttention", "causal_attention"]


def _split_heads(a, num_heads):
    """(B, S, H) -> (B, N, S, d)."""
    S, H = a.shape[1], a.shape[2]
    return ops.transpose(ops.reshape(a, (-1, S, num_heads, H // num_heads)), (0, 2, 1, 3))


def causal_attention(q, k, v, num_heads):
    """Multi-head causal attention: u (B, T, H) from the queries q (B, T, H) of the last T of S positions
    and the keys and values k, v (B, S, H) of all S; query t sits at position S - T + t."""
    T, H, S = q.shape[1], q.shape[2], k.shape[1]
    scores = ops.einsum("bntd,bnsd->bnts", _split_heads(q, num_heads), _split_heads(k, num_heads))
    scores = scores / math.sqrt(H // num_heads)  # (B, N, T, S)
    visible = ops.arange(S)[None, :] <= ops.arange(S - T, S)[:, None]  # (T, S): the causal mask
    scores = ops.where(visible, scores, ops.full_like(scores, -math.inf))
    e = ops.exp(scores - ops.max(scores, axis=-1, keepdims=True))
    weights = e / ops.sum(e, axis=-1, keepdims=True)  # softmax over the visible positions
    u = ops.einsum("bnts,bnsd->bntd", weights, _split_heads(v, num_heads))  # (B, N, T, d)
    return ops.reshape(ops.transpose(u, (0, 2, 1, 3)), (-1, T, H))  # heads side by side


class CausalSelfAttention(keras.layers.Layer):
    r"""Multi-head causal self-attention with a key-value (KV) cache, in Keras, batch-first.

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

    def __init__(self, input_size, hidden_size, *, num_heads=1, bias=True, dtype="float32", seed=None, **kwargs):
        dtype = canonical_dtype(dtype, "CausalSelfAttention")
        super().__init__(dtype=dtype, **kwargs)
        self.input_size, self.hidden_size, self.num_heads = check_self_attention_args(
            input_size, hidden_size, num_heads)
        self.bias = bool(bias)
        self._init_config = dict(input_size=input_size, hidden_size=hidden_size, num_heads=num_heads, bias=bias,
                                 dtype=dtype)
        for name, value in self_attention_init_params(input_size, hidden_size, self.bias, seed, dtype).items():
            weight = self.add_weight(name=name, shape=value.shape, initializer="zeros", dtype=dtype)
            weight.assign(value)
            setattr(self, name, weight)
        self.built = True

    def get_config(self):
        return {**super().get_config(), **self._init_config}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("name", "trainable"):
            config.pop(key, None)
        return cls(**config)

    def _linear(self, x, name):
        y = matmul(x, ops.transpose(getattr(self, f"weight_{name}")))
        return y + getattr(self, f"bias_{name}") if self.bias else y

    def _check_state(self, state, x):
        B = x.shape[0]
        if state is None:
            empty = ops.zeros((ops.shape(x)[0], 0, self.hidden_size), dtype=self.compute_dtype)
            return empty, empty
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            raise ValueError(f"CausalSelfAttention expected state to be a tuple (keys, values), got {type(state).__name__}")
        keys, values = (ops.convert_to_tensor(s, dtype=self.compute_dtype) for s in state)
        _, sym = check_shape(keys, (B, "P", self.hidden_size), "keys", "CausalSelfAttention")
        check_shape(values, (B, sym.get("P"), self.hidden_size), "values", "CausalSelfAttention")
        return keys, values

    def call(self, x, state=None):
        x = ops.convert_to_tensor(x, dtype=self.compute_dtype)
        check_shape(x, ("B", "T", self.input_size), "x", "CausalSelfAttention")
        if not isinstance(x.shape[1], int):
            raise ValueError("CausalSelfAttention (Keras) needs a known number of time steps T, got None")
        old_keys, old_values = self._check_state(state, x)
        keys = ops.concatenate([old_keys, self._linear(x, "k")], axis=1)  # (B, S, H)
        values = ops.concatenate([old_values, self._linear(x, "v")], axis=1)  # (B, S, H)
        u = causal_attention(self._linear(x, "q"), keys, values, self.num_heads)  # (B, T, H)
        return self._linear(u, "o"), (keys, values)

    def step(self, x_t, state=None):
        """One position: ``y_t`` (B, H) from ``x_t`` (B, D), and the cache with this position's key and value appended."""
        x_t = ops.convert_to_tensor(x_t, dtype=self.compute_dtype)
        check_shape(x_t, ("B", self.input_size), "x_t", "CausalSelfAttention.step")
        y, state = self(ops.expand_dims(x_t, 1), state)
        return y[:, 0], state

    def compute_output_spec(self, x, state=None):
        B, T = x.shape[0], x.shape[1]
        P = 0 if state is None else state[0].shape[1]
        S = None if T is None or P is None else P + T
        cache = keras.KerasTensor((B, S, self.hidden_size), dtype=self.compute_dtype)
        return keras.KerasTensor((B, T, self.hidden_size), dtype=self.compute_dtype), (cache, cache)
