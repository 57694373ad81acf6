"""The Keras QRNN twin: the same outputs and gradients as the PyTorch twin with copied weights, parallel form =
steps = chunks, config round trip and a training step. Run under ``KERAS_BACKEND=tensorflow`` and ``=torch``."""

import keras
import numpy as np
import pytest

import rnnlearn.keras as rk
import rnnlearn.torch as rt
from rnnlearn.convert import copy_weights
from rnnlearn.named_weights import get_named_weights
from rnnlearn.scan_checks import SCAN_METHODS
from test_keras_gated import keras_loss_and_grads, perturbed_torch_model, to_np, torch_loss_and_grads

B, T, D, H = 2, 6, 3, 4
BACKEND = keras.backend.backend()
# Keras 3.15's torch backend runs ops.cumsum / ops.associative_scan in float32 (see test_keras_gated.py).
LOG_FLOAT64_TOL = 1e-10 if BACKEND != "torch" else 1e-5


def tolerance(method, dtype):
    if dtype == "float32":
        return 1e-3 if method == "log" else 1e-5
    return LOG_FLOAT64_TOL if method == "log" else 1e-10


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("method", SCAN_METHODS)
def test_keras_equals_torch_outputs_and_gradients(method, dtype):
    torch_model = perturbed_torch_model("QRNN", {"method": method}, dtype)
    keras_model = copy_weights(torch_model, rk.QRNN(D, H, method=method, dtype=dtype, seed=9))
    x = np.random.default_rng(4).standard_normal((B, T, D)).astype(dtype)
    state = tuple(to_np(s) for s in torch_model(x[:, :2])[1])  # a reachable state
    rng = np.random.default_rng(11)
    r_out, r_state = rng.standard_normal((B, T, H)), [rng.standard_normal(s.shape) for s in state]
    values_t, grads_t = torch_loss_and_grads(torch_model, x, state, r_out, r_state)
    values_k, grads_k = keras_loss_and_grads(keras_model, x, state, r_out, r_state)
    tol = tolerance(method, dtype)
    for a, b in zip(values_k, values_t, strict=True):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)
    assert sorted(grads_k) == sorted(grads_t)
    for n in grads_t:
        np.testing.assert_allclose(grads_k[n], grads_t[n], rtol=10 * tol, atol=10 * tol, err_msg=n)


@pytest.mark.parametrize("method", SCAN_METHODS)
def test_keras_parallel_form_equals_steps_and_chunks(method):
    model = rk.QRNN(D, H, method=method, dtype="float64", seed=2)
    x = np.random.default_rng(3).standard_normal((B, 7, D))
    tol = tolerance(method, "float64")
    whole, final = model(x)
    state, outputs = None, []
    for t in range(7):
        y, state = model.step(x[:, t], state)
        outputs.append(to_np(y))
    np.testing.assert_allclose(np.stack(outputs, 1), to_np(whole), rtol=tol, atol=tol)
    first, middle = model(x[:, :3])
    second, final2 = model(x[:, 3:], middle)
    np.testing.assert_allclose(np.concatenate([to_np(first), to_np(second)], 1), to_np(whole), rtol=tol, atol=tol)
    for a, b, c in zip(final2, final, state, strict=True):
        np.testing.assert_allclose(to_np(a), to_np(b), rtol=tol, atol=tol)
        np.testing.assert_allclose(to_np(c), to_np(b), rtol=tol, atol=tol)


def test_keras_errors_name_what_was_expected_and_what_came():
    with pytest.raises(ValueError, match=r"QRNN: method must be one of .*got 'associative'"):
        rk.QRNN(3, 4, method="associative")
    model = rk.QRNN(3, 4, seed=0)
    with pytest.raises(ValueError, match=r"QRNN expected x of shape \(B, T, 3\), got \(2, 5, 2\)"):
        model(np.zeros((2, 5, 2), "float32"))
    with pytest.raises(ValueError, match=r"QRNN expected state to be a tuple \(c, x\)"):
        model(np.zeros((2, 5, 3), "float32"), np.zeros((2, 4), "float32"))


def test_keras_config_round_trip_functional_model_and_a_training_step():
    model = rk.QRNN(D, H, method="hillis_steele", seed=1)
    config = {k: v for k, v in model.get_config().items() if k != "name"}
    clone = rk.QRNN.from_config(model.get_config())
    assert {k: v for k, v in clone.get_config().items() if k != "name"} == config
    assert config["method"] == "hillis_steele" and config["hidden_size"] == H
    inputs = keras.Input((T, D))
    functional = keras.Model(inputs, model(inputs)[0])
    x = np.random.default_rng(0).standard_normal((2 * B, T, D)).astype("float32")
    np.testing.assert_allclose(to_np(functional(x)), to_np(model(x)[0]), rtol=1e-6, atol=1e-6)
    functional.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    before = get_named_weights(model)
    assert np.isfinite(functional.train_on_batch(x, np.zeros((2 * B, T, H), "float32")))
    after = get_named_weights(model)
    assert all(np.abs(after[n] - before[n]).max() > 0 for n in before)


def test_same_seed_same_weights_as_torch():
    ours, theirs = get_named_weights(rk.QRNN(D, H, seed=3)), get_named_weights(rt.QRNN(D, H, seed=3))
    assert list(ours) == list(theirs)
    for name in ours:
        np.testing.assert_array_equal(ours[name], theirs[name])
