"""Whole models built from the twins' layers, for one framework only (imported explicitly, never by ``import rnnlearn``).

- :mod:`rnnlearn.models.charlm`: a character language model in PyTorch (chapter 11).
"""
