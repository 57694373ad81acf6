"""The QRNN twins (Bradbury et al. 2017) in NumPy and PyTorch: the gates are a causal convolution of width 2,
the pooling is a linear scan, parallel form = recurrent form, PyTorch = NumPy, and errors that name the problem.
(Keras: ``test_keras_qrnn.py``.) Book chapter 15 shows the same checks on a small example."""

import inspect
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import rnnlearn.keras as rk
import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from rnnlearn.scan_checks import SCAN_METHODS
from test_twins import notes_block

TOL = {"float64": 1e-10, "float32": 1e-5}
B, T, D, H = 2, 7, 3, 4
TWINS = {"numpy": rn, "torch": rt, "keras": rk}
CALL = {"numpy": "__call__", "torch": "forward", "keras": "call"}


def to_np(a):
    return a.detach().numpy() if hasattr(a, "detach") else np.asarray(a)


def inputs(seed=1, dtype="float64", steps=T):
    return np.random.default_rng(seed).standard_normal((B, steps, D)).astype(dtype)


def by_hand(model, x, c, x_prev):
    """The Notes equations written out with a plain loop over t, in float64."""
    p = {name: np.asarray(value, np.float64) for name, value in model.params.items()}
    sig = lambda u: 1 / (1 + np.exp(-u))  # noqa: E731
    outputs = []
    for t in range(x.shape[1]):
        window = np.concatenate([x_prev, x[:, t]], -1)
        z = np.tanh(window @ p["weight_z"].T + p["bias_z"])
        f = sig(window @ p["weight_f"].T + p["bias_f"])
        o = sig(window @ p["weight_o"].T + p["bias_o"])
        c = f * c + (1 - f) * z
        outputs.append(o * c)
        x_prev = x[:, t]
    return np.stack(outputs, 1), c


