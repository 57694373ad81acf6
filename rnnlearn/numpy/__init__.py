"""Reference implementations in NumPy: forward and hand-written backward passes (BPTT).

These are the oracle the PyTorch and Keras twins are tested against. Same names, constructor
arguments and call convention as ``rnnlearn.torch`` and ``rnnlearn.keras``::

    h, state = cell(x_t, state)                              # x_t (B, D)
    outputs, final_state = layer(x, state=None, lengths=None)  # x (B, T, D)
    grads = layer.backward(d_outputs, d_final_state)          # the last call's gradients
"""

from .gradcheck import gradcheck
from .gru import GRU, GRUCell
from .jordan import JordanRNN
from .lstm import LSTM, LSTMCell
from .mingru import MinGRU, MinLSTM
from .rglru import RGLRU
from .rnn import RNN, RNNCell
from .rwkv import RWKVTimeMix
from .scan import linear_scan, log_space_scan
from .xlstm import MLSTM

__all__ = ["RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU", "JordanRNN", "gradcheck",
           "MinGRU", "MinLSTM", "RWKVTimeMix", "MLSTM", "RGLRU",
           "linear_scan", "log_space_scan"]
