"""Multi-query associative recall (MQAR): look up values by key in a sequence of key-value pairs.

Arora et al. (2023) found that this one synthetic task predicts much of the quality gap between attention and
efficient (recurrent, convolutional) language models: a fixed-size state must store every pair it may be
asked about. The generator follows their layout, written here from its description.
"""

from __future__ import annotations

import numpy as np

from ._validate import IGNORE_INDEX, at_least, make_rng, positive_int
from .copying import TokenTask

__all__ = ["multi_query_associative_recall"]


def multi_query_associative_recall(
    batch_size: int, seq_len: int = 64, *, num_pairs: int = 8, vocab_size: int = 64, seed
) -> TokenTask:
    r"""Generate a batch of multi-query associative recall.

    Tokens: 0 is the blank, keys are drawn from ``1 .. V//2 - 1`` and values from ``V//2 .. V - 1`` (V =
    ``vocab_size``), each without repetition within a sequence. A sequence opens with the N = ``num_pairs``
    pairs, then each key is asked once, in random order, at random even offsets of the remaining blank region:

    .. code-block:: text

        x: k_1 v_1 k_2 v_2 ... k_N v_N | 0 0 k_3 0 0 0 k_1 0 ... 0
        y: -100 ...................... | -100 -100 v_3 -100 ... v_1 ... -100

    The target at a query position is the value paired with that key (the next token a language model would
    predict); every other target is ``IGNORE_INDEX`` (-100). Query offsets are uniform here; Arora et al.
    draw the gaps from a power law, which puts most queries near the pairs.

    Parameters
    ----------
    batch_size : int
        Number of sequences B (>= 1).
    seq_len : int
        Total length T (>= 4 * num_pairs: 2N tokens of pairs and N query slots at even offsets).
    num_pairs : int
        Number N of key-value pairs, each queried once (>= 1).
    vocab_size : int
        V (>= 2 * num_pairs + 2, so that N distinct keys and N distinct values exist).
    seed : int or numpy.random.Generator
        Keyword-only and required; see :func:`rnnlearn.data.adding_problem`.

    Returns
    -------
    TokenTask
        ``x`` and ``y`` of int64 and shape (B, T); exactly N targets per row differ from -100.
        Accuracy: ``(logits.argmax(-1) == y)[y != -100].mean()``; chance is ``1 / (V - V//2)``.

    Shapes
    ------
    B batch, T time, V tokens, N pairs.

    References
    ----------
    Arora, S., Eyuboglu, S., Timalsina, A., Johnson, I., Poli, M., Zou, J., Rudra, A. & Ré, C. (2023).
    Zoology: measuring and improving recall in efficient language models. arXiv:2312.04927.
    Ba, J. et al. (2016). Using fast weights to attend to the recent past. NeurIPS (single-query recall).

    Examples
    --------
    >>> x, y, vocab_size = multi_query_associative_recall(2, 32, num_pairs=4, vocab_size=16, seed=0)
    >>> x.shape, int((y != -100).sum())
    ((2, 32), 8)
    """
    where = "multi_query_associative_recall"
    batch_size = positive_int(batch_size, "batch_size", where)
    num_pairs = positive_int(num_pairs, "num_pairs", where)
    seq_len = at_least(
        seq_len, 4 * num_pairs, "seq_len", where, f"2 * num_pairs tokens of pairs and num_pairs={num_pairs} query slots"
    )
    why = f"num_pairs={num_pairs} distinct keys and values plus the blank"
    vocab_size = at_least(vocab_size, 2 * num_pairs + 2, "vocab_size", where, why)
    rng = make_rng(seed, where)

    half = vocab_size // 2
    context = 2 * num_pairs
    num_slots = (seq_len - context) // 2

    def distinct(count, size):  # `size` distinct draws from range(count) per row: (B, size)
        return np.argsort(rng.random((batch_size, count)), axis=1)[:, :size]

    keys = distinct(half - 1, num_pairs) + 1  # (B, N) in 1 .. V//2 - 1
    values = distinct(vocab_size - half, num_pairs) + half  # (B, N) in V//2 .. V - 1
    slots = distinct(num_slots, num_pairs)  # (B, N): which query slot asks for pair n
    query_positions = context + 2 * slots  # (B, N)

    x = np.zeros((batch_size, seq_len), dtype=np.int64)  # (B, T)
    x[:, 0:context:2] = keys
    x[:, 1:context:2] = values
    np.put_along_axis(x, query_positions, keys, axis=1)
    y = np.full_like(x, IGNORE_INDEX)  # (B, T)
    np.put_along_axis(y, query_positions, values, axis=1)
    return TokenTask(x, y, vocab_size)
