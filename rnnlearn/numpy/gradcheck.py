"""Finite-difference check of the hand-written backward passes (the BPTT chapter's tool)."""

from __future__ import annotations

import numpy as np

from ._base import Layer

__all__ = ["gradcheck"]


def _loss_weights(model, outputs, final, rng):
    """Random fixed weights so that the loss sum(R * outputs) + sum(Q * final) touches every output."""
    r_out = rng.standard_normal(np.shape(outputs))
    finals = final if isinstance(final, tuple) else (final,)
    r_final = tuple(rng.standard_normal(f.shape) for f in finals)
    return r_out, r_final


def gradcheck(model, x, state=None, lengths=None, *, eps=1e-4, seed=0, max_entries=20):
    """Compare ``model.backward`` with finite differences; return the largest relative error.

    The loss is ``sum(R * outputs) + sum(Q * final_state)`` with fixed random R and Q, so every
    output and every state component gets a gradient. Checks every parameter, the input ``x`` and
    the initial state (when given), at up to ``max_entries`` randomly chosen entries of each.
    Run it on a ``dtype="float64"`` model: float32 finite differences are too noisy to check anything.

    Parameters
    ----------
    model : a NumPy cell or layer of this package
    x : array (B, D) for a cell, (B, T, D) for a layer
    state, lengths : as in the model's call (``lengths`` only for layers)
    eps : float
        The finite-difference step of the five-point central difference
        ``(-f(x+2e) + 8 f(x+e) - 8 f(x-e) + f(x-2e)) / 12e``, whose error shrinks like ``eps**4``.
        With ReLU, a pre-activation within ``2 * eps`` of 0 puts the kink inside the stencil and
        that entry's difference is wrong: use a smaller ``eps`` (1e-6) there.
    seed : int
        Seed of R, Q and of the entries checked.
    max_entries : int
        How many entries of each array to check (all of them if fewer).

    Returns
    -------
    float
        max over the checked entries of ``|analytic - numeric| / max(floor, |analytic| + |numeric|)``,
        where ``floor = 1e6 * max(1, |loss|) * machine epsilon / eps`` keeps gradients that are exactly zero
        (a dead ReLU, a step past a sequence's length) from dividing roundoff by zero.
        Below 1e-6 in float64 means the backward pass is right.

    Examples
    --------
    >>> from rnnlearn.numpy import LSTM
    >>> layer = LSTM(3, 4, dtype="float64", seed=0)
    >>> gradcheck(layer, np.random.default_rng(0).standard_normal((2, 5, 3))) < 1e-6
    True
    """
    rng = np.random.default_rng(seed)
    is_layer = isinstance(model, Layer)
    x = np.array(x, dtype=model.dtype)
    states = None if state is None else [np.array(s, dtype=model.dtype) for s in (state if isinstance(state, tuple) else (state,))]

    def run():
        st = None if states is None else (tuple(states) if len(states) > 1 else states[0])
        return model(x, st, lengths) if is_layer else model(x, st)

    outputs, final = run()
    r_out, r_final = _loss_weights(model, outputs, final, rng)

    def loss():
        out, fin = run()
        fins = fin if isinstance(fin, tuple) else (fin,)
        return float(np.sum(r_out * out) + sum(np.sum(q * f) for q, f in zip(r_final, fins)))

    run()  # reset the tape to the unperturbed point
    d_final = r_final if len(r_final) > 1 else r_final[0]
    grads = model.backward(r_out, d_final)

    checks = [(model.params[name], grads[name]) for name in model.params]
    checks.append((x, grads["x"]))
    if states is not None:
        d_states = grads["state"] if isinstance(grads["state"], tuple) else (grads["state"],)
        checks += list(zip(states, d_states))

    # Entries below `floor` are compared absolutely: a gradient that is exactly zero (a dead ReLU,
    # a step beyond a sequence's length) has a finite difference made of roundoff alone, whose size
    # is about |loss| * machine epsilon / eps.
    floor = 1e6 * np.finfo(np.float64).eps * max(1.0, abs(loss())) / eps
    worst = 0.0
    for array, analytic in checks:
        flat, d_flat = array.reshape(-1), np.asarray(analytic).reshape(-1)
        picks = rng.choice(flat.size, size=min(max_entries, flat.size), replace=False)
        for k in picks:
            old = flat[k]
            values = []
            for step in (2, 1, -1, -2):
                flat[k] = old + step * eps
                values.append(loss())
            flat[k] = old
            numeric = (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * eps)  # error O(eps**4)
            error = abs(d_flat[k] - numeric) / max(floor, abs(d_flat[k]) + abs(numeric))
            worst = max(worst, float(error))
    return worst
