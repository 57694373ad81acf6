"""What the three ``linear_scan`` twins share: the method names and the argument checks.

Framework-free (plain Python and NumPy), so that ``import rnnlearn`` stays light and the three twins
raise the same messages.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SCAN_METHODS", "check_scan_method", "check_scan_shapes", "check_real", "check_positive"]

# "associative" (keras.ops.associative_scan) exists only in the Keras twin.
SCAN_METHODS = ("sequential", "hillis_steele", "blelloch", "log")


def _fmt(shape) -> str:
    return "(" + ", ".join("?" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def check_scan_method(method, methods=SCAN_METHODS, where="linear_scan"):
    """Raise a ``ValueError`` naming the known methods if ``method`` is not one of them."""
    if method not in methods:
        raise ValueError(f"{where} expected method to be one of {methods}, got {method!r}")


def _same(want, got) -> bool:
    return want is None or got is None or want == got


def check_scan_shapes(a_shape, b_shape, h0_shape=None, where="linear_scan"):
    """Check the shapes of ``a`` (B, T, ...), ``b`` (B, T, ...) and ``h0`` (B, ...).

    ``a`` must have as many axes as ``b`` and each of its sizes must equal ``b``'s or be 1
    (NumPy broadcasting along an axis); ``h0`` must be ``b``'s shape without the time axis.
    Sizes may be None (unknown, inside a traced Keras function): those are not checked.
    """
    a_shape, b_shape = tuple(a_shape), tuple(b_shape)
    if len(b_shape) < 2:
        raise ValueError(f"{where} expected b of shape (B, T, ...) with at least 2 axes, got {_fmt(b_shape)}")
    if len(a_shape) != len(b_shape) or not all(_same(x, y) or x == 1 for x, y in zip(a_shape, b_shape)):
        raise ValueError(f"{where} expected a of shape {_fmt(b_shape)} (the shape of b), or one that broadcasts "
                         f"to it with sizes of 1, got {_fmt(a_shape)}")
    if h0_shape is not None:
        h0_shape, want = tuple(h0_shape), (b_shape[0],) + b_shape[2:]
        if len(h0_shape) != len(want) or not all(_same(x, y) for x, y in zip(want, h0_shape)):
            raise ValueError(f"{where} expected h0 of shape {_fmt(want)} (b's shape without the time axis), "
                             f"got {_fmt(h0_shape)}")


def check_real(dtype, where="linear_scan(method='log')"):
    """Raise for complex inputs: the log-space scan is written for real a > 0."""
    if "complex" in str(dtype):
        raise ValueError(f"{where} expected real a and b, got dtype {dtype}; use a linear-space method for complex numbers")


def check_positive(smallest, where="linear_scan(method='log')"):
    """Raise if the smallest entry of ``a`` is not positive (log-space needs log a)."""
    smallest = float(np.asarray(smallest))
    if not smallest > 0:
        raise ValueError(f"{where} expected a > 0 everywhere (it takes log a), got min(a) = {smallest:.6g}; "
                         "use a linear-space method for coefficients that can be zero or negative")
