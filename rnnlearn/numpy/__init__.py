"""Reference implementations in NumPy: forward and hand-written backward passes (BPTT).

These are the oracle the PyTorch and Keras twins are tested against. Same names, constructor
arguments and call convention as ``rnnlearn.torch`` and ``rnnlearn.keras``::

    h, state = cell(x_t, state)                              # x_t (B, D)
    outputs, final_state = layer(x, state=None, lengths=None)  # x (B, T, D)
    grads = layer.backward(d_outputs, d_final_state)          # the last call's gradients
"""

from .attention import CausalSelfAttention
from .gradcheck import gradcheck
from .gru import GRU, GRUCell
from .jordan import JordanRNN
from .lstm import LSTM, LSTMCell
from .rnn import RNN, RNNCell
from .tcn import TCN

__all__ = ["RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU", "JordanRNN", "CausalSelfAttention", "TCN", "gradcheck"]
