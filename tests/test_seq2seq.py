"""The encoder-decoder (rnnlearn.models.seq2seq, chapter 12); its attention twins are tested in test_attention.py."""

import numpy as np
import pytest
import torch

from rnnlearn.data.translation import BOS, EOS, TRANSLATION, VOCAB_SIZE, digit_translation
from rnnlearn.decoding import beam_search, greedy_search
import rnnlearn.torch as rt
from rnnlearn.models.seq2seq import Seq2Seq


def test_translation_data_is_seeded_and_translated():
    source, target = digit_translation(5, 7, seed=3)
    again, _ = digit_translation(5, 7, seed=3)
    assert source.shape == (5, 7) and target.shape == (5, 8)
    np.testing.assert_array_equal(source, again)
    np.testing.assert_array_equal(target[:, :-1], TRANSLATION[source - 3] + 3)
    assert (target[:, -1] == EOS).all()
    with pytest.raises(ValueError, match="length"):
        digit_translation(5, 0, seed=0)


@pytest.mark.parametrize("attention", [None, "additive", "multiplicative"])
def test_seq2seq_shapes_and_greedy_matches_step_function(attention):
    model = Seq2Seq(VOCAB_SIZE, 8, attention=attention, seed=0)
    source, target = map(torch.tensor, digit_translation(3, 4, seed=0))
    target_in = torch.cat([torch.full((3, 1), BOS), target[:, :-1]], 1)
    logits, weights = model(source, target_in)
    assert logits.shape == (3, 5, VOCAB_SIZE)
    assert (weights is None) == (attention is None)
    twin = {None: type(None), "additive": rt.AdditiveAttention, "multiplicative": rt.MultiplicativeAttention}
    assert isinstance(model.attention, twin[attention])  # built from the package's twins
    if weights is not None:
        assert weights.shape == (3, 5, 4)
    tokens, _ = model.greedy(source, bos=BOS, max_len=5)
    step, state = model.step_function(source[0])
    one, _ = greedy_search(step, state, bos=BOS, eos=EOS, max_len=5)
    assert one == tokens[0, :len(one)].tolist()
    best, _ = beam_search(step, state, bos=BOS, eos=EOS, max_len=5, beam_size=3)
    assert 1 <= len(best) <= 5


def test_reversed_source_reads_back_to_front():
    model = Seq2Seq(VOCAB_SIZE, 8, reverse_source=True, seed=0)
    plain = Seq2Seq(VOCAB_SIZE, 8, seed=0)
    source = torch.tensor(digit_translation(2, 5, seed=1)[0])
    _, final_reversed = model.encode(source)
    _, final_flipped = plain.encode(source.flip(1))
    torch.testing.assert_close(final_reversed, final_flipped)


@pytest.fixture
def one_thread():
    """Tiny matrices: on a loaded 2-core machine two threads made this test 50 times slower (measured)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_seq2seq_learns_short_sentences(one_thread):
    torch.manual_seed(0)
    model = Seq2Seq(VOCAB_SIZE, 32, attention="additive", seed=0)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-2)
    rng = np.random.default_rng(0)
    for _ in range(150):
        source, target = map(torch.tensor, digit_translation(64, 3, seed=rng))
        target_in = torch.cat([torch.full((64, 1), BOS), target[:, :-1]], 1)
        logits, _ = model(source, target_in)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, VOCAB_SIZE), target.reshape(-1))
        optimiser.zero_grad(); loss.backward(); optimiser.step()
    source, target = digit_translation(100, 3, seed=99)
    tokens, _ = model.greedy(torch.tensor(source), bos=BOS, max_len=4)
    assert (tokens.numpy() == target).all(1).mean() > 0.9


def test_bad_attention_kind_is_named():
    with pytest.raises(ValueError, match="attention must be None, 'additive' or 'multiplicative', got 'dot'"):
        Seq2Seq(VOCAB_SIZE, 8, attention="dot")
