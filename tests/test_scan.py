"""linear_scan in NumPy and PyTorch: every method equals the loop, the twins agree, the gradients agree,
and bad arguments get a message naming what was expected and what came."""

import numpy as np
import pytest
import torch

from rnnlearn.numpy.scan import linear_scan as scan_np
from rnnlearn.numpy.scan import log_space_scan as log_scan_np
from rnnlearn.torch.scan import linear_scan as scan_t
from rnnlearn.torch.scan import log_space_scan as log_scan_t

LINEAR = ["hillis_steele", "blelloch"]
METHODS = ["sequential"] + LINEAR + ["log"]
LENGTHS = [1, 2, 3, 7, 64, 100]
TOL = {"float64": 1e-10, "float32": 1e-5}
LOG_TOL_FLOAT32 = 1e-4  # log-space rounding grows with T (see the docstring); measured 2e-5 to 4e-5 at T = 100, 5 seeds


def problem(T, dtype="float64", B=3, features=(4,), seed=0, a_shape=None):
    """Coefficients in (0.5, 1) (long memory, so errors can pile up), inputs and h0 of both signs."""
    rng = np.random.default_rng(seed)
    shape = (B, T) + features
    a = rng.uniform(0.5, 1.0, a_shape or shape).astype(dtype)
    b = rng.standard_normal(shape).astype(dtype)
    h0 = rng.standard_normal((B,) + features).astype(dtype)
    return a, b, h0


def loop(a, b, h0):
    """The recurrence written out in the plainest way: the oracle of every method."""
    a = np.broadcast_to(a, b.shape)
    h, out = h0.astype(np.float64), np.zeros(b.shape)
    for t in range(b.shape[1]):
        h = a[:, t] * h + b[:, t]
        out[:, t] = h
    return out


@pytest.mark.parametrize("T", LENGTHS)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_numpy_methods_equal_the_loop(method, T, dtype):
    a, b, h0 = problem(T, dtype, seed=T)
    h = scan_np(a, b, h0, method=method)
    assert h.shape == b.shape and h.dtype == np.dtype(dtype)
    tol = LOG_TOL_FLOAT32 if (method, dtype) == ("log", "float32") else TOL[dtype]
    np.testing.assert_allclose(h, loop(a, b, h0), rtol=tol, atol=tol)


@pytest.mark.parametrize("T", LENGTHS)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_torch_methods_equal_numpy(method, T, dtype):
    a, b, h0 = problem(T, dtype, seed=T)
    h = scan_t(torch.tensor(a), torch.tensor(b), torch.tensor(h0), method=method)
    assert h.shape == b.shape and h.dtype == getattr(torch, dtype)
    tol = LOG_TOL_FLOAT32 if (method, dtype) == ("log", "float32") else TOL[dtype]
    np.testing.assert_allclose(h.numpy(), loop(a, b, h0), rtol=tol, atol=tol)
    np.testing.assert_allclose(h.numpy(), scan_np(a, b, h0, method=method), rtol=tol, atol=tol)


@pytest.mark.parametrize("method", METHODS)
def test_loop_check_can_fail(method):
    """A wrong h0 or a flipped time axis changes the answer: the tests above compare real numbers."""
    a, b, h0 = problem(7)
    assert not np.allclose(scan_np(a, b, 0 * h0, method=method), loop(a, b, h0))
    assert not np.allclose(scan_np(a[:, ::-1], b[:, ::-1], h0, method=method), loop(a, b, h0))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("a_shape", [(1, 9, 4), (3, 9, 1), (1, 9, 1)])
