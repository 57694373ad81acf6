"""Functions that compute the answers of numeric quiz questions.

A numeric question may name one of these (``compute: {function: "rnnlearn.quiz.answers:...", args: ...}``);
the tests recompute the answer and fail if the deck's ``value`` disagrees.
"""

from __future__ import annotations

import math

from ..checks import at_least, finite_real, positive_float, positive_int


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
    positive_int(num_writes, "num_writes", "latch_order_blind_ceiling")
    n = num_writes
    return sum(math.comb(n, j) * max(j, n - j) / n for j in range(n + 1)) / 2**n


def hopfield_unstable_fraction(num_units: int, num_patterns: int) -> float:
    """Crosstalk estimate of the fraction of unstable units in a pattern stored in a Hopfield network.

    With P random patterns stored by the Hebbian rule in N units, the crosstalk on a unit of a stored pattern
    is close to normal with variance P/N, and the unit is unstable when it falls below -1:
    Phi(-sqrt(N / P)), with Phi the standard normal CDF (chapter 2, the capacity section).
    """
    for value, name in ((num_units, "num_units"), (num_patterns, "num_patterns")):
        positive_int(value, name, "hopfield_unstable_fraction")
    return 0.5 * math.erfc(math.sqrt(num_units / num_patterns) / math.sqrt(2))


def hopfield_num_weights(num_units: int) -> int:
    """Distinct weights of a Hopfield network of N units: symmetric, zero diagonal, so N(N-1)/2."""
    at_least(num_units, 2, "num_units", "hopfield_num_weights")
    return num_units * (num_units - 1) // 2


def hopfield_overlap_after_flips(num_units: int, num_flips: int) -> float:
    """Overlap m = (1/N) sum_i xi_i s_i of a pattern with a copy that differs in num_flips units: 1 - 2k/N."""
    positive_int(num_units, "num_units", "hopfield_overlap_after_flips")
    if isinstance(num_flips, bool) or not isinstance(num_flips, int) or not 0 <= num_flips <= num_units:
        raise ValueError(f"num_flips must be an integer in [0, {num_units}], got {num_flips!r}")
    return 1 - 2 * num_flips / num_units
def jordan_param_count(input_size: int, hidden_size: int, output_size: int, bias: bool = True) -> int:
    """Trainable parameters of a Jordan network (``rnnlearn``'s ``JordanRNN``, the vanilla-RNN chapter).

    ``W_ih`` (H, D), ``W_yh`` (H, O), ``W_hy`` (O, H), and with ``bias`` also ``b_ih``, ``b_yh`` (H,) and ``b_hy`` (O,):
    HD + HO + OH + 2H + O.
    """
    D, H, O = input_size, hidden_size, output_size
    return H * D + H * O + O * H + ((2 * H + O) if bias else 0)


def elman_with_readout_param_count(input_size: int, hidden_size: int, output_size: int) -> int:
    """Parameters of an Elman RNN (two biases, as in PyTorch) plus a linear readout to ``output_size`` outputs:
    HD + H^2 + 2H + OH + O (the vanilla-RNN chapter)."""
    D, H, O = input_size, hidden_size, output_size
    return H * D + H * H + 2 * H + O * H + O


def bptt_saved_states(batch_size: int, seq_len: int, hidden_size: int, bytes_per_number: int = 4) -> float:
    """MiB taken by the T hidden states that full BPTT must keep: B * T * H numbers (the BPTT chapter).

    A lower bound: autograd keeps a few tensors per step, not only the states.
    """
    return batch_size * seq_len * hidden_size * bytes_per_number / 2**20


