"""Causal self-attention's weights: names, shapes and initial values, shared by its three twins.

The layer projects each input vector to a query, a key and a value of H numbers each, lets every position
attend to itself and to the positions before it, and projects the result back. Its tensors (the twins'
attribute names), laid out as PyTorch's ``nn.Linear`` stores them (``y = x W^T + b``):

================  ==========  ==========================================
name              shape       meaning
================  ==========  ==========================================
``weight_q``      (H, D)      queries from the inputs
``weight_k``      (H, D)      keys from the inputs
``weight_v``      (H, D)      values from the inputs
``weight_o``      (H, H)      output projection of the heads, concatenated
``bias_q``        (H,)        (and ``bias_k``, ``bias_v``: the same shape)
``bias_o``        (H,)        output bias
================  ==========  ==========================================

With ``num_heads`` heads, each head reads its own block of d = H / num_heads consecutive entries of the
queries, keys and values. Framework-free: NumPy only, so ``import rnnlearn`` stays light.
"""

from __future__ import annotations

import numpy as np

from .checks import positive_int
from .layout import canonical_dtype, make_rng

__all__ = ["SELF_ATTENTION_WEIGHTS", "self_attention_param_shapes", "self_attention_init_params",
           "check_self_attention_args", "kv_cache_shape"]

SELF_ATTENTION_WEIGHTS = ("weight_q", "weight_k", "weight_v", "weight_o", "bias_q", "bias_k", "bias_v", "bias_o")


def check_self_attention_args(input_size, hidden_size, num_heads, where="CausalSelfAttention"):
    """Validate the constructor arguments shared by the three twins; return ``(D, H, num_heads)`` as ints."""
    D = positive_int(input_size, "input_size", where)
    H = positive_int(hidden_size, "hidden_size", where)
    heads = positive_int(num_heads, "num_heads", where)
    if H % heads:
        raise ValueError(f"{where}: hidden_size must be a multiple of num_heads, got hidden_size={H} "
                         f"and num_heads={heads}")
    return D, H, heads


def self_attention_param_shapes(input_size: int, hidden_size: int, bias: bool = True) -> dict:
    """Ordered ``{name: shape}`` of the layer's tensors (no ``bias_*`` when ``bias=False``)."""
    D, H = input_size, hidden_size
    shapes = {"weight_q": (H, D), "weight_k": (H, D), "weight_v": (H, D), "weight_o": (H, H)}
    if bias:
        shapes.update({"bias_q": (H,), "bias_k": (H,), "bias_v": (H,), "bias_o": (H,)})
    return shapes


def self_attention_init_params(input_size, hidden_size, bias=True, seed=None, dtype="float32") -> dict:
    """Initial values: each tensor uniform in (-1/sqrt(n), 1/sqrt(n)), n the fan-in of its projection
    (D for the query, key and value, H for the output), as ``torch.nn.Linear`` does.

    The same ``seed`` gives the same numbers to the NumPy, PyTorch and Keras twins.
    """
    rng = make_rng(seed)
    dtype = canonical_dtype(dtype, "CausalSelfAttention")
    params = {}
    for name, shape in self_attention_param_shapes(input_size, hidden_size, bias).items():
        fan_in = hidden_size if name.endswith("_o") else input_size
        bound = 1.0 / np.sqrt(fan_in)
        params[name] = rng.uniform(-bound, bound, size=shape).astype(dtype)
    return params


def kv_cache_shape(batch_size: int, context: int, hidden_size: int) -> tuple:
    """Shape of each of the two tensors of a KV cache after ``context`` positions: (B, T, H)."""
    return (batch_size, context, hidden_size)
