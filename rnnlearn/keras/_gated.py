"""What the Keras modern gated recurrences share: weights, shape checks and states (``keras.ops`` only).

Each model (``mingru.py``, ``rwkv.py``, ``xlstm.py``, ``rglru.py``) writes its parallel form in
``call(x, state=None)`` and its recurrent form in ``step(x_t, state=None)``; both return
``(outputs, state)``. Names, shapes and initial values come from :mod:`rnnlearn.gated_layout`.
"""

from __future__ import annotations

import keras
from keras import ops

from ..gated_layout import check_gated_args, gated_init_params, gated_param_shapes, gated_state_spec
from ..layout import canonical_dtype
from ..utils import check_shape
from ._base import matmul

__all__ = ["GatedRecurrence", "linear", "maximum", "logaddexp", "softplus"]

# Keras 3.15's torch backend computes ops.maximum, ops.logaddexp and ops.cumsum in float32 even for
# float64 tensors (its dtype promotion maps 64-bit types to 32-bit, as JAX does by default), and
# ops.associative_scan too (it pads with float32 zeros). The helpers below use only ops that keep
# the dtype. (A model with method="log" goes through the log-space scans of ``scan.py``, which use
# ops.cumsum and ops.associative_scan: float32 precision there under the torch backend.)


def linear(x, weight, bias=None):
    """``x @ weight.T + bias``: the ``torch.nn.Linear`` convention, weight (out, in)."""
    y = matmul(x, ops.transpose(weight))
    return y if bias is None else y + bias


def maximum(a, b):
    """Elementwise maximum (see the note above on ``ops.maximum``)."""
    return ops.where(a >= b, a, b)


def logaddexp(a, b):
    """log(e^a + e^b) = max(a, b) + log(1 + e^{-|a - b|}), without overflow."""
    return maximum(a, b) + ops.log1p(ops.exp(-ops.abs(a - b)))


def softplus(a):
    """log(1 + e^a), computed as logaddexp(a, 0) like the NumPy and PyTorch twins."""
    return logaddexp(a, ops.zeros_like(a))


class GatedRecurrence(keras.layers.Layer):
    """Weights (attributes, ``None`` for an absent bias), dtype, input and state checks."""

    def _setup(self, input_size, hidden_size, bias, dtype, seed, config):
        name = type(self).__name__
        self.input_size, self.hidden_size = check_gated_args(input_size, hidden_size, name)
        self.bias = bool(bias)
        dtype = canonical_dtype(dtype, name)
        self._init_config = dict(config, dtype=dtype)
        values = gated_init_params(name, self.input_size, self.hidden_size, self.bias, seed, dtype)
        for pname, shape in gated_param_shapes(name, self.input_size, self.hidden_size, True).items():
            weight = None
            if pname in values:
                weight = self.add_weight(name=pname, shape=shape, initializer="zeros", dtype=dtype)
                weight.assign(values[pname])
            setattr(self, pname, weight)
        self.built = True

    def get_config(self):
        return {**super().get_config(), **self._init_config}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("name", "trainable"):
            config.pop(key, None)
        return cls(**config)

    def param_shapes(self) -> dict:
        """``{name: shape}`` of the weights, in the order of :mod:`rnnlearn.gated_layout`
        (what ``rnnlearn.convert.copy_weights`` matches by name)."""
        names = gated_param_shapes(type(self).__name__, self.input_size, self.hidden_size, self.bias)
        return {name: tuple(getattr(self, name).shape) for name in names}

    def initial_state(self, batch_size):
        """The state a sequence starts from when ``state`` is None (zeros; RWKV's p starts at -1e30)."""
        spec = gated_state_spec(type(self).__name__, self.input_size, self.hidden_size)
        parts = tuple(ops.full((batch_size,) + shape[1:], fill, dtype=self.compute_dtype) for _, shape, fill in spec)
        return parts[0] if len(parts) == 1 else parts

    def compute_output_spec(self, x, state=None):
        """Shapes and dtype of ``(outputs, state)`` for a symbolic ``x`` (B, T, D), without running ``call``."""
        spec = gated_state_spec(type(self).__name__, self.input_size, self.hidden_size)
        B, T = x.shape[0], x.shape[1]
        parts = tuple(keras.KerasTensor((B,) + shape[1:], dtype=self.compute_dtype) for _, shape, _ in spec)
        outputs = keras.KerasTensor((B, T, self.hidden_size), dtype=self.compute_dtype)
        return outputs, parts[0] if len(parts) == 1 else parts

    def _inputs(self, x, state, step):
        """``x`` (B, T, D) or, for a step, ``x_t`` (B, D) and the state as a tuple, checked and cast."""
        where, what = type(self).__name__, "x_t" if step else "x"
        x = ops.convert_to_tensor(x, dtype=self.compute_dtype)
        _, sym = check_shape(x, ("B", self.input_size) if step else ("B", "T", self.input_size), what, where)
        if not step and sym.get("T") == 0:
            raise ValueError(f"{where} expected x with at least one time step, got shape {tuple(x.shape)}")
        spec = gated_state_spec(where, self.input_size, self.hidden_size)
        parts = self.initial_state(ops.shape(x)[0]) if state is None else state
        if len(spec) == 1:
            parts = (parts,)
        elif not isinstance(parts, (tuple, list)) or len(parts) != len(spec):
            names = ", ".join(name for name, _, _ in spec)
            raise ValueError(f"{where} expected state to be a tuple ({names}), got {type(state).__name__}")
        checked = []
        for part, (name, shape, _) in zip(parts, spec):
            part = ops.convert_to_tensor(part, dtype=self.compute_dtype)
            check_shape(part, (sym.get("B"),) + shape[1:], f"state {name}", where)
            checked.append(part)
        return x, tuple(checked)
