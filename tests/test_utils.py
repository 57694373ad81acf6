"""rnnlearn.utils: seeding and shape checks."""

import random
import subprocess
import sys

import numpy as np
import pytest

from rnnlearn.utils import check_shape, set_seed


def test_check_shape_returns_shape_and_symbols():
    assert check_shape(np.zeros((4, 7, 3)), ("B", "T", 3), "x", "RNN") == ((4, 7, 3), {"B": 4, "T": 7})


@pytest.mark.parametrize("shape", [(4, 7), (4, 7, 2), (4, 7, 3, 1)])
def test_check_shape_message_names_both_shapes(shape):
    with pytest.raises(ValueError) as info:
        check_shape(np.zeros(shape), ("B", "T", 3), "x", "LSTM")
    message = str(info.value)
    assert "LSTM" in message and "(B, T, 3)" in message and str(shape) in message


def test_check_shape_symbol_must_agree():
    with pytest.raises(ValueError, match="B is 2 elsewhere"):
        check_shape(np.zeros((2, 3)), ("B", "B"), "m")


def test_set_seed_repeats_python_and_numpy():
    set_seed(3)
    a = (random.random(), np.random.rand())
    set_seed(3)
    assert (random.random(), np.random.rand()) == a


def test_set_seed_rejects_negative():
    with pytest.raises(ValueError, match="-1"):
        set_seed(-1)


def test_set_seed_repeats_keras_random_on_the_torch_backend_without_importing_tensorflow():
    code = """
import os, sys
os.environ["KERAS_BACKEND"] = "torch"
import keras
from rnnlearn.utils import set_seed
set_seed(5); a = keras.ops.convert_to_numpy(keras.random.uniform((3,)))
set_seed(5); b = keras.ops.convert_to_numpy(keras.random.uniform((3,)))
set_seed(6); c = keras.ops.convert_to_numpy(keras.random.uniform((3,)))
from keras.src.utils.rng_utils import get_random_seed
print((a == b).all(), (a != c).any(), get_random_seed(), "tensorflow" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "True", "6", "False"]
