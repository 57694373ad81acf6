"""The linear recurrence h_t = a_t * h_{t-1} + b_t, computed four ways, in NumPy (the reference)."""

from __future__ import annotations

import numpy as np

from ..scan_checks import check_positive, check_real, check_scan_method, check_scan_shapes

__all__ = ["linear_scan", "log_space_scan"]


def linear_scan(a, b, h0=None, *, method="sequential"):
    """All states of the elementwise linear recurrence ``h_t = a_t * h_{t-1} + b_t``, in NumPy.

    Parameters
    ----------
    a : array (B, T, ...)
        The coefficients; the shape of ``b``, or one that broadcasts to it with sizes of 1
        (for example (1, T, ...) or (B, T, 1)).
    b : array (B, T, ...)
        The inputs.
    h0 : array (B, ...) or None
        The state before the first step; None for zeros.
    method : str
        ``"sequential"`` (the loop), ``"hillis_steele"``, ``"blelloch"`` or ``"log"`` (log-space, needs a > 0).
        All compute the same numbers up to rounding.

    Returns
    -------
    array (B, T, ...)
        ``h_1, ..., h_T``: the shape of ``b``.

    Shapes
    ------
    B batch, T time steps, ``...`` any number of further axes (features, heads, state size).

    Notes
    -----
    .. math::

        h_t = a_t \\odot h_{t-1} + b_t, \\quad t = 1, \\dots, T, \\qquad h_0 = \\mathrm{h0} \\text{ (or 0)}

    One step is the affine map :math:`h \\mapsto a h + b`. Two steps, :math:`(a_1, b_1)` then
    :math:`(a_2, b_2)`, are again one affine map,

    .. math::

        (a_1, b_1) \\bullet (a_2, b_2) = (a_2 a_1, \\; a_2 b_1 + b_2),

    and this composition is associative, so all prefixes :math:`h_t` can be computed by a parallel scan.
    ``h0`` is folded into the first input: :math:`b_1 \\leftarrow a_1 h_0 + b_1`.

    - ``"sequential"``: the loop itself, T dependent steps.
    - ``"hillis_steele"``: rounds k = 0, 1, ..., each position composes with the one :math:`2^k` steps
      back; :math:`\\lceil \\log_2 T \\rceil` rounds and O(T log T) work.
    - ``"blelloch"``: compose neighbouring pairs (up-sweep), scan the T/2 pairs the same way, then fill in
      the positions between them (down-sweep); O(T) work in :math:`2 \\log_2 T` rounds. An odd length
      is padded with the identity map (a = 1, b = 0).
    - ``"log"``: with :math:`a^*_t = \\sum_{s \\le t} \\log a_s` (and :math:`b_0 = h_0`, :math:`a^*_0 = 0`),

      .. math::

          h_t = \\exp\\Big(a^*_t + \\log \\sum_{s=0}^{t} \\exp(\\log b_s - a^*_s)\\Big),

      a cumulative sum and a cumulative log-sum-exp. It needs a > 0. Since h is linear in b, a b of
      any sign is split as :math:`b = b^+ - b^-` with :math:`b^+ = \\max(b, 0) + 1` and
      :math:`b^- = \\max(-b, 0) + 1`, both at least 1 so every logarithm is finite, and the two scans are
      subtracted. The price is rounding error relative to the scan of :math:`|b| + 1`, which grows with T
      in float32.

    References
    ----------
    Blelloch (1990), Prefix sums and their applications; Hillis and Steele (1986), Data parallel
    algorithms; Martin and Cundy (2018), Parallelizing linear recurrent neural nets over sequence length;
    Heinsen (2023), Efficient parallelization of a ubiquitous sequential computation.
    Book chapter: parallel scans and linear recurrences.
    """
    check_scan_method(method)
    a, b = np.asarray(a), np.asarray(b)
    check_scan_shapes(a.shape, b.shape, None if h0 is None else np.shape(h0))
    dtype = np.result_type(a, b)
    a, b = np.broadcast_to(a, b.shape).astype(dtype, copy=False), b.astype(dtype, copy=False)
    h0 = np.zeros(b.shape[:1] + b.shape[2:], dtype) if h0 is None else np.asarray(h0).astype(dtype, copy=False)
    if method == "log":
        check_real(dtype)
        check_positive(a.min())
        return _log_method(a, b, h0)
    if method == "sequential":
        return _sequential(a, b, h0)
    b = np.concatenate([a[:, :1] * h0[:, None] + b[:, :1], b[:, 1:]], axis=1)  # fold h0 into b_1
    return _hillis_steele(a, b) if method == "hillis_steele" else _blelloch(a, b)


