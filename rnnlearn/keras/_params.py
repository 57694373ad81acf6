"""What the Keras state-space and linear-attention layers share: weights, config, input checks (``keras.ops`` only)."""

from __future__ import annotations

import keras
from keras import ops

from ..layout import canonical_dtype
from ..utils import check_shape


class ParamLayer(keras.layers.Layer):
    """Weights created from the layout's initial values under its names; ``get_config`` for saving."""

    def _setup(self, values, config):
        self._init_config = dict(config)
        self._param_names = list(values)
        for name, value in values.items():
            weight = self.add_weight(name=name, shape=value.shape, initializer="zeros", dtype=self.dtype)
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

    def param_shapes(self) -> dict:
        """``{name: shape}`` of the weights, in a fixed order (what ``copy_weights`` matches)."""
        return {name: tuple(getattr(self, name).shape) for name in self._param_names}

    def _tensor(self, x, expected, name):
        x = ops.convert_to_tensor(x, dtype=self.compute_dtype)
        _, symbols = check_shape(x, expected, name, type(self).__name__)
        return x, symbols


def layer_dtype(dtype, where):
    """The Keras ``dtype`` argument from the twins' ``"float32"``/``"float64"``."""
    return canonical_dtype(dtype, where)
