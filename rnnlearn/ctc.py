"""Connectionist temporal classification, framework-free (chapter 10): the collapse map, the loss by the
forward recursion, and greedy (best-path) decoding.

CTC (Graves et al. 2006) lets a network emit one distribution per frame over the labels plus a *blank*;
a frame-level path maps to a label string by merging repeated labels and then dropping blanks. The loss is
``-log p(z | x)``, the probability of every path that collapses to ``z``, summed by a forward recursion;
:func:`ctc_loss` is the NumPy reference that ``torch.nn.functional.ctc_loss`` and ``keras.ops.ctc_loss`` are
checked against in the tests.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ctc_collapse", "ctc_log_likelihood", "ctc_loss", "ctc_greedy_decode"]


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


def ctc_log_likelihood(log_probs, labels, blank: int = 0) -> float:
    """``log p(z | x)`` of one sequence: the CTC forward recursion in log space, O(T |z|) steps.

    Parameters
    ----------
    log_probs : array-like, shape (T, C)
        Per-frame log-probabilities over the C classes (blank included), e.g. a log-softmax.
    labels : sequence of int
        The label string z, without blanks.
    blank : int
        The blank class.

    Returns
    -------
    float: the log of the summed probability of all frame paths that collapse to ``labels``;
    ``-inf`` when no path of T frames can (too few frames).

    Notes
    -----
    The recursion runs over the extended string z' = (blank, z_1, blank, z_2, ..., z_U, blank) of length
    2U + 1. ``alpha[s]`` after frame t is the log-probability of all path prefixes of t frames that end in
    z'_s and collapse to the first labels of z. A prefix reaches position s from s (stay), from s - 1 (next
    symbol), or from s - 2 (skip a blank) when z'_s is a label different from z'_{s-2}.

    Examples
    --------
    >>> uniform = np.log(np.full((2, 2), 0.5))  # two frames, classes {blank, 1}
    >>> round(float(np.exp(ctc_log_likelihood(uniform, [1]))), 4)  # paths 1-1, 1-blank, blank-1
    0.75
    """
    log_probs = np.asarray(log_probs, dtype=np.float64)
    if log_probs.ndim != 2:
        raise ValueError(f"ctc_log_likelihood expected log_probs of shape (T, C), got {log_probs.shape}")
    T, C = log_probs.shape
    labels = [int(label) for label in labels]
    if any(label == blank or not 0 <= label < C for label in labels):
        raise ValueError(f"ctc_log_likelihood expected labels in [0, {C}) other than the blank {blank}, got {labels}")
    extended = np.full(2 * len(labels) + 1, blank)
    extended[1::2] = labels                                        # (2U + 1,): blank, z_1, blank, ..., blank
    can_skip = np.zeros(len(extended), bool)
    can_skip[2:] = (extended[2:] != blank) & (extended[2:] != extended[:-2])
    alpha = np.full(len(extended), -np.inf)
    if T == 0:
        return 0.0 if not labels else -np.inf
    alpha[0] = log_probs[0, blank]
    if labels:
        alpha[1] = log_probs[0, extended[1]]
    for t in range(1, T):
        previous = alpha
        alpha = previous.copy()                                    # stay on s
        alpha[1:] = np.logaddexp(alpha[1:], previous[:-1])         # come from s - 1
        alpha[can_skip] = np.logaddexp(alpha[can_skip], previous[:-2][can_skip[2:]])  # skip a blank
        alpha = alpha + log_probs[t, extended]
    return float(np.logaddexp(alpha[-1], alpha[-2]) if labels else alpha[-1])


def ctc_loss(log_probs, lengths, labels, label_lengths, blank: int = 0) -> np.ndarray:
    """CTC negative log-likelihoods of a padded batch, ``-log p(z_b | x_b)`` for each sequence, shape (B,).

    Parameters
    ----------
    log_probs : array-like, shape (B, T, C)
        Per-frame log-probabilities, batch-first (``torch.nn.CTCLoss`` wants them time-first).
    lengths : array-like of int, shape (B,)
        Frames of each sequence; frames past them are ignored.
    labels : array-like of int, shape (B, U)
        Label strings padded to the longest, U; entries past ``label_lengths[b]`` are ignored.
    label_lengths : array-like of int, shape (B,)
        Length of each label string.
    blank : int
        The blank class.

    Returns
    -------
    ndarray of float64, shape (B,): ``inf`` where a string cannot be emitted in its frames.
    """
    log_probs = np.asarray(log_probs)
    if log_probs.ndim != 3:
        raise ValueError(f"ctc_loss expected log_probs of shape (B, T, C), got {log_probs.shape}")
    B, T, _ = log_probs.shape
    lengths, labels, label_lengths = np.asarray(lengths), np.asarray(labels), np.asarray(label_lengths)
    if lengths.shape != (B,) or (B and (lengths.min() < 0 or lengths.max() > T)):
        raise ValueError(f"ctc_loss expected lengths of shape ({B},) in [0, {T}], got {lengths.tolist()}")
    if labels.ndim != 2 or labels.shape[0] != B or label_lengths.shape != (B,) or (
            B and (label_lengths.min() < 0 or label_lengths.max() > labels.shape[1])):
        raise ValueError(f"ctc_loss expected labels (B={B}, U) and label_lengths ({B},) in [0, U], got "
                         f"{labels.shape} and {label_lengths.tolist()}")
    return np.array([-ctc_log_likelihood(log_probs[b, : lengths[b]], labels[b, : label_lengths[b]], blank)
                     for b in range(B)])


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
