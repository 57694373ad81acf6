"""Golden values: fixed weights and inputs, numbers computed once and written here.

A change that moves every twin the same way (a wrong gate order, a sign, a bias left out) passes the
parity tests but not these. The PyTorch and Keras golden tests import the same numbers from here.
"""

import numpy as np
import pytest

import rnnlearn.numpy as rn

B, T, D, H = 2, 3, 2, 3
LENGTHS = np.array([3, 2])

# (class name, keyword arguments, outputs[1, 0, :4], final h[-1, 0, :]) for num_layers=2, bidirectional=True
GOLDEN = {
    "rnn-tanh": ("RNN", {},
                 [0.895135237874, 0.81748430551, -0.011322125202, -0.232854587866],
                 [-0.365893424442, -0.029753926239, 0.212925118298]),
    "rnn-relu": ("RNN", {"nonlinearity": "relu"},
                 [1.230392067875, 0.675201202372, 0.0, 0.0],
                 [0.0, 0.0, 0.088656331568]),
    "lstm": ("LSTM", {},
                 [0.096525064447, 0.167515726432, 0.100216832546, -0.323612157903],
                 [-0.391224835554, 0.117871548787, 0.18441040262]),
    "gru-after": ("GRU", {"reset_after": True},
                 [0.18503769153, 0.609694444339, 0.509671386733, -0.295270010151],
                 [-0.300757099796, 0.037764865616, 0.296025170242]),
    "gru-before": ("GRU", {"reset_after": False},
                 [0.308944246614, 0.683786945504, 0.553829730383, -0.26612101734],
                 [-0.249612355926, 0.134753104224, 0.487647292143]),
}


def fixed_weights(params):
    """Deterministic weights for ``params`` (a dict name -> array): smooth, signed, distinct per tensor."""
    out = {}
    for k, (name, value) in enumerate(params.items()):
        n = np.asarray(value).size
        out[name] = (0.6 * np.sin(0.9 * np.arange(n) + 1.3 * k)).reshape(np.shape(value))
    return out


def golden_input():
    return np.linspace(-1.0, 1.0, B * T * D).reshape(B, T, D)


def golden_numpy(case, dtype="float64"):
    """The NumPy twin of a golden case, with its fixed weights."""
    name, kwargs, _, _ = GOLDEN[case]
    layer = getattr(rn, name)(D, H, num_layers=2, bidirectional=True, dtype=dtype, **kwargs)
    for key, value in fixed_weights(layer.params).items():
        layer.params[key] = value.astype(dtype)
    return layer


def final_h(final_state):
    return final_state[0] if isinstance(final_state, tuple) else final_state


@pytest.mark.parametrize("case", sorted(GOLDEN))
def test_numpy_golden_values(case):
    _, _, out_expected, h_expected = GOLDEN[case]
    outputs, final = golden_numpy(case)(golden_input(), lengths=LENGTHS)
    np.testing.assert_allclose(outputs[1, 0, :4], out_expected, rtol=0, atol=1e-11)
    np.testing.assert_allclose(final_h(final)[-1, 0], h_expected, rtol=0, atol=1e-11)
