"""The Jordan network in Keras 3 (``keras.ops`` only, any backend)."""

from __future__ import annotations

import keras
from keras import ops

from ..jordan_layout import check_jordan_args, jordan_init_params
from ..layout import canonical_dtype
from ..utils import check_shape
from ._base import matmul

__all__ = ["JordanRNN", "jordan_step"]

_ACTIVATIONS = {"tanh": ops.tanh, "sigmoid": ops.sigmoid, "linear": lambda a: a}


def jordan_step(gi_t, y_prev, weights, output_activation):
    """One Jordan step: h (B, H) and y (B, O) from the input projection gi_t (B, H) and y_prev (B, O)."""
    weight_yh_t, bias_yh, weight_hy_t, bias_hy = weights  # transposed: (O, H) and (H, O)
    a = gi_t + matmul(y_prev, weight_yh_t)  # (B, H)
    h = ops.tanh(a if bias_yh is None else a + bias_yh)
    z = matmul(h, weight_hy_t)  # (B, O)
    return h, _ACTIVATIONS[output_activation](z if bias_hy is None else z + bias_hy)


class JordanRNN(keras.layers.Layer):
    """A Jordan network over whole sequences: the previous output, not the hidden state, is fed back. In Keras, batch-first.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the number of hidden units.
    output_size : int
        O, the number of outputs; the outputs are also the state carried from step to step.
    bias : bool
        If False, no ``bias_ih``, ``bias_yh`` and ``bias_hy``.
    output_activation : str
        sigma_y, applied to the outputs: ``"tanh"`` (default), ``"sigmoid"`` or ``"linear"``.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T time steps, D input features, H hidden units, O outputs.

    - ``x``: (B, T, D). ``state``: the previous output ``y_0`` (1, B, O), or None for zeros
      (the leading 1 is the number of layers, as in ``RNN``'s (L*S, B, H)).
    - returns ``outputs`` (B, T, O), ``y_t`` at every step, and ``final_state`` ``y_T`` (1, B, O);
      passing ``final_state`` back as ``state`` continues the sequence exactly.
    - ``weight_ih`` (H, D), ``weight_yh`` (H, O), ``weight_hy`` (O, H), ``bias_ih``, ``bias_yh`` (H,), ``bias_hy`` (O,).

    Notes
    -----
    .. math::

        h_t = \\tanh(W_{ih} x_t + b_{ih} + W_{yh} y_{t-1} + b_{yh}), \\quad
        y_t = \\sigma_y(W_{hy} h_t + b_{hy}), \\quad y_0 = 0

    The state is ``y_t`` (O numbers), not ``h_t``: whatever the network remembers must be visible in its outputs.

    References
    ----------
    Jordan (1986), Serial order: a parallel distributed processing approach. Book chapter: the vanilla RNN.
    """

    def __init__(self, input_size, hidden_size, *, output_size, bias=True, output_activation="tanh",
                 dtype="float32", seed=None, **kwargs):
        dtype = canonical_dtype(dtype, "JordanRNN")
        super().__init__(dtype=dtype, **kwargs)
        self.input_size, self.hidden_size, self.output_size = check_jordan_args(
            input_size, hidden_size, output_size, output_activation)
        self.bias = bool(bias)
        self.output_activation = output_activation
        self._init_config = dict(input_size=input_size, hidden_size=hidden_size, output_size=output_size,
                                 bias=bias, output_activation=output_activation, dtype=dtype)
        for name, value in jordan_init_params(input_size, hidden_size, output_size, self.bias, seed, dtype).items():
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

    def call(self, x, state=None):
        x = ops.convert_to_tensor(x, dtype=self.compute_dtype)
        _, sym = check_shape(x, ("B", "T", self.input_size), "x", "JordanRNN")
        T = x.shape[1]
        if not isinstance(T, int):
            raise ValueError("JordanRNN (Keras) needs a known number of time steps T, got None")
        if state is None:
            y = ops.zeros((ops.shape(x)[0], self.output_size), dtype=self.compute_dtype)
        else:
            state = ops.convert_to_tensor(state, dtype=self.compute_dtype)
            check_shape(state, (1, sym.get("B"), self.output_size), "state", "JordanRNN")
            y = state[0]
        bias = lambda name: getattr(self, name, None)  # noqa: E731
        gi = matmul(x, ops.transpose(self.weight_ih))  # (B, T, H)
        if self.bias:
            gi = gi + self.bias_ih
        weights = (ops.transpose(self.weight_yh), bias("bias_yh"), ops.transpose(self.weight_hy), bias("bias_hy"))
        outputs = []
        for gi_t in ops.unstack(gi, num=T, axis=1):
            _, y = jordan_step(gi_t, y, weights, self.output_activation)
            outputs.append(y)
        return ops.stack(outputs, axis=1), ops.expand_dims(y, 0)  # (B, T, O), (1, B, O)

    def compute_output_spec(self, x, state=None):
        B, T = x.shape[0], x.shape[1]
        return (keras.KerasTensor((B, T, self.output_size), dtype=self.compute_dtype),
                keras.KerasTensor((1, B, self.output_size), dtype=self.compute_dtype))
