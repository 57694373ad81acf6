"""The state-space and linear-attention layers in NumPy and PyTorch: parallel form = recurrent form,
PyTorch = NumPy, continuing from a returned state = running on the concatenation, S4D's discretisation
against SciPy and the continuous-time solution, and clear errors."""

import math

import numpy as np
import pytest
import scipy.signal
import torch

import rnnlearn.numpy as rn
import rnnlearn.torch as rt
from rnnlearn.convert import copy_weights

TOL = {"float64": 1e-10, "float32": 1e-5}

# name -> (constructor arguments, input features, call options to try)
CASES = {
    "LinearAttention": (dict(input_size=3, hidden_size=8, num_heads=2), 3, [{}]),
    "S4D": (dict(hidden_size=3, state_size=6), 3, [{"mode": "convolution"}, {"mode": "recurrence"}]),
    "S4D-bilinear": (dict(hidden_size=3, state_size=6, discretization="bilinear", init="inv"), 3,
                     [{"mode": "convolution"}, {"mode": "recurrence"}]),
    "LRU": (dict(hidden_size=3, state_size=5), 3, [{"method": "blelloch"}, {"method": "sequential"}]),
    "SelectiveSSM": (dict(hidden_size=4, state_size=3), 4, [{"method": "blelloch"}, {"method": "hillis_steele"}]),
    "SelectiveSSM-LTI": (dict(hidden_size=4, state_size=3, selective=False), 4, [{"method": "log"}]),
}


def make(module, case, dtype="float64", seed=0):
    kwargs, _, _ = CASES[case]
    kwargs = dict(kwargs)
    args = [kwargs.pop("input_size")] if "input_size" in kwargs else []
    return getattr(module, case.split("-")[0])(*args, kwargs.pop("hidden_size"), **kwargs, dtype=dtype, seed=seed)


def inputs(case, dtype="float64", B=2, T=9, seed=0):
    return np.random.default_rng(seed).standard_normal((B, T, CASES[case][1])).astype(dtype)


def as_numpy(value):
    if isinstance(value, (tuple, list)):
        return [as_numpy(v) for v in value]
    if isinstance(value, torch.Tensor):
        return value.detach().numpy()
    return np.asarray(value)


def assert_close(got, want, tol, msg=""):
    got, want = as_numpy(got), as_numpy(want)
    if isinstance(want, list):
        assert len(got) == len(want), msg
        for g, w in zip(got, want):
            assert_close(g, w, tol, msg)
    else:
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol, err_msg=msg)


def run_steps(layer, x, state=None):
    outputs = []
    for t in range(x.shape[1]):
        y_t, state = layer.step(x[:, t], state)
        outputs.append(as_numpy(y_t))
    return np.stack(outputs, 1), state


def some_state(layer, x):
    """A non-zero state: the one left after running on other inputs."""
    return layer(0.5 * x[:, :3] + 0.1)[1]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", list(CASES))
def test_parallel_form_equals_recurrent_form(case, dtype):
    x = inputs(case, dtype)
    for module, convert in ((rn, np.asarray), (rt, torch.tensor)):
        layer = make(module, case, dtype)
        state = some_state(layer, convert(x))
        for options in CASES[case][2]:
            y, final = layer(convert(x), state, **options)
            y_steps, final_steps = run_steps(layer, convert(x), state)
            assert_close(y, y_steps, TOL[dtype], f"{module.__name__} {options}")
            assert_close(final, final_steps, TOL[dtype], f"{module.__name__} {options}")


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", list(CASES))
def test_torch_equals_numpy(case, dtype):
    x = inputs(case, dtype, seed=1)
    reference, twin = make(rn, case, dtype, seed=5), make(rt, case, dtype, seed=5)
    state = some_state(reference, x)
    y_ref, final_ref = reference(x, state)
    for options in CASES[case][2]:
        y, final = twin(torch.tensor(x), tuple(torch.tensor(s) for s in state) if isinstance(state, tuple)
                        else torch.tensor(state), **options)
        assert y.dtype == getattr(torch, dtype)
        assert_close(y, y_ref, TOL[dtype], str(options))
        assert_close(final, final_ref, TOL[dtype], str(options))


