"""Decoding and scoring for sequence-to-sequence models, framework-free (chapter 12).

- :func:`greedy_search` and :func:`beam_search` turn a one-step scorer into an output sentence;
- :func:`corpus_bleu` scores output sentences against references (Papineni et al. 2002);
- :func:`exact_match` is the fraction of output sentences equal to their reference.

A *step function* ``step(token, state) -> (log_probs, new_state)`` takes the last token (an int) and the
decoder state of one hypothesis and returns the log-probabilities of the next token, a 1-D array of length V.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Callable, Sequence

import numpy as np

from .checks import positive_int

__all__ = ["greedy_search", "beam_search", "corpus_bleu", "exact_match"]


def greedy_search(step: Callable, state, *, bos: int, eos: int, max_len: int) -> tuple[list[int], float]:
    """Pick the most likely token at every step; returns (tokens without BOS, total log-probability).

    Stops after ``eos`` (kept in the output) or after ``max_len`` tokens.
    """
    tokens, total, token = [], 0.0, bos
    for _ in range(max_len):
        log_probs, state = step(token, state)
        token = int(np.argmax(log_probs))
        total += float(log_probs[token])
        tokens.append(token)
        if token == eos:
            break
    return tokens, total


def beam_search(step: Callable, state, *, bos: int, eos: int, max_len: int,
                beam_size: int = 4) -> tuple[list[int], float]:
    """Keep the ``beam_size`` most likely partial outputs at every step; returns the best finished one.

    A hypothesis is finished when it emits ``eos`` or reaches ``max_len`` tokens. Scores are total
    log-probabilities (no length normalisation). With ``beam_size=1`` this is :func:`greedy_search`.
    """
    positive_int(beam_size, "beam_size", "beam_search")
    beams = [(0.0, [], state)]  # (score, tokens, decoder state)
    finished = []
    for _ in range(max_len):
        candidates = []
        for score, tokens, beam_state in beams:
            log_probs, new_state = step(tokens[-1] if tokens else bos, beam_state)
            log_probs = np.asarray(log_probs, dtype=float)
            for token in np.argsort(-log_probs)[:beam_size]:  # no more than beam_size survive anyway
                candidates.append((score + float(log_probs[token]), tokens + [int(token)], new_state))
        candidates.sort(key=lambda c: -c[0])
        beams = []
        for candidate in candidates[:beam_size]:
            (finished if candidate[1][-1] == eos else beams).append(candidate)
        # stop when no open hypothesis can beat the best finished one (scores only decrease)
        if not beams or (finished and max(f[0] for f in finished) >= beams[0][0]):
            break
    finished.extend(beams)
    best = max(finished, key=lambda c: c[0])
    return best[1], best[0]


def _ngrams(tokens: Sequence, n: int) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def corpus_bleu(references: Sequence[Sequence], hypotheses: Sequence[Sequence], *, max_n: int = 4) -> float:
    """Corpus-level BLEU with one reference per sentence, in [0, 1] (Papineni et al. 2002).

    BLEU = BP * exp(mean_n log p_n), n = 1..max_n, where p_n is the clipped n-gram precision summed over the
    corpus (each hypothesis n-gram counts at most as often as it occurs in its reference) and the brevity
    penalty BP = min(1, exp(1 - r / c)) compares the total reference length r with the total output length c.
    Returns 0 when some p_n is 0. No smoothing, no tokenisation: sentences are sequences of tokens.
    """
    if len(references) != len(hypotheses):
        raise ValueError(f"corpus_bleu expected as many references as hypotheses, got {len(references)} "
                         f"and {len(hypotheses)}")
    positive_int(max_n, "max_n", "corpus_bleu")
    matches, totals = [0] * max_n, [0] * max_n
    ref_len = hyp_len = 0
    for reference, hypothesis in zip(references, hypotheses):
        reference, hypothesis = list(reference), list(hypothesis)
        ref_len, hyp_len = ref_len + len(reference), hyp_len + len(hypothesis)
        for n in range(1, max_n + 1):
            hyp_counts, ref_counts = _ngrams(hypothesis, n), _ngrams(reference, n)
            matches[n - 1] += sum(min(count, ref_counts[gram]) for gram, count in hyp_counts.items())
            totals[n - 1] += max(len(hypothesis) - n + 1, 0)
    if hyp_len == 0 or min(matches) == 0:
        return 0.0
    log_precision = sum(math.log(m / t) for m, t in zip(matches, totals)) / max_n
    brevity = min(1.0, math.exp(1.0 - ref_len / hyp_len))
    return brevity * math.exp(log_precision)


def exact_match(references: Sequence[Sequence], hypotheses: Sequence[Sequence]) -> float:
    """Fraction of hypotheses equal to their reference, token for token."""
    if len(references) != len(hypotheses) or not references:
        raise ValueError(f"exact_match expected two non-empty lists of one length, got {len(references)} "
                         f"and {len(hypotheses)}")
    return sum(list(r) == list(h) for r, h in zip(references, hypotheses)) / len(references)
