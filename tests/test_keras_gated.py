"""The Keras twins of the modern gated recurrences: parallel = recurrent, chunked = whole, and the same
outputs and gradients as the PyTorch twins with copied weights.

Run under both backends: ``KERAS_BACKEND=tensorflow`` (the default) and ``KERAS_BACKEND=torch``.
"""

import keras
import numpy as np
import pytest
import torch
from keras import ops

import rnnlearn.keras as rk
import rnnlearn.torch as rt
from rnnlearn.convert import copy_weights
from rnnlearn.named_weights import get_named_weights
from test_gated import CONFIGS, IDS, TOL, B, D, H, T, parts

BACKEND = keras.backend.backend()
# Under Keras 3.15's torch backend, ops.cumsum and ops.associative_scan compute float64 in float32, and
# the log-space scans of rnnlearn.keras.scan use them: every model with method="log" is then only
# float32-accurate. Every other path keeps float64 (see rnnlearn/keras/_gated.py).
LOG_FLOAT64_TOL = 1e-10 if BACKEND != "torch" else TOL["float32"]


def tolerance(kwargs, dtype):
    return LOG_FLOAT64_TOL if dtype == "float64" and kwargs.get("method") == "log" else TOL[dtype]


def to_np(x):
    if hasattr(x, "detach"):  # a torch tensor (torch backend, or the PyTorch twin)
        x = x.detach()
    return np.asarray(ops.convert_to_numpy(x))


def perturbed_torch_model(name, kwargs, dtype):
    model = getattr(rt, name)(D, H, dtype=dtype, seed=0, **kwargs)
    with torch.no_grad():  # weights no seed produced: the copy is what makes the twins agree
        for p in model.parameters():
            p.add_(0.1 * torch.randn_like(p, generator=torch.Generator().manual_seed(p.numel())))
    return model


def loss_weights(state, seed=11):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((B, T, H)), [rng.standard_normal(tuple(s.shape)) for s in parts(state)]


def torch_loss_and_grads(model, x, state, r_out, r_state):
    x = torch.tensor(x, requires_grad=True)
    outputs, final = model(x, state)
    loss = (outputs * torch.as_tensor(r_out, dtype=x.dtype)).sum()
    for s, r in zip(parts(final), r_state):
        loss = loss + (s * torch.as_tensor(r, dtype=x.dtype)).sum()
    loss.backward()
    grads = {n: p.grad.numpy() for n, p in model.named_parameters()}
    grads["x"] = x.grad.numpy()
    return [to_np(outputs)] + [to_np(s) for s in parts(final)], grads


def keras_loss_and_grads(model, x, state, r_out, r_state):
    dtype = model.compute_dtype
    names = [v.path.split("/")[-1] for v in model.trainable_variables]
    x = ops.convert_to_tensor(x, dtype=dtype)

    def forward():
        outputs, final = model(x, state)
        loss = ops.sum(outputs * ops.convert_to_tensor(r_out, dtype))
        for s, r in zip(parts(final), r_state):
            loss = loss + ops.sum(s * ops.convert_to_tensor(r, dtype))
        return loss, [outputs] + list(parts(final))

    if BACKEND == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(x)
            loss, values = forward()
        raw = tape.gradient(loss, list(model.trainable_variables) + [x])
    elif BACKEND == "torch":
        x.requires_grad_(True)
        loss, values = forward()
        raw = torch.autograd.grad(loss, [v.value for v in model.trainable_variables] + [x])
    else:
        pytest.skip(f"no gradient helper for backend {BACKEND}")
    return [to_np(v) for v in values], dict(zip(names + ["x"], [to_np(g) for g in raw]))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
