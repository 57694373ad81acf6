"""Additive and multiplicative attention in Keras 3 (``keras.ops`` only, any backend)."""

from __future__ import annotations

import keras
from keras import ops

from ..attention_layout import attention_init_params, check_attention_args, check_attention_inputs
from ..layout import canonical_dtype
from ._base import matmul

__all__ = ["AdditiveAttention", "MultiplicativeAttention", "additive_scores", "multiplicative_scores", "attend"]


def additive_scores(query, keys, weight_query, weight_key, weight_v):
    """Scores e (B, T) of keys (B, T, K) for a query (B, Q): v^T tanh(W_q q + W_k h_j)."""
    projected_query = matmul(query, ops.transpose(weight_query))  # (B, A)
    projected_keys = matmul(keys, ops.transpose(weight_key))  # (B, T, A)
    hidden = ops.tanh(ops.expand_dims(projected_query, 1) + projected_keys)  # (B, T, A)
    return ops.squeeze(matmul(hidden, ops.expand_dims(weight_v, 1)), -1)  # (B, T)


def multiplicative_scores(query, keys, weight):
    """Scores e (B, T) of keys (B, T, K) for a query (B, Q): q^T W_a h_j."""
    projected = matmul(query, weight)  # (B, K): q^T W_a, once for all keys
    return ops.einsum("bk,btk->bt", projected, keys)  # (B, T)


def attend(scores, keys, lengths=None):
    """Softmax of the scores (B, T) over the keys, then the average of the keys (B, T, K)."""
    if lengths is not None:
        positions = ops.arange(ops.shape(keys)[1])  # (T,)
        valid = positions[None, :] < ops.cast(lengths, "int32")[:, None]  # (B, T)
        scores = ops.where(valid, scores, float("-inf"))  # padding: weight exp(-inf) = 0
    weights = ops.softmax(scores, axis=1)  # (B, T)
    return ops.einsum("bt,btk->bk", weights, keys), weights  # (B, K), (B, T)


class _Attention(keras.layers.Layer):
    """Weights, dtype, config and input checks shared by the two score functions."""

    kind = ""

    def _setup(self, query_size, key_size, attention_size, dtype, seed):
        sizes = check_attention_args(self.kind, query_size, key_size, attention_size)
        self.query_size, self.key_size = sizes[:2]
        self.attention_size = sizes[2] if self.kind == "additive" else None
        self._init_config = dict(query_size=query_size, key_size=key_size, dtype=dtype)
        if self.kind == "additive":
            self._init_config["attention_size"] = attention_size
        for name, value in attention_init_params(self.kind, query_size, key_size, attention_size, seed, dtype).items():
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

    def call(self, query, keys, lengths=None):
        query = ops.convert_to_tensor(query, dtype=self.compute_dtype)
        keys = ops.convert_to_tensor(keys, dtype=self.compute_dtype)
        lengths = None if lengths is None else ops.convert_to_tensor(lengths)
        check_attention_inputs(query, keys, lengths, self.query_size, self.key_size, type(self).__name__)
        return attend(self.scores(query, keys), keys, lengths)

    def compute_output_spec(self, query, keys, lengths=None):
        B, T = keys.shape[0], keys.shape[1]
        return (keras.KerasTensor((B, self.key_size), dtype=self.compute_dtype),
                keras.KerasTensor((B, T), dtype=self.compute_dtype))


class AdditiveAttention(_Attention):
    """Additive (Bahdanau) attention, in Keras: a small network scores each key against the query.

    Parameters
    ----------
    query_size : int
        Q, the size of the query (in chapter 12, the decoder state).
    key_size : int
        K, the size of each key (an encoder state); the context has this size too.
    attention_size : int
        A, the width of the score network's hidden layer.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T keys (source steps), Q query size, K key size, A attention size.

    - ``query``: (B, Q); ``keys``: (B, T, K); ``lengths``: None or integers (B,) in [1, T]: only the
      first ``lengths[b]`` keys of row b count, the others are padding and get weight 0.
    - returns ``context`` (B, K), the weighted average of the keys, and ``weights`` (B, T), which sum to 1.
    - ``weight_query`` (A, Q), ``weight_key`` (A, K), ``weight_v`` (A,).

    Notes
    -----
    .. math::

        e_j = v^\\top \\tanh(W_q q + W_k h_j), \\qquad
        \\alpha_j = \\frac{\\exp e_j}{\\sum_{j'} \\exp e_{j'}}, \\qquad
        a = \\sum_{j=1}^{T} \\alpha_j h_j

    q is the query, h_1, ..., h_T are the keys and a is the context; a padding key has e_j = -inf.

    References
    ----------
    Bahdanau, Cho and Bengio (2015), Neural machine translation by jointly learning to align and
    translate. Book chapter: sequence to sequence with attention.
    """

    kind = "additive"

    def __init__(self, query_size, key_size, *, attention_size, dtype="float32", seed=None, **kwargs):
        dtype = canonical_dtype(dtype, "AdditiveAttention")
        super().__init__(dtype=dtype, **kwargs)
        self._setup(query_size, key_size, attention_size, dtype, seed)

    def scores(self, query, keys):
        return additive_scores(query, keys, self.weight_query, self.weight_key, self.weight_v)


class MultiplicativeAttention(_Attention):
    """Multiplicative (Luong "general") attention, in Keras: a bilinear form scores each key against the query.

    Parameters
    ----------
    query_size : int
        Q, the size of the query (in chapter 12, the decoder state).
    key_size : int
        K, the size of each key (an encoder state); the context has this size too.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T keys (source steps), Q query size, K key size.

    - ``query``: (B, Q); ``keys``: (B, T, K); ``lengths``: None or integers (B,) in [1, T]: only the
      first ``lengths[b]`` keys of row b count, the others are padding and get weight 0.
    - returns ``context`` (B, K), the weighted average of the keys, and ``weights`` (B, T), which sum to 1.
    - ``weight`` (Q, K).

    Notes
    -----
    .. math::

        e_j = q^\\top W_a h_j, \\qquad
        \\alpha_j = \\frac{\\exp e_j}{\\sum_{j'} \\exp e_{j'}}, \\qquad
        a = \\sum_{j=1}^{T} \\alpha_j h_j

    q is the query, h_1, ..., h_T are the keys and a is the context; a padding key has e_j = -inf.
    With Q = K and W_a the identity this is Luong's "dot" score.

    References
    ----------
    Luong, Pham and Manning (2015), Effective approaches to attention-based neural machine translation
    (the "general" score). Book chapter: sequence to sequence with attention.
    """

    kind = "multiplicative"

    def __init__(self, query_size, key_size, *, dtype="float32", seed=None, **kwargs):
        dtype = canonical_dtype(dtype, "MultiplicativeAttention")
        super().__init__(dtype=dtype, **kwargs)
        self._setup(query_size, key_size, None, dtype, seed)

    def scores(self, query, keys):
        return multiplicative_scores(query, keys, self.weight)
