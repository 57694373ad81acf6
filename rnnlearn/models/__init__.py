"""Whole models built from the twins' layers, one framework per submodule.

- :mod:`rnnlearn.models.seq2seq`: the encoder-decoder with attention (chapter 12).
- :mod:`rnnlearn.models.token_models`: an LSTM, a tiny causal transformer and a TCN with one interface, for
  the cost comparisons of chapter 14.

The character language model (chapter 11) and the forecaster (chapter 13) have twins in every framework:
``CharLSTM`` and ``Forecaster`` in :mod:`rnnlearn.numpy`, :mod:`rnnlearn.torch` and :mod:`rnnlearn.keras`.

Import the submodule you need, e.g. ``from rnnlearn.models.seq2seq import Seq2Seq``; importing this package
imports neither torch nor tensorflow: each submodule imports its framework itself.
"""
