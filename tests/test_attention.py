"""Additive and multiplicative attention: the NumPy oracle against the formulas, the PyTorch twin against the
oracle (values, and gradients against finite differences), shared signatures, docstring equations and errors.
The Keras twin is checked in ``test_keras_attention.py``."""

import inspect
import subprocess
import sys

import numpy as np
import pytest
import torch

import rnnlearn.keras as rk
import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from rnnlearn.attention_layout import attention_param_shapes
from test_twins import notes_block

NAMES = ["AdditiveAttention", "MultiplicativeAttention"]
TOL = {"float64": 1e-10, "float32": 1e-5}
Q, K, A, B, T = 5, 4, 6, 3, 7


def make(module, name, dtype="float64", seed=0, query_size=Q, key_size=K):
    extra = {"attention_size": A} if name == "AdditiveAttention" else {}
    return getattr(module, name)(query_size, key_size, dtype=dtype, seed=seed, **extra)


def inputs(dtype, seed=0):
    rng = np.random.default_rng(seed)
    query = rng.standard_normal((B, Q)).astype(dtype)
    keys = rng.standard_normal((B, T, K)).astype(dtype)
    r_context, r_weights = rng.standard_normal((B, K)), rng.standard_normal((B, T))  # loss weights
    return query, keys, r_context, r_weights


def torch_params(module):
    return {name: p.detach().cpu().numpy().copy() for name, p in module.named_parameters()}


def torch_run(module, query, keys, lengths, r_context, r_weights):
    """Values and gradients of loss = sum(r_context * context) + sum(r_weights * weights)."""
    query, keys = torch.tensor(query, requires_grad=True), torch.tensor(keys, requires_grad=True)
    context, weights = module(query, keys, lengths)
    loss = (context * torch.as_tensor(r_context, dtype=context.dtype)).sum() + \
        (weights * torch.as_tensor(r_weights, dtype=weights.dtype)).sum()
    loss.backward()
    grads = {name: p.grad.numpy() for name, p in module.named_parameters()}
    grads.update(query=query.grad.numpy(), keys=keys.grad.numpy())
    return [context.detach().numpy(), weights.detach().numpy()], grads


def by_hand(name, params, query, keys):
    """The scores written out one (b, j) pair at a time, from the docstring's equations."""
    scores = np.zeros(keys.shape[:2])
    for b in range(keys.shape[0]):
        for j in range(keys.shape[1]):
            if name == "AdditiveAttention":
                hidden = np.tanh(params["weight_query"] @ query[b] + params["weight_key"] @ keys[b, j])
                scores[b, j] = params["weight_v"] @ hidden
            else:
                scores[b, j] = query[b] @ params["weight"] @ keys[b, j]
    return scores


