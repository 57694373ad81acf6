"""What the NumPy cells and layers share: parameters, shape checks, the time loop and its backward pass.

Each recurrence (``rnn.py``, ``lstm.py``, ``gru.py``) supplies two functions:

- ``step(p, x, state, spec) -> (new_state, cache)``: one time step; ``state`` is a tuple
  (``(h,)`` or, for the LSTM, ``(h, c)``), ``p`` a dict ``weight_ih, weight_hh, bias_ih, bias_hh``;
- ``step_backward(p, cache, d_new_state, spec) -> (dx, d_state, grads)``: its vector-Jacobian product.

Everything else (stacking layers, the two directions, variable lengths, backpropagation through
time) is written once here.
"""

from __future__ import annotations

import numpy as np

from ..layout import WEIGHTS, StateConventions, canonical_dtype, init_params, param_names
from ..utils import check_shape


def sigmoid(a):
    """Logistic function, computed without overflow for large negative ``a``."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(a.dtype, copy=False)


def affine(p, x, h):
    """Input and recurrent pre-activations ``gi = x W_ih^T + b_ih`` and ``gh = h W_hh^T + b_hh``, each (B, G*H)."""
    gi = x @ p["weight_ih"].T
    gh = h @ p["weight_hh"].T
    if p.get("bias_ih") is not None:
        gi = gi + p["bias_ih"]
        gh = gh + p["bias_hh"]
    return gi, gh


def affine_backward(p, x, h, d_gi, d_gh):
    """Backward of :func:`affine`: ``(dx, dh, grads)`` from the gradients of ``gi`` and ``gh``."""
    grads = {"weight_ih": d_gi.T @ x, "weight_hh": d_gh.T @ h}
    if p.get("bias_ih") is not None:
        grads["bias_ih"] = d_gi.sum(0)
        grads["bias_hh"] = d_gh.sum(0)
    return d_gi @ p["weight_ih"], d_gh @ p["weight_hh"], grads


def _short(params, names):
    """``{"weight_ih": ..., ...}`` for one layer/direction from the full names (``weight_ih_l1_reverse``)."""
    return {short: params.get(full) for short, full in zip(WEIGHTS, names)}


class _Recurrent(StateConventions):
    """Parameters, dtype and state conventions shared by cells and layers."""

    kind = ""
    num_states = 1  # 2 for the LSTM: (h, c)

    def _setup(self, spec, dtype, seed, forget_bias):
        self.spec = spec
        self.dtype = canonical_dtype(dtype, type(self).__name__)
        self.params = init_params(spec, seed, forget_bias, self.dtype)
        self._cache = None

    def __getattr__(self, name):  # cell.weight_ih, layer.bias_hh_l0_reverse, ...
        params = self.__dict__.get("params", {})
        if name in params:
            return params[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def _array(self, x, expected, name):
        x = np.asarray(x)
        shape, symbols = check_shape(x, expected, name, type(self).__name__)
        return x.astype(self.dtype, copy=False), symbols

    def _check_grad(self, d, like, name):
        d = np.asarray(d, dtype=self.dtype)
        check_shape(d, like.shape, name, type(self).__name__ + ".backward")
        return d


class Cell(_Recurrent):
    """One time step, ``h, state = cell(x_t, state)``, with ``backward`` for the last call."""

    def __call__(self, x_t, state=None):
        H, D = self.hidden_size, self.input_size
        x_t, sym = self._array(x_t, ("B", D), "x_t")
        B = sym["B"]
        if state is None:
            state = tuple(np.zeros((B, H), self.dtype) for _ in range(self.num_states))
        else:
            names = ("h", "c") if self.num_states == 2 else ("state",)
            state = tuple(self._array(s, (B, H), n)[0] for s, n in zip(self._as_tuple(state), names))
        new, cache = self.step(self.params, x_t, state, self.spec)
        self._cache = (cache, new)
        return new[0], self._public(new)

    def backward(self, d_h, d_state=None):
        """Gradients of the last call: ``{"weight_ih": ..., ..., "x": (B, D), "state": like state}``.

        ``d_h`` is the gradient of the loss with respect to the returned ``h``, ``d_state`` with
        respect to the returned ``state`` (None: zeros). The two add up, since ``h`` is ``state[0]``.
        """
        if self._cache is None:
            raise ValueError(f"{type(self).__name__}.backward called before a forward call")
        cache, new = self._cache
        d_new = [np.zeros_like(s) for s in new]
        if d_state is not None:
            d_new = [self._check_grad(d, s, "d_state") for d, s in zip(self._as_tuple(d_state, "d_state"), new)]
        d_new[0] = d_new[0] + self._check_grad(d_h, new[0], "d_h")
        dx, d_prev, grads = self.step_backward(self.params, cache, tuple(d_new), self.spec)
        grads = dict(grads)
        grads["x"] = dx
        grads["state"] = self._public(d_prev)
        return grads


def run_direction(step, p, x, state, mask, reverse, spec):
    """Run one direction of one layer over time: outputs (B, T, H), final state, and the tape.

    Steps where ``mask`` (B, T) is False leave the state unchanged and output zeros.
    """
    B, T, _ = x.shape
    outputs = np.zeros((B, T, spec.hidden_size), x.dtype)
    tape = []
    for t in reversed(range(T)) if reverse else range(T):
        new, cache = step(p, x[:, t], state, spec)
        if mask is not None:
            m = mask[:, t, None]  # (B, 1)
            new = tuple(np.where(m, n, s) for n, s in zip(new, state))
            outputs[:, t] = np.where(m, new[0], 0)
        else:
            outputs[:, t] = new[0]
        tape.append((t, cache))
        state = new
    return outputs, state, tape


def run_direction_backward(step_backward, p, tape, d_outputs, d_state, mask, spec, input_size):
    """Backpropagation through time for :func:`run_direction`: ``(dx (B, T, D), d_state0, grads)``."""
    B, T, _ = d_outputs.shape
    dx = np.zeros((B, T, input_size), d_outputs.dtype)
    grads = {k: np.zeros_like(v) for k, v in p.items() if v is not None}
    d_state = list(d_state)
    for t, cache in reversed(tape):
        if mask is None:
            d_new = list(d_state)
            d_new[0] = d_new[0] + d_outputs[:, t]
            d_skip = None
        else:
            m = mask[:, t, None].astype(d_outputs.dtype)  # (B, 1)
            d_new = [m * d for d in d_state]
            d_new[0] = d_new[0] + m * d_outputs[:, t]
            d_skip = [(1 - m) * d for d in d_state]
        dx[:, t], d_prev, g = step_backward(p, cache, tuple(d_new), spec)
        for k, v in g.items():
            grads[k] += v
        d_state = list(d_prev) if d_skip is None else [a + b for a, b in zip(d_prev, d_skip)]
    return dx, tuple(d_state), grads


class Layer(_Recurrent):
    """A stack of ``num_layers`` recurrences over a whole sequence, optionally bidirectional."""

    @property
    def num_layers(self):
        return self.spec.num_layers

    @property
    def bidirectional(self):
        return self.spec.bidirectional

    def _param_dict(self, layer, direction):
        return _short(self.params, param_names(layer, direction, True))

    def __call__(self, x, state=None, lengths=None):
        spec, name = self.spec, type(self).__name__
        L, S, H = spec.num_layers, spec.num_directions, spec.hidden_size
        x, sym = self._array(x, ("B", "T", spec.input_size), "x")
        B, T = sym["B"], sym["T"]
        mask = None
        if lengths is not None:
            lengths = np.asarray(lengths)
            check_shape(lengths, (B,), "lengths", name)
            if not np.issubdtype(lengths.dtype, np.integer) or lengths.min(initial=0) < 0 or lengths.max(initial=0) > T:
                raise ValueError(f"{name} expected lengths to be integers in [0, {T}], got {lengths.tolist()}")
            mask = np.arange(T)[None, :] < lengths[:, None]  # (B, T)
        if state is None:
            state = tuple(np.zeros((L * S, B, H), self.dtype) for _ in range(self.num_states))
        else:
            names = ("h", "c") if self.num_states == 2 else ("state",)
            state = tuple(self._array(s, (L * S, B, H), n)[0] for s, n in zip(self._as_tuple(state), names))
        layer_input, tapes = x, []
        finals = [[None] * (L * S) for _ in range(self.num_states)]
        for layer in range(L):
            outs = []
            for direction in range(S):
                k = layer * S + direction
                p = self._param_dict(layer, direction)
                s0 = tuple(s[k] for s in state)
                out, final, tape = run_direction(self.step, p, layer_input, s0, mask, direction == 1, spec)
                outs.append(out)
                tapes.append(tape)
                for j, f in enumerate(final):
                    finals[j][k] = f
            layer_input = np.concatenate(outs, axis=-1)  # (B, T, S*H)
        final_state = tuple(np.stack(f) for f in finals)  # each (L*S, B, H)
        self._cache = (tapes, mask, final_state, layer_input.shape)
        return layer_input, self._public(final_state)

    def backward(self, d_outputs, d_final_state=None):
        """Gradients of the last call by backpropagation through time.

        Returns a dict with one entry per parameter (same names and shapes as ``params``), ``"x"``
        (B, T, D) and ``"state"`` (like the state: (L*S, B, H), or a tuple (h, c) of those).
        ``d_outputs`` is dLoss/d outputs (B, T, S*H); ``d_final_state`` dLoss/d final_state (None: zeros).
        """
        if self._cache is None:
            raise ValueError(f"{type(self).__name__}.backward called before a forward call")
        spec = self.spec
        tapes, mask, final_state, out_shape = self._cache
        L, S, H = spec.num_layers, spec.num_directions, spec.hidden_size
        d_in = np.asarray(d_outputs, self.dtype)
        check_shape(d_in, out_shape, "d_outputs", type(self).__name__ + ".backward")
        if d_final_state is None:
            d_final = [np.zeros_like(s) for s in final_state]
        else:
            d_final = [self._check_grad(d, s, "d_final_state") for d, s in zip(self._as_tuple(d_final_state, "d_final_state"), final_state)]
        d_state0 = [np.zeros_like(s) for s in final_state]
        grads = {}
        for layer in reversed(range(L)):
            d_x = None
            for direction in range(S):
                k = layer * S + direction
                p = self._param_dict(layer, direction)
                d_in_size = p["weight_ih"].shape[1]
                dx, ds0, g = run_direction_backward(
                    self.step_backward, p, tapes[k], d_in[..., direction * H : (direction + 1) * H],
                    tuple(d[k] for d in d_final), mask, spec, d_in_size)
                d_x = dx if d_x is None else d_x + dx
                for j, d in enumerate(ds0):
                    d_state0[j][k] = d
                for short, full in zip(WEIGHTS, param_names(layer, direction, True)):
                    if short in g:
                        grads[full] = g[short]
            d_in = d_x
        grads = {name: grads[name] for name in self.params}  # the parameters' order
        grads["x"] = d_in
        grads["state"] = self._public(tuple(d_state0))
        return grads
