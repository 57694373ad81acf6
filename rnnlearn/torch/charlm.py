"""A character language model in PyTorch: embedding, LSTM, linear head (autograd does the backward pass)."""

from __future__ import annotations

import torch
from torch import nn

from ..layout import canonical_dtype, make_rng
from ..model_layout import charlm_extras, check_sizes
from ._base import linear_from
from .lstm import LSTM

__all__ = ["CharLSTM"]


class CharLSTM(nn.Module):
    """Predicts the next character from the previous ones: ids -> embedding -> LSTM -> logits, in PyTorch.

    Parameters
    ----------
    vocab_size : int
        V, the number of distinct characters.
    embed_size : int
        E, the size of each character's learned vector.
    hidden_size : int
        H, the LSTM's hidden units.
    num_layers : int
        L, stacked LSTM layers.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation (the LSTM's weights, then the embedding's and the head's); None draws
        one from NumPy's global generator (see ``set_seed``). The same seed gives the same weights in the
        NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T time, V vocabulary, E embedding, H hidden, L layers.

    - ``ids``: integers (B, T) in [0, V); ``state``: ``(h, c)``, each (L, B, H), or None for zeros.
    - returns ``logits`` (B, T, V), the unnormalised scores of the next character after every step, and
      the final ``state``, which continues the text exactly when passed back.
    - parameters: ``embed.weight`` (V, E), ``lstm.*`` (those of ``rnnlearn.torch.LSTM``), ``head.weight``
      (V, H), ``head.bias`` (V,). The LSTM runs with ``fused=True``, through ``torch.nn.LSTM``'s kernels.

    Notes
    -----
    .. math::

        e_t = W_{emb}[x_t]
        (h_t, c_t) = \\mathrm{LSTM}(e_t, (h_{t-1}, c_{t-1}))
        p(x_{t+1} \\mid x_1, \\dots, x_t) = \\mathrm{softmax}(W_{hy} h_t + b_{hy})

    References
    ----------
    Graves (2013), Generating sequences with recurrent neural networks. Book chapter: language models.
    """

    def __init__(self, vocab_size, embed_size, hidden_size, *, num_layers=1, dtype="float32", seed=None):
        super().__init__()
        check_sizes("CharLSTM", vocab_size=vocab_size, embed_size=embed_size, hidden_size=hidden_size,
                    num_layers=num_layers)
        rng = make_rng(seed)  # one generator: the LSTM's weights first, then the embedding and the head
        lstm = LSTM(embed_size, hidden_size, num_layers=num_layers, fused=True, dtype=dtype, seed=rng)
        initial = charlm_extras(vocab_size, embed_size, hidden_size, rng, canonical_dtype(dtype, "CharLSTM"))
        self.embed = nn.Embedding.from_pretrained(torch.from_numpy(initial["embed.weight"]), freeze=False)
        self.lstm = lstm
        self.head = linear_from(initial["head.weight"], initial["head.bias"])
        self.vocab_size = vocab_size

    def forward(self, ids, state=None):
        ids = torch.as_tensor(ids, device=self.head.weight.device)
        if ids.ndim != 2 or ids.is_floating_point() or ids.is_complex() or ids.dtype == torch.bool:
            raise ValueError(f"CharLSTM expected integer ids of shape (B, T), got shape {tuple(ids.shape)} {ids.dtype}")
        outputs, state = self.lstm(self.embed(ids), state)  # (B, T, H)
        return self.head(outputs), state  # (B, T, V)
