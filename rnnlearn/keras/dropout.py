"""Variational dropout in Keras 3 (``keras.ops`` only): one mask per sequence, the same at every time step."""

from __future__ import annotations

import keras
from keras import ops

from ..dropout_common import check_dropout_p, mask_seed
from ..utils import check_shape

__all__ = ["VariationalDropout"]


class VariationalDropout(keras.layers.Layer):
    """Dropout with one mask per sequence, reused at every time step, in Keras.

    Parameters
    ----------
    p : float
        The probability of dropping a unit, in [0, 1).
    seed : int or None
        Seed of the masks; None draws one from NumPy's global generator (see ``set_seed``).

    Shapes
    ------
    B batch, T time steps, F features (D for a layer's inputs, H for its states or outputs).

    - ``x``: (B, T, F). ``keep``: a mask (B, 1, F) to use, or None to draw a fresh one.
    - returns ``x * keep`` (B, T, F): the same mask multiplies every step of a sequence.
    - ``sample_mask(B, F)``: a fresh mask (B, 1, F), each entry 0 or 1 / (1 - p). For a state
      ``h_t`` (B, H) updated in a loop over steps, multiply by ``keep[:, 0]`` at every step.
    - ``training``: as for ``keras.layers.Dropout``: True inside ``model.fit``, and None or False
      (the input passes unchanged) in a plain call or in ``predict``. A given ``keep`` is always applied.

    Notes
    -----
    .. math::

        \\xi_b \\sim \\mathrm{Bernoulli}(1 - p)^F \\quad \\text{(drawn once for sequence } b\\text{)}
        \\tilde{x}_{b,t} = \\frac{\\xi_b}{1 - p} \\odot x_{b,t}, \\quad t = 1, \\dots, T
        \\mathbb{E}[\\tilde{x}_{b,t}] = x_{b,t}

    References
    ----------
    Gal and Ghahramani (2016), A theoretically grounded application of dropout in recurrent neural networks.
    Book chapter: Training recurrent networks in practice.
    """

    def __init__(self, p=0.5, *, seed=None):
        super().__init__()
        self.p = check_dropout_p(p)
        self._seed = mask_seed(seed)
        self.seed_generator = keras.random.SeedGenerator(self._seed)

    def get_config(self):
        return {**super().get_config(), "p": self.p, "seed": self._seed}

    @classmethod
    def from_config(cls, config):
        return cls(config["p"], seed=config["seed"])

    def sample_mask(self, batch_size, size, dtype="float32"):
        """A keep-mask (B, 1, size): 1 / (1 - p) with probability 1 - p, else 0."""
        uniform = keras.random.uniform((batch_size, 1, size), seed=self.seed_generator)  # (B, 1, F)
        return ops.cast(uniform >= self.p, dtype) / (1 - self.p)

    def call(self, x, keep=None, training=None):
        x = ops.convert_to_tensor(x)
        if not keras.backend.is_float_dtype(x.dtype):
            x = ops.cast(x, self.compute_dtype)
        check_shape(x, ("B", "T", "F"), "x", "VariationalDropout")
        if keep is None:
            if not training or self.p == 0:
                return x
            keep = self.sample_mask(ops.shape(x)[0], x.shape[2], x.dtype)
        else:
            keep = ops.convert_to_tensor(keep, dtype=x.dtype)
            check_shape(keep, (x.shape[0], 1, x.shape[2]), "keep", "VariationalDropout")
        return x * keep  # (B, T, F): the mask broadcasts over T

    def compute_output_shape(self, input_shape):
        return input_shape
