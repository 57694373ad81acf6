"""Argument checks shared by the task generators: each failure is a ``ValueError`` naming what was
expected and what came, so a reader can act on it."""

from __future__ import annotations

import numpy as np

from ..checks import _is_int, _is_real, at_least, non_negative_float, one_of, positive_float, positive_int  # noqa: F401

#: Target value that marks "no answer expected here"; the default ``ignore_index`` of
#: ``torch.nn.CrossEntropyLoss`` (Keras: ``SparseCategoricalCrossentropy(ignore_class=-100)``).
IGNORE_INDEX = -100


def make_rng(seed, where: str) -> np.random.Generator:
    """Turn ``seed`` into a ``np.random.Generator`` without touching NumPy's global state.

    ``seed`` is a non-negative integer (the same integer always gives the same arrays) or an existing
    ``np.random.Generator`` (so a training loop can draw a fresh batch per step from one generator).
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if not _is_int(seed) or seed < 0:
        raise ValueError(
            f"{where} expected seed to be a non-negative integer or a numpy.random.Generator, got {seed!r}"
        )
    return np.random.default_rng(int(seed))
