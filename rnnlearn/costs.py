"""Measure what sequence models cost: seconds per training step against the sequence length, and seconds and
bytes of state per generated token against the context length (chapter 14; ``benchmarks/bench_sequence_costs.py``).

Timings on a shared machine are noisy. Both functions visit every (model, length) pair once per round, in turn,
so that a burst of load from elsewhere hits all of them alike, and keep the best round: the least disturbed
measurement of each. Works with any model that has ``forward(ids, state)`` and ``step(ids_t, state)`` returning
``(logits, state)``, such as those of :mod:`rnnlearn.models.token_models`. Imports torch.
"""

from __future__ import annotations

import statistics
import time

import torch
import torch.nn.functional as F

from .data import multi_query_associative_recall
from .models.token_models import state_nbytes

__all__ = ["training_step_seconds", "generation_costs"]


def _clock(device):
    if torch.device(device).type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter()


def _check(models, lengths, name):
    if not models:
        raise ValueError("expected at least one model, got none")
    if not lengths or any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in lengths):
        raise ValueError(f"expected {name} to be positive integers, got {lengths!r}")


def training_step_seconds(models: dict, lengths, *, batch_size=8, rounds=3, num_pairs=8, learning_rate=1e-3, seed=0,
                          device="cpu"):
    """Best time in seconds of one training step (forward, backward, gradient-descent update) of each model at each
    length T.

    The batch is ``batch_size`` sequences of multi-query associative recall (``num_pairs`` pairs, the models'
    vocabulary), the loss the cross-entropy of the next token at the query positions. The update is plain
    gradient descent written out, ``p -= lr * p.grad``: its cost does not depend on T, and it spares the
    seconds that building a ``torch.optim`` optimizer spends importing ``torch._dynamo``. Returns
    ``{name: {T: seconds}}``. Every model is trained a little by the measurement: pass copies if that matters.
    """
    _check(models, lengths, "lengths")
    batches = {}
    for T in lengths:
        for name, model in models.items():
            x, y, _ = multi_query_associative_recall(batch_size, T, num_pairs=num_pairs,
                                                     vocab_size=model.vocab_size, seed=seed)
            batches[name, T] = torch.from_numpy(x).to(device), torch.from_numpy(y).to(device)

    def one_step(name, T):
        model, (x, y) = models[name], batches[name, T]
        start = _clock(device)
        logits, _ = model(x)  # (B, T, V)
        loss = F.cross_entropy(logits.flatten(0, 1), y.flatten(), ignore_index=-100)
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= learning_rate * p.grad
        return _clock(device) - start

    best = {name: {T: float("inf") for T in lengths} for name in models}
    for round_ in range(rounds + 1):  # round 0 warms up (memory allocation, kernel selection) and is not kept
        for T in lengths:
            for name in models:
                seconds = one_step(name, T)
                if round_:
                    best[name][T] = min(best[name][T], seconds)
    return best


@torch.inference_mode()
def generation_costs(models: dict, contexts, *, batch_size=8, steps=10, rounds=3, seed=0, device="cpu"):
    """Per-token cost of generating after a prompt of C tokens, for each model and context length C.

    For each C the models read a prompt of C random tokens in one call (building their state), then generate
    ``steps`` tokens one at a time, each fed back as the next input. Returns ``{name: {C: (seconds, nbytes)}}``:
    the median seconds per generated token (best of ``rounds`` repetitions) and the bytes of the state after
    the prompt, before any token is generated.
    """
    _check(models, contexts, "contexts")
    generator = torch.Generator().manual_seed(seed)
    costs = {name: {} for name in models}
    for C in contexts:
        prompts = {name: torch.randint(0, m.vocab_size, (batch_size, C), generator=generator).to(device)
                   for name, m in models.items()}
        states, best = {}, {name: float("inf") for name in models}
        for name, model in models.items():
            logits, states[name] = model(prompts[name])
            costs[name][C] = (None, state_nbytes(states[name]))
        for _ in range(rounds):
            for name, model in models.items():
                state, token, times = states[name], prompts[name][:, -1], []
                for _ in range(steps):
                    start = _clock(device)
                    logits, state = model.step(token, state)
                    token = logits.argmax(-1)  # (B,): greedy, fed back as the next input
                    times.append(_clock(device) - start)
                best[name] = min(best[name], statistics.median(times))
        for name in models:
            costs[name][C] = (best[name], costs[name][C][1])
    return costs
