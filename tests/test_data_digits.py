"""scikit-learn digits as row and pixel sequences, with a seeded stratified split."""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from rnnlearn.data import load_digits_sequences


@pytest.fixture(scope="module")
def reference():
    digits = load_digits()
    return digits.images / 16.0, digits.target


def test_rows_and_pixels_shapes_dtypes_and_range():
    for mode, step in (("rows", (8, 8)), ("pixels", (64, 1))):
        x_train, x_test, y_train, y_test = load_digits_sequences(mode)
        assert x_train.shape == (len(y_train), *step) and x_test.shape == (len(y_test), *step)
        assert x_train.dtype == x_test.dtype == np.float32 and y_train.dtype == y_test.dtype == np.int64
        assert len(y_train) + len(y_test) == 1797 and len(y_test) == 450
        assert x_train.min() == 0.0 and x_train.max() == 1.0


def test_sequences_are_the_images_read_row_by_row_and_in_raster_order(reference):
    images, labels = reference
    rows = np.concatenate(load_digits_sequences("rows", seed=3)[:2])
    pixels = np.concatenate(load_digits_sequences("pixels", seed=3)[:2])
    row_labels = np.concatenate(load_digits_sequences("rows", seed=3)[2:])
    np.testing.assert_array_equal(pixels[:, :, 0], rows.reshape(len(rows), 64))
    # Every returned sequence is some image of the data set, with that image's label.
    lookup = {image.astype(np.float32).tobytes(): label for image, label in zip(images, labels)}
    found = [lookup.get(row.tobytes()) for row in rows]
    assert found == row_labels.tolist()


def test_split_is_disjoint_complete_and_stratified(reference):
    _, labels = reference
    x_train, x_test, y_train, y_test = load_digits_sequences(seed=0)
    train = {x.tobytes() for x in x_train}
    assert not any(x.tobytes() in train for x in x_test)
    assert np.array_equal(np.bincount(y_train) + np.bincount(y_test), np.bincount(labels))
    share = np.bincount(y_test) / np.bincount(labels)
    assert (np.abs(share - 0.25) < 0.01).all()


def test_test_fraction_sets_the_size_of_the_test_set():
    _, x_test, _, _ = load_digits_sequences(test_fraction=0.1, seed=0)
    assert abs(len(x_test) - 180) <= 5


def test_bad_mode_and_fraction_raise_value_error():
    with pytest.raises(ValueError, match=r"load_digits_sequences expected mode to be one of 'rows', 'pixels', got 'columns'"):
        load_digits_sequences("columns")
    with pytest.raises(ValueError, match=r"load_digits_sequences expected test_fraction strictly between 0 and 1, got 1.0"):
        load_digits_sequences(test_fraction=1.0)
