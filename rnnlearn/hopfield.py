r"""A Hopfield network: a recurrent associative memory of binary patterns (framework-free, NumPy only).

The network has :math:`N` units with states :math:`s_i \in \{-1, +1\}` and symmetric weights
:math:`W \in \mathbb{R}^{N \times N}` with a zero diagonal. It stores :math:`P` patterns
:math:`\xi^1, \dots, \xi^P \in \{-1, +1\}^N` with the Hebbian rule and recalls one of them by running its
update from a corrupted copy until nothing changes.

.. math::

    W_{ij} = \frac{1}{N} \sum_{\mu=1}^{P} \xi^\mu_i \xi^\mu_j \ (i \ne j), \qquad W_{ii} = 0,

    h_i = \sum_j W_{ij} s_j, \qquad s_i \leftarrow \operatorname{sgn}(h_i)
    \ \text{(a unit with } h_i = 0 \text{ keeps its state)},

    E(s) = -\tfrac{1}{2} \sum_{i, j} W_{ij} s_i s_j .

Asynchronous updates (one unit at a time) never increase :math:`E`; synchronous updates (all units at once)
may end in a cycle of two states. Shapes: :math:`N` units, :math:`P` patterns, :math:`K` states updated
side by side (a batch of probes).

References
----------
Hopfield, J. J. (1982). Neural networks and physical systems with emergent collective computational
abilities. *PNAS* 79(8), 2554-2558. Book chapter 2 (``book/02_history.md``).
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["Hopfield", "random_patterns", "corrupt", "overlap"]


def _check_pm1(array, name: str, where: str, num_units: int | None = None) -> np.ndarray:
    """Return ``array`` as float64 of shape (N,) or (K, N) with entries -1/+1, or raise ValueError."""
    values = np.asarray(array)
    if values.ndim not in (1, 2):
        raise ValueError(f"{where} expected {name} of shape (N,) or (K, N), got shape {values.shape}")
    if num_units is not None and values.shape[-1] != num_units:
        raise ValueError(f"{where} expected {name} with N = {num_units} units in the last axis, "
                         f"got shape {values.shape}")
    if values.size and not np.all((values == 1) | (values == -1)):
        raise ValueError(f"{where} expected {name} to hold only -1 and +1")
    return values.astype(np.float64)


def _rng(seed):
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


class Hopfield:
    r"""A Hopfield network of ``num_units`` binary units with Hebbian storage.

    Parameters
    ----------
    num_units : int
        Number of units :math:`N` (at least 2).

    Attributes
    ----------
    weights : ndarray of float64, shape (N, N)
        Symmetric, zero diagonal; all zeros until :meth:`store` is called.
    num_patterns : int
        Number of patterns :math:`P` stored so far.

    Shapes
    ------
    N units, P patterns, K states (probes) updated side by side. Every method that takes states accepts
    one state of shape (N,) or a batch of shape (K, N) and returns the same shape.

    Notes
    -----
    .. math::

        W_{ij} = \frac{1}{N} \sum_{\mu} \xi^\mu_i \xi^\mu_j \ (i \ne j), \quad W_{ii} = 0, \quad
        s_i \leftarrow \operatorname{sgn}\Big(\sum_j W_{ij} s_j\Big), \quad
        E(s) = -\tfrac12 s^\top W s .

    Examples
    --------
    >>> net = Hopfield(64).store(random_patterns(3, 64, seed=0))
    >>> bool(np.all(net.update_sync(net.patterns) == net.patterns))
    True
    """

    def __init__(self, num_units: int):
        if isinstance(num_units, (bool, np.bool_)) or not isinstance(num_units, numbers.Integral) or num_units < 2:
            raise ValueError(f"Hopfield expected num_units to be an integer >= 2, got {num_units!r}")
        self.num_units = int(num_units)
        self.weights = np.zeros((self.num_units, self.num_units))  # (N, N)
        self.patterns = np.zeros((0, self.num_units))              # (P, N)

    @property
    def num_patterns(self) -> int:
        return len(self.patterns)

    def store(self, patterns) -> "Hopfield":
        """Add patterns with the Hebbian rule; returns the network, so calls chain.

        Parameters
        ----------
        patterns : array of -1/+1, shape (P, N) or (N,)
        """
        xi = _check_pm1(patterns, "patterns", "Hopfield.store", self.num_units)
        xi = np.atleast_2d(xi)  # (P, N)
        if len(xi) == 0:
            raise ValueError("Hopfield.store expected at least one pattern, got shape (0, N)")
        self.weights += xi.T @ xi / self.num_units  # (N, N): sum of outer products
        np.fill_diagonal(self.weights, 0.0)
        self.patterns = np.concatenate([self.patterns, xi])
        return self

    def _states(self, states, where: str) -> np.ndarray:
        return _check_pm1(states, "states", where, self.num_units)

    def energy(self, states):
        """E(s) = -1/2 s^T W s: a float for one state (N,), an array (K,) for a batch (K, N)."""
        s = self._states(states, "Hopfield.energy")
        e = -0.5 * np.einsum("...i,ij,...j->...", s, self.weights, s)
        return float(e) if s.ndim == 1 else e

    def fields(self, states) -> np.ndarray:
        """Local fields h = W s of every unit: same shape as ``states``."""
        s = self._states(states, "Hopfield.fields")
        return s @ self.weights  # (K, N): W is symmetric, so s @ W = (W s)^T

    def update_sync(self, states) -> np.ndarray:
        """One synchronous step: every unit takes the sign of its field at once (ties keep the state)."""
        s = self._states(states, "Hopfield.update_sync")
        h = s @ self.weights  # (K, N)
        return np.where(h > 0, 1.0, np.where(h < 0, -1.0, s))

    def update_async(self, states, *, order=None, seed=None) -> np.ndarray:
        """One asynchronous sweep: units take the sign of their field one after another.

        Parameters
        ----------
        states : array of -1/+1, shape (N,) or (K, N)
        order : sequence of int, optional
            The units to update, in this order (a unit may appear more than once, or not at all).
            Default: a random permutation of all N units, drawn from ``seed``.
        seed : int or numpy.random.Generator, optional
            Used only when ``order`` is None.

        Returns
        -------
        ndarray, the same shape as ``states``: a new array (the input is not modified).
        """
        s = self._states(states, "Hopfield.update_async")
        if order is None:
            order = _rng(seed).permutation(self.num_units)
        order = np.asarray(order)
        if order.ndim != 1 or not np.issubdtype(order.dtype, np.integer) or np.any(order < 0) \
                or np.any(order >= self.num_units):
            raise ValueError(f"Hopfield.update_async expected order to be a sequence of unit indices in "
                             f"[0, {self.num_units}), got {order!r}")
        units = np.ascontiguousarray(np.atleast_2d(s).T)  # (N, K): one row per unit, fast to rewrite
        weights = self.weights
        for i in order:
            h_i = weights[i] @ units  # (K,): the field of unit i in every state
            units[i] = np.where(h_i == 0, units[i], np.sign(h_i))
        return units.T.reshape(s.shape).copy()

    def recall(self, states, *, mode: str = "async", max_sweeps: int = 100, seed=None) -> np.ndarray:
        """Update until no unit changes (a fixed point) or ``max_sweeps`` sweeps have run.

        ``mode="async"`` runs random-order sweeps (a new order each sweep, from ``seed``); ``mode="sync"``
        runs synchronous steps, which may end in a two-state cycle instead of a fixed point.
        Returns the final states, the same shape as ``states``.
        """
        if mode not in ("async", "sync"):
            raise ValueError(f"Hopfield.recall expected mode 'async' or 'sync', got {mode!r}")
        if isinstance(max_sweeps, (bool, np.bool_)) or not isinstance(max_sweeps, numbers.Integral) \
                or max_sweeps < 1:
            raise ValueError(f"Hopfield.recall expected max_sweeps to be a positive integer, got {max_sweeps!r}")
        s = self._states(states, "Hopfield.recall")
        rng = _rng(seed)
        for _ in range(max_sweeps):
            new = self.update_async(s, seed=rng) if mode == "async" else self.update_sync(s)
            if np.array_equal(new, s):
                break
            s = new
        return s


def random_patterns(num_patterns: int, num_units: int, *, seed) -> np.ndarray:
    """``num_patterns`` independent patterns of -1/+1 with equal probability: shape (P, N), float64."""
    for value, name in ((num_patterns, "num_patterns"), (num_units, "num_units")):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(f"random_patterns expected {name} to be a positive integer, got {value!r}")
    return _rng(seed).choice([-1.0, 1.0], size=(num_patterns, num_units))


def corrupt(patterns, num_flips: int, *, seed) -> np.ndarray:
    """Flip exactly ``num_flips`` randomly chosen units of each pattern: same shape, a new array."""
    xi = _check_pm1(patterns, "patterns", "corrupt")
    num_units = xi.shape[-1]
    if isinstance(num_flips, (bool, np.bool_)) or not isinstance(num_flips, numbers.Integral) \
            or not 0 <= num_flips <= num_units:
        raise ValueError(f"corrupt expected num_flips to be an integer in [0, {num_units}], got {num_flips!r}")
    rng = _rng(seed)
    out = np.atleast_2d(xi).copy()  # (K, N)
    for row in out:
        row[rng.choice(num_units, size=int(num_flips), replace=False)] *= -1
    return out.reshape(xi.shape)


def overlap(states, pattern) -> np.ndarray | float:
    r"""The overlap :math:`m = \frac1N \sum_i \xi_i s_i \in [-1, 1]`: 1 means equal, -1 the negative.

    ``states`` (N,) or (K, N) and ``pattern`` of a shape that broadcasts with it; returns a float or (K,).
    """
    s = _check_pm1(states, "states", "overlap")
    xi = _check_pm1(pattern, "pattern", "overlap", s.shape[-1])
    m = np.mean(s * xi, axis=-1)
    return float(m) if np.ndim(m) == 0 else m
