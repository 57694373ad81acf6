"""Copy weights between the twins and the built-in layers of PyTorch and Keras.

``copy_weights(src, dst)`` reads ``src`` into the neutral layout of :mod:`rnnlearn.layout`
(PyTorch's names, shapes and gate order), checks that ``dst`` describes the same model, and writes.
Supported on either side:

- the twins ``rnnlearn.{numpy,torch,keras}.{RNN,LSTM,GRU}`` and their cells;
- ``torch.nn.RNN``, ``LSTM``, ``GRU`` (any ``num_layers``, bidirectional) and ``torch.nn.RNNCell``, ``LSTMCell``, ``GRUCell``;
- ``keras.layers.SimpleRNN``, ``LSTM``, ``GRU``, a ``keras.layers.Bidirectional`` wrapping one, or a list
  of those (a stack: element l is layer l);
- the whole models ``rnnlearn.{numpy,torch,keras}.CharLSTM`` and ``Forecaster``, between twins of the same
  model (their names: :mod:`rnnlearn.model_layout`).
- between the twins of any layer with a ``param_shapes()`` method (``LinearAttention``, ``S4D``, ``LRU``,
  ``SelectiveSSM``, ``MinGRU``, ``MinLSTM``, ``RWKVTimeMix``, ``MLSTM``, ``RGLRU``, ...): weights are matched by
  name, and both sides must be the same class with the same shapes and variant.

This module imports neither torch nor keras: it only touches the framework an object comes from,
which is already imported if such an object exists.
"""

from __future__ import annotations

import sys

import numpy as np

from .layout import Spec, from_keras, param_names, param_shapes, to_keras
from .model_layout import lstm_prefix

__all__ = ["copy_weights", "read_weights"]

_KIND_NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
_TORCH_KINDS = {"RNN": "rnn", "LSTM": "lstm", "GRU": "gru", "RNNCell": "rnn", "LSTMCell": "lstm", "GRUCell": "gru"}
_KERAS_KINDS = {"SimpleRNN": "rnn", "LSTM": "lstm", "GRU": "gru"}
_WHOLE_MODELS = ("CharLSTM", "Forecaster")
# Constructor arguments of the named-weights layers that change the function computed with the same
# weights (``method`` does not: it only chooses the algorithm of the parallel form).
_FUNCTION_ARGS = ("forget_gate", "c")


def _origin(obj) -> str:
    """``"twin"``, ``"torch"``, ``"keras"`` or ``"keras-stack"``, from where the object's class is defined."""
    if isinstance(obj, (list, tuple)):
        if obj and all(_origin(o) == "keras" for o in obj):
            return "keras-stack"
        return "unknown"
    module = type(obj).__module__
    if module.startswith(("rnnlearn.numpy", "rnnlearn.torch", "rnnlearn.keras")) and hasattr(obj, "spec"):
        return "twin"
    if module.startswith(("rnnlearn.numpy", "rnnlearn.torch", "rnnlearn.keras")) and type(obj).__name__ in _WHOLE_MODELS:
        return "whole"
    if module.startswith(("rnnlearn.numpy", "rnnlearn.torch", "rnnlearn.keras")) and hasattr(obj, "param_shapes"):
        return "named"
    if module.startswith("torch.") and type(obj).__name__ in _TORCH_KINDS:
        return "torch"
    if module.startswith("keras.") and (type(obj).__name__ in _KERAS_KINDS or type(obj).__name__ == "Bidirectional"):
        return "keras"
    return "unknown"


def _describe(obj) -> str:
    if isinstance(obj, (list, tuple)):
        return "[" + ", ".join(_describe(o) for o in obj) + "]"
    module, name = type(obj).__module__, type(obj).__name__
    if module.startswith("rnnlearn."):
        return ".".join(module.split(".")[:2]) + "." + name
    if module.startswith("torch."):
        return "torch.nn." + name
    if module.startswith("keras."):
        inner = f"({_describe(obj.forward_layer)})" if name == "Bidirectional" else ""
        return "keras.layers." + name + inner
    return f"{module}.{name}"


# --- twins -----------------------------------------------------------------------------------------

