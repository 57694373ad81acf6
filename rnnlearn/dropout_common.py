"""What the three ``VariationalDropout`` twins share: the check of ``p`` and the check of a given mask.

Framework-free (NumPy only), like :mod:`rnnlearn.layout` for the recurrent layers.
"""

from __future__ import annotations

import numpy as np

from .layout import make_rng

__all__ = ["check_dropout_p", "mask_seed"]


def check_dropout_p(p, where: str = "VariationalDropout") -> float:
    """``p`` as a float in [0, 1), or a ``ValueError`` that names what came."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)) or not 0 <= p < 1:
        raise ValueError(f"{where} expected p to be a number in [0, 1), got {p!r}")
    return float(p)


def mask_seed(seed=None) -> int:
    """An integer seed for a framework's generator, from ``seed`` (int, NumPy Generator or None).

    None draws one from NumPy's global generator, as the twins' weights do, so ``set_seed`` makes the
    masks repeatable too.
    """
    return int(make_rng(seed).integers(0, 2**31 - 1))
