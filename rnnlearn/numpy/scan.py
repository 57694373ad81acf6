"""TEMPORARY STUB of ``linear_scan`` (branch modern-gated), replaced by the real module of branch modern-scan.

Only the signature is the real one; every method runs the sequential loop.
"""

from __future__ import annotations

import numpy as np

__all__ = ["linear_scan"]


def linear_scan(a, b, h0=None, *, method="sequential"):
    """h_t = a_t * h_{t-1} + b_t over axis 1: a, b (B, T, ...), h0 (B, ...) or None (zeros) -> h (B, T, ...)."""
    a, b = np.asarray(a), np.asarray(b)
    h = np.zeros_like(b[:, 0]) if h0 is None else np.asarray(h0)
    out = np.empty_like(b)
    for t in range(b.shape[1]):
        h = a[:, t] * h + b[:, t]
        out[:, t] = h
    return out
