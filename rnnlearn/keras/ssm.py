"""Diagonal state-space layers in Keras 3 (``keras.ops`` only): S4D, the linear recurrent unit (LRU) and a
selective SSM (Mamba's S6).

Complex numbers are carried as pairs ``(re, im)`` of real tensors: Keras has no complex dtype that keeps
float64 on every backend.
"""

from __future__ import annotations

import math

import numpy as np
from keras import ops

from ..ssm_layout import check_choice, check_size, lru_init, s4d_init, selective_ssm_init
from ._base import matmul
from ._params import ParamLayer, layer_dtype
from .scan import linear_scan

__all__ = ["S4D", "LRU", "SelectiveSSM", "rotating_scan"]


# --- complex arithmetic on (re, im) pairs --------------------------------------------------------------

def _cmul(u, v):
    return u[0] * v[0] - u[1] * v[1], u[0] * v[1] + u[1] * v[0]


def _cdiv(u, v):
    norm = v[0] * v[0] + v[1] * v[1]
    return (u[0] * v[0] + u[1] * v[1]) / norm, (u[1] * v[0] - u[0] * v[1]) / norm


def _cexp(u):
    scale = ops.exp(u[0])
    return scale * ops.cos(u[1]), scale * ops.sin(u[1])


def _clog(u):
    """The principal logarithm: log|u| + i arg(u), the argument by the half-angle formula
    arg = 2 arctan(im / (|u| + re)) (``ops.arctan2`` computes in float32 under the torch backend);
    it is undefined only on the negative real axis."""
    modulus = ops.sqrt(u[0] * u[0] + u[1] * u[1])
    return ops.log(modulus), 2 * ops.arctan(u[1] / (modulus + u[0]))


def _state_pair(layer, state, shape, batch_shape):
    if state is None:
        zeros = ops.zeros(batch_shape, dtype=layer.compute_dtype)
        return zeros, zeros
    h_re, h_im = state
    return layer._tensor(h_re, shape, "h_re")[0], layer._tensor(h_im, shape, "h_im")[0]


def rotating_scan(log_r, phase, b, h0, method="blelloch"):
    """All h_t of ``h_t = r e^{i phase} h_{t-1} + b_t`` for a time-invariant complex coefficient, in real arithmetic.

    ``log_r`` and ``phase`` broadcast to b's trailing axes (...); ``b`` and ``h0`` are pairs ``(re, im)``
    of shapes (B, T, ...) and (B, ...). With :math:`g_t = e^{-i \\phi t} h_t` the recurrence becomes
    :math:`g_t = r g_{t-1} + e^{-i \\phi t} b_t`: a real coefficient r, so one real :func:`linear_scan` of
    the stacked real and imaginary parts; then :math:`h_t = e^{i \\phi t} g_t`. The angles
    :math:`\\phi t` are computed in float64 so that long sequences keep their phase.
    """
    b_re, b_im = b
    T = b_re.shape[1]
    trailing = len(b_re.shape) - 2
    t = ops.convert_to_tensor(np.arange(1, T + 1, dtype="float64").reshape((1, T) + (1,) * trailing))
    angle = ops.cast(phase, "float64") * t  # (1, T, ...)
    cos, sin = ops.cast(ops.cos(angle), b_re.dtype), ops.cast(ops.sin(angle), b_re.dtype)
    g_in = ops.stack([cos * b_re + sin * b_im, cos * b_im - sin * b_re], axis=-1)  # e^{-i phi t} b_t, (B, T, ..., 2)
    r = ops.reshape(ops.exp(log_r), (1, 1) + tuple(ops.shape(log_r)) + (1,))
    r = ops.broadcast_to(r, (1, 1) + tuple(g_in.shape[2:]))  # (1, 1, ..., 2)
    g = linear_scan(r, g_in, ops.stack(h0, axis=-1), method=method)  # (B, T, ..., 2)
    g_re, g_im = g[..., 0], g[..., 1]
    return cos * g_re - sin * g_im, sin * g_re + cos * g_im  # h_t = e^{i phi t} g_t


