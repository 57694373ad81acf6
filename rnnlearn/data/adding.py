"""The adding problem: read a long stream of numbers, add the two that were marked.

Two versions are in use, and papers quote results for both:

- :func:`adding_problem` with ``variant="hochreiter1997"``: Experiment 4 of Hochreiter & Schmidhuber (1997),
  values in [-1, 1], markers -1 at both ends, target scaled into [0, 1];
- ``variant="le2015"``: the simpler form of Le, Jaitly & Hinton (2015), reused by most later papers (uRNN,
  IndRNN, ...), values in [0, 1], one marker in each half, target the plain sum.
"""

from __future__ import annotations

import numpy as np

from ._validate import at_least, make_rng, one_of, positive_int

__all__ = ["adding_problem"]

_VARIANTS = ("le2015", "hochreiter1997")


def adding_problem(batch_size: int, seq_len: int, *, variant: str = "le2015", seed) -> tuple[np.ndarray, np.ndarray]:
    r"""Generate a batch of the adding problem.

    Each step carries two features: a value and a marker. Exactly two steps are marked with a 1; the network
    must output, after the last step, a function of the two marked values :math:`X_1, X_2`.

    Parameters
    ----------
    batch_size : int
        Number of sequences B (>= 1).
    seq_len : int
        Sequence length T. At least 2 for ``"le2015"``; at least 11 for ``"hochreiter1997"`` (the first marker
        falls in the first 10 steps and must not land on the last step, which carries the end marker).
    variant : {"le2015", "hochreiter1997"}
        ``"le2015"``: values :math:`\sim U(0, 1)`, one marker uniformly in the first half
        ``[0, T // 2)`` and one in the second half ``[T // 2, T)``, all other markers 0, target
        :math:`y = X_1 + X_2`. Predicting the mean 1 gives MSE 1/6 (about 0.167): the baseline to beat.

        ``"hochreiter1997"``: values :math:`\sim U(-1, 1)`; the first marked step is uniform among the first
        10 steps, the second uniform among the first :math:`T/2 - 1` still unmarked steps; the markers of the
        first and the last step are -1 unless marked; if step 0 is marked its value is set to 0. Target
        :math:`y = 0.5 + (X_1 + X_2) / 4` in [0, 1]; the paper counts a sequence as solved when the
        absolute error is below 0.04. The paper draws each sequence's length from :math:`[T, T + T/10]`; here
        every sequence has length exactly T, so that a batch is one array.
    seed : int or numpy.random.Generator
        Keyword-only and required. The same integer gives the same arrays; pass one ``Generator`` to draw a
        fresh batch at each training step.

    Returns
    -------
    x : ndarray of float32, shape (B, T, 2)
        ``x[..., 0]`` the values, ``x[..., 1]`` the markers.
    y : ndarray of float32, shape (B, 1)
        The target, one per sequence. It is (B, 1) rather than (B,) so that it has the shape of a
        ``Linear(H, 1)`` head's output: a (B,) target against a (B, 1) prediction silently broadcasts to
        (B, B) in ``torch.nn.MSELoss`` and in Keras losses.

    Shapes
    ------
    B batch, T time, D = 2 features (value, marker).

    References
    ----------
    Hochreiter, S. & Schmidhuber, J. (1997). Long short-term memory. *Neural Computation* 9(8), Experiment 4.
    Le, Q. V., Jaitly, N. & Hinton, G. E. (2015). A simple way to initialize recurrent networks of rectified
    linear units. arXiv:1504.00941, Section 4.1.

    Examples
    --------
    >>> x, y = adding_problem(4, 50, seed=0)
    >>> x.shape, y.shape
    ((4, 50, 2), (4, 1))
    """
    where = "adding_problem"
    batch_size = positive_int(batch_size, "batch_size", where)
    variant = one_of(variant, _VARIANTS, "variant", where)
    if variant == "le2015":
        seq_len = at_least(seq_len, 2, "seq_len", where, "one marker in each half")
    else:
        seq_len = at_least(seq_len, 11, "seq_len", where, "hochreiter1997 marks one of the first 10 steps")
    rng = make_rng(seed, where)
    rows = np.arange(batch_size)

    x = np.zeros((batch_size, seq_len, 2), dtype=np.float32)  # (B, T, 2)
    if variant == "le2015":
        half = seq_len // 2
        x[..., 0] = rng.uniform(0.0, 1.0, size=(batch_size, seq_len))
        first = rng.integers(0, half, size=batch_size)  # (B,)
        second = rng.integers(half, seq_len, size=batch_size)  # (B,)
        x[rows, first, 1] = 1.0
        x[rows, second, 1] = 1.0
        y = x[rows, first, 0] + x[rows, second, 0]  # (B,)
        return x, y[:, None].astype(np.float32)

    x[..., 0] = rng.uniform(-1.0, 1.0, size=(batch_size, seq_len))
    x[:, 0, 1] = -1.0
    x[:, -1, 1] = -1.0
    first = rng.integers(0, 10, size=batch_size)  # (B,)
    # The j-th of the first T/2 - 1 unmarked steps: skip over the first marker.
    j = rng.integers(0, seq_len // 2 - 1, size=batch_size)  # (B,)
    second = np.where(j < first, j, j + 1)  # (B,)
    x[rows, first, 1] = 1.0
    x[rows, second, 1] = 1.0
    x[x[:, 0, 1] == 1.0, 0, 0] = 0.0  # step 0 marked: its value is set to zero
    y = 0.5 + (x[rows, first, 0] + x[rows, second, 0]) / 4.0  # (B,)
    return x, y[:, None].astype(np.float32)
