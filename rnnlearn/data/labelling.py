"""Sequence labelling and alignment tasks for chapter 10: a tag that needs the future, and unsegmented
symbol strings for CTC.

``lookahead_xor`` tags each bit of a random stream with whether it differs from the bit ``lookahead`` steps
later, so a left-to-right model must guess for all but the last ``lookahead`` steps; a bidirectional model
sees the answer. ``unsegmented_symbols`` turns short label strings into noisy frame sequences of random
durations, with no frame-level alignment given: the setting of connectionist temporal classification
(Graves et al. 2006).
"""

from __future__ import annotations

import numpy as np

from ._validate import at_least, make_rng, positive_int

__all__ = ["lookahead_xor", "lookahead_xor_ceiling", "unsegmented_symbols"]


def lookahead_xor(num_sequences: int, length: int, *, lookahead: int = 1, seed=0):
    """Random bit streams tagged with ``y_t = x_t XOR x_{t+k}`` (k = ``lookahead``; bits past the end count as 0).

    Parameters
    ----------
    num_sequences, length : int
        B and T.
    lookahead : int
        k >= 1, how far ahead the tag looks; must be smaller than ``length``.
    seed : int or numpy.random.Generator

    Returns
    -------
    x : ndarray of float32, shape (B, T, 1)
        Fair coin flips.
    y : ndarray of int64, shape (B, T)
        The tags, 0 or 1.

    Notes
    -----
    For t <= T - k the bit x_{t+k} is a fair coin independent of x_1..x_t, so a model that reads left to right
    is right at those steps with probability 1/2 at best; the last k tags equal x_t and are easy. The best
    accuracy such a model can reach is given by :func:`lookahead_xor_ceiling`.
    """
    where = "lookahead_xor"
    B = positive_int(num_sequences, "num_sequences", where)
    T = positive_int(length, "length", where)
    k = positive_int(lookahead, "lookahead", where)
    if k >= T:
        raise ValueError(f"{where} expected lookahead < length, got lookahead={k}, length={T}")
    rng = make_rng(seed, where)
    bits = rng.integers(0, 2, size=(B, T))  # (B, T)
    ahead = np.zeros_like(bits)
    ahead[:, : T - k] = bits[:, k:]
    tags = (bits ^ ahead).astype(np.int64)  # (B, T)
    return bits[..., None].astype(np.float32), tags


def lookahead_xor_ceiling(length: int, lookahead: int = 1) -> float:
    """Best expected per-step accuracy of a left-to-right model on :func:`lookahead_xor`: ((T - k) / 2 + k) / T."""
    T = positive_int(length, "length", "lookahead_xor_ceiling")
    k = positive_int(lookahead, "lookahead", "lookahead_xor_ceiling")
    if k >= T:
        raise ValueError(f"lookahead_xor_ceiling expected lookahead < length, got lookahead={k}, length={T}")
    return ((T - k) * 0.5 + k) / T


def unsegmented_symbols(num_sequences: int, *, num_symbols: int = 5, max_label_length: int = 4,
                        max_duration: int = 3, noise: float = 0.3, seed=0):
    """Short strings of symbols 1..K spoken as frames of random duration, for CTC.

    Each label string has 1..``max_label_length`` symbols drawn uniformly from 1..K (repeats allowed, e.g.
    ``3 3``). Each symbol lasts 1..``max_duration`` frames; a silence frame (class 0) may follow each symbol,
    and always follows one that the next symbol repeats, so that the two can be told apart. A frame is the
    one-hot vector of its class (K + 1 entries, silence included) plus Gaussian noise. Sequences are padded
    with silence frames to a common length T, so reading past ``input_lengths`` adds only blanks.

    Parameters
    ----------
    num_sequences : int
        B.
    num_symbols : int
        K >= 1; the classes are 0 (silence, and CTC's blank) and 1..K.
    max_label_length, max_duration : int
        Longest label string L and longest duration of one symbol, in frames.
    noise : float
        Standard deviation of the noise added to every frame (padding included).
    seed : int or numpy.random.Generator

    Returns
    -------
    x : ndarray of float32, shape (B, T, K + 1)
    input_lengths : ndarray of int64, shape (B,)
    labels : ndarray of int64, shape (B, L)
        Symbols 1..K, padded with 0.
    label_lengths : ndarray of int64, shape (B,)
    """
    where = "unsegmented_symbols"
    B = positive_int(num_sequences, "num_sequences", where)
    K = positive_int(num_symbols, "num_symbols", where)
    L = positive_int(max_label_length, "max_label_length", where)
    R = positive_int(max_duration, "max_duration", where)
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"{where} expected noise >= 0, got {noise!r}")
    rng = make_rng(seed, where)
    labels = np.zeros((B, L), dtype=np.int64)
    label_lengths = rng.integers(1, L + 1, size=B)
    frames = []
    for b in range(B):
        string = rng.integers(1, K + 1, size=label_lengths[b])
        labels[b, : len(string)] = string
        classes = []
        for i, symbol in enumerate(string):
            classes += [symbol] * int(rng.integers(1, R + 1))
            repeated = i + 1 < len(string) and string[i + 1] == symbol
            if repeated or rng.random() < 0.3:
                classes.append(0)
        frames.append(np.array(classes, dtype=np.int64))
    input_lengths = np.array([len(f) for f in frames], dtype=np.int64)
    T = int(input_lengths.max())
    x = np.zeros((B, T, K + 1), dtype=np.float32)
    x[:, :, 0] = 1.0  # padding is silence
    for b, classes in enumerate(frames):
        x[b, np.arange(len(classes))] = np.eye(K + 1, dtype=np.float32)[classes]
    x += rng.normal(0.0, noise, size=x.shape).astype(np.float32)
    return x, input_lengths, labels, label_lengths.astype(np.int64)
