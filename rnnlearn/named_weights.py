"""Read and write the weights of the modern gated recurrences by name, in any of their twins.

``MinGRU``, ``MinLSTM``, ``RWKVTimeMix``, ``MLSTM``, ``RGLRU`` and ``QRNN`` have one name and one shape per
tensor in all three twins (see :mod:`rnnlearn.gated_layout`), so their weights can be read and written
as a plain ``{name: array}`` dictionary (to save them, or to set them by hand). Copying between twins
goes through ``rnnlearn.convert.copy_weights``, as for every model of the package:

>>> from rnnlearn.convert import copy_weights         # doctest: +SKIP
>>> copy_weights(torch_model, keras_model)             # doctest: +SKIP

Imports neither torch nor keras: it only touches the framework a model comes from.
"""

from __future__ import annotations

import sys

import numpy as np

__all__ = ["get_named_weights", "set_named_weights"]

def _framework(model) -> str:
    module = type(model).__module__
    for framework in ("numpy", "torch", "keras"):
        if module.startswith(f"rnnlearn.{framework}.") and hasattr(model, "param_shapes"):
            return framework
    raise ValueError(f"expected a MinGRU, MinLSTM, RWKVTimeMix, MLSTM, RGLRU or QRNN twin from rnnlearn.numpy, "
                     f"rnnlearn.torch or rnnlearn.keras, got {module}.{type(model).__name__}")


def get_named_weights(model) -> dict:
    """``{name: numpy array}`` (copies) of the model's weights, in the order of ``model.param_shapes()``."""
    framework = _framework(model)
    values = {}
    for name in model.param_shapes():
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
    expected = model.param_shapes()
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
