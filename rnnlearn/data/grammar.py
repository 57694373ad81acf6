"""The Reber grammar and the embedded Reber grammar: strings from a small finite automaton.

The embedded grammar is the first experiment of Hochreiter & Schmidhuber (1997): after ``B`` comes ``T`` or
``P``, then a whole Reber string, then the same ``T`` or ``P`` again. Predicting that second-to-last symbol
requires remembering the second symbol across the inner string.

Reber automaton (states 0-6; a string is complete after the ``E`` out of state 6)::

    0 --B--> 1
    1 --T--> 2    1 --P--> 3
    2 --S--> 2    2 --X--> 4
    3 --T--> 3    3 --V--> 5
    4 --X--> 3    4 --S--> 6
    5 --P--> 4    5 --V--> 6
    6 --E--> end
"""

from __future__ import annotations

import numpy as np

from ._validate import make_rng, positive_int

__all__ = [
    "REBER_SYMBOLS",
    "reber_strings",
    "embedded_reber_strings",
    "is_reber",
    "is_embedded_reber",
    "reber_next_symbols",
    "encode_reber",
]

#: The seven symbols, in the order of the one-hot columns.
REBER_SYMBOLS = "BTPSXVE"

_END = "end"
# Plain Reber grammar: state -> {symbol: next state}; every branch has probability 1/2.
_REBER = {
    0: {"B": 1},
    1: {"T": 2, "P": 3},
    2: {"S": 2, "X": 4},
    3: {"T": 3, "V": 5},
    4: {"X": 3, "S": 6},
    5: {"P": 4, "V": 6},
    6: {"E": _END},
}


def _embedded() -> dict:
    """The embedded grammar: B, then T or P, an inner Reber string, the same T or P, then E."""
    table = {"start": {"B": "choose"}, "choose": {"T": ("T", 0), "P": ("P", 0)}, "close": {"E": _END}}
    for branch in "TP":
        for state, edges in _REBER.items():
            table[(branch, state)] = {symbol: (branch, nxt) for symbol, nxt in edges.items()}
        table[(branch, _END)] = {branch: "close"}
    return table


_EMBEDDED = _embedded()


def _walk(table: dict, start, string: str) -> list | None:
    """The states visited while reading ``string`` (len + 1 of them), or None if an edge is missing."""
    states = [start]
    for symbol in string:
        edges = table.get(states[-1], {})
        if symbol not in edges:
            return None
        states.append(edges[symbol])
    return states


def _sample(table: dict, start, rng: np.random.Generator) -> str:
    state, out = start, []
    while state != _END:
        edges = table[state]
        symbol = list(edges)[rng.integers(len(edges))] if len(edges) > 1 else next(iter(edges))
        out.append(symbol)
        state = edges[symbol]
    return "".join(out)


def _check_count(n, where):
    return positive_int(n, "n", where)


def reber_strings(n: int, *, seed) -> list[str]:
    """Sample ``n`` strings of the (plain) Reber grammar, every branch with probability 1/2.

    Parameters
    ----------
    n : int
        Number of strings (>= 1).
    seed : int or numpy.random.Generator
        Keyword-only and required; see :func:`rnnlearn.data.adding_problem`.

    Returns
    -------
    list of str
        Strings such as ``"BTXSE"`` or ``"BPTVPXVVE"``; shortest length 5, no upper bound (loops).

    References
    ----------
    Reber, A. S. (1967). Implicit learning of artificial grammars. *Journal of Verbal Learning and Verbal
    Behavior* 6(6). Cleeremans, A., Servan-Schreiber, D. & McClelland, J. L. (1989). Finite state automata
    and simple recurrent networks. *Neural Computation* 1(3).
    """
    n = _check_count(n, "reber_strings")
    rng = make_rng(seed, "reber_strings")
    return [_sample(_REBER, 0, rng) for _ in range(n)]


def embedded_reber_strings(n: int, *, seed) -> list[str]:
    """Sample ``n`` strings of the embedded Reber grammar, e.g. ``"BTBPVVETE"``.

    Parameters
    ----------
    n : int
        Number of strings (>= 1).
    seed : int or numpy.random.Generator
        Keyword-only and required; see :func:`rnnlearn.data.adding_problem`.

    Returns
    -------
    list of str
        Strings ``B x <Reber string> x E`` with ``x`` in ``{"T", "P"}`` drawn with probability 1/2.

    References
    ----------
    Hochreiter, S. & Schmidhuber, J. (1997). Long short-term memory. *Neural Computation* 9(8),
    Experiment 1. Fahlman, S. E. (1991). The recurrent cascade-correlation learning algorithm. NIPS 3.
    """
    n = _check_count(n, "embedded_reber_strings")
    rng = make_rng(seed, "embedded_reber_strings")
    return [_sample(_EMBEDDED, "start", rng) for _ in range(n)]


