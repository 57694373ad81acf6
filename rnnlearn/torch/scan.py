"""TEMPORARY STUB of ``linear_scan`` (branch modern-gated), replaced by the real module of branch modern-scan.

Only the signature is the real one; every method runs the sequential loop.
"""

from __future__ import annotations

import torch

__all__ = ["linear_scan"]


def linear_scan(a, b, h0=None, *, method="sequential"):
    """h_t = a_t * h_{t-1} + b_t over axis 1: a, b (B, T, ...), h0 (B, ...) or None (zeros) -> h (B, T, ...)."""
    h = torch.zeros_like(b[:, 0]) if h0 is None else h0
    out = []
    for a_t, b_t in zip(a.unbind(1), b.unbind(1)):
        h = a_t * h + b_t
        out.append(h)
    return torch.stack(out, 1)
