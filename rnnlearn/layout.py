"""The one description of how RNN, LSTM and GRU weights are laid out, shared by every twin and converter.

rnnlearn's own ("neutral") layout is PyTorch's, because its names say what each tensor is:

================  ===============  =====================================================
name              shape            meaning
================  ===============  =====================================================
``weight_ih_l0``  (G*H, D)         input weights of layer 0, the G gate blocks stacked
``weight_hh_l0``  (G*H, H)         recurrent weights of layer 0
``bias_ih_l0``    (G*H,)           input bias of layer 0
``bias_hh_l0``    (G*H,)           recurrent bias of layer 0
``*_reverse``     as above         the backward direction of a bidirectional layer
================  ===============  =====================================================

Layer ``l > 0`` reads the previous layer's outputs, so its ``D`` is ``H`` or ``2H``. A cell has the
same four tensors without the ``_l0`` suffix. The equations use the weights as ``W x``: one gate's
pre-activation is ``x @ W_ih[k*H:(k+1)*H].T + ...``.

Keras stores the transposes (``kernel`` (D, G*H), ``recurrent_kernel`` (H, G*H)), one ``bias``
(GRU with ``reset_after=True``: two rows, input then recurrent) and orders the GRU gates
differently. :func:`to_keras` and :func:`from_keras` are the only places that know this.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import positive_int

__all__ = [
    "KINDS",
    "GATES",
    "KERAS_GATES",
    "Spec",
    "num_gates",
    "param_names",
    "param_shapes",
    "make_rng",
    "init_params",
    "reorder_gates",
    "make_spec",
    "canonical_dtype",
    "to_keras",
    "from_keras",
    "GATE_MEANINGS",
    "gate_blocks",
    "tensor_table",
]

KINDS = ("rnn", "lstm", "gru")

# Gate blocks in the order they are stacked along the G*H axis.
GATES = {"rnn": ("h",), "lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}
# Keras's names for the gates, in the order Keras stacks them. KERAS_TO_NEUTRAL maps each to ours:
# the LSTM's "c" is our "g", the GRU's "h" is our "n", and Keras puts the GRU's z before r.
KERAS_GATES = {"rnn": ("h",), "lstm": ("i", "f", "c", "o"), "gru": ("z", "r", "h")}
KERAS_TO_NEUTRAL = {"rnn": {"h": "h"}, "lstm": {"i": "i", "f": "f", "c": "g", "o": "o"}, "gru": {"z": "z", "r": "r", "h": "n"}}

# The four tensors of one layer and direction (a cell: exactly these names).
WEIGHTS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def num_gates(kind: str) -> int:
    """Number of gate blocks G: 1 for ``"rnn"``, 4 for ``"lstm"``, 3 for ``"gru"``."""
    _check_kind(kind)
    return len(GATES[kind])


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


@dataclass(frozen=True)
class Spec:
    """Everything that fixes the shapes and the meaning of a recurrent model's weights.

    ``num_layers=None`` marks a single cell (names without the ``_l0`` suffix).
    ``nonlinearity`` matters only for ``"rnn"``, ``reset_after`` only for ``"gru"``.
    """

    kind: str
    input_size: int
    hidden_size: int
    num_layers: int | None = 1
    bidirectional: bool = False
    bias: bool = True
    nonlinearity: str = "tanh"
    reset_after: bool = True

    def __post_init__(self):
        _check_kind(self.kind)
        if self.kind != "rnn":
            object.__setattr__(self, "nonlinearity", "tanh")
        if self.kind != "gru":
            object.__setattr__(self, "reset_after", True)

    @property
    def num_directions(self) -> int:
        return 2 if self.bidirectional else 1

    def describe(self) -> str:
        """A short description used in error messages, e.g. ``LSTM(input_size=3, hidden_size=4)``."""
        name = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}[self.kind]
        parts = [f"input_size={self.input_size}", f"hidden_size={self.hidden_size}"]
        if self.num_layers is None:
            name += "Cell"
        else:
            parts.append(f"num_layers={self.num_layers}")
            parts.append(f"bidirectional={self.bidirectional}")
        parts.append(f"bias={self.bias}")
        if self.kind == "rnn":
            parts.append(f"nonlinearity={self.nonlinearity!r}")
        if self.kind == "gru":
            parts.append(f"reset_after={self.reset_after}")
        return f"{name}({', '.join(parts)})"


def param_names(layer: int | None = 0, direction: int = 0, bias: bool = True) -> tuple[str, ...]:
    """The names of one layer and direction's tensors, e.g. ``weight_ih_l1_reverse``.

    ``layer=None`` gives a cell's names (``weight_ih`` ...).
    """
    suffix = "" if layer is None else f"_l{layer}" + ("_reverse" if direction == 1 else "")
    names = WEIGHTS if bias else WEIGHTS[:2]
    return tuple(name + suffix for name in names)


def param_shapes(spec: Spec) -> dict[str, tuple[int, ...]]:
    """Ordered ``{name: shape}`` of every tensor of ``spec``, in PyTorch's order."""
    gh = num_gates(spec.kind) * spec.hidden_size
    if spec.num_layers is None:
        shapes = [(spec.input_size,)]
        keys = [param_names(None, 0, spec.bias)]
    else:
        shapes, keys = [], []
        for layer in range(spec.num_layers):
            d_in = spec.input_size if layer == 0 else spec.hidden_size * spec.num_directions
            for direction in range(spec.num_directions):
                shapes.append((d_in,))
                keys.append(param_names(layer, direction, spec.bias))
    out = {}
    for (d_in,), names in zip(shapes, keys):
        full = [(gh, d_in), (gh, spec.hidden_size), (gh,), (gh,)]
        out.update(zip(names, full))
    return out


