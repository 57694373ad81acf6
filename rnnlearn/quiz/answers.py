"""Functions that compute the answers of numeric quiz questions.

A numeric question may name one of these (``compute: {function: "rnnlearn.quiz.answers:...", args: ...}``);
the tests recompute the answer and fail if the deck's ``value`` disagrees.
"""

from __future__ import annotations

import math

__all__ = ["rnn_param_count", "hidden_state_floats", "perplexity_from_loss", "bits_per_symbol",
           "latch_order_blind_ceiling", "forget_gate_retention"]

_GATES = {"rnn": 1, "gru": 3, "lstm": 4}


def rnn_param_count(kind: str, input_size: int, hidden_size: int, framework: str = "torch",
                    num_layers: int = 1, bidirectional: bool = False, reset_after: bool = True) -> int:
    """Trainable parameters of a recurrent layer.

    ``framework="torch"`` counts ``nn.RNN/LSTM/GRU`` (two bias vectors per layer and direction);
    ``framework="keras"`` counts ``SimpleRNN/LSTM/GRU`` (one bias, or two for a reset-after GRU);
    ``framework="math"`` counts the textbook cell with a single bias.
    """
    if kind not in _GATES:
        raise ValueError(f"kind must be one of {sorted(_GATES)}, got {kind!r}")
    if framework not in ("torch", "keras", "math"):
        raise ValueError(f"framework must be 'torch', 'keras' or 'math', got {framework!r}")
    gates = _GATES[kind]
    directions = 2 if bidirectional else 1
    total = 0
    for layer in range(num_layers):
        layer_input = input_size if layer == 0 else hidden_size * directions
        weights = gates * hidden_size * (layer_input + hidden_size)
        if framework == "torch":
            biases = 2 * gates * hidden_size
        elif framework == "keras" and kind == "gru" and reset_after:
            biases = 2 * gates * hidden_size
        else:
            biases = gates * hidden_size
        total += directions * (weights + biases)
    return total


def hidden_state_floats(batch_size: int, hidden_size: int, kind: str = "rnn") -> int:
    """Numbers carried from one step to the next: B*H, or 2*B*H for an LSTM (h and c)."""
    return batch_size * hidden_size * (2 if kind == "lstm" else 1)


def perplexity_from_loss(loss_nats: float) -> float:
    """Perplexity from a mean cross-entropy in nats: exp(loss)."""
    return math.exp(loss_nats)


def bits_per_symbol(loss_nats: float) -> float:
    """Bits per symbol from a mean cross-entropy in nats: loss / ln 2."""
    return loss_nats / math.log(2)


def latch_order_blind_ceiling(num_writes: int) -> float:
    """Best expected accuracy of any order-blind model on the latch task with ``num_writes`` writes.

    The written bits are independent fair coins and the target is the last one. A model that sees only
    the bag of (bit, flag) pairs knows how many written bits are ones, j, but not which came last, so its
    best guess (the majority) is right with probability max(j, n - j) / n. Averaged over j ~ Binomial(n, 1/2):
    1.0 for n = 1, 0.75 for n = 2 and 3, 0.6875 for n = 4 (chapter 1, the latch experiment).
    """
    if isinstance(num_writes, bool) or not isinstance(num_writes, int) or num_writes < 1:
        raise ValueError(f"num_writes must be a positive integer, got {num_writes!r}")
    n = num_writes
    return sum(math.comb(n, j) * max(j, n - j) / n for j in range(n + 1)) / 2**n


def forget_gate_retention(bias: float, steps: int) -> float:
    """Fraction of an LSTM cell state kept over ``steps`` steps by a constant forget gate sigma(bias).

    With the input gate shut, c_{t+k} = f^k c_t, and the gradient along the cell state shrinks by the same
    factor: sigma(0)^20 is about 1e-6, sigma(1)^20 about 2e-3 (chapter 6, the forget-gate bias).
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    return (1.0 / (1.0 + math.exp(-float(bias)))) ** steps