class S4D(ParamLayer):
    """A diagonal state-space layer, S4D (Gu et al. 2022), in Keras 3: one SSM per channel, batch-first.

    Keras has no dependable complex dtype (``view_as_complex`` gives complex64 even for float64, and
    the torch backend maps complex128 to complex64), so this twin carries real and imaginary parts
    explicitly: the same equations, in real arithmetic.

    Parameters
    ----------
    hidden_size : int
        H, the number of channels; input and output have H features, each channel its own SSM.
    state_size : int
        N, the state size per channel (even): N/2 complex modes, each standing for a conjugate pair.
    init : str
        ``"lin"`` (S4D-Lin, default) or ``"inv"`` (S4D-Inv): the initial diagonal A.
    discretization : str
        ``"zoh"`` (zero-order hold, default) or ``"bilinear"``.
    dt_min, dt_max : float
        The step sizes Delta start log-uniform in [dt_min, dt_max], one per channel.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; the same seed gives the same weights in the three twins.

    Shapes
    ------
    B batch, T time steps, H channels, N state size, M = N/2 complex modes.

    - ``x``: (B, T, H); ``x_t``: (B, H); ``state``: ``(h_re, h_im)``, real and imaginary parts of the
      complex state, each (B, H, M), or None for zeros.
    - ``layer(x, state, mode="convolution" or "recurrence")`` returns ``y`` (B, T, H) and the final state;
      ``layer.step(x_t, state)`` returns ``y_t`` (B, H) and the new state; ``layer.kernel(T)`` is K (H, T).
    - ``log_dt`` (H,), ``log_A_real``, ``A_imag``, ``C_re``, ``C_im`` (H, M), ``D`` (H,).

    Notes
    -----
    Per channel, the continuous-time system :math:`h'(t) = A h(t) + B x(t)`, :math:`y = 2\\,\\mathrm{Re}(C h) + D x`
    with diagonal complex :math:`A = -\\exp(\\texttt{log\\_A\\_real}) + i\\,\\texttt{A\\_imag}` (its real part
    stays negative: a stable system), :math:`B = 1` (only the products :math:`C_m B_m` matter, so C absorbs B)
    and :math:`\\Delta = \\exp(\\texttt{log\\_dt})`, is discretised with

    .. math::

        \\text{zoh:} \\quad \\bar A = e^{\\Delta A}, \\quad \\bar B = (e^{\\Delta A} - 1) A^{-1} B; \\qquad
        \\text{bilinear:} \\quad \\bar A = \\frac{1 + \\Delta A / 2}{1 - \\Delta A / 2}, \\quad
        \\bar B = \\frac{\\Delta B}{1 - \\Delta A / 2}.

    The recurrence and its unrolled form, a causal convolution with the kernel K:

    .. math::

        h_t = \\bar A h_{t-1} + \\bar B x_t, \\quad y_t = 2\\,\\mathrm{Re}(C h_t) + D x_t; \\qquad
        K_l = 2\\,\\mathrm{Re}\\Big(\\sum_m C_m \\bar B_m \\bar A_m^{\\,l}\\Big), \\quad
        y_t = \\sum_{l=0}^{t} K_l x_{t-l} + D x_t.

    The sum over M modes counts each conjugate pair once, hence the 2 Re. Initial A, m = 0, ..., M - 1:
    S4D-Lin :math:`A_m = -\\tfrac12 + i \\pi m`;
    S4D-Inv :math:`A_m = -\\tfrac12 + i \\tfrac{N}{\\pi}\\big(\\tfrac{N}{2m + 1} - 1\\big)`.
    The convolution mode multiplies Fourier transforms (zero-padded to 2T).

    References
    ----------
    Gu et al. (2022), On the parameterization and initialization of diagonal state space models;
    Gu, Goel and Re (2022), Efficiently modeling long sequences with structured state spaces (S4).
    Book chapter: state-space models.
    """

    def __init__(self, hidden_size, *, state_size=64, init="lin", discretization="zoh", dt_min=1e-3, dt_max=1e-1,
                 dtype="float32", seed=None, **kwargs):
        dtype = layer_dtype(dtype, "S4D")
        super().__init__(dtype=dtype, **kwargs)
        self.hidden_size = check_size(hidden_size, "hidden_size", "S4D")
        self.state_size = check_size(state_size, "state_size", "S4D", even=True)
        self.init = check_choice(init, "init", ("lin", "inv"), "S4D")
        self.discretization = check_choice(discretization, "discretization", ("zoh", "bilinear"), "S4D")
        self._setup(s4d_init(hidden_size, state_size, init, dt_min, dt_max, seed, dtype),
                    dict(hidden_size=hidden_size, state_size=state_size, init=init, discretization=discretization,
                         dt_min=dt_min, dt_max=dt_max, dtype=dtype))

    def discretize(self):
        """``(A_bar, B_bar, log_A_bar)``, each a pair ``(re, im)`` of (H, M) tensors."""
        dt = ops.expand_dims(ops.exp(self.log_dt), 1)  # (H, 1)
        A = (-ops.exp(self.log_A_real), self.A_imag)  # (H, M)
        dtA = (dt * A[0], dt * A[1])
        if self.discretization == "zoh":
            log_A_bar = dtA
            A_bar = _cexp(log_A_bar)
            B_bar = _cdiv((A_bar[0] - 1, A_bar[1]), A)
        else:
            denominator = (1 - dtA[0] / 2, -dtA[1] / 2)
            A_bar = _cdiv((1 + dtA[0] / 2, dtA[1] / 2), denominator)
            log_A_bar = _clog(A_bar)
            B_bar = _cdiv((dt, ops.zeros_like(dt)), denominator)
        return A_bar, B_bar, log_A_bar

    def _powers(self, log_A_bar, T):
        """``A_bar ** l`` for l = 0, ..., T - 1: a pair of (H, M, T) tensors."""
        l = ops.convert_to_tensor(np.arange(T, dtype=self.compute_dtype))
        return _cexp((ops.expand_dims(log_A_bar[0], -1) * l, ops.expand_dims(log_A_bar[1], -1) * l))

    def kernel(self, T):
        """The convolution kernel K (H, T): ``K[:, l] = 2 Re(sum_m C_m B_bar_m A_bar_m^l)``."""
        T = check_size(T, "T", "S4D.kernel")
        _, B_bar, log_A_bar = self.discretize()
        CB = _cmul((self.C_re, self.C_im), B_bar)  # (H, M)
        V = self._powers(log_A_bar, T)
        return 2 * (ops.einsum("hm,hml->hl", CB[0], V[0]) - ops.einsum("hm,hml->hl", CB[1], V[1]))

    def call(self, x, state=None, mode="convolution"):
        x, sym = self._tensor(x, ("B", "T", self.hidden_size), "x")
        B, T, H, M = sym.get("B"), x.shape[1], self.hidden_size, self.state_size // 2
        if not isinstance(T, int):
            raise ValueError(f"S4D (Keras) expected a known number of steps T, got x of shape {tuple(x.shape)}")
        check_choice(mode, "mode", ("convolution", "recurrence"), "S4D")
        h0 = _state_pair(self, state, (B, H, M), (ops.shape(x)[0], H, M))
        A_bar, B_bar, log_A_bar = self.discretize()
        C = (self.C_re, self.C_im)
        if mode == "recurrence":
            Bx = (ops.expand_dims(x, -1) * B_bar[0], ops.expand_dims(x, -1) * B_bar[1])  # (B, T, H, M)
            h = rotating_scan(log_A_bar[0], log_A_bar[1], Bx, h0, method="sequential")
            y = 2 * (ops.einsum("bthm,hm->bth", h[0], C[0]) - ops.einsum("bthm,hm->bth", h[1], C[1])) + self.D * x
            return y, (h[0][:, -1], h[1][:, -1])
        K = self.kernel(T)  # (H, T)
        n = 2 * T  # zero-padding to 2T turns the FFT's circular convolution into a causal one
        x_fft = ops.rfft(ops.transpose(x, (0, 2, 1)), fft_length=n)  # pairs (B, H, T + 1): FFT over the last axis
        y = ops.irfft(_cmul(x_fft, ops.rfft(K, fft_length=n)), fft_length=n)[..., :T]  # (B, H, T)
        y = ops.transpose(y, (0, 2, 1))  # (B, T, H)
        powers = self._powers(log_A_bar, T + 1)  # (H, M, T + 1)
        CV = _cmul((ops.expand_dims(C[0], -1), ops.expand_dims(C[1], -1)), (powers[0][..., 1:], powers[1][..., 1:]))
        y = y + 2 * (ops.einsum("hml,bhm->blh", CV[0], h0[0]) - ops.einsum("hml,bhm->blh", CV[1], h0[1])) + self.D * x
        reversed_powers = (ops.flip(powers[0][..., :T], -1), ops.flip(powers[1][..., :T], -1))
        xV = (ops.einsum("bsh,hms->bhm", x, reversed_powers[0]), ops.einsum("bsh,hms->bhm", x, reversed_powers[1]))
        carried = _cmul((powers[0][..., T], powers[1][..., T]), h0)
        fed = _cmul(B_bar, xV)
        return y, (carried[0] + fed[0], carried[1] + fed[1])

    def step(self, x_t, state=None):
        """One step of the recurrence: ``y_t`` (B, H) and the new state from ``x_t`` (B, H)."""
        x_t, sym = self._tensor(x_t, ("B", self.hidden_size), "x_t")
        H, M = self.hidden_size, self.state_size // 2
        h = _state_pair(self, state, (sym.get("B"), H, M), (ops.shape(x_t)[0], H, M))
        A_bar, B_bar, _ = self.discretize()
        x_col = ops.expand_dims(x_t, -1)  # (B, H, 1)
        Ah = _cmul(A_bar, h)
        h = (Ah[0] + B_bar[0] * x_col, Ah[1] + B_bar[1] * x_col)  # (B, H, M)
        y_t = 2 * (ops.einsum("bhm,hm->bh", h[0], self.C_re) - ops.einsum("bhm,hm->bh", h[1], self.C_im)) + self.D * x_t
        return y_t, h


