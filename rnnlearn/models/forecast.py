"""A one-step-ahead forecaster: an ``rnnlearn.torch.LSTM`` followed by a linear read-out (chapter 13)."""

from __future__ import annotations

import torch
from torch import nn

from ..convert import copy_weights
from ..torch import LSTM

__all__ = ["Forecaster"]


class Forecaster(nn.Module):
    r"""Predict the next value of a series from every prefix: :math:`\hat x_{t+1} = w^\top h_t + b`.

    Parameters
    ----------
    input_size : int
        D, features per step (1 for a univariate series).
    hidden_size : int
        H, units of the LSTM.
    horizon : int
        Number of future values predicted from each state (default 1).
    seed : int or None
        Seed of the LSTM's and the read-out's initialisation.

    Shapes
    ------
    B batch, T time, D input features, H hidden units.

    - ``x``: (B, T, D); ``state``: ``(h, c)``, each (1, B, H), or None for zeros.
    - returns ``predictions`` (B, T, horizon), the forecast made after each step, and the final state.
      Feeding the final state back with the next chunk continues the stream exactly.
    """

    def __init__(self, input_size: int, hidden_size: int, *, horizon: int = 1, seed: int | None = None):
        super().__init__()
        self.lstm = LSTM(input_size, hidden_size, fused=True, seed=seed)
        generator = torch.Generator().manual_seed(0 if seed is None else int(seed))
        self.head = nn.Linear(hidden_size, horizon)
        with torch.no_grad():
            bound = hidden_size**-0.5
            self.head.weight.copy_(torch.empty_like(self.head.weight).uniform_(-bound, bound, generator=generator))
            self.head.bias.zero_()

    def forward(self, x, state=None):
        outputs, final_state = self.lstm(x, state)  # (B, T, H)
        return self.head(outputs), final_state  # (B, T, horizon)

    def to_builtin(self) -> nn.Module:
        """The same function on ``torch.nn.LSTM`` and ``torch.nn.Linear``, which PyTorch's quantisation handles."""
        return _BuiltinForecaster(self)


class _BuiltinForecaster(nn.Module):
    def __init__(self, source: Forecaster):
        super().__init__()
        self.lstm = nn.LSTM(source.lstm.input_size, source.lstm.hidden_size, batch_first=True)
        copy_weights(source.lstm, self.lstm)
        self.head = nn.Linear(source.head.in_features, source.head.out_features)
        self.head.load_state_dict(source.head.state_dict())

    def forward(self, x, state=None):
        outputs, final_state = self.lstm(x, state)  # (B, T, H)
        return self.head(outputs), final_state
