"""Read, write and copy the weights of the modern gated recurrences by name, across their twins.

``rnnlearn.convert.copy_weights`` handles RNN, LSTM and GRU, whose layouts differ between PyTorch
and Keras. ``MinGRU``, ``MinLSTM``, ``RWKVTimeMix``, ``MLSTM`` and ``RGLRU`` have one name and one
shape per tensor in all three twins (see :mod:`rnnlearn.gated_layout`), so copying is by name:

>>> from rnnlearn.named_weights import copy_named_weights   # doctest: +SKIP
>>> copy_named_weights(torch_model, keras_model)             # doctest: +SKIP

Imports neither torch nor keras: it only touches the framework a model comes from.
"""

from __future__ import annotations

import sys

import numpy as np

__all__ = ["get_named_weights", "set_named_weights", "copy_named_weights"]

# Constructor arguments that change the function a model computes (``method`` does not: it only
# chooses the algorithm of the parallel form).
_FUNCTION_ARGS = ("forget_gate", "c")


def _framework(model) -> str:
    module = type(model).__module__
    for framework in ("numpy", "torch", "keras"):
        if module.startswith(f"rnnlearn.{framework}.") and hasattr(model, "param_shapes"):
            return framework
    raise ValueError(f"expected a MinGRU, MinLSTM, RWKVTimeMix, MLSTM, RGLRU or QRNN twin from rnnlearn.numpy, "
                     f"rnnlearn.torch or rnnlearn.keras, got {module}.{type(model).__name__}")


def get_named_weights(model) -> dict:
    """``{name: numpy array}`` (copies) of the model's weights, in the order of ``model.param_shapes``."""
    framework = _framework(model)
    values = {}
    for name in model.param_shapes:
        value = getattr(model, name)
        if framework == "torch":
            value = value.detach().cpu().numpy()
        elif framework == "keras":
            value = sys.modules["keras"].ops.convert_to_numpy(value)
        values[name] = np.array(value)
    return values


def set_named_weights(model, values):
    """Write ``{name: array}`` into the model (cast to its dtype); every weight must be given, with its shape."""
    framework = _framework(model)
    where = type(model).__name__
    expected = model.param_shapes
    missing, unexpected = sorted(set(expected) - set(values)), sorted(set(values) - set(expected))
    if missing or unexpected:
        raise ValueError(f"{where}: weights do not match; missing {missing}, unexpected {unexpected}")
    for name, shape in expected.items():
        if tuple(np.shape(values[name])) != tuple(shape):
            raise ValueError(f"{where} expected {name} of shape {tuple(shape)}, got {tuple(np.shape(values[name]))}")
    for name in expected:
        target, value = getattr(model, name), np.asarray(values[name])
        if framework == "numpy":
            model.params[name] = value.astype(model.dtype)
        elif framework == "torch":
            torch = sys.modules["torch"]
            with torch.no_grad():
                target.copy_(torch.as_tensor(value, dtype=target.dtype))
        else:
            target.assign(value.astype(target.dtype))
    return model


def copy_named_weights(src, dst):
    """Copy the weights of ``src`` into ``dst`` (same class and sizes, any two twins); returns ``dst``."""
    if type(src).__name__ != type(dst).__name__:
        raise ValueError(f"copy_named_weights: cannot copy a {type(src).__name__} into a {type(dst).__name__}")
    for arg in _FUNCTION_ARGS:
        if getattr(src, arg, None) != getattr(dst, arg, None):
            raise ValueError(f"copy_named_weights: {type(src).__name__} {arg} differs "
                             f"({getattr(src, arg, None)!r} vs {getattr(dst, arg, None)!r})")
    return set_named_weights(dst, get_named_weights(src))
