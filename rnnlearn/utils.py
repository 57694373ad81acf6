"""Small helpers shared by the chapters: seeding and shape checks."""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Sequence

import numpy as np

__all__ = ["set_seed", "check_shape"]


def set_seed(seed: int) -> int:
    """Seed every random number generator a chapter may touch.

    Seeds Python's ``random``, NumPy's legacy global generator, and, only if they are already
    imported, PyTorch and Keras (so calling this never imports a framework).

    Parameters
    ----------
    seed : int
        A non-negative integer.

    Returns
    -------
    int
        The seed, so a chapter can show it: ``set_seed(0)`` prints ``0``.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"set_seed expected a non-negative integer, got {seed!r}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    os.environ["PYTHONHASHSEED"] = str(seed)
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        torch.manual_seed(seed)
    if "keras" in sys.modules:
        _seed_keras(sys.modules["keras"], seed)
    return seed


def _seed_keras(keras, seed: int) -> None:
    """``keras.utils.set_random_seed(seed)``, without importing TensorFlow for another backend.

    Keras's function imports TensorFlow whenever it is installed, to seed it too: seconds of start-up
    in a chapter that runs Keras on the PyTorch backend. There, seed only Keras's own generator
    (what the function does besides seeding TensorFlow and the generators seeded above).
    """
    if keras.backend.backend() == "tensorflow" or "tensorflow" in sys.modules:
        keras.utils.set_random_seed(seed)
        return
    try:
        from keras.src.backend.common import global_state
        from keras.src.random.seed_generator import GLOBAL_SEED_GENERATOR
        from keras.src.utils.rng_utils import GLOBAL_RANDOM_SEED
    except ImportError:  # a Keras whose internals moved: the public function after all
        keras.utils.set_random_seed(seed)
        return
    global_state.set_global_attribute(GLOBAL_RANDOM_SEED, seed)
    global_state.set_global_attribute(GLOBAL_SEED_GENERATOR, None)  # recreated from the seed when needed


def _fmt(shape: Sequence) -> str:
    return "(" + ", ".join("?" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def check_shape(x, expected: Sequence[int | str | None], name: str = "x", where: str = "") -> tuple:
    """Check an array's shape and return it; raise a ``ValueError`` that names both shapes.

    Parameters
    ----------
    x : array-like with a ``shape`` attribute (NumPy, PyTorch or Keras tensor)
    expected : sequence of int, str or None
        One entry per axis. An int must match exactly; ``None`` matches anything; a string is a
        symbol (e.g. ``"B"``) that must take the same value everywhere it appears.
    name : str
        The argument's name, used in the message.
    where : str
        Who is checking (e.g. ``"LSTMCell"``), used in the message.

    Returns
    -------
    tuple
        The actual shape, with a dict of the symbols' values appended as ``shape, symbols``.

    Examples
    --------
    >>> import numpy as np
    >>> check_shape(np.zeros((4, 7, 3)), ("B", "T", 3), "x", "RNN")
    ((4, 7, 3), {'B': 4, 'T': 7})
    """
    shape = getattr(x, "shape", None)
    if shape is None:
        raise ValueError(f"{where + ' ' if where else ''}expected {name} to be an array, got {type(x).__name__}")
    shape = tuple(int(s) if s is not None else None for s in shape)
    prefix = f"{where} expected" if where else "expected"
    message = f"{prefix} {name} of shape {_fmt(expected)}, got {_fmt(shape)}"
    if len(shape) != len(expected):
        raise ValueError(message)
    symbols: dict[str, int] = {}
    for want, got in zip(expected, shape):
        if want is None or got is None:
            continue
        if isinstance(want, str):
            if want in symbols and symbols[want] != got:
                raise ValueError(message + f" ({want} is {symbols[want]} elsewhere)")
            symbols[want] = got
        elif int(want) != got:
            raise ValueError(message)
    return shape, symbols
