"""Three next-token models with one interface, for comparing what they cost (chapter 14), in PyTorch.

Each maps token ids to logits through an embedding, a sequence core and a linear head, and each carries a
state from one call to the next, so the same code can train them on whole sequences and generate with them
one token at a time:

- :class:`TokenLSTM`: the core is ``rnnlearn.torch.LSTM(fused=True)``; the state is ``(h, c)``, fixed size.
- :class:`TinyTransformer`: pre-norm blocks of ``rnnlearn.torch.CausalSelfAttention`` and an MLP; the state
  is one KV cache per block, which grows by one position per token.
- :class:`TokenTCN`: the core is ``rnnlearn.torch.TCN``; the state is its input buffers, fixed by the
  receptive field.

PyTorch only: these models live outside the twins (``rnnlearn.numpy/torch/keras``), whose public names must
match. :func:`state_nbytes` counts the bytes of any of their states.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from rnnlearn.torch import LSTM, TCN, CausalSelfAttention
from rnnlearn.utils import check_shape

__all__ = ["TokenLSTM", "TinyTransformer", "TokenTCN", "state_nbytes", "sinusoidal_positions"]


def state_nbytes(state) -> int:
    """Bytes held by a state: the sum over every array or tensor in a (nested) tuple or list; None holds 0."""
    if state is None:
        return 0
    if isinstance(state, (tuple, list)):
        return sum(state_nbytes(s) for s in state)
    if isinstance(state, torch.Tensor):
        return state.element_size() * state.nelement()
    if isinstance(state, np.ndarray):
        return int(state.nbytes)
    raise ValueError(f"state_nbytes expected tensors, arrays or tuples of them, got {type(state).__name__}")


def sinusoidal_positions(positions, size):
    """Fixed position codes (len(positions), size): sines and cosines of the positions at geometric frequencies.

    Entry i < size / 2 is sin(p / 10000^(2i/size)) and entry size / 2 + i the cosine of the same angle
    (Vaswani et al. 2017 interleave the two; the order of the entries does not matter to a model).
    """
    half = size // 2
    frequencies = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float64, device=positions.device) * 2 / size)  # (size/2,)
    angles = positions.to(torch.float64)[:, None] * frequencies[None, :]  # (T, size/2)
    return torch.cat([torch.sin(angles), torch.cos(angles)], 1)


def _check_size(value, name, where, minimum=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{where} expected {name} to be an integer >= {minimum}, got {value!r}")
    return int(value)


class _TokenModel(nn.Module):
    """Embedding, a core with a state, and a linear head; ``step`` runs one token through ``forward``."""

    def _build(self, vocab_size, hidden_size, seed, make_core):
        where = type(self).__name__
        self.vocab_size = _check_size(vocab_size, "vocab_size", where, 2)
        self.hidden_size = _check_size(hidden_size, "hidden_size", where)
        with torch.random.fork_rng(devices=[]):  # a seed fixes every weight without touching the global generator
            if seed is not None:
                torch.manual_seed(seed)
            self.embed = nn.Embedding(self.vocab_size, self.hidden_size)
            make_core()
            self.head = nn.Linear(self.hidden_size, self.vocab_size)

    def _ids(self, ids, expected, name):
        ids = torch.as_tensor(ids, device=self.head.weight.device)
        check_shape(ids, expected, name, type(self).__name__)
        if ids.is_floating_point() or ids.dtype == torch.bool:
            raise ValueError(f"{type(self).__name__} expected integer token ids, got dtype {ids.dtype}")
        return ids

    def forward(self, ids, state=None):
        """Logits (B, T, V) of the next token after each of ``ids`` (B, T), and the state after the last one."""
        ids = self._ids(ids, ("B", "T"), "ids")
        h, state = self._core(self.embed(ids), state)  # (B, T, H)
        return self.head(h), state

    def step(self, ids_t, state=None):
        """One token: logits (B, V) of the next one after ``ids_t`` (B,), and the state with it."""
        ids_t = self._ids(ids_t, ("B",), "ids_t")
        logits, state = self.forward(ids_t[:, None], state)
        return logits[:, 0], state


class TokenLSTM(_TokenModel):
    """An LSTM next-token model: ids -> embedding -> ``rnnlearn.torch.LSTM(fused=True)`` -> logits.

    Parameters
    ----------
    vocab_size : int
        V, the number of distinct tokens.
    hidden_size : int
        H, the width of the embedding and of the LSTM.
    num_layers : int
        L, stacked LSTM layers.
    seed : int or None
        Seed of every weight (embedding, LSTM, head); None uses torch's and NumPy's global generators.

    Shapes
    ------
    B batch, T time, V vocabulary, H hidden, L layers.

    - ``forward(ids, state)``: ids int64 (B, T); state ``(h, c)``, each (L, B, H), or None. Returns logits
      (B, T, V) and the new state. ``step(ids_t, state)``: ids_t (B,) -> logits (B, V), state.
    """

    def __init__(self, vocab_size, hidden_size, *, num_layers=1, seed=None):
        super().__init__()
        layers = _check_size(num_layers, "num_layers", "TokenLSTM")

        def core():
            self.lstm = LSTM(hidden_size, hidden_size, num_layers=layers, fused=True, seed=seed)

        self._build(vocab_size, hidden_size, seed, core)

    def _core(self, e, state):
        return self.lstm(e, state)


class TokenTCN(_TokenModel):
    """A TCN next-token model: ids -> embedding -> ``rnnlearn.torch.TCN`` -> logits.

    Parameters
    ----------
    vocab_size : int
        V, the number of distinct tokens.
    hidden_size : int
        H, the width of the embedding and of every convolution.
    num_layers : int
        L, stacked causal convolutions, with dilations 1, 2, ..., 2^(L-1).
    kernel_size : int
        k, taps per convolution; the receptive field is 1 + (k - 1)(2^L - 1) tokens.
    seed : int or None
        Seed of every weight (embedding, TCN, head); None uses torch's and NumPy's global generators.

    Shapes
    ------
    B batch, T time, V vocabulary, H hidden.

    - ``forward(ids, state)``: ids int64 (B, T); state: the TCN's L buffers, or None. Returns logits
      (B, T, V) and the new buffers. ``step(ids_t, state)``: ids_t (B,) -> logits (B, V), state.
    """

    def __init__(self, vocab_size, hidden_size, *, num_layers=4, kernel_size=2, seed=None):
        super().__init__()

        def core():
            self.tcn = TCN(hidden_size, hidden_size, num_layers=num_layers, kernel_size=kernel_size, seed=seed)

        self._build(vocab_size, hidden_size, seed, core)

    def _core(self, e, state):
        return self.tcn(e, state)


class _Block(nn.Module):
    """One pre-norm transformer block: h + attention(norm(h)), then + MLP(norm(.))."""

    def __init__(self, hidden_size, num_heads, mlp_ratio, seed):
        super().__init__()
        self.norm_attention = nn.LayerNorm(hidden_size)
        self.attention = CausalSelfAttention(hidden_size, hidden_size, num_heads=num_heads, seed=seed)
        self.norm_mlp = nn.LayerNorm(hidden_size)
        self.mlp = nn.Sequential(nn.Linear(hidden_size, mlp_ratio * hidden_size), nn.GELU(),
                                 nn.Linear(mlp_ratio * hidden_size, hidden_size))

    def forward(self, h, cache):
        a, cache = self.attention(self.norm_attention(h), cache)  # (B, T, H)
        h = h + a
        return h + self.mlp(self.norm_mlp(h)), cache


class TinyTransformer(_TokenModel):
    r"""A tiny causal transformer: embedding + position codes, pre-norm blocks, final norm, linear head.

    Parameters
    ----------
    vocab_size : int
        V, the number of distinct tokens.
    hidden_size : int
        H, the model width (even, and a multiple of ``num_heads``).
    num_heads : int
        N, attention heads per block.
    num_layers : int
        L, stacked blocks.
    mlp_ratio : int
        The MLP's hidden layer has ``mlp_ratio * H`` units.
    seed : int or None
        Seed of every weight; None uses torch's and NumPy's global generators.

    Shapes
    ------
    B batch, T time, P cached positions, V vocabulary, H hidden, L blocks.

    - ``forward(ids, state)``: ids int64 (B, T); state: a tuple of L KV caches ``(keys, values)``, each
      (B, P, H), or None. Returns logits (B, T, V) and the caches grown to P + T positions.
      ``step(ids_t, state)``: ids_t (B,) -> logits (B, V), the caches grown by one position.

    Notes
    -----
    .. math::

        h^{(0)}_t = E[x_t] + p_t, \qquad a = h + \mathrm{Attn}(\mathrm{LN}(h)), \qquad
        h' = a + W_2\, \mathrm{GELU}(W_1\, \mathrm{LN}(a) + b_1) + b_2

    with p_t the sinusoidal code of position t (counted from 0, so a step after P cached positions gets p_P).

    References
    ----------
    Vaswani et al. (2017), Attention is all you need; pre-norm blocks as in Xiong et al. (2020).
    Book chapter: RNNs vs transformers.
    """

    def __init__(self, vocab_size, hidden_size, *, num_heads=4, num_layers=1, mlp_ratio=2, seed=None):
        super().__init__()
        where = "TinyTransformer"
        layers = _check_size(num_layers, "num_layers", where)
        ratio = _check_size(mlp_ratio, "mlp_ratio", where)
        if _check_size(hidden_size, "hidden_size", where) % 2:
            raise ValueError(f"TinyTransformer expected an even hidden_size (sines and cosines), got {hidden_size}")

        def core():
            self.blocks = nn.ModuleList(
                _Block(hidden_size, num_heads, ratio, None if seed is None else seed + layer) for layer in range(layers))
            self.norm = nn.LayerNorm(hidden_size)

        self._build(vocab_size, hidden_size, seed, core)

    def _core(self, e, state):
        B, T, H = e.shape
        if state is not None and (not isinstance(state, (tuple, list)) or len(state) != len(self.blocks)):
            got = f"{len(state)} items" if isinstance(state, (tuple, list)) else type(state).__name__
            raise ValueError(f"TinyTransformer expected state to be a tuple of {len(self.blocks)} KV caches, got {got}")
        caches = state if state is not None else (None,) * len(self.blocks)
        start = 0 if state is None else caches[0][0].shape[1]
        positions = torch.arange(start, start + T, device=e.device)
        h = e + sinusoidal_positions(positions, H).to(e.dtype)  # (B, T, H)
        new_caches = []
        for block, cache in zip(self.blocks, caches):
            h, cache = block(h, cache)
            new_caches.append(cache)
        return self.norm(h), tuple(new_caches)