@pytest.mark.parametrize("case", list(CASES))
def test_continuing_from_the_returned_state(case):
    """Running on x[:, :4] then on x[:, 4:] from the returned state equals running on x."""
    x = inputs(case)
    for module, convert in ((rn, np.asarray), (rt, torch.tensor)):
        layer = make(module, case)
        y, final = layer(convert(x))
        y_head, state = layer(convert(x[:, :4]))
        y_tail, final_tail = layer(convert(x[:, 4:]), state)
        assert_close(np.concatenate([as_numpy(y_head), as_numpy(y_tail)], 1), y, 1e-10, module.__name__)
        assert_close(final_tail, final, 1e-10, module.__name__)


@pytest.mark.parametrize("case", list(CASES))
def test_the_state_matters(case):
    """The checks above compare real numbers: a different initial state changes the outputs."""
    x = inputs(case)
    layer = make(rn, case)
    assert not np.allclose(layer(x)[0], layer(x, some_state(layer, x))[0])


@pytest.mark.parametrize("case", list(CASES))
def test_torch_parallel_and_recurrent_gradients_agree(case):
    x = inputs(case, T=6)
    grads, weights = [], None
    for parallel in (True, False):
        layer = make(rt, case)
        xt = torch.tensor(x, requires_grad=True)
        y = layer(xt)[0] if parallel else torch.stack([layer.step(x_t, s)[0] for x_t, s in _states(layer, xt)], 1)
        if weights is None:  # loss = sum(weights * y), the same random weights for both forms
            weights = torch.tensor(np.random.default_rng(2).standard_normal(tuple(y.shape)))
        (y * weights).sum().backward()
        grads.append({"x": xt.grad.numpy(), **{n: p.grad.numpy() for n, p in layer.named_parameters()}})
    assert all(np.abs(g).max() > 0 for g in grads[0].values())
    for name in grads[0]:
        np.testing.assert_allclose(grads[0][name], grads[1][name], rtol=1e-9, atol=1e-10, err_msg=name)


def _states(layer, x):
    """(x_t, state before t) for every t, the states coming from the recurrent form itself."""
    state = None
    for x_t in x.unbind(1):
        yield x_t, state
        state = layer.step(x_t, state)[1]


@pytest.mark.parametrize("case", ["S4D", "S4D-bilinear", "LRU", "SelectiveSSM", "LinearAttention"])
def test_torch_gradcheck(case):
    layer = make(rt, case)
    x = torch.tensor(inputs(case, B=1, T=4), requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: layer(x)[0], (x,))


# --- S4D: the discretisation and the continuous-time system ------------------------------------------

def real_realisation(layer, channel):
    """The continuous system of one S4D channel as real matrices: each complex mode is a 2 x 2 block."""
    A = -np.exp(layer.log_A_real[channel]) + 1j * layer.A_imag[channel]
    C = layer.C_re[channel] + 1j * layer.C_im[channel]
    M = len(A)
    A_real, B_real, C_real = np.zeros((2 * M, 2 * M)), np.zeros((2 * M, 1)), np.zeros((1, 2 * M))
    for m in range(M):  # state (Re h_m, Im h_m); h_m' = A_m h_m + x; y = 2 Re(C_m h_m)
        A_real[2 * m:2 * m + 2, 2 * m:2 * m + 2] = [[A[m].real, -A[m].imag], [A[m].imag, A[m].real]]
        B_real[2 * m, 0] = 1.0
        C_real[0, 2 * m:2 * m + 2] = [2 * C[m].real, -2 * C[m].imag]
    return A_real, B_real, C_real


