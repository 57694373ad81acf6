"""Additive and multiplicative attention in NumPy: the forward pass the PyTorch and Keras twins are checked against."""

from __future__ import annotations

import numpy as np

from ..attention_layout import attention_init_params, check_attention_args, check_attention_inputs
from ..layout import canonical_dtype

__all__ = ["AdditiveAttention", "MultiplicativeAttention", "additive_scores", "multiplicative_scores", "attend"]


def additive_scores(query, keys, weight_query, weight_key, weight_v):
    """Scores e (B, T) of keys (B, T, K) for a query (B, Q): v^T tanh(W_q q + W_k h_j)."""
    projected_query = query @ weight_query.T  # (B, A)
    hidden = np.tanh(projected_query[:, None, :] + keys @ weight_key.T)  # (B, T, A)
    return hidden @ weight_v  # (B, T)


def multiplicative_scores(query, keys, weight):
    """Scores e (B, T) of keys (B, T, K) for a query (B, Q): q^T W_a h_j."""
    projected = query @ weight  # (B, K): q^T W_a, once for all keys
    return np.einsum("bk,btk->bt", projected, keys)  # (B, T)


def attend(scores, keys, lengths=None):
    """Softmax of the scores (B, T) over the keys, then the average of the keys (B, T, K)."""
    if lengths is not None:
        positions = np.arange(keys.shape[1])  # (T,)
        valid = positions[None, :] < np.asarray(lengths)[:, None]  # (B, T)
        scores = np.where(valid, scores, -np.inf)  # padding: weight exp(-inf) = 0
    scores = scores - scores.max(axis=1, keepdims=True)  # same softmax, no overflow
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=1, keepdims=True)  # (B, T)
    return np.einsum("bt,btk->bk", weights, keys), weights  # (B, K), (B, T)


class _Attention:
    """Parameters, dtype and input checks shared by the two score functions."""

    kind = ""

    def __getattr__(self, name):  # attention.weight_query, ...
        params = self.__dict__.get("params", {})
        if name in params:
            return params[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def _setup(self, query_size, key_size, attention_size, dtype, seed):
        sizes = check_attention_args(self.kind, query_size, key_size, attention_size)
        self.query_size, self.key_size = sizes[:2]
        self.attention_size = sizes[2] if self.kind == "additive" else None
        self.dtype = canonical_dtype(dtype, type(self).__name__)
        self.params = attention_init_params(self.kind, query_size, key_size, attention_size, seed, self.dtype)

    def __call__(self, query, keys, lengths=None):
        query, keys = np.asarray(query), np.asarray(keys)
        lengths = None if lengths is None else np.asarray(lengths)
        check_attention_inputs(query, keys, lengths, self.query_size, self.key_size, type(self).__name__)
        query, keys = query.astype(self.dtype, copy=False), keys.astype(self.dtype, copy=False)
        return attend(self.scores(query, keys), keys, lengths)


class AdditiveAttention(_Attention):
    """Additive (Bahdanau) attention, in NumPy: a small network scores each key against the query.

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

    def __init__(self, query_size, key_size, *, attention_size, dtype="float32", seed=None):
        self._setup(query_size, key_size, attention_size, dtype, seed)

    def scores(self, query, keys):
        return additive_scores(query, keys, self.weight_query, self.weight_key, self.weight_v)


class MultiplicativeAttention(_Attention):
    """Multiplicative (Luong "general") attention, in NumPy: a bilinear form scores each key against the query.

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

    def __init__(self, query_size, key_size, *, dtype="float32", seed=None):
        self._setup(query_size, key_size, None, dtype, seed)

    def scores(self, query, keys):
        return multiplicative_scores(query, keys, self.weight)
