"""The quasi-recurrent network (QRNN) in NumPy (Bradbury et al. 2017): convolutional gates, then a linear scan."""

from __future__ import annotations

import numpy as np

from ..gated_layout import QRNN_METHODS, check_method
from ._gated import GatedRecurrence, linear, sigmoid
from .scan import linear_scan

__all__ = ["QRNN"]


class QRNN(GatedRecurrence):
    """A quasi-recurrent network (QRNN): gates from a width-2 convolution over time, then fo-pooling, a linear scan. In NumPy, batch-first.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the number of hidden units.
    bias : bool
        If False, no ``bias_z``, ``bias_f`` and ``bias_o``.
    method : str
        How ``__call__`` runs the pooling over all steps: a ``linear_scan`` method, ``"blelloch"`` (default),
        ``"sequential"``, ``"hillis_steele"`` or ``"log"``. All give the same numbers up to rounding;
        ``step`` is the recurrent form.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T time steps, D input features, H hidden units.

    - ``__call__(x, state=None)``: ``x`` (B, T, D), ``state`` a tuple ``(c, x)`` of the memory c (B, H)
      and the last input x (B, D), or None for zeros; returns ``outputs`` (B, T, H), h_t at every step,
      and the final ``(c_T, x_T)``.
    - ``step(x_t, state=None)``: ``x_t`` (B, D); returns h_t (B, H) and the new ``(c_t, x_t)``.
    - ``weight_z``, ``weight_f``, ``weight_o`` (H, 2D): columns 0..D-1 read x_{t-1}, columns D..2D-1
      read x_t; ``bias_z``, ``bias_f``, ``bias_o`` (H,).

    Notes
    -----
    .. math::

        z_t = \\tanh(W_z [x_{t-1}; x_t] + b_z), \\quad f_t = \\sigma(W_f [x_{t-1}; x_t] + b_f), \\quad
        o_t = \\sigma(W_o [x_{t-1}; x_t] + b_o)
        c_t = f_t \\odot c_{t-1} + (1 - f_t) \\odot z_t, \\qquad h_t = o_t \\odot c_t

    The gates read inputs only (a causal convolution of width 2 over time, x_0 taken from the state),
    so all of them are computed for every t at once. What is left, c_t = a_t c_{t-1} + b_t with
    a_t = f_t and b_t = (1 - f_t) z_t, is the paper's fo-pooling: an elementwise linear recurrence,
    computed by ``linear_scan``. The paper allows wider windows; this package fixes the width at 2.

    References
    ----------
    Bradbury, Merity, Xiong and Socher (2017), Quasi-recurrent neural networks, ICLR.
    Book chapter: linear recurrences and the parallel scan.
    """
    def __init__(self, input_size, hidden_size, *, bias=True, method="blelloch", dtype="float32", seed=None):
        self._setup(input_size, hidden_size, bias, dtype, seed)
        self.method = check_method(method, QRNN_METHODS, "QRNN")

    def _gates(self, window):
        """z, f, o from ``window`` = [x_{t-1}; x_t] (..., 2D): one matrix product per gate, no recurrence."""
        z = np.tanh(linear(window, self.weight_z, self.bias_z))  # (..., H)
        f = sigmoid(linear(window, self.weight_f, self.bias_f))
        o = sigmoid(linear(window, self.weight_o, self.bias_o))
        return z, f, o

    def __call__(self, x, state=None):
        x, (c0, x0) = self._inputs(x, state, step=False)
        x_prev = np.concatenate([x0[:, None], x[:, :-1]], axis=1)  # (B, T, D): x_{t-1}
        z, f, o = self._gates(np.concatenate([x_prev, x], axis=-1))  # (B, T, H) each, all t at once
        c = linear_scan(f, (1 - f) * z, c0, method=self.method)  # fo-pooling: (B, T, H)
        return o * c, (c[:, -1], x[:, -1])

    def step(self, x_t, state=None):
        x_t, (c_prev, x_prev) = self._inputs(x_t, state, step=True)
        z, f, o = self._gates(np.concatenate([x_prev, x_t], axis=-1))  # (B, H) each
        c = f * c_prev + (1 - f) * z
        return o * c, (c, x_t)