@pytest.mark.parametrize("discretization", ["zoh", "bilinear"])
@pytest.mark.parametrize("init", ["lin", "inv"])
def test_s4d_kernel_matches_scipy_discretisation(discretization, init):
    """K_l = C A_bar^l B_bar, with A_bar, B_bar from scipy.signal.cont2discrete on the real realisation."""
    layer = rn.S4D(2, state_size=8, init=init, discretization=discretization, dt_min=0.01, dt_max=0.1,
                   dtype="float64", seed=3)
    K = layer.kernel(20)
    for channel in range(2):
        A, B, C = real_realisation(layer, channel)
        dt = float(np.exp(layer.log_dt[channel]))
        method = {"zoh": "zoh", "bilinear": "bilinear"}[discretization]
        A_d, B_d, C_d, _, _ = scipy.signal.cont2discrete((A, B, C, np.zeros((1, 1))), dt, method=method)
        if discretization == "bilinear":  # SciPy's bilinear also mixes B into the output (D_d != 0, C_d != C);
            B_d = dt * np.linalg.solve(np.eye(len(A)) - dt / 2 * A, B)  # our y_t = C h_t reads the state directly
            C_d = C
        expected = [(C_d @ np.linalg.matrix_power(A_d, l) @ B_d).item() for l in range(20)]
        np.testing.assert_allclose(K[channel], expected, rtol=1e-9, atol=1e-12)


def step_response(layer, T):
    """The exact continuous-time output for x(t) = 1, h(0) = 0 at t = Delta, ..., T Delta: (H, T).

    Each mode solves h_m(t) = (e^{A_m t} - 1) / A_m, so y(t) = 2 Re(sum_m C_m (e^{A_m t} - 1) / A_m) + D.
    """
    t = np.exp(layer.log_dt)[:, None] * np.arange(1, T + 1)  # (H, T)
    A = -np.exp(layer.log_A_real) + 1j * layer.A_imag  # (H, M)
    C = layer.C_re + 1j * layer.C_im
    return 2 * np.einsum("hm,hmt->ht", C / A, np.exp(A[..., None] * t[:, None]) - 1).real + layer.D[:, None]


def test_s4d_zoh_is_exact_for_piecewise_constant_input():
    """With the input held constant over each step, ZOH samples the continuous solution exactly."""
    layer = rn.S4D(3, state_size=6, dtype="float64", seed=4)
    y, _ = layer(np.ones((1, 50, 3)))
    np.testing.assert_allclose(y[0].T, step_response(layer, 50), rtol=1e-9, atol=1e-11)


def test_s4d_bilinear_converges_to_the_continuous_system():
    """For a constant input the bilinear recurrence is the trapezoidal rule: second order, so halving Delta
    divides the error at a fixed time (t = 2) by about 4."""
    errors = []
    for dt in (0.04, 0.02, 0.01):
        layer = rn.S4D(2, state_size=8, discretization="bilinear", dt_min=dt, dt_max=dt, dtype="float64", seed=6)
        T = int(round(2.0 / dt))
        y, _ = layer(np.ones((1, T, 2)))
        errors.append(np.abs(y[0, -1] - step_response(layer, T)[:, -1]).max())
    assert errors[0] < 0.05
    assert 3.5 < errors[0] / errors[1] < 4.5 and 3.5 < errors[1] / errors[2] < 4.5, errors


# --- LRU and SelectiveSSM: initialisation and selection ------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lru_ring_initialisation(seed):
    layer = rn.LRU(4, state_size=200, r_min=0.5, r_max=0.9, max_phase=math.pi / 2, dtype="float64", seed=seed)
    lam = layer.eigenvalues()
    assert np.all((np.abs(lam) >= 0.5) & (np.abs(lam) <= 0.9))
    assert np.all((np.angle(lam) >= 0) & (np.angle(lam) <= math.pi / 2))
    np.testing.assert_allclose(np.exp(layer.gamma_log), np.sqrt(1 - np.abs(lam) ** 2), rtol=1e-12)
    # uniform by area on the ring: P(|lambda| <= r) = (r^2 - r_min^2) / (r_max^2 - r_min^2); median radius:
    median = math.sqrt((0.5**2 + 0.9**2) / 2)
    assert 0.35 < np.mean(np.abs(lam) <= median) < 0.65


