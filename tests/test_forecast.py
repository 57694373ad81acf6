"""Forecasting helpers, the sensor signal and the Forecaster model of chapter 13."""

import subprocess
import sys

import numpy as np
import pytest

from rnnlearn.data import forecasting_windows, sensor_signal
from rnnlearn.forecast import (fit_autoregressive, latency_summary, naive_forecast, precision_recall,
                               predict_autoregressive)
from rnnlearn.quiz.answers import lstm_state_bytes, model_bytes


def test_naive_forecast_is_last_value():
    x, y = forecasting_windows(np.arange(10.0), 4)
    np.testing.assert_array_equal(naive_forecast(x), y - 1)
    with pytest.raises(ValueError, match="shape"):
        naive_forecast(np.zeros((3, 4)))


def test_autoregressive_recovers_a_linear_recurrence():
    # x_{t+1} = 1.5 x_t - 0.7 x_{t-1} + 0.2, exactly AR(2)
    series = [0.3, 0.1]
    for _ in range(200):
        series.append(1.5 * series[-1] - 0.7 * series[-2] + 0.2)
    x, y = forecasting_windows(np.array(series), 5)
    coefficients = fit_autoregressive(x, y, 2)
    np.testing.assert_allclose(coefficients, [-0.7, 1.5, 0.2], atol=1e-6)
    np.testing.assert_allclose(predict_autoregressive(x, coefficients), y, atol=1e-5)
    with pytest.raises(ValueError, match="order"):
        fit_autoregressive(x, y, 6)


def test_precision_recall_by_hand():
    flags = np.zeros(100, dtype=bool)
    flags[[10, 12, 50, 90]] = True  # 10 and 12 after the anomaly at 10; 50 false; 90 on the anomaly at 90
    precision, recall = precision_recall(flags, [10, 30, 90], tolerance=3)
    assert precision == pytest.approx(3 / 4)
    assert recall == pytest.approx(2 / 3)
    assert precision_recall(np.zeros(5, bool), [1]) == (1.0, 0.0)
    assert precision_recall(np.zeros(5, bool), []) == (1.0, 1.0)


def test_latency_summary_in_microseconds():
    summary = latency_summary(np.arange(1, 101) * 1e-6)
    assert summary["min_us"] == pytest.approx(1.0)
    assert summary["median_us"] == pytest.approx(50.5)
    assert summary["p95_us"] == pytest.approx(95.05)
    assert summary["max_us"] == pytest.approx(100.0)


def test_sensor_signal_is_seeded_and_places_anomalies():
    x, spikes = sensor_signal(2000, num_anomalies=10, start=1000, seed=3)
    x2, spikes2 = sensor_signal(2000, num_anomalies=10, start=1000, seed=3)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(spikes, spikes2)
    assert x.shape == (2000,) and x.dtype == np.float32
    assert len(spikes) == 10 and spikes.min() >= 1000 and np.all(np.diff(spikes) > 0)
    clean, _ = sensor_signal(2000, num_anomalies=0, seed=3)
    assert np.abs(clean).max() < 1.8
    assert np.abs(x[spikes]).max() > 1.5
    with pytest.raises(ValueError):
        sensor_signal(100, num_anomalies=10, period=50, seed=0)


def test_answers():
    assert lstm_state_bytes(32) == 256
    assert lstm_state_bytes(128, batch_size=100, bytes_per_number=4) == 102_400
    assert model_bytes(4480, 1) == 4480
    with pytest.raises(ValueError):
        lstm_state_bytes(0)


def test_forecast_module_imports_no_framework():
    code = "import sys, rnnlearn.forecast, rnnlearn.models, rnnlearn.model_layout, rnnlearn.lm; print(','.join(n for n in ('torch', 'tensorflow', 'keras') if n in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_forecaster_streams_and_converts():
    torch = pytest.importorskip("torch")
    from rnnlearn.torch import Forecaster

    model = Forecaster(1, 8, horizon=2, seed=0)
    x = torch.randn(3, 20, 1, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        whole, final = model(x)
        assert whole.shape == (3, 20, 2)
        first, state = model(x[:, :7])
        second, state = model(x[:, 7:], state)
        torch.testing.assert_close(torch.cat([first, second], 1), whole, atol=1e-6, rtol=0)
        torch.testing.assert_close(state[1], final[1], atol=1e-6, rtol=0)
        builtin = model.to_builtin()
        torch.testing.assert_close(builtin(x)[0], whole, atol=1e-6, rtol=0)
    again = Forecaster(1, 8, horizon=2, seed=0)
    torch.testing.assert_close(again.head.weight, model.head.weight)
    assert torch.all(model.head.bias == 0)
    with pytest.raises(ValueError, match="Forecaster expected horizon to be a positive integer, got 0"):
        Forecaster(1, 8, horizon=0)
    with pytest.raises(ValueError, match=r"LSTM expected x of shape \(B, T, 1\), got \(3, 20\)"):
        model(x[..., 0])
