"""copy_weights and the shared layout: round trips between every pair, and mismatches that must be refused."""

import numpy as np
import pytest
import torch

import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from rnnlearn import layout
from rnnlearn.convert import copy_weights, read_weights
from test_numpy_layers import VARIANTS


def test_reorder_gates_round_trip_and_gru_swap():
    H = 2
    blocks = np.repeat(np.arange(3), H)  # r r z z n n
    keras_order = layout.reorder_gates(blocks, "gru", "keras")
    np.testing.assert_array_equal(keras_order, [1, 1, 0, 0, 2, 2])  # z r h
    np.testing.assert_array_equal(layout.reorder_gates(keras_order, "gru", "neutral"), blocks)
    lstm = np.repeat(np.arange(4), H)
    np.testing.assert_array_equal(layout.reorder_gates(lstm, "lstm", "keras"), lstm)  # i f c o: same order


def test_to_keras_and_back():
    rng = np.random.default_rng(0)
    for kind, reset_after in [("rnn", True), ("lstm", True), ("gru", True), ("gru", False)]:
        G, H, D = layout.num_gates(kind), 3, 2
        w_ih, w_hh = rng.standard_normal((G * H, D)), rng.standard_normal((G * H, H))
        b_ih, b_hh = rng.standard_normal(G * H), rng.standard_normal(G * H)
        kernel, recurrent, bias = layout.to_keras(kind, w_ih, w_hh, b_ih, b_hh, reset_after)
        assert kernel.shape == (D, G * H) and recurrent.shape == (H, G * H)
        assert bias.shape == ((2, G * H) if kind == "gru" and reset_after else (G * H,))
        back = layout.from_keras(kind, [kernel, recurrent, bias], reset_after)
        np.testing.assert_array_equal(back[0], w_ih)
        np.testing.assert_array_equal(back[1], w_hh)
        np.testing.assert_allclose(back[2] + back[3], b_ih + b_hh, atol=1e-14)


def test_param_shapes_of_a_stack():
    spec = layout.Spec("lstm", 3, 4, 2, True)
    shapes = layout.param_shapes(spec)
    assert shapes["weight_ih_l0"] == (16, 3) and shapes["weight_ih_l1_reverse"] == (16, 8)
    assert len(shapes) == 16


@pytest.mark.parametrize("name,kwargs", VARIANTS)
def test_round_trip_through_every_twin_and_builtin(name, kwargs):
    """numpy -> torch twin -> torch.nn -> numpy -> keras twin -> numpy: the same weights at the end."""
    keras_twins = pytest.importorskip("rnnlearn.keras")
    make = dict(num_layers=2, bidirectional=True, dtype="float64", **kwargs)
    start = getattr(rn, name)(3, 4, seed=0, **make)
    chain = [getattr(rt, name)(3, 4, seed=1, **make)]
    if kwargs.get("reset_after", True):
        extra = {"nonlinearity": kwargs["nonlinearity"]} if name == "RNN" else {}
        chain.append(getattr(torch.nn, name)(3, 4, num_layers=2, bidirectional=True, dtype=torch.float64, **extra))
    chain += [getattr(rn, name)(3, 4, seed=2, **make), getattr(keras_twins, name)(3, 4, seed=3, **make),
              getattr(rn, name)(3, 4, seed=4, **make)]
    src = start
    for dst in chain:
        copy_weights(src, dst)
        src = dst
    _, first = read_weights(start)
    _, last = read_weights(src)
    for key in first:
        np.testing.assert_array_equal(first[key], last[key], err_msg=key)


def test_copy_changes_the_destination():
    a, b = rn.GRU(3, 4, seed=0), rn.GRU(3, 4, seed=1)
    x = np.random.default_rng(0).standard_normal((2, 5, 3)).astype("float32")
    assert not np.allclose(a(x)[0], b(x)[0])
    copy_weights(a, b)
    np.testing.assert_array_equal(a(x)[0], b(x)[0])


def test_mismatched_sizes_name_both_shapes_and_sides():
    with pytest.raises(ValueError) as info:
        copy_weights(rn.LSTM(3, 4), torch.nn.LSTM(5, 4))
    message = str(info.value)
    assert "expected weight_ih_l0 of shape (16, 5), got (16, 3)" in message
    assert "rnnlearn.numpy.LSTM" in message and "torch.nn.LSTM" in message
    with pytest.raises(ValueError, match=r"expected weight_ih_l0 of shape \(12, 3\), got \(15, 3\)"):
        copy_weights(rt.GRU(3, 5), rn.GRU(3, 4))


@pytest.mark.parametrize("src,dst,fragment", [
    (lambda: rn.LSTM(3, 4), lambda: rn.GRU(3, 4), "kind differs ('lstm' vs 'gru')"),
    (lambda: rn.LSTM(3, 4, num_layers=2), lambda: torch.nn.LSTM(3, 4), "num_layers differs (2 vs 1)"),
    (lambda: torch.nn.GRU(3, 4, bidirectional=True), lambda: rt.GRU(3, 4), "bidirectional differs (True vs False)"),
    (lambda: rn.RNN(3, 4, nonlinearity="relu"), lambda: torch.nn.RNN(3, 4), "nonlinearity differs ('relu' vs 'tanh')"),
    (lambda: rn.GRU(3, 4, reset_after=False), lambda: torch.nn.GRU(3, 4), "torch.nn.GRU computes only the reset_after=True"),
    (lambda: torch.nn.GRU(3, 4), lambda: rn.GRU(3, 4, reset_after=False), "reset_after differs (True vs False)"),
    (lambda: rn.LSTM(3, 4, bias=False), lambda: rn.LSTM(3, 4), "bias differs (False vs True)"),
    (lambda: rn.LSTMCell(3, 4), lambda: rn.LSTM(3, 4), "cell or layer differs"),
])
def test_mismatches_are_refused(src, dst, fragment):
    with pytest.raises(ValueError) as info:
        copy_weights(src(), dst())
    assert fragment in str(info.value)


def test_unsupported_objects_are_refused():
    with pytest.raises(ValueError, match="cannot read weights from torch.nn.Linear"):
        copy_weights(torch.nn.Linear(3, 4), rn.RNN(3, 4))
    with pytest.raises(ValueError, match="proj_size=2"):
        copy_weights(torch.nn.LSTM(3, 4, proj_size=2), rn.LSTM(3, 4))