def _combine(a_first, b_first, a_then, b_then):
    """Compose two steps: apply ``(a_first, b_first)``, then ``(a_then, b_then)``."""
    return a_then * a_first, a_then * b_first + b_then


def _sequential(a, b, h):
    """The loop: h_t = a_t h_{t-1} + b_t, one step after the other."""
    out = np.empty(b.shape, b.dtype)
    for t in range(b.shape[1]):
        h = a[:, t] * h + b[:, t]
        out[:, t] = h
    return out


def _hillis_steele(a, b):
    """Inclusive scan in ceil(log2 T) rounds: position t composes with position t - offset."""
    T, offset = b.shape[1], 1
    while offset < T:
        a_back = np.concatenate([np.ones_like(a[:, :offset]), a[:, :-offset]], axis=1)  # identity before t = 0
        b_back = np.concatenate([np.zeros_like(b[:, :offset]), b[:, :-offset]], axis=1)
        a, b = _combine(a_back, b_back, a, b)
        offset *= 2
    return b


def _blelloch(a, b):
    """Work-efficient inclusive scan: pair up (up-sweep), scan the pairs, fill in (down-sweep)."""
    T = b.shape[1]
    if T == 1:
        return b
    if T % 2:  # pad with the identity map so the steps pair up
        a = np.concatenate([a, np.ones_like(a[:, :1])], axis=1)
        b = np.concatenate([b, np.zeros_like(b[:, :1])], axis=1)
    a_even, a_odd, b_even, b_odd = a[:, 0::2], a[:, 1::2], b[:, 0::2], b[:, 1::2]
    a_pair, b_pair = _combine(a_even, b_even, a_odd, b_odd)  # up-sweep: steps (0, 1), (2, 3), ...
    h_odd = _blelloch(a_pair, b_pair)  # h at t = 1, 3, 5, ...: the prefixes of the pairs
    h_even = np.concatenate([b_even[:, :1], a_even[:, 1:] * h_odd[:, :-1] + b_even[:, 1:]], axis=1)  # down-sweep
    h = np.stack([h_even, h_odd], axis=2).reshape(b.shape)  # interleave: t = 0, 1, 2, 3, ...
    return h[:, :T]


def log_space_scan(log_a, log_b, log_h0=None):
    """``log h_t`` of the recurrence ``h_t = a_t h_{t-1} + b_t`` from ``log a`` and ``log b`` (so a, b > 0).

    The log-space scan of Heinsen (2023): ``log h_t = a*_t + logcumsumexp_{s <= t}(log b_s - a*_s)``
    with ``a*_t = cumsum(log a)``. Shapes as in :func:`linear_scan`; ``log_h0`` None means h_0 = 0.
    """
    log_a, log_b = np.broadcast_arrays(np.asarray(log_a), np.asarray(log_b))
    if log_h0 is not None:  # h_0 is step 0, with a = 1 (log a = 0)
        log_a = np.concatenate([np.zeros_like(log_a[:, :1]), log_a], axis=1)
        log_b = np.concatenate([np.asarray(log_h0)[:, None].astype(log_b.dtype), log_b], axis=1)
    a_star = np.cumsum(log_a, axis=1)
    log_h = a_star + np.logaddexp.accumulate(log_b - a_star, axis=1)
    return log_h if log_h0 is None else log_h[:, 1:]


def _log_method(a, b, h0):
    """``"log"``: h = h(b+) - h(b-), both scans in log space, with b+ = max(b, 0) + 1, b- = b+ - b."""
    b_plus = np.maximum(b, 0) + 1
    h0_plus = np.maximum(h0, 0) + 1
    log_a = np.log(a)
    h_plus = np.exp(log_space_scan(log_a, np.log(b_plus), np.log(h0_plus)))
    h_minus = np.exp(log_space_scan(log_a, np.log(b_plus - b), np.log(h0_plus - h0)))
    return h_plus - h_minus


