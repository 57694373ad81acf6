"""What the PyTorch state-space and linear-attention layers share: weights as Parameters, dtype, input checks."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..utils import check_shape


class ParamLayer(nn.Module):
    """Weights registered as ``nn.Parameter`` under the layout's names; inputs are cast to their dtype."""

    def _setup(self, values):
        for name, value in values.items():
            self.register_parameter(name, nn.Parameter(torch.from_numpy(np.ascontiguousarray(value))))

    @property
    def dtype(self):
        """The weights' dtype (it follows ``.double()`` and ``.to(...)``)."""
        return next(self.parameters()).dtype

    @property
    def device(self):
        return next(self.parameters()).device

    @property
    def complex_dtype(self):
        return torch.complex64 if self.dtype == torch.float32 else torch.complex128

    def param_shapes(self) -> dict:
        """``{name: shape}`` of the weights, in a fixed order (what ``copy_weights`` matches)."""
        return {name: tuple(p.shape) for name, p in self.named_parameters()}

    def _tensor(self, x, expected, name):
        x = torch.as_tensor(x, dtype=self.dtype, device=self.device)
        _, symbols = check_shape(x, expected, name, type(self).__name__)
        return x, symbols
