"""scikit-learn's 8x8 handwritten digits, read as sequences: a small, offline stand-in for sequential MNIST.

``sklearn.datasets.load_digits`` reads a file shipped inside the scikit-learn wheel, so nothing is downloaded.
(Avoid the ``sklearn.datasets.fetch_*`` functions: they download.) scikit-learn is imported only when
:func:`load_digits_sequences` is called.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validate import make_rng, one_of

__all__ = ["load_digits_sequences"]

_MODES = ("rows", "pixels")


def load_digits_sequences(
    mode: str = "rows", *, test_fraction: float = 0.25, seed=0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Load the 1,797 digit images as sequences, with a seeded stratified train/test split.

    ``mode="rows"`` reads each image top to bottom, one row of 8 pixels per step (T=8, D=8): an easy task, an
    RNN reaches about 95% in seconds. ``mode="pixels"`` reads it one pixel per step in raster order (T=64, D=1),
    the small cousin of pixel-by-pixel MNIST (Le et al. 2015): the class depends on pixels 60 steps apart.

    Parameters
    ----------
    mode : {"rows", "pixels"}
        How an image becomes a sequence.
    test_fraction : float
        Share of each class held out for testing, strictly between 0 and 1 (rounded per class).
    seed : int or numpy.random.Generator
        Seed of the split (default 0, so chapters share one split).

    Returns
    -------
    x_train, x_test : ndarray of float32, shape (N, 8, 8) or (N, 64, 1)
        Pixel intensities scaled from 0..16 to [0, 1].
    y_train, y_test : ndarray of int64, shape (N,)
        Labels 0-9.

    Returned in the order of ``sklearn.model_selection.train_test_split``; each split keeps the data set's
    order, so shuffle while training.

    Shapes
    ------
    N images (the batch), T = 8 or 64 time, D = 8 or 1 features.

    References
    ----------
    Alpaydin, E. & Kaynak, C. (1998). Optical recognition of handwritten digits. UCI Machine Learning
    Repository (the data set behind ``load_digits``). Le, Q. V., Jaitly, N. & Hinton, G. E. (2015).
    A simple way to initialize recurrent networks of rectified linear units (pixel-by-pixel MNIST).

    Examples
    --------
    >>> x_train, x_test, y_train, y_test = load_digits_sequences("pixels")
    >>> x_train.shape[1:], len(x_train) + len(x_test)
    ((64, 1), 1797)
    """
    where = "load_digits_sequences"
    mode = one_of(mode, _MODES, "mode", where)
    if not isinstance(test_fraction, numbers.Real) or isinstance(test_fraction, bool) or not 0 < test_fraction < 1:
        raise ValueError(f"{where} expected test_fraction strictly between 0 and 1, got {test_fraction!r}")
    rng = make_rng(seed, where)

    from sklearn.datasets import load_digits  # ships in the wheel; imported here to keep `import` cheap

    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)  # (N, 8, 8)
    labels = digits.target.astype(np.int64)  # (N,)
    x = images if mode == "rows" else images.reshape(len(images), 64, 1)  # (N, 8, 8) or (N, 64, 1)

    test = np.zeros(len(labels), dtype=bool)
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        chosen = rng.permutation(members)[: int(round(test_fraction * len(members)))]
        test[chosen] = True
    return x[~test], x[test], labels[~test], labels[test]
