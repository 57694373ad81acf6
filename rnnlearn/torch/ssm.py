"""Diagonal state-space layers in PyTorch: S4D, the linear recurrent unit (LRU) and a selective SSM (Mamba's S6)."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from ..ssm_layout import check_choice, check_size, lru_init, s4d_init, selective_ssm_init
from ._params import ParamLayer
from .scan import linear_scan

__all__ = ["S4D", "LRU", "SelectiveSSM"]


def _complex_state(layer, state, shape):
    """A complex state from the public pair ``(h_re, h_im)``, or zeros."""
    if state is None:
        return torch.zeros(shape, dtype=layer.complex_dtype, device=layer.device)
    h_re, h_im = state
    return torch.complex(layer._tensor(h_re, shape, "h_re")[0], layer._tensor(h_im, shape, "h_im")[0])


def _pair(h):
    return h.real, h.imag


class S4D(ParamLayer):
    """A diagonal state-space layer, S4D (Gu et al. 2022), in PyTorch: one SSM per channel, batch-first.

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
        ``"float32"`` (default) or ``"float64"``; complex numbers are computed in the matching complex dtype.
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
                 dtype="float32", seed=None):
        super().__init__()
        self.hidden_size = check_size(hidden_size, "hidden_size", "S4D")
        self.state_size = check_size(state_size, "state_size", "S4D", even=True)
        self.init = check_choice(init, "init", ("lin", "inv"), "S4D")
        self.discretization = check_choice(discretization, "discretization", ("zoh", "bilinear"), "S4D")
        self._setup(s4d_init(hidden_size, state_size, init, dt_min, dt_max, seed, dtype))

    def discretize(self):
        """``(A_bar, B_bar, log_A_bar)``, complex (H, M) each."""
        dt = torch.exp(self.log_dt)[:, None]  # (H, 1)
        A = torch.complex(-torch.exp(self.log_A_real), self.A_imag)  # (H, M)
        if self.discretization == "zoh":
            log_A_bar = dt * A
            A_bar = torch.exp(log_A_bar)
            B_bar = (A_bar - 1) / A
        else:
            A_bar = (1 + dt * A / 2) / (1 - dt * A / 2)
            log_A_bar = torch.log(A_bar)
            B_bar = dt / (1 - dt * A / 2)
        return A_bar, B_bar, log_A_bar

    def _powers(self, log_A_bar, T):
        """``A_bar ** l`` for l = 0, ..., T - 1: (H, M, T)."""
        return torch.exp(log_A_bar[..., None] * torch.arange(T, dtype=self.dtype, device=self.device))

    def kernel(self, T):
        """The convolution kernel K (H, T): ``K[:, l] = 2 Re(sum_m C_m B_bar_m A_bar_m^l)``."""
        T = check_size(T, "T", "S4D.kernel")
        _, B_bar, log_A_bar = self.discretize()
        C = torch.complex(self.C_re, self.C_im)  # (H, M)
        return 2 * torch.einsum("hm,hml->hl", C * B_bar, self._powers(log_A_bar, T)).real

    def forward(self, x, state=None, mode="convolution"):
        x, sym = self._tensor(x, ("B", "T", self.hidden_size), "x")
        B, T, H, M = sym["B"], sym["T"], self.hidden_size, self.state_size // 2
        check_choice(mode, "mode", ("convolution", "recurrence"), "S4D")
        h0 = _complex_state(self, state, (B, H, M))
        A_bar, B_bar, log_A_bar = self.discretize()
        C = torch.complex(self.C_re, self.C_im)
        if mode == "recurrence":
            h = linear_scan(A_bar[None, None], B_bar * x[..., None], h0)  # (B, T, H, M)
            y = 2 * torch.einsum("bthm,hm->bth", h, C).real + self.D * x
            return y, _pair(h[:, -1])
        K = self.kernel(T)  # (H, T)
        n = 2 * T  # zero-padding to 2T turns the FFT's circular convolution into a causal one
        y = torch.fft.irfft(torch.fft.rfft(x, n, dim=1) * torch.fft.rfft(K.T, n, dim=0), n, dim=1)[:, :T]  # (B, T, H)
        powers = self._powers(log_A_bar, T + 1)  # (H, M, T + 1)
        y = y + 2 * torch.einsum("hm,hml,bhm->blh", C, powers[..., 1:], h0).real + self.D * x  # h0 decays as A_bar^(t+1)
        x_c = x.to(powers.dtype)
        h_last = powers[..., T] * h0 + B_bar * torch.einsum("bsh,hms->bhm", x_c, powers[..., :T].flip(-1))
        return y, _pair(h_last)

    def step(self, x_t, state=None):
        """One step of the recurrence: ``y_t`` (B, H) and the new state from ``x_t`` (B, H)."""
        x_t, sym = self._tensor(x_t, ("B", self.hidden_size), "x_t")
        h = _complex_state(self, state, (sym["B"], self.hidden_size, self.state_size // 2))
        A_bar, B_bar, _ = self.discretize()
        h = A_bar * h + B_bar * x_t[..., None]  # (B, H, M)
        y_t = 2 * torch.einsum("bhm,hm->bh", h, torch.complex(self.C_re, self.C_im)).real + self.D * x_t
        return y_t, _pair(h)


class LRU(ParamLayer):
    """The linear recurrent unit (Orvieto et al. 2023), in PyTorch, batch-first: a complex diagonal linear recurrence.

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
        ``"float32"`` (default) or ``"float64"``; complex numbers are computed in the matching complex dtype.
    seed : int or None
        Seed of the initialisation; the same seed gives the same weights in the three twins.

    Shapes
    ------
    B batch, T time steps, H features, N complex state units.

    - ``x``: (B, T, H); ``x_t``: (B, H); ``state``: ``(h_re, h_im)``, each (B, N), or None for zeros.
    - ``layer(x, state, method=...)`` returns ``y`` (B, T, H) and the final state; ``method`` is passed to
      :func:`linear_scan` (``"blelloch"`` by default; ``"log"`` does not take complex numbers).
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
                 dtype="float32", seed=None):
        super().__init__()
        self.hidden_size = check_size(hidden_size, "hidden_size", "LRU")
        self.state_size = check_size(state_size, "state_size", "LRU")
        self._setup(lru_init(hidden_size, state_size, r_min, r_max, max_phase, seed, dtype))

    def eigenvalues(self):
        """lambda (N,), complex."""
        return torch.exp(torch.complex(-torch.exp(self.nu_log), torch.exp(self.theta_log)))

    def _input_matrix(self):
        """gamma * B, complex (N, H)."""
        return torch.complex(self.B_re, self.B_im) * torch.exp(self.gamma_log)[:, None]

    def forward(self, x, state=None, *, method="blelloch"):
        x, sym = self._tensor(x, ("B", "T", self.hidden_size), "x")
        h0 = _complex_state(self, state, (sym["B"], self.state_size))
        Bx = x.to(self.complex_dtype) @ self._input_matrix().T  # (B, T, N)
        h = linear_scan(self.eigenvalues()[None, None], Bx, h0, method=method)  # (B, T, N)
        y = (h @ torch.complex(self.C_re, self.C_im).T).real + self.D * x  # (B, T, H)
        return y, _pair(h[:, -1])

    def step(self, x_t, state=None):
        """One step: ``y_t`` (B, H) and the new state from ``x_t`` (B, H)."""
        x_t, sym = self._tensor(x_t, ("B", self.hidden_size), "x_t")
        h = _complex_state(self, state, (sym["B"], self.state_size))
        h = self.eigenvalues() * h + x_t.to(self.complex_dtype) @ self._input_matrix().T  # (B, N)
        y_t = (h @ torch.complex(self.C_re, self.C_im).T).real + self.D * x_t
        return y_t, _pair(h)


class SelectiveSSM(ParamLayer):
    """A selective state-space layer (the S6 of Mamba, Gu and Dao 2023), in PyTorch, batch-first.

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
                 dtype="float32", seed=None):
        super().__init__()
        self.hidden_size = check_size(hidden_size, "hidden_size", "SelectiveSSM")
        self.state_size = check_size(state_size, "state_size", "SelectiveSSM")
        if dt_rank is None:
            self.dt_rank = math.ceil(self.hidden_size / 16)
        else:
            self.dt_rank = check_size(dt_rank, "dt_rank", "SelectiveSSM")
        self.selective = bool(selective)
        self._setup(selective_ssm_init(hidden_size, state_size, self.dt_rank, self.selective, dt_min, dt_max,
                                       seed, dtype))

    def _coefficients(self, x):
        """``(A_bar, B_bar x, C)`` for inputs x (..., H): (..., H, N), (..., H, N), and C (..., 1, N) or (H, N)."""
        A = -torch.exp(self.A_log)  # (H, N)
        if self.selective:
            R, N = self.dt_rank, self.state_size
            projected = F.linear(x, self.x_proj_weight)  # (..., R + 2N)
            dt = F.softplus(F.linear(projected[..., :R], self.dt_proj_weight, self.dt_proj_bias))  # (..., H)
            B, C = projected[..., None, R:R + N], projected[..., None, R + N:]  # (..., 1, N) each
        else:
            dt = F.softplus(self.dt_proj_bias).expand_as(x)  # (..., H): the same at every step
            B, C = self.B, self.C  # (H, N)
        A_bar = torch.exp(dt[..., None] * A)  # (..., H, N)
        Bx = dt[..., None] * B * x[..., None]  # (..., H, N)
        return A_bar, Bx, C

    def _state(self, state, B):
        shape = (B, self.hidden_size, self.state_size)
        if state is None:
            return torch.zeros(shape, dtype=self.dtype, device=self.device)
        return self._tensor(state, shape, "state")[0]

    def forward(self, x, state=None, *, method="blelloch"):
        x, sym = self._tensor(x, ("B", "T", self.hidden_size), "x")
        A_bar, Bx, C = self._coefficients(x)
        h = linear_scan(A_bar, Bx, self._state(state, sym["B"]), method=method)  # (B, T, H, N)
        y = (h * C).sum(-1) + self.D * x  # (B, T, H)
        return y, h[:, -1]

    def step(self, x_t, state=None):
        """One step: ``y_t`` (B, H) and the new state h (B, H, N) from ``x_t`` (B, H)."""
        x_t, sym = self._tensor(x_t, ("B", self.hidden_size), "x_t")
        A_bar, Bx, C = self._coefficients(x_t)
        h = A_bar * self._state(state, sym["B"]) + Bx  # (B, H, N)
        return (h * C).sum(-1) + self.D * x_t, h
