"""What the NumPy modern gated recurrences share: parameters, shape checks and states.

Each model (``mingru.py``, ``rwkv.py``, ``xlstm.py``, ``rglru.py``) writes its parallel form in
``__call__(x, state=None)`` and its recurrent form in ``step(x_t, state=None)``; both return
``(outputs, state)``. Names, shapes and initial values come from :mod:`rnnlearn.gated_layout`.
"""

from __future__ import annotations

import numpy as np

from ..gated_layout import check_gated_args, gated_init_params, gated_state_spec
from ..layout import canonical_dtype
from ..utils import check_shape
from ._base import sigmoid

__all__ = ["GatedRecurrence", "linear", "sigmoid", "softplus"]


def linear(x, weight, bias=None):
    """``x @ weight.T + bias``: the ``torch.nn.Linear`` convention, weight (out, in)."""
    y = x @ weight.T
    return y if bias is None else y + bias


def softplus(a):
    """log(1 + e^a), without overflow."""
    return np.logaddexp(0.0, a)


class GatedRecurrence:
    """Parameters (in ``self.params``, also readable as attributes), dtype, input and state checks."""

    def _setup(self, input_size, hidden_size, bias, dtype, seed):
        name = type(self).__name__
        self.input_size, self.hidden_size = check_gated_args(input_size, hidden_size, name)
        self.bias = bool(bias)
        self.dtype = canonical_dtype(dtype, name)
        self.params = gated_init_params(name, self.input_size, self.hidden_size, self.bias, seed, self.dtype)

    def __getattr__(self, name):  # model.weight_z, model.decay, ...; None for an absent bias
        params = self.__dict__.get("params", {})
        if name in params:
            return params[name]
        if name.startswith("bias_") and "params" in self.__dict__:
            return None
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def param_shapes(self) -> dict:
        """``{name: shape}`` of the parameters, in the order of :mod:`rnnlearn.gated_layout`
        (what ``rnnlearn.convert.copy_weights`` matches by name)."""
        return {name: value.shape for name, value in self.params.items()}

    def initial_state(self, batch_size):
        """The state a sequence starts from when ``state`` is None (zeros; RWKV's p starts at -1e30)."""
        spec = gated_state_spec(type(self).__name__, self.input_size, self.hidden_size)
        parts = tuple(np.full((batch_size,) + shape[1:], fill, self.dtype) for _, shape, fill in spec)
        return parts[0] if len(parts) == 1 else parts

    def _inputs(self, x, state, step):
        """``x`` (B, T, D) or, for a step, ``x_t`` (B, D) and the state as a tuple, checked and cast."""
        where, what = type(self).__name__, "x_t" if step else "x"
        x = np.asarray(x)
        _, sym = check_shape(x, ("B", self.input_size) if step else ("B", "T", self.input_size), what, where)
        if not step and sym["T"] == 0:
            raise ValueError(f"{where} expected x with at least one time step, got shape {x.shape}")
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
            part = np.asarray(part)
            check_shape(part, (B,) + shape[1:], f"state {name}", where)
            checked.append(part.astype(self.dtype, copy=False))
        return x.astype(self.dtype, copy=False), tuple(checked)

    @staticmethod
    def _public(parts):
        return parts[0] if len(parts) == 1 else tuple(parts)
