"""A character language model in Keras 3 (any backend): embedding, LSTM, linear head."""

from __future__ import annotations

import keras
from keras import ops

from ..layout import canonical_dtype, make_rng
from ..model_layout import charlm_extras, check_sizes
from .lstm import LSTM

__all__ = ["CharLSTM"]


class CharLSTM(keras.layers.Layer):
    """Predicts the next character from the previous ones: ids -> embedding -> LSTM -> logits, in Keras.

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
    - weights: ``embed.embeddings`` (V, E), ``lstm`` (an ``rnnlearn.keras.LSTM``), ``head.kernel`` (H, V)
      (Keras's ``Dense`` keeps the transpose of PyTorch's ``head.weight``), ``head.bias`` (V,).

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
        dtype = canonical_dtype(dtype, "CharLSTM")
        super().__init__(dtype=dtype)
        check_sizes("CharLSTM", vocab_size=vocab_size, embed_size=embed_size, hidden_size=hidden_size,
                    num_layers=num_layers)
        self._init_config = dict(vocab_size=vocab_size, embed_size=embed_size, hidden_size=hidden_size,
                                 num_layers=num_layers, dtype=dtype)
        rng = make_rng(seed)  # one generator: the LSTM's weights first, then the embedding and the head
        lstm = LSTM(embed_size, hidden_size, num_layers=num_layers, dtype=dtype, seed=rng)
        initial = charlm_extras(vocab_size, embed_size, hidden_size, rng, dtype)
        self.embed = keras.layers.Embedding(vocab_size, embed_size, dtype=dtype)
        self.embed.build()
        self.embed.embeddings.assign(initial["embed.weight"])
        self.lstm = lstm
        self.head = keras.layers.Dense(vocab_size, dtype=dtype)
        self.head.build((None, hidden_size))
        self.head.kernel.assign(initial["head.weight"].T)  # Keras keeps (H, V)
        self.head.bias.assign(initial["head.bias"])
        self.vocab_size = vocab_size
        self.built = True

    def call(self, ids, state=None):
        ids = ops.convert_to_tensor(ids)
        if len(ids.shape) != 2 or "int" not in keras.backend.standardize_dtype(ids.dtype):
            raise ValueError(f"CharLSTM expected integer ids of shape (B, T), got shape {tuple(ids.shape)} "
                             f"{keras.backend.standardize_dtype(ids.dtype)}")
        outputs, state = self.lstm(self.embed(ids), state)  # (B, T, H)
        return self.head(outputs), state  # (B, T, V)

    def get_config(self):
        return {**super().get_config(), **self._init_config}

    @classmethod
    def from_config(cls, config):
        """A model of the same sizes (new weights: load them with ``load_weights`` or ``copy_weights``)."""
        config = {key: value for key, value in config.items() if key not in ("name", "trainable")}
        return cls(**config)
