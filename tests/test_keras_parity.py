"""The Keras twins against the NumPy oracle (values and gradients), the built-in Keras layers, and model.fit.

Run under both backends: ``KERAS_BACKEND=tensorflow`` (the default) and ``KERAS_BACKEND=torch``.
Everything here is float64 except the float32 parity case and the model.fit check.
"""

import keras
import numpy as np
import pytest
from hypothesis import given, settings
from keras import ops

import rnnlearn.keras as rk
import rnnlearn.numpy as rn
from rnnlearn.convert import copy_weights
from test_numpy_golden import GOLDEN, LENGTHS, final_h, golden_input, golden_numpy
from test_numpy_layers import VARIANTS, as_tuple, layer_configs, make_inputs

TOL = {"float64": 1e-10, "float32": 1e-5}
# keras.ops.matmul under the torch backend (Keras 3.15) computes float64 tensors in float32 (its dtype
# promotion maps torch.float64 to floatx), and the built-in layers use it: their float64 results are
# only float32-accurate there. The twins avoid ops.matmul (see rnnlearn/keras/_base.py) and stay at 1e-10.
BUILTIN_TOL = 1e-10 if keras.backend.backend() != "torch" else 1e-6
KERAS_CLASS = {"RNN": "SimpleRNN", "LSTM": "LSTM", "GRU": "GRU"}


def to_numpy(x):
    if hasattr(x, "detach"):  # a torch tensor that requires grad (torch backend)
        x = x.detach()
    return np.asarray(ops.convert_to_numpy(x))


def run_keras(layer, x, state, lengths, d_out, d_final):
    """Forward and backward of sum(d_out * outputs) + sum(d_final * final_state), on the active backend."""
    dtype = layer.compute_dtype
    names = [v.path.split("/")[-1] for v in layer.trainable_variables]
    x = ops.convert_to_tensor(x, dtype=dtype)
    states = None if state is None else [ops.convert_to_tensor(s, dtype=dtype) for s in as_tuple(state)]

    def forward():
        st = None if states is None else (tuple(states) if len(states) == 2 else states[0])
        outputs, final = layer(x, st, lengths)
        loss = ops.sum(outputs * ops.convert_to_tensor(d_out, dtype))
        for f, q in zip(as_tuple(final), as_tuple(d_final)):
            loss = loss + ops.sum(f * ops.convert_to_tensor(q, dtype))
        return loss, [outputs] + list(as_tuple(final))

    sources = [v for v in layer.trainable_variables]
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(x)
            if states is not None:
                tape.watch(states)
            loss, values = forward()
        wanted = [x] + ([] if states is None else states)
        raw = tape.gradient(loss, sources + wanted, unconnected_gradients="zero")
    elif keras.backend.backend() == "torch":
        import torch

        x.requires_grad_(True)
        for s in states or []:
            s.requires_grad_(True)
        loss, values = forward()
        leaves = [v.value for v in sources] + [x] + (states or [])
        raw = torch.autograd.grad(loss, leaves, allow_unused=True)
        raw = [torch.zeros_like(leaf) if g is None else g for g, leaf in zip(raw, leaves)]
    else:
        pytest.skip(f"no gradient helper for backend {keras.backend.backend()}")
    raw = [to_numpy(g) for g in raw]
    grads = dict(zip(names, raw[: len(sources)]))
    grads["x"] = raw[len(sources)]
    if states is not None:
        grads["state"] = tuple(raw[len(sources) + 1 :])
    return [to_numpy(v) for v in values], grads


def run_numpy(layer, x, state, lengths, d_out, d_final):
    outputs, final = layer(x, state, lengths)
    grads = layer.backward(d_out, d_final)
    grads["state"] = as_tuple(grads["state"])
    return [outputs] + list(as_tuple(final)), grads


def assert_same(values_a, grads_a, values_b, grads_b, tol, with_state):
    for a, b in zip(values_a, values_b, strict=True):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)
    names = sorted(k for k in grads_a if k != "state")
    assert names == sorted(k for k in grads_b if k != "state")
    for name in names:
        np.testing.assert_allclose(grads_a[name], grads_b[name], rtol=tol, atol=tol, err_msg=name)
    if with_state:
        for a, b in zip(grads_a["state"], grads_b["state"], strict=True):
            np.testing.assert_allclose(a, b, rtol=tol, atol=tol, err_msg="state")


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@settings(max_examples=20, deadline=None)
@given(cfg=layer_configs(max_time=4))
def test_keras_twin_matches_numpy(cfg, dtype):
    np_layer = getattr(rn, cfg["name"])(cfg["D"], cfg["H"], dtype=dtype, seed=cfg["seed"], **cfg["kwargs"])
    k_layer = getattr(rk, cfg["name"])(cfg["D"], cfg["H"], dtype=dtype, seed=cfg["seed"], **cfg["kwargs"])
    x, state, d_out, d_final = make_inputs(cfg, dtype)
    values_np, grads_np = run_numpy(np_layer, x, state, cfg["lengths"], d_out, d_final)
    values_k, grads_k = run_keras(k_layer, x, state, cfg["lengths"], d_out, d_final)
    assert_same(values_k, grads_k, values_np, grads_np, TOL[dtype], cfg["with_state"])