def test_lru_normalisation_keeps_the_state_scale():
    """With gamma = sqrt(1 - |lambda|^2), white noise through gamma * lambda-recurrence has unit variance."""
    layer = rn.LRU(1, state_size=6, r_min=0.5, r_max=0.99, dtype="float64", seed=0)
    layer.params["B_re"], layer.params["B_im"] = np.ones((6, 1)), np.zeros((6, 1))  # B x_t = x_t for every unit
    x = np.random.default_rng(0).standard_normal((200, 400, 1))
    _, (h_re, h_im) = layer(x)
    variance = (h_re**2 + h_im**2).mean(0)  # E|h|^2 per state unit, after 400 steps
    np.testing.assert_allclose(variance, 1.0, rtol=0.2)


def test_selective_ssm_is_linear_only_when_time_invariant():
    """selective=False: y is a linear function of x (a convolution). selective=True: it is not."""
    rng = np.random.default_rng(0)
    x1, x2 = rng.standard_normal((2, 1, 12, 4))
    for selective in (False, True):
        layer = rn.SelectiveSSM(4, state_size=3, selective=selective, dtype="float64", seed=1)
        linear_combination = layer(2 * x1 - 3 * x2)[0]
        combination_of_outputs = 2 * layer(x1)[0] - 3 * layer(x2)[0]
        assert np.allclose(linear_combination, combination_of_outputs) == (not selective)


def test_selective_ssm_shapes_and_default_rank():
    layer = rt.SelectiveSSM(40, state_size=5)
    assert layer.dt_rank == 3  # ceil(40 / 16)
    assert layer.param_shapes() == {"x_proj_weight": (13, 40), "dt_proj_weight": (40, 3), "dt_proj_bias": (40,),
                                    "A_log": (40, 5), "D": (40,)}
    np.testing.assert_allclose(-torch.exp(layer.A_log[0]).detach().numpy(), -np.arange(1, 6))  # S4D-Real


def test_linear_attention_weights_sum_to_one():
    """o_t is a weighted average of the values: if every v_s is the same vector, o_t is that vector."""
    layer = rn.LinearAttention(3, 4, num_heads=2, dtype="float64", seed=0)
    layer.params["weight_v"] = np.zeros((4, 3))
    layer.params["weight_v"][:, 0] = [1.0, 2.0, 3.0, 4.0]
    layer.params["weight_o"] = np.eye(4)
    x = np.random.default_rng(0).standard_normal((2, 7, 3))
    x[..., 0] = 1.0  # so v_s = W_v x_s = (1, 2, 3, 4) for every s, while q and k vary
    y, _ = layer(x)
    np.testing.assert_allclose(y, np.broadcast_to([1.0, 2.0, 3.0, 4.0], y.shape), rtol=1e-12)


# --- weights and errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("case", list(CASES))
def test_same_seed_same_weights_and_copy_weights(case):
    a, b = make(rn, case, seed=7), make(rt, case, seed=7)
    assert a.param_shapes() == b.param_shapes()
    for name in a.params:
        np.testing.assert_array_equal(a.params[name], getattr(b, name).detach().numpy())
    other = make(rt, case, seed=8)
    x = inputs(case)
    assert not np.allclose(as_numpy(other(torch.tensor(x))[0]), a(x)[0])
    copy_weights(a, other)
    assert_close(other(torch.tensor(x))[0], a(x)[0], 1e-12)


def test_copy_weights_refuses_different_layers():
    with pytest.raises(ValueError, match="both must be twins of the same layer"):
        copy_weights(rn.S4D(3, state_size=4), rt.LRU(3, state_size=4))
    with pytest.raises(ValueError, match=r"expected log_A_real of shape \(3, 3\), got \(3, 2\)"):
        copy_weights(rn.S4D(3, state_size=4), rt.S4D(3, state_size=6))
    with pytest.raises(ValueError, match=r"expected the weights \['dt_proj_bias', 'B', 'C', 'A_log', 'D'\]"):
        copy_weights(rn.SelectiveSSM(3), rt.SelectiveSSM(3, selective=False))


