"""linear_scan in Keras: every method (and keras.ops.associative_scan) equals the NumPy loop, the
gradients equal PyTorch's, it runs inside tf.function, and bad arguments get clear messages.
Run under TensorFlow and again under KERAS_BACKEND=torch (the keras-torch stage)."""

import keras
import numpy as np
import pytest
import torch
from keras import ops

from rnnlearn.keras.scan import linear_scan as scan_k
from rnnlearn.keras.scan import log_space_scan as log_scan_k
from rnnlearn.torch.scan import linear_scan as scan_t
from test_scan import LENGTHS, LOG_TOL_FLOAT32, TOL, loop, problem

BACKEND = keras.backend.backend()
METHODS = ["sequential", "hillis_steele", "blelloch", "log", "associative"]
# Keras 3.15 computes cumsum, logaddexp and associative_scan in float32 on backends other than
# TensorFlow (it maps float64 to float32, as JAX does by default): float32 tolerances there.
FLOAT32_ONLY = {"log", "associative"} if BACKEND != "tensorflow" else set()


def tolerance(method, dtype):
    if method == "log" and (dtype == "float32" or method in FLOAT32_ONLY):
        return LOG_TOL_FLOAT32
    return TOL["float32"] if method in FLOAT32_ONLY else TOL[dtype]


def as_numpy(x):
    return np.asarray(ops.convert_to_numpy(x))


@pytest.mark.parametrize("T", LENGTHS)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_keras_methods_equal_the_loop(method, T, dtype):
    a, b, h0 = problem(T, dtype, seed=T)
    h = scan_k(a, b, h0, method=method)
    assert tuple(h.shape) == b.shape and keras.backend.standardize_dtype(h.dtype) == dtype
    tol = tolerance(method, dtype)
    np.testing.assert_allclose(as_numpy(h), loop(a, b, h0), rtol=tol, atol=tol)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("a_shape", [(1, 9, 4), (3, 9, 1)])
def test_keras_broadcast_and_trailing_axes(method, a_shape):
    a, b, _ = problem(9, a_shape=a_shape)
    tol = tolerance(method, "float64")
    np.testing.assert_allclose(as_numpy(scan_k(a, b, method=method)), loop(a, b, np.zeros((3, 4))), rtol=tol, atol=tol)
    a, b, h0 = problem(6, features=(2, 3))
    np.testing.assert_allclose(as_numpy(scan_k(a, b, h0, method=method)), loop(a, b, h0), rtol=tol, atol=tol)


def keras_gradients(method, a, b, h0, weights):
    variables = [ops.convert_to_tensor(v) for v in (a, b, h0)]
    if BACKEND == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(variables)
            loss = ops.sum(scan_k(*variables, method=method) * weights)
        return [g.numpy() for g in tape.gradient(loss, variables)]
    if BACKEND == "torch":
        for v in variables:
            v.requires_grad_(True)
        loss = ops.sum(scan_k(*variables, method=method) * ops.convert_to_tensor(weights))
        return [g.numpy() for g in torch.autograd.grad(loss, variables)]
    pytest.skip(f"no gradient helper for backend {BACKEND}")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("T", [1, 7, 64])
def test_keras_gradients_equal_torch(method, T):
    a, b, h0 = problem(T, seed=20 + T)
    weights = np.random.default_rng(T).standard_normal(b.shape)
    ta, tb, th0 = (torch.tensor(v, requires_grad=True) for v in (a, b, h0))
    (scan_t(ta, tb, th0, method="sequential") * torch.tensor(weights)).sum().backward()
    tol = 1e-9 if method not in FLOAT32_ONLY else 1e-4
    for name, got, want in zip("a b h0".split(), keras_gradients(method, a, b, h0, weights), (ta.grad, tb.grad, th0.grad)):
        np.testing.assert_allclose(got, want.numpy(), rtol=tol, atol=tol, err_msg=f"{method}: d{name}")


@pytest.mark.skipif(BACKEND != "tensorflow", reason="tf.function is TensorFlow's")
@pytest.mark.parametrize("method", METHODS)
def test_keras_scan_inside_tf_function(method):
    import tensorflow as tf

    a, b, h0 = problem(10, "float32", seed=2)
    h = tf.function(lambda a, b, h0: scan_k(a, b, h0, method=method))(a, b, h0)
    tol = LOG_TOL_FLOAT32 if method == "log" else TOL["float32"]
    np.testing.assert_allclose(h.numpy(), loop(a, b, h0), rtol=tol, atol=tol)


def test_keras_log_space_scan_returns_log_h():
    a, b, h0 = problem(20, seed=5)
    b, h0 = np.abs(b) + 0.1, np.abs(h0) + 0.1
    tol = 1e-4 if FLOAT32_ONLY else 1e-10
    got = as_numpy(log_scan_k(np.log(a), np.log(b), np.log(h0)))
    np.testing.assert_allclose(got, np.log(loop(a, b, h0)), rtol=tol, atol=tol)


def test_keras_errors():
    a, b, h0 = problem(4)
    with pytest.raises(ValueError, match=r"expected method to be one of \('sequential', 'hillis_steele', 'blelloch', "
                                         r"'log', 'associative'\), got 'fast'"):
        scan_k(a, b, method="fast")
    with pytest.raises(ValueError, match=r"expected a of shape \(3, 4, 4\) .* got \(3, 5, 4\)"):
        scan_k(problem(5)[0], b)
    with pytest.raises(ValueError, match=r"expected h0 of shape \(3, 4\) .* got \(4,\)"):
        scan_k(a, b, h0[0])
    a[0, 0, 0] = -0.5
    with pytest.raises(ValueError, match=r"expected a > 0 everywhere .* got min\(a\) = -0.5"):
        scan_k(a, b, method="log")
