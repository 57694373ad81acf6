"""The temporal convolutional network's weights, dilations and buffers, shared by its three twins.

A TCN stacks L causal convolutions; layer l (counted from 0 in names, from 1 in equations) has dilation
2^l, so with kernel size k it reads its input at the current step and at the k - 1 steps spaced 2^l apart
before it. Its tensors, laid out as PyTorch's ``nn.Conv1d`` stores them:

==================  ================  ==========================================================
name                shape             meaning
==================  ================  ==========================================================
``weight_l{l}``     (H, D_l, k)       taps of layer l; tap k - 1 reads the current step
``bias_l{l}``       (H,)              bias of layer l
==================  ================  ==========================================================

D_0 is the input size D and D_l = H for l > 0. To run one step at a time, layer l keeps a buffer of its
last (k - 1) 2^l inputs: together those buffers are the TCN's state, and their size is fixed by the
receptive field, not by how long the stream has run. Framework-free: NumPy only.
"""

from __future__ import annotations

import numpy as np

from .checks import at_least, positive_int
from .layout import canonical_dtype, make_rng

__all__ = ["tcn_dilations", "tcn_param_shapes", "tcn_init_params", "tcn_buffer_lengths", "receptive_field",
           "check_tcn_args"]


def check_tcn_args(input_size, hidden_size, num_layers, kernel_size, where="TCN"):
    """Validate the constructor arguments shared by the three twins; return them as ints."""
    return (positive_int(input_size, "input_size", where), positive_int(hidden_size, "hidden_size", where),
            positive_int(num_layers, "num_layers", where),
            at_least(kernel_size, 2, "kernel_size", where, "a kernel of 1 sees no past"))


def tcn_dilations(num_layers: int) -> tuple:
    """Dilation of each layer: 1, 2, 4, ..., 2^(L-1)."""
    return tuple(2**layer for layer in range(num_layers))


def receptive_field(kernel_size: int, num_layers: int) -> int:
    """How many steps of input one output sees: 1 + (k - 1)(1 + 2 + ... + 2^(L-1)) = 1 + (k - 1)(2^L - 1)."""
    return 1 + (kernel_size - 1) * sum(tcn_dilations(num_layers))


def tcn_buffer_lengths(kernel_size: int, num_layers: int) -> tuple:
    """Steps of past input that layer l must keep to run one step at a time: (k - 1) 2^l."""
    return tuple((kernel_size - 1) * d for d in tcn_dilations(num_layers))


def tcn_param_shapes(input_size, hidden_size, num_layers, kernel_size, bias=True) -> dict:
    """Ordered ``{name: shape}`` of the TCN's tensors (no ``bias_l*`` when ``bias=False``)."""
    shapes = {}
    for layer in range(num_layers):
        d_in = input_size if layer == 0 else hidden_size
        shapes[f"weight_l{layer}"] = (hidden_size, d_in, kernel_size)
        if bias:
            shapes[f"bias_l{layer}"] = (hidden_size,)
    return shapes


def tcn_init_params(input_size, hidden_size, num_layers, kernel_size, bias=True, seed=None, dtype="float32") -> dict:
    """Initial values: uniform in (-1/sqrt(D_l k), 1/sqrt(D_l k)), the fan-in of each layer, as ``nn.Conv1d`` does.

    The same ``seed`` gives the same numbers to the NumPy, PyTorch and Keras twins.
    """
    rng = make_rng(seed)
    dtype = canonical_dtype(dtype, "TCN")
    params = {}
    for name, shape in tcn_param_shapes(input_size, hidden_size, num_layers, kernel_size, bias).items():
        layer = int(name.rsplit("_l", 1)[1])
        fan_in = (input_size if layer == 0 else hidden_size) * kernel_size
        bound = 1.0 / np.sqrt(fan_in)
        params[name] = rng.uniform(-bound, bound, size=shape).astype(dtype)
    return params
