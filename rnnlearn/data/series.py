"""Time series for forecasting: random sine mixtures, the Mackey-Glass delay equation, and sliding windows."""

from __future__ import annotations

import numbers

import numpy as np

from ._validate import at_least, make_rng, non_negative_float, positive_float, positive_int

__all__ = ["sine_mixture", "mackey_glass", "forecasting_windows"]


def sine_mixture(
    batch_size: int,
    seq_len: int,
    *,
    num_components: int = 3,
    frequency_range: tuple[float, float] = (0.05, 0.5),
    noise_std: float = 0.0,
    seed,
) -> np.ndarray:
    r"""Generate sums of sinusoids with random frequencies, amplitudes and phases.

    .. math::

        x_t = \sum_{k=1}^{K} a_k \sin(\omega_k t + \varphi_k) + \sigma \varepsilon_t, \qquad
        t = 0, \dots, T - 1,

    with :math:`\omega_k \sim U(\omega_{\min}, \omega_{\max})` in radians per step,
    :math:`\varphi_k \sim U(0, 2\pi)`, :math:`a_k = u_k / \sum_j u_j` with :math:`u_k \sim U(0.5, 1)` (so
    :math:`|x_t| \le 1` before noise) and :math:`\varepsilon_t \sim N(0, 1)`; all drawn per sequence.
    The noise-free series is predictable from its recent past, which makes it the usual first forecasting
    exercise; the "multiple superimposed oscillations" benchmark of the Evolino paper
    (:math:`\sin(0.2t) + \sin(0.311t)`) is one fixed instance.

    Parameters
    ----------
    batch_size : int
        Number of series B (>= 1).
    seq_len : int
        Length T (>= 1).
    num_components : int
        Number of sinusoids K (>= 1).
    frequency_range : tuple of float
        :math:`(\omega_{\min}, \omega_{\max})`, angular frequencies in radians per step,
        ``0 < low <= high <= pi`` (pi is the Nyquist limit). Periods are :math:`2\pi/\omega` steps.
    noise_std : float
        :math:`\sigma` (>= 0), standard deviation of the added Gaussian noise.
    seed : int or numpy.random.Generator
        Keyword-only and required; see :func:`rnnlearn.data.adding_problem`.

    Returns
    -------
    ndarray of float32, shape (B, T, 1)

    Shapes
    ------
    B batch, T time, D = 1 feature.

    References
    ----------
    Schmidhuber, J., Wierstra, D., Gagliolo, M. & Gomez, F. (2007). Training recurrent networks by Evolino.
    *Neural Computation* 19(3) (multiple superimposed oscillations).

    Examples
    --------
    >>> sine_mixture(2, 100, seed=0).shape
    (2, 100, 1)
    """
    where = "sine_mixture"
    batch_size = positive_int(batch_size, "batch_size", where)
    seq_len = positive_int(seq_len, "seq_len", where)
    num_components = positive_int(num_components, "num_components", where)
    noise_std = non_negative_float(noise_std, "noise_std", where)
    ok = (
        isinstance(frequency_range, (tuple, list))
        and len(frequency_range) == 2
        and all(isinstance(f, numbers.Real) and not isinstance(f, bool) for f in frequency_range)
        and 0 < frequency_range[0] <= frequency_range[1] <= np.pi
    )
    if not ok:
        raise ValueError(
            f"{where} expected frequency_range (low, high) with 0 < low <= high <= pi, got {frequency_range!r}"
        )
    rng = make_rng(seed, where)

    low, high = float(frequency_range[0]), float(frequency_range[1])
    omega = rng.uniform(low, high, size=(batch_size, 1, num_components))  # (B, 1, K)
    phase = rng.uniform(0.0, 2 * np.pi, size=(batch_size, 1, num_components))  # (B, 1, K)
    weight = rng.uniform(0.5, 1.0, size=(batch_size, 1, num_components))  # (B, 1, K)
    weight /= weight.sum(axis=-1, keepdims=True)
    t = np.arange(seq_len, dtype=np.float64)[None, :, None]  # (1, T, 1)
    x = (weight * np.sin(omega * t + phase)).sum(axis=-1, keepdims=True)  # (B, T, 1)
    if noise_std > 0:
        x = x + noise_std * rng.standard_normal(x.shape)
    return x.astype(np.float32)


