"""The Keras state-space and linear-attention layers: weights copied from PyTorch give the same outputs
and the same gradients, the parallel form equals the recurrent form, and bad inputs get clear messages.
Run under TensorFlow and again under KERAS_BACKEND=torch (the keras-torch stage)."""

import keras
import numpy as np
import pytest
import torch
from keras import ops

import rnnlearn.keras as rk
import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from rnnlearn.convert import copy_weights
from test_ssm import CASES, TOL, as_numpy, assert_close, inputs, make, some_state

BACKEND = keras.backend.backend()
# S4D's bilinear A_bar goes through divisions and a logarithm: a few ulps more in float32.
FLOAT32_TOL = {"S4D-bilinear": 3e-5}


def backend_tol(options, tol):
    """Keras computes linear_scan's "log" and "associative" in float32 on backends other than TensorFlow."""
    if options.get("method") in ("log", "associative") and BACKEND != "tensorflow":
        return max(tol, 1e-5)
    return tol


def to_numpy(value):
    if isinstance(value, (tuple, list)):
        return [to_numpy(v) for v in value]
    return np.asarray(ops.convert_to_numpy(value.detach() if hasattr(value, "detach") else value))


def twins(case, dtype, seed=0):
    """A PyTorch layer and a Keras layer of another seed that receives the PyTorch weights."""
    torch_layer, keras_layer = make(rt, case, dtype, seed=seed), make(rk, case, dtype, seed=seed + 100)
    copy_weights(torch_layer, keras_layer)
    return torch_layer, keras_layer


def torch_state(state):
    if state is None:
        return None
    return tuple(torch.tensor(s) for s in state) if isinstance(state, (tuple, list)) else torch.tensor(state)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", list(CASES))
def test_keras_equals_torch_after_copy_weights(case, dtype):
    torch_layer, keras_layer = twins(case, dtype)
    x = inputs(case, dtype, seed=3)
    state = as_numpy(some_state(torch_layer, torch.tensor(x)))
    tol = FLOAT32_TOL.get(case, TOL[dtype]) if dtype == "float32" else TOL[dtype]
    for options in CASES[case][2]:
        y_t, final_t = torch_layer(torch.tensor(x), torch_state(state), **options)
        y_k, final_k = keras_layer(x, state, **options)
        assert keras.backend.standardize_dtype(y_k.dtype) == dtype
        assert_close(to_numpy(y_k), y_t, backend_tol(options, tol), str(options))
        assert_close(to_numpy(final_k), final_t, backend_tol(options, tol), str(options))


@pytest.mark.parametrize("case", list(CASES))
def test_keras_parallel_form_equals_recurrent_form(case):
    layer = make(rk, case)
    x = inputs(case)
    y, final = layer(x)
    state, outputs = None, []
    for t in range(x.shape[1]):
        y_t, state = layer.step(x[:, t], state)
        outputs.append(to_numpy(y_t))
    assert_close(np.stack(outputs, 1), to_numpy(y), 1e-10)
    assert_close(to_numpy(state), to_numpy(final), 1e-10)


def keras_gradients(layer, x, weights, options):
    names = [v.path.split("/")[-1] for v in layer.trainable_variables]
    x = ops.convert_to_tensor(x)
    if BACKEND == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = ops.sum(layer(x, **options)[0] * weights)
        raw = tape.gradient(loss, list(layer.trainable_variables) + [x])
    elif BACKEND == "torch":
        x.requires_grad_(True)
        loss = ops.sum(layer(x, **options)[0] * ops.convert_to_tensor(weights))
        raw = torch.autograd.grad(loss, [v.value for v in layer.trainable_variables] + [x])
    else:
        pytest.skip(f"no gradient helper for backend {BACKEND}")
    return dict(zip(names + ["x"], to_numpy(raw)))


