"""An RNN encoder-decoder with optional attention, in PyTorch (chapter 12).

A composite of the PyTorch twins (``rnnlearn.torch.GRU``, ``GRUCell``, ``AdditiveAttention``,
``MultiplicativeAttention``) with ``torch.nn.Embedding`` and ``torch.nn.Linear`` around them.

Shapes: B batch, T_in source length, T_out target length, E embedding size, H hidden size,
V vocabulary size.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..torch import GRU, AdditiveAttention, GRUCell, MultiplicativeAttention

__all__ = ["Seq2Seq"]


class Seq2Seq(nn.Module):
    """A GRU encoder-decoder; with ``attention`` the decoder reads a context vector at every step.

    Parameters
    ----------
    vocab_size : int
        V, tokens of both languages (one shared numbering).
    hidden_size : int
        H, the size of encoder and decoder states.
    embed_size : int
        E, the size of the token embeddings.
    attention : None, "additive" or "multiplicative"
        None: the decoder sees the source only through the encoder's final state (Sutskever et al. 2014).
    reverse_source : bool
        Feed the source to the encoder back to front (Sutskever et al. 2014).
    seed : int or None
        Seed of the initialisation.

    Notes
    -----
    Encoder: h_1, ..., h_{T_in} = GRU(embed(source)); the decoder starts from s_0 = h_{T_in}.
    Decoder step t, given the previous token y_{t-1} and state s_{t-1}: the context
    a_t = attention(s_{t-1}, h_1..h_{T_in}) (omitted without attention),
    s_t = GRUCell([embed(y_{t-1}), a_t], s_{t-1}), logits_t = W_o [s_t, a_t] + b_o.

    Shapes: ``source`` (B, T_in) and ``target_in`` (B, T_out) int64; ``forward`` returns logits
    (B, T_out, V) and the attention weights (B, T_out, T_in), or None without attention.
    """

    def __init__(self, vocab_size: int, hidden_size: int, *, embed_size: int = 16, attention=None,
                 reverse_source: bool = False, seed=None):
        super().__init__()
        if attention not in (None, "additive", "multiplicative"):
            raise ValueError(f"attention must be None, 'additive' or 'multiplicative', got {attention!r}")
        if seed is not None:
            torch.manual_seed(seed)
        self.attention_kind, self.reverse_source = attention, reverse_source
        context_size = 0 if attention is None else hidden_size
        self.source_embed = nn.Embedding(vocab_size, embed_size)
        self.target_embed = nn.Embedding(vocab_size, embed_size)
        seed_of = lambda k: None if seed is None else seed + k  # noqa: E731  one seed per twin
        self.encoder = GRU(embed_size, hidden_size, fused=True, seed=seed)
        self.decoder = GRUCell(embed_size + context_size, hidden_size, seed=seed_of(1))
        if attention == "additive":
            self.attention = AdditiveAttention(hidden_size, hidden_size, attention_size=hidden_size, seed=seed_of(2))
        elif attention == "multiplicative":
            self.attention = MultiplicativeAttention(hidden_size, hidden_size, seed=seed_of(2))
        else:
            self.attention = None
        self.output = nn.Linear(hidden_size + context_size, vocab_size)

    def encode(self, source):
        """Encoder states (B, T_in, H), in source order even when the source is read reversed, and s_0 (B, H)."""
        if self.reverse_source:
            source = source.flip(1)
        keys, final = self.encoder(self.source_embed(source))  # (B, T_in, H), (1, B, H)
        if self.reverse_source:
            keys = keys.flip(1)
        return keys, final[0]

    def step(self, token, state, keys):
        """One decoder step: logits (B, V), the new state (B, H) and the attention weights (B, T_in) or None."""
        inputs, context, weights = self.target_embed(token), None, None  # (B, E)
        if self.attention is not None:
            context, weights = self.attention(state, keys)  # (B, H), (B, T_in)
            inputs = torch.cat([inputs, context], dim=-1)
        state, _ = self.decoder(inputs, state)  # (B, H)
        features = state if context is None else torch.cat([state, context], dim=-1)
        return self.output(features), state, weights

    def forward(self, source, target_in):
        keys, state = self.encode(source)
        logits, alignments = [], []
        for token in target_in.unbind(1):  # teacher forcing: the true previous token
            step_logits, state, weights = self.step(token, state, keys)
            logits.append(step_logits)
            alignments.append(weights)
        attention = None if self.attention is None else torch.stack(alignments, 1)  # (B, T_out, T_in)
        return torch.stack(logits, 1), attention  # (B, T_out, V)

    @torch.no_grad()
    def greedy(self, source, *, bos: int, max_len: int):
        """Greedy decoding of a batch: tokens (B, max_len) and attention weights (B, max_len, T_in) or None."""
        keys, state = self.encode(source)
        token = torch.full((source.shape[0],), bos, dtype=torch.long, device=source.device)
        tokens, alignments = [], []
        for _ in range(max_len):
            logits, state, weights = self.step(token, state, keys)
            token = logits.argmax(-1)
            tokens.append(token)
            alignments.append(weights)
        attention = None if self.attention is None else torch.stack(alignments, 1)
        return torch.stack(tokens, 1), attention

    def step_function(self, source):
        """A framework-free ``step(token, state) -> (log_probs, state)`` for one source sentence (T_in,),
        and its initial state, for :func:`rnnlearn.decoding.beam_search`."""
        with torch.no_grad():
            keys, state = self.encode(source[None])

        def step(token, state):
            with torch.no_grad():
                token = torch.tensor([token], device=keys.device)
                logits, state, _ = self.step(token, state, keys)
                return F.log_softmax(logits[0], -1).cpu().numpy().astype(np.float64), state

        return step, state
