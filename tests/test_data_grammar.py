"""The Reber grammars: generated strings are accepted, random strings are rejected, targets are the allowed
next symbols (Hochreiter & Schmidhuber 1997, Experiment 1)."""

import numpy as np
import pytest

from rnnlearn.data import (
    REBER_SYMBOLS,
    embedded_reber_strings,
    encode_reber,
    is_embedded_reber,
    is_reber,
    reber_next_symbols,
    reber_strings,
)


def test_known_strings_are_classified_correctly():
    for good in ["BTXSE", "BPVVE", "BTSSXXTVVE", "BPTVPXVVE", "BTSXXVPSE"]:
        assert is_reber(good), good
    for bad in ["", "B", "BTXS", "BTXSEE", "BTXXE", "BPVPE", "TXSE", "BTSSXSEX"]:
        assert not is_reber(bad), bad
    assert is_embedded_reber("BTBTXSETE") and is_embedded_reber("BPBPVVEPE")
    for bad in ["BTBTXSEPE", "BPBPVVETE", "BTBTXSET", "BTTXSETE", "BTXSE"]:
        assert not is_embedded_reber(bad), bad


def test_generated_strings_are_accepted_and_varied():
    plain = reber_strings(300, seed=0)
    embedded = embedded_reber_strings(300, seed=0)
    assert all(is_reber(s) for s in plain)
    assert all(is_embedded_reber(s) for s in embedded)
    assert not any(is_reber(s) for s in embedded)
    assert len(set(plain)) > 50 and len(set(embedded)) > 50
    branches = [s[1] for s in embedded]
    assert 100 < branches.count("T") < 200  # T and P with probability 1/2 each
    assert min(map(len, plain)) == 5 and min(map(len, embedded)) == 9


def test_random_strings_are_mostly_rejected():
    rng = np.random.default_rng(0)
    letters = np.array(list(REBER_SYMBOLS))
    candidates = ["".join(rng.choice(letters, size=rng.integers(5, 15))) for _ in range(2000)]
    assert np.mean([is_reber(s) for s in candidates]) < 0.01
    assert np.mean([is_embedded_reber(s) for s in candidates]) < 0.01


def test_the_second_symbol_comes_back_second_to_last():
    for s in embedded_reber_strings(200, seed=3):
        assert s[1] == s[-2] and s[1] in "TP"
        assert reber_next_symbols(s)[-3] == s[1]  # after the inner E only the remembered branch may follow


def test_next_symbols_by_hand():
    assert reber_next_symbols("BTXSE", embedded=False) == ["TP", "SX", "SX", "E", ""]
    assert reber_next_symbols("BPBPVVEPE") == ["TP", "B", "TP", "TV", "PV", "E", "P", "E", ""]


def test_next_symbols_contain_the_actual_next_symbol():
    for s in embedded_reber_strings(100, seed=1):
        allowed = reber_next_symbols(s)
        assert all(s[t + 1] in allowed[t] for t in range(len(s) - 1))
        assert allowed[-1] == ""


def test_encode_reber_one_hot_inputs_multi_hot_targets():
    strings = embedded_reber_strings(8, seed=2)
    x, y, lengths = encode_reber(strings)
    batch, time = len(strings), max(map(len, strings))
    assert x.shape == y.shape == (batch, time, 7) and x.dtype == y.dtype == np.float32
    assert lengths.dtype == np.int64 and lengths.tolist() == [len(s) for s in strings]
    for b, s in enumerate(strings):
        decoded = "".join(REBER_SYMBOLS[k] for k in x[b, : len(s)].argmax(axis=1))
        assert decoded == s
        assert (x[b, : len(s)].sum(axis=1) == 1).all() and (x[b, len(s) :] == 0).all()
        allowed = ["".join(REBER_SYMBOLS[k] for k in np.flatnonzero(row)) for row in y[b, : len(s)]]
        assert allowed == reber_next_symbols(s)
        assert (y[b, len(s) - 1 :] == 0).all()


def test_invalid_strings_raise_value_error():
    with pytest.raises(ValueError, match=r"reber_next_symbols expected an embedded Reber string, got 'BTXSE'"):
        reber_next_symbols("BTXSE")
    with pytest.raises(ValueError, match=r"encode_reber expected a non-empty list of strings"):
        encode_reber("BTBTXSETE")
    with pytest.raises(ValueError, match=r"is_reber expected a str, got int"):
        is_reber(5)
    with pytest.raises(ValueError, match=r"reber_strings expected n to be a positive integer, got 0"):
        reber_strings(0, seed=0)