class LRU(ParamLayer):
    """The linear recurrent unit (Orvieto et al. 2023), in Keras 3, batch-first: a complex diagonal linear recurrence.

    Complex numbers in real arithmetic (Keras has no dependable complex dtype): the scan runs in the
    frame that turns with lambda, where the coefficient |lambda| is real (see :func:`rotating_scan`), so
    every :func:`linear_scan` method applies, ``"log"`` included.

    Parameters
    ----------
    hidden_size : int
        H, the number of input and output features.
    state_size : int
        N, the number of complex state units.
    r_min, r_max : float
        The eigenvalues start uniformly (by area) on the ring r_min <= |lambda| <= r_max, 0 <= r_min < r_max < 1.
        The defaults 0.4 and 0.99 are ours; the paper tunes them per task.
    max_phase : float
        The eigenvalues' phases start uniform in [0, max_phase].
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; the same seed gives the same weights in the three twins.

    Shapes
    ------
    B batch, T time steps, H features, N complex state units.

    - ``x``: (B, T, H); ``x_t``: (B, H); ``state``: ``(h_re, h_im)``, each (B, N), or None for zeros.
    - ``layer(x, state, method=...)`` returns ``y`` (B, T, H) and the final state; ``method`` is passed to
      :func:`linear_scan` (``"blelloch"`` by default).
      ``layer.step(x_t, state)`` returns ``y_t`` (B, H) and the new state.
    - ``nu_log``, ``theta_log``, ``gamma_log`` (N,), ``B_re``, ``B_im`` (N, H), ``C_re``, ``C_im`` (H, N), ``D`` (H,).

    Notes
    -----
    .. math::

        \\lambda = \\exp\\big(-e^{\\nu} + i e^{\\theta}\\big), \\quad \\gamma = e^{\\texttt{gamma\\_log}}, \\quad
        h_t = \\lambda \\odot h_{t-1} + \\gamma \\odot (B x_t), \\quad y_t = \\mathrm{Re}(C h_t) + D \\odot x_t

    with :math:`B = B_{re} + i B_{im}`, :math:`C = C_{re} + i C_{im}`. The exponential parameterisation keeps
    :math:`|\\lambda| = e^{-e^{\\nu}} < 1` (stable) for any :math:`\\nu`. Ring initialisation: with
    :math:`u_1, u_2 \\sim U(0, 1)`,
    :math:`\\nu = \\log\\big(-\\tfrac12 \\log(u_1 (r_{max}^2 - r_{min}^2) + r_{min}^2)\\big)`
    and :math:`\\theta = \\log(\\texttt{max\\_phase} \\cdot u_2)`; :math:`\\gamma = \\sqrt{1 - |\\lambda|^2}` at
    initialisation keeps the state's scale independent of :math:`|\\lambda|` for white-noise input.
    The recurrence is linear in h, so all :math:`h_t` come from one parallel scan.

    References
    ----------
    Orvieto et al. (2023), Resurrecting recurrent neural networks for long sequences.
    Book chapter: state-space models.
    """

    def __init__(self, hidden_size, *, state_size=64, r_min=0.4, r_max=0.99, max_phase=2 * math.pi,
                 dtype="float32", seed=None, **kwargs):
        dtype = layer_dtype(dtype, "LRU")
        super().__init__(dtype=dtype, **kwargs)
        self.hidden_size = check_size(hidden_size, "hidden_size", "LRU")
        self.state_size = check_size(state_size, "state_size", "LRU")
        self._setup(lru_init(hidden_size, state_size, r_min, r_max, max_phase, seed, dtype),
                    dict(hidden_size=hidden_size, state_size=state_size, r_min=r_min, r_max=r_max,
                         max_phase=max_phase, dtype=dtype))

    def eigenvalues(self):
        """lambda (N,) as a pair ``(re, im)``."""
        return _cexp((-ops.exp(self.nu_log), ops.exp(self.theta_log)))

    def _input_projection(self, x):
        """gamma * (B x): a pair of (..., N) tensors."""
        gamma = ops.exp(self.gamma_log)
        return matmul(x, ops.transpose(self.B_re)) * gamma, matmul(x, ops.transpose(self.B_im)) * gamma

    def _output(self, h, x):
        """Re(C h) + D x."""
        return matmul(h[0], ops.transpose(self.C_re)) - matmul(h[1], ops.transpose(self.C_im)) + self.D * x

    def call(self, x, state=None, *, method="blelloch"):
        x, sym = self._tensor(x, ("B", "T", self.hidden_size), "x")
        if not isinstance(x.shape[1], int):
            raise ValueError(f"LRU (Keras) expected a known number of steps T, got x of shape {tuple(x.shape)}")
        N = self.state_size
        h0 = _state_pair(self, state, (sym.get("B"), N), (ops.shape(x)[0], N))
        h = rotating_scan(-ops.exp(self.nu_log), ops.exp(self.theta_log), self._input_projection(x), h0, method)
        return self._output(h, x), (h[0][:, -1], h[1][:, -1])

    def step(self, x_t, state=None):
        """One step: ``y_t`` (B, H) and the new state from ``x_t`` (B, H)."""
        x_t, sym = self._tensor(x_t, ("B", self.hidden_size), "x_t")
        N = self.state_size
        h = _state_pair(self, state, (sym.get("B"), N), (ops.shape(x_t)[0], N))
        lam_h, Bx = _cmul(self.eigenvalues(), h), self._input_projection(x_t)
        h = (lam_h[0] + Bx[0], lam_h[1] + Bx[1])  # (B, N)
        return self._output(h, x_t), h