def mackey_glass(
    batch_size: int,
    seq_len: int,
    *,
    tau: float = 17.0,
    beta: float = 0.2,
    gamma: float = 0.1,
    power: int = 10,
    dt: float = 0.1,
    sample_step: float = 1.0,
    washout: float = 200.0,
    x0: float | None = None,
    seed,
) -> np.ndarray:
    r"""Integrate the Mackey-Glass delay differential equation.

    .. math::

        \frac{dx}{dt} = \beta \, \frac{x(t - \tau)}{1 + x(t - \tau)^{n}} - \gamma \, x(t)

    With :math:`\beta = 0.2, \gamma = 0.1, n = 10` the solution is periodic for small delays and chaotic for
    :math:`\tau \ge 17`; :math:`\tau = 17` (the default, "MG17") is the standard benchmark, a mildly chaotic
    series that stays roughly within [0.2, 1.4].

    Integration: classical Runge-Kutta (RK4) with step ``dt``. The delayed term needs the past, so the whole
    trajectory is kept as a history buffer and :math:`x(t - \tau)` is read ``tau / dt`` steps back (``tau``
    must be a multiple of ``dt``); at the half steps RK4 needs, it is the mean of the two neighbouring stored
    values. The history on :math:`[-\tau, 0]` is a constant :math:`x_0`, drawn from U(0.5, 1.5) per series
    unless ``x0`` is given. The first ``washout`` time units are discarded (the transient), then one value is
    kept every ``sample_step`` time units.

    Parameters
    ----------
    batch_size : int
        Number of series B (>= 1), each from its own initial history.
    seq_len : int
        Number of samples T (>= 1).
    tau : float
        Delay :math:`\tau` (> 0), default 17.
    beta, gamma : float
        Production and decay rates (> 0), defaults 0.2 and 0.1.
    power : int
        Exponent :math:`n` (>= 1), default 10.
    dt : float
        Integration step (> 0, must divide ``tau`` and ``sample_step``), default 0.1.
    sample_step : float
        Time between returned samples (> 0), default 1.0.
    washout : float
        Time discarded before the first sample (>= 0), default 200.
    x0 : float or None
        Constant initial history for every series; None draws one per series from U(0.5, 1.5). With ``x0``
        set, every row is the same series and ``seed`` has no effect.
    seed : int or numpy.random.Generator
        Keyword-only and required; see :func:`rnnlearn.data.adding_problem`.

    Returns
    -------
    ndarray of float32, shape (B, T, 1)
        ``out[b, k, 0]`` is :math:`x(\text{washout} + k \cdot \text{sample\_step})` of series b.

    Shapes
    ------
    B batch, T time, D = 1 feature.

    References
    ----------
    Mackey, M. C. & Glass, L. (1977). Oscillation and chaos in physiological control systems. *Science*
    197(4300). Jaeger, H. & Haas, H. (2004). Harnessing nonlinearity: predicting chaotic systems and saving
    energy in wireless communication. *Science* 304(5667) (MG17 as a benchmark for recurrent networks).

    Examples
    --------
    >>> mackey_glass(2, 300, seed=0).shape
    (2, 300, 1)
    """
    where = "mackey_glass"
    batch_size = positive_int(batch_size, "batch_size", where)
    seq_len = positive_int(seq_len, "seq_len", where)
    tau = positive_float(tau, "tau", where)
    beta = positive_float(beta, "beta", where)
    gamma = positive_float(gamma, "gamma", where)
    power = positive_int(power, "power", where)
    dt = positive_float(dt, "dt", where)
    sample_step = positive_float(sample_step, "sample_step", where)
    washout = non_negative_float(washout, "washout", where)
    if x0 is not None:
        x0 = positive_float(x0, "x0", where)
    steps = {}
    for name, value in (("tau", tau), ("sample_step", sample_step), ("washout", washout)):
        count = round(value / dt)
        if abs(count * dt - value) > 1e-9 * max(1.0, value):
            raise ValueError(f"{where} expected {name} to be a multiple of dt={dt}, got {name}={value}")
        steps[name] = count
    lag, stride, skip = steps["tau"], steps["sample_step"], steps["washout"]
    at_least(lag, 1, "tau / dt", where, "the delay must span at least one step")
    at_least(stride, 1, "sample_step / dt", where, "one sample per integration step at most")
    rng = make_rng(seed, where)

    start = np.full(batch_size, x0) if x0 is not None else rng.uniform(0.5, 1.5, size=batch_size)  # (B,)
    total = skip + (seq_len - 1) * stride  # integration steps after t = 0
    history = np.empty((lag + 1 + total, batch_size))  # (lag + 1 + steps, B): x on [-tau, end]
    history[: lag + 1] = start

    def rate(x, delayed):
        return beta * delayed / (1.0 + delayed**power) - gamma * x

    for i in range(lag, lag + total):
        x, early, late = history[i], history[i - lag], history[i - lag + 1]  # each (B,)
        middle = 0.5 * (early + late)
        k1 = rate(x, early)
        k2 = rate(x + 0.5 * dt * k1, middle)
        k3 = rate(x + 0.5 * dt * k2, middle)
        k4 = rate(x + dt * k3, late)
        history[i + 1] = x + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
    samples = history[lag + skip :: stride][:seq_len]  # (T, B)
    return samples.T[..., None].astype(np.float32)  # (B, T, 1)


