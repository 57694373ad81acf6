"""The whole models' twins, CharLSTM (chapter 11) and Forecaster (chapter 13): NumPy against PyTorch.

Same names, signatures and equations in all three frameworks; the same seed gives the same weights;
values and gradients (the NumPy twin's hand-written backward pass against autograd) agree; copy_weights
moves trained weights between twins and refuses what does not fit. Keras: test_keras_whole_models.py.
"""

import inspect

import numpy as np
import pytest
import torch

import rnnlearn.keras as rk
import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from rnnlearn.convert import copy_weights, read_weights
from test_twins import notes_block

MODELS = ["CharLSTM", "Forecaster"]
SIZES = {"CharLSTM": ((7, 5, 6), {"num_layers": 2}), "Forecaster": ((2, 6), {"horizon": 3})}


def _parameters(function):
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


def make(module, name, dtype="float64", seed=0):
    args, kwargs = SIZES[name]
    return getattr(module, name)(*args, dtype=dtype, seed=seed, **kwargs)


def inputs(name, dtype="float64", B=3, T=8, seed=0):
    """Model inputs, a random upstream gradient of the outputs and of the final state (h, c)."""
    rng = np.random.default_rng(seed)
    args, kwargs = SIZES[name]
    if name == "CharLSTM":
        x, out, L = rng.integers(0, args[0], (B, T)), args[0], kwargs["num_layers"]
    else:
        x, out, L = rng.standard_normal((B, T, args[0])).astype(dtype), kwargs["horizon"], 1
    H = args[-1]
    d_out = rng.standard_normal((B, T, out)).astype(dtype)
    d_final = tuple(rng.standard_normal((L, B, H)).astype(dtype) for _ in range(2))
    state = tuple(rng.standard_normal((L, B, H)).astype(dtype) for _ in range(2))
    return x, state, d_out, d_final


@pytest.mark.parametrize("name", MODELS)
def test_same_signatures_and_equations(name):
    reference = _parameters(getattr(rn, name).__init__)
    assert _parameters(getattr(rt, name).__init__) == reference
    assert _parameters(getattr(rk, name).__init__) == reference
    assert all(kind == inspect.Parameter.KEYWORD_ONLY for _, kind, _ in reference[-2:])  # dtype, seed
    calls = [getattr(rn, name).__call__, getattr(rt, name).forward, getattr(rk, name).call]
    assert len({tuple(_parameters(f)) for f in calls}) == 1
    notes = notes_block(getattr(rn, name).__doc__)
    assert ".. math::" in notes and "W_{hy} h_t + b_{hy}" in notes
    for module in (rt, rk):
        doc = getattr(module, name).__doc__
        assert notes_block(doc) == notes, module.__name__
        for section in ("Parameters", "Shapes", "Notes", "References"):
            assert f"\n    {section}\n" in doc
        for argument, *_ in reference[1:]:
            assert f"    {argument} :" in doc, (module.__name__, argument)


@pytest.mark.parametrize("name", MODELS)
def test_same_seed_same_weights(name):
    np_model, torch_model = make(rn, name, seed=3), make(rt, name, seed=3)
    np_spec, np_values = read_weights(np_model)
    torch_spec, torch_values = read_weights(torch_model)
    assert np_spec == torch_spec and list(np_values) == list(torch_values)
    for key, value in np_values.items():
        np.testing.assert_array_equal(value, torch_values[key], err_msg=key)
    other = read_weights(make(rn, name, seed=4))[1]
    assert not np.array_equal(other["head.weight"], np_values["head.weight"])


