"""The weights of the package's whole models, ``CharLSTM`` and ``Forecaster``: names, shapes, first values.

:mod:`rnnlearn.layout` describes one recurrent layer. A whole model wraps an LSTM in an embedding (a
character model) and a linear read-out, the *head*. Their neutral names are the keys of the PyTorch
twin's ``state_dict``, and every twin starts from the same numbers for the same ``seed``:

==================  ==============  ===================================================
name                shape           meaning
==================  ==============  ===================================================
``embed.weight``    (V, E)          row ``k`` is the vector of character ``k`` (CharLSTM)
``lstm.<name>``     see layout      the LSTM's tensors: ``lstm.weight_ih_l0`` ...
``head.weight``     (K, H)          read-out weights, used as ``h @ head.weight.T``
``head.bias``       (K,)            read-out bias
==================  ==============  ===================================================

K is the vocabulary size V for ``CharLSTM`` and the horizon for ``Forecaster``. Keras's ``Dense``
layer stores ``head.weight`` transposed, as its ``kernel`` (H, K); :mod:`rnnlearn.convert` handles that.

This module imports no framework.
"""

from __future__ import annotations

import numpy as np

from .checks import positive_int

__all__ = ["check_sizes", "charlm_extras", "forecaster_extras", "lstm_prefix"]

# The prefix of the LSTM's tensors in a whole model's neutral names.
lstm_prefix = "lstm."


def check_sizes(where: str, **sizes) -> None:
    """Raise a ``ValueError`` naming the first argument that is not a positive integer."""
    for name, value in sizes.items():
        positive_int(value, name, where)


def charlm_extras(vocab_size: int, embed_size: int, hidden_size: int, rng: np.random.Generator,
                  dtype: str = "float32") -> dict[str, np.ndarray]:
    """First values of a ``CharLSTM``'s embedding and head, drawn from ``rng`` after the LSTM's weights.

    The embedding is standard normal, as ``torch.nn.Embedding`` starts; the head is uniform in
    (-1/sqrt(H), 1/sqrt(H)), as ``torch.nn.Linear`` starts.
    """
    bound = 1.0 / np.sqrt(hidden_size)
    values = {
        "embed.weight": rng.standard_normal((vocab_size, embed_size)),
        "head.weight": rng.uniform(-bound, bound, (vocab_size, hidden_size)),
        "head.bias": rng.uniform(-bound, bound, (vocab_size,)),
    }
    return {name: value.astype(dtype) for name, value in values.items()}


def forecaster_extras(hidden_size: int, horizon: int, rng: np.random.Generator,
                      dtype: str = "float32") -> dict[str, np.ndarray]:
    """First values of a ``Forecaster``'s head: weights uniform in (-1/sqrt(H), 1/sqrt(H)), bias zero.

    A zero bias makes the untrained forecast zero on average, the mean of a standardised series.
    """
    bound = 1.0 / np.sqrt(hidden_size)
    values = {
        "head.weight": rng.uniform(-bound, bound, (horizon, hidden_size)),
        "head.bias": np.zeros(horizon),
    }
    return {name: value.astype(dtype) for name, value in values.items()}
