"""Beam search, greedy search, BLEU and exact match (rnnlearn.decoding, chapter 12)."""

import math

import numpy as np
import pytest

from rnnlearn.decoding import beam_search, corpus_bleu, exact_match, greedy_search

BOS, EOS = 0, 1


def trap_step(token, state):
    """A toy model where the greedy first choice (token 2, p=0.6) leads to a flat next step (0.25 each),
    while token 3 (p=0.4) is followed by EOS with probability 0.9: best sentence [3, EOS], p = 0.36."""
    table = {
        BOS: [0.0, 0.0, 0.6, 0.4],
        2: [0.0, 0.25, 0.25, 0.5],   # after 2: EOS 0.25
        3: [0.0, 0.9, 0.05, 0.05],   # after 3: EOS 0.9
    }
    probs = np.array(table.get(token, [0.0, 1.0, 0.0, 0.0]))
    with np.errstate(divide="ignore"):
        return np.log(probs), state


def test_greedy_falls_into_the_trap_and_beam_search_escapes_it():
    greedy_tokens, greedy_score = greedy_search(trap_step, None, bos=BOS, eos=EOS, max_len=2)
    beam_tokens, beam_score = beam_search(trap_step, None, bos=BOS, eos=EOS, max_len=2, beam_size=2)
    assert greedy_tokens == [2, 3]
    assert math.isclose(greedy_score, math.log(0.6 * 0.5))
    assert beam_tokens == [3, EOS]
    assert math.isclose(beam_score, math.log(0.4 * 0.9))


def test_beam_of_one_is_greedy():
    rng = np.random.default_rng(0)
    table = np.log(rng.dirichlet(np.ones(5), size=5))
    step = lambda token, state: (table[token], state)  # noqa: E731
    assert beam_search(step, None, bos=BOS, eos=EOS, max_len=6, beam_size=1)[0] == \
        greedy_search(step, None, bos=BOS, eos=EOS, max_len=6)[0]


def test_beam_search_finds_the_best_sequence_of_a_small_model_exhaustively():
    rng = np.random.default_rng(1)
    table = np.log(rng.dirichlet(np.ones(4) * 0.5, size=4))
    step = lambda token, state: (table[token], state)  # noqa: E731
    # exhaustive search over sequences of up to 3 tokens that end at EOS or at the length limit
    best = -np.inf
    for a in range(4):
        if a == EOS:
            best = max(best, table[BOS, a]); continue
        for b in range(4):
            if b == EOS:
                best = max(best, table[BOS, a] + table[a, b]); continue
            best = max(best, max(table[BOS, a] + table[a, b] + table[b, c] for c in range(4)))
    assert math.isclose(beam_search(step, None, bos=BOS, eos=EOS, max_len=3, beam_size=16)[1], best)


def test_bleu_of_perfect_output_is_one_and_of_disjoint_output_zero():
    refs = [[1, 2, 3, 4, 5], [6, 7, 8, 9]]
    assert corpus_bleu(refs, refs) == pytest.approx(1.0)
    assert corpus_bleu(refs, [[9, 9, 9, 9, 9], [0, 0, 0, 0]]) == 0.0


def test_bleu_by_hand():
    # reference 1 2 3 4 5 6, output 1 2 3 4 9 6: matches 5/6, 3/5, 2/4, 1/3; same length, so no penalty
    value = corpus_bleu([[1, 2, 3, 4, 5, 6]], [[1, 2, 3, 4, 9, 6]])
    assert value == pytest.approx((5 / 6 * 3 / 5 * 2 / 4 * 1 / 3) ** 0.25)


def test_bleu_brevity_penalty_and_clipping():
    # a correct prefix of 4 of the 8 reference tokens: all precisions 1, penalty exp(1 - 8/4)
    assert corpus_bleu([[1, 2, 3, 4, 5, 6, 7, 8]], [[1, 2, 3, 4]]) == pytest.approx(math.exp(-1.0))
    # clipping: "3 3 3 3" against "3 1 2 4" gets unigram precision 1/4, not 4/4
    assert corpus_bleu([[3, 1, 2, 4]], [[3, 3, 3, 3]], max_n=1) == pytest.approx(0.25)


def test_exact_match_and_errors():
    assert exact_match([[1, 2], [3]], [[1, 2], [4]]) == 0.5
    with pytest.raises(ValueError, match="as many references"):
        corpus_bleu([[1]], [])
    with pytest.raises(ValueError, match="beam_size"):
        beam_search(trap_step, None, bos=BOS, eos=EOS, max_len=2, beam_size=0)
