"""rnnlearn.init: orthogonal, identity and spectral-radius recurrent matrices, written into every twin."""

import numpy as np
import pytest
import torch

import rnnlearn.keras as rk
import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from rnnlearn.convert import read_weights
from rnnlearn.init import identity, init_recurrent, orthogonal, spectral_radius, with_spectral_radius


def test_orthogonal_is_orthogonal_scaled_and_seeded():
    Q = orthogonal(16, gain=1.5, seed=3)
    np.testing.assert_allclose(Q.T @ Q, 2.25 * np.eye(16), atol=1e-12)
    np.testing.assert_allclose(np.linalg.svd(Q, compute_uv=False), 1.5, atol=1e-12)
    np.testing.assert_array_equal(Q, orthogonal(16, gain=1.5, seed=3))
    assert not np.allclose(Q, orthogonal(16, gain=1.5, seed=4))


def test_orthogonal_is_not_biased_towards_positive_diagonal():
    # Without the sign correction, QR's Q has a systematically signed diagonal; uniform Q has mean 0 there.
    means = np.mean([np.diag(orthogonal(4, seed=s)) for s in range(2000)], axis=0)
    assert np.abs(means).max() < 0.06


def test_orthogonal_keeps_norms_through_products():
    Q, v = orthogonal(8, seed=0), np.random.default_rng(1).standard_normal(8)
    w = v.copy()
    for _ in range(100):
        w = Q.T @ w
    assert abs(np.linalg.norm(w) - np.linalg.norm(v)) < 1e-10


def test_identity_and_spectral_radius():
    np.testing.assert_array_equal(identity(3, gain=0.5), 0.5 * np.eye(3))
    for radius in (0.5, 1.0, 1.1, 3.0):
        assert spectral_radius(with_spectral_radius(12, radius, seed=0)) == pytest.approx(radius, rel=1e-10)
    assert spectral_radius(np.diag([0.5, -2.0])) == 2.0


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_bad_sizes_are_refused(bad):
    with pytest.raises(ValueError, match="positive integer"):
        orthogonal(bad)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="scheme"):
        init_recurrent(rn.RNN(2, 3, seed=0), "xavier")
    with pytest.raises(ValueError, match="rnnlearn cell or layer"):
        init_recurrent(torch.nn.RNN(2, 3), "orthogonal")
    with pytest.raises(ValueError, match="square"):
        spectral_radius(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="radius"):
        with_spectral_radius(3, -1.0)


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_init_recurrent_sets_every_gate_block_of_every_layer(name):
    layer = getattr(rn, name)(3, 4, num_layers=2, bidirectional=True, seed=0)
    before = {k: v.copy() for k, v in layer.params.items()}
    init_recurrent(layer, "orthogonal", gain=0.9, seed=1)
    for key, value in layer.params.items():
        if key.startswith("weight_hh"):
            for block in np.split(value, value.shape[0] // 4):  # each (H, H) gate block
                np.testing.assert_allclose(block @ block.T, 0.81 * np.eye(4), atol=1e-6)
        else:
            np.testing.assert_array_equal(value, before[key])  # input weights and biases untouched


def test_identity_with_zero_bias_is_the_irnn():
    layer = init_recurrent(rn.RNN(2, 5, nonlinearity="relu", seed=0), "identity", zero_bias=True)
    np.testing.assert_array_equal(layer.params["weight_hh_l0"], np.eye(5))
    assert not layer.params["bias_ih_l0"].any() and not layer.params["bias_hh_l0"].any()
    # With non-negative inputs and zero input weights, the IRNN keeps its state exactly.
    layer.params["weight_ih_l0"][:] = 0
    h0 = np.abs(np.random.default_rng(0).standard_normal((1, 1, 5))).astype("float32")
    _, final = layer(np.zeros((1, 30, 2), "float32"), h0)
    np.testing.assert_array_equal(final, h0)


@pytest.mark.parametrize("scheme", ["orthogonal", "identity", "spectral_radius"])
def test_same_seed_same_weights_in_every_twin(scheme):
    twins = [module.GRU(3, 4, seed=0) for module in (rn, rt, rk)]
    for twin in twins:
        assert init_recurrent(twin, scheme, gain=1.2, seed=7) is twin
    reference = read_weights(twins[0])[1]
    for twin in twins[1:]:
        values = read_weights(twin)[1]
        for key in reference:
            np.testing.assert_allclose(values[key], reference[key], atol=1e-6)


def test_cells_and_torch_outputs_follow():
    cell_np, cell_torch = rn.RNNCell(2, 3, seed=0), rt.RNNCell(2, 3, seed=0)
    for cell in (cell_np, cell_torch):
        init_recurrent(cell, "orthogonal", seed=5)
    x, h = np.ones((1, 2), "float32"), np.full((1, 3), 0.5, "float32")
    with torch.no_grad():
        out_torch = cell_torch(torch.from_numpy(x), torch.from_numpy(h))[0].numpy()
    np.testing.assert_allclose(out_torch, cell_np(x, h)[0], atol=1e-6)
