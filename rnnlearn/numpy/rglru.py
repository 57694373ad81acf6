"""Griffin's real-gated linear recurrent unit (RG-LRU) in NumPy (De et al. 2024)."""

from __future__ import annotations

import numpy as np

from ..gated_layout import RGLRU_METHODS, check_c, check_method
from ._gated import GatedRecurrence, linear, sigmoid, softplus
from .scan import linear_scan

__all__ = ["RGLRU"]


class RGLRU(GatedRecurrence):
    """Griffin's RG-LRU: a diagonal linear recurrence whose decay a_t and input are gated by the input. In NumPy, batch-first.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the number of units (the recurrence is diagonal: one number per unit).
    bias : bool
        If False, no ``bias_in``, ``bias_a`` and ``bias_x``.
    c : float
        The constant in a_t = a^(c r_t); 8.0 (default) as in the paper.
    method : str
        The ``linear_scan`` algorithm of ``__call__``: ``"sequential"``, ``"hillis_steele"``,
        ``"blelloch"`` (default) or ``"log"``; all give the same numbers up to rounding, ``step`` is the
        recurrent form.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T time steps, D input features, H units.

    - ``__call__(x, state=None)``: ``x`` (B, T, D), ``state`` h_0 (B, H) or None for zeros;
      returns ``outputs`` (B, T, H), h_t at every step, and ``state`` h_T (B, H).
    - ``step(x_t, state=None)``: ``x_t`` (B, D); returns h_t (B, H) twice (output and state).
    - ``weight_in`` (H, D), ``weight_a``, ``weight_x`` (H, H), ``bias_in``, ``bias_a``, ``bias_x`` (H,);
      ``a_logit`` (H,) is Lambda.

    Notes
    -----
    .. math::

        u_t = W_{in} x_t + b_{in}
        r_t = \\sigma(W_a u_t + b_a), \\quad i_t = \\sigma(W_x u_t + b_x)
        a_t = a^{c r_t}, \\quad a = \\sigma(\\Lambda)
        h_t = a_t \\odot h_{t-1} + \\sqrt{1 - a_t^2} \\odot (i_t \\odot u_t)

    u_t is the RG-LRU's input: Griffin's recurrent block computes it with a linear layer (and a short
    convolution, left out here) from the block's input x_t. r_t is the recurrence gate, i_t the input
    gate; both read the input only, so h_t = a_t h_{t-1} + b_t is a linear recurrence and
    ``linear_scan`` computes all steps at once. a_t lies in (0, 1): computed as
    log a_t = -c r_t softplus(-Lambda), and sqrt(1 - a_t^2) as sqrt(-expm1(2 log a_t)). The factor
    sqrt(1 - a_t^2) keeps h_t of the size of its input when a_t is near 1.

    References
    ----------
    De, Smith, Fernando, Botev, Cristian-Muraru, Gu et al. (2024), Griffin: Mixing gated linear
    recurrences with local attention for efficient language models, arXiv:2402.19427 (the RG-LRU;
    initialisation of Lambda from the authors' recurrentgemma code). Book chapter: modern gated recurrences.
    """

    def __init__(self, input_size, hidden_size, *, bias=True, c=8.0, method="blelloch", dtype="float32", seed=None):
        self._setup(input_size, hidden_size, bias, dtype, seed)
        self.c = check_c(c)
        self.method = check_method(method, RGLRU_METHODS, "RGLRU")

    def _coefficients(self, x):
        """a_t and b_t of h_t = a_t h_{t-1} + b_t, from the input alone: (..., H) each."""
        u = linear(x, self.weight_in, self.bias_in)
        r = sigmoid(linear(u, self.weight_a, self.bias_a))  # recurrence gate
        i = sigmoid(linear(u, self.weight_x, self.bias_x))  # input gate
        log_a = -self.c * r * softplus(-self.a_logit)  # log sigma(Lambda)^(c r)
        return np.exp(log_a), np.sqrt(-np.expm1(2 * log_a)) * (i * u)

    def __call__(self, x, state=None):
        x, (h0,) = self._inputs(x, state, step=False)
        a, b = self._coefficients(x)  # (B, T, H) each
        h = linear_scan(a, b, h0, method=self.method)
        return h, h[:, -1]

    def step(self, x_t, state=None):
        x_t, (h_prev,) = self._inputs(x_t, state, step=True)
        a, b = self._coefficients(x_t)  # (B, H) each
        h = a * h_prev + b
        return h, h
