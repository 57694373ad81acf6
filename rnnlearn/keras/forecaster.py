"""A one-step-ahead forecaster in Keras 3 (any backend): an LSTM and a linear read-out."""

from __future__ import annotations

import keras

from ..layout import canonical_dtype, make_rng
from ..model_layout import check_sizes, forecaster_extras
from .lstm import LSTM

__all__ = ["Forecaster"]


class Forecaster(keras.layers.Layer):
    """Predicts the next values of a series after every step: an LSTM and a linear read-out, in Keras.

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
    - weights: ``lstm`` (an ``rnnlearn.keras.LSTM``), ``head.kernel`` (H, K) (Keras's ``Dense`` keeps the
      transpose of PyTorch's ``head.weight``), ``head.bias`` (K,).

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
        dtype = canonical_dtype(dtype, "Forecaster")
        super().__init__(dtype=dtype)
        check_sizes("Forecaster", input_size=input_size, hidden_size=hidden_size, horizon=horizon)
        self._init_config = dict(input_size=input_size, hidden_size=hidden_size, horizon=horizon, dtype=dtype)
        rng = make_rng(seed)  # one generator: the LSTM's weights first, then the read-out
        self.lstm = LSTM(input_size, hidden_size, dtype=dtype, seed=rng)
        initial = forecaster_extras(hidden_size, horizon, rng, dtype)
        self.head = keras.layers.Dense(horizon, dtype=dtype)
        self.head.build((None, hidden_size))
        self.head.kernel.assign(initial["head.weight"].T)  # Keras keeps (H, K)
        self.head.bias.assign(initial["head.bias"])
        self.horizon = horizon
        self.built = True

    def call(self, x, state=None):
        outputs, final_state = self.lstm(x, state)  # (B, T, H); the LSTM checks x's shape
        return self.head(outputs), final_state  # (B, T, K)

    def get_config(self):
        return {**super().get_config(), **self._init_config}

    @classmethod
    def from_config(cls, config):
        """A model of the same sizes (new weights: load them with ``load_weights`` or ``copy_weights``)."""
        config = {key: value for key, value in config.items() if key not in ("name", "trainable")}
        return cls(**config)
