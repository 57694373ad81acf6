"""PyTorch twins of the NumPy reference models: ``torch.nn.Module`` subclasses, same names and conventions.

Parameters carry ``torch.nn.LSTM``'s names (``weight_ih_l0`` ...), so a twin's ``state_dict`` loads
into the built-in layer and back. Layers take ``fused=True`` to run through the built-in kernels.
"""

from .attention import CausalSelfAttention
from .gru import GRU, GRUCell
from .jordan import JordanRNN
from .lstm import LSTM, LSTMCell
from .rnn import RNN, RNNCell
from .tcn import TCN

__all__ = ["RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU", "JordanRNN", "CausalSelfAttention", "TCN"]
