"""Causal linear attention in Keras 3 (``keras.ops`` only): the parallel (attention-like) form and the recurrent form."""

from __future__ import annotations

from keras import ops

from ..ssm_layout import check_size, linear_attention_init
from ._base import matmul
from ._params import ParamLayer, layer_dtype

__all__ = ["LinearAttention", "elu_plus_one"]


def elu_plus_one(u):
    """The feature map phi(u) = elu(u) + 1: u + 1 for u > 0, exp(u) otherwise; always positive."""
    return ops.elu(u) + 1


class LinearAttention(ParamLayer):
    """Causal linear attention (Katharopoulos et al. 2020) over whole sequences, in Keras 3, batch-first.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the width of queries, keys, values and outputs; a multiple of ``num_heads``.
    num_heads : int
        The number of heads; each has d = H / num_heads features.
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T time steps, D input features, H hidden units, heads, d = H / heads.

    - ``x``: (B, T, D); ``x_t``: (B, D).
    - ``state``: a tuple ``(S, z)`` with S (B, heads, d, d) and z (B, heads, d), or None for zeros.
    - ``layer(x, state)`` returns ``y`` (B, T, H) and the final ``(S, z)``; ``layer.step(x_t, state)``
      returns ``y_t`` (B, H) and the new ``(S, z)``. Both compute the same numbers.
    - ``weight_q``, ``weight_k``, ``weight_v`` (H, D), ``weight_o`` (H, H).

    Notes
    -----
    .. math::

        q_t = W_q x_t, \\quad k_t = W_k x_t, \\quad v_t = W_v x_t, \\quad \\phi(u) = \\mathrm{elu}(u) + 1 > 0

    split into heads of d features each. Per head, the recurrent form keeps two running sums,

    .. math::

        S_t = S_{t-1} + \\phi(k_t) v_t^\\top, \\quad z_t = z_{t-1} + \\phi(k_t), \\quad
        o_t = \\frac{S_t^\\top \\phi(q_t)}{z_t^\\top \\phi(q_t)},

    and the parallel form is causal attention with the similarity :math:`\\phi(q_t)^\\top \\phi(k_s)` in place
    of :math:`\\exp(q_t^\\top k_s / \\sqrt{d})`:

    .. math::

        o_t = \\frac{\\sum_{s \\le t} \\phi(q_t)^\\top \\phi(k_s) \\, v_s}{\\sum_{s \\le t} \\phi(q_t)^\\top \\phi(k_s)}
        \\quad (\\text{plus } S_0, z_0 \\text{ from a given state}), \\qquad
        y_t = W_o [o_t^{(1)}; \\dots; o_t^{(\\mathrm{heads})}].

    The parallel form costs O(T^2 d) per head and parallelises over t; the recurrent form costs O(d^2)
    per step with a state whose size does not grow with t.

    References
    ----------
    Katharopoulos et al. (2020), Transformers are RNNs: fast autoregressive transformers with linear attention.
    Book chapter: linear attention and state-space models.
    """

    def __init__(self, input_size, hidden_size, *, num_heads=1, dtype="float32", seed=None, **kwargs):
        dtype = layer_dtype(dtype, "LinearAttention")
        super().__init__(dtype=dtype, **kwargs)
        self.input_size = check_size(input_size, "input_size", "LinearAttention")
        self.hidden_size = check_size(hidden_size, "hidden_size", "LinearAttention")
        self.num_heads = check_size(num_heads, "num_heads", "LinearAttention")
        if self.hidden_size % self.num_heads:
            raise ValueError(f"LinearAttention: hidden_size must be a multiple of num_heads, "
                             f"got hidden_size={hidden_size} and num_heads={num_heads}")
        self.head_size = self.hidden_size // self.num_heads
        self._setup(linear_attention_init(input_size, hidden_size, seed, dtype),
                    dict(input_size=input_size, hidden_size=hidden_size, num_heads=num_heads, dtype=dtype))

    def _project(self, x):
        """phi(q), phi(k), v with the heads split off: (..., heads, d) each, from x (..., D)."""
        heads = tuple(ops.shape(x)[:-1]) + (self.num_heads, self.head_size)
        q = ops.reshape(matmul(x, ops.transpose(self.weight_q)), heads)
        k = ops.reshape(matmul(x, ops.transpose(self.weight_k)), heads)
        v = ops.reshape(matmul(x, ops.transpose(self.weight_v)), heads)
        return elu_plus_one(q), elu_plus_one(k), v

    def _state(self, state, B, batch):
        heads, d = self.num_heads, self.head_size
        if state is None:
            return (ops.zeros((batch, heads, d, d), dtype=self.compute_dtype),
                    ops.zeros((batch, heads, d), dtype=self.compute_dtype))
        S, z = state
        return self._tensor(S, (B, heads, d, d), "S")[0], self._tensor(z, (B, heads, d), "z")[0]

    def call(self, x, state=None):
        x, sym = self._tensor(x, ("B", "T", self.input_size), "x")
        batch, T = ops.shape(x)[0], ops.shape(x)[1]
        S, z = self._state(state, sym.get("B"), batch)
        fq, fk, v = (ops.transpose(u, (0, 2, 1, 3)) for u in self._project(x))  # (B, heads, T, d) each
        scores = ops.tril(ops.einsum("bhtd,bhsd->bhts", fq, fk))  # (B, heads, T, T): phi(q_t) . phi(k_s), s <= t
        numerator = ops.einsum("bhts,bhsd->bhtd", scores, v) + ops.einsum("bhtd,bhde->bhte", fq, S)  # (B, heads, T, d)
        denominator = ops.sum(scores, -1) + ops.einsum("bhtd,bhd->bht", fq, z)  # (B, heads, T)
        o = numerator / ops.expand_dims(denominator, -1)
        o = ops.reshape(ops.transpose(o, (0, 2, 1, 3)), (batch, T, self.hidden_size))
        y = matmul(o, ops.transpose(self.weight_o))  # (B, T, H)
        S = S + ops.einsum("bhtd,bhte->bhde", fk, v)  # (B, heads, d, d)
        z = z + ops.sum(fk, 2)  # (B, heads, d)
        return y, (S, z)

    def step(self, x_t, state=None):
        """One token: ``y_t`` (B, H) and the new state ``(S, z)`` from ``x_t`` (B, D)."""
        x_t, sym = self._tensor(x_t, ("B", self.input_size), "x_t")
        S, z = self._state(state, sym.get("B"), ops.shape(x_t)[0])
        fq, fk, v = self._project(x_t)  # (B, heads, d) each
        S = S + ops.einsum("bhd,bhe->bhde", fk, v)  # (B, heads, d, d): add phi(k_t) v_t^T
        z = z + fk
        o = ops.einsum("bhd,bhde->bhe", fq, S) / ops.sum(fq * z, -1, keepdims=True)  # (B, heads, d)
        y_t = matmul(ops.reshape(o, (-1, self.hidden_size)), ops.transpose(self.weight_o))  # (B, H)
        return y_t, (S, z)
