"""A character language model in NumPy: embedding, LSTM, linear head, and its hand-written backward pass."""

from __future__ import annotations

import numpy as np

from ..layout import make_rng
from ..model_layout import charlm_extras, check_sizes, lstm_prefix
from ..utils import check_shape
from .lstm import LSTM

__all__ = ["CharLSTM"]


class CharLSTM:
    """Predicts the next character from the previous ones: ids -> embedding -> LSTM -> logits, in NumPy.

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
    - ``params``: ``embed.weight`` (V, E), ``head.weight`` (V, H), ``head.bias`` (V,); ``lstm`` holds the rest.

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
        check_sizes("CharLSTM", vocab_size=vocab_size, embed_size=embed_size, hidden_size=hidden_size,
                    num_layers=num_layers)
        rng = make_rng(seed)  # one generator: the LSTM's weights first, then the embedding and the head
        self.lstm = LSTM(embed_size, hidden_size, num_layers=num_layers, dtype=dtype, seed=rng)
        self.params = charlm_extras(vocab_size, embed_size, hidden_size, rng, self.lstm.dtype)
        self.vocab_size = vocab_size
        self._cache = None

    def __call__(self, ids, state=None):
        ids = np.asarray(ids)
        check_shape(ids, ("B", "T"), "ids", "CharLSTM")
        if not np.issubdtype(ids.dtype, np.integer) or (ids.size and (ids.min() < 0 or ids.max() >= self.vocab_size)):
            raise ValueError(f"CharLSTM expected integer ids in [0, {self.vocab_size}), got dtype {ids.dtype}"
                             + (f" with values in [{ids.min()}, {ids.max()}]" if ids.size else ""))
        embedded = self.params["embed.weight"][ids]  # (B, T, E)
        outputs, state = self.lstm(embedded, state)  # (B, T, H)
        logits = outputs @ self.params["head.weight"].T + self.params["head.bias"]  # (B, T, V)
        self._cache = (ids, outputs)
        return logits, state

    def backward(self, d_logits, d_final_state=None):
        """Gradients of the last call, by backpropagation through time.

        ``d_logits`` is dLoss/d logits (B, T, V), ``d_final_state`` dLoss/d final state (None: zeros).
        Returns a dict keyed by the neutral names (``embed.weight``, ``lstm.weight_ih_l0``, ...,
        ``head.weight``, ``head.bias``) plus ``"state"``, the gradient of the initial state.
        """
        if self._cache is None:
            raise ValueError("CharLSTM.backward called before a forward call")
        ids, outputs = self._cache
        d_logits = np.asarray(d_logits, dtype=outputs.dtype)
        check_shape(d_logits, outputs.shape[:2] + (self.vocab_size,), "d_logits", "CharLSTM.backward")
        flat_d, flat_h = d_logits.reshape(-1, self.vocab_size), outputs.reshape(-1, outputs.shape[-1])
        head = {"head.weight": flat_d.T @ flat_h, "head.bias": flat_d.sum(0)}
        lstm = self.lstm.backward(d_logits @ self.params["head.weight"], d_final_state)  # d outputs (B, T, H)
        d_embed = np.zeros_like(self.params["embed.weight"])
        np.add.at(d_embed, ids, lstm["x"])  # a character used twice collects both gradients
        grads = {"embed.weight": d_embed}
        grads.update({lstm_prefix + name: lstm[name] for name in self.lstm.params})
        grads.update(head)
        grads["state"] = lstm["state"]
        return grads
