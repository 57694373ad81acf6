"""The computed answers of the vanishing and exploding chapter's deck."""

import math

import pytest

from rnnlearn.quiz.answers import clipped_norm, gradient_norm_factor, steps_to_shrink


def test_gradient_norm_factor():
    assert gradient_norm_factor(0.9, 100) == pytest.approx(2.6561398887587544e-05)
    assert gradient_norm_factor(1.0, 1000) == 1.0
    assert gradient_norm_factor(1.1, 0) == 1.0
    with pytest.raises(ValueError):
        gradient_norm_factor(-0.5, 3)


def test_steps_to_shrink_is_the_smallest_such_n():
    n = steps_to_shrink(0.95, 1e6)
    assert n == 270 and 0.95**n <= 1e-6 < 0.95 ** (n - 1)
    assert steps_to_shrink(0.5, 8) == 3  # exact powers are not rounded up
    for bad in [(1.0, 10), (0.5, 1.0), (0.0, 10)]:
        with pytest.raises(ValueError):
            steps_to_shrink(*bad)


def test_clipped_norm():
    assert clipped_norm(250, 5) == 5 and clipped_norm(0.3, 5) == 0.3
    with pytest.raises(ValueError):
        clipped_norm(1.0, 0)
    assert math.isinf(clipped_norm(math.inf, math.inf))
