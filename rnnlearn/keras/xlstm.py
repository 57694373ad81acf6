"""xLSTM's matrix-memory cell (mLSTM) in Keras 3 (Beck et al. 2024): exponential gating and a matrix memory."""

from __future__ import annotations

import math

from keras import ops

from ..gated_layout import check_forget_gate
from ..layout import canonical_dtype
from ._gated import GatedRecurrence, linear, maximum, softplus

__all__ = ["MLSTM"]


class MLSTM(GatedRecurrence):
    """xLSTM's mLSTM: a matrix memory C_t written with v_t k_t^T and read with q_t, under exponential gating. In Keras, batch-first.

    Parameters
    ----------
    input_size : int
        D, the number of input features.
    hidden_size : int
        H, the size of q, k, v and h (one head).
    bias : bool
        If False, no ``bias_q``, ``bias_k``, ``bias_v``, ``bias_o``, ``bias_i`` and ``bias_f``.
    forget_gate : str
        ``"sigmoid"`` (default): f_t = sigma(f~_t); ``"exp"``: f_t = exp(f~_t).
    dtype : str
        ``"float32"`` (default) or ``"float64"``.
    seed : int or None
        Seed of the initialisation; None draws one from NumPy's global generator (see ``set_seed``).
        The same seed gives the same weights in the NumPy, PyTorch and Keras twins.

    Shapes
    ------
    B batch, T time steps, D input features, H units.

    - ``call(x, state=None)``: ``x`` (B, T, D); returns ``outputs`` (B, T, H), h_t at every step, and
      the final state; ``call`` is the parallel (attention-like) form, ``step`` the recurrent one.
    - ``step(x_t, state=None)``: ``x_t`` (B, D); returns h_t (B, H) and the new state.
    - ``state``: a tuple ``(C, n, m)``: the memory C (B, H, H) and normaliser n (B, H), both scaled by
      e^{-m}, and the stabiliser m (B,); None starts from zeros.
    - ``weight_q``, ``weight_k``, ``weight_v``, ``weight_o`` (H, D) and their biases (H,);
      ``weight_i``, ``weight_f`` (1, D) and ``bias_i``, ``bias_f`` (1,).
    - memory: the parallel form holds (B, T, T) matrices, the state a (B, H, H) one; feed a long
      sequence in chunks, passing the state on (the result is the same).

    Notes
    -----
    .. math::

        q_t = W_q x_t + b_q, \\quad k_t = (W_k x_t + b_k) / \\sqrt{H}, \\quad v_t = W_v x_t + b_v
        i_t = \\exp(\\tilde i_t), \\quad f_t = \\sigma(\\tilde f_t) \\text{ or } \\exp(\\tilde f_t), \\quad \\tilde i_t = w_i^\\top x_t + b_i, \\quad \\tilde f_t = w_f^\\top x_t + b_f
        o_t = \\sigma(W_o x_t + b_o)
        C_t = f_t C_{t-1} + i_t v_t k_t^\\top, \\quad n_t = f_t n_{t-1} + i_t k_t
        h_t = o_t \\odot \\frac{C_t q_t}{\\max(|n_t^\\top q_t|, 1)}

    i_t and f_t are scalars (one head); 1/sqrt(H) keeps k_t^T q_t of order one, as in attention.
    Stabiliser: exp(i~_t) overflows, so the state holds C_t e^{-m_t} and n_t e^{-m_t}, with
    m_t = max(log f_t + m_{t-1}, i~_t); the step uses i'_t = exp(i~_t - m_t) and
    f'_t = exp(log f_t + m_{t-1} - m_t), the denominator becomes max(|n_t^T q_t|, e^{-m_t}), and h_t is
    unchanged. Parallel form: C_t q_t = sum_{j <= t} D_tj (k_j^T q_t) v_j plus the initial state's term,
    with the decay matrix D_tj = i_j f_{j+1} ... f_t (lower-triangular, T x T, like causal attention
    scores), computed as exp(F_t - F_j + i~_j - m_t) with F_t = log f_1 + ... + log f_t.

    References
    ----------
    Beck, Poeppel, Spanring, Auer, Prudnikova, Kopp, Klambauer, Brandstetter and Hochreiter (2024),
    xLSTM: Extended Long Short-Term Memory, arXiv:2405.04517 (the mLSTM, its stabiliser and parallel
    form). Book chapter: modern gated recurrences.
    """

    def __init__(self, input_size, hidden_size, *, bias=True, forget_gate="sigmoid", dtype="float32", seed=None):
        super().__init__(dtype=canonical_dtype(dtype, "MLSTM"))
        config = dict(input_size=input_size, hidden_size=hidden_size, bias=bias, forget_gate=forget_gate)
        self._setup(input_size, hidden_size, bias, dtype, seed, config)
        self.forget_gate = check_forget_gate(forget_gate)

    def _project(self, x):
        """Everything that reads x alone: q, k, v, o (..., H) and log i, log f (...,)."""
        q = linear(x, self.weight_q, self.bias_q)
        k = linear(x, self.weight_k, self.bias_k) / math.sqrt(self.hidden_size)
        v = linear(x, self.weight_v, self.bias_v)
        o = ops.sigmoid(linear(x, self.weight_o, self.bias_o))
        log_i = linear(x, self.weight_i, self.bias_i)[..., 0]  # i~
        f_pre = linear(x, self.weight_f, self.bias_f)[..., 0]  # f~
        log_f = -softplus(-f_pre) if self.forget_gate == "sigmoid" else f_pre
        return q, k, v, o, log_i, log_f

    def call(self, x, state=None):
        x, (C0, n0, m0) = self._inputs(x, state, step=False)
        q, k, v, o, log_i, log_f = self._project(x)  # (B, T, H) x 4, (B, T) x 2
        t = ops.arange(ops.shape(x)[1])
        causal = t[:, None] >= t[None, :]  # (T, T): j <= t
        # cumsum as a product with the causal mask: ops.cumsum loses float64 under the torch backend
        cum_f = ops.einsum("tj,bj->bt", ops.cast(causal, log_f.dtype), log_f)  # (B, T): log f_1 ... f_t
        log_D = cum_f[:, :, None] - cum_f[:, None, :] + log_i[:, None, :]  # (B, T, T): log i_j f_{j+1} ... f_t
        log_D = ops.where(causal, log_D, float("-inf"))
        log_0 = m0[:, None] + cum_f  # (B, T): log-weight of the initial state at step t
        m = maximum(ops.max(log_D, axis=-1), log_0)  # (B, T): the stabiliser m_t of the recurrent form
        D, s0 = ops.exp(log_D - m[..., None]), ops.exp(log_0 - m)
        S = ops.einsum("btk,bjk->btj", q, k) * D  # (B, T, T): D_tj k_j^T q_t
        num = ops.einsum("btj,bjv->btv", S, v) + s0[..., None] * ops.einsum("bvk,btk->btv", C0, q)  # (B, T, H): C_t q_t
        den = maximum(ops.abs(ops.sum(S, axis=-1) + s0 * ops.einsum("bk,btk->bt", n0, q)), ops.exp(-m))  # (B, T)
        C = ops.einsum("bj,bjv,bjk->bvk", D[:, -1], v, k) + s0[:, -1, None, None] * C0  # (B, H, H)
        n = ops.einsum("bj,bjk->bk", D[:, -1], k) + s0[:, -1, None] * n0  # (B, H)
        return o * num / den[..., None], (C, n, m[:, -1])

    def step(self, x_t, state=None):
        x_t, (C, n, m) = self._inputs(x_t, state, step=True)
        q, k, v, o, log_i, log_f = self._project(x_t)  # (B, H) x 4, (B,) x 2
        m_new = maximum(log_f + m, log_i)  # (B,)
        f, i = ops.exp(log_f + m - m_new)[:, None], ops.exp(log_i - m_new)[:, None]  # stabilised gates (B, 1)
        C = f[..., None] * C + i[..., None] * v[:, :, None] * k[:, None, :]  # (B, H, H)
        n = f * n + i * k  # (B, H)
        den = maximum(ops.abs(ops.sum(n * q, axis=-1)), ops.exp(-m_new))  # (B,)
        return o * ops.einsum("bvk,bk->bv", C, q) / den[:, None], (C, n, m_new)