def truncated_bptt_segments(seq_len: int, k: int) -> int:
    """Number of segments (and backward passes) of truncated BPTT with segments of ``k`` steps: ceil(T / k)."""
    if k < 1 or seq_len < 1:
        raise ValueError(f"seq_len and k must be positive, got {seq_len!r} and {k!r}")
    return -(-seq_len // k)


def gradient_norm_factor(spectral_radius: float, steps: int) -> float:
    """Factor by which a linear recurrence changes a gradient's norm over ``steps`` steps: rho ** steps.

    The asymptotic rate of the vanishing and exploding chapter (``||g_(T-n)|| ~ C rho^n``).
    """
    if spectral_radius < 0 or steps < 0:
        raise ValueError(f"expected spectral_radius >= 0 and steps >= 0, got {spectral_radius!r}, {steps!r}")
    return float(spectral_radius) ** int(steps)


def steps_to_shrink(spectral_radius: float, factor: float) -> int:
    """Smallest number of steps n with rho ** n <= 1 / factor, for 0 < rho < 1 and factor > 1."""
    if not 0 < spectral_radius < 1 or factor <= 1:
        raise ValueError(f"expected 0 < spectral_radius < 1 and factor > 1, got {spectral_radius!r}, {factor!r}")
    return math.ceil(math.log(1 / factor) / math.log(spectral_radius) - 1e-12)


def clipped_norm(norm: float, threshold: float) -> float:
    """Gradient norm after clipping by global norm at ``threshold`` (Pascanu et al. 2013): min(norm, threshold)."""
    if norm < 0 or threshold <= 0:
        raise ValueError(f"expected norm >= 0 and threshold > 0, got {norm!r}, {threshold!r}")
    return float(min(norm, threshold))


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
    positive_int(step, "step", "keras_adam_epsilon_factor")
    if not 0 <= beta_2 < 1:
        raise ValueError(f"beta_2 must be in [0, 1), got {beta_2!r}")
    return 1.0 / math.sqrt(1.0 - beta_2**step)


def forget_gate_retention(bias: float, steps: int) -> float:
    """Fraction of an LSTM cell state kept over ``steps`` steps by a constant forget gate sigma(bias).

    With the input gate shut, c_{t+k} = f^k c_t, and the gradient along the cell state shrinks by the same
    factor: sigma(0)^20 is about 1e-6, sigma(1)^20 about 2e-3 (chapter 6, the forget-gate bias).
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
    return (1.0 / (1.0 + math.exp(-float(bias)))) ** steps


def reset_state_ceiling(segment_len: int, delay: int) -> float:
    """Best accuracy on a delayed-echo task of fair coin flips when the state is reset every ``segment_len`` steps.

    The first ``delay`` targets of each segment depend on the previous segment and are guessed (right half of
    the time): ``1 - delay / (2 * segment_len)`` (chapter 9, truncated BPTT).
    """
    for name, value in (("segment_len", segment_len), ("delay", delay)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    if segment_len < 1 or delay > segment_len:
        raise ValueError(f"need 1 <= segment_len and delay <= segment_len, got {segment_len}, {delay}")
    return 1.0 - delay / (2.0 * segment_len)


def padding_fraction(lengths) -> float:
    """Share of a padded batch's ``B x max(lengths)`` steps that are padding (chapter 9, mini-batches)."""
    lengths = [int(n) for n in lengths]
    if not lengths or min(lengths) < 0 or max(lengths) < 1:
        raise ValueError(f"lengths must be non-negative with at least one positive, got {lengths!r}")
    total = len(lengths) * max(lengths)
    return (total - sum(lengths)) / total


def ctc_min_input_length(labels) -> int:
    """Fewest frames a CTC path needs to emit the label string ``labels``: one per label, plus one blank
    between every two equal neighbours (without it they would merge): chapter 10, CTC."""
    labels = list(labels)
    return len(labels) + sum(1 for a, b in zip(labels, labels[1:]) if a == b)


def lookahead_tagging_ceiling(length: int, lookahead: int = 1) -> float:
    """Best per-step accuracy of a left-to-right tagger on ``y_t = x_t XOR x_{t+k}`` over T fair bits
    (chapter 10): the T - k tags that need an unseen bit are coin flips, the last k are certain."""
    from ..data.labelling import lookahead_xor_ceiling

    return lookahead_xor_ceiling(length, lookahead)


def bits_per_char_from_perplexity(perplexity: float) -> float:
    """Bits per character of a model with per-character perplexity ``perplexity``: log2(perplexity) (chapter 11)."""
    if not perplexity >= 1:
        raise ValueError(f"perplexity must be >= 1, got {perplexity!r}")
    return math.log2(perplexity)


def uniform_bits_per_char(vocab_size: int) -> float:
    """Cost in bits per character of the uniform guess over ``vocab_size`` characters: log2(V) (chapter 11)."""
    positive_int(vocab_size, "vocab_size", "uniform_bits_per_char")
    return math.log2(vocab_size)


def temperature_top_probability(logit_gap: float, temperature: float) -> float:
    """Probability of the larger of two logits ``logit_gap`` apart after dividing by ``temperature``:
    1 / (1 + exp(-gap / tau)) (chapter 11, sampling with a temperature)."""
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    return 1.0 / (1.0 + math.exp(-float(logit_gap) / float(temperature)))


def bleu_brevity_penalty(reference_length: int, output_length: int) -> float:
    """BLEU's brevity penalty min(1, exp(1 - r / c)) for r reference and c output tokens (chapter 12)."""
    if reference_length < 0 or output_length < 1:
        raise ValueError(f"need reference_length >= 0 and output_length >= 1, got {reference_length}, {output_length}")
    return min(1.0, math.exp(1.0 - reference_length / output_length))


def attention_weight_count(target_length: int, source_length: int, batch_size: int = 1) -> int:
    """Entries of the attention (alignment) matrices of a batch: B * T_out * T_in (chapter 12)."""
    for name, value in (("target_length", target_length), ("source_length", source_length), ("batch_size", batch_size)):
        positive_int(value, name, "attention_weight_count")
    return batch_size * target_length * source_length


def beam_search_scored_candidates(beam_size: int, vocab_size: int) -> int:
    """Candidate extensions beam search scores at one step with a full beam: k * V (chapter 12)."""
    if beam_size < 1 or vocab_size < 1:
        raise ValueError(f"beam_size and vocab_size must be positive, got {beam_size}, {vocab_size}")
    return beam_size * vocab_size



def modern_param_count(model: str, input_size: int, hidden_size: int, bias: bool = True) -> int:
    """Number of parameters of one of the modern gated recurrences (chapter 17).

    ``model`` is a class name of :mod:`rnnlearn.gated_layout`: ``"MinGRU"`` has 2(HD + H), ``"MinLSTM"``
    3(HD + H), ``"RWKVTimeMix"`` 3D + 3HD + H^2 + 2H, ``"MLSTM"`` 4(HD + H) + 2(D + 1) and ``"RGLRU"``
    HD + 2H^2 + 4H (with biases); ``"QRNN"`` (chapter 15) 3(2DH + H).
    """
    from ..gated_layout import check_gated_args, gated_param_shapes

    D, H = check_gated_args(input_size, hidden_size, "modern_param_count")
    return int(sum(math.prod(shape) for shape in gated_param_shapes(model, D, H, bias).values()))


def rglru_decay(a: float, r: float, c: float = 8.0) -> float:
    """The RG-LRU's per-step decay a_t = a^(c r_t) for a base decay a in (0, 1) and a recurrence gate r in [0, 1]
    (chapter 17): r = 0 keeps the state (a_t = 1), r = 1 gives the fastest decay a^c."""
    if not 0 < a < 1:
        raise ValueError(f"a must be in (0, 1), got {a!r}")
    if not 0 <= r <= 1:
        raise ValueError(f"r must be in [0, 1], got {r!r}")
    if not c > 0:
        raise ValueError(f"c must be positive, got {c!r}")
    return float(a ** (c * r))


def model_bytes(num_parameters: int, bytes_per_parameter: int) -> int:
    """Storage of ``num_parameters`` weights at ``bytes_per_parameter`` each: 4 float32, 2 float16, 1 int8 (chapter 13)."""
    for name, value in (("num_parameters", num_parameters), ("bytes_per_parameter", bytes_per_parameter)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return num_parameters * bytes_per_parameter


def kv_cache_bytes(context: int, hidden_size: int, num_layers: int = 1, batch_size: int = 1,
                   bytes_per_number: int = 4) -> int:
    """Bytes of a transformer's KV cache after ``context`` positions: one key and one value of H numbers per
    position, layer and sequence, 2 L B T H numbers in all (chapter 14). It grows linearly with the context."""
    for name, value in (("context", context), ("hidden_size", hidden_size), ("num_layers", num_layers),
                        ("batch_size", batch_size), ("bytes_per_number", bytes_per_number)):
        positive_int(value, name, "kv_cache_bytes")
    return 2 * num_layers * batch_size * context * hidden_size * bytes_per_number


def lstm_state_bytes(hidden_size: int, num_layers: int = 1, batch_size: int = 1, bytes_per_number: int = 4) -> int:
    """Bytes of an LSTM's state (h, c): 2 L B H numbers, whatever the length of the stream (chapter 14)."""
    for name, value in (("hidden_size", hidden_size), ("num_layers", num_layers), ("batch_size", batch_size),
                        ("bytes_per_number", bytes_per_number)):
        positive_int(value, name, "lstm_state_bytes")
    return 2 * num_layers * batch_size * hidden_size * bytes_per_number


def tcn_receptive_field(kernel_size: int, num_layers: int) -> int:
    """Inputs one output of a TCN sees, with dilations 1, 2, ..., 2^(L-1): 1 + (k - 1)(2^L - 1) (chapter 14)."""
    at_least(kernel_size, 2, "kernel_size", "tcn_receptive_field")
    positive_int(num_layers, "num_layers", "tcn_receptive_field")
    return 1 + (kernel_size - 1) * (2**num_layers - 1)


def tcn_layers_needed(history: int, kernel_size: int = 2) -> int:
    """Fewest layers L (dilations doubling) whose receptive field covers ``history`` steps (chapter 14)."""
    positive_int(history, "history", "tcn_layers_needed")
    layers = 1
    while tcn_receptive_field(kernel_size, layers) < history:
        layers += 1
    return layers


def causal_attention_scores(length: int) -> int:
    """Query-key pairs one causal attention head scores over a sequence of ``length`` positions: T(T + 1)/2."""
    positive_int(length, "length", "causal_attention_scores")
    return length * (length + 1) // 2


def state_numbers(model: str, hidden_size: int, *, context: int = 1, state_size: int = 16, num_heads: int = 1) -> int:
    """Numbers one layer keeps between tokens for one sequence, after ``context`` tokens (chapter 18).

    ``model`` is a class name of the twins: ``"RNN"``, ``"GRU"``, ``"MinGRU"``, ``"MinLSTM"`` and ``"RGLRU"``
    keep H numbers; ``"LSTM"`` 2H, (h, c); ``"S4D"`` and ``"SelectiveSSM"`` H N (S4D as N/2 complex numbers per
    channel, stored as real and imaginary parts); ``"LinearAttention"`` H^2 / heads + H (one d_h x d_h matrix and
    one normaliser of d_h per head); ``"MLSTM"`` H^2 + H + 1 (matrix memory, normaliser, stabiliser); and
    ``"CausalSelfAttention"`` 2 C H, the KV cache, the only one that grows with ``context``.
    """
    positive_int(hidden_size, "hidden_size", "state_numbers")
    positive_int(context, "context", "state_numbers")
    positive_int(state_size, "state_size", "state_numbers")
    positive_int(num_heads, "num_heads", "state_numbers")
    H, N = hidden_size, state_size
    counts = {"RNN": H, "GRU": H, "MinGRU": H, "MinLSTM": H, "RGLRU": H, "LSTM": 2 * H,
              "S4D": H * N, "SelectiveSSM": H * N, "MLSTM": H * H + H + 1,
              "LinearAttention": H * H // num_heads + H, "CausalSelfAttention": 2 * context * H}
    if model not in counts:
        raise ValueError(f"state_numbers expected a model in {sorted(counts)}, got {model!r}")
    if model == "S4D" and N % 2:
        raise ValueError(f"state_numbers expected an even state_size for S4D (N/2 complex modes), got {N}")
    if model == "LinearAttention" and H % num_heads:
        raise ValueError(f"state_numbers expected hidden_size divisible by num_heads, got {H} and {num_heads}")
    return counts[model]


def kv_cache_break_even(model: str, hidden_size: int, *, state_size: int = 16, num_heads: int = 1) -> int:
    """Shortest context C at which a KV cache of width H, 2 C H numbers, holds at least as many numbers as
    ``model``'s fixed state (chapter 18): ceil(state_numbers / 2H)."""
    if model == "CausalSelfAttention":
        raise ValueError("kv_cache_break_even expected a model with a fixed state, got 'CausalSelfAttention'")
    numbers = state_numbers(model, hidden_size, state_size=state_size, num_heads=num_heads)
    return -(-numbers // (2 * hidden_size))


def _scan_length(length, method, where):
    positive_int(length, "length", where)
    if method not in ("sequential", "hillis_steele", "blelloch"):
        raise ValueError(f"{where} expected method to be 'sequential', 'hillis_steele' or 'blelloch', got {method!r}")
    if method == "blelloch" and length & (length - 1):
        raise ValueError(f"{where} expected a power of two for the blelloch count, got length {length}")
    return (length - 1).bit_length()  # ceil(log2 T)


def scan_combines(length: int, method: str) -> int:
    """Compositions of two steps (a, b) a scan of ``length`` steps performs (chapter 15).

    ``"sequential"``: T - 1. ``"hillis_steele"``: round k combines the T - 2^k positions that have a partner
    2^k steps back, sum_k (T - 2^k) = T L - (2^L - 1) with L = ceil(log2 T) rounds. ``"blelloch"`` (T a power of
    two, the pair / recurse / fill-in form of ``linear_scan``): T - 1 on the way up, T - 1 - log2 T on the
    way down (the first position of each level needs no combine), 2(T - 1) - log2 T in all.
    """
    levels = _scan_length(length, method, "scan_combines")
    if method == "sequential":
        return length - 1
    if method == "hillis_steele":
        return length * levels - (2**levels - 1)
    return 2 * (length - 1) - levels


def scan_depth(length: int, method: str) -> int:
    """Rounds of combines that must run one after the other (the depth) for a scan of ``length`` steps
    (chapter 15): T - 1 for the loop, ceil(log2 T) for Hillis-Steele, 2 log2 T - 1 for Blelloch (T a power of two)."""
    levels = _scan_length(length, method, "scan_depth")
    if method == "sequential":
        return length - 1
    if method == "hillis_steele":
        return levels
    return max(2 * levels - 1, 0)


def ssm_discretize(a: float, dt: float, rule: str = "zoh") -> tuple:
    """(A_bar, B_bar) of the scalar system h' = a h + x with step size dt (chapter 16).

    ``"zoh"``: A_bar = exp(dt a), B_bar = (exp(dt a) - 1) / a; ``"bilinear"``: A_bar = (1 + dt a/2) / (1 - dt a/2),
    B_bar = dt / (1 - dt a/2). ``a`` must be negative (a stable mode), ``dt`` positive.
    """
    a, dt = finite_real(a, "a", "ssm_discretize"), positive_float(dt, "dt", "ssm_discretize")
    if a >= 0:
        raise ValueError(f"ssm_discretize expected a negative a (a stable mode), got {a!r}")
    if rule == "zoh":
        return math.exp(dt * a), math.expm1(dt * a) / a
    if rule == "bilinear":
        return (1 + dt * a / 2) / (1 - dt * a / 2), dt / (1 - dt * a / 2)
    raise ValueError(f"rule must be 'zoh' or 'bilinear', got {rule!r}")


def ssm_decay(a: float, dt: float, rule: str = "zoh") -> float:
    """A_bar of the scalar system h' = a h + x discretised with step dt by ``rule`` (chapter 16)."""
    return ssm_discretize(a, dt, rule)[0]


def _radius(radius):
    radius = finite_real(radius, "radius", "the LRU helpers")
    if not 0 <= radius < 1:
        raise ValueError(f"the LRU helpers expected radius in [0, 1) (a stable eigenvalue), got {radius!r}")
    return radius


def lru_state_variance(radius: float) -> float:
    """Stationary variance of h_t = lambda h_{t-1} + x_t for unit white noise, |lambda| = radius: 1 / (1 - r^2)
    (chapter 16)."""
    return 1.0 / (1.0 - _radius(radius) ** 2)


def lru_normaliser(radius: float) -> float:
    """The LRU's input normalisation gamma = sqrt(1 - |lambda|^2) at initialisation (chapter 16)."""
    return math.sqrt(1.0 - _radius(radius) ** 2)


def lru_radius(nu_log: float) -> float:
    """|lambda| = exp(-exp(nu_log)) of the LRU's exponential parameterisation: in (0, 1) for any real nu_log
    (chapter 16)."""
    return math.exp(-math.exp(finite_real(nu_log, "nu_log", "lru_radius")))


# Every public function above is an answer a deck may name.
__all__ = sorted(name for name, value in dict(globals()).items()
                 if callable(value) and getattr(value, "__module__", None) == __name__ and not name.startswith("_"))
