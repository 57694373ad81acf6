"""Time series: sine mixtures are sums of sinusoids, Mackey-Glass solves its delay equation, windows line up."""

import inspect

import numpy as np
import pytest

from rnnlearn.data import forecasting_windows, mackey_glass, sine_mixture


def test_sine_mixture_shape_range_and_variety():
    x = sine_mixture(5, 200, seed=0)
    assert x.shape == (5, 200, 1) and x.dtype == np.float32
    assert np.abs(x).max() <= 1.0 + 1e-6
    assert x.std(axis=1).min() > 0.05  # not constant
    assert not np.allclose(x[0], x[1])


def test_a_single_sinusoid_satisfies_its_recurrence():
    # sin(w(t+1) + p) + sin(w(t-1) + p) = 2 cos(w) sin(wt + p): checks frequency units (radians per step).
    omega = 0.3
    x = sine_mixture(3, 50, num_components=1, frequency_range=(omega, omega), seed=1)[..., 0].astype(np.float64)
    np.testing.assert_allclose(x[:, 2:] + x[:, :-2], 2 * np.cos(omega) * x[:, 1:-1], atol=1e-5)
    np.testing.assert_allclose(np.abs(x).max(axis=1), 1.0, atol=0.02)  # one component: amplitude 1


def test_sine_mixture_noise_adds_the_requested_variance():
    clean = sine_mixture(20, 500, seed=4)
    noisy = sine_mixture(20, 500, noise_std=0.5, seed=4)
    assert abs((noisy - clean).std() - 0.5) < 0.02


@pytest.mark.parametrize("frequency_range", [(0.0, 0.1), (0.5, 0.1), (0.1, 4.0), (0.1,), "fast"])
def test_sine_mixture_rejects_bad_frequency_ranges(frequency_range):
    with pytest.raises(ValueError, match=r"sine_mixture expected frequency_range \(low, high\) with 0 < low <= high <= pi, got"):
        sine_mixture(2, 10, frequency_range=frequency_range, seed=0)


def test_mackey_glass_defaults_are_the_mg17_benchmark():
    parameters = inspect.signature(mackey_glass).parameters
    defaults = {name: parameters[name].default for name in ("tau", "beta", "gamma", "power")}
    assert defaults == {"tau": 17.0, "beta": 0.2, "gamma": 0.1, "power": 10}


def test_mackey_glass_stays_in_its_known_range_and_is_not_constant():
    x = mackey_glass(4, 1000, seed=0)
    assert x.shape == (4, 1000, 1) and x.dtype == np.float32
    assert 0.2 < x.min() and x.max() < 1.4
    assert x.std(axis=1).min() > 0.15
    assert not np.allclose(x[0], x[1], atol=0.05)  # different initial histories


def test_mackey_glass_is_chaotic_at_tau_17_and_settles_at_small_tau():
    late = slice(600, None)
    chaotic = mackey_glass(1, 1000, seed=0)[0, late, 0]
    settled = mackey_glass(1, 1000, tau=2.0, seed=0)[0, late, 0]
    assert chaotic.std() > 0.15
    assert settled.std() < 1e-3  # short delays: the fixed point x* = 1 is stable
    np.testing.assert_allclose(settled, 1.0, atol=1e-3)


def test_mackey_glass_solves_the_delay_equation():
    # Sample at every integration step; a central difference must match the right-hand side with the
    # value exactly tau back, which fails if the history buffer is read at the wrong lag.
    dt, tau = 0.01, 17.0
    x = mackey_glass(1, 5000, dt=dt, sample_step=dt, washout=30.0, x0=1.2, seed=0)[0, :, 0].astype(np.float64)
    lag = round(tau / dt)
    t = np.arange(lag, len(x) - 1)
    derivative = (x[t + 1] - x[t - 1]) / (2 * dt)
    delayed = x[t - lag]
    rhs = 0.2 * delayed / (1 + delayed**10) - 0.1 * x[t]
    np.testing.assert_allclose(derivative, rhs, atol=2e-5)
    wrong = x[t - lag + 100]
    assert np.abs(derivative - (0.2 * wrong / (1 + wrong**10) - 0.1 * x[t])).max() > 1e-3


def test_mackey_glass_converges_as_the_step_shrinks():
    coarse = mackey_glass(1, 60, dt=0.1, washout=0.0, x0=1.2, seed=0)[0, :, 0]
    fine = mackey_glass(1, 60, dt=0.025, washout=0.0, x0=1.2, seed=0)[0, :, 0]
    np.testing.assert_allclose(coarse, fine, atol=1e-4)


def test_mackey_glass_rejects_a_delay_that_is_not_a_multiple_of_dt():
    with pytest.raises(ValueError, match=r"mackey_glass expected tau to be a multiple of dt=0.1, got tau=17.05"):
        mackey_glass(1, 10, tau=17.05, seed=0)


def test_mackey_glass_rejects_a_non_positive_delay():
    with pytest.raises(ValueError, match=r"mackey_glass expected tau to be a positive number, got -1"):
        mackey_glass(1, 10, tau=-1, seed=0)


def test_forecasting_windows_pair_each_window_with_what_follows():
    series = np.arange(10.0) ** 2
    x, y = forecasting_windows(series, 4, horizon=2)
    assert x.shape == (5, 4, 1) and y.shape == (5, 2) and x.dtype == y.dtype == np.float32
    for i in range(5):
        np.testing.assert_array_equal(x[i, :, 0], series[i : i + 4])
        np.testing.assert_array_equal(y[i], series[i + 4 : i + 6])


def test_forecasting_windows_on_a_mackey_glass_row():
    series = mackey_glass(1, 100, seed=0)[0, :, 0]
    x, y = forecasting_windows(series, 10)
    assert x.shape == (90, 10, 1) and y.shape == (90, 1)
    np.testing.assert_array_equal(x[1:, -1, 0], y[:-1, 0])  # each target is the next window's last input


def test_forecasting_windows_rejects_a_series_too_short():
    with pytest.raises(ValueError, match=r"forecasting_windows expected len\(series\) >= 7 \(window=5 plus horizon=2\), got 6"):
        forecasting_windows(np.zeros(6), 5, horizon=2)


def test_forecasting_windows_rejects_a_batch_instead_of_a_series():
    with pytest.raises(ValueError, match=r"forecasting_windows expected a 1-D series of real numbers, got shape \(2, 100, 1\)"):
        forecasting_windows(mackey_glass(2, 100, seed=0), 5)