@pytest.mark.parametrize("case", list(CASES))
def test_keras_gradients_equal_torch(case):
    torch_layer, keras_layer = twins(case, "float64", seed=1)
    x = inputs(case, seed=4)
    for options in CASES[case][2]:
        torch_layer.zero_grad()
        xt = torch.tensor(x, requires_grad=True)
        y = torch_layer(xt, **options)[0]
        weights = np.random.default_rng(5).standard_normal(tuple(y.shape))
        (y * torch.tensor(weights)).sum().backward()
        expected = {"x": xt.grad.numpy(), **{n: p.grad.numpy() for n, p in torch_layer.named_parameters()}}
        got = keras_gradients(keras_layer, x, weights, options)
        assert sorted(got) == sorted(expected)
        tol = backend_tol(options, 1e-9)
        for name in expected:
            np.testing.assert_allclose(got[name], expected[name], rtol=tol, atol=tol, err_msg=f"{options} {name}")


@pytest.mark.parametrize("method", ["sequential", "hillis_steele", "log", "associative"])
def test_keras_lru_takes_every_scan_method(method):
    """The Keras LRU scans |lambda| (real, positive) in a rotating frame, so even "log" applies."""
    layer = make(rk, "LRU")
    x = inputs("LRU")
    tol = backend_tol({"method": method}, 1e-10)
    assert_close(to_numpy(layer(x, method=method)[0]), to_numpy(layer(x)[0]), tol)


def test_keras_copy_weights_to_numpy_and_config_round_trip():
    for case in CASES:
        keras_layer = make(rk, case, seed=11)
        numpy_layer = copy_weights(keras_layer, make(rn, case, seed=12))
        x = inputs(case)
        assert_close(to_numpy(keras_layer(x)[0]), numpy_layer(x)[0], 1e-10, case)
        clone = type(keras_layer).from_config(keras_layer.get_config())
        assert clone.param_shapes() == keras_layer.param_shapes()


@pytest.mark.skipif(BACKEND != "tensorflow", reason="tf.function is TensorFlow's")
def test_keras_layers_inside_tf_function():
    import tensorflow as tf

    for case in ("S4D", "LRU", "SelectiveSSM", "LinearAttention"):
        layer = make(rk, case, dtype="float32")
        x = inputs(case, "float32")
        assert_close(tf.function(lambda x: layer(x)[0])(x).numpy(), to_numpy(layer(x)[0]), 1e-5, case)


@pytest.mark.parametrize("case", ["LinearAttention", "S4D", "LRU", "SelectiveSSM"])
def test_keras_wrong_input_shapes(case):
    layer = make(rk, case)
    D = CASES[case][1]
    with pytest.raises(ValueError, match=rf"{case} expected x of shape \(B, T, {D}\), got \(2, 5, {D + 1}\)"):
        layer(np.zeros((2, 5, D + 1)))
    with pytest.raises(ValueError, match=rf"{case} expected x_t of shape \(B, {D}\), got \(2, 5, {D}\)"):
        layer.step(np.zeros((2, 5, D)))


def test_keras_bad_arguments():
    with pytest.raises(ValueError, match="S4D expected state_size to be a positive even integer, got 5"):
        rk.S4D(3, state_size=5)
    with pytest.raises(ValueError, match=r"LRU expected h_im of shape \(2, 4\), got \(2, 5\)"):
        rk.LRU(3, state_size=4)(np.zeros((2, 5, 3)), (np.zeros((2, 4)), np.zeros((2, 5))))
    with pytest.raises(ValueError, match="hidden_size must be a multiple of num_heads"):
        rk.LinearAttention(3, 6, num_heads=4)


@pytest.mark.parametrize("case", ["LinearAttention", "S4D", "LRU", "SelectiveSSM"])
def test_keras_layers_train_inside_sequential(case):
    """Symbolic shapes (batch unknown) and model.fit work; one epoch moves every weight."""
    layer = make(rk, case, dtype="float32")
    D = CASES[case][1]
    model = keras.Sequential([keras.Input((12, D)), layer, rk.TakeOutputs(last_step=True), keras.layers.Dense(1)])
    model.compile(keras.optimizers.Adam(1e-2), "mse")
    before = {name: to_numpy(getattr(layer, name)) for name in layer.param_shapes()}
    rng = np.random.default_rng(0)
    history = model.fit(rng.standard_normal((16, 12, D)), rng.standard_normal((16, 1)), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    for name, value in before.items():
        assert not np.allclose(to_numpy(getattr(layer, name)), value), name
