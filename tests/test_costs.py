"""rnnlearn.costs: the timing helpers of chapter 14 return what they promise, on tiny sizes, and name bad input."""

import pytest
import torch

from rnnlearn.costs import generation_costs, training_step_seconds
from rnnlearn.models.token_models import TinyTransformer, TokenLSTM, TokenTCN
from rnnlearn.quiz.answers import kv_cache_bytes, lstm_state_bytes


@pytest.fixture
def models():
    return {"LSTM": TokenLSTM(16, 8, seed=0), "transformer": TinyTransformer(16, 8, num_heads=2, seed=0),
            "TCN": TokenTCN(16, 8, num_layers=2, seed=0)}


def test_training_step_seconds_times_every_model_and_length_and_trains(models):
    before = models["LSTM"].head.weight.detach().clone()
    seconds = training_step_seconds(models, [8, 16], batch_size=2, rounds=1, num_pairs=2)
    assert set(seconds) == set(models) and all(set(row) == {8, 16} for row in seconds.values())
    assert all(0 < s < 10 for row in seconds.values() for s in row.values())
    assert not torch.equal(before, models["LSTM"].head.weight)  # the measured steps did update the weights


def test_generation_costs_reports_exact_state_sizes(models):
    costs = generation_costs(models, [4, 12], batch_size=3, steps=2, rounds=1)
    for C in (4, 12):
        assert costs["LSTM"][C][1] == lstm_state_bytes(8, batch_size=3)
        assert costs["transformer"][C][1] == kv_cache_bytes(C, 8, batch_size=3)
        assert costs["TCN"][C][1] == 3 * 8 * 4 * (1 + 2)  # buffers of 1 and 2 steps
        assert all(0 < costs[name][C][0] < 10 for name in models)


def test_bad_arguments_are_named(models):
    with pytest.raises(ValueError, match="expected lengths to be positive integers, got \\[0, 8\\]"):
        training_step_seconds(models, [0, 8])
    with pytest.raises(ValueError, match="expected contexts to be positive integers"):
        generation_costs(models, [])
    with pytest.raises(ValueError, match="expected at least one model"):
        generation_costs({}, [4])
