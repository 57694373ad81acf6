"""CausalSelfAttention and TCN in NumPy and PyTorch: the equations, parallel form = step-by-step form,
chunks = one call, the built-in PyTorch layers, gradients, and clear errors (the Keras twin: test_keras_attention_tcn.py)."""

import math

import numpy as np
import pytest
import torch

import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from rnnlearn.numpy.causal_attention import attention_weights
from rnnlearn.tcn_layout import receptive_field, tcn_buffer_lengths

TOL = {"float64": 1e-10, "float32": 1e-5}
ATTENTION = [dict(num_heads=1), dict(num_heads=2), dict(num_heads=4, bias=False)]
TCNS = [dict(num_layers=1, kernel_size=2), dict(num_layers=3, kernel_size=2), dict(num_layers=2, kernel_size=3, bias=False)]
CASES = [("CausalSelfAttention", kw) for kw in ATTENTION] + [("TCN", kw) for kw in TCNS]


def to_np(a):
    return a.detach().cpu().numpy() if isinstance(a, torch.Tensor) else np.asarray(a)


def flatten(state):
    return [to_np(s) for s in state]


def sequence(B=3, T=9, D=5, seed=0, dtype="float64"):
    return np.random.default_rng(seed).standard_normal((B, T, D)).astype(dtype)


# ---- the equations, written out -------------------------------------------------------------------------

