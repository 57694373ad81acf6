"""The Jordan network's twins: same signature and equations, same forward numbers (NumPy oracle),
same gradients (PyTorch autograd, Keras on its backend, and finite differences of the NumPy forward)."""

import inspect

import keras
import numpy as np
import pytest
import torch
from keras import ops

import rnnlearn.keras as rk
import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from rnnlearn.jordan_layout import jordan_param_shapes
from test_twins import notes_block

TOL = {"float64": 1e-10, "float32": 1e-5}
CONFIGS = [  # (D, H, O, bias, output_activation)
    (3, 5, 2, True, "tanh"),
    (1, 4, 1, True, "sigmoid"),
    (2, 6, 3, False, "linear"),
]


def make(module, cfg, dtype, seed=0):
    D, H, O, bias, act = cfg
    return module.JordanRNN(D, H, output_size=O, bias=bias, output_activation=act, dtype=dtype, seed=seed)


def inputs(cfg, dtype, with_state, B=4, T=7, seed=0):
    D, H, O, *_ = cfg
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((B, T, D)).astype(dtype)
    state = rng.uniform(-0.5, 0.5, (1, B, O)).astype(dtype) if with_state else None
    r_out = rng.standard_normal((B, T, O))  # loss = sum(r_out * outputs) + sum(r_final * final_state)
    r_final = rng.standard_normal((1, B, O))
    return x, state, r_out, r_final


def torch_grads(layer, x, state, r_out, r_final):
    x = torch.tensor(x, requires_grad=True)
    outputs, final = layer(x, state)
    loss = (outputs * torch.as_tensor(r_out, dtype=x.dtype)).sum() + (final * torch.as_tensor(r_final, dtype=x.dtype)).sum()
    loss.backward()
    grads = {name: p.grad.numpy() for name, p in layer.named_parameters()}
    grads["x"] = x.grad.numpy()
    return [outputs.detach().numpy(), final.detach().numpy()], grads


def keras_grads(layer, x, state, r_out, r_final):
    dtype = layer.compute_dtype
    names = [v.path.split("/")[-1] for v in layer.trainable_variables]
    x = ops.convert_to_tensor(x, dtype=dtype)

    def forward():
        outputs, final = layer(x, state)
        loss = ops.sum(outputs * ops.convert_to_tensor(r_out, dtype)) + ops.sum(final * ops.convert_to_tensor(r_final, dtype))
        return loss, [outputs, final]

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(x)
            loss, values = forward()
        raw = tape.gradient(loss, list(layer.trainable_variables) + [x])
    elif keras.backend.backend() == "torch":
        x.requires_grad_(True)
        loss, values = forward()
        raw = torch.autograd.grad(loss, [v.value for v in layer.trainable_variables] + [x])
    else:
        pytest.skip(f"no gradient helper for backend {keras.backend.backend()}")
    as_np = lambda t: np.asarray(ops.convert_to_numpy(t.detach() if hasattr(t, "detach") else t))  # noqa: E731
    grads = dict(zip(names + ["x"], [as_np(g) for g in raw]))
    return [as_np(v) for v in values], grads


def numeric_grads(layer, x, state, r_out, r_final, eps=1e-6):
    """Central differences of the NumPy forward (float64), every entry of every parameter and of x."""
    def loss():
        outputs, final = layer(x, state)
        return float(np.sum(r_out * outputs) + np.sum(r_final * final))

    grads = {}
    for name, array in list(layer.params.items()) + [("x", x)]:
        flat, g = array.reshape(-1), np.zeros(array.size)
        for k in range(flat.size):
            old = flat[k]
            flat[k] = old + eps
            up = loss()
            flat[k] = old - eps
            down = loss()
            flat[k] = old
            g[k] = (up - down) / (2 * eps)
        grads[name] = g.reshape(array.shape)
    return grads


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("with_state", [False, True])
@pytest.mark.parametrize("cfg", CONFIGS)
def test_twins_give_the_same_outputs_and_gradients(cfg, with_state, dtype):
    x, state, r_out, r_final = inputs(cfg, dtype, with_state)
    numpy_layer = make(rn, cfg, dtype, seed=3)
    values_np = list(numpy_layer(x, state))
    values_t, grads_t = torch_grads(make(rt, cfg, dtype, seed=3), x, state, r_out, r_final)
    values_k, grads_k = keras_grads(make(rk, cfg, dtype, seed=3), x, state, r_out, r_final)
    tol = TOL[dtype]
    for a, b, c in zip(values_np, values_t, values_k, strict=True):
        np.testing.assert_allclose(b, a, rtol=tol, atol=tol)
        np.testing.assert_allclose(c, a, rtol=tol, atol=tol)
    assert sorted(grads_t) == sorted(grads_k) == sorted(list(numpy_layer.params) + ["x"])
    for name in grads_t:
        np.testing.assert_allclose(grads_k[name], grads_t[name], rtol=tol, atol=tol, err_msg=name)
    if dtype == "float64":
        numeric = numeric_grads(numpy_layer, x, state, r_out, r_final)
        for name in grads_t:
            np.testing.assert_allclose(grads_t[name], numeric[name], rtol=1e-6, atol=1e-7, err_msg=name)


