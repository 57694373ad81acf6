"""The memory tasks compute the targets their papers define: adding, copying, recall, parity and latch."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnlearn.data import (
    IGNORE_INDEX,
    adding_problem,
    copy_task,
    latch,
    multi_query_associative_recall,
    parity,
    selective_copying,
)

FAST = settings(max_examples=25, deadline=None)


# --- adding problem ---------------------------------------------------------------------------------------------


@FAST
@given(batch_size=st.integers(1, 6), seq_len=st.integers(2, 60), seed=st.integers(0, 2**32))
def test_adding_le2015_layout_and_target(batch_size, seq_len, seed):
    x, y = adding_problem(batch_size, seq_len, seed=seed)
    assert x.shape == (batch_size, seq_len, 2) and x.dtype == np.float32
    assert y.shape == (batch_size, 1) and y.dtype == np.float32
    values, markers = x[..., 0], x[..., 1]
    assert ((values >= 0) & (values <= 1)).all()
    assert set(np.unique(markers)) <= {0.0, 1.0}
    half = seq_len // 2
    assert (markers[:, :half].sum(axis=1) == 1).all() and (markers[:, half:].sum(axis=1) == 1).all()
    np.testing.assert_allclose(y[:, 0], (values * markers).sum(axis=1), rtol=1e-6)


@FAST
@given(batch_size=st.integers(1, 6), seq_len=st.integers(11, 80), seed=st.integers(0, 2**32))
def test_adding_hochreiter1997_layout_and_target(batch_size, seq_len, seed):
    x, y = adding_problem(batch_size, seq_len, variant="hochreiter1997", seed=seed)
    assert x.shape == (batch_size, seq_len, 2) and y.shape == (batch_size, 1)
    values, markers = x[..., 0], x[..., 1]
    assert ((values >= -1) & (values <= 1)).all()
    marked = markers == 1.0
    assert (marked.sum(axis=1) == 2).all()
    for b in range(batch_size):
        pair = np.flatnonzero(marked[b])
        # One marker (i1) among the first 10 steps; the other (i2) among the first T/2 - 1 steps left unmarked
        # by i1, i.e. its rank once i1 is skipped is below T/2 - 1.
        assert any(
            i1 < 10 and i2 - (i1 < i2) < seq_len // 2 - 1 for i1, i2 in (pair, pair[::-1])
        ), f"markers at {pair.tolist()} with T={seq_len}"
        # Both ends carry -1 unless marked; every other unmarked step is 0.
        for t in (0, seq_len - 1):
            assert markers[b, t] in (-1.0, 1.0)
        assert (markers[b, 1:-1][~marked[b, 1:-1]] == 0).all()
        if marked[b, 0]:
            assert values[b, 0] == 0.0
    expected = 0.5 + (values * marked).sum(axis=1) / 4.0
    np.testing.assert_allclose(y[:, 0], expected, rtol=1e-6)
    assert ((y >= 0) & (y <= 1)).all()


def test_adding_hochreiter1997_first_marker_is_spread_over_the_first_ten_steps():
    x, _ = adding_problem(2000, 30, variant="hochreiter1997", seed=0)
    first = np.argmax(x[..., 1] == 1.0, axis=1)
    counts = np.bincount(first, minlength=15)
    assert counts[10:].sum() == 0 and (counts[:10] > 0).all()


def test_adding_le2015_baseline_mse_is_one_sixth():
    _, y = adding_problem(20000, 20, seed=0)
    assert abs(np.mean((y - 1.0) ** 2) - 1 / 6) < 0.01


def test_adding_rejects_too_short_sequences():
    with pytest.raises(ValueError, match=r"adding_problem expected seq_len >= 11 .* got 10"):
        adding_problem(2, 10, variant="hochreiter1997", seed=0)
    with pytest.raises(ValueError, match=r"adding_problem expected seq_len >= 2 .* got 1"):
        adding_problem(2, 1, seed=0)


def test_adding_rejects_an_unknown_variant():
    with pytest.raises(ValueError, match=r"expected variant to be one of 'le2015', 'hochreiter1997', got 'le'"):
        adding_problem(2, 10, variant="le", seed=0)


@pytest.mark.parametrize("batch_size", [0, -3])
def test_sizes_must_be_positive(batch_size):
    with pytest.raises(ValueError, match=rf"adding_problem expected batch_size to be a positive integer, got {batch_size}"):
        adding_problem(batch_size, 10, seed=0)


@pytest.mark.parametrize("batch_size", [2.0, "2", None, True])
def test_sizes_must_be_integers(batch_size):
    with pytest.raises(ValueError, match=r"copy_task expected batch_size to be a positive integer, got "):
        copy_task(batch_size, 5, seed=0)


@pytest.mark.parametrize("seq_len", [20.0, "20", None])
def test_sequence_lengths_must_be_integers(seq_len):
    with pytest.raises(ValueError, match=r"adding_problem expected seq_len to be an integer >= 2 .*, got "):
        adding_problem(2, seq_len, seed=0)


# --- copy task --------------------------------------------------------------------------------------------------


@FAST
@given(
    batch_size=st.integers(1, 5), delay=st.integers(1, 30), copy_len=st.integers(1, 12),
    num_symbols=st.integers(1, 9), seed=st.integers(0, 2**32),
)
def test_copy_task_targets_are_the_copied_symbols(batch_size, delay, copy_len, num_symbols, seed):
    x, y, vocab_size = copy_task(batch_size, delay, copy_len=copy_len, num_symbols=num_symbols, seed=seed)
    seq_len = delay + 2 * copy_len
    assert x.shape == y.shape == (batch_size, seq_len) and x.dtype == y.dtype == np.int64
    assert vocab_size == num_symbols + 2
    assert x.min() >= 0 and x.max() < vocab_size and y.min() >= 0 and y.max() < vocab_size
    symbols = x[:, :copy_len]
    assert ((symbols >= 1) & (symbols <= num_symbols)).all()
    np.testing.assert_array_equal(y[:, -copy_len:], symbols)
    assert (y[:, :-copy_len] == 0).all()
    delimiter = copy_len + delay - 1
    assert (x[:, delimiter] == num_symbols + 1).all()
    rest = np.delete(x, list(range(copy_len)) + [delimiter], axis=1)
    assert (rest == 0).all()


def test_copy_task_matches_the_arjovsky_layout():
    x, y, vocab_size = copy_task(3, 100, seed=0)
    assert x.shape == (3, 120) and vocab_size == 10  # T + 20 steps, 8 symbols + blank + delimiter
    assert (x[:, 109] == 9).all() and (x[:, 110:] == 0).all()


# --- selective copying ------------------------------------------------------------------------------------------


@FAST
@given(
    batch_size=st.integers(1, 5), seq_len=st.integers(1, 40), num_symbols=st.integers(1, 9),
    data=st.data(),
)
def test_selective_copying_targets_are_the_data_tokens_in_order(batch_size, seq_len, num_symbols, data):
    num_tokens = data.draw(st.integers(1, seq_len))
    seed = data.draw(st.integers(0, 2**32))
    x, y, vocab_size = selective_copying(batch_size, seq_len, num_tokens=num_tokens, num_symbols=num_symbols, seed=seed)
    assert x.shape == y.shape == (batch_size, seq_len + num_tokens) and x.dtype == y.dtype == np.int64
    assert vocab_size == num_symbols + 2
    context = x[:, :seq_len]
    assert (x[:, seq_len:] == num_symbols + 1).all()
    assert (y[:, :seq_len] == IGNORE_INDEX).all()
    for b in range(batch_size):
        tokens = context[b][context[b] != 0]
        assert len(tokens) == num_tokens and ((tokens >= 1) & (tokens <= num_symbols)).all()
        np.testing.assert_array_equal(y[b, seq_len:], tokens)


def test_selective_copying_positions_vary_between_sequences():
    x, _, _ = selective_copying(50, 64, seed=0)
    positions = {tuple(np.flatnonzero(row[:64])) for row in x}
    assert len(positions) == 50


def test_selective_copying_rejects_more_tokens_than_positions():
    with pytest.raises(ValueError, match=r"selective_copying expected seq_len >= 5 \(room for num_tokens=5 data symbols\), got 4"):
        selective_copying(2, 4, num_tokens=5, seed=0)


# --- multi-query associative recall ------------------------------------------------------------------------------


@FAST
@given(batch_size=st.integers(1, 4), num_pairs=st.integers(1, 6), data=st.data())
def test_mqar_targets_are_the_values_of_the_queried_keys(batch_size, num_pairs, data):
    seq_len = data.draw(st.integers(4 * num_pairs, 4 * num_pairs + 20))
    vocab_size = data.draw(st.integers(2 * num_pairs + 2, 2 * num_pairs + 30))
    seed = data.draw(st.integers(0, 2**32))
    x, y, v = multi_query_associative_recall(batch_size, seq_len, num_pairs=num_pairs, vocab_size=vocab_size, seed=seed)
    assert x.shape == y.shape == (batch_size, seq_len) and x.dtype == y.dtype == np.int64 and v == vocab_size
    half = vocab_size // 2
    context = 2 * num_pairs
    for b in range(batch_size):
        keys, values = x[b, 0:context:2], x[b, 1:context:2]
        assert len(set(keys)) == num_pairs and len(set(values)) == num_pairs
        assert ((keys >= 1) & (keys < half)).all() and ((values >= half) & (values < vocab_size)).all()
        table = dict(zip(keys, values))
        asked = np.flatnonzero(y[b] != IGNORE_INDEX)
        assert len(asked) == num_pairs and (asked >= context).all() and ((asked - context) % 2 == 0).all()
        assert sorted(x[b, asked]) == sorted(keys)  # every key asked exactly once
        for position in asked:
            assert y[b, position] == table[x[b, position]]
        rest = np.setdiff1d(np.arange(context, seq_len), asked)
        assert (x[b, rest] == 0).all()


def test_mqar_rejects_a_vocabulary_too_small_for_the_pairs():
    with pytest.raises(ValueError, match=r"expected vocab_size >= 18 .*num_pairs=8.*got 16"):
        multi_query_associative_recall(2, 64, num_pairs=8, vocab_size=16, seed=0)


def test_mqar_rejects_a_sequence_too_short_for_the_queries():
    with pytest.raises(ValueError, match=r"multi_query_associative_recall expected seq_len >= 32 .*got 31"):
        multi_query_associative_recall(2, 31, num_pairs=8, seed=0)


# --- parity and latch ---------------------------------------------------------------------------------------------


@FAST
@given(batch_size=st.integers(1, 5), seq_len=st.integers(1, 50), seed=st.integers(0, 2**32))
def test_parity_is_the_running_xor(batch_size, seq_len, seed):
    x, y = parity(batch_size, seq_len, seed=seed)
    assert x.shape == y.shape == (batch_size, seq_len, 1) and x.dtype == y.dtype == np.float32
    bits = x[..., 0].astype(int)
    assert set(np.unique(bits)) <= {0, 1}
    for b in range(batch_size):
        state = 0
        for t in range(seq_len):
            state ^= bits[b, t]
            assert y[b, t, 0] == state


def test_parity_final_target_is_balanced():
    _, y = parity(4000, 30, seed=0)
    assert 0.45 < y[:, -1].mean() < 0.55


@FAST
@given(batch_size=st.integers(1, 5), seq_len=st.integers(1, 40), data=st.data())
def test_latch_holds_the_bit_of_the_latest_write(batch_size, seq_len, data):
    num_writes = data.draw(st.integers(1, seq_len))
    x, y = latch(batch_size, seq_len, num_writes=num_writes, seed=data.draw(st.integers(0, 2**32)))
    assert x.shape == (batch_size, seq_len, 2) and y.shape == (batch_size, seq_len, 1)
    assert x.dtype == y.dtype == np.float32
    bits, writes = x[..., 0], x[..., 1]
    assert (writes[:, 0] == 1).all() and (writes.sum(axis=1) == num_writes).all()
    for b in range(batch_size):
        held = None
        for t in range(seq_len):
            if writes[b, t]:
                held = bits[b, t]
            assert y[b, t, 0] == held


def test_latch_rejects_more_writes_than_steps():
    with pytest.raises(ValueError, match=r"latch expected seq_len >= 6 \(one step per write, num_writes=6\), got 5"):
        latch(2, 5, num_writes=6, seed=0)
