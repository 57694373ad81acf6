"""The modern gated recurrences' weights: names, shapes, initial values and argument checks.

Shared by the NumPy, PyTorch and Keras twins of ``MinGRU``, ``MinLSTM``, ``RWKVTimeMix``, ``MLSTM``,
``RGLRU`` and ``QRNN``, so that the same ``seed`` gives the same numbers in all three. Every weight matrix
is stored as PyTorch stores a ``Linear`` layer's: (out, in), used as ``x @ W.T``.

===============  ======================================================================  ===========
model            tensors (shape)                                                         bias=False
===============  ======================================================================  ===========
MinGRU           ``weight_z``, ``weight_h`` (H, D); ``bias_z``, ``bias_h`` (H,)          no biases
MinLSTM          ``weight_f``, ``weight_i``, ``weight_h`` (H, D); ``bias_*`` (H,)        no biases
RWKVTimeMix      ``mix_r``, ``mix_k``, ``mix_v`` (D,); ``weight_r``, ``weight_k``,        (no option)
                 ``weight_v`` (H, D); ``weight_o`` (H, H); ``decay``, ``bonus`` (H,)
MLSTM            ``weight_q``, ``weight_k``, ``weight_v``, ``weight_o`` (H, D);            no biases
                 ``weight_i``, ``weight_f`` (1, D); ``bias_*`` (H,) or (1,)
RGLRU            ``weight_in`` (H, D); ``weight_a``, ``weight_x`` (H, H); ``bias_*`` (H,);  no biases
                 ``a_logit`` (H,) (Lambda)
QRNN             ``weight_z``, ``weight_f``, ``weight_o`` (H, 2D) on [x_{t-1}; x_t];        no biases
                 ``bias_z``, ``bias_f``, ``bias_o`` (H,)
===============  ======================================================================  ===========

Framework-free: NumPy only, so ``import rnnlearn`` stays light.
"""

from __future__ import annotations

import numpy as np

from .checks import positive_int
from .layout import canonical_dtype, make_rng
from .scan_checks import SCAN_METHODS

__all__ = ["GATED_MODELS", "MIN_METHODS", "gated_param_shapes", "gated_init_params", "gated_state_spec",
           "check_gated_args", "check_method", "check_c", "check_forget_gate", "RGLRU_METHODS",
           "QRNN_METHODS"]

GATED_MODELS = ("MinGRU", "MinLSTM", "RWKVTimeMix", "MLSTM", "RGLRU", "QRNN")
# minGRU and minLSTM: "log" is the paper's log-space scan of their log-coefficients; the others are
# the ``linear_scan`` methods (rnnlearn.{numpy,torch,keras}.scan) in linear space.
MIN_METHODS = SCAN_METHODS
# The RG-LRU: any ``linear_scan`` method ("log" works in log space on a_t > 0 and splits b_t by sign).
RGLRU_METHODS = SCAN_METHODS
# The QRNN's fo-pooling: any ``linear_scan`` method (f_t > 0, so "log" applies too).
QRNN_METHODS = SCAN_METHODS
FORGET_GATES = ("sigmoid", "exp")


def check_gated_args(input_size, hidden_size, where):
    """Validate the two sizes every constructor takes; return them as ints."""
    return positive_int(input_size, "input_size", where), positive_int(hidden_size, "hidden_size", where)


def check_method(method, allowed, where):
    """``method`` if it is one of ``allowed``, else a ValueError naming the choices."""
    if method not in allowed:
        raise ValueError(f"{where}: method must be one of {allowed}, got {method!r}")
    return method


def check_c(c, where="RGLRU"):
    """The RG-LRU's constant c as a float, if it is a positive number."""
    if isinstance(c, bool) or not isinstance(c, (int, float, np.integer, np.floating)) or not c > 0:
        raise ValueError(f"{where}: c must be a positive number, got {c!r}")
    return float(c)


def check_forget_gate(forget_gate, where="MLSTM"):
    if forget_gate not in FORGET_GATES:
        raise ValueError(f"{where}: forget_gate must be one of {FORGET_GATES}, got {forget_gate!r}")
    return forget_gate


def _linear(names, out_size, in_size, bias):
    """Shapes of ``weight_<name>`` (out, in) and, with ``bias``, ``bias_<name>`` (out,) for each name."""
    shapes = {f"weight_{n}": (out_size, in_size) for n in names}
    if bias:
        shapes.update({f"bias_{n}": (out_size,) for n in names})
    return shapes


