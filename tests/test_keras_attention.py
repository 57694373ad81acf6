"""The Keras attention twins against the PyTorch twin with the same (copied) weights: values, attention weights and
gradients; errors, config and use inside a functional model.

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
from test_attention import NAMES, TOL, A, B, K, Q, T, inputs, make, torch_params, torch_run


def to_numpy(x):
    return np.asarray(ops.convert_to_numpy(x.detach() if hasattr(x, "detach") else x))


def copy_into_keras(params, layer):
    for name, value in params.items():
        getattr(layer, name).assign(value)


def keras_run(layer, query, keys, lengths, r_context, r_weights):
    """Values and gradients of loss = sum(r_context * context) + sum(r_weights * weights) on the active backend."""
    dtype = layer.compute_dtype
    names = [v.path.split("/")[-1] for v in layer.trainable_variables]
    query, keys = ops.convert_to_tensor(query, dtype=dtype), ops.convert_to_tensor(keys, dtype=dtype)

    def forward():
        context, weights = layer(query, keys, None if lengths is None else np.asarray(lengths))
        loss = ops.sum(context * ops.convert_to_tensor(r_context, dtype)) + \
            ops.sum(weights * ops.convert_to_tensor(r_weights, dtype))
        return loss, [context, weights]

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch([query, keys])
            loss, values = forward()
        raw = tape.gradient(loss, list(layer.trainable_variables) + [query, keys])
    elif keras.backend.backend() == "torch":
        query.requires_grad_(True)
        keys.requires_grad_(True)
        loss, values = forward()
        raw = torch.autograd.grad(loss, [v.value for v in layer.trainable_variables] + [query, keys])
    else:
        pytest.skip(f"no gradient helper for backend {keras.backend.backend()}")
    grads = dict(zip(names + ["query", "keys"], [to_numpy(g) for g in raw]))
    return [to_numpy(v) for v in values], grads


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_weights_as_numpy(name):
    numpy_attention, keras_attention = make(rn, name, "float32", seed=4), make(rk, name, "float32", seed=4)
    assert [v.path.split("/")[-1] for v in keras_attention.weights] == list(numpy_attention.params)
    for value in keras_attention.weights:
        np.testing.assert_array_equal(to_numpy(value), numpy_attention.params[value.path.split("/")[-1]])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("lengths", [None, [7, 3, 1]])
@pytest.mark.parametrize("name", NAMES)
def test_keras_twin_with_torch_weights_gives_the_same_values_and_gradients(name, lengths, dtype):
    query, keys, r_context, r_weights = inputs(dtype, seed=3)
    torch_attention = make(rt, name, dtype, seed=7)
    keras_attention = make(rk, name, dtype, seed=8)
    copy_into_keras(torch_params(torch_attention), keras_attention)
    values_t, grads_t = torch_run(torch_attention, query, keys, lengths, r_context, r_weights)
    values_k, grads_k = keras_run(keras_attention, query, keys, lengths, r_context, r_weights)
    tol = TOL[dtype]
    for t, k in zip(values_t, values_k, strict=True):
        assert k.dtype == np.dtype(dtype)
        np.testing.assert_allclose(k, t, rtol=tol, atol=tol)
    assert sorted(grads_k) == sorted(grads_t)
    for key in grads_t:
        assert np.isfinite(grads_k[key]).all(), key
        np.testing.assert_allclose(grads_k[key], grads_t[key], rtol=tol, atol=tol, err_msg=key)


def test_the_keras_comparison_can_fail():
    query, keys, r_context, r_weights = inputs("float64", seed=3)
    torch_attention = make(rt, "AdditiveAttention", seed=7)
    keras_attention = make(rk, "AdditiveAttention", seed=8)  # weights not copied
    values_t, _ = torch_run(torch_attention, query, keys, None, r_context, r_weights)
    values_k, _ = keras_run(keras_attention, query, keys, None, r_context, r_weights)
    assert not np.allclose(values_k[1], values_t[1], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_keras_errors_name_both_shapes(name):
    attention = make(rk, name)
    query, keys, *_ = inputs("float64")
    with pytest.raises(ValueError, match=rf"{name} expected query of shape \(B, 5\), got \(3, 3\)"):
        attention(query[:, :3], keys)
    with pytest.raises(ValueError, match=rf"{name} expected keys of shape \(3, T, 4\), got \(2, 7, 4\)"):
        attention(query, keys[:2])
    with pytest.raises(ValueError, match=r"lengths to be integers in \[1, 7\], got \[0, 3, 1\]"):
        attention(query, keys, np.array([0, 3, 1]))
    with pytest.raises(ValueError, match=r"expected integer lengths"):
        attention(query, keys, np.array([1.0, 3.0, 1.0]))


@pytest.mark.parametrize("name", NAMES)
def test_config_round_trip_and_functional_model(name):
    layer = make(rk, name, "float32", seed=1)
    again = type(layer).from_config(layer.get_config())
    assert [w.shape for w in again.weights] == [w.shape for w in layer.weights]
    assert again.get_config()["query_size"] == Q and again.get_config()["key_size"] == K
    if name == "AdditiveAttention":
        assert again.get_config()["attention_size"] == A
    query_in, keys_in = keras.Input((Q,)), keras.Input((T, K))
    context, weights = layer(query_in, keys_in)
    assert tuple(context.shape) == (None, K) and tuple(weights.shape) == (None, T)
    model = keras.Model([query_in, keys_in], [context, weights])
    query, keys, *_ = inputs("float32")
    got = model.predict([query, keys], verbose=0)
    expected = layer(query, keys)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_allclose(g, to_numpy(e), rtol=1e-5, atol=1e-6)
    assert B == got[0].shape[0]
