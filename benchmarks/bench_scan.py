"""Time the ways of computing h_t = a_t * h_{t-1} + b_t: the loop against the parallel scans, on the CPU.

    python benchmarks/bench_scan.py                     # PyTorch and Keras (TensorFlow backend)
    python benchmarks/bench_scan.py --only torch --out benchmarks/scan.md
    python benchmarks/bench_scan.py --lengths 256 1024 --repeats 3 --threads 0

Forward + backward of ``rnnlearn.{torch,keras}.linear_scan`` on a (B, T, H) float32 problem
(B=8, H=64 by default) for T in {256, 1024, 4096}: the best of a few repeats (fewer when one call takes
long), in milliseconds, and the speedup over the sequential loop of the same framework. One thread per operation by default: with two
threads on a 2-core machine that has anything else to do, torch's threads wait for each other and the
Blelloch scan at T=4096 measured 10x slower (298 ms instead of 30 ms).

The Keras rows run under the TensorFlow backend, eagerly by default. ``--keras-function`` times them
inside ``tf.function`` instead: that runs the loop several times faster, but tracing the 4,096 unrolled
steps and their gradient takes over a minute, and the parallel methods gain less than 2x (tracing the
log-space scan takes tens of seconds too). ``jit_compile=True`` (XLA) gained little on the parallel
methods and fails to compile ``keras.ops.associative_scan`` of ``logaddexp`` for odd lengths.
Timings are printed, never asserted: they depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

TORCH_METHODS = ("sequential", "hillis_steele", "blelloch", "log")
KERAS_METHODS = TORCH_METHODS + ("associative",)


def best_ms(fn, repeats, budget_s=1.0, first_is_warmup_only=False):
    """The fastest of up to ``repeats`` calls after one warm-up, in milliseconds.

    The minimum is the run least disturbed by other work on the machine. Stops once the calls have taken
    ``budget_s`` seconds. A warm-up call slower than twice that counts as the measurement (in eager mode
    such a call costs about what the next would), unless ``first_is_warmup_only`` (the first call traces).
    """
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    if first > 2 * budget_s and not first_is_warmup_only:
        return 1e3 * first
    times = []
    while len(times) < repeats and sum(times) < budget_s:
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * min(times)


def problem(B, T, H, seed=0):
    """Coefficients in (0, 1) (a decaying memory, positive so the log-space scan applies) and inputs."""
    rng = np.random.default_rng(seed)
    a = 1.0 / (1.0 + np.exp(-rng.standard_normal((B, T, H)) - 2.0))  # sigmoid, mostly near 0.9
    return a.astype("float32"), rng.standard_normal((B, T, H)).astype("float32")


def bench_torch(B, H, lengths, repeats):
    import torch

    from rnnlearn.torch import linear_scan

    rows = []
    for T in lengths:
        a_np, b_np = problem(B, T, H)
        a = torch.tensor(a_np, requires_grad=True)
        b = torch.tensor(b_np, requires_grad=True)
        for method in TORCH_METHODS:
            def forward_backward():
                a.grad = b.grad = None
                linear_scan(a, b, method=method).sum().backward()

            rows.append(("torch", method, T, best_ms(forward_backward, repeats)))
    return rows


def bench_keras(B, H, lengths, repeats, compiled=False):
    import keras

    if keras.backend.backend() != "tensorflow":
        raise SystemExit(f"the Keras rows time the TensorFlow backend; got KERAS_BACKEND={keras.backend.backend()}")
    import tensorflow as tf

    from rnnlearn.keras import linear_scan

    label = "keras [tf.function]" if compiled else "keras [eager]"
    rows = []
    for T in lengths:
        a_np, b_np = problem(B, T, H)
        a, b = tf.constant(a_np), tf.constant(b_np)
        for method in KERAS_METHODS:
            def forward_backward(a, b):
                with tf.GradientTape() as tape:
                    tape.watch([a, b])
                    loss = tf.reduce_sum(linear_scan(a, b, method=method))
                return tape.gradient(loss, [a, b])

            run = tf.function(forward_backward) if compiled else forward_backward
            rows.append((label, method, T, best_ms(lambda: run(a, b), repeats, first_is_warmup_only=compiled)))
    return rows


def set_threads(threads, only):
    """One knob for both frameworks (on a busy machine, fewer threads than cores wait less for each other)."""
    if only in (None, "torch"):
        import torch

        torch.set_num_threads(threads)
    if only in (None, "keras"):
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)


def table(rows):
    """A Markdown table, with the speedup over the same framework's loop at the same T."""
    loops = {(framework, T): ms for framework, method, T, ms in rows if method == "sequential"}
    lines = ["| framework | method | T | forward + backward (ms) | speedup over the loop |", "|---|---|---:|---:|---:|"]
    for framework, method, T, ms in rows:
        lines.append(f"| {framework} | {method} | {T} | {ms:.1f} | {loops[framework, T] / ms:.1f}x |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--size", type=int, default=64, help="H, the features per step")
    parser.add_argument("--lengths", type=int, nargs="+", default=[256, 1024, 4096])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per operation for torch and TensorFlow (default 1; 0: the frameworks' choice)")
    parser.add_argument("--only", choices=["torch", "keras"], default=None)
    parser.add_argument("--keras-function", action="store_true", help="time Keras inside tf.function (slow to trace)")
    parser.add_argument("--out", default=None, help="also write the table (and its header) to this file")
    args = parser.parse_args()

    start = time.perf_counter()
    if args.threads:
        set_threads(args.threads, args.only)
    rows = []
    if args.only in (None, "torch"):
        rows += bench_torch(args.batch, args.size, args.lengths, args.repeats)
    if args.only in (None, "keras"):
        rows += bench_keras(args.batch, args.size, args.lengths, args.repeats, args.keras_function)

    threads = ""
    if args.only in (None, "torch"):
        import torch

        threads = f", torch threads per operation: {torch.get_num_threads()}"
    header = (f"linear_scan, forward + backward, B={args.batch}, H={args.size}, float32, CPU "
              f"({platform.processor() or platform.machine()}, {os.cpu_count()} cores{threads}), "
              f"best of up to {args.repeats} runs; whole script {time.perf_counter() - start:.0f} s")
    text = header + "\n\n" + table(rows) + "\n"
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
