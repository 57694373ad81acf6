"""A character-level language model in PyTorch: embedding, LSTM, linear head (chapter 11).

PyTorch only: it lives outside the twins (``rnnlearn.numpy/torch/keras``), whose public names must match.
"""

from __future__ import annotations

import torch
from torch import nn

from rnnlearn.torch import LSTM

__all__ = ["CharLSTM", "sample"]


class CharLSTM(nn.Module):
    """Predicts the next character from the previous ones: ids -> embedding -> LSTM -> logits.

    Parameters
    ----------
    vocab_size : int
        V, the number of distinct characters.
    embed_size : int
        E, the size of each character's learned vector.
    hidden_size : int
        H, the LSTM's hidden units.
    num_layers : int
        L, stacked LSTM layers.
    seed : int or None
        Seed of the LSTM's initialisation (the embedding and head use torch's generator; see ``set_seed``).

    Shapes
    ------
    B batch, T time, V vocabulary, E embedding, H hidden, L layers.

    - ``ids``: int64 (B, T); ``state``: ``(h, c)``, each (L, B, H), or None for zeros.
    - returns ``logits`` (B, T, V), the unnormalised scores of the next character at every step, and the
      final ``state``, which continues the text exactly when passed back.

    Notes
    -----
    .. math::

        e_t = E[x_t], \\qquad (h_t, c_t) = \\mathrm{LSTM}(e_t, h_{t-1}, c_{t-1}), \\qquad
        p(x_{t+1} \\mid x_{\\le t}) = \\mathrm{softmax}(W_{hy} h_t + b_y)

    The LSTM is ``rnnlearn.torch.LSTM(..., fused=True)``: the package's parameters run through
    ``torch.nn.LSTM``'s kernels.

    References
    ----------
    Graves (2013), Generating sequences with recurrent neural networks. Book chapter: language models.
    """

    def __init__(self, vocab_size, embed_size, hidden_size, *, num_layers=1, seed=None):
        super().__init__()
        for name, value in (("vocab_size", vocab_size), ("embed_size", embed_size), ("hidden_size", hidden_size),
                            ("num_layers", num_layers)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"CharLSTM expected {name} to be a positive integer, got {value!r}")
        self.vocab_size = vocab_size
        self.embed = nn.Embedding(vocab_size, embed_size)
        self.lstm = LSTM(embed_size, hidden_size, num_layers=num_layers, fused=True, seed=seed)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, ids, state=None):
        if ids.ndim != 2 or ids.dtype != torch.int64:
            raise ValueError(f"CharLSTM expected int64 ids of shape (B, T), got {tuple(ids.shape)} {ids.dtype}")
        outputs, state = self.lstm(self.embed(ids), state)  # (B, T, H)
        return self.head(outputs), state  # (B, T, V)


@torch.no_grad()
def sample(model, prompt_ids, length, *, temperature=1.0, generator=None):
    """Generate ``length`` ids after ``prompt_ids`` by drawing each from softmax(logits / temperature).

    Parameters
    ----------
    model : CharLSTM
    prompt_ids : sequence of int, shape (P,), P >= 1
        The text to start from; it is read once to build the state.
    length : int
        How many ids to draw.
    temperature : float
        > 0. Below 1 sharpens the distribution (more likely, more repetitive text), above 1 flattens it.
    generator : torch.Generator or None
        Source of randomness (on the model's device), for reproducible samples.

    Returns
    -------
    list of int, the ``length`` drawn ids (the prompt not included).
    """
    if not temperature > 0:
        raise ValueError(f"sample expected temperature > 0, got {temperature!r}")
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    ids = torch.as_tensor(prompt_ids, dtype=torch.int64, device=device)[None]  # (1, P)
    if ids.shape[1] < 1:
        raise ValueError("sample expected a prompt of at least one id")
    logits, state = model(ids)
    drawn = []
    for _ in range(length):
        probs = torch.softmax(logits[0, -1] / temperature, dim=-1)  # (V,)
        next_id = torch.multinomial(probs, 1, generator=generator)  # (1,)
        drawn.append(int(next_id))
        logits, state = model(next_id[None], state)  # (1, 1, V)
    model.train(was_training)
    return drawn
