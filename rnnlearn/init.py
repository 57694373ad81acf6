"""Initialisations of recurrent weight matrices: orthogonal, identity, and a chosen spectral radius.

Framework-free: the matrices are NumPy arrays, and :func:`init_recurrent` writes them into any twin
(``rnnlearn.numpy``, ``rnnlearn.torch`` or ``rnnlearn.keras``, cells and layers) through the shared
weight layout of :mod:`rnnlearn.layout`. Importing this module imports neither torch nor keras.

======================  ==========================================================  ======================
scheme                  recurrent matrix :math:`W_{hh}` (each H x H gate block)      from
======================  ==========================================================  ======================
``"orthogonal"``        ``gain * Q``, Q a random orthogonal matrix (Q^T Q = I)       Saxe et al. (2014)
``"identity"``          ``gain * I``; with ReLU and zero biases, the IRNN            Le et al. (2015)
``"spectral_radius"``   a random Gaussian matrix rescaled so that max |eigenvalue|   (the vanishing and
                        is ``gain``                                                  exploding chapter)
======================  ==========================================================  ======================
"""

from __future__ import annotations

import numpy as np

from .layout import make_rng, num_gates, param_names

__all__ = ["orthogonal", "identity", "with_spectral_radius", "spectral_radius", "init_recurrent", "SCHEMES"]

SCHEMES = ("orthogonal", "identity", "spectral_radius")


def _size(size, where):
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"{where} expected size to be a positive integer, got {size!r}")
    return int(size)


def orthogonal(size: int, *, gain: float = 1.0, seed=None) -> np.ndarray:
    """A random ``(size, size)`` orthogonal matrix times ``gain``, drawn uniformly (Haar measure).

    The QR factorisation of a standard Gaussian matrix, with the signs of R's diagonal moved into Q
    so that the distribution is uniform over orthogonal matrices. Every singular value equals ``gain``,
    so ``||gain * Q v|| = gain * ||v||`` for every vector v.

    Parameters
    ----------
    size : int
        H, the number of rows and columns.
    gain : float
        The factor every singular value (and every eigenvalue's modulus) equals.
    seed : int, numpy.random.Generator or None
        As in the twins' constructors (None: one draw from NumPy's global generator).

    Returns
    -------
    ndarray of float64, shape (size, size)

    Examples
    --------
    >>> Q = orthogonal(4, seed=0)
    >>> np.allclose(Q.T @ Q, np.eye(4))
    True
    """
    size = _size(size, "orthogonal")
    gaussian = make_rng(seed).standard_normal((size, size))
    q, r = np.linalg.qr(gaussian)
    q = q * np.sign(np.diag(r))  # flip columns: uniform over the orthogonal group
    return float(gain) * q


def identity(size: int, *, gain: float = 1.0) -> np.ndarray:
    """``gain`` times the ``(size, size)`` identity: the IRNN's recurrent matrix (Le et al. 2015) when ``gain=1``."""
    size = _size(size, "identity")
    return float(gain) * np.eye(size)


def spectral_radius(matrix) -> float:
    """The largest modulus of the eigenvalues of a square matrix, ``max_i |lambda_i|``."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"spectral_radius expected a square matrix, got shape {matrix.shape}")
    return float(np.abs(np.linalg.eigvals(matrix)).max())


def with_spectral_radius(size: int, radius: float, *, seed=None) -> np.ndarray:
    """A random Gaussian ``(size, size)`` matrix rescaled so that its spectral radius is ``radius``.

    Parameters
    ----------
    size : int
        H, the number of rows and columns.
    radius : float
        The spectral radius of the result (>= 0).
    seed : int, numpy.random.Generator or None
        As in the twins' constructors.

    Examples
    --------
    >>> round(spectral_radius(with_spectral_radius(8, 1.1, seed=0)), 6)
    1.1
    """
    size = _size(size, "with_spectral_radius")
    if not np.isfinite(radius) or radius < 0:
        raise ValueError(f"with_spectral_radius expected radius >= 0, got {radius!r}")
    matrix = make_rng(seed).standard_normal((size, size)) / np.sqrt(size)
    return matrix * (float(radius) / spectral_radius(matrix))


def init_recurrent(model, scheme: str = "orthogonal", *, gain: float = 1.0, zero_bias: bool = False, seed=None):
    """Set the recurrent weights of a twin (any framework, cell or layer) in place and return it.

    Every ``H x H`` gate block of every ``weight_hh`` (each layer and direction) gets its own matrix of the
    chosen ``scheme``; the input weights are left alone. With ``zero_bias=True`` every bias is set to zero,
    as the IRNN does. The same ``seed`` gives the same numbers in the NumPy, PyTorch and Keras twins.

    Parameters
    ----------
    model : a cell or layer of ``rnnlearn.numpy``, ``rnnlearn.torch`` or ``rnnlearn.keras``
    scheme : str
        ``"orthogonal"`` (``gain`` times a random orthogonal matrix), ``"identity"`` (``gain`` times I) or
        ``"spectral_radius"`` (a random Gaussian matrix with spectral radius ``gain``).
    gain : float
        The scale: every singular value (orthogonal, identity) or the spectral radius.
    zero_bias : bool
        Also set ``bias_ih`` and ``bias_hh`` to zero.
    seed : int, numpy.random.Generator or None
        Seed of the random schemes.

    Returns
    -------
    the same ``model``

    Examples
    --------
    >>> from rnnlearn.numpy import RNN
    >>> layer = init_recurrent(RNN(2, 3, nonlinearity="relu", seed=0), "identity", zero_bias=True)
    >>> layer.params["weight_hh_l0"].tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    from .convert import _origin, _read_twin, _write_twin  # the twins' one reader and writer

    if scheme not in SCHEMES:
        raise ValueError(f"init_recurrent expected scheme to be one of {SCHEMES}, got {scheme!r}")
    if _origin(model) != "twin":
        raise ValueError(f"init_recurrent expected an rnnlearn cell or layer, got {type(model).__name__}")
    spec, values = _read_twin(model)
    rng = make_rng(seed)
    H, G = spec.hidden_size, num_gates(spec.kind)
    if spec.num_layers is None:
        groups = [param_names(None, 0, spec.bias)]
    else:
        groups = [param_names(layer, direction, spec.bias)
                  for layer in range(spec.num_layers) for direction in range(spec.num_directions)]
    for names in groups:
        blocks = []
        for _ in range(G):
            if scheme == "orthogonal":
                blocks.append(orthogonal(H, gain=gain, seed=rng))
            elif scheme == "identity":
                blocks.append(identity(H, gain=gain))
            else:
                blocks.append(with_spectral_radius(H, gain, seed=rng))
        values[names[1]] = np.concatenate(blocks, axis=0)  # (G*H, H), gate blocks stacked
        if zero_bias and spec.bias:
            values[names[2]] = np.zeros_like(values[names[2]])
            values[names[3]] = np.zeros_like(values[names[3]])
    _write_twin(model, values)
    return model