def _twin_framework(obj) -> str:
    return type(obj).__module__.split(".")[1]


def _read_twin(obj):
    framework = _twin_framework(obj)
    named = _origin(obj) == "named"
    names = obj.param_shapes() if named else param_shapes(obj.spec)
    if framework == "numpy":
        values = {n: np.array(obj.params[n]) for n in names}
    elif framework == "torch":
        values = {n: getattr(obj, n).detach().cpu().numpy().copy() for n in names}
    else:
        keras = sys.modules["keras"]
        values = {n: np.array(keras.ops.convert_to_numpy(getattr(obj, n))) for n in names}
    return (type(obj).__name__ if named else obj.spec), values


def _write_twin(obj, values):
    framework = _twin_framework(obj)
    if framework == "numpy":
        for n, v in values.items():
            obj.params[n] = np.array(v, dtype=obj.dtype)
    elif framework == "torch":
        torch = sys.modules["torch"]
        with torch.no_grad():
            for n, v in values.items():
                param = getattr(obj, n)
                param.copy_(torch.as_tensor(np.asarray(v), dtype=param.dtype))
    else:
        for n, v in values.items():
            variable = getattr(obj, n)
            variable.assign(np.asarray(v, dtype=variable.dtype))


# --- whole models: CharLSTM and Forecaster ---------------------------------------------------------

def _to_numpy(value):
    if hasattr(value, "detach"):  # a torch tensor, or a Keras variable under the torch backend
        return value.detach().cpu().numpy().copy()
    keras = sys.modules.get("keras")
    if keras is not None and not isinstance(value, np.ndarray):
        value = keras.ops.convert_to_numpy(value)
    return np.array(value)


def _read_whole(obj):
    """``(the LSTM's spec, {neutral name: array})``: embedding (CharLSTM), ``lstm.*``, head."""
    framework = _twin_framework(obj)
    values = {}
    if framework == "numpy":
        extras = {name: np.array(value) for name, value in obj.params.items()}
    elif framework == "torch":
        extras = {name: _to_numpy(p) for name, p in obj.named_parameters() if not name.startswith(lstm_prefix)}
    else:
        extras = {"head.weight": _to_numpy(obj.head.kernel).T, "head.bias": _to_numpy(obj.head.bias)}
        if hasattr(obj, "embed"):
            extras["embed.weight"] = _to_numpy(obj.embed.embeddings)
    if "embed.weight" in extras:
        values["embed.weight"] = extras.pop("embed.weight")
    spec, lstm = _read_twin(obj.lstm)
    values.update({lstm_prefix + name: value for name, value in lstm.items()})
    values.update(extras)  # head.weight, head.bias
    return spec, values


def _write_whole(obj, values):
    _write_twin(obj.lstm, {name[len(lstm_prefix):]: v for name, v in values.items() if name.startswith(lstm_prefix)})
    extras = {name: v for name, v in values.items() if not name.startswith(lstm_prefix)}
    framework = _twin_framework(obj)
    if framework == "numpy":
        for name, value in extras.items():
            obj.params[name] = np.array(value, dtype=obj.lstm.dtype)
    elif framework == "torch":
        torch = sys.modules["torch"]
        with torch.no_grad():
            for name, value in extras.items():
                param = obj.get_parameter(name)
                param.copy_(torch.as_tensor(np.asarray(value), dtype=param.dtype))
    else:
        targets = {"head.weight": (obj.head.kernel, True), "head.bias": (obj.head.bias, False)}
        if hasattr(obj, "embed"):
            targets["embed.weight"] = (obj.embed.embeddings, False)
        for name, value in extras.items():
            variable, transpose = targets[name]
            value = np.asarray(value)
            variable.assign((value.T if transpose else value).astype(variable.dtype))


def _copy_whole(src, dst):
    head = f"copy_weights: cannot copy {_describe(src)} into {_describe(dst)}"
    if _origin(src) != "whole" or _origin(dst) != "whole" or type(src).__name__ != type(dst).__name__:
        raise ValueError(head + ": a whole model (CharLSTM, Forecaster) copies only into a twin of the same model")
    _, values = _read_whole(src)
    _, expected = _read_whole(dst)
    for name, value in expected.items():
        got = values[name].shape if name in values else None
        if got != value.shape:
            raise ValueError(head + f": expected {name} of shape {value.shape}, got {got}")
    _write_whole(dst, values)
    return dst


