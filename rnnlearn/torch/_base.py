"""What the PyTorch cells and layers share: parameters, shape checks and the time loop.

Each recurrence (``rnn.py``, ``lstm.py``, ``gru.py``) supplies
``step(gi_t, state, weights, spec) -> new_state``, where ``gi_t`` (B, G*H) is the input projection
``x_t W_ih^T + b_ih`` (computed for all time steps at once, one big matrix product), ``state`` a
tuple (``(h,)`` or ``(h, c)``) and ``weights`` the tuple ``(weight_hh, bias_hh)``.
The time loop iterates over ``x.unbind(1)``: indexing ``x[:, t]`` inside the loop would make
the backward pass quadratic in T.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..layout import StateConventions, canonical_dtype, init_params, param_names
from ..utils import check_shape



class _Recurrent(StateConventions, nn.Module):
    """Parameters (PyTorch's names, shared with ``torch.nn.LSTM``), dtype and state conventions."""

    kind = ""
    num_states = 1

    def _setup(self, spec, dtype, seed, forget_bias):
        self.spec = spec
        for name, value in init_params(spec, seed, forget_bias, canonical_dtype(dtype, type(self).__name__)).items():
            self.register_parameter(name, nn.Parameter(torch.from_numpy(np.ascontiguousarray(value))))

    @property
    def dtype(self):
        """The parameters' dtype (it follows ``.double()`` and ``.to(...)``); inputs are cast to it."""
        return self.weight_ih.dtype if self.spec.num_layers is None else self.weight_ih_l0.dtype

    @property
    def device(self):
        return self.weight_ih.device if self.spec.num_layers is None else self.weight_ih_l0.device

    def _tensor(self, x, expected, name):
        x = torch.as_tensor(x, dtype=self.dtype, device=self.device)
        shape, symbols = check_shape(x, expected, name, type(self).__name__)
        return x, symbols

    def _check_state(self, state, shape, B):
        if state is None:
            return tuple(torch.zeros(shape, dtype=self.dtype, device=self.device) for _ in range(self.num_states))
        names = ("h", "c") if self.num_states == 2 else ("state",)
        return tuple(self._tensor(s, shape, n)[0] for s, n in zip(self._as_tuple(state), names))


class Cell(_Recurrent):
    """One time step, ``h, state = cell(x_t, state)``."""

    def forward(self, x_t, state=None):
        x_t, sym = self._tensor(x_t, ("B", self.input_size), "x_t")
        state = self._check_state(state, (sym["B"], self.hidden_size), sym["B"])
        gi = F.linear(x_t, self.weight_ih, getattr(self, "bias_ih", None))  # (B, G*H)
        new = self.step(gi, state, (self.weight_hh, getattr(self, "bias_hh", None)), self.spec)
        return new[0], self._public(new)


def run_direction(step, gi, state, weights, mask, reverse, spec):
    """One direction of one layer: ``gi`` (B, T, G*H) -> outputs (B, T, H), final state."""
    steps = gi.unbind(1)
    masks = None if mask is None else mask.unbind(1)
    outputs = [None] * len(steps)
    for t in reversed(range(len(steps))) if reverse else range(len(steps)):
        new = step(steps[t], state, weights, spec)
        if masks is None:
            outputs[t] = new[0]
        else:
            m = masks[t]  # (B, 1)
            new = tuple(torch.where(m, n, s) for n, s in zip(new, state))
            outputs[t] = torch.where(m, new[0], torch.zeros_like(new[0]))
        state = new
    return torch.stack(outputs, 1), state


class Layer(_Recurrent):
    """A stack of ``num_layers`` recurrences over a whole sequence, optionally bidirectional."""

    _builtin_class = None  # torch.nn.RNN, LSTM or GRU: the fused path

    def _setup(self, spec, dtype, seed, forget_bias, fused=False):
        super()._setup(spec, dtype, seed, forget_bias)
        self.fused = bool(fused)
        if self.fused and spec.kind == "gru" and not spec.reset_after:
            raise ValueError("GRU(reset_after=False, fused=True): torch.nn.GRU computes only the reset_after=True "
                             "form; use fused=False for the original Cho et al. (2014) GRU")

    @property
    def num_layers(self):
        return self.spec.num_layers

    @property
    def bidirectional(self):
        return self.spec.bidirectional

    def _weights(self, layer, direction):
        w_ih, w_hh, *b = (getattr(self, name, None) for name in param_names(layer, direction, True))
        return w_ih, w_hh, b[0], b[1]

    def forward(self, x, state=None, lengths=None):
        spec, name = self.spec, type(self).__name__
        L, S, H = spec.num_layers, spec.num_directions, spec.hidden_size
        x, sym = self._tensor(x, ("B", "T", spec.input_size), "x")
        B, T = sym["B"], sym["T"]
        if lengths is not None:
            lengths = torch.as_tensor(lengths, device=self.device)
            check_shape(lengths, (B,), "lengths", name)
            if lengths.is_floating_point() or (B and (int(lengths.min()) < 0 or int(lengths.max()) > T)):
                raise ValueError(f"{name} expected lengths to be integers in [0, {T}], got {lengths.tolist()}")
        state = self._check_state(state, (L * S, B, H), B)
        if self.fused:
            return self._forward_fused(x, state, lengths)
        mask = None if lengths is None else (torch.arange(T, device=self.device)[None, :] < lengths[:, None])[..., None]  # (B, T, 1)
        layer_input, finals = x, [[None] * (L * S) for _ in range(self.num_states)]
        for layer in range(L):
            outs = []
            for direction in range(S):
                k = layer * S + direction
                w_ih, w_hh, b_ih, b_hh = self._weights(layer, direction)
                gi = F.linear(layer_input, w_ih, b_ih)  # (B, T, G*H)
                out, final = run_direction(self.step, gi, tuple(s[k] for s in state), (w_hh, b_hh), mask, direction == 1, spec)
                outs.append(out)
                for j, f in enumerate(final):
                    finals[j][k] = f
            layer_input = outs[0] if S == 1 else torch.cat(outs, -1)  # (B, T, S*H)
        return layer_input, self._public(tuple(torch.stack(f) for f in finals))

    def _fused_module(self):
        """A ``torch.nn.LSTM`` (etc.) that holds this layer's own Parameter objects.

        Kept out of the module tree (in ``__dict__``), so the parameters are listed once; rebound
        whenever a parameter object was replaced (e.g. by ``load_state_dict(..., assign=True)``).
        """
        spec = self.spec
        builtin = self.__dict__.get("_builtin")
        if builtin is None:
            kwargs = {"nonlinearity": spec.nonlinearity} if spec.kind == "rnn" else {}
            with torch.device("meta"):  # its own weights are never used
                builtin = self._builtin_class(spec.input_size, spec.hidden_size, num_layers=spec.num_layers,
                                              bias=spec.bias, batch_first=True, bidirectional=spec.bidirectional, **kwargs)
            self.__dict__["_builtin"] = builtin
        for name, param in self.named_parameters():
            if getattr(builtin, name) is not param:
                setattr(builtin, name, param)
        return builtin

    def _forward_fused(self, x, state, lengths):
        """The same computation through ``torch.nn.LSTM`` (etc.) and its C++ kernels, on our parameters."""
        builtin = self._fused_module()
        hx = state if self.num_states == 2 else state[0]
        if lengths is None:
            return builtin(x, hx)
        if int(lengths.min()) < 1:
            raise ValueError(f"{type(self).__name__}(fused=True) needs lengths >= 1 (packed sequences), got {lengths.tolist()}")
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out_packed, final = builtin(packed, hx)
        outputs, _ = nn.utils.rnn.pad_packed_sequence(out_packed, batch_first=True, total_length=x.shape[1])
        return outputs, final


def linear_from(weight, bias) -> nn.Linear:
    """A ``torch.nn.Linear`` holding the given NumPy ``weight`` (K, H) and ``bias`` (K,), with no random start."""
    layer = nn.Linear(weight.shape[1], weight.shape[0], device="meta")  # "meta": allocate nothing, draw nothing
    layer.weight = nn.Parameter(torch.from_numpy(np.ascontiguousarray(weight)))
    layer.bias = nn.Parameter(torch.from_numpy(np.ascontiguousarray(bias)))
    return layer