def test_keras_equals_torch_outputs_and_gradients(name, kwargs, dtype):
    torch_model = perturbed_torch_model(name, kwargs, dtype)
    keras_model = copy_weights(torch_model, getattr(rk, name)(D, H, dtype=dtype, seed=9, **kwargs))
    x = np.random.default_rng(4).standard_normal((B, T, D)).astype(dtype)
    state = tuple(to_np(s) for s in parts(torch_model(x[:, :2])[1]))  # a reachable state
    state = state[0] if len(state) == 1 else state
    r_out, r_state = loss_weights(state)
    values_t, grads_t = torch_loss_and_grads(torch_model, x, state, r_out, r_state)
    values_k, grads_k = keras_loss_and_grads(keras_model, x, state, r_out, r_state)
    tol = tolerance(kwargs, dtype)
    for a, b in zip(values_k, values_t, strict=True):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)
    assert sorted(grads_k) == sorted(grads_t)
    for n in grads_t:  # float32 gradients sum many terms: a little more room
        np.testing.assert_allclose(grads_k[n], grads_t[n], rtol=tol * (1 if dtype == "float64" else 10),
                                   atol=tol * (1 if dtype == "float64" else 10), err_msg=n)


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
def test_keras_parallel_form_equals_steps_and_chunks(name, kwargs):
    model = getattr(rk, name)(D, H, dtype="float64", seed=2, **kwargs)
    x = np.random.default_rng(3).standard_normal((B, 7, D))
    tol = tolerance(kwargs, "float64")
    whole, final = model(x)
    state, outputs = None, []
    for t in range(7):
        y, state = model.step(x[:, t], state)
        outputs.append(to_np(y))
    np.testing.assert_allclose(np.stack(outputs, 1), to_np(whole), rtol=tol, atol=tol)
    first, mid = model(x[:, :3])
    second, final2 = model(x[:, 3:], mid)
    np.testing.assert_allclose(np.concatenate([to_np(first), to_np(second)], 1), to_np(whole), rtol=tol, atol=tol)
    for a, b, c in zip(parts(final2), parts(final), parts(state), strict=True):
        np.testing.assert_allclose(to_np(a), to_np(b), rtol=tol, atol=tol)
        np.testing.assert_allclose(to_np(c), to_np(b), rtol=tol, atol=tol)


def test_keras_errors_name_what_was_expected_and_what_came():
    with pytest.raises(ValueError, match="method must be one of"):
        rk.MinGRU(3, 4, method="fft")
    model = rk.MLSTM(3, 4, seed=0)
    with pytest.raises(ValueError, match=r"MLSTM expected x of shape \(B, T, 3\), got \(2, 5, 2\)"):
        model(np.zeros((2, 5, 2), "float32"))
    with pytest.raises(ValueError, match=r"MLSTM expected state to be a tuple \(C, n, m\)"):
        model(np.zeros((2, 5, 3), "float32"), np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"RGLRU expected state h of shape \(2, 4\), got \(2, 3\)"):
        rk.RGLRU(3, 4).step(np.zeros((2, 3), "float32"), np.zeros((2, 3), "float32"))


@pytest.mark.parametrize("name", ["MinGRU", "MinLSTM", "RWKVTimeMix", "MLSTM", "RGLRU"])
def test_keras_config_round_trip_functional_model_and_a_training_step(name):
    model = getattr(rk, name)(D, H, seed=1)
    clone = type(model).from_config(model.get_config())
    config = {k: v for k, v in model.get_config().items() if k != "name"}
    assert {k: v for k, v in clone.get_config().items() if k != "name"} == config
    assert config["hidden_size"] == H and config["dtype"] == "float32"
    inputs = keras.Input((T, D))  # batch size unknown, as inside model.fit
    outputs, _ = model(inputs)
    functional = keras.Model(inputs, outputs)
    x = np.random.default_rng(0).standard_normal((2 * B, T, D)).astype("float32")
    np.testing.assert_allclose(to_np(functional(x)), to_np(model(x)[0]), rtol=1e-6, atol=1e-6)
    functional.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    before = get_named_weights(model)
    loss = functional.train_on_batch(x, np.zeros((2 * B, T, H), "float32"))
    assert np.isfinite(loss)
    after = get_named_weights(model)
    assert any(np.abs(after[n] - before[n]).max() > 0 for n in before)