def _check_string(s, where) -> str:
    if not isinstance(s, str):
        raise ValueError(f"{where} expected a str, got {type(s).__name__}")
    return s


def is_reber(s: str) -> bool:
    """Whether ``s`` is a complete string of the Reber grammar (e.g. ``is_reber("BTXSE")`` is True)."""
    states = _walk(_REBER, 0, _check_string(s, "is_reber"))
    return states is not None and states[-1] == _END


def is_embedded_reber(s: str) -> bool:
    """Whether ``s`` is a complete string of the embedded Reber grammar (e.g. ``"BTBTXSETE"``)."""
    states = _walk(_EMBEDDED, "start", _check_string(s, "is_embedded_reber"))
    return states is not None and states[-1] == _END


def reber_next_symbols(s: str, *, embedded: bool = True) -> list[str]:
    """The symbols that may follow each prefix of ``s``: the target of next-symbol prediction.

    Parameters
    ----------
    s : str
        A valid string of the grammar.
    embedded : bool
        Use the embedded grammar (default) or the plain one.

    Returns
    -------
    list of str
        ``out[t]`` lists, in ``REBER_SYMBOLS`` order, the symbols allowed after ``s[: t + 1]``; the entry after
        the final ``E`` is ``""``. Example: ``reber_next_symbols("BTXSE", embedded=False)`` is
        ``["TP", "SX", "SX", "E", ""]``.
    """
    where = "reber_next_symbols"
    table, start = (_EMBEDDED, "start") if embedded else (_REBER, 0)
    states = _walk(table, start, _check_string(s, where))
    if states is None or states[-1] != _END:
        kind = "an embedded Reber" if embedded else "a Reber"
        raise ValueError(f"{where} expected {kind} string, got {s!r}")
    return ["".join(c for c in REBER_SYMBOLS if c in table.get(state, {})) for state in states[1:]]


def encode_reber(strings: list[str], *, embedded: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-hot inputs and multi-hot next-symbol targets for a list of grammar strings, zero-padded.

    Parameters
    ----------
    strings : list of str
        Valid strings of the grammar (see :func:`embedded_reber_strings`).
    embedded : bool
        Whether the strings come from the embedded grammar (default) or the plain one.

    Returns
    -------
    x : ndarray of float32, shape (B, T, 7)
        One-hot symbols, columns in ``REBER_SYMBOLS`` order; rows past a string's end are zero.
    y : ndarray of float32, shape (B, T, 7)
        ``y[b, t, k] = 1`` where symbol k may follow ``strings[b][: t + 1]``. As in Hochreiter & Schmidhuber
        (1997), a prediction counts as right when the allowed symbols get the highest outputs. The row for the
        final ``E`` and the padding rows are zero.
    lengths : ndarray of int64, shape (B,)
        Length of each string; T is their maximum.

    Shapes
    ------
    B batch (number of strings), T time (longest string), D = 7 symbols.
    """
    where = "encode_reber"
    if isinstance(strings, str) or not isinstance(strings, (list, tuple)) or len(strings) == 0:
        raise ValueError(f"{where} expected a non-empty list of strings, got {strings!r:.60}")
    targets = [reber_next_symbols(s, embedded=embedded) for s in strings]  # validates each string
    lengths = np.array([len(s) for s in strings], dtype=np.int64)
    column = {c: k for k, c in enumerate(REBER_SYMBOLS)}
    x = np.zeros((len(strings), int(lengths.max()), len(REBER_SYMBOLS)), dtype=np.float32)  # (B, T, 7)
    y = np.zeros_like(x)  # (B, T, 7)
    for b, (s, nexts) in enumerate(zip(strings, targets)):
        for t, (symbol, allowed) in enumerate(zip(s, nexts)):
            x[b, t, column[symbol]] = 1.0
            for c in allowed:
                y[b, t, column[c]] = 1.0
    return x, y, lengths