class SelectiveSSM(ParamLayer):
    """A selective state-space layer (the S6 of Mamba, Gu and Dao 2023), in Keras 3, batch-first.

    Only the selective SSM: no convolution, gating or projections around it (a Mamba block adds those).

    Parameters
    ----------
    hidden_size : int
        H, the number of channels (input and output features).
    state_size : int
        N, the state size per channel.
    dt_rank : int or None
        R, the rank of the projection that computes Delta from x; None for ceil(H / 16).
    selective : bool
        True (default): Delta, B and C depend on the input x_t. False: they are parameters, the same at
        every step: a time-invariant SSM (S4D-like, with real A), for comparison.
    dt_min, dt_max : float
        Delta's bias starts so that softplus(bias) is log-uniform in [dt_min, dt_max].
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; the same seed gives the same weights in the three twins.

    Shapes
    ------
    B batch, T time steps, H channels, N state size, R rank of Delta's projection.

    - ``x``: (B, T, H); ``x_t``: (B, H); ``state``: h (B, H, N), or None for zeros.
    - ``layer(x, state, method=...)`` returns ``y`` (B, T, H) and the final h; ``method`` is passed to
      :func:`linear_scan` (``"blelloch"`` by default). ``layer.step(x_t, state)`` returns ``y_t`` (B, H) and h.
    - selective: ``x_proj_weight`` (R + 2N, H), ``dt_proj_weight`` (H, R); time-invariant: ``B``, ``C`` (H, N);
      both: ``dt_proj_bias`` (H,), ``A_log`` (H, N), ``D`` (H,).

    Notes
    -----
    .. math::

        [\\delta_t; B_t; C_t] = W_x x_t, \\quad \\Delta_t = \\mathrm{softplus}(W_\\Delta \\delta_t + b_\\Delta), \\quad
        A = -\\exp(\\texttt{A\\_log}) \\text{ (real, diagonal, S4D-Real init } A_n = -(n + 1))

    with :math:`\\Delta_t \\in \\mathbb{R}^H` and :math:`B_t, C_t \\in \\mathbb{R}^N` shared by the channels. Per
    channel c and state unit n,

    .. math::

        \\bar A_{t,cn} = \\exp(\\Delta_{t,c} A_{cn}), \\quad \\bar B_{t,cn} = \\Delta_{t,c} B_{t,n}, \\quad
        h_{t,cn} = \\bar A_{t,cn} h_{t-1,cn} + \\bar B_{t,cn} x_{t,c}, \\quad
        y_{t,c} = \\sum_n C_{t,n} h_{t,cn} + D_c x_{t,c}.

    :math:`\\bar A` is the zero-order hold; :math:`\\bar B = \\Delta B` is the first-order simplification of the
    zero-order hold's :math:`(\\Delta A)^{-1}(e^{\\Delta A} - 1)\\Delta B`. A large :math:`\\Delta_t` resets the
    state towards the current input, a small one keeps it: the input decides what to remember.
    With ``selective=False``, :math:`\\Delta = \\mathrm{softplus}(b_\\Delta)`, B and C are per-channel
    parameters (H, N), and the layer is time-invariant. Either way h is linear in the inputs
    given the coefficients, so all :math:`h_t` come from one parallel scan over (B, T, H, N).

    References
    ----------
    Gu and Dao (2023), Mamba: linear-time sequence modeling with selective state spaces.
    Book chapter: selective state-space models.
    """

    def __init__(self, hidden_size, *, state_size=16, dt_rank=None, selective=True, dt_min=1e-3, dt_max=1e-1,
                 dtype="float32", seed=None, **kwargs):
        dtype = layer_dtype(dtype, "SelectiveSSM")
        super().__init__(dtype=dtype, **kwargs)
        self.hidden_size = check_size(hidden_size, "hidden_size", "SelectiveSSM")
        self.state_size = check_size(state_size, "state_size", "SelectiveSSM")
        if dt_rank is None:
            self.dt_rank = math.ceil(self.hidden_size / 16)
        else:
            self.dt_rank = check_size(dt_rank, "dt_rank", "SelectiveSSM")
        self.selective = bool(selective)
        self._setup(selective_ssm_init(hidden_size, state_size, self.dt_rank, self.selective, dt_min, dt_max,
                                       seed, dtype),
                    dict(hidden_size=hidden_size, state_size=state_size, dt_rank=dt_rank, selective=selective,
                         dt_min=dt_min, dt_max=dt_max, dtype=dtype))

    def _coefficients(self, x):
        """``(A_bar, B_bar x, C)`` for inputs x (..., H): (..., H, N), (..., H, N), and C (..., 1, N) or (H, N)."""
        A = -ops.exp(self.A_log)  # (H, N)
        if self.selective:
            R, N = self.dt_rank, self.state_size
            projected = matmul(x, ops.transpose(self.x_proj_weight))  # (..., R + 2N)
            dt_in = matmul(projected[..., :R], ops.transpose(self.dt_proj_weight))
            dt = ops.softplus(dt_in + self.dt_proj_bias)  # (..., H)
            B = ops.expand_dims(projected[..., R:R + N], -2)  # (..., 1, N)
            C = ops.expand_dims(projected[..., R + N:], -2)
        else:
            dt = ops.broadcast_to(ops.softplus(self.dt_proj_bias), ops.shape(x))  # (..., H): the same at every step
            B, C = self.B, self.C  # (H, N)
        A_bar = ops.exp(ops.expand_dims(dt, -1) * A)  # (..., H, N)
        Bx = ops.expand_dims(dt, -1) * B * ops.expand_dims(x, -1)  # (..., H, N)
        return A_bar, Bx, C

    def _state(self, state, B, batch):
        if state is None:
            return ops.zeros((batch, self.hidden_size, self.state_size), dtype=self.compute_dtype)
        return self._tensor(state, (B, self.hidden_size, self.state_size), "state")[0]

    def call(self, x, state=None, *, method="blelloch"):
        x, sym = self._tensor(x, ("B", "T", self.hidden_size), "x")
        A_bar, Bx, C = self._coefficients(x)
        h = linear_scan(A_bar, Bx, self._state(state, sym.get("B"), ops.shape(x)[0]), method=method)  # (B, T, H, N)
        y = ops.sum(h * C, -1) + self.D * x  # (B, T, H)
        return y, h[:, -1]

    def step(self, x_t, state=None):
        """One step: ``y_t`` (B, H) and the new state h (B, H, N) from ``x_t`` (B, H)."""
        x_t, sym = self._tensor(x_t, ("B", self.hidden_size), "x_t")
        A_bar, Bx, C = self._coefficients(x_t)
        h = A_bar * self._state(state, sym.get("B"), ops.shape(x_t)[0]) + Bx  # (B, H, N)
        return ops.sum(h * C, -1) + self.D * x_t, h
