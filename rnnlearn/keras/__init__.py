"""Keras 3 twins of the NumPy reference models, written only with ``keras.ops`` (any backend).

Same names, constructor arguments and call convention as ``rnnlearn.numpy`` and ``rnnlearn.torch``.
Each layer returns ``(outputs, final_state)``; in ``keras.Sequential`` follow it with
``TakeOutputs()`` (all steps) or ``TakeOutputs(last_step=True)``.
"""

from ._base import TakeOutputs
from .gru import GRU, GRUCell
from .jordan import JordanRNN
from .lstm import LSTM, LSTMCell
from .mingru import MinGRU, MinLSTM
from .rglru import RGLRU
from .rnn import RNN, RNNCell
from .rwkv import RWKVTimeMix
from .scan import linear_scan, log_space_scan
from .xlstm import MLSTM

__all__ = ["RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU", "JordanRNN", "TakeOutputs",
           "MinGRU", "MinLSTM", "RWKVTimeMix", "MLSTM", "RGLRU",
           "linear_scan", "log_space_scan"]
