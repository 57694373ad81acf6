"""rnnlearn.hopfield: Hebbian storage, fixed points, the energy under asynchronous updates, and the errors.

Equations: the module docstring and book/02_history.md (the Hopfield section).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from rnnlearn.hopfield import Hopfield, corrupt, overlap, random_patterns


def test_hebbian_weights_are_symmetric_with_zero_diagonal_and_match_the_formula():
    xi = random_patterns(3, 10, seed=0)
    net = Hopfield(10).store(xi)
    expected = sum(np.outer(p, p) for p in xi) / 10
    np.fill_diagonal(expected, 0)
    np.testing.assert_allclose(net.weights, expected)
    np.testing.assert_array_equal(net.weights, net.weights.T)
    assert net.num_patterns == 3


def test_storing_in_two_calls_equals_storing_at_once():
    xi = random_patterns(5, 20, seed=1)
    once = Hopfield(20).store(xi)
    twice = Hopfield(20).store(xi[:2]).store(xi[2:])
    np.testing.assert_allclose(once.weights, twice.weights)
    np.testing.assert_array_equal(once.patterns, twice.patterns)


@pytest.mark.parametrize("seed", range(5))
def test_few_patterns_are_fixed_points_of_both_updates(seed):
    xi = random_patterns(4, 200, seed=seed)  # load 0.02: crosstalk far below the signal
    net = Hopfield(200).store(xi)
    np.testing.assert_array_equal(net.update_sync(xi), xi)
    np.testing.assert_array_equal(net.update_async(xi, seed=seed), xi)
    np.testing.assert_array_equal(net.recall(xi, seed=seed), xi)


def test_negated_patterns_are_fixed_points_too():
    xi = random_patterns(3, 100, seed=2)
    net = Hopfield(100).store(xi)
    np.testing.assert_array_equal(net.update_sync(-xi), -xi)


def test_corrupted_patterns_are_recalled_at_low_load():
    xi = random_patterns(5, 200, seed=3)
    net = Hopfield(200).store(xi)
    start = corrupt(xi, 30, seed=4)
    assert np.all(np.sum(start != xi, axis=1) == 30)
    for mode in ("async", "sync"):
        out = net.recall(start, mode=mode, seed=5)
        np.testing.assert_array_equal(out, xi)


@pytest.mark.parametrize("seed", range(3))
def test_energy_never_increases_under_single_unit_updates(seed):
    # A high load (P/N = 0.5) gives a rugged energy landscape with many changes along the way.
    rng = np.random.default_rng(seed)
    net = Hopfield(60).store(random_patterns(30, 60, seed=rng))
    state = random_patterns(1, 60, seed=rng)[0]
    energies = [net.energy(state)]
    changes = 0
    for i in rng.integers(0, 60, size=2000):
        new = net.update_async(state, order=[i])
        changes += int(np.any(new != state))
        state = new
        energies.append(net.energy(state))
    assert changes > 5
    assert np.all(np.diff(energies) <= 1e-12)


def test_flipping_one_unit_changes_the_energy_by_twice_its_aligned_field():
    net = Hopfield(30).store(random_patterns(4, 30, seed=6))
    s = random_patterns(1, 30, seed=7)[0]
    h = net.fields(s)
    for i in range(30):
        flipped = s.copy()
        flipped[i] *= -1
        np.testing.assert_allclose(net.energy(flipped) - net.energy(s), 2 * s[i] * h[i], atol=1e-12)


def test_synchronous_updates_can_cycle_where_asynchronous_ones_settle():
    net = Hopfield(2).store([[1, -1]])  # W_12 = W_21 = -1/2
    start = np.array([1.0, 1.0])
    np.testing.assert_array_equal(net.update_sync(start), [-1, -1])
    np.testing.assert_array_equal(net.update_sync(net.update_sync(start)), start)  # a two-state cycle
    settled = net.update_async(start, order=[0, 1])
    np.testing.assert_array_equal(net.update_async(settled, order=[0, 1]), settled)


def test_batched_states_give_the_same_answers_as_single_states():
    xi = random_patterns(6, 50, seed=8)
    net = Hopfield(50).store(xi)
    probes = corrupt(xi, 10, seed=9)
    order = np.random.default_rng(0).permutation(50)
    batch = net.update_async(probes, order=order)
    for k in range(6):
        np.testing.assert_array_equal(batch[k], net.update_async(probes[k], order=order))
    np.testing.assert_allclose(net.energy(probes), [net.energy(p) for p in probes])
    assert isinstance(net.energy(probes[0]), float)


def test_inputs_are_not_modified():
    xi = random_patterns(2, 20, seed=10)
    net = Hopfield(20).store(xi)
    probe = corrupt(xi[0], 5, seed=11)
    before = probe.copy()
    net.update_async(probe, seed=0)
    net.recall(probe, seed=0)
    corrupt(probe, 3, seed=0)
    np.testing.assert_array_equal(probe, before)


def test_overlap_and_corrupt():
    xi = random_patterns(1, 100, seed=12)[0]
    assert overlap(xi, xi) == 1.0 and overlap(-xi, xi) == -1.0
    assert overlap(corrupt(xi, 10, seed=0), xi) == pytest.approx(0.8)
    np.testing.assert_allclose(overlap(np.stack([xi, -xi]), xi), [1.0, -1.0])


def test_random_patterns_are_seeded():
    np.testing.assert_array_equal(random_patterns(3, 8, seed=1), random_patterns(3, 8, seed=1))
    assert set(np.unique(random_patterns(3, 8, seed=1))) <= {-1.0, 1.0}


@pytest.mark.parametrize("call, message", [
    (lambda: Hopfield(1), "num_units to be an integer >= 2"),
    (lambda: Hopfield(True), "num_units to be an integer >= 2"),
    (lambda: Hopfield(4).store(np.zeros((2, 4))), "only -1 and +1"),
    (lambda: Hopfield(4).store(np.ones((2, 5))), "N = 4 units"),
    (lambda: Hopfield(4).store(np.ones((0, 4))), "at least one pattern"),
    (lambda: Hopfield(4).store(np.ones((2, 2, 4))), "shape (N,) or (K, N)"),
    (lambda: Hopfield(4).energy(np.ones(3)), "N = 4 units"),
    (lambda: Hopfield(4).update_sync(np.full(4, 0.5)), "only -1 and +1"),
    (lambda: Hopfield(4).update_async(np.ones(4), order=[4]), "unit indices in [0, 4)"),
    (lambda: Hopfield(4).update_async(np.ones(4), order=[0.5]), "unit indices"),
    (lambda: Hopfield(4).recall(np.ones(4), mode="parallel"), "mode 'async' or 'sync'"),
    (lambda: Hopfield(4).recall(np.ones(4), max_sweeps=0), "max_sweeps to be a positive integer"),
    (lambda: corrupt(np.ones(4), 5, seed=0), "num_flips to be an integer in [0, 4]"),
    (lambda: random_patterns(0, 4, seed=0), "num_patterns to be a positive integer"),
    (lambda: overlap(np.ones(4), np.ones(5)), "N = 4 units"),
])
def test_errors_say_what_was_expected(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
                       .replace("+", r"\+")):
        call()


def test_import_leaves_frameworks_unimported():
    code = ("import sys, rnnlearn.hopfield; "
            "print(','.join(n for n in ('torch', 'tensorflow', 'keras') if n in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
