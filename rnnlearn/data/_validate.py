"""Argument checks shared by the task generators: each failure is a ``ValueError`` naming what was
expected and what came, so a reader can act on it."""

from __future__ import annotations

import numbers

import numpy as np

#: Target value that marks "no answer expected here"; the default ``ignore_index`` of
#: ``torch.nn.CrossEntropyLoss`` (Keras: ``SparseCategoricalCrossentropy(ignore_class=-100)``).
IGNORE_INDEX = -100


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) and bool(np.isfinite(value))


def positive_int(value, name: str, where: str) -> int:
    """Return ``value`` as an ``int`` if it is an integer >= 1, else raise ``ValueError``."""
    if not _is_int(value) or value < 1:
        raise ValueError(f"{where} expected {name} to be a positive integer, got {value!r}")
    return int(value)


def at_least(value, minimum: int, name: str, where: str, why: str = "") -> int:
    """Return ``value`` as an ``int`` if it is an integer >= ``minimum``, else raise ``ValueError``."""
    reason = f" ({why})" if why else ""
    if not _is_int(value):
        raise ValueError(f"{where} expected {name} to be an integer >= {minimum}{reason}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{where} expected {name} >= {minimum}{reason}, got {value!r}")
    return int(value)


def positive_float(value, name: str, where: str) -> float:
    """Return ``value`` as a ``float`` if it is a finite real number > 0, else raise ``ValueError``."""
    if not _is_real(value) or value <= 0:
        raise ValueError(f"{where} expected {name} to be a positive number, got {value!r}")
    return float(value)


def non_negative_float(value, name: str, where: str) -> float:
    """Return ``value`` as a ``float`` if it is a finite real number >= 0, else raise ``ValueError``."""
    if not _is_real(value) or value < 0:
        raise ValueError(f"{where} expected {name} to be a non-negative number, got {value!r}")
    return float(value)


def one_of(value, choices: tuple, name: str, where: str):
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError`` listing them."""
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{where} expected {name} to be one of {listed}, got {value!r}")
    return value


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