@pytest.mark.parametrize("method", SCAN_METHODS)
def test_numpy_equals_the_equations_written_out(method):
    model = rn.QRNN(D, H, method=method, dtype="float64", seed=0)
    x = inputs()
    c0, x0 = np.random.default_rng(2).standard_normal((B, H)), np.random.default_rng(3).standard_normal((B, D))
    outputs, (c, last) = model(x, (c0, x0))
    want, want_c = by_hand(model, x, c0, x0)
    np.testing.assert_allclose(outputs, want, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(c, want_c, rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(last, x[:, -1])


def test_the_gates_are_a_causal_convolution_of_width_two():
    model = rt.QRNN(D, H, dtype="float64", seed=0)
    x = torch.tensor(inputs())
    window = torch.cat([F.pad(x, (0, 0, 1, 0))[:, :-1], x], -1)  # [x_{t-1}; x_t] with x_0 = 0
    kernel = model.weight_f.reshape(H, 2, D).permute(0, 2, 1)  # (H, D, 2): tap 0 reads x_{t-1}
    conv = F.conv1d(F.pad(x.transpose(1, 2), (1, 0)), kernel, model.bias_f).transpose(1, 2)  # (B, T, H)
    linear = F.linear(window, model.weight_f, model.bias_f)
    torch.testing.assert_close(conv, linear, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("module", [rn, rt], ids=["numpy", "torch"])
@pytest.mark.parametrize("method", SCAN_METHODS)
def test_parallel_form_equals_steps_and_chunks(method, module, dtype):
    model = module.QRNN(D, H, method=method, dtype=dtype, seed=0)
    x = inputs(dtype=dtype)
    whole, final = model(x)
    assert to_np(whole).dtype == np.dtype(dtype) and tuple(whole.shape) == (B, T, H)
    state, outputs = None, []
    for t in range(T):
        y, state = model.step(x[:, t], state)
        outputs.append(to_np(y))
    tol = TOL[dtype] * (100 if method == "log" and dtype == "float32" else 1)  # log-space: |b| + 1 scale
    np.testing.assert_allclose(np.stack(outputs, 1), to_np(whole), rtol=tol, atol=tol)
    first, middle = model(x[:, :3])
    second, final2 = model(x[:, 3:], middle)
    np.testing.assert_allclose(np.concatenate([to_np(first), to_np(second)], 1), to_np(whole), rtol=tol, atol=tol)
    for a, b, c in zip(final2, final, state, strict=True):
        np.testing.assert_allclose(to_np(a), to_np(b), rtol=tol, atol=tol)
        np.testing.assert_allclose(to_np(c), to_np(b), rtol=tol, atol=tol)


@pytest.mark.parametrize("bias", [True, False])
def test_torch_equals_numpy_with_the_same_seed(bias):
    x = inputs(dtype="float32")
    ours, (c, last) = rt.QRNN(D, H, bias=bias, seed=4)(x)
    reference, (c_ref, last_ref) = rn.QRNN(D, H, bias=bias, seed=4)(x)
    np.testing.assert_allclose(to_np(ours), reference, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(to_np(c), c_ref, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(to_np(last), last_ref)
    names = ["weight_z", "weight_f", "weight_o"] + (["bias_z", "bias_f", "bias_o"] if bias else [])
    assert list(rt.QRNN(D, H, bias=bias).param_shapes()) == names
    assert rn.QRNN(D, H, bias=bias).param_shapes()["weight_z"] == (H, 2 * D)


def test_torch_gradients_match_finite_differences():
    model = rt.QRNN(D, H, dtype="float64", seed=0)
    x = torch.tensor(inputs(steps=5), requires_grad=True)
    c0 = torch.randn(B, H, dtype=torch.float64, generator=torch.Generator().manual_seed(0), requires_grad=True)
    assert torch.autograd.gradcheck(lambda x, c0: model(x, (c0, torch.zeros(B, D, dtype=torch.float64)))[0],
                                    (x, c0))


@pytest.mark.parametrize("module", [rn, rt], ids=["numpy", "torch"])
def test_errors_name_what_was_expected_and_what_came(module):
    with pytest.raises(ValueError, match=r"QRNN: method must be one of .*got 'fft'"):
        module.QRNN(3, 4, method="fft")
    with pytest.raises(ValueError, match=r"QRNN expected hidden_size to be a positive integer, got 0"):
        module.QRNN(3, 0)
    model = module.QRNN(3, 4, seed=0)
    with pytest.raises(ValueError, match=r"QRNN expected x of shape \(B, T, 3\), got \(2, 5, 2\)"):
        model(np.zeros((2, 5, 2), "float32"))
    with pytest.raises(ValueError, match=r"QRNN expected state to be a tuple \(c, x\), got ndarray"):
        model(np.zeros((2, 5, 3), "float32"), np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"QRNN expected state x of shape \(2, 3\), got \(2, 4\)"):
        model.step(np.zeros((2, 3), "float32"), (np.zeros((2, 4), "float32"), np.zeros((2, 4), "float32")))


def _parameters(function):
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


def test_twins_share_names_signatures_and_equations():
    reference = _parameters(rn.QRNN.__init__)
    assert [p[0] for p in reference] == ["self", "input_size", "hidden_size", "bias", "method", "dtype", "seed"]
    notes = notes_block(rn.QRNN.__doc__)
    assert ".. math::" in notes and "c_t = f_t" in notes
    for framework, module in TWINS.items():
        assert "QRNN" in module.__all__
        assert _parameters(module.QRNN.__init__) == reference, framework
        assert notes_block(module.QRNN.__doc__) == notes, framework
        params = inspect.signature(getattr(module.QRNN, CALL[framework])).parameters
        assert list(params) == ["self", "x", "state"] and params["state"].default is None
        assert list(inspect.signature(module.QRNN.step).parameters) == ["self", "x_t", "state"]
        doc = module.QRNN.__doc__
        for section in ("Parameters", "Shapes", "Notes", "References"):
            assert f"\n    {section}\n" in doc, (framework, section)
        assert f"``{CALL[framework]}(x, state=None)``" in doc, framework


def test_the_equation_check_can_fail():
    altered = rn.QRNN.__doc__.replace("(1 - f_t)", "f_t")
    assert notes_block(altered) != notes_block(rn.QRNN.__doc__)


def test_numpy_module_leaves_frameworks_unimported():
    code = "import sys, rnnlearn.numpy.qrnn; print(','.join(n for n in ('torch', 'tensorflow', 'keras') if n in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("bias", [True, False])
def test_parameter_count_answer_matches_the_layer(bias):
    from rnnlearn.quiz.answers import modern_param_count

    layer = rn.QRNN(5, 7, bias=bias, seed=0)
    assert sum(p.size for p in layer.params.values()) == modern_param_count("QRNN", 5, 7, bias=bias)
    assert modern_param_count("QRNN", 5, 7, bias=bias) == 3 * (2 * 5 * 7 + (7 if bias else 0))
