"""Whole models built from the twins' layers, for one framework only (imported explicitly, never by ``import rnnlearn``).

- :mod:`rnnlearn.models.charlm`: a character language model in PyTorch (chapter 11).


"""Composite models built from the twins (PyTorch only for now): the encoder-decoder with attention.

Import the submodule you need, e.g. ``from rnnlearn.models.seq2seq import Seq2Seq``; importing this package
imports neither torch nor tensorflow.
"""


"""Task models built on the twins. Each submodule imports its framework itself; this package imports none."""