@pytest.mark.parametrize("name", MODELS)
def test_numpy_backward_matches_torch_autograd(name):
    np_model, torch_model = make(rn, name), make(rt, name)
    x, state, d_out, d_final = inputs(name)
    out_np, final_np = np_model(x, state)
    grads_np = np_model.backward(d_out, d_final)

    x_t = torch.tensor(x, requires_grad=name == "Forecaster")
    state_t = tuple(torch.tensor(s, requires_grad=True) for s in state)
    out_t, final_t = torch_model(x_t, state_t)
    loss = (out_t * torch.from_numpy(d_out)).sum() + sum((f * torch.from_numpy(d)).sum() for f, d in zip(final_t, d_final))
    loss.backward()

    np.testing.assert_allclose(out_np, out_t.detach().numpy(), rtol=1e-10, atol=1e-10)
    for a, b in zip(final_np, final_t, strict=True):
        np.testing.assert_allclose(a, b.detach().numpy(), rtol=1e-10, atol=1e-10)
    named = dict(torch_model.named_parameters())
    assert set(named) == {k for k in grads_np if k not in ("x", "state")}
    for key, param in named.items():
        np.testing.assert_allclose(grads_np[key], param.grad.numpy(), rtol=1e-9, atol=1e-10, err_msg=key)
    for a, b in zip(grads_np["state"], state_t, strict=True):
        np.testing.assert_allclose(a, b.grad.numpy(), rtol=1e-9, atol=1e-10)
    if name == "Forecaster":
        np.testing.assert_allclose(grads_np["x"], x_t.grad.numpy(), rtol=1e-9, atol=1e-10)


def test_numpy_charlstm_embedding_gradient_adds_repeated_characters():
    model = rn.CharLSTM(4, 3, 5, dtype="float64", seed=0)
    model(np.array([[2, 2, 2]]))
    grads = model.backward(np.ones((1, 3, 4)))
    assert np.all(grads["embed.weight"][[0, 1, 3]] == 0) and np.any(grads["embed.weight"][2] != 0)


@pytest.mark.parametrize("name", MODELS)
def test_copy_weights_between_twins(name):
    trained = make(rt, name, dtype="float32", seed=0)
    with torch.no_grad():  # weights no seed would give
        for p in trained.parameters():
            p.add_(0.1)
    np_model = copy_weights(trained, make(rn, name, dtype="float32", seed=1))
    x, state, _, _ = inputs(name, "float32")
    with torch.no_grad():
        expected = trained(x, state)[0].numpy()
    np.testing.assert_allclose(np_model(x, state)[0], expected, rtol=1e-5, atol=1e-5)
    back = copy_weights(np_model, make(rt, name, dtype="float32", seed=2))
    for (key, p), (_, q) in zip(trained.named_parameters(), back.named_parameters(), strict=True):
        torch.testing.assert_close(p, q, rtol=0, atol=0, msg=key)


def test_copy_weights_refuses_what_does_not_fit():
    with pytest.raises(ValueError, match=r"expected embed.weight of shape \(8, 5\), got \(7, 5\)"):
        copy_weights(rt.CharLSTM(7, 5, 6, seed=0), rn.CharLSTM(8, 5, 6, seed=0))
    with pytest.raises(ValueError, match="copies only into a twin of the same model"):
        copy_weights(rt.Forecaster(5, 6, seed=0), rn.CharLSTM(7, 5, 6, seed=0))
    with pytest.raises(ValueError, match="copies only into a twin of the same model"):
        copy_weights(rn.Forecaster(5, 6, seed=0), rn.LSTM(5, 6, seed=0))
    with pytest.raises(ValueError, match=r"expected head.weight of shape \(2, 6\), got \(1, 6\)"):
        copy_weights(rn.Forecaster(5, 6, seed=0), rt.Forecaster(5, 6, horizon=2, seed=0))


def test_numpy_twins_check_their_inputs():
    model = rn.CharLSTM(7, 5, 6, seed=0)
    with pytest.raises(ValueError, match=r"CharLSTM expected integer ids in \[0, 7\), got dtype int64 with values in \[-1, 3\]"):
        model(np.array([[3, -1]]))
    with pytest.raises(ValueError, match="got dtype float64"):
        model(np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"CharLSTM expected ids of shape \(B, T\), got \(4,\)"):
        model(np.arange(4))
    with pytest.raises(ValueError, match="backward called before a forward call"):
        rn.Forecaster(1, 4, seed=0).backward(np.zeros((1, 2, 1)))
    forecaster = rn.Forecaster(1, 4, seed=0)
    forecaster(np.zeros((2, 3, 1)))
    with pytest.raises(ValueError, match=r"Forecaster.backward expected d_predictions of shape \(2, 3, 1\), got \(2, 3\)"):
        forecaster.backward(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="Forecaster expected hidden_size to be a positive integer, got 2.5"):
        rn.Forecaster(1, 2.5)
