"""Package-level checks of rnnlearn.data: seeding, determinism, import hygiene, the documented API.

Per-family correctness lives in tests/test_data_<family>.py.
"""

import inspect
import subprocess
import sys

import numpy as np
import pytest

import rnnlearn.data as data

# One small call per seeded generator: name -> function of the seed.
GENERATORS = {
    "adding_problem le2015": lambda seed: data.adding_problem(4, 20, seed=seed),
    "adding_problem hochreiter1997": lambda seed: data.adding_problem(4, 20, variant="hochreiter1997", seed=seed),
    "copy_task": lambda seed: data.copy_task(4, 5, seed=seed),
    "selective_copying": lambda seed: data.selective_copying(4, 16, seed=seed),
    "multi_query_associative_recall": lambda seed: data.multi_query_associative_recall(4, 32, num_pairs=4, seed=seed),
    "parity": lambda seed: data.parity(4, 20, seed=seed),
    "latch": lambda seed: data.latch(4, 20, num_writes=3, seed=seed),
    "reber_strings": lambda seed: data.reber_strings(4, seed=seed),
    "embedded_reber_strings": lambda seed: data.embedded_reber_strings(4, seed=seed),
    "sine_mixture": lambda seed: data.sine_mixture(4, 20, noise_std=0.1, seed=seed),
    "mackey_glass": lambda seed: data.mackey_glass(2, 20, washout=20.0, seed=seed),
    "load_digits_sequences": lambda seed: data.load_digits_sequences(seed=seed),
    "next_char_batch": lambda seed: data.next_char_batch(np.arange(1000), 4, 20, seed=seed),
}


def _arrays(result):
    """The arrays of a generator's result, flattened into a list (strings become an array of str)."""
    if isinstance(result, list):
        return [np.array(result)]
    return [np.asarray(part) for part in result if not isinstance(part, int)]


def _same(a, b):
    return all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(_arrays(a), _arrays(b)))


@pytest.mark.parametrize("name", GENERATORS)
def test_same_seed_same_arrays_different_seed_different(name):
    make = GENERATORS[name]
    assert _same(make(0), make(0))
    assert not _same(make(0), make(1))


@pytest.mark.parametrize("name", GENERATORS)
def test_a_generator_seed_draws_fresh_batches_reproducibly(name):
    make = GENERATORS[name]
    rng = np.random.default_rng(5)
    first, second = make(rng), make(rng)
    assert not _same(first, second)  # the generator advanced
    again = np.random.default_rng(5)
    assert _same(first, make(again)) and _same(second, make(again))


@pytest.mark.parametrize("name", GENERATORS)
def test_generators_neither_use_nor_touch_numpy_global_state(name):
    make = GENERATORS[name]
    np.random.seed(1)
    before = np.random.get_state()[1].copy()
    first = make(3)
    assert np.array_equal(np.random.get_state()[1], before)
    np.random.seed(2)
    assert _same(first, make(3))


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True, None])
def test_a_bad_seed_raises_value_error_naming_it(seed):
    with pytest.raises(ValueError, match=r"adding_problem expected seed to be a non-negative integer .*got"):
        data.adding_problem(2, 10, seed=seed)


def test_every_public_name_exists_and_is_documented():
    for name in data.__all__:
        obj = getattr(data, name)
        if callable(obj):
            assert inspect.getdoc(obj), f"{name} has no docstring"


def test_every_generator_docstring_gives_shapes_and_references():
    generators = [
        data.adding_problem, data.copy_task, data.selective_copying, data.multi_query_associative_recall,
        data.parity, data.latch, data.sine_mixture, data.mackey_glass, data.load_digits_sequences,
        data.next_char_batch, data.encode_reber,
    ]
    for function in generators:
        doc = inspect.getdoc(function)
        assert "Shapes\n------" in doc and "shape (" in doc, function.__name__
        if function is not data.encode_reber:
            assert "References\n----------" in doc, function.__name__


def test_every_random_generator_takes_a_keyword_only_seed():
    for name in data.__all__:
        obj = getattr(data, name)
        if inspect.isfunction(obj) and "seed" in inspect.signature(obj).parameters:
            assert inspect.signature(obj).parameters["seed"].kind is inspect.Parameter.KEYWORD_ONLY, name


def test_importing_rnnlearn_data_imports_no_framework_and_no_sklearn():
    code = (
        "import sys, rnnlearn.data\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'tensorflow', 'keras', 'sklearn'))\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"importing rnnlearn.data imported {result.stdout.strip()}"
