"""A small PyTorch training loop for the chapters: gradient clipping, loss and gradient-norm history,
and a progress bar that reads well both live and as plain text in a built HTML page."""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import torch
from tqdm.std import tqdm

__all__ = ["History", "fit"]


@dataclass
class History:
    """What :func:`fit` recorded: per step, the loss, the gradient norm (before clipping) and the learning rate."""

    loss: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def recent_loss(self, n: int = 20) -> float:
        """Mean loss of the last ``n`` steps (a less noisy figure than the last one)."""
        tail = self.loss[-n:]
        return sum(tail) / len(tail)


class _LineWriter:
    """Turns tqdm's carriage-return redraws into whole lines.

    A notebook saved to HTML keeps every redraw of a bar; with ``\\r`` they pile up into one long,
    garbled line. Written as separate lines, a few updates read as a small log.
    """

    def __init__(self, stream):
        self.stream = stream
        self.last = None

    def write(self, text):
        for line in text.replace("\r", "\n").split("\n"):
            line = line.rstrip()
            if line and line != self.last:  # closing the bar redraws its last state
                self.stream.write(line + "\n")
                self.last = line

    def flush(self):
        self.stream.flush()


def fit(model: torch.nn.Module, batches, loss_fn: Callable, *, steps: int, optimizer: torch.optim.Optimizer | None = None,
        lr: float = 1e-3, clip_norm: float | None = 1.0, scheduler=None, progress: bool = True,
        updates: int = 10, desc: str = "training") -> History:
    """Train ``model`` for ``steps`` steps and return the loss and gradient-norm history.

    Parameters
    ----------
    model : torch.nn.Module
    batches : callable or iterable
        ``batches(step)`` returning one batch, or an iterable of batches (cycled if it runs out).
    loss_fn : callable
        ``loss_fn(model, batch)`` returning a scalar loss tensor.
    steps : int
        Number of optimiser steps.
    optimizer : torch.optim.Optimizer, optional
        Default: ``torch.optim.Adam(model.parameters(), lr)``.
    lr : float
        Learning rate of the default optimiser.
    clip_norm : float or None
        Rescale the gradients so that their global L2 norm is at most ``clip_norm``
        (Pascanu et al. 2013); None: no clipping. The history keeps the norm before clipping.
    scheduler : torch.optim.lr_scheduler.LRScheduler, optional
        A learning-rate schedule wrapped around ``optimizer``; ``scheduler.step()`` is called once after
        every optimiser step. The history keeps the rate each step used (the first parameter group's).
    progress : bool
        Show a tqdm bar on ``sys.stdout``, redrawn ``updates`` times, each redraw on its own line.
    updates : int
        How many times the bar is redrawn (plus the final state).
    desc : str
        The bar's label.

    Returns
    -------
    History

    Examples
    --------
    >>> from rnnlearn.torch import LSTM
    >>> layer, head = LSTM(1, 8, seed=0), torch.nn.Linear(8, 1)
    >>> model = torch.nn.ModuleDict({"rnn": layer, "head": head})
    >>> def loss_fn(model, batch):
    ...     x, y = batch
    ...     outputs, _ = model["rnn"](x)
    ...     return torch.nn.functional.mse_loss(model["head"](outputs[:, -1]), y)
    >>> x = torch.randn(16, 5, 1); y = x.sum(1)
    >>> history = fit(model, [(x, y)], loss_fn, steps=20, progress=False)
    >>> len(history.loss)
    20
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"fit expected steps to be a positive integer, got {steps!r}")
    if clip_norm is not None and clip_norm <= 0:
        raise ValueError(f"fit expected clip_norm > 0 or None, got {clip_norm!r}")
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = optimizer or torch.optim.Adam(params, lr=lr)
    if scheduler is not None and getattr(scheduler, "optimizer", None) is not optimizer:
        raise ValueError("fit expected a scheduler built on the optimizer it trains with (pass both, "
                         "scheduler=LambdaLR(optimizer, ...), optimizer=optimizer)")
    next_batch = batches if callable(batches) else _cycle(batches)
    history = History()
    every = max(1, steps // max(1, updates))
    bar = tqdm(total=steps, desc=desc, file=_LineWriter(sys.stdout), disable=not progress, ascii=True, ncols=80,
               mininterval=0, miniters=every, leave=True, dynamic_ncols=False,
               bar_format="{desc}: {percentage:3.0f}%|{bar:20}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}{postfix}]")
    start = time.perf_counter()
    model.train()
    with bar:
        for step in range(steps):
            batch = next_batch(step)
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model, batch)
            loss.backward()
            limit = clip_norm if clip_norm is not None else float("inf")
            norm = torch.nn.utils.clip_grad_norm_(params, limit)
            history.lr.append(float(optimizer.param_groups[0]["lr"]))
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            history.loss.append(float(loss.detach()))
            history.grad_norm.append(float(norm))
            if (step + 1) % every == 0 or step + 1 == steps:
                bar.set_postfix_str(f"loss={history.recent_loss(every):.4g}", refresh=False)
                bar.update((step + 1) - bar.n)
    history.seconds = time.perf_counter() - start
    return history


def _cycle(batches: Iterable):
    iterator = itertools.cycle(batches)
    return lambda step: next(iterator)
