"""PyTorch twins of the NumPy reference models: ``torch.nn.Module`` subclasses, same names and conventions.

Parameters carry ``torch.nn.LSTM``'s names (``weight_ih_l0`` ...), so a twin's ``state_dict`` loads
into the built-in layer and back. Layers take ``fused=True`` to run through the built-in kernels.
"""

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
]
