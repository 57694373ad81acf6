"""Framework-free measures for language models (bits per character, perplexity, baselines, temperature)
and sampling from any of the three ``CharLSTM`` twins.

Chapter 11. All logarithms of losses are natural (nats) unless a name says bits.
"""

from __future__ import annotations

import contextlib
import math
import sys

import numpy as np

__all__ = ["bits_per_char", "perplexity", "uniform_bits", "unigram_bits", "softmax_temperature", "entropy_bits",
           "sample"]


def bits_per_char(nats: float) -> float:
    """Convert a mean cross-entropy in nats per character to bits per character: divide by ln 2."""
    return float(nats) / math.log(2.0)


def perplexity(nats: float) -> float:
    """Perplexity exp(cross-entropy in nats): the size of a uniform choice that is as hard to predict."""
    return math.exp(float(nats))


def uniform_bits(vocab_size: int) -> float:
    """Bits per character of the model that gives each of V characters probability 1/V: log2(V)."""
    if isinstance(vocab_size, bool) or not isinstance(vocab_size, int) or vocab_size < 1:
        raise ValueError(f"uniform_bits expected a positive integer vocab_size, got {vocab_size!r}")
    return math.log2(vocab_size)


def unigram_bits(train_ids, test_ids, vocab_size: int, *, smoothing: float = 1.0) -> float:
    """Bits per character on ``test_ids`` of the unigram model fitted on ``train_ids``.

    The unigram model ignores context: p(c) = (count(c) + smoothing) / (N + smoothing * V), counted on the
    training ids (add-``smoothing`` so that an unseen character does not cost infinitely many bits).

    Parameters
    ----------
    train_ids, test_ids : 1-D integer arrays with values in range(vocab_size)
    vocab_size : int
    smoothing : float
        >= 0; with 0, a test character absent from training raises ValueError.
    """
    train_ids, test_ids = np.asarray(train_ids), np.asarray(test_ids)
    counts = np.bincount(train_ids, minlength=vocab_size).astype(np.float64) + smoothing  # (V,)
    probs = counts / counts.sum()
    if np.any(probs[test_ids] == 0):
        raise ValueError("unigram_bits: a test character never occurs in training; use smoothing > 0")
    return float(-np.log2(probs[test_ids]).mean())


def softmax_temperature(logits, temperature: float) -> np.ndarray:
    """softmax(logits / temperature) along the last axis, computed stably. temperature > 0."""
    if not temperature > 0:
        raise ValueError(f"softmax_temperature expected temperature > 0, got {temperature!r}")
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def entropy_bits(probs) -> np.ndarray:
    """Entropy in bits of the distributions along the last axis: -sum p log2 p (0 log 0 = 0)."""
    p = np.asarray(probs, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log2(np.where(p > 0, p, 1.0)), 0.0)
    return terms.sum(axis=-1)


def _as_numpy(x) -> np.ndarray:
    """A NumPy copy of a NumPy array, a torch tensor (any device) or a Keras tensor (any backend)."""
    if hasattr(x, "detach"):  # torch, also Keras under the torch backend
        return x.detach().cpu().numpy()
    return np.asarray(x)


def sample(model, prompt_ids, length: int, *, temperature: float = 1.0, seed=None) -> list[int]:
    """Generate ``length`` ids after ``prompt_ids``, drawing each from softmax(logits / temperature).

    Parameters
    ----------
    model : rnnlearn.numpy.CharLSTM, rnnlearn.torch.CharLSTM or rnnlearn.keras.CharLSTM
        Called as ``logits, state = model(ids, state)``; a PyTorch model runs in eval mode without
        gradients and is put back in the mode it was in.
    prompt_ids : sequence of int, shape (P,), P >= 1
        The text to start from; it is read once to build the state.
    length : int
        How many ids to draw.
    temperature : float
        > 0. Below 1 sharpens the distribution (more likely, more repetitive text), above 1 flattens it.
    seed : int, numpy.random.Generator or None
        Source of the draws (NumPy's, so that the same seed gives the same text with any twin on any
        device, up to float rounding that reaches a draw's boundary).

    Returns
    -------
    list of int, the ``length`` drawn ids (the prompt not included). Each step feeds the drawn id back
    with the carried state, so a step costs one step of the network, not a pass over the prefix.
    """
    if not temperature > 0:
        raise ValueError(f"sample expected temperature > 0, got {temperature!r}")
    prompt = np.asarray(prompt_ids, dtype=np.int64).reshape(1, -1)  # (1, P)
    if prompt.shape[1] < 1:
        raise ValueError("sample expected a prompt of at least one id")
    rng = np.random.default_rng(seed)
    torch = sys.modules.get("torch")
    was_training = getattr(model, "training", None)
    if torch is not None and isinstance(model, torch.nn.Module):
        model.eval()
    no_grad = torch.no_grad() if torch is not None else contextlib.nullcontext()
    drawn = []
    with no_grad:
        logits, state = model(prompt)  # (1, P, V)
        for _ in range(length):
            probs = softmax_temperature(_as_numpy(logits)[0, -1], temperature)  # (V,), float64
            drawn.append(int(rng.choice(len(probs), p=probs)))
            logits, state = model(np.array([[drawn[-1]]]), state)  # (1, 1, V)
    if torch is not None and isinstance(model, torch.nn.Module):
        model.train(was_training)
    return drawn
