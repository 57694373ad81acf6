"""What the PyTorch modern gated recurrences share: parameters, shape checks and states.

Each model (``mingru.py``, ``rwkv.py``, ``xlstm.py``, ``rglru.py``) writes its parallel form in
``forward(x, state=None)`` and its recurrent form in ``step(x_t, state=None)``; both return
``(outputs, state)``. Names, shapes and initial values come from :mod:`rnnlearn.gated_layout`.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ..gated_layout import check_gated_args, gated_init_params, gated_param_shapes, gated_state_spec
from ..utils import check_shape

__all__ = ["GatedRecurrence", "softplus"]


def softplus(a):
    """log(1 + e^a), exactly (``torch.nn.functional.softplus`` returns a itself above a = 20)."""
    return torch.logaddexp(a, torch.zeros_like(a))


class GatedRecurrence(nn.Module):
    """Parameters (attributes, ``None`` for an absent bias), dtype, device, input and state checks."""

    def _setup(self, input_size, hidden_size, bias, dtype, seed):
        name = type(self).__name__
        self.input_size, self.hidden_size = check_gated_args(input_size, hidden_size, name)
        self.bias = bool(bias)
        values = gated_init_params(name, self.input_size, self.hidden_size, self.bias, seed, dtype)
        for pname in gated_param_shapes(name, self.input_size, self.hidden_size, True):
            value = values.get(pname)
            param = None if value is None else nn.Parameter(torch.from_numpy(np.ascontiguousarray(value)))
            self.register_parameter(pname, param)  # None: an absent bias reads as None

    @property
    def dtype(self):
        """The parameters' dtype (it follows ``.double()`` and ``.to(...)``); inputs are cast to it."""
        return next(self.parameters()).dtype

    @property
    def device(self):
        return next(self.parameters()).device

    def param_shapes(self) -> dict:
        """``{name: shape}`` of the parameters, in the order of :mod:`rnnlearn.gated_layout`
        (what ``rnnlearn.convert.copy_weights`` matches by name)."""
        return {name: tuple(p.shape) for name, p in self.named_parameters()}

    def initial_state(self, batch_size):
        """The state a sequence starts from when ``state`` is None (zeros; RWKV's p starts at -1e30)."""
        spec = gated_state_spec(type(self).__name__, self.input_size, self.hidden_size)
        parts = tuple(torch.full((batch_size,) + shape[1:], fill, dtype=self.dtype, device=self.device)
                      for _, shape, fill in spec)
        return parts[0] if len(parts) == 1 else parts

    def _inputs(self, x, state, step):
        """``x`` (B, T, D) or, for a step, ``x_t`` (B, D) and the state as a tuple, checked and cast."""
        where, what = type(self).__name__, "x_t" if step else "x"
        x = torch.as_tensor(x, dtype=self.dtype, device=self.device)
        _, sym = check_shape(x, ("B", self.input_size) if step else ("B", "T", self.input_size), what, where)
        if not step and sym["T"] == 0:
            raise ValueError(f"{where} expected x with at least one time step, got shape {tuple(x.shape)}")
        B = sym["B"]
        spec = gated_state_spec(where, self.input_size, self.hidden_size)
        parts = self.initial_state(B) if state is None else state
        if len(spec) == 1:
            parts = (parts,)
        elif not isinstance(parts, (tuple, list)) or len(parts) != len(spec):
            names = ", ".join(name for name, _, _ in spec)
            raise ValueError(f"{where} expected state to be a tuple ({names}), got {type(state).__name__}")
        checked = []
        for part, (name, shape, _) in zip(parts, spec):
            part = torch.as_tensor(part, dtype=self.dtype, device=self.device)
            check_shape(part, (B,) + shape[1:], f"state {name}", where)
            checked.append(part)
        return x, tuple(checked)
