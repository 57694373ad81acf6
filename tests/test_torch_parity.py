"""The PyTorch twins against the NumPy oracle (values and gradients) and against torch.nn through copy_weights."""

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings

import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from rnnlearn.convert import copy_weights
from test_numpy_golden import GOLDEN, LENGTHS, final_h, golden_input, golden_numpy
from test_numpy_layers import VARIANTS, as_tuple, layer_configs, make_inputs

TOL = {"float64": 1e-10, "float32": 1e-5}


def run_torch(layer, x, state, lengths, d_out, d_final):
    """Forward, then backward of sum(d_out * outputs) + sum(d_final * final_state): values and gradients as NumPy."""
    x = torch.tensor(x, requires_grad=True)
    states = None if state is None else tuple(torch.tensor(s, requires_grad=True) for s in as_tuple(state))
    outputs, final = layer(x, None if states is None else (states if len(states) == 2 else states[0]), lengths)
    loss = (outputs * torch.as_tensor(d_out)).sum()
    loss = loss + sum((f * torch.as_tensor(q)).sum() for f, q in zip(as_tuple(final), as_tuple(d_final)))
    loss.backward()
    grads = {n: (torch.zeros_like(p) if p.grad is None else p.grad).numpy() for n, p in layer.named_parameters()}
    grads["x"] = x.grad.numpy()
    if states is not None:
        grads["state"] = tuple(s.grad.numpy() for s in states)
    values = [outputs.detach().numpy()] + [f.detach().numpy() for f in as_tuple(final)]
    return values, grads


def run_numpy(layer, x, state, lengths, d_out, d_final):
    outputs, final = layer(x, state, lengths)
    grads = layer.backward(d_out, d_final)
    grads["state"] = as_tuple(grads["state"])
    return [outputs] + list(as_tuple(final)), grads


def assert_same(values_a, grads_a, values_b, grads_b, tol, with_state):
    for a, b in zip(values_a, values_b, strict=True):
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)
    names = [k for k in grads_a if k != "state"]
    assert sorted(names) == sorted(k for k in grads_b if k != "state")
    for name in names:
        np.testing.assert_allclose(grads_a[name], grads_b[name], rtol=tol, atol=tol, err_msg=name)
    if with_state:
        for a, b in zip(as_tuple(grads_a["state"]), as_tuple(grads_b["state"]), strict=True):
            np.testing.assert_allclose(a, b, rtol=tol, atol=tol, err_msg="state")


def twins(cfg, dtype, seed=0):
    np_layer = getattr(rn, cfg["name"])(cfg["D"], cfg["H"], dtype=dtype, seed=seed, **cfg["kwargs"])
    torch_layer = getattr(rt, cfg["name"])(cfg["D"], cfg["H"], dtype=dtype, seed=seed, **cfg["kwargs"])
    return np_layer, torch_layer


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@settings(max_examples=25, deadline=None)
@given(cfg=layer_configs())
def test_torch_twin_matches_numpy(cfg, dtype):
    np_layer, torch_layer = twins(cfg, dtype, seed=cfg["seed"])  # same seed: same initial weights
    inputs = make_inputs(cfg, dtype)
    values_np, grads_np = run_numpy(np_layer, inputs[0], inputs[1], cfg["lengths"], *inputs[2:])
    values_t, grads_t = run_torch(torch_layer, inputs[0], inputs[1], cfg["lengths"], *inputs[2:])
    assert_same(values_t, grads_t, values_np, grads_np, TOL[dtype], cfg["with_state"])