def test_numpy_attention_follows_the_equations():
    D, H, N = 3, 4, 2
    layer = rn.CausalSelfAttention(D, H, num_heads=N, dtype="float64", seed=0)
    p = layer.params
    x = sequence(2, 5, D)
    q, k, v = (x @ p[f"weight_{n}"].T + p[f"bias_{n}"] for n in "qkv")
    d = H // N
    expected = np.zeros((2, 5, H))
    for b in range(2):
        for t in range(5):
            for n in range(N):
                block = slice(n * d, (n + 1) * d)
                scores = np.array([q[b, t, block] @ k[b, s, block] / math.sqrt(d) for s in range(t + 1)])
                alpha = np.exp(scores - scores.max())
                alpha /= alpha.sum()
                expected[b, t, block] = alpha @ v[b, : t + 1, block]
    expected = expected @ p["weight_o"].T + p["bias_o"]
    y, (keys, values) = layer(x)
    np.testing.assert_allclose(y, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(keys, k, rtol=1e-12)
    np.testing.assert_allclose(values, v, rtol=1e-12)


def test_attention_weights_are_causal_and_sum_to_one():
    q, k = sequence(2, 4, 6, seed=1), sequence(2, 7, 6, seed=2)  # 4 queries after 3 cached positions
    w = attention_weights(q, k, num_heads=3)
    assert w.shape == (2, 3, 4, 7)
    np.testing.assert_allclose(w.sum(-1), 1.0, rtol=1e-12)
    for t in range(4):  # query t sits at position 3 + t
        assert np.all(w[..., t, 3 + t + 1 :] == 0) and np.all(w[..., t, : 3 + t + 1] > 0)


def test_numpy_tcn_follows_the_equations():
    D, H, k = 2, 3, 3
    tcn = rn.TCN(D, H, num_layers=2, kernel_size=k, dtype="float64", seed=0)
    x = sequence(2, 10, D)
    h = x
    for layer, d in enumerate((1, 2)):
        W, b = tcn.params[f"weight_l{layer}"], tcn.params[f"bias_l{layer}"]
        z = np.zeros((2, 10, H)) + b
        for t in range(10):
            for j in range(k):
                s = t - (k - 1 - j) * d
                if s >= 0:
                    z[:, t] += h[:, s] @ W[:, :, j].T
        h = np.maximum(z, 0) if layer == 0 else np.maximum(z, 0) + h
    np.testing.assert_allclose(tcn(x)[0], h, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kernel_size, num_layers", [(2, 1), (2, 4), (3, 3)])
def test_tcn_sees_exactly_its_receptive_field(kernel_size, num_layers):
    R = receptive_field(kernel_size, num_layers)
    assert R == 1 + (kernel_size - 1) * (2**num_layers - 1)
    tcn = rn.TCN(1, 4, num_layers=num_layers, kernel_size=kernel_size, dtype="float64", seed=3)
    tcn.params = {name: np.abs(value) for name, value in tcn.params.items()}  # positive weights: no ReLU dead ends
    T = R + 5
    base = np.ones((1, T, 1))
    y = tcn(base)[0][0, -1]
    for lag in range(T):  # change the input `lag` steps before the last output
        moved = base.copy()
        moved[0, T - 1 - lag] += 1.0
        changed = not np.allclose(tcn(moved)[0][0, -1], y)
        assert changed == (lag < R), f"lag {lag}, receptive field {R}"


# ---- parallel = step by step = chunks; NumPy = PyTorch -------------------------------------------------

@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, kwargs", CASES)
def test_torch_twin_matches_numpy(name, kwargs, dtype):
    x = sequence(3, 9, 5, dtype=dtype)
    y_np, state_np = getattr(rn, name)(5, 8, dtype=dtype, seed=4, **kwargs)(x)
    y_t, state_t = getattr(rt, name)(5, 8, dtype=dtype, seed=4, **kwargs)(torch.from_numpy(x))
    np.testing.assert_allclose(to_np(y_t), y_np, rtol=TOL[dtype], atol=TOL[dtype])
    for a, b in zip(flatten(state_t), state_np, strict=True):
        np.testing.assert_allclose(a, b, rtol=TOL[dtype], atol=TOL[dtype])


@pytest.mark.parametrize("module", [rn, rt])
@pytest.mark.parametrize("name, kwargs", CASES)
def test_step_by_step_equals_the_parallel_form(module, name, kwargs):
    layer = getattr(module, name)(5, 8, dtype="float64", seed=5, **kwargs)
    x = sequence(3, 9, 5)
    y, final = layer(x)
    state, steps = None, []
    for t in range(9):
        y_t, state = layer.step(x[:, t], state)
        steps.append(to_np(y_t))
    np.testing.assert_allclose(np.stack(steps, 1), to_np(y), rtol=1e-12, atol=1e-12)
    for a, b in zip(flatten(state), flatten(final), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("module", [rn, rt])
@pytest.mark.parametrize("name, kwargs", CASES)
def test_chunks_carrying_the_state_equal_one_call(module, name, kwargs):
    layer = getattr(module, name)(5, 8, dtype="float64", seed=6, **kwargs)
    x = sequence(2, 11, 5)
    whole, final = layer(x)
    first, state = layer(x[:, :4])
    second, state = layer(x[:, 4:6], state)
    third, state = layer(x[:, 6:], state)
    np.testing.assert_allclose(np.concatenate([to_np(first), to_np(second), to_np(third)], 1), to_np(whole), atol=1e-12)
    for a, b in zip(flatten(state), flatten(final), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-12)


@pytest.mark.parametrize("module", [rn, rt])
@pytest.mark.parametrize("name, kwargs", CASES)
def test_outputs_never_depend_on_later_inputs(module, name, kwargs):
    layer = getattr(module, name)(5, 8, dtype="float64", seed=7, **kwargs)
    x = sequence(2, 8, 5)
    changed = x.copy()
    changed[:, 5:] += 10.0
    a, b = to_np(layer(x)[0]), to_np(layer(changed)[0])
    np.testing.assert_allclose(a[:, :5], b[:, :5], atol=1e-12)
    assert not np.allclose(a[:, 5:], b[:, 5:])


def test_kv_cache_grows_by_one_position_per_step_and_tcn_buffers_do_not():
    attention = rt.CausalSelfAttention(4, 8, num_heads=2, seed=0)
    tcn = rt.TCN(4, 8, num_layers=3, seed=0)
    a_state = t_state = None
    x = torch.randn(2, 6, 4)
    for t in range(6):
        _, a_state = attention.step(x[:, t], a_state)
        _, t_state = tcn.step(x[:, t], t_state)
        assert [tuple(s.shape) for s in a_state] == [(2, t + 1, 8)] * 2
        assert [s.shape[1] for s in t_state] == list(tcn_buffer_lengths(2, 3)) == [1, 2, 4]


# ---- against PyTorch's own layers ----------------------------------------------------------------------

@pytest.mark.parametrize("num_heads", [1, 4])
def test_attention_equals_torch_multihead_attention(num_heads):
    H, T = 8, 7
    ours = rt.CausalSelfAttention(H, H, num_heads=num_heads, dtype="float64", seed=8)
    builtin = torch.nn.MultiheadAttention(H, num_heads, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        builtin.in_proj_weight.copy_(torch.cat([ours.weight_q, ours.weight_k, ours.weight_v]))
        builtin.in_proj_bias.copy_(torch.cat([ours.bias_q, ours.bias_k, ours.bias_v]))
        builtin.out_proj.weight.copy_(ours.weight_o)
        builtin.out_proj.bias.copy_(ours.bias_o)
    x = torch.from_numpy(sequence(3, T, H))
    future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)  # True where attention is forbidden
    expected, _ = builtin(x, x, x, attn_mask=future, need_weights=False)
    np.testing.assert_allclose(to_np(ours(x)[0]), to_np(expected), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kernel_size", [2, 3])
def test_tcn_layer_equals_a_left_padded_conv1d(kernel_size):
    tcn = rt.TCN(3, 5, num_layers=3, kernel_size=kernel_size, dtype="float64", seed=9)
    x = torch.from_numpy(sequence(2, 12, 3))
    h = x
    for layer, d in enumerate(tcn.dilations):
        conv = torch.nn.Conv1d(h.shape[2], 5, kernel_size, dilation=d, dtype=torch.float64)
        with torch.no_grad():
            conv.weight.copy_(getattr(tcn, f"weight_l{layer}"))
            conv.bias.copy_(getattr(tcn, f"bias_l{layer}"))
        padded = torch.nn.functional.pad(h.transpose(1, 2), ((kernel_size - 1) * d, 0))  # zeros before t = 1
        z = torch.relu(conv(padded).transpose(1, 2))
        h = z if layer == 0 else z + h
    np.testing.assert_allclose(to_np(tcn(x)[0]), to_np(h), rtol=1e-10, atol=1e-12)


# ---- gradients: PyTorch autograd against finite differences of the NumPy forward --------------------------

@pytest.mark.parametrize("name, kwargs", [("CausalSelfAttention", dict(num_heads=2)), ("TCN", dict(num_layers=2))])
def test_torch_gradients_match_finite_differences_of_numpy(name, kwargs):
    D, H = 3, 4
    x = sequence(2, 5, D, seed=10)
    r = np.random.default_rng(11).standard_normal((2, 5, H))
    numpy_layer = getattr(rn, name)(D, H, dtype="float64", seed=12, **kwargs)
    torch_layer = getattr(rt, name)(D, H, dtype="float64", seed=12, **kwargs)
    xt = torch.tensor(x, requires_grad=True)
    (torch_layer(xt)[0] * torch.from_numpy(r)).sum().backward()
    eps = 1e-6
    for name_, array in list(numpy_layer.params.items()) + [("x", x)]:
        grad = to_np(xt.grad) if name_ == "x" else to_np(getattr(torch_layer, name_).grad)
        flat, numeric = array.reshape(-1), np.zeros(array.size)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + eps
            up = np.sum(r * numpy_layer(x)[0])
            flat[i] = old - eps
            down = np.sum(r * numpy_layer(x)[0])
            flat[i] = old
            numeric[i] = (up - down) / (2 * eps)
        np.testing.assert_allclose(grad, numeric.reshape(array.shape), rtol=1e-6, atol=1e-7, err_msg=name_)


# ---- bad input: clear errors -------------------------------------------------------------------------

@pytest.mark.parametrize("module", [rn, rt])
def test_attention_rejects_bad_shapes_and_arguments(module):
    layer = module.CausalSelfAttention(4, 8, num_heads=2, seed=0)
    with pytest.raises(ValueError, match=r"expected x of shape \(B, T, 4\), got \(2, 5, 3\)"):
        layer(np.zeros((2, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"expected x of shape \(B, T, 4\), got \(5, 4\)"):
        layer(np.zeros((5, 4), "float32"))
    with pytest.raises(ValueError, match=r"step expected x_t of shape \(B, 4\), got \(2, 1, 4\)"):
        layer.step(np.zeros((2, 1, 4), "float32"))
    with pytest.raises(ValueError, match=r"expected state to be a tuple \(keys, values\)"):
        layer(np.zeros((2, 5, 4), "float32"), np.zeros((2, 3, 8), "float32"))
    with pytest.raises(ValueError, match=r"expected keys of shape \(2, P, 8\), got \(3, 3, 8\)"):
        layer(np.zeros((2, 5, 4), "float32"), (np.zeros((3, 3, 8), "float32"),) * 2)
    with pytest.raises(ValueError, match=r"expected values of shape \(2, 3, 8\), got \(2, 4, 8\)"):
        layer(np.zeros((2, 5, 4), "float32"), (np.zeros((2, 3, 8), "float32"), np.zeros((2, 4, 8), "float32")))
    with pytest.raises(ValueError, match="hidden_size must be a multiple of num_heads, got hidden_size=6 and num_heads=4"):
        module.CausalSelfAttention(4, 6, num_heads=4)
    with pytest.raises(ValueError, match="num_heads to be a positive integer, got 0"):
        module.CausalSelfAttention(4, 8, num_heads=0)
    with pytest.raises(ValueError, match="dtype must be 'float32' or 'float64'"):
        module.CausalSelfAttention(4, 8, dtype="int8")


@pytest.mark.parametrize("module", [rn, rt])
def test_tcn_rejects_bad_shapes_and_arguments(module):
    tcn = module.TCN(3, 8, num_layers=2, seed=0)
    with pytest.raises(ValueError, match=r"TCN expected x of shape \(B, T, 3\), got \(2, 5, 4\)"):
        tcn(np.zeros((2, 5, 4), "float32"))
    with pytest.raises(ValueError, match=r"TCN.step expected x_t of shape \(B, 3\), got \(2, 5, 3\)"):
        tcn.step(np.zeros((2, 5, 3), "float32"))
    with pytest.raises(ValueError, match="TCN expected state to be a tuple of 2 buffers, got 1 items"):
        tcn(np.zeros((2, 5, 3), "float32"), (np.zeros((2, 1, 3), "float32"),))
    with pytest.raises(ValueError, match=r"TCN expected state\[1\] of shape \(2, 2, 8\), got \(2, 3, 8\)"):
        tcn(np.zeros((2, 5, 3), "float32"), (np.zeros((2, 1, 3), "float32"), np.zeros((2, 3, 8), "float32")))
    with pytest.raises(ValueError, match=r"kernel_size >= 2 \(a kernel of 1 sees no past\), got 1"):
        module.TCN(3, 8, kernel_size=1)
    with pytest.raises(ValueError, match="num_layers to be a positive integer, got 0"):
        module.TCN(3, 8, num_layers=0)


@pytest.mark.parametrize("name", ["CausalSelfAttention", "TCN"])
def test_same_seed_same_weights_in_numpy_and_torch(name):
    a, b = getattr(rn, name)(3, 4, seed=13), getattr(rt, name)(3, 4, seed=13)
    assert list(a.params) == [n for n, _ in b.named_parameters()]
    for n, p in b.named_parameters():
        np.testing.assert_array_equal(to_np(p), a.params[n])
