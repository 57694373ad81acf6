"""Framework-free helpers for forecasting and anomaly detection (chapter 13): baselines, scores, percentiles."""

from __future__ import annotations

import numpy as np

__all__ = ["naive_forecast", "fit_autoregressive", "predict_autoregressive", "precision_recall", "latency_summary"]


def naive_forecast(x) -> np.ndarray:
    """The last-value (persistence) forecast: the prediction for step t + 1 is x_t.

    x : array of shape (N, W, 1), windows from :func:`rnnlearn.data.forecasting_windows`.
    Returns an array of shape (N, 1).
    """
    x = np.asarray(x)
    if x.ndim != 3 or x.shape[-1] != 1:
        raise ValueError(f"naive_forecast expected windows of shape (N, W, 1), got {x.shape}")
    return x[:, -1, :].copy()


def _design(x, order):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 3 or x.shape[-1] != 1:
        raise ValueError(f"expected windows of shape (N, W, 1), got {x.shape}")
    if not 1 <= order <= x.shape[1]:
        raise ValueError(f"order must be in [1, W={x.shape[1]}], got {order}")
    lags = x[:, -order:, 0]  # (N, p): x_{t-p+1}, ..., x_t
    return np.hstack([lags, np.ones((len(x), 1))])  # (N, p + 1)


def fit_autoregressive(x, y, order: int) -> np.ndarray:
    r"""Least-squares AR(p) coefficients: :math:`\hat x_{t+1} = \sum_{k=1}^{p} a_k x_{t-p+k} + c`.

    x : (N, W, 1) windows, y : (N, 1) next values, order : p <= W.
    Returns the p + 1 coefficients (a_1, ..., a_p, c), oldest lag first.
    """
    design = _design(x, order)
    target = np.asarray(y, dtype=np.float64).reshape(len(design))
    coefficients, *_ = np.linalg.lstsq(design, target, rcond=None)
    return coefficients


def predict_autoregressive(x, coefficients) -> np.ndarray:
    """Apply AR coefficients from :func:`fit_autoregressive` to (N, W, 1) windows; returns (N, 1) float32."""
    coefficients = np.asarray(coefficients, dtype=np.float64)
    return (_design(x, len(coefficients) - 1) @ coefficients)[:, None].astype(np.float32)


def precision_recall(flags, anomalies, *, tolerance: int = 0) -> tuple[float, float]:
    """Event-level precision and recall of flagged steps against injected anomalies.

    A flag at step t is a true positive if some anomaly a has a <= t <= a + tolerance (the error of a
    forecaster stays high for a few steps after a jump). An anomaly is found if at least one flag falls
    in its interval. Precision is the fraction of flags that are true positives (1.0 when nothing is
    flagged); recall is the fraction of anomalies found (1.0 when there are none).
    """
    flags = np.flatnonzero(np.asarray(flags, dtype=bool))
    anomalies = np.asarray(anomalies, dtype=int).ravel()
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0, got {tolerance}")
    if len(anomalies) == 0:
        return (1.0 if len(flags) == 0 else 0.0), 1.0
    hit = (flags[:, None] >= anomalies[None, :]) & (flags[:, None] <= anomalies[None, :] + tolerance)  # (F, A)
    precision = float(hit.any(axis=1).mean()) if len(flags) else 1.0
    recall = float(hit.any(axis=0).mean())
    return precision, recall


def latency_summary(seconds) -> dict:
    """Minimum, median, 95th percentile and maximum of per-step times given in seconds, in microseconds.

    The minimum is the cost of a step that nothing interrupted; on a shared machine it varies far less
    between runs than the median and the upper percentiles.
    """
    seconds = np.asarray(seconds, dtype=np.float64)
    if seconds.ndim != 1 or len(seconds) == 0:
        raise ValueError(f"latency_summary expected a non-empty 1-D array of times, got shape {seconds.shape}")
    micro = seconds * 1e6
    return {"min_us": float(micro.min()), "median_us": float(np.median(micro)), "p95_us": float(np.percentile(micro, 95)), "max_us": float(micro.max())}
