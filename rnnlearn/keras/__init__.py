"""Keras 3 twins of the NumPy reference models, written only with ``keras.ops`` (any backend).

Same names, constructor arguments and call convention as ``rnnlearn.numpy`` and ``rnnlearn.torch``.
Each layer returns ``(outputs, final_state)``; in ``keras.Sequential`` follow it with
``TakeOutputs()`` (all steps) or ``TakeOutputs(last_step=True)``.
"""

from ._base import TakeOutputs
from .attention import AdditiveAttention, MultiplicativeAttention
from .causal_attention import CausalSelfAttention
from .charlm import CharLSTM
from .dropout import VariationalDropout
from .forecaster import Forecaster
from .gru import GRU, GRUCell
from .jordan import JordanRNN
from .linear_attention import LinearAttention
from .lstm import LSTM, LSTMCell
from .mingru import MinGRU, MinLSTM
from .qrnn import QRNN
from .rglru import RGLRU
from .rnn import RNN, RNNCell
from .rwkv import RWKVTimeMix
from .scan import linear_scan, log_space_scan
from .ssm import LRU, S4D, SelectiveSSM
from .tcn import TCN
from .xlstm import MLSTM

__all__ = [
    # classic recurrent layers (Part II)
    "RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU", "JordanRNN",
    # practice (Part III)
    "VariationalDropout", "CharLSTM", "Forecaster", "AdditiveAttention", "MultiplicativeAttention",
    # transformers and the recurrent revival (Part IV)
    "CausalSelfAttention", "TCN", "linear_scan", "log_space_scan", "LinearAttention", "S4D", "LRU", "SelectiveSSM",
    "MinGRU", "MinLSTM", "RWKVTimeMix", "MLSTM", "RGLRU",
    # linear recurrences and the parallel scan (chapter 15)
    "QRNN",
    # tools
    "TakeOutputs",
]
