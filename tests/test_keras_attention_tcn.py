"""The Keras twins of CausalSelfAttention and TCN: the NumPy oracle's numbers, PyTorch's gradients, parallel form =
step-by-step form, Keras's own layers, clear errors.

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

TOL = {"float64": 1e-10, "float32": 1e-5}
# Keras's built-in layers compute float64 in float32 under the torch backend (Keras 3.15; see rnnlearn/keras/_base.py).
BUILTIN_TOL = 1e-6 if keras.backend.backend() == "torch" else 1e-10
CASES = [("CausalSelfAttention", dict(num_heads=1)), ("CausalSelfAttention", dict(num_heads=2, bias=False)),
         ("TCN", dict(num_layers=3)), ("TCN", dict(num_layers=2, kernel_size=3))]


def to_np(a):
    if hasattr(a, "detach"):
        a = a.detach().cpu()
    return np.asarray(ops.convert_to_numpy(a))


def sequence(B=3, T=8, D=5, seed=0, dtype="float64"):
    return np.random.default_rng(seed).standard_normal((B, T, D)).astype(dtype)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, kwargs", CASES)
def test_keras_twin_matches_numpy(name, kwargs, dtype):
    x = sequence(dtype=dtype)
    y_np, state_np = getattr(rn, name)(5, 8, dtype=dtype, seed=1, **kwargs)(x)
    y_k, state_k = getattr(rk, name)(5, 8, dtype=dtype, seed=1, **kwargs)(x)
    np.testing.assert_allclose(to_np(y_k), y_np, rtol=TOL[dtype], atol=TOL[dtype])
    for a, b in zip(state_k, state_np, strict=True):
        np.testing.assert_allclose(to_np(a), b, rtol=TOL[dtype], atol=TOL[dtype])


@pytest.mark.parametrize("name, kwargs", CASES)
def test_keras_step_by_step_equals_the_parallel_form_and_chunks(name, kwargs):
    layer = getattr(rk, name)(5, 8, dtype="float64", seed=2, **kwargs)
    x = sequence()
    y, final = layer(x)
    state, steps = None, []
    for t in range(x.shape[1]):
        y_t, state = layer.step(x[:, t], state)
        steps.append(to_np(y_t))
    np.testing.assert_allclose(np.stack(steps, 1), to_np(y), atol=1e-12)
    first, state = layer(x[:, :3])
    second, state = layer(x[:, 3:], state)
    np.testing.assert_allclose(np.concatenate([to_np(first), to_np(second)], 1), to_np(y), atol=1e-12)
    for a, b in zip(state, final, strict=True):
        np.testing.assert_allclose(to_np(a), to_np(b), atol=1e-12)


def keras_gradients(layer, x, r_y, r_state):
    """Gradients of sum(r_y * y) + sum_i sum(r_state[i] * state[i]) on the active backend, by weight name and "x"."""
    dtype = layer.compute_dtype
    names = [v.path.split("/")[-1] for v in layer.trainable_variables]
    x = ops.convert_to_tensor(x, dtype=dtype)

    def loss():
        y, state = layer(x)
        total = ops.sum(y * ops.convert_to_tensor(r_y, dtype))
        for s, r in zip(state, r_state, strict=True):
            total = total + ops.sum(s * ops.convert_to_tensor(r, dtype))
        return total

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(x)
            value = loss()
        raw = tape.gradient(value, list(layer.trainable_variables) + [x])
    elif keras.backend.backend() == "torch":
        x.requires_grad_(True)
        raw = torch.autograd.grad(loss(), [v.value for v in layer.trainable_variables] + [x])
    else:
        pytest.skip(f"no gradient helper for backend {keras.backend.backend()}")
    return dict(zip(names + ["x"], [to_np(g) for g in raw]))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, kwargs", CASES)
def test_keras_gradients_match_torch(name, kwargs, dtype):
    x = sequence(dtype=dtype)
    torch_layer = getattr(rt, name)(5, 8, dtype=dtype, seed=3, **kwargs)
    keras_layer = getattr(rk, name)(5, 8, dtype=dtype, seed=3, **kwargs)
    _, state = torch_layer(torch.from_numpy(x))
    rng = np.random.default_rng(4)
    r_y = rng.standard_normal((3, 8, 8))
    r_state = [rng.standard_normal(tuple(s.shape)) for s in state]  # the cache and the buffers get gradients too

    xt = torch.tensor(x, requires_grad=True)
    y, state = torch_layer(xt)
    loss = (y * torch.as_tensor(r_y, dtype=y.dtype)).sum()
    for s, r in zip(state, r_state):
        loss = loss + (s * torch.as_tensor(r, dtype=s.dtype)).sum()
    loss.backward()
    expected = {n: to_np(p.grad) for n, p in torch_layer.named_parameters()}
    expected["x"] = to_np(xt.grad)

    got = keras_gradients(keras_layer, x, r_y, r_state)
    assert sorted(got) == sorted(expected)
    tol = 10 * TOL[dtype]
    for n in expected:
        np.testing.assert_allclose(got[n], expected[n], rtol=tol, atol=tol, err_msg=n)


def test_keras_attention_equals_keras_multihead_attention():
    H, N, T = 8, 2, 6
    ours = rk.CausalSelfAttention(H, H, num_heads=N, dtype="float64", seed=5)
    builtin = keras.layers.MultiHeadAttention(N, H // N, dtype="float64")
    x = sequence(2, T, H)
    builtin(x, x, use_causal_mask=True)  # build it
    as_np = {n: to_np(getattr(ours, n)) for n in ("weight_q", "weight_k", "weight_v", "weight_o",
                                                  "bias_q", "bias_k", "bias_v", "bias_o")}
    for dense, name in ((builtin._query_dense, "q"), (builtin._key_dense, "k"), (builtin._value_dense, "v")):
        dense.kernel.assign(as_np[f"weight_{name}"].T.reshape(H, N, H // N))  # (D, N, d): head n is block n
        dense.bias.assign(as_np[f"bias_{name}"].reshape(N, H // N))
    builtin._output_dense.kernel.assign(as_np["weight_o"].T.reshape(N, H // N, H))
    builtin._output_dense.bias.assign(as_np["bias_o"])
    expected = builtin(x, x, use_causal_mask=True)
    np.testing.assert_allclose(to_np(ours(x)[0]), to_np(expected), rtol=BUILTIN_TOL, atol=BUILTIN_TOL)


def test_keras_tcn_layer_equals_causal_conv1d():
    tcn = rk.TCN(3, 4, num_layers=2, kernel_size=3, dtype="float64", seed=6)
    x = sequence(2, 10, 3)
    h = ops.convert_to_tensor(x)
    for layer, d in enumerate(tcn.dilations):
        conv = keras.layers.Conv1D(4, 3, padding="causal", dilation_rate=d, dtype="float64")
        conv.build((None, None, h.shape[2]))
        conv.kernel.assign(np.transpose(to_np(getattr(tcn, f"weight_l{layer}")), (2, 1, 0)))  # (k, D_l, H)
        conv.bias.assign(to_np(getattr(tcn, f"bias_l{layer}")))
        z = ops.relu(conv(h))
        h = z if layer == 0 else z + h
    np.testing.assert_allclose(to_np(tcn(x)[0]), to_np(h), rtol=BUILTIN_TOL, atol=BUILTIN_TOL)


def test_keras_twins_reject_bad_shapes():
    attention = rk.CausalSelfAttention(4, 8, num_heads=2, seed=0)
    with pytest.raises(ValueError, match=r"CausalSelfAttention expected x of shape \(B, T, 4\), got \(2, 5, 3\)"):
        attention(np.zeros((2, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"expected keys of shape \(2, P, 8\), got \(2, 3, 6\)"):
        attention(np.zeros((2, 5, 4), "float32"), (np.zeros((2, 3, 6), "float32"),) * 2)
    with pytest.raises(ValueError, match=r"CausalSelfAttention.step expected x_t of shape \(B, 4\), got \(2, 3\)"):
        attention.step(np.zeros((2, 3), "float32"))
    tcn = rk.TCN(3, 8, num_layers=2, seed=0)
    with pytest.raises(ValueError, match=r"TCN expected x of shape \(B, T, 3\), got \(2, 5, 4\)"):
        tcn(np.zeros((2, 5, 4), "float32"))
    with pytest.raises(ValueError, match="TCN expected state to be a tuple of 2 buffers"):
        tcn(np.zeros((2, 5, 3), "float32"), np.zeros((2, 1, 3), "float32"))
    with pytest.raises(ValueError, match="hidden_size must be a multiple of num_heads"):
        rk.CausalSelfAttention(4, 6, num_heads=4)


@pytest.mark.parametrize("name, kwargs", CASES[::2])
def test_keras_config_round_trip(name, kwargs):
    layer = getattr(rk, name)(5, 8, seed=7, **kwargs)
    clone = getattr(rk, name).from_config(layer.get_config())
    clone.set_weights(layer.get_weights())
    x = sequence(dtype="float32")
    np.testing.assert_allclose(to_np(clone(x)[0]), to_np(layer(x)[0]), rtol=1e-6)
