"""Chapter 10's tagging and alignment data, CTC decoding and their quiz answers."""

from __future__ import annotations

import numpy as np
import pytest

from rnnlearn.ctc import ctc_collapse, ctc_greedy_decode
from rnnlearn.data import lookahead_xor, lookahead_xor_ceiling, unsegmented_symbols
from rnnlearn.quiz.answers import ctc_min_input_length, lookahead_tagging_ceiling


@pytest.mark.parametrize("k", [1, 3])
def test_lookahead_xor_tags(k):
    x, y = lookahead_xor(7, 12, lookahead=k, seed=3)
    assert x.shape == (7, 12, 1) and x.dtype == np.float32 and y.shape == (7, 12) and y.dtype == np.int64
    bits = x[..., 0].astype(int)
    np.testing.assert_array_equal(y[:, :-k], bits[:, :-k] ^ bits[:, k:])
    np.testing.assert_array_equal(y[:, -k:], bits[:, -k:])
    x2, y2 = lookahead_xor(7, 12, lookahead=k, seed=3)
    np.testing.assert_array_equal(y, y2)


def test_lookahead_xor_rejects_long_lookahead():
    with pytest.raises(ValueError, match="lookahead < length"):
        lookahead_xor(2, 4, lookahead=4)


def test_lookahead_ceiling_matches_a_simulated_best_causal_guess():
    # The best causal guess for t < T - k is any fixed bit; for the last k steps it is x_t.
    x, y = lookahead_xor(20000, 10, lookahead=2, seed=0)
    guess = np.zeros_like(y)
    guess[:, -2:] = x[:, -2:, 0]
    assert abs((guess == y).mean() - lookahead_xor_ceiling(10, 2)) < 0.01
    assert lookahead_xor_ceiling(20, 1) == pytest.approx(0.525)
    assert lookahead_tagging_ceiling(20, 1) == pytest.approx(0.525)


def test_unsegmented_symbols_are_consistent():
    x, input_lengths, labels, label_lengths = unsegmented_symbols(50, noise=0.0, seed=1)
    B, T, C = x.shape
    assert C == 6 and input_lengths.max() == T and labels.shape == (50, 4)
    # Without noise the frames' argmax, collapsed, is the label string.
    decoded = ctc_greedy_decode(x, input_lengths)
    for b in range(B):
        assert decoded[b] == labels[b, : label_lengths[b]].tolist()
        assert input_lengths[b] >= ctc_min_input_length(labels[b, : label_lengths[b]])
        assert (labels[b, label_lengths[b]:] == 0).all() and (labels[b, : label_lengths[b]] > 0).all()


def test_ctc_collapse_and_decode():
    assert ctc_collapse([0, 3, 3, 0, 3, 1, 1, 0]) == [3, 3, 1]
    assert ctc_collapse([2, 2, 2]) == [2]
    assert ctc_collapse([]) == []
    scores = np.eye(3)[[[1, 1, 0, 1, 2, 2]]]  # (1, 6, 3)
    assert ctc_greedy_decode(scores) == [[1, 1, 2]]
    assert ctc_greedy_decode(scores, lengths=[3]) == [[1]]
    with pytest.raises(ValueError, match=r"\(B, T, C\)"):
        ctc_greedy_decode(np.zeros((2, 3)))


def test_ctc_min_input_length():
    assert ctc_min_input_length([3, 3, 1]) == 4
    assert ctc_min_input_length([1, 2, 3]) == 3
    assert ctc_min_input_length([5, 5, 5, 5]) == 7


def test_ctc_greedy_decode_matches_torch_ctc_loss_best_path():
    torch = pytest.importorskip("torch")
    # A path that spells the labels exactly has finite CTC loss; one too short for a repeat has infinite loss.
    log_probs = torch.log_softmax(torch.randn(5, 1, 4), -1)  # (T, B, C)
    labels = torch.tensor([[2, 2, 3]])
    loss = torch.nn.functional.ctc_loss(log_probs, labels, torch.tensor([5]), torch.tensor([3]), reduction="sum")
    assert torch.isfinite(loss)
    short = torch.nn.functional.ctc_loss(log_probs[:3], labels, torch.tensor([3]), torch.tensor([3]), reduction="sum")
    assert torch.isinf(short) and ctc_min_input_length([2, 2, 3]) == 4
