"""The Keras twins of CharLSTM and Forecaster against the PyTorch ones: outputs and gradients.

Run under both backends: ``KERAS_BACKEND=tensorflow`` (the default) and ``KERAS_BACKEND=torch``.
"""

import keras
import numpy as np
import pytest
import torch
from keras import ops

import rnnlearn.keras as rk
import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from rnnlearn.convert import copy_weights
from rnnlearn.lm import sample
from test_whole_models import MODELS, inputs, make

# keras.layers.Dense uses ops.matmul, which under the torch backend (Keras 3.15) computes float64 in
# float32 (see test_keras_parity.py): there the head is only float32-accurate.
TOL64 = 1e-10 if keras.backend.backend() != "torch" else 1e-6


def to_numpy(x):
    if hasattr(x, "detach"):
        x = x.detach()
    return np.asarray(ops.convert_to_numpy(x))


def keras_gradients(model, x, state, d_out, d_final):
    """Outputs, final state and the gradients of sum(d_out * outputs) + sum(d_final * final) by weight path."""
    dtype = model.compute_dtype
    state = tuple(ops.convert_to_tensor(s, dtype=dtype) for s in state)

    def loss_fn():
        out, final = model(x, state)
        loss = ops.sum(out * ops.convert_to_tensor(d_out, dtype))
        for f, d in zip(final, d_final):
            loss = loss + ops.sum(f * ops.convert_to_tensor(d, dtype))
        return loss, out, final

    variables = model.trainable_variables
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            loss, out, final = loss_fn()
        grads = tape.gradient(loss, variables)
    elif keras.backend.backend() == "torch":
        loss, out, final = loss_fn()
        grads = torch.autograd.grad(loss, [v.value for v in variables])
    else:
        pytest.skip(f"no gradient helper for backend {keras.backend.backend()}")
    return to_numpy(out), [to_numpy(f) for f in final], {v.path: to_numpy(g) for v, g in zip(variables, grads)}


def neutral_name(path):
    """A Keras weight path (``char_lstm/lstm/weight_ih_l0``, ``.../dense/kernel``) as the neutral name."""
    last = path.split("/")[-1]
    if last == "embeddings":
        return "embed.weight", False
    if last == "kernel":
        return "head.weight", True
    if last == "bias" and "dense" in path.split("/")[-2]:
        return "head.bias", False
    return "lstm." + last, False


@pytest.mark.parametrize("name", MODELS)
def test_same_seed_same_outputs_float32(name):
    x, state, _, _ = inputs(name, "float32")
    outputs = {
        "numpy": make(rn, name, "float32", seed=5)(x, state)[0],
        "torch": make(rt, name, "float32", seed=5)(x, state)[0].detach().numpy(),
        "keras": to_numpy(make(rk, name, "float32", seed=5)(x, state)[0]),
    }
    for framework, value in outputs.items():
        np.testing.assert_allclose(value, outputs["numpy"], rtol=1e-5, atol=1e-5, err_msg=framework)


@pytest.mark.parametrize("name", MODELS)
def test_torch_weights_copied_into_keras_give_the_same_outputs(name):
    trained = make(rt, name, "float32", seed=0)
    with torch.no_grad():
        for p in trained.parameters():
            p.mul_(1.5)
    twin = copy_weights(trained, make(rk, name, "float32", seed=1))
    x, state, _, _ = inputs(name, "float32", seed=1)
    with torch.no_grad():
        expected, expected_final = trained(x, state)
    out, final = twin(x, state)
    np.testing.assert_allclose(to_numpy(out), expected.numpy(), rtol=1e-5, atol=1e-5)
    for a, b in zip(final, expected_final, strict=True):
        np.testing.assert_allclose(to_numpy(a), b.numpy(), rtol=1e-5, atol=1e-5)
    back = copy_weights(twin, make(rt, name, "float32", seed=2))
    for (key, p), (_, q) in zip(trained.named_parameters(), back.named_parameters(), strict=True):
        torch.testing.assert_close(p, q, rtol=0, atol=0, msg=key)


@pytest.mark.parametrize("name", MODELS)
def test_keras_gradients_match_torch(name):
    torch_model, keras_model = make(rt, name), make(rk, name)
    x, state, d_out, d_final = inputs(name)
    out_k, final_k, grads_k = keras_gradients(keras_model, x, state, d_out, d_final)

    out_t, final_t = torch_model(x, tuple(torch.from_numpy(s) for s in state))
    loss = (out_t * torch.from_numpy(d_out)).sum() + sum((f * torch.from_numpy(d)).sum() for f, d in zip(final_t, d_final))
    loss.backward()
    np.testing.assert_allclose(out_k, out_t.detach().numpy(), rtol=TOL64, atol=TOL64)
    for a, b in zip(final_k, final_t, strict=True):
        np.testing.assert_allclose(a, b.detach().numpy(), rtol=TOL64, atol=TOL64)
    named = dict(torch_model.named_parameters())
    seen = set()
    for path, grad in grads_k.items():
        key, transposed = neutral_name(path)
        expected = named[key].grad.numpy()
        np.testing.assert_allclose(grad.T if transposed else grad, expected, rtol=TOL64, atol=TOL64, err_msg=path)
        seen.add(key)
    assert seen == set(named)


def test_sample_gives_the_same_text_with_the_keras_twin():
    torch_model = rt.CharLSTM(7, 5, 6, dtype="float64", seed=0)
    keras_model = copy_weights(torch_model, rk.CharLSTM(7, 5, 6, dtype="float64", seed=1))
    assert sample(keras_model, [1, 2], 20, seed=0) == sample(torch_model, [1, 2], 20, seed=0)


def test_keras_twins_check_their_inputs():
    model = rk.CharLSTM(7, 5, 6, seed=0)
    with pytest.raises(ValueError, match=r"CharLSTM expected integer ids of shape \(B, T\), got shape \(2, 3\) float32"):
        model(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"got shape \(4,\)"):
        model(np.arange(4))
    with pytest.raises(ValueError, match=r"LSTM expected x of shape \(B, T, 1\), got \(2, 3\)"):
        rk.Forecaster(1, 4, seed=0)(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="CharLSTM expected embed_size to be a positive integer, got -1"):
        rk.CharLSTM(7, -1, 6)
    config = rk.Forecaster(2, 4, horizon=3, dtype="float64", seed=0).get_config()
    assert {k: config[k] for k in ("input_size", "hidden_size", "horizon", "dtype")} == \
        {"input_size": 2, "hidden_size": 4, "horizon": 3, "dtype": "float64"}
    again = rk.Forecaster.from_config(config)
    assert again.horizon == 3 and again.compute_dtype == "float64"
    model_config = rk.CharLSTM(7, 5, 6, num_layers=2, seed=0).get_config()
    assert rk.CharLSTM.from_config(model_config).lstm.num_layers == 2