@settings(max_examples=25, deadline=None)
@given(cfg=layer_configs())
def test_fused_and_builtin_match_the_twin(cfg):
    assume(not (cfg["name"] == "GRU" and not cfg["kwargs"]["reset_after"]))
    kwargs = {k: v for k, v in cfg["kwargs"].items() if k not in ("reset_after",)}
    twin = getattr(rt, cfg["name"])(cfg["D"], cfg["H"], dtype="float64", seed=1, **cfg["kwargs"])
    fused = copy_weights(twin, getattr(rt, cfg["name"])(cfg["D"], cfg["H"], dtype="float64", fused=True, seed=2, **cfg["kwargs"]))
    builtin = copy_weights(twin, getattr(torch.nn, cfg["name"])(cfg["D"], cfg["H"], batch_first=True, dtype=torch.float64, **kwargs))
    inputs = make_inputs(cfg)
    values_t, grads_t = run_torch(twin, inputs[0], inputs[1], cfg["lengths"], *inputs[2:])
    values_f, grads_f = run_torch(fused, inputs[0], inputs[1], cfg["lengths"], *inputs[2:])
    assert_same(values_f, grads_f, values_t, grads_t, 1e-10, cfg["with_state"])
    # torch.nn itself: packed sequences for lengths, outputs padded with zeros
    x = torch.as_tensor(inputs[0])
    hx = None if inputs[1] is None else (tuple(torch.as_tensor(s) for s in inputs[1]) if cfg["name"] == "LSTM" else torch.as_tensor(inputs[1]))
    if cfg["lengths"] is None:
        outputs, final = builtin(x, hx)
    else:
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, torch.as_tensor(cfg["lengths"]), batch_first=True, enforce_sorted=False)
        outputs, final = builtin(packed, hx)
        outputs = torch.nn.utils.rnn.pad_packed_sequence(outputs, batch_first=True, total_length=cfg["T"])[0]
    for a, b in zip([outputs] + list(as_tuple(final)), values_t, strict=True):
        np.testing.assert_allclose(a.detach().numpy(), b, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("name,kwargs", VARIANTS)
def test_cells_match_numpy_and_builtin_cells(name, kwargs):
    np_cell = getattr(rn, name + "Cell")(3, 4, dtype="float64", seed=3, **kwargs)
    t_cell = getattr(rt, name + "Cell")(3, 4, dtype="float64", seed=3, **kwargs)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3))
    state = tuple(rng.standard_normal((2, 4)) for _ in range(2 if name == "LSTM" else 1))
    state = state if name == "LSTM" else state[0]
    h_np, s_np = np_cell(x, state)
    h_t, s_t = t_cell(torch.as_tensor(x), tuple(map(torch.as_tensor, state)) if name == "LSTM" else torch.as_tensor(state))
    np.testing.assert_allclose(h_t.detach().numpy(), h_np, rtol=0, atol=1e-12)
    for a, b in zip(as_tuple(s_t), as_tuple(s_np)):
        np.testing.assert_allclose(a.detach().numpy(), b, rtol=0, atol=1e-12)
    if kwargs.get("reset_after", True):
        extra = {"nonlinearity": kwargs["nonlinearity"]} if name == "RNN" else {}
        builtin = copy_weights(np_cell, getattr(torch.nn, name + "Cell")(3, 4, dtype=torch.float64, **extra))
        result = builtin(torch.as_tensor(x), tuple(map(torch.as_tensor, state)) if name == "LSTM" else torch.as_tensor(state))
        np.testing.assert_allclose(as_tuple(result)[0].detach().numpy(), h_np, rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", sorted(GOLDEN))
@pytest.mark.parametrize("fused", [False, True])
def test_torch_golden_values(case, fused):
    name, kwargs, out_expected, h_expected = GOLDEN[case]
    if fused and not kwargs.get("reset_after", True):
        pytest.skip("torch.nn.GRU has no reset-before form")
    layer = getattr(rt, name)(2, 3, num_layers=2, bidirectional=True, dtype="float64", fused=fused, **kwargs)
    copy_weights(golden_numpy(case), layer)
    outputs, final = layer(golden_input(), lengths=LENGTHS)
    np.testing.assert_allclose(outputs[1, 0, :4].detach().numpy(), out_expected, rtol=0, atol=1e-11)
    np.testing.assert_allclose(final_h(final)[-1, 0].detach().numpy(), h_expected, rtol=0, atol=1e-11)


@pytest.mark.parametrize("name,kwargs", VARIANTS)
def test_torch_streaming(name, kwargs):
    layer = getattr(rt, name)(3, 4, num_layers=2, dtype="float64", seed=0, **kwargs)
    x = torch.randn(2, 7, 3, dtype=torch.float64)
    whole, final = layer(x)
    first, state = layer(x[:, :3])
    second, state = layer(x[:, 3:], state)
    torch.testing.assert_close(torch.cat([first, second], 1), whole, rtol=0, atol=1e-14)
    for a, b in zip(as_tuple(state), as_tuple(final)):
        torch.testing.assert_close(a, b, rtol=0, atol=1e-14)


def _graph_node_names(tensor):
    seen, stack, names = set(), [tensor.grad_fn], set()
    while stack:
        fn = stack.pop()
        if fn is None or fn in seen:
            continue
        seen.add(fn)
        names.add(type(fn).__name__)
        stack.extend(next_fn for next_fn, _ in fn.next_functions)
    return names


def test_time_loop_unbinds_instead_of_indexing():
    # x[:, t] in the loop would put one SelectBackward per step in the graph (a backward quadratic in T)
    layer = rt.LSTM(3, 4, seed=0)
    outputs, _ = layer(torch.randn(2, 6, 3, requires_grad=True))
    names = _graph_node_names(outputs.sum())
    assert "UnbindBackward0" in names and "SelectBackward0" not in names


def test_fused_reset_before_gru_is_refused():
    with pytest.raises(ValueError, match="reset_after=False, fused=True"):
        rt.GRU(3, 4, reset_after=False, fused=True)
    layer = rt.GRU(3, 4, reset_after=False)
    with pytest.raises(ValueError, match="reset_after=True"):
        copy_weights(layer, torch.nn.GRU(3, 4))


def test_torch_errors_name_both_shapes():
    layer = rt.LSTM(8, 4, num_layers=2)
    with pytest.raises(ValueError, match=r"LSTM expected x of shape \(B, T, 8\), got \(4, 7\)"):
        layer(torch.zeros(4, 7))
    with pytest.raises(ValueError, match=r"expected x of shape \(B, T, 8\), got \(4, 7, 3\)"):
        layer(torch.zeros(4, 7, 3))
    with pytest.raises(ValueError, match=r"expected h of shape \(2, 4, 4\), got \(1, 4, 4\)"):
        layer(torch.zeros(4, 7, 8), (torch.zeros(1, 4, 4), torch.zeros(2, 4, 4)))
    with pytest.raises(ValueError, match=r"GRUCell expected state of shape \(4, 5\), got \(4, 6\)"):
        rt.GRUCell(3, 5)(torch.zeros(4, 3), torch.zeros(4, 6))


def test_state_dict_is_torch_nn_compatible():
    twin = rt.GRU(3, 4, num_layers=2, bidirectional=True, seed=0)
    builtin = torch.nn.GRU(3, 4, num_layers=2, bidirectional=True, batch_first=True)
    builtin.load_state_dict(twin.state_dict())
    x = torch.randn(2, 5, 3)
    torch.testing.assert_close(builtin(x)[0], twin(x)[0], rtol=1e-5, atol=1e-5)


def test_fused_follows_replaced_parameters():
    fused = rt.LSTM(3, 4, fused=True, seed=0)
    other = rt.LSTM(3, 4, seed=1)
    x = torch.randn(2, 5, 3)
    fused(x)  # builds the internal torch.nn.LSTM on the current parameter objects
    fused.load_state_dict(other.state_dict(), assign=True)  # new parameter objects
    torch.testing.assert_close(fused(x)[0], other(x)[0], rtol=1e-6, atol=1e-6)
    assert len(list(fused.parameters())) == 4  # the internal module adds none