@pytest.mark.parametrize("module", [rn, rt])
@pytest.mark.parametrize("case", ["LinearAttention", "S4D", "LRU", "SelectiveSSM"])
def test_wrong_input_shapes(module, case):
    layer = make(module, case)
    D = CASES[case][1]
    name = case
    with pytest.raises(ValueError, match=rf"{name} expected x of shape \(B, T, {D}\), got \(2, {D + 1}\)"):
        layer(np.zeros((2, D + 1)))
    with pytest.raises(ValueError, match=rf"{name} expected x of shape \(B, T, {D}\), got \(2, 5, {D + 1}\)"):
        layer(np.zeros((2, 5, D + 1)))
    with pytest.raises(ValueError, match=rf"{name} expected x_t of shape \(B, {D}\), got \(2, 5, {D}\)"):
        layer.step(np.zeros((2, 5, D)))


@pytest.mark.parametrize("module", [rn, rt])
def test_wrong_state_shapes(module):
    with pytest.raises(ValueError, match=r"S4D expected h_re of shape \(2, 3, 2\), got \(2, 3, 3\)"):
        module.S4D(3, state_size=4)(np.zeros((2, 5, 3)), (np.zeros((2, 3, 3)), np.zeros((2, 3, 3))))
    with pytest.raises(ValueError, match=r"LRU expected h_im of shape \(2, 4\), got \(2, 5\)"):
        module.LRU(3, state_size=4)(np.zeros((2, 5, 3)), (np.zeros((2, 4)), np.zeros((2, 5))))
    with pytest.raises(ValueError, match=r"SelectiveSSM expected state of shape \(2, 3, 16\), got \(2, 3\)"):
        module.SelectiveSSM(3)(np.zeros((2, 5, 3)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"LinearAttention expected z of shape \(2, 1, 4\), got \(2, 4\)"):
        module.LinearAttention(3, 4).step(np.zeros((2, 3)), (np.zeros((2, 1, 4, 4)), np.zeros((2, 4))))


@pytest.mark.parametrize("module", [rn, rt])
def test_bad_constructor_arguments(module):
    with pytest.raises(ValueError, match="hidden_size must be a multiple of num_heads, got hidden_size=6 and num_heads=4"):
        module.LinearAttention(3, 6, num_heads=4)
    with pytest.raises(ValueError, match="S4D expected state_size to be a positive even integer, got 5"):
        module.S4D(3, state_size=5)
    with pytest.raises(ValueError, match=r"S4D: discretization must be one of \('zoh', 'bilinear'\), got 'euler'"):
        module.S4D(3, discretization="euler")
    with pytest.raises(ValueError, match=r"S4D: init must be one of \('lin', 'inv'\), got 'legs'"):
        module.S4D(3, init="legs")
    with pytest.raises(ValueError, match=r"S4D: mode must be one of \('convolution', 'recurrence'\), got 'fft'"):
        module.S4D(3, state_size=4)(np.zeros((1, 2, 3)), mode="fft")
    with pytest.raises(ValueError, match="LRU: expected 0 <= r_min < r_max < 1, got r_min=0.9, r_max=0.5"):
        module.LRU(3, r_min=0.9, r_max=0.5)
    with pytest.raises(ValueError, match="SelectiveSSM: expected 0 < dt_min <= dt_max, got dt_min=0.1, dt_max=0.01"):
        module.SelectiveSSM(3, dt_min=0.1, dt_max=0.01)
    with pytest.raises(ValueError, match="SelectiveSSM expected hidden_size to be a positive integer, got 0"):
        module.SelectiveSSM(0)
    with pytest.raises(ValueError, match=r"expected real a and b, got dtype .*complex"):
        module.LRU(3, state_size=4)(np.zeros((1, 2, 3)), method="log")
