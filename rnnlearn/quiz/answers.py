"""Functions that compute the answers of numeric quiz questions.

A numeric question may name one of these (``compute: {function: "rnnlearn.quiz.answers:...", args: ...}``);
the tests recompute the answer and fail if the deck's ``value`` disagrees.
"""

from __future__ import annotations

import math

__all__ = ["rnn_param_count", "hidden_state_floats", "perplexity_from_loss", "bits_per_symbol",
           "latch_order_blind_ceiling", "gate_block_start", "keras_adam_epsilon_factor"]

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


def gate_block_start(kind: str, gate: str, hidden_size: int, framework: str = "torch") -> int:
    """First row (``framework="torch"``: ``weight_ih``) or column (``"keras"``: ``kernel``) of a gate's block.

    ``gate`` is the book's name (LSTM ``i f g o``, GRU ``r z n``). For a GRU with H = 64 the reset gate
    starts at row 0 in PyTorch and at column 64 in Keras, which puts the update gate first
    (chapter 8, the layout table).
    """
    from ..layout import gate_blocks

    if framework not in ("torch", "keras"):
        raise ValueError(f"framework must be 'torch' or 'keras', got {framework!r}")
    for row in gate_blocks(kind, hidden_size):
        if row["gate"] == gate:
            return row["torch_rows" if framework == "torch" else "keras_columns"][0]
    raise ValueError(f"{kind} has no gate {gate!r}; its gates are {[r['gate'] for r in gate_blocks(kind)]}")


def keras_adam_epsilon_factor(step: int, beta_2: float = 0.999) -> float:
    """How many times larger Keras's Adam epsilon acts than PyTorch's at optimiser step ``step`` (1, 2, ...).

    Keras adds epsilon to sqrt(v) before the bias correction, PyTorch after it (Kingma and Ba 2015,
    Algorithm 1 and the remark closing their section 2), so Keras's epsilon works like PyTorch's
    epsilon divided by sqrt(1 - beta_2**step): about 31.6 times larger at step 1 (chapter 8).
    """
    if isinstance(step, bool) or not isinstance(step, int) or step < 1:
        raise ValueError(f"step must be a positive integer, got {step!r}")
    if not 0 <= beta_2 < 1:
        raise ValueError(f"beta_2 must be in [0, 1), got {beta_2!r}")
    return 1.0 / math.sqrt(1.0 - beta_2**step)
