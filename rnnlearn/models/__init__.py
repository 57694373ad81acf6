"""Whole models built from the twins' layers, one framework per submodule.

- :mod:`rnnlearn.models.token_models`: an LSTM, a tiny causal transformer and a TCN with one interface, for
  the cost comparisons of chapter 14.

Import the submodule you need, e.g. ``from rnnlearn.models.token_models import TinyTransformer``; importing this
package imports neither torch nor tensorflow: each submodule imports its framework itself.
"""
