"""Variational dropout in PyTorch: one mask per sequence, the same at every time step."""

from __future__ import annotations

import torch
from torch import nn

from ..dropout_common import check_dropout_p, mask_seed
from ..utils import check_shape

__all__ = ["VariationalDropout"]


class VariationalDropout(nn.Module):
    """Dropout with one mask per sequence, reused at every time step, in PyTorch.

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
    - ``training``: None follows the module's mode (``.train()``, the default, or ``.eval()``);
      in evaluation the input passes unchanged. A given ``keep`` is always applied.

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
        self.generator = torch.Generator().manual_seed(mask_seed(seed))  # on the CPU, moved to x's device

    def sample_mask(self, batch_size, size, dtype="float32"):
        """A keep-mask (B, 1, size): 1 / (1 - p) with probability 1 - p, else 0."""
        kept = torch.rand((batch_size, 1, size), generator=self.generator) >= self.p  # (B, 1, F)
        return kept.to(getattr(torch, str(dtype).replace("torch.", ""))) / (1 - self.p)

    def forward(self, x, keep=None, training=None):
        x = torch.as_tensor(x)
        if not x.is_floating_point():
            x = x.float()
        _, sym = check_shape(x, ("B", "T", "F"), "x", "VariationalDropout")
        training = self.training if training is None else training
        if keep is None:
            if not training or self.p == 0:
                return x
            keep = self.sample_mask(sym["B"], sym["F"], x.dtype)
        keep = torch.as_tensor(keep, dtype=x.dtype).to(x.device)
        check_shape(keep, (sym["B"], 1, sym["F"]), "keep", "VariationalDropout")
        return x * keep  # (B, T, F): the mask broadcasts over T
