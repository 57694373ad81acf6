"""The hand-written backward passes (BPTT) of the NumPy twins, against finite differences."""

import numpy as np
import pytest
from hypothesis import given, settings

import rnnlearn.numpy as rn
from rnnlearn.numpy import gradcheck
from test_numpy_layers import VARIANTS, layer_configs, make_inputs


@settings(max_examples=25, deadline=None)
@given(layer_configs(max_size=3, max_time=4))
def test_layer_backward_matches_finite_differences(cfg):
    layer = getattr(rn, cfg["name"])(cfg["D"], cfg["H"], dtype="float64", seed=cfg["seed"], **cfg["kwargs"])
    x, state, _, _ = make_inputs(cfg)
    # ReLU: a finite difference that crosses the kink at 0 is wrong by O(1); a smaller step makes that rarer.
    eps = 1e-6 if cfg["kwargs"].get("nonlinearity") == "relu" else 1e-4
    assert gradcheck(layer, x, state, cfg["lengths"], eps=eps, max_entries=8) < 1e-5


@pytest.mark.parametrize("name,kwargs", VARIANTS)
def test_cell_backward_matches_finite_differences(name, kwargs):
    cell = getattr(rn, name + "Cell")(3, 4, dtype="float64", seed=0, **kwargs)
    rng = np.random.default_rng(0)
    state = tuple(rng.standard_normal((2, 4)) for _ in range(2 if name == "LSTM" else 1))
    assert gradcheck(cell, rng.standard_normal((2, 3)), state if name == "LSTM" else state[0]) < 1e-6


def test_gradcheck_catches_a_wrong_backward():
    layer = rn.LSTM(2, 3, dtype="float64", seed=0)
    x = np.random.default_rng(0).standard_normal((2, 4, 2))
    right = layer.backward

    def wrong(d_out, d_final=None):
        grads = right(d_out, d_final)
        grads["weight_hh_l0"] = 1.01 * grads["weight_hh_l0"]
        return grads

    layer.backward = wrong
    assert gradcheck(layer, x) > 1e-3


def test_backward_returns_every_gradient_with_its_shape():
    layer = rn.LSTM(3, 4, num_layers=2, bidirectional=True, dtype="float64", seed=0)
    x = np.zeros((5, 6, 3))
    outputs, (h, c) = layer(x)
    grads = layer.backward(np.ones_like(outputs), (np.ones_like(h), np.ones_like(c)))
    assert set(grads) == set(layer.params) | {"x", "state"}
    assert all(grads[k].shape == v.shape for k, v in layer.params.items())
    assert grads["x"].shape == x.shape and [g.shape for g in grads["state"]] == [h.shape, c.shape]


def test_backward_checks_gradient_shape():
    layer = rn.GRU(3, 4, seed=0)
    layer(np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match=r"expected d_outputs of shape \(2, 5, 4\), got \(2, 5, 3\)"):
        layer.backward(np.zeros((2, 5, 3)))
