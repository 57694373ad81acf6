"""A one-step-ahead forecaster in NumPy: an LSTM and a linear read-out, with the hand-written backward pass."""

from __future__ import annotations

import numpy as np

from ..layout import make_rng
from ..model_layout import check_sizes, forecaster_extras, lstm_prefix
from ..utils import check_shape
from .lstm import LSTM

__all__ = ["Forecaster"]


class Forecaster:
    """Predicts the next values of a series after every step: an LSTM and a linear read-out, in NumPy.

    Parameters
    ----------
    input_size : int
        D, features per step (1 for a univariate series).
    hidden_size : int
        H, units of the LSTM.
    horizon : int
        K, the number of values predicted from each state (default 1: the next one).
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation (the LSTM's weights, then the read-out's); None draws one from NumPy's
        global generator (see ``set_seed``). The same seed gives the same weights in the three twins.

    Shapes
    ------
    B batch, T time, D input features, H hidden units, K horizon.

    - ``x``: (B, T, D); ``state``: ``(h, c)``, each (1, B, H), or None for zeros.
    - returns ``predictions`` (B, T, K), the forecast made after each step, and the final state.
      Feeding the final state back with the next chunk continues the stream exactly.
    - ``params``: ``head.weight`` (K, H), ``head.bias`` (K,); ``lstm`` holds the rest.

    Notes
    -----
    .. math::

        (h_t, c_t) = \\mathrm{LSTM}(x_t, (h_{t-1}, c_{t-1}))
        \\hat x_{t+1} = W_{hy} h_t + b_{hy}

    References
    ----------
    Hochreiter and Schmidhuber (1997), Long short-term memory. Book chapter: time series and streaming.
    """

    def __init__(self, input_size, hidden_size, *, horizon=1, dtype="float32", seed=None):
        check_sizes("Forecaster", input_size=input_size, hidden_size=hidden_size, horizon=horizon)
        rng = make_rng(seed)  # one generator: the LSTM's weights first, then the read-out
        self.lstm = LSTM(input_size, hidden_size, dtype=dtype, seed=rng)
        self.params = forecaster_extras(hidden_size, horizon, rng, self.lstm.dtype)
        self.horizon = horizon
        self._cache = None

    def __call__(self, x, state=None):
        outputs, state = self.lstm(x, state)  # (B, T, H); the LSTM checks x's shape
        predictions = outputs @ self.params["head.weight"].T + self.params["head.bias"]  # (B, T, K)
        self._cache = outputs
        return predictions, state

    def backward(self, d_predictions, d_final_state=None):
        """Gradients of the last call, by backpropagation through time.

        ``d_predictions`` is dLoss/d predictions (B, T, K), ``d_final_state`` dLoss/d final state (None:
        zeros). Returns a dict keyed by the neutral names (``lstm.weight_ih_l0``, ..., ``head.weight``,
        ``head.bias``) plus ``"x"`` (B, T, D) and ``"state"``, the gradient of the initial state.
        """
        if self._cache is None:
            raise ValueError("Forecaster.backward called before a forward call")
        outputs = self._cache
        d_predictions = np.asarray(d_predictions, dtype=outputs.dtype)
        check_shape(d_predictions, outputs.shape[:2] + (self.horizon,), "d_predictions", "Forecaster.backward")
        flat_d, flat_h = d_predictions.reshape(-1, self.horizon), outputs.reshape(-1, outputs.shape[-1])
        lstm = self.lstm.backward(d_predictions @ self.params["head.weight"], d_final_state)
        grads = {lstm_prefix + name: lstm[name] for name in self.lstm.params}
        grads["head.weight"] = flat_d.T @ flat_h
        grads["head.bias"] = flat_d.sum(0)
        grads["x"], grads["state"] = lstm["x"], lstm["state"]
        return grads
