"""Whole models built from the twins' layers, one framework per submodule.

- :mod:`rnnlearn.models.charlm`: a character language model (chapter 11).
- :mod:`rnnlearn.models.seq2seq`: the encoder-decoder with attention (chapter 12).
- :mod:`rnnlearn.models.forecast`: a forecasting model (chapter 13).

Import the submodule you need, e.g. ``from rnnlearn.models.seq2seq import Seq2Seq``; importing this package
imports neither torch nor tensorflow: each submodule imports its framework itself.
"""