def keras_builtin(name, kwargs, H, bidirectional, dtype="float64"):
    extra = {}
    if name == "RNN":
        extra["activation"] = kwargs["nonlinearity"]
    if name == "GRU":
        extra["reset_after"] = kwargs["reset_after"]
    layer = getattr(keras.layers, KERAS_CLASS[name])(H, return_sequences=True, return_state=True,
                                                      use_bias=kwargs.get("bias", True), dtype=dtype, **extra)
    return keras.layers.Bidirectional(layer, dtype=dtype) if bidirectional else layer


@settings(max_examples=20, deadline=None)
@given(cfg=layer_configs(max_time=4))
def test_builtin_keras_layers_match_the_twin(cfg):
    """One layer (Keras stacks are lists of layers, tested below), masking for lengths."""
    cfg["kwargs"]["num_layers"] = 1
    twin = getattr(rk, cfg["name"])(cfg["D"], cfg["H"], dtype="float64", seed=cfg["seed"], **cfg["kwargs"])
    builtin = keras_builtin(cfg["name"], cfg["kwargs"], cfg["H"], cfg["kwargs"]["bidirectional"])
    copy_weights(twin, builtin)
    x, state, _, _ = make_inputs(cfg)
    outputs, final = twin(x, state, cfg["lengths"])
    mask = None if cfg["lengths"] is None else np.arange(cfg["T"])[None, :] < cfg["lengths"][:, None]
    initial = None
    if state is not None:  # Keras: a flat list, forward (h, c) then backward (h, c)
        S = 2 if cfg["kwargs"]["bidirectional"] else 1
        initial = [ops.convert_to_tensor(s[d]) for d in range(S) for s in as_tuple(state)]
    result = builtin(x, initial_state=initial, mask=mask)
    keras_outputs = to_numpy(result[0]) * (1 if mask is None else mask[..., None])  # Keras repeats at masked steps
    np.testing.assert_allclose(keras_outputs, to_numpy(outputs), rtol=BUILTIN_TOL, atol=BUILTIN_TOL)
    n = len(as_tuple(final))
    keras_final = [to_numpy(s) for s in result[1:]]  # forward states then backward states
    for j in range(n):
        for d in range(len(keras_final) // n):
            np.testing.assert_allclose(keras_final[d * n + j], to_numpy(as_tuple(final)[j][d]), rtol=BUILTIN_TOL, atol=BUILTIN_TOL)


@pytest.mark.parametrize("name,kwargs", VARIANTS)
def test_stacked_bidirectional_twin_to_keras_list_and_back(name, kwargs):
    twin = getattr(rk, name)(3, 4, num_layers=2, bidirectional=True, dtype="float64", seed=0, **kwargs)
    stack = [keras_builtin(name, dict(kwargs), 4, True) for _ in range(2)]
    copy_weights(twin, stack)
    x = np.random.default_rng(0).standard_normal((2, 5, 3))
    hidden = x
    for layer in stack:
        hidden = layer(hidden)[0]
    np.testing.assert_allclose(to_numpy(hidden), to_numpy(twin(x)[0]), rtol=BUILTIN_TOL, atol=BUILTIN_TOL)
    back = copy_weights(stack, getattr(rn, name)(3, 4, num_layers=2, bidirectional=True, dtype="float64", **kwargs))
    np.testing.assert_allclose(back(x)[0], to_numpy(twin(x)[0]), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("case", sorted(GOLDEN))
def test_keras_golden_values(case):
    name, kwargs, out_expected, h_expected = GOLDEN[case]
    layer = getattr(rk, name)(2, 3, num_layers=2, bidirectional=True, dtype="float64", **kwargs)
    copy_weights(golden_numpy(case), layer)
    outputs, final = layer(golden_input(), lengths=LENGTHS)
    np.testing.assert_allclose(to_numpy(outputs)[1, 0, :4], out_expected, rtol=0, atol=1e-11)
    np.testing.assert_allclose(to_numpy(final_h(final))[-1, 0], h_expected, rtol=0, atol=1e-11)


@pytest.mark.parametrize("name,kwargs", VARIANTS)
def test_keras_cells_match_numpy(name, kwargs):
    np_cell = getattr(rn, name + "Cell")(3, 4, dtype="float64", seed=3, **kwargs)
    k_cell = getattr(rk, name + "Cell")(3, 4, dtype="float64", seed=3, **kwargs)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3))
    state = tuple(rng.standard_normal((2, 4)) for _ in range(2 if name == "LSTM" else 1))
    state = state if name == "LSTM" else state[0]
    h_np, s_np = np_cell(x, state)
    h_k, s_k = k_cell(x, state)
    np.testing.assert_allclose(to_numpy(h_k), h_np, rtol=0, atol=1e-12)
    for a, b in zip(as_tuple(s_k), as_tuple(s_np)):
        np.testing.assert_allclose(to_numpy(a), b, rtol=0, atol=1e-12)


