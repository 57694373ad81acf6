"""Variational dropout in NumPy: one mask per sequence, the same at every time step, and its backward pass."""

from __future__ import annotations

import numpy as np

from ..dropout_common import check_dropout_p, mask_seed
from ..layout import canonical_dtype
from ..utils import check_shape

__all__ = ["VariationalDropout"]


class VariationalDropout:
    """Dropout with one mask per sequence, reused at every time step, in NumPy.

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
    - ``training``: None or True draws a mask when none is given (NumPy has no evaluation mode);
      False returns ``x`` unchanged. A given ``keep`` is always applied.

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
        self.p = check_dropout_p(p)
        self.rng = np.random.default_rng(mask_seed(seed))
        self._keep = None

    def sample_mask(self, batch_size, size, dtype="float32"):
        """A keep-mask (B, 1, size): 1 / (1 - p) with probability 1 - p, else 0."""
        kept = self.rng.random((batch_size, 1, size)) >= self.p  # (B, 1, F)
        return kept.astype(canonical_dtype(dtype, "VariationalDropout")) / (1 - self.p)

    def __call__(self, x, keep=None, training=None):
        x = np.asarray(x)
        if not np.issubdtype(x.dtype, np.floating):
            x = x.astype("float32")
        _, sym = check_shape(x, ("B", "T", "F"), "x", "VariationalDropout")
        if keep is None:
            if training is False or self.p == 0:
                self._keep = None
                return x
            keep = self.sample_mask(sym["B"], sym["F"], x.dtype)
        else:
            keep = np.asarray(keep, dtype=x.dtype)
            check_shape(keep, (sym["B"], 1, sym["F"]), "keep", "VariationalDropout")
        self._keep = keep
        return x * keep  # (B, T, F): the mask broadcasts over T

    def backward(self, d_out):
        """Gradient of the last call with respect to ``x``: ``d_out * keep`` (B, T, F)."""
        d_out = np.asarray(d_out)
        return d_out if self._keep is None else d_out * self._keep
