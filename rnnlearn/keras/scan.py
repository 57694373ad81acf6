"""TEMPORARY STUB of ``linear_scan`` (branch modern-gated), replaced by the real module of branch modern-scan.

Only the signature is the real one; every method runs the sequential loop.
"""

from __future__ import annotations

from keras import ops

__all__ = ["linear_scan"]


def linear_scan(a, b, h0=None, *, method="sequential"):
    """h_t = a_t * h_{t-1} + b_t over axis 1: a, b (B, T, ...), h0 (B, ...) or None (zeros) -> h (B, T, ...)."""
    T = b.shape[1]
    h = ops.zeros_like(b[:, 0]) if h0 is None else h0
    out = []
    for a_t, b_t in zip(ops.unstack(a, num=T, axis=1), ops.unstack(b, num=T, axis=1)):
        h = a_t * h + b_t
        out.append(h)
    return ops.stack(out, axis=1)
