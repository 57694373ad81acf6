"""What the Keras cells and layers share: weights, shape checks and the time loop (``keras.ops`` only).

Each recurrence (``rnn.py``, ``lstm.py``, ``gru.py``) supplies
``step(gi_t, state, weights, spec) -> new_state``, where ``gi_t`` (B, G*H) is the input projection
``x_t W_ih^T + b_ih`` (one matrix product for all steps), ``state`` a tuple (``(h,)`` or ``(h, c)``)
and ``weights`` the tuple ``(W_hh^T, b_hh)`` (transposed once per call, not once per step).
The loop runs over ``keras.ops.unstack`` when the number of steps is known, else ``keras.ops.scan``,
so the layers run eagerly and inside ``model.fit`` on every backend, even with a time axis of unknown length.
"""

from __future__ import annotations

import keras
from keras import ops

from ..layout import StateConventions, canonical_dtype, init_params, param_names
from ..utils import check_shape

_BACKEND_IS_TORCH = keras.backend.backend() == "torch"


class _Recurrent(StateConventions, keras.layers.Layer):
    """Weights (PyTorch's names), dtype and state conventions shared by the Keras twins."""

    kind = ""
    num_states = 1

    def _setup(self, spec, dtype, seed, forget_bias, config):
        self.spec = spec
        dtype = canonical_dtype(dtype, type(self).__name__)
        self._init_config = dict(config, dtype=dtype)
        for name, value in init_params(spec, seed, forget_bias, dtype).items():
            weight = self.add_weight(name=name, shape=value.shape, initializer="zeros", dtype=dtype)
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

    def _tensor(self, x, expected, name):
        x = ops.convert_to_tensor(x, dtype=self.compute_dtype)
        shape, symbols = check_shape(x, expected, name, type(self).__name__)
        return x, symbols

    def _check_state(self, state, shape, symbolic_shape):
        if state is None:
            return tuple(ops.zeros(symbolic_shape, dtype=self.compute_dtype) for _ in range(self.num_states))
        names = ("h", "c") if self.num_states == 2 else ("state",)
        return tuple(self._tensor(s, shape, n)[0] for s, n in zip(self._as_tuple(state), names))

    def _state_spec(self, shape):
        return self._public(tuple(keras.KerasTensor(shape, dtype=self.compute_dtype) for _ in range(self.num_states)))

    def _weights(self, suffix_names):
        w_ih, w_hh, b_ih, b_hh = (getattr(self, name, None) for name in suffix_names)
        return w_ih, w_hh, b_ih, b_hh


def matmul(a, b):
    """``a @ b`` for ``a`` (..., K) and ``b`` (K, N).

    ``keras.ops.matmul``, except under the torch backend, where (Keras 3.15) it computes float64
    inputs in float32 (its dtype promotion maps torch's float64 to floatx): there ``keras.ops.einsum``,
    which keeps the dtype. Not einsum everywhere: TensorFlow's gradient of an ``...`` einsum is slow.
    """
    if _BACKEND_IS_TORCH:
        return ops.einsum("...k,kn->...n", a, b)
    return ops.matmul(a, b)


def _input_projection(x, w_ih, b_ih):
    gi = matmul(x, ops.transpose(w_ih))  # (..., G*H)
    return gi if b_ih is None else gi + b_ih


class Cell(_Recurrent):
    """One time step, ``h, state = cell(x_t, state)``."""

    def call(self, x_t, state=None):
        x_t, sym = self._tensor(x_t, ("B", self.input_size), "x_t")
        B = ops.shape(x_t)[0]
        state = self._check_state(state, (sym.get("B"), self.hidden_size), (B, self.hidden_size))
        w_ih, w_hh, b_ih, b_hh = self._weights(param_names(None, 0, True))
        new = self.step(_input_projection(x_t, w_ih, b_ih), state, (ops.transpose(w_hh), b_hh), self.spec)
        return new[0], self._public(new)

    def compute_output_spec(self, x_t, state=None):
        shape = (x_t.shape[0], self.hidden_size)
        return keras.KerasTensor(shape, dtype=self.compute_dtype), self._state_spec(shape)


def run_direction(step, gi, state, weights, mask, reverse, spec):
    """One direction of one layer: ``gi`` (B, T, G*H) -> outputs (B, T, H), final state.

    With a known number of steps T (the usual case, also inside ``model.fit`` when the input shape
    gives T) the loop is a Python loop over ``ops.unstack(gi, axis=1)``: as fast as the built-in
    layers, and a linear-time backward on every backend (no ``x[:, t]`` indexing). With T unknown
    (``keras.Input((None, D))``) it falls back to ``keras.ops.scan`` (a ``tf.while_loop`` under
    TensorFlow), about 1.3x slower there.
    """
    T = gi.shape[1]
    if not isinstance(T, int):
        return _run_direction_scan(step, gi, state, weights, mask, reverse, spec)
    steps = ops.unstack(gi, num=T, axis=1)
    masks = None if mask is None else ops.unstack(mask, num=T, axis=1)  # (B, 1) each
    outputs = [None] * T
    for t in reversed(range(T)) if reverse else range(T):
        new = tuple(step(steps[t], state, weights, spec))
        if masks is None:
            outputs[t] = new[0]
        else:
            new = tuple(ops.where(masks[t], n, s) for n, s in zip(new, state))
            outputs[t] = ops.where(masks[t], new[0], ops.zeros_like(new[0]))
        state = new
    return ops.stack(outputs, axis=1), state