def _copy_named(src, dst):
    """Between twins that list their weights by name (``param_shapes()``): same class, same shapes."""
    head = f"copy_weights: cannot copy {_describe(src)} into {_describe(dst)}"
    if _origin(src) != "named" or _origin(dst) != "named" or type(src).__name__ != type(dst).__name__:
        raise ValueError(head + ": both must be twins of the same layer (weights are matched by name)")
    for arg in _FUNCTION_ARGS:
        if getattr(src, arg, None) != getattr(dst, arg, None):
            raise ValueError(head + f": their {arg} differs "
                             f"({getattr(src, arg, None)!r} vs {getattr(dst, arg, None)!r})")
    src_shapes, dst_shapes = src.param_shapes(), dst.param_shapes()
    if list(src_shapes) != list(dst_shapes):
        raise ValueError(head + f": expected the weights {list(dst_shapes)}, got {list(src_shapes)}")
    for name, expected in dst_shapes.items():
        if src_shapes[name] != expected:
            raise ValueError(head + f": expected {name} of shape {expected}, got {src_shapes[name]}")
    _write_twin(dst, _read_twin(src)[1])
    return dst


# --- torch.nn ----------------------------------------------------------------------------------------

def _torch_spec(obj) -> Spec:
    name = type(obj).__name__
    kind = _TORCH_KINDS[name]
    nonlinearity = getattr(obj, "nonlinearity", "tanh")
    if name.endswith("Cell"):
        return Spec(kind, obj.input_size, obj.hidden_size, None, False, obj.bias, nonlinearity, True)
    if getattr(obj, "proj_size", 0):
        raise ValueError(f"copy_weights: {_describe(obj)} with proj_size={obj.proj_size} has no twin; use proj_size=0")
    return Spec(kind, obj.input_size, obj.hidden_size, obj.num_layers, obj.bidirectional, obj.bias, nonlinearity, True)


def _read_torch(obj):
    spec = _torch_spec(obj)
    return spec, {n: getattr(obj, n).detach().cpu().numpy().copy() for n in param_shapes(spec)}


def _write_torch(obj, values):
    torch = sys.modules["torch"]
    with torch.no_grad():
        for n, v in values.items():
            param = getattr(obj, n)
            param.copy_(torch.as_tensor(np.asarray(v), dtype=param.dtype))


# --- keras.layers ----------------------------------------------------------------------------------

def _keras_layers(obj):
    """``[[forward_layer(, backward_layer)] per stacked layer]`` of a Keras layer or list of them."""
    stack = list(obj) if isinstance(obj, (list, tuple)) else [obj]
    out = []
    for layer in stack:
        if type(layer).__name__ == "Bidirectional":
            if layer.merge_mode != "concat":
                raise ValueError(f"copy_weights: {_describe(layer)} has merge_mode={layer.merge_mode!r}; "
                                 "the twins concatenate the directions (merge_mode='concat')")
            out.append([layer.forward_layer, layer.backward_layer])
        else:
            if getattr(layer, "go_backwards", False):
                raise ValueError(f"copy_weights: {_describe(layer)} has go_backwards=True; wrap it in Bidirectional instead")
            out.append([layer])
    return out


def _keras_activation_name(fn) -> str:
    return getattr(fn, "__name__", str(fn))