def gated_param_shapes(model: str, input_size: int, hidden_size: int, bias: bool = True) -> dict:
    """Ordered ``{name: shape}`` of one model's tensors (see the table in the module docstring)."""
    D, H = input_size, hidden_size
    if model == "MinGRU":
        return _linear("zh", H, D, bias)
    if model == "MinLSTM":
        return _linear("fih", H, D, bias)
    if model == "RWKVTimeMix":
        return {"mix_r": (D,), "mix_k": (D,), "mix_v": (D,), **_linear("rkv", H, D, False),
                "weight_o": (H, H), "decay": (H,), "bonus": (H,)}
    if model == "MLSTM":
        return {**_linear("qkvo", H, D, bias), **_linear("if", 1, D, bias)}
    if model == "RGLRU":
        return {**_linear(["in"], H, D, bias), **_linear("ax", H, H, bias), "a_logit": (H,)}
    if model == "QRNN":  # a convolution of width 2 over time: each gate reads [x_{t-1}; x_t]
        return _linear("zfo", H, 2 * D, bias)
    raise ValueError(f"model must be one of {GATED_MODELS}, got {model!r}")


def _initial_value(name, shape, fan_in, rng):
    """One tensor's initial value (float64); the rules are listed in :func:`gated_init_params`."""
    if name.startswith("mix_"):
        return rng.uniform(0.0, 1.0, size=shape)
    if name == "decay":  # w = exp(decay): channels from slow (e^-w = 0.98) to fast (0.07) forgetting
        return np.linspace(-4.0, 1.0, shape[0])
    if name == "bonus":
        return rng.uniform(-0.5, 0.5, size=shape)
    if name == "a_logit":  # sigma(Lambda) with sigma(Lambda)^2 uniform in [0.9^2, 0.999^2]
        a = np.sqrt(rng.uniform(0.9**2, 0.999**2, size=shape))
        return np.log(a) - np.log1p(-a)
    bound = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-bound, bound, size=shape)


def gated_init_params(model, input_size, hidden_size, bias=True, seed=None, dtype="float32") -> dict:
    """Initial values of one model's tensors; the same ``seed`` gives the same numbers in every twin.

    - weights and biases of a linear map with ``fan_in`` inputs: uniform in (-1/sqrt(fan_in), 1/sqrt(fan_in)),
      as ``torch.nn.Linear`` does;
    - RWKV's token-shift mixes ``mix_*``: uniform in (0, 1); ``decay``: evenly spaced from -4 to 1, so the
      per-step decay e^{-w} = exp(-exp(decay)) runs from about 0.98 to 0.07 across the channels;
      ``bonus`` u: uniform in (-0.5, 0.5);
    - the RG-LRU's ``a_logit`` Lambda: sigma(Lambda) in [0.9, 0.999], as the Griffin authors' code
      (``recurrentgemma``) initialises it.
    """
    check_gated_args(input_size, hidden_size, model)
    dtype = canonical_dtype(dtype, model)
    rng = make_rng(seed)
    shapes = gated_param_shapes(model, input_size, hidden_size, bias)
    params = {}
    for name, shape in shapes.items():
        weight_name = name.replace("bias_", "weight_")
        fan_in = shapes[weight_name][1] if weight_name in shapes and len(shapes[weight_name]) == 2 else 1
        params[name] = np.asarray(_initial_value(name, shape, fan_in, rng)).astype(dtype)
    return params


# The stand-in for minus infinity that starts RWKV's running maximum p (as the RWKV-4 code does).
RWKV_P0 = -1e30


def gated_state_spec(model: str, input_size: int, hidden_size: int) -> list[tuple[str, tuple, float]]:
    """``[(name, shape, initial value)]`` of one model's state; each shape starts with the batch "B".

    A state with one part is passed around as that array, a state with several as a tuple in this order.
    """
    D, H = input_size, hidden_size
    if model in ("MinGRU", "MinLSTM", "RGLRU"):
        return [("h", ("B", H), 0.0)]
    if model == "RWKVTimeMix":
        return [("x", ("B", D), 0.0), ("a", ("B", H), 0.0), ("b", ("B", H), 0.0), ("p", ("B", H), RWKV_P0)]
    if model == "MLSTM":
        return [("C", ("B", H, H), 0.0), ("n", ("B", H), 0.0), ("m", ("B",), 0.0)]
    if model == "QRNN":  # the memory c and the last input x (the convolution's window reaches one step back)
        return [("c", ("B", H), 0.0), ("x", ("B", D), 0.0)]
    raise ValueError(f"model must be one of {GATED_MODELS}, got {model!r}")
