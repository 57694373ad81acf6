"""PyTorch twins of the NumPy reference models: ``torch.nn.Module`` subclasses, same names and conventions.

Parameters carry ``torch.nn.LSTM``'s names (``weight_ih_l0`` ...), so a twin's ``state_dict`` loads
into the built-in layer and back. Layers take ``fused=True`` to run through the built-in kernels.
"""

from .gru import GRU, GRUCell
from .jordan import JordanRNN
from .lstm import LSTM, LSTMCell
from .mingru import MinGRU, MinLSTM
from .rglru import RGLRU
from .rnn import RNN, RNNCell
from .rwkv import RWKVTimeMix
from .scan import linear_scan, log_space_scan
from .xlstm import MLSTM

__all__ = ["RNNCell", "LSTMCell", "GRUCell", "RNN", "LSTM", "GRU", "JordanRNN",
           "MinGRU", "MinLSTM", "RWKVTimeMix", "MLSTM", "RGLRU",
           "linear_scan", "log_space_scan"]