def _keras_spec(obj, input_size=None) -> Spec:
    stack = _keras_layers(obj)
    first = stack[0][0]
    kind = _KERAS_KINDS.get(type(first).__name__)
    cell = first.cell
    if kind is None:
        raise ValueError(f"copy_weights: cannot read {_describe(obj)}")
    activation = _keras_activation_name(cell.activation)
    if kind == "rnn" and activation not in ("tanh", "relu"):
        raise ValueError(f"copy_weights: {_describe(obj)} has activation {activation!r}; the twins have 'tanh' or 'relu'")
    if kind != "rnn" and (activation != "tanh" or _keras_activation_name(cell.recurrent_activation) != "sigmoid"):
        raise ValueError(f"copy_weights: {_describe(obj)} needs activation='tanh' and recurrent_activation='sigmoid' "
                         f"(the twins' equations), got {activation!r} and {_keras_activation_name(cell.recurrent_activation)!r}")
    if cell.built:
        input_size = cell.kernel.shape[0]
    elif input_size is None:
        raise ValueError(f"copy_weights: {_describe(obj)} is not built yet; call it on an input or build it first")
    sizes = {len(layers) for layers in stack}
    if len(sizes) != 1:
        raise ValueError(f"copy_weights: the Keras stack {_describe(obj)} mixes bidirectional and unidirectional layers")
    return Spec(kind, int(input_size), int(cell.units), len(stack), sizes.pop() == 2, bool(cell.use_bias),
                activation if kind == "rnn" else "tanh", bool(getattr(cell, "reset_after", True)))


def _read_keras(obj):
    spec = _keras_spec(obj)
    values = {}
    for layer_index, layers in enumerate(_keras_layers(obj)):
        for direction, layer in enumerate(layers):
            _check_keras_layer(layer, spec, obj)
            if not layer.cell.built:
                raise ValueError(f"copy_weights: layer {layer_index} of {_describe(obj)} is not built yet")
            keras = sys.modules["keras"]
            weights = [np.array(keras.ops.convert_to_numpy(w)) for w in _keras_cell_weights(layer.cell)]
            neutral = from_keras(spec.kind, weights, spec.reset_after)
            values.update(zip(param_names(layer_index, direction, spec.bias), neutral))
    return spec, values


def _keras_cell_weights(cell):
    return [cell.kernel, cell.recurrent_kernel] + ([cell.bias] if cell.use_bias else [])


def _check_keras_layer(layer, spec, obj):
    """Every layer of a stack must be the same kind, size and variant."""
    cell = layer.cell
    same = (_KERAS_KINDS.get(type(layer).__name__) == spec.kind and cell.units == spec.hidden_size
            and bool(cell.use_bias) == spec.bias and bool(getattr(cell, "reset_after", True)) == spec.reset_after)
    if not same:
        raise ValueError(f"copy_weights: the Keras stack {_describe(obj)} mixes layers of different kinds or sizes")


def _write_keras(obj, spec, values):
    for layer_index, layers in enumerate(_keras_layers(obj)):
        d_in = spec.input_size if layer_index == 0 else spec.hidden_size * spec.num_directions
        for direction, layer in enumerate(layers):
            if not layer.cell.built:
                layer.build((None, None, d_in))
            names = param_names(layer_index, direction, spec.bias)
            weights = to_keras(spec.kind, *(values[n] for n in names), reset_after=spec.reset_after)
            for variable, value in zip(_keras_cell_weights(layer.cell), weights):
                if tuple(variable.shape) != value.shape:
                    raise ValueError(f"copy_weights: {_describe(obj)} expected {variable.path} of shape "
                                     f"{tuple(variable.shape)}, got {value.shape}")
                variable.assign(value.astype(variable.dtype))


# --- the public functions --------------------------------------------------------------------------

def read_weights(obj):
    """``(spec, {name: array})`` of any supported object, in the neutral layout (PyTorch's names and order).

    For a whole model (``CharLSTM``, ``Forecaster``) ``spec`` is its LSTM's and the names are those of
    :mod:`rnnlearn.model_layout` (``embed.weight``, ``lstm.weight_ih_l0``, ..., ``head.weight``, ``head.bias``).
    For a layer that lists its weights by name (``param_shapes()``), ``spec`` is its class name.
    """
    origin = _origin(obj)
    if origin in ("twin", "named"):
        return _read_twin(obj)
    if origin == "whole":
        return _read_whole(obj)
    if origin == "torch":
        return _read_torch(obj)
    if origin in ("keras", "keras-stack"):
        return _read_keras(obj)
    raise ValueError(f"copy_weights: cannot read weights from {_describe(obj)}; expected an rnnlearn twin, "
                     "torch.nn.RNN/LSTM/GRU(Cell) or keras.layers.SimpleRNN/LSTM/GRU (or Bidirectional, or a list)")


