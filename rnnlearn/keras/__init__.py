"""Keras 3 twins of the NumPy reference models, written only with ``keras.ops`` (any backend).

Same names, constructor arguments and call convention as ``rnnlearn.numpy`` and ``rnnlearn.torch``.
Each layer returns ``(outputs, final_state)``; in ``keras.Sequential`` follow it with
``TakeOutputs()`` (all steps) or ``TakeOutputs(last_step=True)``.
"""

from ._base import TakeOutputs
from .attention import CausalSelfAttention
from .gru import GRU, GRUCell
from .jordan import JordanRNN
from .lstm import LSTM, LSTMCell
from .rnn import RNN, RNNCell
from .tcn import TCN

__all__ = ["RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU", "JordanRNN", "CausalSelfAttention", "TCN", "TakeOutputs"]
