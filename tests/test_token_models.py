"""Chapter 14's three token models (rnnlearn.models.token_models) and the answers its deck computes:
training form = generation form, the exact size of every state, seeds, clear errors."""

import numpy as np
import pytest
import torch

from rnnlearn.models.token_models import TinyTransformer, TokenLSTM, TokenTCN, sinusoidal_positions, state_nbytes
from rnnlearn.quiz.answers import (
    causal_attention_scores,
    kv_cache_bytes,
    lstm_state_bytes,
    tcn_layers_needed,
    tcn_receptive_field,
)
from rnnlearn.tcn_layout import receptive_field

V, H = 12, 8


def make(kind, seed=0):
    if kind == "lstm":
        return TokenLSTM(V, H, num_layers=2, seed=seed)
    if kind == "transformer":
        return TinyTransformer(V, H, num_heads=2, num_layers=2, seed=seed)
    return TokenTCN(V, H, num_layers=3, seed=seed)


KINDS = ["lstm", "transformer", "tcn"]


@pytest.mark.parametrize("kind", KINDS)
def test_generating_token_by_token_equals_one_parallel_pass(kind):
    model = make(kind).double()
    ids = torch.randint(0, V, (3, 10), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        logits, final = model(ids)
        state, steps = None, []
        for t in range(10):
            out, state = model.step(ids[:, t], state)
            steps.append(out)
        head, prefix_state = model(ids[:, :6])  # a prompt, then generation
        tail = []
        for t in range(6, 10):
            out, prefix_state = model.step(ids[:, t], prefix_state)
            tail.append(out)
    assert logits.shape == (3, 10, V)
    torch.testing.assert_close(torch.stack(steps, 1), logits, rtol=1e-10, atol=1e-10)
    torch.testing.assert_close(torch.cat([head, torch.stack(tail, 1)], 1), logits, rtol=1e-10, atol=1e-10)
    assert state_nbytes(state) == state_nbytes(final) == state_nbytes(prefix_state)


def test_state_sizes_are_exact():
    B, T = 3, 10
    ids = torch.zeros(B, T, dtype=torch.long)
    with torch.no_grad():
        lstm_state = make("lstm")(ids)[1]
        transformer_state = make("transformer")(ids)[1]
        tcn_state = make("tcn")(ids)[1]
    assert state_nbytes(lstm_state) == lstm_state_bytes(H, num_layers=2, batch_size=B) == 2 * 2 * B * H * 4
    assert state_nbytes(transformer_state) == kv_cache_bytes(T, H, num_layers=2, batch_size=B) == 2 * 2 * B * T * H * 4
    assert state_nbytes(tcn_state) == B * H * 4 * (receptive_field(2, 3) - 1)  # buffers of 1 + 2 + 4 steps
    assert state_nbytes(None) == 0 and state_nbytes((np.zeros(3, "float64"), [np.zeros(2, "int8")])) == 26


def test_the_same_seed_gives_the_same_model_and_leaves_the_global_generator_alone():
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    a, b = make("transformer", seed=4), make("transformer", seed=4)
    assert torch.rand(1) == before  # building with a seed did not draw from torch's global generator
    for (name, p), (_, q) in zip(a.named_parameters(), b.named_parameters(), strict=True):
        torch.testing.assert_close(p, q, rtol=0, atol=0, msg=name)
    assert any(not torch.equal(p, q) for p, q in zip(a.parameters(), make("transformer", seed=5).parameters()))


def test_position_codes_follow_the_formula():
    codes = sinusoidal_positions(torch.arange(5), 6)
    p, i = 3, 1
    assert codes.shape == (5, 6)
    assert torch.isclose(codes[p, i], torch.sin(torch.tensor(p / 10000 ** (2 * i / 6), dtype=torch.float64)))
    assert torch.isclose(codes[p, 3 + i], torch.cos(torch.tensor(p / 10000 ** (2 * i / 6), dtype=torch.float64)))


def test_parameter_counts_of_the_chapter_models():
    # width 64, vocabulary 64: the LSTM and the transformer within 1% of each other, the TCN larger
    counts = {name: sum(p.numel() for p in m.parameters()) for name, m in
              {"lstm": TokenLSTM(64, 64), "transformer": TinyTransformer(64, 64, num_heads=4),
               "tcn": TokenTCN(64, 64, num_layers=5)}.items()}
    embedding_and_head = 64 * 64 + 64 * 64 + 64
    assert counts["lstm"] == embedding_and_head + 4 * (64 * 64 + 64 * 64 + 2 * 64)
    assert counts["transformer"] == embedding_and_head + 4 * (64 * 64 + 64) + 2 * (64 * 128) + 128 + 64 + 3 * 2 * 64
    assert counts["tcn"] == embedding_and_head + 5 * (2 * 64 * 64 + 64)


@pytest.mark.parametrize("kind", KINDS)
def test_bad_inputs_are_named(kind):
    model = make(kind)
    name = type(model).__name__
    with pytest.raises(ValueError, match=rf"{name} expected ids of shape \(B, T\), got \(2, 3, 4\)"):
        model(torch.zeros(2, 3, 4, dtype=torch.long))
    with pytest.raises(ValueError, match=rf"{name} expected ids_t of shape \(B,\), got \(2, 3\)"):
        model.step(torch.zeros(2, 3, dtype=torch.long))
    with pytest.raises(ValueError, match=rf"{name} expected integer token ids, got dtype torch.float32"):
        model(torch.zeros(2, 3))


def test_bad_constructor_arguments_and_states_are_named():
    with pytest.raises(ValueError, match="TinyTransformer expected an even hidden_size"):
        TinyTransformer(V, 9, num_heads=1)
    with pytest.raises(ValueError, match="TokenLSTM expected vocab_size to be an integer >= 2, got 1"):
        TokenLSTM(1, H)
    with pytest.raises(ValueError, match="TinyTransformer expected state to be a tuple of 2 KV caches, got 1 items"):
        make("transformer")(torch.zeros(1, 3, dtype=torch.long), (None,))
    with pytest.raises(ValueError, match="state_nbytes expected tensors"):
        state_nbytes("cache")


def test_chapter_answers():
    assert kv_cache_bytes(2048, 768, num_layers=12, bytes_per_number=2) == 75_497_472
    assert lstm_state_bytes(128) == 1024
    assert tcn_receptive_field(2, 5) == receptive_field(2, 5) == 32
    assert tcn_receptive_field(3, 4) == 31
    assert tcn_layers_needed(1000, kernel_size=2) == 10 and tcn_receptive_field(2, 9) < 1000
    assert tcn_layers_needed(1, kernel_size=3) == 1
    assert causal_attention_scores(4) == 10 == sum(range(1, 5))
    for bad in (lambda: kv_cache_bytes(0, 8), lambda: tcn_receptive_field(1, 3), lambda: causal_attention_scores(True)):
        with pytest.raises(ValueError):
            bad()