def test_the_numpy_forward_follows_the_equations():
    layer = rn.JordanRNN(2, 4, output_size=3, output_activation="sigmoid", dtype="float64", seed=0)
    x = np.random.default_rng(1).standard_normal((2, 5, 2))
    p = layer.params
    y = np.zeros((2, 3))
    expected = []
    for t in range(5):
        h = np.tanh(x[:, t] @ p["weight_ih"].T + p["bias_ih"] + y @ p["weight_yh"].T + p["bias_yh"])
        y = 1 / (1 + np.exp(-(h @ p["weight_hy"].T + p["bias_hy"])))
        expected.append(y)
    outputs, final = layer(x)
    np.testing.assert_allclose(outputs, np.stack(expected, 1), rtol=1e-12)
    np.testing.assert_allclose(final[0], expected[-1], rtol=1e-12)


@pytest.mark.parametrize("module", [rn, rt, rk])
def test_chunks_carrying_the_state_equal_one_call(module):
    layer = module.JordanRNN(2, 5, output_size=2, dtype="float64", seed=1)
    x = np.random.default_rng(2).standard_normal((3, 9, 2))
    to_np = lambda a: a.detach().numpy() if hasattr(a, "detach") else np.asarray(ops.convert_to_numpy(a))  # noqa: E731
    whole, final = layer(x)
    first, state = layer(x[:, :4])
    second, final2 = layer(x[:, 4:], state)
    np.testing.assert_allclose(np.concatenate([to_np(first), to_np(second)], 1), to_np(whole), rtol=1e-12)
    np.testing.assert_allclose(to_np(final2), to_np(final), rtol=1e-12)


def test_without_feedback_it_has_no_memory():
    """With W_yh = 0 the output at step t depends on x_t alone."""
    layer = rn.JordanRNN(1, 4, output_size=1, dtype="float64", seed=0)
    layer.params["weight_yh"][:] = 0
    x = np.random.default_rng(0).standard_normal((1, 6, 1))
    x2 = x.copy()
    x2[:, 0] += 1
    out, out2 = layer(x)[0], layer(x2)[0]
    assert np.abs(out[:, 0] - out2[:, 0]).max() > 1e-3
    np.testing.assert_array_equal(out[:, 1:], out2[:, 1:])


def test_same_signature_weights_and_equations():
    reference = inspect.signature(rn.JordanRNN.__init__)
    assert inspect.signature(rt.JordanRNN.__init__) == reference
    keras_params = [p for p in inspect.signature(rk.JordanRNN.__init__).parameters.values() if p.kind != p.VAR_KEYWORD]
    assert keras_params == list(reference.parameters.values())
    for call in (rn.JordanRNN.__call__, rt.JordanRNN.forward, rk.JordanRNN.call):
        assert list(inspect.signature(call).parameters) == ["self", "x", "state"]
    notes = notes_block(rn.JordanRNN.__doc__)
    assert "y_{t-1}" in notes
    for module in (rt, rk):
        assert notes_block(module.JordanRNN.__doc__) == notes
    shapes = jordan_param_shapes(3, 5, 2)
    for module in (rn, rt, rk):
        layer = module.JordanRNN(3, 5, output_size=2, seed=0)
        for name, shape in shapes.items():
            assert tuple(getattr(layer, name).shape) == shape, (module.__name__, name)


@pytest.mark.parametrize("module", [rn, rt, rk])
def test_errors_name_the_problem(module):
    with pytest.raises(ValueError, match="output_size to be a positive integer"):
        module.JordanRNN(2, 3, output_size=0)
    with pytest.raises(ValueError, match="output_activation"):
        module.JordanRNN(2, 3, output_size=1, output_activation="relu")
    layer = module.JordanRNN(2, 3, output_size=1, seed=0)
    with pytest.raises(ValueError, match=r"expected x of shape \(B, T, 2\), got \(4, 5, 3\)"):
        layer(np.zeros((4, 5, 3), "float32"))
    with pytest.raises(ValueError, match="state"):
        layer(np.zeros((4, 5, 2), "float32"), np.zeros((4, 1), "float32"))


def test_keras_twin_trains_with_model_fit():
    keras.utils.set_random_seed(0)
    inputs_ = keras.Input((6, 1))
    outputs, _ = rk.JordanRNN(1, 8, output_size=1, output_activation="linear", seed=0)(inputs_)
    model = keras.Model(inputs_, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    x = np.random.default_rng(0).standard_normal((64, 6, 1)).astype("float32")
    y = np.cumsum(x, axis=1) * 0.3  # a running sum: needs the fed-back output
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=30, batch_size=16, verbose=0)
    assert model.evaluate(x, y, verbose=0) < 0.5 * before