def test_keras_streaming():
    layer = rk.LSTM(3, 4, num_layers=2, dtype="float64", seed=0)
    x = np.random.default_rng(0).standard_normal((2, 7, 3))
    whole, final = layer(x)
    first, state = layer(x[:, :3])
    second, state = layer(x[:, 3:], state)
    np.testing.assert_allclose(np.concatenate([to_numpy(first), to_numpy(second)], 1), to_numpy(whole), rtol=0, atol=1e-14)
    for a, b in zip(state, final):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), rtol=0, atol=1e-14)


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_sequential_model_fit_learns(name):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (64, 6, 2)).astype("float32")
    y = x[:, :, :1].sum(axis=1)  # (64, 1): the sum of the first feature over time
    model = keras.Sequential([keras.Input((None, 2)), getattr(rk, name)(2, 8, seed=0),
                              rk.TakeOutputs(last_step=True), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    history = model.fit(x, y, epochs=15, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert model.predict(x[:3], verbose=0).shape == (3, 1)


def test_keras_errors_name_both_shapes():
    layer = rk.GRU(8, 4, num_layers=2)
    with pytest.raises(ValueError, match=r"GRU expected x of shape \(B, T, 8\), got \(4, 7\)"):
        layer(np.zeros((4, 7), "float32"))
    with pytest.raises(ValueError, match=r"expected x of shape \(B, T, 8\), got \(4, 7, 3\)"):
        layer(np.zeros((4, 7, 3), "float32"))
    with pytest.raises(ValueError, match=r"expected state of shape \(2, 4, 4\), got \(1, 4, 4\)"):
        layer(np.zeros((4, 7, 8), "float32"), np.zeros((1, 4, 4), "float32"))
    with pytest.raises(ValueError, match=r"LSTMCell expected x_t of shape \(B, 3\), got \(4, 2\)"):
        rk.LSTMCell(3, 5)(np.zeros((4, 2), "float32"))


def test_weights_are_built_eagerly_with_torch_names():
    layer = rk.LSTM(3, 4, bidirectional=True)
    assert layer.built
    assert sorted(v.path.split("/")[-1] for v in layer.weights) == sorted(
        f"{w}_l0{s}" for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh") for s in ("", "_reverse"))
    assert tuple(layer.weight_ih_l0.shape) == (16, 3)


@pytest.mark.parametrize("name,kwargs", VARIANTS)
@pytest.mark.parametrize("reverse", [False, True])
def test_scan_path_for_unknown_length_equals_the_loop(name, kwargs, reverse):
    """A time axis of unknown length (keras.Input((None, D))) runs through keras.ops.scan instead of a loop."""
    from rnnlearn.keras import _base

    layer = getattr(rk, name)(3, 4, dtype="float64", seed=0, **kwargs)
    rng = np.random.default_rng(0)
    G = {"RNN": 1, "LSTM": 4, "GRU": 3}[name]
    gi = ops.convert_to_tensor(rng.standard_normal((2, 5, G * 4)))
    state = tuple(ops.convert_to_tensor(rng.standard_normal((2, 4))) for _ in range(layer.num_states))
    mask = ops.convert_to_tensor((np.arange(5)[None, :] < np.array([5, 3])[:, None])[..., None])
    weights = (ops.transpose(layer.weight_hh_l0), layer.bias_hh_l0)
    loop = _base.run_direction(layer.step, gi, state, weights, mask, reverse, layer.spec)
    scan = _base._run_direction_scan(layer.step, gi, state, weights, mask, reverse, layer.spec)
    np.testing.assert_allclose(to_numpy(scan[0]), to_numpy(loop[0]), rtol=0, atol=1e-14)
    for a, b in zip(scan[1], loop[1], strict=True):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), rtol=0, atol=1e-14)


def test_copy_weights_with_keras_mismatches():
    with pytest.raises(ValueError, match="not built yet"):
        copy_weights(keras.layers.LSTM(4), rn.LSTM(3, 4))
    built = keras.layers.LSTM(4)
    built.build((None, None, 5))
    with pytest.raises(ValueError, match=r"expected weight_ih_l0 of shape \(16, 5\), got \(16, 3\)"):
        copy_weights(rn.LSTM(3, 4), built)
    with pytest.raises(ValueError, match=r"reset_after differs \(False vs True\)"):
        copy_weights(rn.GRU(3, 4, reset_after=False), keras.layers.GRU(4))
    with pytest.raises(ValueError, match="activation='tanh' and recurrent_activation='sigmoid'"):
        copy_weights(rn.LSTM(3, 4), keras.layers.LSTM(4, recurrent_activation="hard_sigmoid"))


def test_config_round_trip():
    layer = rk.GRU(3, 4, num_layers=2, reset_after=False, dtype="float64")
    clone = rk.GRU.from_config(layer.get_config())
    assert (clone.spec, clone.compute_dtype) == (layer.spec, "float64")
