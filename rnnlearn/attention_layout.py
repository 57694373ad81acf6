"""The attention modules' weights and arguments, shared by their three twins (chapter 12).

An attention module scores each of T keys ``h_j`` (encoder states) against one query ``q`` (a decoder
state), turns the scores into weights with a softmax, and returns the weighted average of the keys.
The two score functions differ in their tensors (the twins' attribute names, shapes and symbols):

- ``AdditiveAttention``: ``weight_query`` (A, Q), W_q, projects the query; ``weight_key`` (A, K), W_k,
  projects each key; ``weight_v`` (A,), v, turns ``tanh(W_q q + W_k h_j)`` into one score.
- ``MultiplicativeAttention``: ``weight`` (Q, K), W_a, the bilinear form ``q^T W_a h_j``.

Q is the query size, K the key size, A the attention size. The matrices act on column vectors, as in
``torch.nn.Linear``: code on a batch of rows computes ``query @ weight_query.T``.

Framework-free: NumPy only, so ``import rnnlearn`` stays light.
"""

from __future__ import annotations

import numpy as np

from .checks import positive_int
from .layout import canonical_dtype, make_rng
from .utils import check_shape

__all__ = ["ATTENTION_KINDS", "attention_param_shapes", "attention_init_params", "check_attention_args",
           "check_attention_inputs"]

ATTENTION_KINDS = ("additive", "multiplicative")
_CLASS_NAMES = {"additive": "AdditiveAttention", "multiplicative": "MultiplicativeAttention"}


def check_attention_args(kind, query_size, key_size, attention_size=None):
    """Validate the constructor arguments shared by the three twins; return the sizes as ints."""
    where = _CLASS_NAMES[kind]
    sizes = (positive_int(query_size, "query_size", where), positive_int(key_size, "key_size", where))
    if kind == "additive":
        return sizes + (positive_int(attention_size, "attention_size", where),)
    return sizes


def attention_param_shapes(kind: str, query_size: int, key_size: int, attention_size: int | None = None) -> dict:
    """Ordered ``{name: shape}`` of an attention module's tensors, in the layout the twins share."""
    Q, K, A = query_size, key_size, attention_size
    if kind == "additive":
        return {"weight_query": (A, Q), "weight_key": (A, K), "weight_v": (A,)}
    if kind == "multiplicative":
        return {"weight": (Q, K)}
    raise ValueError(f"attention kind must be one of {ATTENTION_KINDS}, got {kind!r}")


def attention_init_params(kind, query_size, key_size, attention_size=None, seed=None, dtype="float32") -> dict:
    """Initial values, uniform in (-1/sqrt(n), 1/sqrt(n)) with n the size of the vector each matrix reads.

    That is ``torch.nn.Linear``'s default: n = Q for ``weight_query``, K for ``weight_key`` and ``weight``,
    A for ``weight_v``. The same ``seed`` gives the same numbers to the NumPy, PyTorch and Keras twins.
    """
    rng = make_rng(seed)
    dtype = canonical_dtype(dtype, _CLASS_NAMES.get(kind, "attention"))
    fan_in = {"weight_query": query_size, "weight_key": key_size, "weight_v": attention_size, "weight": key_size}
    params = {}
    for name, shape in attention_param_shapes(kind, query_size, key_size, attention_size).items():
        bound = 1.0 / np.sqrt(fan_in[name])
        params[name] = rng.uniform(-bound, bound, size=shape).astype(dtype)
    return params


def check_attention_inputs(query, keys, lengths, query_size, key_size, where):
    """Check the shapes of ``query`` (B, Q), ``keys`` (B, T, K) and ``lengths`` (B,); return ``(B, T)``.

    ``lengths`` may be None; otherwise every entry must be an integer in [1, T]. The checks read only
    shapes, dtypes and (for ``lengths``) values, so they work on NumPy, PyTorch and Keras tensors.
    Under ``jit_compile`` the values of ``lengths`` are not available and are not checked.
    """
    _, sym = check_shape(query, ("B", query_size), "query", where)
    B = sym.get("B")
    _, sym_keys = check_shape(keys, (B, "T", key_size), "keys", where)
    T = sym_keys.get("T")
    if lengths is not None:
        check_shape(lengths, (B,), "lengths", where)
        if "float" in str(lengths.dtype) or "bool" in str(lengths.dtype):
            raise ValueError(f"{where} expected integer lengths, got dtype {lengths.dtype}")
        try:
            values = np.asarray(lengths.detach().cpu() if hasattr(lengths, "detach") else lengths)
        except Exception:  # a symbolic tensor: values unknown until run time
            values = None
        if values is not None and values.dtype != object and values.size and T is not None \
                and (values.min() < 1 or values.max() > T):
            raise ValueError(f"{where} expected lengths to be integers in [1, {T}], got {values.tolist()}")
    return B, T