def make_rng(seed=None) -> np.random.Generator:
    """A NumPy generator from ``seed`` (int, Generator, or None: one draw from NumPy's global generator,
    which :func:`rnnlearn.utils.set_seed` seeds, so ``set_seed(0)`` makes every twin's weights repeatable)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        seed = int(np.random.randint(0, 2**31 - 1))
    return np.random.default_rng(seed)


def init_params(spec: Spec, seed=None, forget_bias: float = 0.0, dtype="float32") -> dict[str, np.ndarray]:
    """Initial values: every tensor uniform in (-1/sqrt(H), 1/sqrt(H)), as PyTorch does.

    ``forget_bias`` is then added to the forget-gate block of each LSTM ``bias_ih`` (1.0 is Keras's
    ``unit_forget_bias`` and the advice of Jozefowicz et al. 2015; 0.0 keeps PyTorch's initialisation).
    The same ``seed`` gives the same numbers to the NumPy, PyTorch and Keras twins.
    """
    rng = make_rng(seed)
    bound = 1.0 / np.sqrt(spec.hidden_size)
    params = {}
    for name, shape in param_shapes(spec).items():
        value = rng.uniform(-bound, bound, size=shape)
        if spec.kind == "lstm" and name.startswith("bias_ih"):
            h = spec.hidden_size
            value[h : 2 * h] += forget_bias  # gate order i, f, g, o
        params[name] = value.astype(dtype)
    return params


def reorder_gates(array: np.ndarray, kind: str, to: str, axis: int = 0) -> np.ndarray:
    """Permute the gate blocks along ``axis`` between the neutral (``to="keras"``) and Keras order (``to="neutral"``)."""
    _check_kind(kind)
    neutral = GATES[kind]
    keras_as_neutral = tuple(KERAS_TO_NEUTRAL[kind][g] for g in KERAS_GATES[kind])
    if to == "keras":
        order = [neutral.index(g) for g in keras_as_neutral]
    elif to == "neutral":
        order = [keras_as_neutral.index(g) for g in neutral]
    else:
        raise ValueError(f"to must be 'keras' or 'neutral', got {to!r}")
    blocks = np.split(np.asarray(array), len(neutral), axis=axis)
    return np.concatenate([blocks[k] for k in order], axis=axis)


def to_keras(kind: str, weight_ih, weight_hh, bias_ih=None, bias_hh=None, reset_after: bool = True) -> list[np.ndarray]:
    """One direction's neutral tensors as the list Keras's ``cell.get_weights()`` holds.

    ``[kernel (D, G*H), recurrent_kernel (H, G*H), bias]`` where bias is ``bias_ih + bias_hh`` (G*H,)
    or, for a GRU with ``reset_after=True``, ``stack([bias_ih, bias_hh])`` (2, G*H). No bias: two arrays.
    """
    kernel = reorder_gates(weight_ih, kind, "keras").T
    recurrent = reorder_gates(weight_hh, kind, "keras").T
    if bias_ih is None:
        return [kernel, recurrent]
    b_ih = reorder_gates(bias_ih, kind, "keras")
    b_hh = reorder_gates(bias_hh, kind, "keras")
    if kind == "gru" and reset_after:
        return [kernel, recurrent, np.stack([b_ih, b_hh])]
    return [kernel, recurrent, b_ih + b_hh]


def from_keras(kind: str, weights, reset_after: bool = True) -> list[np.ndarray]:
    """Inverse of :func:`to_keras`: ``[weight_ih, weight_hh(, bias_ih, bias_hh)]``.

    A single Keras bias goes to ``bias_ih`` and zeros to ``bias_hh`` (only their sum matters).
    """
    weights = [np.asarray(w) for w in weights]
    weight_ih = reorder_gates(weights[0].T, kind, "neutral")
    weight_hh = reorder_gates(weights[1].T, kind, "neutral")
    if len(weights) == 2:
        return [weight_ih, weight_hh]
    bias = weights[2]
    if kind == "gru" and reset_after:
        return [weight_ih, weight_hh, reorder_gates(bias[0], kind, "neutral"), reorder_gates(bias[1], kind, "neutral")]
    return [weight_ih, weight_hh, reorder_gates(bias, kind, "neutral"), np.zeros_like(bias)]


def make_spec(kind, input_size, hidden_size, num_layers=None, bidirectional=False, bias=True,
              nonlinearity="tanh", reset_after=True, where="") -> Spec:
    """Validate constructor arguments (shared by every twin) and return their :class:`Spec`."""
    who = f"{where}: " if where else ""
    for name, value in (("input_size", input_size), ("hidden_size", hidden_size), ("num_layers", num_layers)):
        if value is not None or name != "num_layers":
            positive_int(value, name, where or f"{kind} layer")
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"{who}nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
    return Spec(kind, int(input_size), int(hidden_size), None if num_layers is None else int(num_layers),
                bool(bidirectional), bool(bias), nonlinearity, bool(reset_after))


def canonical_dtype(dtype, where="") -> str:
    """``"float32"`` or ``"float64"`` from a string, a NumPy dtype, a torch dtype or a Keras dtype name."""
    name = str(dtype).replace("torch.", "")
    if name in ("float32", "float64"):
        return name
    try:
        name = np.dtype(dtype).name
    except TypeError:
        pass
    if name not in ("float32", "float64"):
        raise ValueError(f"{where + ': ' if where else ''}dtype must be 'float32' or 'float64', got {dtype!r}")
    return name


# --- descriptions for people: the tables and figures of the book ----------------------------------

GATE_MEANINGS = {
    "rnn": {"h": "new state"},
    "lstm": {"i": "input gate", "f": "forget gate", "g": "cell candidate", "o": "output gate"},
    "gru": {"r": "reset gate", "z": "update gate", "n": "candidate state"},
}


def _block(index: int, hidden_size):
    """``(start, stop)`` of block ``index``, or ``"kH:(k+1)H"`` when ``hidden_size`` is None."""
    if hidden_size is None:
        def multiple(k):
            return "0" if k == 0 else ("H" if k == 1 else f"{k}H")
        return f"{multiple(index)}:{multiple(index + 1)}"
    return (index * hidden_size, (index + 1) * hidden_size)


def gate_blocks(kind: str, hidden_size: int | None = None) -> list[dict]:
    """Where each gate's block sits in PyTorch's weights (rows) and in Keras's (columns).

    One dict per gate, in PyTorch's order: ``gate`` (our name), ``keras_gate`` (Keras's name),
    ``meaning``, ``torch_rows`` (rows of ``weight_ih``/``weight_hh`` and entries of the biases) and
    ``keras_columns`` (columns of ``kernel``/``recurrent_kernel`` and entries of ``bias``): a
    ``(start, stop)`` pair, or a string such as ``"H:2H"`` when ``hidden_size`` is None.

    Examples
    --------
    >>> [(row["gate"], row["torch_rows"], row["keras_columns"]) for row in gate_blocks("gru")]
    [('r', '0:H', 'H:2H'), ('z', 'H:2H', '0:H'), ('n', '2H:3H', '2H:3H')]
    """
    _check_kind(kind)
    neutral_to_keras = {v: k for k, v in KERAS_TO_NEUTRAL[kind].items()}
    keras_as_neutral = [KERAS_TO_NEUTRAL[kind][g] for g in KERAS_GATES[kind]]
    return [{"gate": gate, "keras_gate": neutral_to_keras[gate], "meaning": GATE_MEANINGS[kind][gate],
             "torch_rows": _block(k, hidden_size), "keras_columns": _block(keras_as_neutral.index(gate), hidden_size)}
            for k, gate in enumerate(GATES[kind])]


def tensor_table(kind: str, input_size: int, hidden_size: int, reset_after: bool = True) -> list[dict]:
    """One layer's tensors in PyTorch and in Keras, with the conversion between them.

    One dict per Keras tensor: ``keras`` (name), ``keras_shape``, ``torch`` (the PyTorch names it
    comes from), ``torch_shape`` and ``conversion``. The Keras shapes are those :func:`to_keras`
    produces, so the table cannot drift from the converter.

    Examples
    --------
    >>> [(row["keras"], row["keras_shape"]) for row in tensor_table("lstm", 3, 5)]
    [('kernel', (3, 20)), ('recurrent_kernel', (5, 20)), ('bias', (20,))]
    """
    spec = Spec(kind, input_size, hidden_size, None, reset_after=reset_after)
    shapes = param_shapes(spec)
    zeros = {name: np.zeros(shape, dtype="float32") for name, shape in shapes.items()}
    keras_weights = to_keras(kind, zeros["weight_ih"], zeros["weight_hh"], zeros["bias_ih"], zeros["bias_hh"],
                             reset_after=spec.reset_after)
    reorder = "swap the r and z blocks, " if kind == "gru" else ""
    if kind == "gru" and spec.reset_after:
        bias_rule = f"{reorder}stack the two rows [b_ih, b_hh]"
    elif kind == "gru":
        bias_rule = f"{reorder}add the two biases (reset-before: nn.GRU has no such form)"
    else:
        bias_rule = "add the two biases (Keras keeps one)"
    return [
        {"keras": "kernel", "keras_shape": keras_weights[0].shape, "torch": "weight_ih",
         "torch_shape": shapes["weight_ih"], "conversion": f"{reorder}transpose"},
        {"keras": "recurrent_kernel", "keras_shape": keras_weights[1].shape, "torch": "weight_hh",
         "torch_shape": shapes["weight_hh"], "conversion": f"{reorder}transpose"},
        {"keras": "bias", "keras_shape": keras_weights[2].shape, "torch": "bias_ih, bias_hh",
         "torch_shape": shapes["bias_ih"], "conversion": bias_rule},
    ]


class StateConventions:
    """What the three twins share about sizes and states, whatever the framework.

    A model holds a :class:`Spec` as ``self.spec`` and ``num_states`` (2 for the LSTM's ``(h, c)``,
    else 1). Internally a state is always a tuple; users see a single array, or the ``(h, c)`` pair.
    """

    num_states = 1

    @property
    def input_size(self):
        return self.spec.input_size

    @property
    def hidden_size(self):
        return self.spec.hidden_size

    def _as_tuple(self, state, name="state"):
        if self.num_states == 1:
            return (state,)
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            raise ValueError(f"{type(self).__name__} expected {name} to be a tuple (h, c), got {type(state).__name__}")
        return tuple(state)

    def _public(self, state):
        return state[0] if self.num_states == 1 else tuple(state)
