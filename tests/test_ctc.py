"""The CTC loss by the forward recursion (rnnlearn.ctc, chapter 10): it sums every frame path (checked by
enumeration), it equals PyTorch's and Keras's CTC losses, and it rejects bad input with a clear message."""

from __future__ import annotations

import itertools

import keras
import numpy as np
import pytest
import torch

from rnnlearn.ctc import ctc_collapse, ctc_log_likelihood, ctc_loss


def _brute_force_log_likelihood(log_probs, labels):
    """log p(z | x) by enumerating every one of the C^T frame paths (tiny T and C only)."""
    T, C = log_probs.shape
    total = -np.inf
    for path in itertools.product(range(C), repeat=T):
        if ctc_collapse(path) == list(labels):
            total = np.logaddexp(total, sum(log_probs[t, c] for t, c in enumerate(path)))
    return total


@pytest.mark.parametrize("labels", [[1], [2, 1], [1, 1], [2, 2, 1], []])
def test_ctc_forward_recursion_sums_every_path(labels):
    rng = np.random.default_rng(len(labels))
    logits = rng.normal(size=(6, 3))
    log_probs = logits - np.logaddexp.reduce(logits, axis=1, keepdims=True)  # (T, C) log-softmax
    np.testing.assert_allclose(ctc_log_likelihood(log_probs, labels), _brute_force_log_likelihood(log_probs, labels),
                               rtol=1e-12)


def test_ctc_too_few_frames_is_impossible():
    log_probs = np.log(np.full((3, 4), 0.25))
    assert ctc_log_likelihood(log_probs, [3, 3, 1]) == -np.inf  # needs 4 frames: 3, blank, 3, 1
    assert np.isfinite(ctc_log_likelihood(log_probs, [3, 2, 1]))


def test_ctc_loss_matches_torch_and_keras():
    rng = np.random.default_rng(0)
    B, T, C, U = 4, 9, 5, 3
    logits = rng.normal(size=(B, T, C))
    log_probs = logits - np.logaddexp.reduce(logits, axis=2, keepdims=True)  # (B, T, C)
    lengths, label_lengths = np.array([9, 7, 5, 9]), np.array([3, 2, 3, 1])
    labels = rng.integers(1, C, size=(B, U))
    labels[1, 0] = labels[1, 1]  # a repeated label needs a blank between
    ours = ctc_loss(log_probs, lengths, labels, label_lengths)
    reference = torch.nn.functional.ctc_loss(
        torch.from_numpy(log_probs).transpose(0, 1), torch.from_numpy(labels), torch.from_numpy(lengths),
        torch.from_numpy(label_lengths), reduction="none")
    np.testing.assert_allclose(ours, reference.numpy(), rtol=1e-10)
    masked_labels = np.where(np.arange(U)[None, :] < label_lengths[:, None], labels, 0)
    from_keras = keras.ops.ctc_loss(masked_labels.astype("int32"), log_probs.astype("float32"),
                                    label_lengths.astype("int32"), lengths.astype("int32"), mask_index=0)
    np.testing.assert_allclose(ours, keras.ops.convert_to_numpy(from_keras), rtol=1e-4)


def test_ctc_loss_errors_name_what_was_expected():
    with pytest.raises(ValueError, match=r"expected log_probs of shape \(B, T, C\), got \(5, 3\)"):
        ctc_loss(np.zeros((5, 3)), [5], [[1]], [1])
    with pytest.raises(ValueError, match=r"expected lengths of shape \(1,\) in \[0, 5\], got \[6\]"):
        ctc_loss(np.zeros((1, 5, 3)), [6], [[1]], [1])
    with pytest.raises(ValueError, match=r"label_lengths \(1,\) in \[0, U\], got \(1, 1\) and \[2\]"):
        ctc_loss(np.zeros((1, 5, 3)), [5], [[1]], [2])
    with pytest.raises(ValueError, match=r"labels in \[0, 3\) other than the blank 0, got \[0\]"):
        ctc_log_likelihood(np.zeros((5, 3)), [0])
    with pytest.raises(ValueError, match=r"expected log_probs of shape \(T, C\)"):
        ctc_log_likelihood(np.zeros(5), [1])
