"""rnnlearn.lm (framework-free measures) and rnnlearn.models.charlm (chapter 11)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import rnnlearn.numpy as rl_np
from rnnlearn.convert import copy_weights
from rnnlearn.lm import (bits_per_char, entropy_bits, perplexity, softmax_temperature, uniform_bits,
                         unigram_bits)
from rnnlearn.models.charlm import CharLSTM, sample


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


def test_charlstm_shapes_state_continuation_and_numpy_parity():
    torch.manual_seed(0)
    model = CharLSTM(7, 5, 6, seed=0)
    ids = torch.randint(0, 7, (3, 9))  # (B, T)
    logits, (h, c) = model(ids)
    assert logits.shape == (3, 9, 7) and h.shape == c.shape == (1, 3, 6)
    first, state = model(ids[:, :4])
    second, _ = model(ids[:, 4:], state)
    torch.testing.assert_close(torch.cat([first, second], 1), logits)
    # the same computation with the NumPy oracle for the LSTM
    layer = rl_np.LSTM(5, 6, seed=1)
    copy_weights(model.lstm, layer)
    embedded = model.embed.weight.detach().numpy()[ids.numpy()]  # (B, T, E)
    outputs, _ = layer(embedded.astype("float32"))
    expected = outputs @ model.head.weight.detach().numpy().T + model.head.bias.detach().numpy()
    np.testing.assert_allclose(logits.detach().numpy(), expected, atol=1e-5)
    with pytest.raises(ValueError):
        model(ids.float())
    with pytest.raises(ValueError):
        CharLSTM(0, 5, 6)


def test_sample_is_reproducible_and_low_temperature_is_greedy():
    torch.manual_seed(0)
    model = CharLSTM(7, 5, 6, seed=0)
    draw = lambda t: sample(model, [1, 2], 12, temperature=t, generator=torch.Generator().manual_seed(3))
    assert draw(1.0) == draw(1.0) and len(draw(1.0)) == 12
    greedy, ids, state = [], torch.tensor([[1, 2]]), None
    with torch.no_grad():
        logits, state = model(ids)
        for _ in range(12):
            greedy.append(int(logits[0, -1].argmax()))
            logits, state = model(torch.tensor([[greedy[-1]]]), state)
    assert draw(1e-4) == greedy
    with pytest.raises(ValueError):
        sample(model, [1], 3, temperature=0)
