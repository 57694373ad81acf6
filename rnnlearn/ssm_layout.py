"""The weights of the state-space and linear-attention layers: names, shapes, initial values, argument checks.

Shared by the NumPy, PyTorch and Keras twins of :class:`LinearAttention`, :class:`S4D`, :class:`LRU` and
:class:`SelectiveSSM`, so that the same ``seed`` gives the same numbers in all three and
:func:`rnnlearn.convert.copy_weights` can move weights between them by name. Every weight is real;
complex quantities (S4D's and the LRU's diagonal state matrices) are stored as real and imaginary parts
or in polar form.

- ``LinearAttention``: ``weight_q``, ``weight_k``, ``weight_v`` (H, D) for queries, keys and values;
  ``weight_o`` (H, H), the output projection of the concatenated heads.
- ``S4D``: ``log_dt`` (H,), the log step size per channel; ``log_A_real`` and ``A_imag`` (H, M), the diagonal
  A = -exp(log_A_real) + i A_imag with M = N/2 modes; ``C_re``, ``C_im`` (H, M), the output weights; ``D`` (H,).
- ``LRU``: ``nu_log``, ``theta_log`` (N,), the eigenvalues lambda = exp(-exp(nu_log) + i exp(theta_log));
  ``gamma_log`` (N,), the input normalisation; ``B_re``, ``B_im`` (N, H); ``C_re``, ``C_im`` (H, N); ``D`` (H,).
- ``SelectiveSSM``: ``A_log`` (H, N), A = -exp(A_log); ``dt_proj_bias`` (H,); ``D`` (H,); and either
  ``x_proj_weight`` (R + 2N, H), which maps x_t to (Delta's low-rank input, B_t, C_t), and ``dt_proj_weight``
  (H, R) (``selective=True``), or fixed ``B`` and ``C`` (H, N) (``selective=False``).

Framework-free: NumPy only, so ``import rnnlearn`` stays light.
"""

from __future__ import annotations

import math

import numpy as np

from .checks import positive_int
from .layout import canonical_dtype, make_rng

__all__ = ["check_size", "check_choice", "ssm_param_shapes", "linear_attention_init", "s4d_init", "lru_init",
           "selective_ssm_init", "s4d_A_init", "inverse_softplus"]


def check_size(value, name, where, even=False):
    """A positive integer (even if asked), else a ``ValueError`` naming the argument."""
    return positive_int(value, name, where, even=even)


def check_choice(value, name, choices, where):
    if value not in choices:
        raise ValueError(f"{where}: {name} must be one of {tuple(choices)}, got {value!r}")
    return value


def _dt_range(dt_min, dt_max, where):
    if not 0 < dt_min <= dt_max:
        raise ValueError(f"{where}: expected 0 < dt_min <= dt_max, got dt_min={dt_min!r}, dt_max={dt_max!r}")


def inverse_softplus(y):
    """x with softplus(x) = log(1 + e^x) = y, for y > 0."""
    return y + np.log(-np.expm1(-y))


def _finish(values, dtype, where):
    dtype = canonical_dtype(dtype, where)
    return {name: np.asarray(value, dtype=dtype) for name, value in values.items()}


# --- shapes --------------------------------------------------------------------------------------------

def ssm_param_shapes(kind, **config) -> dict:
    """Ordered ``{name: shape}`` of a layer's weights; ``kind`` is the class name."""
    if kind == "LinearAttention":
        D, H = config["input_size"], config["hidden_size"]
        return {"weight_q": (H, D), "weight_k": (H, D), "weight_v": (H, D), "weight_o": (H, H)}
    if kind == "S4D":
        H, M = config["hidden_size"], config["state_size"] // 2
        return {"log_dt": (H,), "log_A_real": (H, M), "A_imag": (H, M), "C_re": (H, M), "C_im": (H, M), "D": (H,)}
    if kind == "LRU":
        H, N = config["hidden_size"], config["state_size"]
        return {"nu_log": (N,), "theta_log": (N,), "gamma_log": (N,), "B_re": (N, H), "B_im": (N, H),
                "C_re": (H, N), "C_im": (H, N), "D": (H,)}
    if kind == "SelectiveSSM":
        H, N, R = config["hidden_size"], config["state_size"], config["dt_rank"]
        if config["selective"]:
            return {"x_proj_weight": (R + 2 * N, H), "dt_proj_weight": (H, R), "dt_proj_bias": (H,),
                    "A_log": (H, N), "D": (H,)}
        return {"dt_proj_bias": (H,), "B": (H, N), "C": (H, N), "A_log": (H, N), "D": (H,)}
    raise ValueError(f"ssm_param_shapes: unknown layer {kind!r}")


# --- initial values ------------------------------------------------------------------------------------

def linear_attention_init(input_size, hidden_size, seed=None, dtype="float32") -> dict:
    """Every projection uniform in (-1/sqrt(fan_in), 1/sqrt(fan_in)), as ``torch.nn.Linear`` does."""
    rng = make_rng(seed)
    values = {}
    for name, shape in ssm_param_shapes("LinearAttention", input_size=input_size, hidden_size=hidden_size).items():
        bound = 1.0 / math.sqrt(shape[1])
        values[name] = rng.uniform(-bound, bound, shape)
    return _finish(values, dtype, "LinearAttention")


