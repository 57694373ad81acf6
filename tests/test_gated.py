"""The modern gated recurrences in NumPy and PyTorch: the equations, parallel form = recurrent form,
chunked = whole, PyTorch = NumPy, and errors that name the problem. (Keras: ``test_keras_gated.py``.)"""

import numpy as np
import pytest
import torch

import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from rnnlearn.convert import copy_weights
from rnnlearn.gated_layout import gated_init_params, gated_param_shapes
from rnnlearn.named_weights import get_named_weights, set_named_weights

TOL = {"float64": 1e-10, "float32": 1e-5}
B, T, D, H = 2, 6, 3, 4
# (class name, constructor keywords): every parallel algorithm and every variant
CONFIGS = [
    ("MinGRU", {"method": "log"}), ("MinGRU", {"method": "sequential"}), ("MinGRU", {"method": "hillis_steele"}),
    ("MinGRU", {"method": "blelloch", "bias": False}),
    ("MinLSTM", {"method": "log"}), ("MinLSTM", {"method": "blelloch"}), ("MinLSTM", {"method": "log", "bias": False}),
    ("RWKVTimeMix", {}),
    ("MLSTM", {"forget_gate": "sigmoid"}), ("MLSTM", {"forget_gate": "exp"}), ("MLSTM", {"bias": False}),
    ("RGLRU", {"method": "sequential"}), ("RGLRU", {"method": "hillis_steele"}),
    ("RGLRU", {"method": "blelloch", "c": 4.0}),
    ("RGLRU", {"method": "log", "bias": False}),
]
IDS = [f"{name}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for name, kw in CONFIGS]


def parts(state):
    return state if isinstance(state, tuple) else (state,)


def to_np(a):
    return a.detach().numpy() if hasattr(a, "detach") else np.asarray(a)


def random_state(model, seed=5):
    """A state the model could have reached: run it over a random prefix."""
    x = np.random.default_rng(seed).standard_normal((B, 3, D))
    return model(x)[1]


def run_steps(model, x, state):
    outputs = []
    for t in range(x.shape[1]):
        y, state = model.step(x[:, t], state)
        outputs.append(to_np(y))
    return np.stack(outputs, 1), state


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("module", [rn, rt], ids=["numpy", "torch"])
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
def test_parallel_form_equals_the_recurrent_form(name, kwargs, module, dtype):
    model = getattr(module, name)(D, H, dtype=dtype, seed=0, **kwargs)
    x = np.random.default_rng(1).standard_normal((B, T, D)).astype(dtype)
    for state in (None, random_state(model)):
        outputs, final = model(x, state)
        step_outputs, step_final = run_steps(model, x, state)
        assert to_np(outputs).dtype == np.dtype(dtype)
        np.testing.assert_allclose(to_np(outputs), step_outputs, rtol=TOL[dtype], atol=TOL[dtype])
        for a, b in zip(parts(final), parts(step_final), strict=True):
            np.testing.assert_allclose(to_np(a), to_np(b), rtol=TOL[dtype], atol=TOL[dtype])


@pytest.mark.parametrize("module", [rn, rt], ids=["numpy", "torch"])
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
def test_continuing_from_the_state_equals_one_call(name, kwargs, module):
    model = getattr(module, name)(D, H, dtype="float64", seed=2, **kwargs)
    x = np.random.default_rng(3).standard_normal((B, 7, D))
    whole, final = model(x)
    first, state = model(x[:, :3])
    second, final2 = model(x[:, 3:], state)
    np.testing.assert_allclose(np.concatenate([to_np(first), to_np(second)], 1), to_np(whole), rtol=1e-10, atol=1e-12)
    for a, b in zip(parts(final2), parts(final), strict=True):
        np.testing.assert_allclose(to_np(a), to_np(b), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
def test_torch_equals_numpy_with_copied_weights(name, kwargs, dtype):
    torch_model = getattr(rt, name)(D, H, dtype=dtype, seed=0, **kwargs)
    with torch.no_grad():  # weights no seed produced: the copy is what makes the twins agree
        for p in torch_model.parameters():
            p.add_(0.1 * torch.randn_like(p))
    numpy_model = copy_weights(torch_model, getattr(rn, name)(D, H, dtype=dtype, seed=9, **kwargs))
    x = np.random.default_rng(4).standard_normal((B, T, D)).astype(dtype)
    state = random_state(numpy_model)
    out_t, final_t = torch_model(x, state)
    out_n, final_n = numpy_model(x, state)
    np.testing.assert_allclose(to_np(out_t), out_n, rtol=TOL[dtype], atol=TOL[dtype])
    for a, b in zip(parts(final_t), parts(final_n), strict=True):
        np.testing.assert_allclose(to_np(a), b, rtol=TOL[dtype], atol=TOL[dtype])


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
def test_gradients_of_the_two_forms_agree(name, kwargs):
    """Autograd through the parallel form and through the loop of steps gives the same gradients."""
    model = getattr(rt, name)(D, H, dtype="float64", seed=0, **kwargs)
    x = np.random.default_rng(1).standard_normal((B, T, D))
    weights = torch.as_tensor(np.random.default_rng(2).standard_normal((B, T, H)))

    def grads(forward):
        model.zero_grad()
        outputs, final = forward()
        (outputs * weights).sum().backward()
        return {n: p.grad.clone() for n, p in model.named_parameters()}

    parallel = grads(lambda: model(x))
    recurrent = grads(lambda: (torch.as_tensor(run_steps_torch(model, x)), None))
    for n in parallel:
        np.testing.assert_allclose(parallel[n].numpy(), recurrent[n].numpy(), rtol=1e-9, atol=1e-12, err_msg=n)


def run_steps_torch(model, x):
    state, outputs = None, []
    for t in range(x.shape[1]):
        y, state = model.step(x[:, t], state)
        outputs.append(y)
    return torch.stack(outputs, 1)


# --- the NumPy forward follows the equations of the docstrings (written here without stabilisers) ------

def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def g(a):
    return np.where(a >= 0, a + 0.5, sigmoid(a))


def reference(name, p, x, forget_gate="sigmoid", c=8.0):
    """Outputs (B, T, H) straight from the Notes' equations, float64, one step at a time."""
    Bx, Tx, _ = x.shape
    lin = lambda n, v: v @ p[f"weight_{n}"].T + (p[f"bias_{n}"] if f"bias_{n}" in p else 0)  # noqa: E731
    h, outputs = np.zeros((Bx, H)), []
    if name == "MLSTM":
        C, n = np.zeros((Bx, H, H)), np.zeros((Bx, H))
    for t in range(Tx):
        x_t = x[:, t]
        if name == "MinGRU":
            z = sigmoid(lin("z", x_t))
            h = (1 - z) * h + z * g(lin("h", x_t))
        elif name == "MinLSTM":
            f, i = sigmoid(lin("f", x_t)), sigmoid(lin("i", x_t))
            h = f / (f + i) * h + i / (f + i) * g(lin("h", x_t))
        elif name == "RGLRU":
            u = lin("in", x_t)
            r, i = sigmoid(lin("a", u)), sigmoid(lin("x", u))
            a = sigmoid(p["a_logit"]) ** (c * r)
            h = a * h + np.sqrt(1 - a**2) * (i * u)
        elif name == "MLSTM":
            q, k, v = lin("q", x_t), lin("k", x_t) / np.sqrt(H), lin("v", x_t)
            i = np.exp(lin("i", x_t))  # (B, 1)
            f = sigmoid(lin("f", x_t)) if forget_gate == "sigmoid" else np.exp(lin("f", x_t))
            C = f[..., None] * C + i[..., None] * np.einsum("bv,bk->bvk", v, k)
            n = f * n + i * k
            den = np.maximum(np.abs((n * q).sum(-1, keepdims=True)), 1.0)
            h = sigmoid(lin("o", x_t)) * np.einsum("bvk,bk->bv", C, q) / den
        elif name == "RWKVTimeMix":
            x_all = np.concatenate([np.zeros((Bx, 1, D)), x], 1)  # x_0 = 0
            def proj(n, s):
                mu = p[f"mix_{n}"]
                return (mu * x_all[:, s + 1] + (1 - mu) * x_all[:, s]) @ p[f"weight_{n}"].T
            w, u = np.exp(p["decay"]), p["bonus"]
            num = np.exp(u + proj("k", t)) * proj("v", t)
            den = np.exp(u + proj("k", t))
            for s in range(t):
                num = num + np.exp(-(t - 1 - s) * w + proj("k", s)) * proj("v", s)
                den = den + np.exp(-(t - 1 - s) * w + proj("k", s))
            h = (sigmoid(proj("r", t)) * num / den) @ p["weight_o"].T
        outputs.append(h)
    return np.stack(outputs, 1)


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=IDS)
def test_the_numpy_forward_follows_the_equations(name, kwargs):
    model = getattr(rn, name)(D, H, dtype="float64", seed=6, **kwargs)
    x = np.random.default_rng(7).standard_normal((B, T, D))
    extra = {k: v for k, v in kwargs.items() if k in ("forget_gate", "c")}
    np.testing.assert_allclose(model(x)[0], reference(name, model.params, x, **extra), rtol=1e-10, atol=1e-12)


def test_the_equation_check_can_fail():
    model = rn.MinGRU(D, H, dtype="float64", seed=6)
    x = np.random.default_rng(7).standard_normal((B, T, D))
    flipped = dict(model.params, weight_z=-model.params["weight_z"])  # z <-> 1 - z: the GRU convention
    assert np.abs(model(x)[0] - reference("MinGRU", flipped, x)).max() > 1e-2


@pytest.mark.parametrize("module", [rn, rt], ids=["numpy", "torch"])
def test_the_stabilisers_do_not_change_the_outputs(module):
    """Scaling the stored sums by e^{-delta} while adding delta to their log-scale is the same state."""
    x = np.random.default_rng(8).standard_normal((B, T, D))
    mlstm, rwkv = module.MLSTM(D, H, dtype="float64", seed=0), module.RWKVTimeMix(D, H, dtype="float64", seed=0)
    C, n, m = (to_np(s) for s in random_state(mlstm))
    x0, a, b, p = (to_np(s) for s in random_state(rwkv))
    delta = 3.0
    for model, state, shifted in ((mlstm, (C, n, m), (C * np.exp(-delta), n * np.exp(-delta), m + delta)),
                                  (rwkv, (x0, a, b, p), (x0, a * np.exp(-delta), b * np.exp(-delta), p + delta))):
        np.testing.assert_allclose(to_np(model(x, shifted)[0]), to_np(model(x, state)[0]), rtol=1e-10, atol=1e-12)


def test_log_space_handles_long_sequences_and_any_initial_sign():
    """The log-space scan of minGRU stays finite where the product of the a_t underflows."""
    model = rn.MinGRU(1, 2, dtype="float64", seed=0)
    model.params["bias_z"][:] = 3.0  # z near 1: a_t = 1 - z_t near e^-3, so a_1 ... a_t underflows
    x = np.random.default_rng(0).standard_normal((1, 400, 1))
    h0 = np.array([[-2.0, 5.0]])
    outputs, final = model(x, h0)
    np.testing.assert_allclose(outputs, run_steps(model, x, h0)[0], rtol=1e-10)
    assert np.all(np.isfinite(outputs))


# --- errors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("module", [rn, rt], ids=["numpy", "torch"])
def test_errors_name_what_was_expected_and_what_came(module):
    with pytest.raises(ValueError, match="hidden_size to be a positive integer, got 0"):
        module.MinGRU(3, 0)
    with pytest.raises(ValueError, match="method must be one of"):
        module.MinLSTM(3, 4, method="fft")
    with pytest.raises(ValueError, match="method must be one of"):
        module.RGLRU(3, 4, method="associative")
    with pytest.raises(ValueError, match="c must be a positive number, got -1"):
        module.RGLRU(3, 4, c=-1)
    with pytest.raises(ValueError, match="forget_gate must be one of"):
        module.MLSTM(3, 4, forget_gate="tanh")
    with pytest.raises(ValueError, match="dtype must be"):
        module.RWKVTimeMix(3, 4, dtype="float16")
    model = module.MinGRU(3, 4, seed=0)
    with pytest.raises(ValueError, match=r"MinGRU expected x of shape \(B, T, 3\), got \(2, 5, 2\)"):
        model(np.zeros((2, 5, 2), "float32"))
    with pytest.raises(ValueError, match=r"MinGRU expected x_t of shape \(B, 3\), got \(2, 5, 3\)"):
        model.step(np.zeros((2, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"MinGRU expected state h of shape \(2, 4\), got \(2, 5\)"):
        model(np.zeros((2, 5, 3), "float32"), np.zeros((2, 5), "float32"))
    with pytest.raises(ValueError, match="at least one time step"):
        model(np.zeros((2, 0, 3), "float32"))
    mlstm = module.MLSTM(3, 4, seed=0)
    with pytest.raises(ValueError, match=r"MLSTM expected state to be a tuple \(C, n, m\), got"):
        mlstm(np.zeros((2, 5, 3), "float32"), np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"MLSTM expected state C of shape \(2, 4, 4\), got \(2, 4\)"):
        mlstm.step(np.zeros((2, 3), "float32"), (np.zeros((2, 4)), np.zeros((2, 4)), np.zeros(2)))
    rwkv = module.RWKVTimeMix(3, 4, seed=0)
    with pytest.raises(ValueError, match=r"RWKVTimeMix expected state x of shape \(2, 3\), got \(2, 4\)"):
        rwkv.step(np.zeros((2, 3), "float32"), (np.zeros((2, 4)),) * 4)


def test_named_weights_check_names_shapes_and_variants():
    torch_model = rt.MLSTM(3, 4, seed=0)
    with pytest.raises(ValueError, match="cannot copy rnnlearn.torch.MLSTM into rnnlearn.numpy.MinGRU"):
        copy_weights(torch_model, rn.MinGRU(3, 4))
    with pytest.raises(ValueError, match="forget_gate differs"):
        copy_weights(torch_model, rn.MLSTM(3, 4, forget_gate="exp"))
    with pytest.raises(ValueError, match=r"expected weight_q of shape \(4, 3\), got \(5, 3\)"):
        copy_weights(rt.MLSTM(3, 5), rn.MLSTM(3, 4))
    with pytest.raises(ValueError, match=r"missing \['bias_f'"):
        set_named_weights(rn.MLSTM(3, 4), get_named_weights(rn.MLSTM(3, 4, bias=False)))
    with pytest.raises(ValueError, match="expected a MinGRU, MinLSTM"):
        get_named_weights(rn.LSTM(3, 4))


def test_same_seed_same_weights_and_the_documented_shapes():
    for name in ("MinGRU", "MinLSTM", "RWKVTimeMix", "MLSTM", "RGLRU"):
        shapes = gated_param_shapes(name, D, H)
        values = gated_init_params(name, D, H, seed=3)
        numpy_weights = get_named_weights(getattr(rn, name)(D, H, seed=3))
        torch_weights = get_named_weights(getattr(rt, name)(D, H, seed=3))
        assert list(numpy_weights) == list(torch_weights) == list(shapes)
        for key, shape in shapes.items():
            assert numpy_weights[key].shape == shape
            np.testing.assert_array_equal(numpy_weights[key], values[key])
            np.testing.assert_array_equal(torch_weights[key], values[key])
    a = rn.RGLRU(D, H, seed=0).params["a_logit"]
    assert np.all((sigmoid(a) >= 0.9 - 1e-6) & (sigmoid(a) <= 0.999 + 1e-6))