def _run_direction_scan(step, gi, state, weights, mask, reverse, spec):
    """:func:`run_direction` with ``keras.ops.scan``, for a time axis of unknown length."""
    xs = ops.transpose(gi, (1, 0, 2))  # (T, B, G*H), time-major for scan
    if mask is None:
        def body(carry, gi_t):
            new = tuple(step(gi_t, carry, weights, spec))
            return new, new
    else:
        xs = (xs, ops.transpose(mask, (1, 0, 2)))  # mask (T, B, 1)

        def body(carry, inputs):
            gi_t, m = inputs
            new = tuple(ops.where(m, n, s) for n, s in zip(step(gi_t, carry, weights, spec), carry))
            return new, (ops.where(m, new[0], ops.zeros_like(new[0])),) + new[1:]

    # The TensorFlow backend's scan needs the per-step outputs to have the carry's structure:
    # they are the whole state, of which we keep h.
    final, outputs = ops.scan(body, tuple(state), xs, reverse=reverse)
    return ops.transpose(outputs[0], (1, 0, 2)), final


class Layer(_Recurrent):
    """A stack of ``num_layers`` recurrences over a whole sequence, optionally bidirectional."""

    @property
    def num_layers(self):
        return self.spec.num_layers

    @property
    def bidirectional(self):
        return self.spec.bidirectional

    def call(self, x, state=None, lengths=None):
        spec, name = self.spec, type(self).__name__
        L, S, H = spec.num_layers, spec.num_directions, spec.hidden_size
        x, sym = self._tensor(x, ("B", "T", spec.input_size), "x")
        B, T = ops.shape(x)[0], ops.shape(x)[1]
        mask = None
        if lengths is not None:
            lengths = ops.convert_to_tensor(lengths)
            check_shape(lengths, (sym.get("B"),), "lengths", name)
            if "float" in str(lengths.dtype):
                raise ValueError(f"{name} expected integer lengths, got dtype {lengths.dtype}")
            mask = ops.expand_dims(ops.arange(T)[None, :] < ops.cast(lengths, "int32")[:, None], -1)  # (B, T, 1)
        state = self._check_state(state, (L * S, sym.get("B"), H), (L * S, B, H))
        layer_input, finals = x, [[None] * (L * S) for _ in range(self.num_states)]
        for layer in range(L):
            outs = []
            for direction in range(S):
                k = layer * S + direction
                w_ih, w_hh, b_ih, b_hh = self._weights(param_names(layer, direction, True))
                gi = _input_projection(layer_input, w_ih, b_ih)  # (B, T, G*H)
                out, final = run_direction(self.step, gi, tuple(s[k] for s in state), (ops.transpose(w_hh), b_hh),
                                           mask, direction == 1, spec)
                outs.append(out)
                for j, f in enumerate(final):
                    finals[j][k] = f
            layer_input = outs[0] if S == 1 else ops.concatenate(outs, axis=-1)  # (B, T, S*H)
        return layer_input, self._public(tuple(ops.stack(f) for f in finals))

    def compute_output_spec(self, x, state=None, lengths=None):
        spec = self.spec
        B, T = x.shape[0], x.shape[1]
        outputs = keras.KerasTensor((B, T, spec.num_directions * spec.hidden_size), dtype=self.compute_dtype)
        return outputs, self._state_spec((spec.num_layers * spec.num_directions, B, spec.hidden_size))


class TakeOutputs(keras.layers.Layer):
    """Keep the ``outputs`` of a twin's ``(outputs, final_state)``, for ``keras.Sequential``.

    ``TakeOutputs()`` passes on all steps (B, T, S*H); ``TakeOutputs(last_step=True)`` only the
    last one (B, S*H) (for a bidirectional layer, the backward half of step T - 1 has seen one step only).

    Examples
    --------
    >>> model = keras.Sequential([keras.Input((20, 1)), LSTM(1, 32), TakeOutputs(last_step=True), keras.layers.Dense(1)])
    """

    def __init__(self, last_step=False, **kwargs):
        super().__init__(**kwargs)
        self.last_step = bool(last_step)

    def call(self, inputs):
        outputs = inputs[0]
        return outputs[:, -1] if self.last_step else outputs

    def compute_output_spec(self, inputs):
        outputs = inputs[0]
        shape = (outputs.shape[0], outputs.shape[2]) if self.last_step else outputs.shape
        return keras.KerasTensor(shape, dtype=outputs.dtype)

    def get_config(self):
        return {**super().get_config(), "last_step": self.last_step}
