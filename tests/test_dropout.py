"""VariationalDropout's twins: one mask per sequence (the same at every step), the expectation kept,
the same numbers and gradients in NumPy, PyTorch and Keras given the same mask, and clear errors."""

import inspect

import keras
import numpy as np
import pytest
import torch
from keras import ops

import rnnlearn.keras as rk
import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from test_twins import notes_block

TWINS = {"numpy": rn.VariationalDropout, "torch": rt.VariationalDropout, "keras": rk.VariationalDropout}


def to_numpy(y):
    if isinstance(y, torch.Tensor):
        return y.detach().cpu().numpy()
    return np.asarray(ops.convert_to_numpy(y))


def apply(name, layer, x, keep=None):
    """One training-mode call of any twin (Keras needs training=True outside fit)."""
    if name == "keras":
        return to_numpy(layer(x, keep=keep, training=True))
    return to_numpy(layer(x, keep=keep))


def test_same_signatures_and_equations():
    reference = inspect.signature(rn.VariationalDropout.__init__)
    for twin in (rt.VariationalDropout, rk.VariationalDropout):
        assert inspect.signature(twin.__init__) == reference
    calls = [rn.VariationalDropout.__call__, rt.VariationalDropout.forward, rk.VariationalDropout.call]
    for function in calls:
        assert list(inspect.signature(function).parameters) == ["self", "x", "keep", "training"]
    for name in ("sample_mask",):
        signatures = {inspect.signature(getattr(twin, name)) for twin in TWINS.values()}
        assert len(signatures) == 1
    equations = notes_block(rn.VariationalDropout.__doc__)
    assert "xi_b" in equations
    for twin in (rt.VariationalDropout, rk.VariationalDropout):
        assert notes_block(twin.__doc__) == equations


@pytest.mark.parametrize("name", TWINS)
def test_same_mask_at_every_step(name):
    layer = TWINS[name](0.3, seed=0)
    x = np.ones((64, 9, 16), "float32")
    y = apply(name, layer, x)  # (B, T, F): the mask itself, scaled
    np.testing.assert_array_equal(y, np.broadcast_to(y[:, :1], y.shape))  # identical at every t
    values = np.unique(y)
    assert len(values) == 2 and values[0] == 0 and np.isclose(values[1], 1 / 0.7)
    assert 0.2 < (y[:, 0] == 0).mean() < 0.4  # about p of the units dropped
    assert not np.array_equal(y[0, 0], y[1, 0])  # one mask per sequence, not one per batch


@pytest.mark.parametrize("name", TWINS)
def test_expectation_is_preserved(name):
    layer = TWINS[name](0.25, seed=1)
    x = np.random.default_rng(0).normal(size=(1, 3, 5)).astype("float32")
    copies = np.repeat(x, 4000, axis=0)  # 4000 sequences, each with its own mask
    mean = apply(name, layer, copies).mean(axis=0)
    # each entry is x * Bernoulli(0.75) / 0.75: standard error |x| * sqrt(1/3) / sqrt(4000) < 0.01 |x|
    np.testing.assert_allclose(mean, x[0], atol=0.04 * np.abs(x).max())
    assert not np.allclose(apply(name, layer, x), x)  # while one draw is far from x


@pytest.mark.parametrize("name", TWINS)
def test_seeded_masks_repeat_and_differ_between_calls(name):
    first, second = TWINS[name](0.5, seed=7), TWINS[name](0.5, seed=7)
    a, b = (to_numpy(layer.sample_mask(8, 10)) for layer in (first, second))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (8, 1, 10)
    assert not np.array_equal(a, to_numpy(first.sample_mask(8, 10)))


def test_twins_agree_given_the_same_mask():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(5, 6, 4)).astype("float32")
    keep = rn.VariationalDropout(0.4, seed=3).sample_mask(5, 4)
    outputs = {name: apply(name, TWINS[name](0.4), x, keep) for name in TWINS}
    np.testing.assert_allclose(outputs["numpy"], x * keep, rtol=0, atol=0)
    for name in ("torch", "keras"):
        np.testing.assert_allclose(outputs[name], outputs["numpy"], atol=1e-7, err_msg=name)


def test_numpy_backward_matches_torch_autograd():
    rng = np.random.default_rng(4)
    keep = rn.VariationalDropout(0.5, seed=4).sample_mask(3, 7, "float64")  # (B, 1, F)
    layer = rn.VariationalDropout(0.5)
    x = rng.normal(size=(3, 5, 7))
    d_out = rng.normal(size=(3, 5, 7))
    layer(x, keep=keep)
    x_torch = torch.tensor(x, requires_grad=True)
    (rt.VariationalDropout(0.5)(x_torch, keep=torch.from_numpy(keep)) * torch.from_numpy(d_out)).sum().backward()
    np.testing.assert_allclose(layer.backward(d_out), x_torch.grad.numpy(), atol=1e-12)


def test_evaluation_mode_passes_the_input_through():
    x = np.random.default_rng(5).normal(size=(2, 3, 4)).astype("float32")
    np.testing.assert_array_equal(rn.VariationalDropout(0.5)(x, training=False), x)
    torch_layer = rt.VariationalDropout(0.5).eval()
    np.testing.assert_array_equal(to_numpy(torch_layer(x)), x)
    np.testing.assert_array_equal(to_numpy(rk.VariationalDropout(0.5)(x)), x)  # a plain Keras call: inference
    for name, layer in TWINS.items():  # p = 0 changes nothing, even in training
        np.testing.assert_array_equal(apply(name, layer(0.0), x), x)


def test_keras_model_fit_draws_masks_inside_the_graph():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((None, 3))
    hidden = rk.VariationalDropout(0.5, seed=0)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((8, 5, 3), "float32")
    history = model.fit(x, np.zeros((8, 5, 1), "float32"), epochs=2, batch_size=4, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    np.testing.assert_allclose(model.predict(x, verbose=0), to_numpy(model(x)), atol=1e-6)  # no dropout in predict
    clone = rk.VariationalDropout.from_config(model.layers[1].get_config())
    assert clone.p == 0.5


@pytest.mark.parametrize("name", TWINS)
def test_errors_name_what_was_expected(name):
    cls = TWINS[name]
    for bad in (1.0, -0.1, "0.5", True):
        with pytest.raises(ValueError, match=r"expected p to be a number in \[0, 1\)"):
            cls(bad)
    layer = cls(0.5, seed=0)
    with pytest.raises(ValueError, match=r"expected x of shape \(B, T, F\), got \(4, 3\)"):
        apply(name, layer, np.zeros((4, 3), "float32"))
    with pytest.raises(ValueError, match=r"expected keep of shape \(4, 1, 3\), got \(4, 2, 3\)"):
        apply(name, layer, np.zeros((4, 2, 3), "float32"), keep=np.ones((4, 2, 3), "float32"))
