"""The Jordan network's weights: names, shapes and initial values, shared by its three twins.

A Jordan network feeds its previous *output* ``y_{t-1}`` back into the hidden layer, where an Elman
network feeds back the previous hidden state ``h_{t-1}``. Its tensors (the twins' attribute names):

================  ==========  ======================================
name              shape       meaning
================  ==========  ======================================
``weight_ih``     (H, D)      input to hidden
``weight_yh``     (H, O)      previous output to hidden (the feedback)
``weight_hy``     (O, H)      hidden to output
``bias_ih``       (H,)        input bias
``bias_yh``       (H,)        feedback bias (only ``bias_ih + bias_yh`` matters)
``bias_hy``       (O,)        output bias
================  ==========  ======================================

Framework-free: NumPy only, so ``import rnnlearn`` stays light.
"""

from __future__ import annotations

import numpy as np

from .checks import positive_int
from .layout import canonical_dtype, make_rng

__all__ = ["JORDAN_WEIGHTS", "JORDAN_ACTIVATIONS", "jordan_param_shapes", "jordan_init_params", "check_jordan_args"]

JORDAN_WEIGHTS = ("weight_ih", "weight_yh", "weight_hy", "bias_ih", "bias_yh", "bias_hy")
JORDAN_ACTIVATIONS = ("tanh", "sigmoid", "linear")


def check_jordan_args(input_size, hidden_size, output_size, output_activation, where="JordanRNN"):
    """Validate the constructor arguments shared by the three twins; return the sizes as ints."""
    sizes = [positive_int(value, name, where)
             for name, value in (("input_size", input_size), ("hidden_size", hidden_size), ("output_size", output_size))]
    if output_activation not in JORDAN_ACTIVATIONS:
        raise ValueError(f"{where}: output_activation must be one of {JORDAN_ACTIVATIONS}, got {output_activation!r}")
    return tuple(sizes)


def jordan_param_shapes(input_size: int, hidden_size: int, output_size: int, bias: bool = True) -> dict:
    """Ordered ``{name: shape}`` of a Jordan network's tensors (no ``bias_*`` when ``bias=False``)."""
    D, H, O = input_size, hidden_size, output_size
    shapes = {"weight_ih": (H, D), "weight_yh": (H, O), "weight_hy": (O, H)}
    if bias:
        shapes.update({"bias_ih": (H,), "bias_yh": (H,), "bias_hy": (O,)})
    return shapes


def jordan_init_params(input_size, hidden_size, output_size, bias=True, seed=None, dtype="float32") -> dict:
    """Initial values: every tensor uniform in (-1/sqrt(H), 1/sqrt(H)), as for the Elman RNN.

    The same ``seed`` gives the same numbers to the NumPy, PyTorch and Keras twins.
    """
    rng = make_rng(seed)
    dtype = canonical_dtype(dtype, "JordanRNN")
    bound = 1.0 / np.sqrt(hidden_size)
    return {name: rng.uniform(-bound, bound, size=shape).astype(dtype)
            for name, shape in jordan_param_shapes(input_size, hidden_size, output_size, bias).items()}
