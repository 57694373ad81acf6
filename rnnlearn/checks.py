"""Argument checks shared by the whole package: each failure is a ``ValueError`` that names the function or
class, the argument, what was expected and what came (``"TCN expected kernel_size to be an integer >= 2, got 1"``),
so a reader can act on it. NumPy only, so importing it stays light."""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["positive_int", "at_least", "finite_real", "positive_float", "non_negative_float", "one_of"]


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) and bool(np.isfinite(value))


def positive_int(value, name: str, where: str, *, even: bool = False) -> int:
    """Return ``value`` as an ``int`` if it is an integer >= 1 (and even, if asked), else raise ``ValueError``."""
    if not _is_int(value) or value < 1 or (even and value % 2):
        kind = "a positive even integer" if even else "a positive integer"
        raise ValueError(f"{where} expected {name} to be {kind}, got {value!r}")
    return int(value)


def at_least(value, minimum: int, name: str, where: str, why: str = "") -> int:
    """Return ``value`` as an ``int`` if it is an integer >= ``minimum``, else raise ``ValueError``."""
    reason = f" ({why})" if why else ""
    if not _is_int(value):
        raise ValueError(f"{where} expected {name} to be an integer >= {minimum}{reason}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{where} expected {name} >= {minimum}{reason}, got {value!r}")
    return int(value)


def finite_real(value, name: str, where: str) -> float:
    """Return ``value`` as a ``float`` if it is a finite real number, else raise ``ValueError``."""
    if not _is_real(value):
        raise ValueError(f"{where} expected {name} to be a finite real number, got {value!r}")
    return float(value)


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
