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


def test_modern_param_count_matches_the_twins_and_the_formulas():
    import rnnlearn.numpy as rl_np
    from rnnlearn.quiz.answers import modern_param_count

    D, H = 3, 5
    formulas = {"MinGRU": 2 * (H * D + H), "MinLSTM": 3 * (H * D + H),
                "RWKVTimeMix": 3 * D + 3 * H * D + H * H + 2 * H,
                "MLSTM": 4 * (H * D + H) + 2 * (D + 1), "RGLRU": H * D + 2 * H * H + 4 * H}
    for name, count in formulas.items():
        model = getattr(rl_np, name)(D, H, seed=0)
        assert modern_param_count(name, D, H) == count == sum(p.size for p in model.params.values())
    assert modern_param_count("MinGRU", 32, 32) == 2112
    assert modern_param_count("MinGRU", D, H, bias=False) == 2 * H * D
    with pytest.raises(ValueError, match="model must be one of"):
        modern_param_count("GRU", D, H)
    with pytest.raises(ValueError, match="hidden_size to be a positive integer"):
        modern_param_count("MinGRU", D, 0)


def test_rglru_decay_is_a_power_of_the_base_decay_and_matches_the_layer():
    import rnnlearn.numpy as rl_np
    from rnnlearn.quiz.answers import rglru_decay

    assert rglru_decay(0.9, r=1.0) == pytest.approx(0.9**8)
    assert rglru_decay(0.9, r=0.0) == 1.0
    assert rglru_decay(0.5, r=0.5, c=2.0) == pytest.approx(0.5)
    # An RG-LRU step with its recurrence gate pinned at r = 1 and no input (u_t = 0) multiplies h by a^c.
    layer = rl_np.RGLRU(2, 3, seed=0)
    for name in ("weight_in", "bias_in", "weight_a"):
        layer.params[name][:] = 0.0
    layer.params["bias_a"][:] = 1e4  # r_t = sigmoid(1e4) = 1
    h1, _ = layer.step(np.zeros((1, 2), layer.dtype), np.ones((1, 3), layer.dtype))
    a = 1 / (1 + np.exp(-layer.params["a_logit"].astype("float64")))
    np.testing.assert_allclose(h1[0], [rglru_decay(float(value), r=1.0) for value in a], rtol=1e-5)


@pytest.mark.parametrize("kwargs", [{"a": 1.0, "r": 0.5}, {"a": 0.9, "r": 1.5}, {"a": 0.9, "r": 0.5, "c": 0.0}])
def test_rglru_decay_rejects_bad_arguments(kwargs):
    from rnnlearn.quiz.answers import rglru_decay

    with pytest.raises(ValueError, match="must be"):
        rglru_decay(**kwargs)


def test_answers_defines_each_function_once():
    """Two chapters defining the same answer name would silently replace one another (the later wins)."""
    import ast
    from pathlib import Path

    import rnnlearn.quiz.answers as module

    tree = ast.parse(Path(module.__file__).read_text())
    names = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert not duplicates, f"rnnlearn/quiz/answers.py defines these functions more than once: {duplicates}"


def _nbytes(state):
    """Bytes of a NumPy state: an array or a (nested) tuple of arrays."""
    if isinstance(state, (tuple, list)):
        return sum(_nbytes(part) for part in state)
    return np.asarray(state).nbytes


@pytest.mark.parametrize("model", ["RNN", "LSTM", "GRU", "MinGRU", "MinLSTM", "RGLRU", "MLSTM", "S4D",
                                   "SelectiveSSM", "LinearAttention", "CausalSelfAttention"])
def test_state_numbers_counts_the_state_a_numpy_twin_returns(model):
    # Chapter 18: the formula must equal the float32 bytes of the state the package's layer hands back.
    import rnnlearn.numpy as rl_np
    from rnnlearn.quiz.answers import state_numbers

    H, N, heads, C = 8, 6, 2, 5
    if model in ("S4D", "SelectiveSSM"):
        layer = getattr(rl_np, model)(H, state_size=N, seed=0)
    elif model == "LinearAttention":
        layer = rl_np.LinearAttention(H, H, num_heads=heads, seed=0)
    else:
        layer = getattr(rl_np, model)(H, H, seed=0)
    x = np.random.default_rng(0).normal(size=(1, C, H)).astype("float32")  # (B, T, D), one sequence
    _, state = layer(x)
    assert _nbytes(state) == 4 * state_numbers(model, H, context=C, state_size=N, num_heads=heads)


def test_kv_cache_break_even_is_the_first_context_with_a_larger_cache():
    from rnnlearn.quiz.answers import kv_cache_break_even, state_numbers

    assert kv_cache_break_even("LSTM", 64) == 1                      # 2H numbers: one cached token
    assert kv_cache_break_even("MLSTM", 64) == 33                    # H^2 + H + 1 = 4161 > 2 * 64 * 32
    assert kv_cache_break_even("SelectiveSSM", 64, state_size=16) == 8
    for model in ("MLSTM", "SelectiveSSM", "LinearAttention"):
        C = kv_cache_break_even(model, 64)
        assert 2 * C * 64 >= state_numbers(model, 64) > 2 * (C - 1) * 64


@pytest.mark.parametrize("call, match", [
    (lambda f, g: f("Transformer", 8), "expected a model in"),
    (lambda f, g: f("LSTM", 0), "hidden_size"),
    (lambda f, g: f("S4D", 8, state_size=5), "even state_size"),
    (lambda f, g: f("LinearAttention", 8, num_heads=3), "divisible by num_heads"),
    (lambda f, g: g("CausalSelfAttention", 8), "fixed state"),
])
def test_state_numbers_rejects_bad_arguments(call, match):
    from rnnlearn.quiz.answers import kv_cache_break_even, state_numbers

    with pytest.raises(ValueError, match=match):
        call(state_numbers, kv_cache_break_even)