def test_broadcast_coefficients_and_zero_h0(method, a_shape):
    a, b, _ = problem(9, a_shape=a_shape)
    expected = loop(a, b, np.zeros((3, 4)))
    np.testing.assert_allclose(scan_np(a, b, method=method), expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(scan_t(torch.tensor(a), torch.tensor(b), method=method).numpy(), expected,
                               rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("features", [(), (2, 3)])
def test_any_number_of_trailing_axes(method, features):
    a, b, h0 = problem(11, features=features)
    np.testing.assert_allclose(scan_np(a, b, h0, method=method), loop(a, b, h0), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(scan_t(torch.tensor(a), torch.tensor(b), torch.tensor(h0), method=method).numpy(),
                               loop(a, b, h0), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("method", ["sequential"] + LINEAR)
def test_complex_coefficients(method):
    """The linear-space methods take complex numbers (the LRU's diagonal recurrence)."""
    rng = np.random.default_rng(1)
    a = 0.9 * np.exp(1j * rng.uniform(0, np.pi, (2, 13, 3)))
    b = rng.standard_normal((2, 13, 3)) + 1j * rng.standard_normal((2, 13, 3))
    h0 = rng.standard_normal((2, 3)) + 0j
    expected = np.zeros(b.shape, complex)
    h = h0
    for t in range(13):
        h = a[:, t] * h + b[:, t]
        expected[:, t] = h
    np.testing.assert_allclose(scan_np(a, b, h0, method=method), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(scan_t(torch.tensor(a), torch.tensor(b), torch.tensor(h0), method=method).numpy(),
                               expected, rtol=1e-12, atol=1e-12)


def torch_gradients(method, a, b, h0, weights):
    a, b, h0 = (torch.tensor(v, requires_grad=True) for v in (a, b, h0))
    loss = (scan_t(a, b, h0, method=method) * torch.tensor(weights)).sum()
    loss.backward()
    return [v.grad.numpy() for v in (a, b, h0)]


@pytest.mark.parametrize("T", [1, 2, 7, 64])
def test_torch_gradients_of_every_method_agree(T):
    a, b, h0 = problem(T, seed=10 + T)
    weights = np.random.default_rng(T).standard_normal(b.shape)
    reference = torch_gradients("sequential", a, b, h0, weights)
    assert np.abs(reference[0]).max() > 0  # h0 != 0, so even T = 1 has a gradient with respect to a
    for method in LINEAR + ["log"]:
        for name, got, want in zip("a b h0".split(), torch_gradients(method, a, b, h0, weights), reference):
            np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9, err_msg=f"{method}: d{name}")


def test_log_gradient_where_b_is_zero():
    """The offset b+ = max(b, 0) + 1 keeps every log finite, so entries of b equal to 0 get their gradient too."""
    a, b, h0 = problem(16, seed=3)
    b[:, ::3] = 0.0
    h0[:] = 0.0
    weights = np.ones(b.shape)
    for got, want in zip(torch_gradients("log", a, b, h0, weights), torch_gradients("sequential", a, b, h0, weights)):
        assert np.isfinite(got).all()
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


def test_torch_scan_passes_gradcheck():
    a, b, h0 = problem(5, B=2, features=(2,), seed=4)
    inputs = tuple(torch.tensor(v, requires_grad=True) for v in (a, b, h0))
    for method in METHODS:
        assert torch.autograd.gradcheck(lambda *args: scan_t(*args, method=method), inputs)


def test_log_space_scan_returns_log_h():
    a, b, h0 = problem(20, seed=5)
    b, h0 = np.abs(b) + 0.1, np.abs(h0) + 0.1
    expected = np.log(loop(a, b, h0))
    np.testing.assert_allclose(log_scan_np(np.log(a), np.log(b), np.log(h0)), expected, rtol=1e-10, atol=1e-10)
    got = log_scan_t(torch.tensor(np.log(a)), torch.tensor(np.log(b)), torch.tensor(np.log(h0)))
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(log_scan_np(np.log(a), np.log(b)), np.log(loop(a, b, 0 * h0)), rtol=1e-10, atol=1e-10)


# --- errors ------------------------------------------------------------------------------------------

SCANS = [("numpy", scan_np, np.asarray), ("torch", scan_t, torch.tensor)]


@pytest.mark.parametrize("framework, scan, convert", SCANS)
def test_unknown_method(framework, scan, convert):
    a, b, h0 = problem(4)
    with pytest.raises(ValueError, match=r"expected method to be one of \('sequential', 'hillis_steele', 'blelloch', "
                                         r"'log'\), got 'fast'"):
        scan(convert(a), convert(b), method="fast")


@pytest.mark.parametrize("framework, scan, convert", SCANS)
def test_mismatched_shapes(framework, scan, convert):
    a, b, h0 = problem(4)
    with pytest.raises(ValueError, match=r"expected a of shape \(3, 4, 4\) .* got \(3, 5, 4\)"):
        scan(convert(problem(5)[0]), convert(b))
    with pytest.raises(ValueError, match=r"expected a of shape \(3, 4, 4\) .* got \(4, 4\)"):
        scan(convert(a[0]), convert(b))
    with pytest.raises(ValueError, match=r"expected h0 of shape \(3, 4\) .* got \(3, 4, 4\)"):
        scan(convert(a), convert(b), convert(b[:, 0:4]))
    with pytest.raises(ValueError, match=r"expected b of shape \(B, T, \.\.\.\) with at least 2 axes, got \(4,\)"):
        scan(convert(a[0, 0]), convert(b[0, 0]))


@pytest.mark.parametrize("framework, scan, convert", SCANS)
@pytest.mark.parametrize("bad", [0.0, -0.3])
def test_log_needs_positive_coefficients(framework, scan, convert, bad):
    a, b, h0 = problem(4)
    a[1, 2, 3] = bad
    with pytest.raises(ValueError, match=rf"expected a > 0 everywhere .* got min\(a\) = {bad:g}"):
        scan(convert(a), convert(b), method="log")
    scan(convert(a), convert(b), method="blelloch")  # the linear-space methods take any a


@pytest.mark.parametrize("framework, scan, convert", SCANS)
def test_log_rejects_complex(framework, scan, convert):
    a = np.full((1, 3, 2), 0.5 + 0.1j)
    with pytest.raises(ValueError, match=r"expected real a and b, got dtype .*complex128"):
        scan(convert(a), convert(a), method="log")
