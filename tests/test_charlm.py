"""rnnlearn.lm (framework-free measures and sampling) and the PyTorch CharLSTM (chapter 11).

The twins against each other: test_whole_models.py and test_keras_whole_models.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import rnnlearn.numpy as rl_np
from rnnlearn.convert import copy_weights
from rnnlearn.lm import (bits_per_char, entropy_bits, perplexity, sample, softmax_temperature, uniform_bits,
                         unigram_bits)
from rnnlearn.torch import CharLSTM


def test_bits_and_perplexity_of_a_uniform_guess():
    nats = math.log(8)  # uniform over 8 characters
    assert bits_per_char(nats) == pytest.approx(3.0)
    assert perplexity(nats) == pytest.approx(8.0)
    assert uniform_bits(8) == pytest.approx(3.0)
    with pytest.raises(ValueError):
        uniform_bits(0)


def test_unigram_bits_is_the_entropy_of_the_counts_on_the_same_text():
    ids = np.array([0, 0, 0, 1])  # p = (3/4, 1/4): entropy 0.8113 bits
    expected = -(0.75 * math.log2(0.75) + 0.25 * math.log2(0.25))
    assert unigram_bits(ids, ids, 2, smoothing=0.0) == pytest.approx(expected)
    with pytest.raises(ValueError):
        unigram_bits(ids, np.array([2]), 3, smoothing=0.0)
    assert math.isfinite(unigram_bits(ids, np.array([2]), 3))  # smoothing gives unseen ids a finite cost


def test_temperature_entropy_is_monotone_and_has_the_right_limits():
    logits = np.array([2.0, 1.0, 0.5, -1.0])
    entropies = [float(entropy_bits(softmax_temperature(logits, t))) for t in (0.05, 0.5, 1, 2, 100)]
    assert all(a < b for a, b in zip(entropies, entropies[1:]))
    assert entropies[0] < 1e-6 and entropies[-1] == pytest.approx(2.0, abs=1e-3)
    np.testing.assert_allclose(softmax_temperature(logits, 1.0), np.exp(logits) / np.exp(logits).sum())
    with pytest.raises(ValueError):
        softmax_temperature(logits, 0.0)


def test_charlstm_shapes_and_state_continuation():
    model = CharLSTM(7, 5, 6, num_layers=2, seed=0)
    ids = torch.randint(0, 7, (3, 9), generator=torch.Generator().manual_seed(0))  # (B, T)
    logits, (h, c) = model(ids)
    assert logits.shape == (3, 9, 7) and h.shape == c.shape == (2, 3, 6)
    first, state = model(ids[:, :4])
    second, _ = model(ids[:, 4:], state)
    torch.testing.assert_close(torch.cat([first, second], 1), logits)
    torch.testing.assert_close(model(ids.numpy())[0], logits)  # NumPy ids are accepted
    with pytest.raises(ValueError, match=r"CharLSTM expected integer ids of shape \(B, T\), got shape \(3, 9\) torch.float32"):
        model(ids.float())
    with pytest.raises(ValueError, match=r"got shape \(9,\)"):
        model(ids[0])
    with pytest.raises(ValueError, match="CharLSTM expected vocab_size to be a positive integer, got 0"):
        CharLSTM(0, 5, 6)


def test_charlstm_seed_fixes_every_weight_and_the_lstm_draws_first():
    a, b = CharLSTM(7, 5, 6, seed=4), CharLSTM(7, 5, 6, seed=4)
    for (name, p), (_, q) in zip(a.named_parameters(), b.named_parameters(), strict=True):
        torch.testing.assert_close(p, q, msg=name)
    alone = rl_np.LSTM(5, 6, seed=4)  # the model's LSTM is the LSTM this seed gives on its own
    np.testing.assert_array_equal(a.lstm.weight_hh_l0.detach().numpy(), alone.weight_hh_l0)
    assert not torch.equal(CharLSTM(7, 5, 6, seed=5).embed.weight, a.embed.weight)


def test_sample_is_reproducible_and_low_temperature_is_greedy():
    model = CharLSTM(7, 5, 6, seed=0)
    draw = lambda t: sample(model, [1, 2], 12, temperature=t, seed=3)
    assert draw(1.0) == draw(1.0) and len(draw(1.0)) == 12
    assert draw(1.0) != sample(model, [1, 2], 12, seed=4)
    greedy, ids, state = [], torch.tensor([[1, 2]]), None
    with torch.no_grad():
        logits, state = model(ids)
        for _ in range(12):
            greedy.append(int(logits[0, -1].argmax()))
            logits, state = model(torch.tensor([[greedy[-1]]]), state)
    assert draw(1e-6) == greedy  # two of the untrained logits differ by only 1e-4
    assert model.training, "sample puts the model back in training mode"
    with pytest.raises(ValueError, match="temperature > 0"):
        sample(model, [1], 3, temperature=0)
    with pytest.raises(ValueError, match="at least one id"):
        sample(model, [], 3)


def test_sample_draws_the_same_text_from_the_numpy_twin():
    model = CharLSTM(7, 5, 6, dtype="float64", seed=0)
    twin = copy_weights(model, rl_np.CharLSTM(7, 5, 6, dtype="float64", seed=1))
    assert sample(model, [1, 2], 30, seed=0) == sample(twin, [1, 2], 30, seed=0)
