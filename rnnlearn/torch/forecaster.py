"""A one-step-ahead forecaster in PyTorch: an LSTM and a linear read-out (autograd does the backward pass)."""

from __future__ import annotations

from torch import nn

from ..convert import copy_weights
from ..layout import canonical_dtype, make_rng
from ..model_layout import check_sizes, forecaster_extras
from ._base import linear_from
from .lstm import LSTM

__all__ = ["Forecaster"]


class Forecaster(nn.Module):
    """Predicts the next values of a series after every step: an LSTM and a linear read-out, in PyTorch.

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
    - parameters: ``lstm.*`` (those of ``rnnlearn.torch.LSTM``), ``head.weight`` (K, H), ``head.bias`` (K,).
      The LSTM runs with ``fused=True``, through ``torch.nn.LSTM``'s kernels.

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
        super().__init__()
        check_sizes("Forecaster", input_size=input_size, hidden_size=hidden_size, horizon=horizon)
        rng = make_rng(seed)  # one generator: the LSTM's weights first, then the read-out
        self.lstm = LSTM(input_size, hidden_size, fused=True, dtype=dtype, seed=rng)
        initial = forecaster_extras(hidden_size, horizon, rng, canonical_dtype(dtype, "Forecaster"))
        self.head = linear_from(initial["head.weight"], initial["head.bias"])
        self.horizon = horizon

    def forward(self, x, state=None):
        outputs, final_state = self.lstm(x, state)  # (B, T, H); the LSTM checks x's shape
        return self.head(outputs), final_state  # (B, T, K)

    def to_builtin(self) -> nn.Module:
        """The same function on ``torch.nn.LSTM`` and ``torch.nn.Linear``, which PyTorch's quantisation handles."""
        return _BuiltinForecaster(self)


class _BuiltinForecaster(nn.Module):
    def __init__(self, source: Forecaster):
        super().__init__()
        self.lstm = nn.LSTM(source.lstm.input_size, source.lstm.hidden_size, batch_first=True,
                            device=source.head.weight.device, dtype=source.head.weight.dtype)
        copy_weights(source.lstm, self.lstm)
        self.head = nn.Linear(source.head.in_features, source.head.out_features,
                              device=source.head.weight.device, dtype=source.head.weight.dtype)
        self.head.load_state_dict(source.head.state_dict())

    def forward(self, x, state=None):
        outputs, final_state = self.lstm(x, state)  # (B, T, H)
        return self.head(outputs), final_state  # (B, T, K)