@pytest.mark.parametrize("name", NAMES)
def test_numpy_oracle_follows_the_equations(name):
    query, keys, *_ = inputs("float64")
    attention = make(rn, name)
    context, weights = attention(query, keys)
    scores = by_hand(name, attention.params, query, keys)
    expected = np.exp(scores) / np.exp(scores).sum(1, keepdims=True)
    np.testing.assert_allclose(weights, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(context, (expected[..., None] * keys).sum(1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(weights.sum(1), np.ones(B), rtol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_padding_keys_get_zero_weight_and_change_nothing(name):
    query, keys, *_ = inputs("float64")
    lengths = np.array([7, 3, 1])
    attention = make(rn, name)
    context, weights = attention(query, keys, lengths)
    for b, n in enumerate(lengths):
        assert (weights[b, n:] == 0).all()
        alone_context, alone_weights = attention(query[b:b + 1], keys[b:b + 1, :n])  # the padding cut off
        np.testing.assert_allclose(weights[b:b + 1, :n], alone_weights, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(context[b:b + 1], alone_context, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(context[2], keys[2, 0], rtol=1e-12)  # one key: weight 1, context = that key


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_weights(name):
    a, b = make(rn, name, "float32", seed=4), make(rt, name, "float32", seed=4)
    shapes = attention_param_shapes("additive" if name == "AdditiveAttention" else "multiplicative", Q, K, A)
    assert list(a.params) == list(torch_params(b)) == list(shapes)
    for key, value in a.params.items():
        assert value.shape == shapes[key] and value.dtype == np.float32
        np.testing.assert_array_equal(value, torch_params(b)[key])
    assert not np.array_equal(next(iter(make(rn, name, seed=5).params.values())), next(iter(a.params.values())))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("lengths", [None, [7, 3, 1]])
@pytest.mark.parametrize("name", NAMES)
def test_torch_twin_with_copied_weights_matches_numpy(name, lengths, dtype):
    query, keys, *_ = inputs(dtype, seed=1)
    torch_attention = make(rt, name, dtype, seed=2)
    numpy_attention = make(rn, name, dtype, seed=3)
    numpy_attention.params = torch_params(torch_attention)  # torch's weights into the oracle
    expected = numpy_attention(query, keys, lengths)
    with torch.no_grad():
        got = torch_attention(query, keys, lengths)
    for e, g in zip(expected, got, strict=True):
        assert g.dtype == getattr(torch, dtype)
        np.testing.assert_allclose(g.numpy(), e, rtol=TOL[dtype], atol=TOL[dtype])


def numeric_grads(attention, query, keys, lengths, r_context, r_weights, eps=1e-6):
    """Central differences of the NumPy forward (float64) for every parameter entry, the query and the keys."""
    def loss():
        context, weights = attention(query, keys, lengths)
        return float(np.sum(r_context * context) + np.sum(r_weights * weights))

    grads = {}
    for name, array in list(attention.params.items()) + [("query", query), ("keys", keys)]:
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


@pytest.mark.parametrize("lengths", [None, [7, 3, 1]])
@pytest.mark.parametrize("name", NAMES)
def test_torch_gradients_match_finite_differences_of_the_oracle(name, lengths):
    query, keys, r_context, r_weights = inputs("float64", seed=2)
    torch_attention = make(rt, name, seed=6)
    _, grads = torch_run(torch_attention, query, keys, lengths, r_context, r_weights)
    numpy_attention = make(rn, name, seed=0)
    numpy_attention.params = torch_params(torch_attention)
    numeric = numeric_grads(numpy_attention, query.copy(), keys.copy(), lengths, r_context, r_weights)
    assert sorted(grads) == sorted(numeric)
    for key in grads:
        np.testing.assert_allclose(grads[key], numeric[key], rtol=1e-6, atol=1e-8, err_msg=key)
    if lengths is not None:  # padding keys receive no gradient
        assert (grads["keys"][1, 3:] == 0).all() and (grads["keys"][2, 1:] == 0).all()


def test_the_gradient_check_can_fail():
    query, keys, r_context, r_weights = inputs("float64", seed=2)
    torch_attention = make(rt, "AdditiveAttention", seed=6)
    _, grads = torch_run(torch_attention, query, keys, None, r_context, r_weights)
    numpy_attention = make(rn, "AdditiveAttention", seed=0)
    numpy_attention.params = torch_params(torch_attention)
    numeric = numeric_grads(numpy_attention, query.copy(), keys.copy(), None, r_context, 2 * r_weights)
    assert not np.allclose(grads["weight_v"], numeric["weight_v"], rtol=1e-6, atol=1e-8)


def test_dot_score_is_multiplicative_with_the_identity():
    query, keys, *_ = inputs("float64")
    attention = make(rn, "MultiplicativeAttention", query_size=K, key_size=K)
    attention.params["weight"] = np.eye(K)
    _, weights = attention(query[:, :K], keys)
    scores = np.einsum("bk,btk->bt", query[:, :K], keys)
    np.testing.assert_allclose(weights, np.exp(scores) / np.exp(scores).sum(1, keepdims=True), rtol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_same_signatures_in_the_three_twins(name):
    reference = inspect.signature(getattr(rn, name).__init__)
    assert inspect.signature(getattr(rt, name).__init__) == reference
    keras_params = [p for p in inspect.signature(getattr(rk, name).__init__).parameters.values()
                    if p.kind != p.VAR_KEYWORD]
    assert keras_params == list(reference.parameters.values())
    assert list(reference.parameters)[:3] == ["self", "query_size", "key_size"]
    for call in (getattr(rn, name).__call__, getattr(rt, name).forward, getattr(rk, name).call):
        params = inspect.signature(call).parameters
        assert list(params) == ["self", "query", "keys", "lengths"] and params["lengths"].default is None


@pytest.mark.parametrize("name", NAMES)
def test_same_equations_and_template_in_the_docstrings(name):
    reference = notes_block(getattr(rn, name).__doc__)
    assert ".. math::" in reference and "\\alpha_j" in reference
    for module in (rn, rt, rk):
        doc = getattr(module, name).__doc__
        assert notes_block(doc) == reference, module.__name__
        for section in ("Parameters", "Shapes", "Notes", "References"):
            assert f"\n    {section}\n" in doc, (module.__name__, section)
        for argument in inspect.signature(getattr(rn, name).__init__).parameters:
            if argument != "self":
                assert f"    {argument} :" in doc, (module.__name__, argument)
    assert notes_block(rn.AdditiveAttention.__doc__) != notes_block(rn.MultiplicativeAttention.__doc__)


@pytest.mark.parametrize("module", [rn, rt], ids=["numpy", "torch"])
@pytest.mark.parametrize("name", NAMES)
def test_bad_inputs_raise_errors_that_name_both_shapes(module, name):
    attention = make(module, name)
    query, keys, *_ = inputs("float64")
    cases = [
        ((query[:, :3], keys, None), r"expected query of shape \(B, 5\), got \(3, 3\)"),
        ((query, keys[..., :2], None), r"expected keys of shape \(3, T, 4\), got \(3, 7, 2\)"),
        ((query, keys[:2], None), r"expected keys of shape \(3, T, 4\), got \(2, 7, 4\)"),
        ((query, keys[0], None), r"expected keys of shape \(3, T, 4\), got \(7, 4\)"),
        ((query, keys, np.array([7, 3])), r"expected lengths of shape \(3,\), got \(2,\)"),
        ((query, keys, np.array([7, 0, 1])), r"expected lengths to be integers in \[1, 7\], got \[7, 0, 1\]"),
        ((query, keys, np.array([8, 3, 1])), r"expected lengths to be integers in \[1, 7\], got \[8, 3, 1\]"),
        ((query, keys, np.array([7.0, 3.0, 1.0])), r"expected integer lengths, got dtype .*float64"),
    ]
    for args, message in cases:
        with pytest.raises(ValueError, match=f"^{name} {message}"):
            attention(*args)


@pytest.mark.parametrize("module", [rn, rt, rk], ids=["numpy", "torch", "keras"])
def test_bad_constructor_arguments(module):
    with pytest.raises(ValueError, match=r"AdditiveAttention expected attention_size to be a positive integer, got 0"):
        module.AdditiveAttention(3, 4, attention_size=0)
    with pytest.raises(ValueError, match=r"MultiplicativeAttention expected key_size to be a positive integer, got 2.5"):
        module.MultiplicativeAttention(3, 2.5)
    with pytest.raises(ValueError, match=r"dtype must be 'float32' or 'float64', got 'int8'"):
        module.MultiplicativeAttention(3, 4, dtype="int8")
    with pytest.raises(TypeError):
        module.AdditiveAttention(3, 4)  # attention_size has no default


def test_the_layout_module_imports_no_framework():
    code = ("import sys; import rnnlearn.attention_layout, rnnlearn.numpy.attention; "
            "print(','.join(n for n in ('torch', 'tensorflow', 'keras') if n in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
