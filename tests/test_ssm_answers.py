"""Chapter 16's numeric-answer helpers (rnnlearn.quiz.answers), checked against the package's layers."""

import math

import numpy as np
import pytest

from rnnlearn.quiz.answers import lru_normaliser, lru_radius, lru_state_variance, ssm_decay, ssm_discretize


@pytest.mark.parametrize("rule", ["zoh", "bilinear"])
def test_ssm_discretize_matches_the_s4d_layer(rule):
    from rnnlearn.numpy import S4D

    layer = S4D(1, state_size=2, discretization=rule, dtype="float64", seed=0)
    layer.params.update(log_dt=np.log([0.1]), log_A_real=np.log([[2.0]]), A_imag=np.zeros((1, 1)))
    A_bar, B_bar, _ = layer.discretize()
    np.testing.assert_allclose(ssm_discretize(-2.0, 0.1, rule), [A_bar[0, 0].real, B_bar[0, 0].real], rtol=1e-12)
    assert ssm_decay(-2.0, 0.1, rule) == ssm_discretize(-2.0, 0.1, rule)[0]


def test_ssm_discretize_values_and_steady_state():
    assert ssm_decay(-2.0, 0.1) == pytest.approx(math.exp(-0.2))
    assert ssm_decay(-2.0, 0.1, "bilinear") == pytest.approx(0.9 / 1.1)
    for rule in ("zoh", "bilinear"):  # both keep the steady state -1/a of a constant input
        A_bar, B_bar = ssm_discretize(-2.0, 0.1, rule)
        assert B_bar / (1 - A_bar) == pytest.approx(0.5)


@pytest.mark.parametrize("kwargs, match", [({"a": 0.5, "dt": 0.1}, "expected a negative a"),
                                           ({"a": -1.0, "dt": 0.0}, "expected dt to be a positive number"),
                                           ({"a": -1.0, "dt": 0.1, "rule": "euler"}, "rule must be"),
                                           ({"a": "x", "dt": 0.1}, "expected a to be a finite real number")])
def test_ssm_discretize_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ssm_discretize(**kwargs)


def test_lru_helpers():
    assert lru_state_variance(0.99) == pytest.approx(50.2512563, rel=1e-6)
    assert lru_state_variance(0.0) == 1.0
    assert lru_normaliser(0.9) ** 2 * lru_state_variance(0.9) == pytest.approx(1.0)
    assert lru_radius(0.0) == pytest.approx(math.exp(-1))
    assert 0 < lru_radius(-30.0) <= 1 and lru_radius(5.0) < 1e-60


def test_lru_radius_matches_the_lru_layer():
    from rnnlearn.numpy import LRU

    layer = LRU(2, state_size=4, dtype="float64", seed=3)
    np.testing.assert_allclose(np.abs(layer.eigenvalues()), [lru_radius(float(v)) for v in layer.nu_log], rtol=1e-12)


@pytest.mark.parametrize("radius", [1.0, -0.1, 1.5, float("nan"), True])
def test_lru_helpers_reject_unstable_radii(radius):
    with pytest.raises(ValueError, match="radius"):
        lru_state_variance(radius)
    with pytest.raises(ValueError, match="radius"):
        lru_normaliser(radius)
