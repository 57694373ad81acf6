"""Copying tasks: remember a few symbols across a delay and write them out again.

- :func:`copy_task`: the copy memory problem of Hochreiter & Schmidhuber (1997) in the form of Arjovsky, Shah &
  Bengio (2016): the symbols come first, then a long blank delay, then a delimiter that asks for them back.
- :func:`selective_copying`: the variant that Gu & Dao (2023) use to motivate Mamba's selection: the data symbols
  sit at random positions among blanks, so a model must decide by content what to keep, not by position.

Both return integer tokens, ready for an embedding layer, and the vocabulary size.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validate import IGNORE_INDEX, at_least, make_rng, positive_int

__all__ = ["TokenTask", "copy_task", "selective_copying"]


class TokenTask(NamedTuple):
    """A batch of a token task: unpacks as ``x, y, vocab_size = task``.

    Attributes
    ----------
    x : ndarray of int64, shape (B, T)
        Input tokens, in ``range(vocab_size)``.
    y : ndarray of int64, shape (B, T)
        Target tokens; ``IGNORE_INDEX`` (-100) where no answer is expected.
    vocab_size : int
        Number of distinct tokens V, the size of the embedding and of the output layer.
    """

    x: np.ndarray
    y: np.ndarray
    vocab_size: int


def copy_task(batch_size: int, delay: int, *, copy_len: int = 10, num_symbols: int = 8, seed) -> TokenTask:
    r"""Generate a batch of the copy memory task.

    Tokens: 0 is the blank, ``1..num_symbols`` are data symbols, ``num_symbols + 1`` is the delimiter, so
    ``vocab_size = num_symbols + 2``. With :math:`K` = ``copy_len`` and :math:`D` = ``delay``, each input is

    .. code-block:: text

        x: s_1 ... s_K | 0 ... 0 (D - 1 blanks) | delimiter | 0 ... 0 (K blanks)
        y: 0 ... 0 (K + D blanks)                           | s_1 ... s_K

    of length :math:`T = D + 2K`. The data symbols are drawn uniformly and independently. A model that ignores
    its memory outputs blanks and then guesses: cross-entropy :math:`K \log(\text{num\_symbols}) / T`, the
    baseline that Arjovsky et al. (2016) plot.

    Parameters
    ----------
    batch_size : int
        Number of sequences B (>= 1).
    delay : int
        Steps D from the end of the data to the delimiter (>= 1); the paper's T.
    copy_len : int
        Number of symbols K to copy (>= 1; 10 in the paper).
    num_symbols : int
        Size of the data alphabet (>= 1; 8 in the paper).
    seed : int or numpy.random.Generator
        Keyword-only and required; see :func:`rnnlearn.data.adding_problem`.

    Returns
    -------
    TokenTask
        ``x`` and ``y`` of int64 and shape (B, T) with T = delay + 2 * copy_len; every position has a
        target (blanks included), as in the paper. ``vocab_size = num_symbols + 2``.

    Shapes
    ------
    B batch, T = delay + 2 * copy_len time, V = num_symbols + 2 tokens.

    References
    ----------
    Hochreiter, S. & Schmidhuber, J. (1997). Long short-term memory. *Neural Computation* 9(8).
    Arjovsky, M., Shah, A. & Bengio, Y. (2016). Unitary evolution recurrent neural networks. ICML,
    Section 4.1 (copying memory problem).

    Examples
    --------
    >>> x, y, vocab_size = copy_task(2, delay=5, copy_len=3, seed=0)
    >>> x.shape, vocab_size
    ((2, 11), 10)
    """
    where = "copy_task"
    batch_size = positive_int(batch_size, "batch_size", where)
    delay = positive_int(delay, "delay", where)
    copy_len = positive_int(copy_len, "copy_len", where)
    num_symbols = positive_int(num_symbols, "num_symbols", where)
    rng = make_rng(seed, where)

    seq_len = delay + 2 * copy_len
    delimiter = num_symbols + 1
    symbols = rng.integers(1, num_symbols + 1, size=(batch_size, copy_len))  # (B, K)
    x = np.zeros((batch_size, seq_len), dtype=np.int64)  # (B, T)
    y = np.zeros((batch_size, seq_len), dtype=np.int64)  # (B, T)
    x[:, :copy_len] = symbols
    x[:, copy_len + delay - 1] = delimiter
    y[:, -copy_len:] = symbols
    return TokenTask(x, y, num_symbols + 2)


def selective_copying(
    batch_size: int, seq_len: int = 64, *, num_tokens: int = 4, num_symbols: int = 8, seed
) -> TokenTask:
    r"""Generate a batch of the selective copying task.

    Tokens: 0 is the blank (noise), ``1..num_symbols`` are data symbols, ``num_symbols + 1`` is the "answer now"
    marker, so ``vocab_size = num_symbols + 2``. The first L = ``seq_len`` positions are blanks except
    K = ``num_tokens`` data symbols at distinct random positions; K markers follow. The targets at the K marker
    positions are the data symbols in their order of appearance; all other targets are ``IGNORE_INDEX``.

    .. code-block:: text

        x: 0 s_1 0 0 0 s_2 0 ... 0 s_K 0 0 | m m ... m
        y: -100 ............................ | s_1 ... s_K

    Because the gaps are random, a time-invariant model (a fixed convolution, a linear recurrence with constant
    coefficients) cannot tell by position which inputs to keep; Gu & Dao (2023) use this to motivate input-
    dependent ("selective") state-space models. Chance accuracy is ``1 / num_symbols``.

    Parameters
    ----------
    batch_size : int
        Number of sequences B (>= 1).
    seq_len : int
        Length L of the noisy part (>= num_tokens).
    num_tokens : int
        Number K of data symbols to copy (>= 1, at most ``seq_len``).
    num_symbols : int
        Size of the data alphabet (>= 1). Symbols are drawn uniformly, with repetition.
    seed : int or numpy.random.Generator
        Keyword-only and required; see :func:`rnnlearn.data.adding_problem`.

    Returns
    -------
    TokenTask
        ``x`` and ``y`` of int64 and shape (B, L + K); ``y[:, -K:]`` holds the answers, the rest is -100.
        Score with ``(logits[:, -K:].argmax(-1) == y[:, -K:]).mean()``.

    Shapes
    ------
    B batch, L + K time, V = num_symbols + 2 tokens.

    References
    ----------
    Gu, A. & Dao, T. (2023). Mamba: linear-time sequence modeling with selective state spaces.
    arXiv:2312.00752, Section 3.1 and Figure 2 (selective copying).
    Jing, L. et al. (2019). Gated orthogonal recurrent units: on learning to forget. *Neural Computation* 31(4)
    (its "denoise" task, an earlier copy with random gaps).

    Examples
    --------
    >>> x, y, vocab_size = selective_copying(2, 16, num_tokens=4, seed=0)
    >>> x.shape, y[0, -4:].shape
    ((2, 20), (4,))
    """
    where = "selective_copying"
    batch_size = positive_int(batch_size, "batch_size", where)
    num_tokens = positive_int(num_tokens, "num_tokens", where)
    num_symbols = positive_int(num_symbols, "num_symbols", where)
    seq_len = at_least(seq_len, num_tokens, "seq_len", where, f"room for num_tokens={num_tokens} data symbols")
    rng = make_rng(seed, where)

    # K distinct positions per row, sorted so the answer order is the order of appearance.
    positions = np.sort(np.argsort(rng.random((batch_size, seq_len)), axis=1)[:, :num_tokens], axis=1)  # (B, K)
    symbols = rng.integers(1, num_symbols + 1, size=(batch_size, num_tokens))  # (B, K)
    x = np.zeros((batch_size, seq_len + num_tokens), dtype=np.int64)  # (B, L + K)
    np.put_along_axis(x, positions, symbols, axis=1)
    x[:, seq_len:] = num_symbols + 1
    y = np.full_like(x, IGNORE_INDEX)  # (B, L + K)
    y[:, seq_len:] = symbols
    return TokenTask(x, y, num_symbols + 2)