def _dst_spec(dst, src_spec):
    origin = _origin(dst)
    if origin == "twin":
        return dst.spec
    if origin == "torch":
        return _torch_spec(dst)
    if origin in ("keras", "keras-stack"):
        return _keras_spec(dst, input_size=src_spec.input_size)
    raise ValueError(f"copy_weights: cannot write weights into {_describe(dst)}; expected an rnnlearn twin, "
                     "torch.nn.RNN/LSTM/GRU(Cell) or keras.layers.SimpleRNN/LSTM/GRU (or Bidirectional, or a list)")


def _mismatch(src, dst, src_spec, dst_spec) -> str | None:
    head = f"copy_weights: cannot copy {_describe(src)} {src_spec.describe()} into {_describe(dst)} {dst_spec.describe()}"
    if src_spec.kind == "gru" and not src_spec.reset_after and _origin(dst) == "torch":
        return (head + ": torch.nn.GRU computes only the reset_after=True form; a reset-before GRU "
                "(Cho et al. 2014) needs rnnlearn.torch.GRU(reset_after=False)")
    for field in ("kind", "num_layers", "bidirectional", "bias", "nonlinearity", "reset_after"):
        a, b = getattr(src_spec, field), getattr(dst_spec, field)
        if a != b:
            field_name = "cell or layer" if field == "num_layers" and None in (a, b) else field
            return head + f": {field_name} differs ({a!r} vs {b!r})"
    src_shapes, dst_shapes = param_shapes(src_spec), param_shapes(dst_spec)
    for name, expected in dst_shapes.items():
        if src_shapes.get(name) != expected:
            return head + f": expected {name} of shape {expected}, got {src_shapes.get(name)}"
    return None


def copy_weights(src, dst):
    """Copy the weights of ``src`` into ``dst`` so that both compute the same function.

    Parameters
    ----------
    src, dst
        Any two of: an rnnlearn twin (NumPy, PyTorch or Keras; cell or layer), ``torch.nn.RNN``,
        ``LSTM``, ``GRU`` (or their cells), ``keras.layers.SimpleRNN``, ``LSTM``, ``GRU``, a
        ``keras.layers.Bidirectional`` wrapping one, or a list of those for a stack. An unbuilt
        Keras ``dst`` is built for ``src``'s input size. Or two twins of the same whole model
        (``CharLSTM`` or ``Forecaster``; NumPy, PyTorch or Keras) with the same sizes.

    Returns
    -------
    dst

    Raises
    ------
    ValueError
        If the two do not describe the same model: kind, sizes (the message gives the expected and
        the actual shape), layers, directions, bias, nonlinearity or GRU variant differ, or a
        reset-before GRU is copied into ``torch.nn.GRU``, which cannot compute it.

    Notes
    -----
    Keras keeps one bias per gate where PyTorch keeps two (``bias_ih``, ``bias_hh``): going to Keras
    adds them; coming back puts the sum in ``bias_ih`` and zeros in ``bias_hh``, which computes the same.
    The GRU's reset-after variant is the exception: there Keras keeps both (a (2, 3H) bias).

    Examples
    --------
    >>> import torch
    >>> from rnnlearn.torch import LSTM
    >>> builtin = torch.nn.LSTM(3, 5, num_layers=2, batch_first=True)
    >>> twin = copy_weights(builtin, LSTM(3, 5, num_layers=2))
    """
    if "whole" in (_origin(src), _origin(dst)):
        return _copy_whole(src, dst)
    if "named" in (_origin(src), _origin(dst)):
        return _copy_named(src, dst)
    src_spec, values = read_weights(src)
    dst_spec = _dst_spec(dst, src_spec)
    problem = _mismatch(src, dst, src_spec, dst_spec)
    if problem:
        raise ValueError(problem)
    origin = _origin(dst)
    if origin == "twin":
        _write_twin(dst, values)
    elif origin == "torch":
        _write_torch(dst, values)
    else:
        _write_keras(dst, dst_spec, values)
    return dst
