"""Reference implementations in NumPy: forward and hand-written backward passes (BPTT).

These are the oracle the PyTorch and Keras twins are tested against. Same names, constructor
arguments and call convention as ``rnnlearn.torch`` and ``rnnlearn.keras``::

    h, state = cell(x_t, state)                              # x_t (B, D)
    outputs, final_state = layer(x, state=None, lengths=None)  # x (B, T, D)
    grads = layer.backward(d_outputs, d_final_state)          # the last call's gradients
"""

from .attention import AdditiveAttention, MultiplicativeAttention
from .causal_attention import CausalSelfAttention
from .charlm import CharLSTM
from .dropout import VariationalDropout
from .forecaster import Forecaster
from .gradcheck import gradcheck
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
    "gradcheck",
]
