"""The human-readable layout descriptions (chapter 8's table and figure) agree with the converter
and with the shapes of the frameworks' own layers."""

import numpy as np
import pytest

from rnnlearn.layout import GATES, gate_blocks, tensor_table, to_keras
from rnnlearn.quiz.answers import gate_block_start, keras_adam_epsilon_factor


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_gate_blocks_follow_to_keras(kind):
    """Fill each PyTorch block with its index; the Keras columns named by gate_blocks hold that index."""
    H, D = 3, 2
    G = len(GATES[kind])
    weight_ih = np.repeat(np.arange(G, dtype="float32"), H)[:, None] * np.ones((1, D), "float32")  # (G*H, D)
    kernel = to_keras(kind, weight_ih, np.zeros((G * H, H), "float32"))[0]  # (D, G*H)
    for k, row in enumerate(gate_blocks(kind, H)):
        start, stop = row["keras_columns"]
        assert np.all(kernel[:, start:stop] == k), (kind, row)
        assert row["torch_rows"] == (k * H, (k + 1) * H)


def test_gru_blocks_swap_r_and_z_symbolically():
    rows = {row["gate"]: row for row in gate_blocks("gru")}
    assert rows["r"]["torch_rows"] == "0:H" and rows["r"]["keras_columns"] == "H:2H"
    assert rows["z"]["torch_rows"] == "H:2H" and rows["z"]["keras_columns"] == "0:H"
    assert rows["n"]["keras_gate"] == "h"
    assert [row["keras_gate"] for row in gate_blocks("lstm")] == ["i", "f", "c", "o"]


@pytest.mark.parametrize("kind, reset_after", [("rnn", True), ("lstm", True), ("gru", True), ("gru", False)])
def test_tensor_table_matches_builtin_shapes(kind, reset_after):
    torch = pytest.importorskip("torch")
    keras = pytest.importorskip("keras")
    D, H = 3, 5
    table = {row["keras"]: row for row in tensor_table(kind, D, H, reset_after)}
    keras_layer = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[kind]
    kwargs = {"reset_after": reset_after} if kind == "gru" else {}
    layer = keras_layer(H, **kwargs)
    layer.build((None, 4, D))
    assert table["kernel"]["keras_shape"] == tuple(layer.cell.kernel.shape)
    assert table["recurrent_kernel"]["keras_shape"] == tuple(layer.cell.recurrent_kernel.shape)
    assert table["bias"]["keras_shape"] == tuple(layer.cell.bias.shape)
    builtin = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](D, H)
    assert table["kernel"]["torch_shape"] == tuple(builtin.weight_ih_l0.shape)
    assert table["recurrent_kernel"]["torch_shape"] == tuple(builtin.weight_hh_l0.shape)
    assert table["bias"]["torch_shape"] == tuple(builtin.bias_ih_l0.shape)


def test_gate_block_start():
    assert gate_block_start("gru", "r", 64, "torch") == 0
    assert gate_block_start("gru", "r", 64, "keras") == 64
    assert gate_block_start("lstm", "o", 32, "keras") == 96
    with pytest.raises(ValueError, match="no gate 'q'"):
        gate_block_start("lstm", "q", 8)
    with pytest.raises(ValueError, match="framework"):
        gate_block_start("lstm", "i", 8, "jax")


def test_keras_adam_epsilon_factor_matches_the_two_updates():
    """Keras's update with epsilon equals PyTorch's with epsilon * factor (Kingma and Ba 2015, section 2)."""
    rng = np.random.default_rng(0)
    beta_1, beta_2, lr, eps = 0.9, 0.999, 0.01, 1e-3
    m = v = 0.0
    for step in range(1, 6):
        g = rng.normal() * 1e-3
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g * g
        keras_update = lr * np.sqrt(1 - beta_2**step) / (1 - beta_1**step) * m / (np.sqrt(v) + eps)
        factor = keras_adam_epsilon_factor(step, beta_2)
        torch_update = lr / (1 - beta_1**step) * m / (np.sqrt(v / (1 - beta_2**step)) + eps * factor)
        assert keras_update == pytest.approx(torch_update, rel=1e-12)
    assert keras_adam_epsilon_factor(1) == pytest.approx(31.6227766, rel=1e-8)
    with pytest.raises(ValueError):
        keras_adam_epsilon_factor(0)