def forecasting_windows(series, window: int, *, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Cut a 1-D series into overlapping input windows and the values that follow them.

    Window ``i`` is ``series[i : i + window]`` and its target is ``series[i + window : i + window + horizon]``,
    for every ``i`` from 0 to ``N - 1`` with ``N = len(series) - window - horizon + 1``. Split train and test
    by time *before* cutting windows, or the test windows will overlap the training ones.

    Parameters
    ----------
    series : array-like of real numbers, shape (L,)
        For a batch from :func:`mackey_glass` or :func:`sine_mixture`, pass one row: ``series[0, :, 0]``.
    window : int
        Input length W (>= 1).
    horizon : int
        Number of future values to predict (>= 1).

    Returns
    -------
    x : ndarray of float32, shape (N, W, 1)
    y : ndarray of float32, shape (N, horizon)

    Shapes
    ------
    N windows (the batch), W time, D = 1 feature.

    Examples
    --------
    >>> x, y = forecasting_windows(np.arange(6.0), 3)
    >>> x[:, :, 0].tolist(), y.tolist()
    ([[0.0, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 4.0]], [[3.0], [4.0], [5.0]])
    """
    where = "forecasting_windows"
    window = positive_int(window, "window", where)
    horizon = positive_int(horizon, "horizon", where)
    values = np.asarray(series)
    if values.ndim != 1 or not np.issubdtype(values.dtype, np.number) or np.iscomplexobj(values):
        raise ValueError(
            f"{where} expected a 1-D series of real numbers, got shape {values.shape} and dtype {values.dtype}"
        )
    at_least(len(values), window + horizon, "len(series)", where, f"window={window} plus horizon={horizon}")
    views = np.lib.stride_tricks.sliding_window_view(values, window + horizon)  # (N, W + horizon)
    x = views[:, :window, None].astype(np.float32)  # (N, W, 1)
    y = views[:, window:].astype(np.float32)  # (N, horizon)
    return x, y
