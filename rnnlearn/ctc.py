"""Greedy (best-path) decoding for connectionist temporal classification, framework-free (chapter 10).

CTC (Graves et al. 2006) lets a network emit one distribution per frame over the labels plus a *blank*;
a frame-level path maps to a label string by merging repeated labels and then dropping blanks.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ctc_collapse", "ctc_greedy_decode"]


def ctc_collapse(path, blank: int = 0) -> list[int]:
    """Map one frame-level path to its label string: merge runs of the same label, then drop blanks.

    >>> ctc_collapse([0, 3, 3, 0, 3, 1, 1, 0])
    [3, 3, 1]
    """
    out, previous = [], None
    for label in (int(p) for p in path):
        if label != previous and label != blank:
            out.append(label)
        previous = label
    return out


def ctc_greedy_decode(scores, lengths=None, blank: int = 0) -> list[list[int]]:
    """Best-path decoding: the most likely class at each frame, collapsed with :func:`ctc_collapse`.

    Parameters
    ----------
    scores : array-like, shape (B, T, C)
        Per-frame scores (logits, probabilities or log-probabilities: only the argmax is used).
    lengths : array-like of int, shape (B,), optional
        True lengths; frames past them are ignored. Default: all T.
    blank : int
        The blank class.

    Returns
    -------
    list of B label lists.
    """
    scores = np.asarray(scores)
    if scores.ndim != 3:
        raise ValueError(f"ctc_greedy_decode expected scores of shape (B, T, C), got {scores.shape}")
    B, T, _ = scores.shape
    lengths = np.full(B, T) if lengths is None else np.asarray(lengths)
    if lengths.shape != (B,) or (B and (lengths.min() < 0 or lengths.max() > T)):
        raise ValueError(f"ctc_greedy_decode expected lengths of shape ({B},) in [0, {T}], got {lengths.tolist()}")
    best = scores.argmax(-1)  # (B, T)
    return [ctc_collapse(best[b, : lengths[b]], blank) for b in range(B)]
