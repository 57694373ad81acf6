"""A synthetic sensor signal with injected anomalies, for anomaly detection by forecasting error (chapter 13)."""

from __future__ import annotations

import numpy as np

from ._validate import make_rng, non_negative_float, positive_int

__all__ = ["sensor_signal"]


def sensor_signal(seq_len: int, *, period: int = 50, noise_std: float = 0.05, num_anomalies: int = 8,
                  anomaly_size: float = 1.0, start: int = 0, seed) -> tuple[np.ndarray, np.ndarray]:
    r"""A periodic reading with slow drift, noise and isolated spikes.

    .. math::

        x_t = \sin(2\pi t / P) + 0.3 \sin(6\pi t / P + \varphi) + 0.2 \sin(2\pi t / (7P)) + \sigma\varepsilon_t,

    with :math:`\varphi \sim U(0, 2\pi)` and :math:`\varepsilon_t \sim N(0, 1)`. At ``num_anomalies`` steps
    drawn at random from ``[start, seq_len)``, one in each of distinct slots of ``period // 2`` steps, a spike of size
    ``anomaly_size`` times a random sign and a factor in [1, 1.5] is added.

    Returns
    -------
    x : ndarray of float32, shape (T,)
    anomalies : ndarray of int, shape (num_anomalies,), sorted step indices of the spikes
    """
    where = "sensor_signal"
    seq_len = positive_int(seq_len, "seq_len", where)
    period = positive_int(period, "period", where)
    noise_std = non_negative_float(noise_std, "noise_std", where)
    anomaly_size = non_negative_float(anomaly_size, "anomaly_size", where)
    if isinstance(num_anomalies, bool) or not isinstance(num_anomalies, (int, np.integer)) or num_anomalies < 0:
        raise ValueError(f"{where} expected num_anomalies >= 0, got {num_anomalies!r}")
    gap = max(1, period // 2)
    if not 0 <= start < seq_len or num_anomalies * gap > seq_len - start:
        raise ValueError(f"{where} cannot place {num_anomalies} anomalies {gap} steps apart in [{start}, {seq_len})")
    rng = make_rng(seed, where)
    t = np.arange(seq_len, dtype=np.float64)
    phase = rng.uniform(0, 2 * np.pi)
    x = (np.sin(2 * np.pi * t / period) + 0.3 * np.sin(6 * np.pi * t / period + phase)
         + 0.2 * np.sin(2 * np.pi * t / (7 * period)) + noise_std * rng.standard_normal(seq_len))
    slots = rng.choice((seq_len - start) // gap, size=num_anomalies, replace=False)
    anomalies = np.sort(start + slots * gap + rng.integers(0, gap, size=num_anomalies))
    anomalies = np.minimum(anomalies, seq_len - 1)
    signs = rng.choice([-1.0, 1.0], size=num_anomalies)
    x[anomalies] += anomaly_size * signs * rng.uniform(1.0, 1.5, size=num_anomalies)
    return x.astype(np.float32), anomalies.astype(int)
