"""A seeded toy translation task: digit strings turned into strings of a second alphabet (chapter 12).

Tokens are integers: ``PAD = 0``, ``BOS = 1`` (begin of sentence), ``EOS = 2`` (end of sentence), and the ten
"words" of each language are ``3, ..., 12``. A target sentence is the source sentence with every word replaced by
its translation under a fixed permutation of the ten words, in the same order, followed by ``EOS``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["PAD", "BOS", "EOS", "NUM_WORDS", "VOCAB_SIZE", "TRANSLATION", "digit_translation"]

PAD, BOS, EOS = 0, 1, 2
NUM_WORDS = 10
VOCAB_SIZE = NUM_WORDS + 3
# word w (0..9) of the source language translates to word TRANSLATION[w]; a fixed permutation, no fixed points.
TRANSLATION = np.array([3, 7, 0, 9, 5, 1, 8, 2, 4, 6])


def digit_translation(num_sequences: int, length: int, *, seed) -> tuple[np.ndarray, np.ndarray]:
    """Source and target sentences of one length.

    Parameters
    ----------
    num_sequences : int
        B, the number of sentence pairs.
    length : int
        T, the number of words in every source sentence (>= 1).
    seed : int or numpy.random.Generator

    Returns
    -------
    source : int64 array (B, T), tokens in 3..12.
    target : int64 array (B, T + 1), the translated tokens, then ``EOS``.
    """
    if isinstance(num_sequences, bool) or not isinstance(num_sequences, (int, np.integer)) or num_sequences < 1:
        raise ValueError(f"num_sequences must be a positive integer, got {num_sequences!r}")
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 1:
        raise ValueError(f"length must be a positive integer, got {length!r}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    words = rng.integers(0, NUM_WORDS, size=(num_sequences, length))  # (B, T)
    source = (words + 3).astype(np.int64)
    target = np.concatenate([TRANSLATION[words] + 3, np.full((num_sequences, 1), EOS)], axis=1).astype(np.int64)
    return source, target
