"""Tasks on bit streams: running parity and the latch (flip-flop).

Both come from the experiments of Bengio, Simard & Frasconi (1994), which showed gradient descent failing to
learn long-range dependencies: parity needs every bit ever seen, the latch needs one bit kept for a long time.
Both return a target at every step; ``y[:, -1]`` is the classic "answer at the end" form.
"""

from __future__ import annotations

import numpy as np

from ._validate import at_least, make_rng, positive_int

__all__ = ["parity", "latch"]


def parity(batch_size: int, seq_len: int, *, seed) -> tuple[np.ndarray, np.ndarray]:
    r"""Generate random bit streams and their running parity.

    .. math::

        x_t \sim \text{Bernoulli}(1/2), \qquad y_t = \Big(\sum_{s \le t} x_s\Big) \bmod 2 .

    The final target ``y[:, -1]`` is the parity of the whole sequence: it flips with every single bit, so no
    part of the input may be forgotten and no shortcut exists. Trained on ``y[:, -1]`` alone the task is hard
    for long T; trained on every step, a 2-state recurrence solves it.

    Parameters
    ----------
    batch_size : int
        Number of sequences B (>= 1).
    seq_len : int
        Sequence length T (>= 1).
    seed : int or numpy.random.Generator
        Keyword-only and required; see :func:`rnnlearn.data.adding_problem`.

    Returns
    -------
    x : ndarray of float32, shape (B, T, 1)
        The bits, 0.0 or 1.0.
    y : ndarray of float32, shape (B, T, 1)
        The running parity, 0.0 or 1.0.

    Shapes
    ------
    B batch, T time, D = 1 feature.

    References
    ----------
    Bengio, Y., Simard, P. & Frasconi, P. (1994). Learning long-term dependencies with gradient descent is
    difficult. *IEEE Transactions on Neural Networks* 5(2), the parity problem.
    Hochreiter, S. & Schmidhuber, J. (1997). Long short-term memory, Section 5 (on solving it by random
    weight guessing).

    Examples
    --------
    >>> x, y = parity(3, 10, seed=0)
    >>> x.shape, y.shape
    ((3, 10, 1), (3, 10, 1))
    """
    where = "parity"
    batch_size = positive_int(batch_size, "batch_size", where)
    seq_len = positive_int(seq_len, "seq_len", where)
    rng = make_rng(seed, where)
    bits = rng.integers(0, 2, size=(batch_size, seq_len))  # (B, T)
    running = np.cumsum(bits, axis=1) % 2  # (B, T)
    return bits[..., None].astype(np.float32), running[..., None].astype(np.float32)


def latch(batch_size: int, seq_len: int, *, num_writes: int = 1, seed) -> tuple[np.ndarray, np.ndarray]:
    r"""Generate a latch (flip-flop) task: output the bit stored at the latest write marker.

    Every step carries a random bit :math:`b_t` and a write flag :math:`w_t`. Step 0 is always a write;
    ``num_writes - 1`` more writes fall at distinct random later steps. The target is the bit of the most recent
    write:

    .. math::

        y_t = b_{\tau(t)}, \qquad \tau(t) = \max\{s \le t : w_s = 1\} .

    The bits at unflagged steps are distractors. With ``num_writes=1`` this is the latching problem: keep the
    first bit for T steps (read ``y[:, -1]``); with more writes the memory must also be overwritten on cue,
    like the flip-flop languages of Liu et al. (2023).

    Parameters
    ----------
    batch_size : int
        Number of sequences B (>= 1).
    seq_len : int
        Sequence length T (>= num_writes).
    num_writes : int
        Number of write steps per sequence, step 0 included (>= 1, at most ``seq_len``).
    seed : int or numpy.random.Generator
        Keyword-only and required; see :func:`rnnlearn.data.adding_problem`.

    Returns
    -------
    x : ndarray of float32, shape (B, T, 2)
        ``x[..., 0]`` the bits :math:`b_t`, ``x[..., 1]`` the write flags :math:`w_t`; all 0.0 or 1.0.
    y : ndarray of float32, shape (B, T, 1)
        The latched bit :math:`y_t`.

    Shapes
    ------
    B batch, T time, D = 2 features (bit, write flag).

    References
    ----------
    Bengio, Y., Simard, P. & Frasconi, P. (1994). Learning long-term dependencies with gradient descent is
    difficult. *IEEE Transactions on Neural Networks* 5(2), the latching problem.
    Liu, B., Ash, J. T., Goel, S., Krishnamurthy, A. & Zhang, C. (2023). Exposing attention glitches with
    flip-flop language modeling. NeurIPS.

    Examples
    --------
    >>> x, y = latch(2, 8, num_writes=3, seed=0)
    >>> x.shape, y.shape, x[:, :, 1].sum(axis=1).tolist()
    ((2, 8, 2), (2, 8, 1), [3.0, 3.0])
    """
    where = "latch"
    batch_size = positive_int(batch_size, "batch_size", where)
    num_writes = positive_int(num_writes, "num_writes", where)
    seq_len = at_least(seq_len, num_writes, "seq_len", where, f"one step per write, num_writes={num_writes}")
    rng = make_rng(seed, where)

    bits = rng.integers(0, 2, size=(batch_size, seq_len))  # (B, T)
    writes = np.zeros((batch_size, seq_len), dtype=bool)  # (B, T)
    writes[:, 0] = True
    if num_writes > 1:
        later = np.argsort(rng.random((batch_size, seq_len - 1)), axis=1)[:, : num_writes - 1] + 1  # (B, W - 1)
        np.put_along_axis(writes, later, True, axis=1)
    steps = np.broadcast_to(np.arange(seq_len), (batch_size, seq_len))
    last_write = np.maximum.accumulate(np.where(writes, steps, 0), axis=1)  # (B, T): tau(t)
    held = np.take_along_axis(bits, last_write, axis=1)  # (B, T)
    x = np.stack([bits, writes], axis=-1).astype(np.float32)  # (B, T, 2)
    return x, held[..., None].astype(np.float32)
