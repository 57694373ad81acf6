"""The shipped text corpus, a character vocabulary, and batches for next-character prediction.

The corpus is Jane Austen's *Persuasion* (1817), about 467 KB of plain ASCII; ``corpus/PROVENANCE.md`` says
where the file came from and why it is in the public domain.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from ._validate import at_least, make_rng, positive_int

__all__ = ["load_text", "CharVocab", "next_char_batch"]

_CORPUS = "persuasion.txt"


@lru_cache(maxsize=1)
def load_text() -> str:
    """Return the shipped corpus, Jane Austen's *Persuasion*, as one string.

    Read from the package's data files (``rnnlearn/data/corpus/persuasion.txt``): nothing is downloaded.

    Returns
    -------
    str
        466,854 characters (75 distinct), lines separated by ``"\\n"``.

    References
    ----------
    Austen, J. (1817). *Persuasion*. London: John Murray. Provenance: ``rnnlearn/data/corpus/PROVENANCE.md``.
    """
    return (resources.files(__package__) / "corpus" / _CORPUS).read_text(encoding="utf-8")


class CharVocab:
    """A character vocabulary: maps each distinct character of a text to an integer id and back.

    Ids are assigned in sorted character order, so the same text always gives the same ids.

    Guarantees (tested on the whole corpus):

    - ``vocab.decode(vocab.encode(s)) == s`` for every string ``s`` made of characters in the vocabulary;
    - ``vocab.encode(vocab.decode(ids))`` equals ``ids`` for every 1-D sequence of ids in ``range(len(vocab))``;
    - a character outside the vocabulary, or an id out of range, raises ``ValueError``: nothing is replaced
      silently by an "unknown" token.

    Parameters
    ----------
    text : str
        A non-empty text; its distinct characters form the vocabulary.

    Examples
    --------
    >>> vocab = CharVocab("hello")
    >>> len(vocab), vocab.chars
    (4, ('e', 'h', 'l', 'o'))
    >>> vocab.encode("hole").tolist(), vocab.decode([1, 0, 2, 2, 3])
    ([1, 3, 2, 0], 'hello')
    """

    def __init__(self, text: str):
        if not isinstance(text, str) or not text:
            raise ValueError(f"CharVocab expected a non-empty str, got {text!r:.60}")
        self.chars: tuple[str, ...] = tuple(sorted(set(text)))
        self._codes = np.array([ord(c) for c in self.chars], dtype=np.uint32)  # (V,): id -> code point
        self._ids = np.full(int(self._codes.max()) + 1, -1, dtype=np.int64)  # code point -> id, -1 if absent
        self._ids[self._codes] = np.arange(len(self.chars))

    def __len__(self) -> int:
        return len(self.chars)

    def __contains__(self, char) -> bool:
        return isinstance(char, str) and len(char) == 1 and ord(char) < len(self._ids) and self._ids[ord(char)] >= 0

    def __repr__(self) -> str:
        return f"CharVocab({len(self)} characters)"

    def encode(self, text: str) -> np.ndarray:
        """Map a string to ids: an int64 array of shape (N,) for a string of N characters."""
        if not isinstance(text, str):
            raise ValueError(f"CharVocab.encode expected a str, got {type(text).__name__}")
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)  # (N,)
        ids = np.full(len(codes), -1, dtype=np.int64)  # (N,)
        known = codes < len(self._ids)
        ids[known] = self._ids[codes[known]]
        if (ids < 0).any():
            at = int(np.flatnonzero(ids < 0)[0])
            raise ValueError(
                f"CharVocab.encode expected characters from the vocabulary, got {text[at]!r} at position {at}"
            )
        return ids

    def decode(self, ids) -> str:
        """Map a 1-D sequence of ids (list or integer array, shape (N,)) back to a string of N characters."""
        array = np.asarray(ids)
        if array.ndim != 1 or (array.size and not np.issubdtype(array.dtype, np.integer)):
            raise ValueError(
                "CharVocab.decode expected a 1-D sequence of integer ids, "
                f"got shape {array.shape} and dtype {array.dtype}"
            )
        if array.size and (array.min() < 0 or array.max() >= len(self)):
            bad = array[(array < 0) | (array >= len(self))][0]
            raise ValueError(f"CharVocab.decode expected ids in range(0, {len(self)}), got {int(bad)}")
        return self._codes[array.astype(np.int64)].tobytes().decode("utf-32-le")


def next_char_batch(ids, batch_size: int, seq_len: int, *, seed) -> tuple[np.ndarray, np.ndarray]:
    """Draw a batch of windows for next-character prediction.

    Each row starts at an offset drawn uniformly from ``0 .. N - T - 1``; the targets are the inputs shifted by
    one character: ``targets[b, t] == inputs[b, t + 1]`` and ``targets[b, -1]`` is the character after the
    window.

    Parameters
    ----------
    ids : array-like of int, shape (N,)
        An encoded text, e.g. ``CharVocab(text).encode(text)``.
    batch_size : int
        Number of windows B (>= 1).
    seq_len : int
        Window length T (>= 1, at most N - 1).
    seed : int or numpy.random.Generator
        Keyword-only and required; see :func:`rnnlearn.data.adding_problem`.

    Returns
    -------
    inputs : ndarray of int64, shape (B, T)
    targets : ndarray of int64, shape (B, T)

    Shapes
    ------
    B batch, T time; the model embeds or one-hot encodes the ids (V = ``len(vocab)`` classes).

    References
    ----------
    Karpathy, A. (2015). The unreasonable effectiveness of recurrent neural networks (char-rnn).
    Graves, A. (2013). Generating sequences with recurrent neural networks. arXiv:1308.0850.

    Examples
    --------
    >>> inputs, targets = next_char_batch(np.arange(100), 2, 5, seed=0)
    >>> bool((inputs[:, 1:] == targets[:, :-1]).all())
    True
    """
    where = "next_char_batch"
    batch_size = positive_int(batch_size, "batch_size", where)
    seq_len = positive_int(seq_len, "seq_len", where)
    array = np.asarray(ids)
    if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(
            f"{where} expected ids as a 1-D integer array, got shape {array.shape} and dtype {array.dtype}"
        )
    at_least(len(array), seq_len + 1, "len(ids)", where, f"a window of seq_len={seq_len} plus one target")
    rng = make_rng(seed, where)
    starts = rng.integers(0, len(array) - seq_len, size=batch_size)  # (B,)
    index = starts[:, None] + np.arange(seq_len + 1)  # (B, T + 1)
    window = array[index].astype(np.int64)  # (B, T + 1)
    return window[:, :-1], window[:, 1:]