def s4d_A_init(state_size, init="lin"):
    """The M = N/2 diagonal entries of S4D's A: ``"lin"`` -1/2 + i pi n, ``"inv"`` -1/2 + i (N/pi)(N/(2n+1) - 1)."""
    N = state_size
    n = np.arange(N // 2)
    imag = np.pi * n if init == "lin" else (N / np.pi) * (N / (2 * n + 1) - 1)
    return -0.5 + 1j * imag


def s4d_init(hidden_size, state_size, init="lin", dt_min=1e-3, dt_max=1e-1, seed=None, dtype="float32") -> dict:
    """S4D-Lin or S4D-Inv A, log Delta uniform in [log dt_min, log dt_max], C complex normal, D normal."""
    _dt_range(dt_min, dt_max, "S4D")
    rng = make_rng(seed)
    H, M = hidden_size, state_size // 2
    A = np.broadcast_to(s4d_A_init(state_size, init), (H, M))
    values = {
        "log_dt": rng.uniform(math.log(dt_min), math.log(dt_max), H),
        "log_A_real": np.log(-A.real),
        "A_imag": A.imag.copy(),
        "C_re": rng.normal(0.0, math.sqrt(0.5), (H, M)),  # E|C|^2 = 1
        "C_im": rng.normal(0.0, math.sqrt(0.5), (H, M)),
        "D": rng.standard_normal(H),
    }
    return _finish(values, dtype, "S4D")


def lru_init(hidden_size, state_size, r_min=0.4, r_max=0.99, max_phase=2 * math.pi, seed=None, dtype="float32") -> dict:
    """Ring initialisation: |lambda| uniform on the ring r_min <= r <= r_max (uniform in area), phase in [0, max_phase].

    ``gamma = sqrt(1 - |lambda|^2)`` normalises the state's variance for white-noise inputs;
    B is complex normal / sqrt(2H), C complex normal / sqrt(N), D normal.
    """
    if not 0 <= r_min < r_max < 1:
        raise ValueError(f"LRU: expected 0 <= r_min < r_max < 1, got r_min={r_min!r}, r_max={r_max!r}")
    if not max_phase > 0:
        raise ValueError(f"LRU: expected max_phase > 0, got {max_phase!r}")
    rng = make_rng(seed)
    H, N = hidden_size, state_size
    u1, u2 = rng.uniform(size=N), rng.uniform(size=N)
    u1 = np.maximum(u1, 1e-12)  # keeps |lambda| > 0 when r_min = 0
    radius_squared = u1 * (r_max**2 - r_min**2) + r_min**2
    nu_log = np.log(-0.5 * np.log(radius_squared))  # |lambda| = exp(-exp(nu_log))
    theta_log = np.log(max_phase * np.maximum(u2, 1e-12))
    values = {
        "nu_log": nu_log,
        "theta_log": theta_log,
        "gamma_log": 0.5 * np.log(1 - radius_squared),  # log sqrt(1 - |lambda|^2)
        "B_re": rng.standard_normal((N, H)) / math.sqrt(2 * H),
        "B_im": rng.standard_normal((N, H)) / math.sqrt(2 * H),
        "C_re": rng.standard_normal((H, N)) / math.sqrt(N),
        "C_im": rng.standard_normal((H, N)) / math.sqrt(N),
        "D": rng.standard_normal(H),
    }
    return _finish(values, dtype, "LRU")


def selective_ssm_init(hidden_size, state_size, dt_rank, selective=True, dt_min=1e-3, dt_max=1e-1, seed=None,
                       dtype="float32") -> dict:
    """S4D-Real A_n = -(n + 1); Delta's bias so that softplus(bias) is log-uniform in [dt_min, dt_max]; D = 1.

    Projections uniform in (-1/sqrt(fan_in), 1/sqrt(fan_in)); the time-invariant B and C likewise, with fan_in N.
    """
    _dt_range(dt_min, dt_max, "SelectiveSSM")
    rng = make_rng(seed)
    H, N, R = hidden_size, state_size, dt_rank
    dt = np.exp(rng.uniform(math.log(dt_min), math.log(dt_max), H))
    values = {}
    if selective:
        values["x_proj_weight"] = rng.uniform(-1 / math.sqrt(H), 1 / math.sqrt(H), (R + 2 * N, H))
        values["dt_proj_weight"] = rng.uniform(-1 / math.sqrt(R), 1 / math.sqrt(R), (H, R))
    values["dt_proj_bias"] = inverse_softplus(dt)
    if not selective:
        values["B"] = rng.uniform(-1 / math.sqrt(N), 1 / math.sqrt(N), (H, N))
        values["C"] = rng.uniform(-1 / math.sqrt(N), 1 / math.sqrt(N), (H, N))
    values["A_log"] = np.log(np.broadcast_to(np.arange(1, N + 1, dtype=float), (H, N)))
    values["D"] = np.ones(H)
    return _finish(values, dtype, "SelectiveSSM")
