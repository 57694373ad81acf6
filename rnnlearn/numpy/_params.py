"""What the NumPy state-space and linear-attention layers share: a dict of weights, dtype, input checks."""

from __future__ import annotations

import numpy as np

from ..layout import canonical_dtype
from ..utils import check_shape


class ParamLayer:
    """Weights in ``self.params`` (read them as attributes: ``layer.weight_q``), one dtype, shape checks."""

    def _setup(self, values, dtype):
        self.dtype = canonical_dtype(dtype, type(self).__name__)
        self.params = values

    def __getattr__(self, name):
        params = self.__dict__.get("params", {})
        if name in params:
            return params[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def param_shapes(self) -> dict:
        """``{name: shape}`` of the weights, in a fixed order (what ``copy_weights`` matches)."""
        return {name: tuple(value.shape) for name, value in self.params.items()}

    def _array(self, x, expected, name):
        x = np.asarray(x)
        _, symbols = check_shape(x, expected, name, type(self).__name__)
        return x.astype(self.dtype, copy=False), symbols

    @property
    def complex_dtype(self):
        return np.complex64 if self.dtype == "float32" else np.complex128
