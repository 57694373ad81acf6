"""The NumPy reference layers: conventions (state, streaming, lengths), initialisation and errors.

Also defines ``layer_configs``, the hypothesis strategy of random models the parity tests share.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rnnlearn.numpy as rn

VARIANTS = [("RNN", {"nonlinearity": "tanh"}), ("RNN", {"nonlinearity": "relu"}), ("LSTM", {}),
            ("GRU", {"reset_after": True}), ("GRU", {"reset_after": False})]


@st.composite
def layer_configs(draw, max_size=4, max_time=5):
    """A random model and input: kind and variant, sizes from 1, layers, directions, bias, lengths, initial state."""
    name, kwargs = draw(st.sampled_from(VARIANTS))
    kwargs = dict(kwargs, num_layers=draw(st.integers(1, 2)), bidirectional=draw(st.booleans()), bias=draw(st.booleans()))
    B, T = draw(st.integers(1, 3)), draw(st.integers(1, max_time))
    D, H = draw(st.integers(1, max_size)), draw(st.integers(1, max_size))
    lengths = draw(st.one_of(st.none(), st.lists(st.integers(1, T), min_size=B, max_size=B)))
    return dict(name=name, kwargs=kwargs, B=B, T=T, D=D, H=H, seed=draw(st.integers(0, 2**16)),
                lengths=None if lengths is None else np.array(lengths), with_state=draw(st.booleans()))


def make_inputs(cfg, dtype="float64"):
    """x (B, T, D), the initial state (or None), and fixed random loss weights for outputs and final state."""
    rng = np.random.default_rng(cfg["seed"])
    B, T, D, H = cfg["B"], cfg["T"], cfg["D"], cfg["H"]
    S = 2 if cfg["kwargs"]["bidirectional"] else 1
    n_states = 2 if cfg["name"] == "LSTM" else 1
    shape = (cfg["kwargs"]["num_layers"] * S, B, H)
    x = rng.standard_normal((B, T, D)).astype(dtype)
    states = tuple(rng.standard_normal(shape).astype(dtype) for _ in range(n_states))
    state = None if not cfg["with_state"] else (states if n_states == 2 else states[0])
    d_out = rng.standard_normal((B, T, S * H)).astype(dtype)
    d_final = tuple(rng.standard_normal(shape).astype(dtype) for _ in range(n_states))
    return x, state, d_out, (d_final if n_states == 2 else d_final[0])


def as_tuple(state):
    return state if isinstance(state, tuple) else (state,)


@pytest.mark.parametrize("name,kwargs", VARIANTS)
def test_streaming_in_chunks_equals_one_call(name, kwargs):
    layer = getattr(rn, name)(3, 4, num_layers=2, dtype="float64", seed=0, **kwargs)
    x = np.random.default_rng(1).standard_normal((2, 9, 3))
    whole, final = layer(x)
    state, pieces = None, []
    for chunk in (x[:, :4], x[:, 4:5], x[:, 5:]):
        out, state = layer(chunk, state)
        pieces.append(out)
    np.testing.assert_allclose(np.concatenate(pieces, axis=1), whole, rtol=0, atol=1e-14)
    for a, b in zip(as_tuple(state), as_tuple(final)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-14)


@pytest.mark.parametrize("name,kwargs", VARIANTS)
@pytest.mark.parametrize("bidirectional", [False, True])
def test_lengths_equal_running_each_truncated_sequence(name, kwargs, bidirectional):
    layer = getattr(rn, name)(3, 4, num_layers=2, bidirectional=bidirectional, dtype="float64", seed=0, **kwargs)
    x = np.random.default_rng(2).standard_normal((3, 6, 3))
    lengths = np.array([6, 2, 4])
    outputs, final = layer(x, lengths=lengths)
    for b, n in enumerate(lengths):
        alone_out, alone_final = layer(x[b : b + 1, :n])
        np.testing.assert_allclose(outputs[b, :n], alone_out[0], rtol=0, atol=1e-14)
        assert np.all(outputs[b, n:] == 0)
        for a, c in zip(as_tuple(final), as_tuple(alone_final)):
            np.testing.assert_allclose(a[:, b], c[:, 0], rtol=0, atol=1e-14)


@pytest.mark.parametrize("name,kwargs", VARIANTS)
def test_layer_of_one_step_equals_cell(name, kwargs):
    layer = getattr(rn, name)(3, 4, dtype="float64", seed=5, **kwargs)
    cell = getattr(rn, name + "Cell")(3, 4, dtype="float64", seed=6, **kwargs)
    for short, value in cell.params.items():
        cell.params[short] = layer.params[short + "_l0"]
    x = np.random.default_rng(0).standard_normal((2, 1, 3))
    outputs, final = layer(x)
    h, state = cell(x[:, 0])
    np.testing.assert_allclose(h, outputs[:, 0], rtol=0, atol=1e-15)
    for a, b in zip(as_tuple(state), as_tuple(final)):
        np.testing.assert_allclose(a, b[0], rtol=0, atol=1e-15)


def test_seed_repeats_and_differs():
    a, b, c = rn.LSTM(3, 4, seed=1), rn.LSTM(3, 4, seed=1), rn.LSTM(3, 4, seed=2)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert not np.array_equal(a.params["weight_ih_l0"], c.params["weight_ih_l0"])


def test_forget_bias_shifts_only_the_forget_block():
    H = 5
    plain, shifted = rn.LSTM(3, H, seed=0), rn.LSTM(3, H, forget_bias=1.0, seed=0)
    diff = shifted.params["bias_ih_l0"] - plain.params["bias_ih_l0"]
    np.testing.assert_allclose(diff, np.r_[np.zeros(H), np.ones(H), np.zeros(2 * H)], atol=1e-6)
    np.testing.assert_array_equal(shifted.params["bias_hh_l0"], plain.params["bias_hh_l0"])


def test_init_range_and_dtype():
    layer = rn.GRU(3, 16, num_layers=2, bidirectional=True, dtype="float64", seed=0)
    assert set(layer.params) == {f"{w}_l{l}{s}" for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
                                 for l in (0, 1) for s in ("", "_reverse")}
    assert layer.params["weight_ih_l1"].shape == (48, 32)
    assert all(v.dtype == np.float64 and np.abs(v).max() <= 0.25 for v in layer.params.values())
    assert "bias_ih_l0" not in rn.GRU(3, 4, bias=False).params


# --- errors: each message names the expected and the actual shape ------------------------------------

@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_wrong_rank_and_feature_size(name):
    layer = getattr(rn, name)(8, 4)
    with pytest.raises(ValueError, match=r"expected x of shape \(B, T, 8\), got \(4, 7\)"):
        layer(np.zeros((4, 7)))
    with pytest.raises(ValueError, match=r"expected x of shape \(B, T, 8\), got \(4, 7, 3\)"):
        layer(np.zeros((4, 7, 3)))
    cell = getattr(rn, name + "Cell")(8, 4)
    with pytest.raises(ValueError, match=r"expected x_t of shape \(B, 8\), got \(4, 7\)"):
        cell(np.zeros((4, 7)))


def test_wrong_state_shape():
    layer = rn.GRU(3, 4, num_layers=2)
    with pytest.raises(ValueError, match=r"expected state of shape \(2, 5, 4\), got \(1, 5, 4\)"):
        layer(np.zeros((5, 6, 3)), np.zeros((1, 5, 4)))
    lstm = rn.LSTM(3, 4, bidirectional=True)
    with pytest.raises(ValueError, match=r"expected c of shape \(2, 5, 4\), got \(2, 5, 3\)"):
        lstm(np.zeros((5, 6, 3)), (np.zeros((2, 5, 4)), np.zeros((2, 5, 3))))
    with pytest.raises(ValueError, match="tuple"):
        lstm(np.zeros((5, 6, 3)), np.zeros((2, 5, 4)))
    with pytest.raises(ValueError, match=r"expected state of shape \(5, 4\), got \(4, 5\)"):
        rn.RNNCell(3, 4)(np.zeros((5, 3)), np.zeros((4, 5)))


def test_wrong_lengths():
    layer = rn.RNN(3, 4)
    with pytest.raises(ValueError, match=r"expected lengths of shape \(2,\), got \(3,\)"):
        layer(np.zeros((2, 5, 3)), lengths=np.array([1, 2, 3]))
    with pytest.raises(ValueError, match=r"\[0, 5\]"):
        layer(np.zeros((2, 5, 3)), lengths=np.array([1, 6]))


@pytest.mark.parametrize("kwargs", [dict(hidden_size=0), dict(input_size=-1), dict(num_layers=0), dict(dtype="float16")])
def test_bad_constructor_arguments(kwargs):
    args = {"input_size": 3, "hidden_size": 4, "num_layers": 1, **kwargs}
    with pytest.raises(ValueError, match=str(list(kwargs.values())[0])):
        rn.LSTM(**args)


def test_bad_nonlinearity():
    with pytest.raises(ValueError, match="'sigmoid'"):
        rn.RNN(3, 4, nonlinearity="sigmoid")


@settings(max_examples=10, deadline=None)
@given(layer_configs())
def test_output_shapes(cfg):
    layer = getattr(rn, cfg["name"])(cfg["D"], cfg["H"], seed=0, **cfg["kwargs"])
    x, state, d_out, d_final = make_inputs(cfg, "float32")
    outputs, final = layer(x, state, cfg["lengths"])
    assert outputs.shape == d_out.shape and outputs.dtype == np.float32
    for a, b in zip(as_tuple(final), as_tuple(d_final)):
        assert a.shape == b.shape
