"""The numeric-answer helpers that the chapters' decks compute from (rnnlearn.quiz.answers)."""

import math

import numpy as np
import pytest

from rnnlearn.quiz.answers import forget_gate_retention, rnn_param_count


def test_forget_gate_retention_is_a_power_of_the_sigmoid():
    # Chapter 6: a constant forget gate sigma(b) keeps sigma(b)**k of the cell state over k steps.
    assert forget_gate_retention(bias=0.0, steps=20) == 0.5**20
    assert forget_gate_retention(bias=1.0, steps=1) == pytest.approx(1 / (1 + math.exp(-1)))
    assert forget_gate_retention(bias=1.0, steps=20) == pytest.approx(0.0019013, rel=1e-4)
    assert forget_gate_retention(bias=3.0, steps=0) == 1.0


def test_forget_gate_retention_matches_a_running_lstm_cell():
    # An LSTM cell with shut input gate and constant forget gate decays its cell state by f**k.
    from rnnlearn.numpy import LSTMCell

    H, bias, steps = 3, 1.5, 7
    cell = LSTMCell(1, H, seed=0, dtype="float64")
    for name in cell.params:
        cell.params[name][:] = 0.0
    cell.params["bias_ih"][:H] = -1e4        # input gate shut
    cell.params["bias_ih"][H : 2 * H] = bias  # forget gate constant
    state = (np.zeros((1, H)), np.ones((1, H)))
    for _ in range(steps):
        _, state = cell(np.zeros((1, 1)), state)
    np.testing.assert_allclose(state[1], forget_gate_retention(bias=bias, steps=steps), rtol=1e-12)


@pytest.mark.parametrize("steps", [-1, 1.5, True])
def test_forget_gate_retention_rejects_bad_steps(steps):
    with pytest.raises(ValueError, match="steps"):
        forget_gate_retention(bias=1.0, steps=steps)


def test_gru_and_lstm_counts_used_by_chapter_7():
    assert rnn_param_count("gru", 2, 32, framework="torch") == 3456
    assert rnn_param_count("lstm", 2, 32, framework="torch") == 4608
    assert rnn_param_count("gru", 8, 16, framework="keras", reset_after=False) == 1200
    assert rnn_param_count("gru", 8, 16, framework="keras", reset_after=True) == 1248


def test_reset_state_ceiling_matches_chapter_9():
    from rnnlearn.quiz.answers import reset_state_ceiling

    assert reset_state_ceiling(8, 3) == 0.8125
    assert reset_state_ceiling(32, 3) == 1 - 3 / 64
    assert reset_state_ceiling(5, 0) == 1.0
    with pytest.raises(ValueError):
        reset_state_ceiling(2, 3)


def test_padding_fraction():
    from rnnlearn.quiz.answers import padding_fraction

    assert padding_fraction([7, 3, 5, 1]) == (28 - 16) / 28
    assert padding_fraction([4, 4]) == 0.0
    with pytest.raises(ValueError):
        padding_fraction([])
