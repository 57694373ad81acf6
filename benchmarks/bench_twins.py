"""Time the twins against the built-in layers: forward, and forward + backward, on the CPU.

    python benchmarks/bench_twins.py                 # B=32, T=100, D=H=128, PyTorch and Keras
    python benchmarks/bench_twins.py --only torch --threads 1
    KERAS_BACKEND=torch python benchmarks/bench_twins.py --only keras

Prints a Markdown table of median times in milliseconds and the ratio to the built-in layer.
Timings are printed, never asserted: they depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np


def median_ms(fn, repeats, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def bench_torch(B, T, D, H, repeats):
    import torch

    import rnnlearn.torch as rt
    from rnnlearn.convert import copy_weights

    rows = []
    x = torch.randn(B, T, D)
    for name in ("LSTM", "GRU"):
        builtin = getattr(torch.nn, name)(D, H, batch_first=True)
        twin = copy_weights(builtin, getattr(rt, name)(D, H))
        fused = copy_weights(builtin, getattr(rt, name)(D, H, fused=True))
        timings = {}
        for label, layer in ((f"torch.nn.{name}", builtin), (f"rnnlearn.torch.{name}", twin),
                             (f"rnnlearn.torch.{name}(fused=True)", fused)):
            def forward():
                with torch.no_grad():
                    layer(x)

            xg = x.clone().requires_grad_(True)

            def forward_backward():
                layer.zero_grad(set_to_none=True)
                layer(xg)[0].sum().backward()

            timings[label] = (median_ms(forward, repeats), median_ms(forward_backward, repeats))
        rows += _rows(timings, f"torch.nn.{name}")
    return rows


def bench_keras(B, T, D, H, repeats):
    import keras

    import rnnlearn.keras as rk
    from rnnlearn.convert import copy_weights

    backend = keras.backend.backend()
    rows = []
    x = keras.ops.convert_to_tensor(np.random.default_rng(0).standard_normal((B, T, D)).astype("float32"))
    for name in ("LSTM", "GRU"):
        builtin = getattr(keras.layers, name)(H, return_sequences=True)
        builtin.build((None, None, D))
        twin = getattr(rk, name)(D, H)
        copy_weights(builtin, twin)
        timings = {}
        for label, call in ((f"keras.layers.{name}", lambda: builtin(x)), (f"rnnlearn.keras.{name}", lambda: twin(x)[0])):
            layer = builtin if label.startswith("keras") else twin
            forward, forward_backward = _keras_functions(backend, layer, call, x)
            timings[f"{label} [{backend}]"] = (median_ms(forward, repeats), median_ms(forward_backward, repeats))
            if backend == "tensorflow":
                forward, forward_backward = _keras_functions(backend, layer, call, x, compiled=True)
                timings[f"{label} [tf.function]"] = (median_ms(forward, repeats), median_ms(forward_backward, repeats))
        for mode in ([backend, "tf.function"] if backend == "tensorflow" else [backend]):
            subset = {k: v for k, v in timings.items() if k.endswith(f"[{mode}]")}
            rows += _rows(subset, f"keras.layers.{name} [{mode}]")
    return rows


def _keras_functions(backend, layer, call, x, compiled=False):
    if backend == "tensorflow":
        import tensorflow as tf

        def forward_backward():
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(call())
            return tape.gradient(loss, layer.trainable_variables)

        if compiled:
            return tf.function(call), tf.function(forward_backward)
        return call, forward_backward
    if backend == "torch":
        import torch

        def forward():
            with torch.no_grad():
                call()

        def forward_backward():
            for v in layer.trainable_variables:
                v.value.grad = None
            call().sum().backward()

        return forward, forward_backward
    raise SystemExit(f"no timing code for KERAS_BACKEND={backend}")


def _rows(timings, baseline):
    base_f, base_fb = timings[baseline]
    return [(label, f, fb, f / base_f, fb / base_fb) for label, (f, fb) in timings.items()]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--time", type=int, default=100)
    parser.add_argument("--size", type=int, default=128, help="D = H")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's choice)")
    parser.add_argument("--only", choices=["torch", "keras"], default=None)
    args = parser.parse_args()
    B, T, D, H = args.batch, args.time, args.size, args.size

    rows = []
    if args.only in (None, "torch"):
        import torch

        if args.threads:
            torch.set_num_threads(args.threads)
        rows += bench_torch(B, T, D, H, args.repeats)
    if args.only in (None, "keras"):
        rows += bench_keras(B, T, D, H, args.repeats)

    import torch

    print(f"B={B}, T={T}, D=H={H}, float32, CPU ({platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"torch threads {torch.get_num_threads()}), median of {args.repeats} runs\n")
    print("| layer | forward (ms) | forward + backward (ms) | forward vs built-in | fwd + bwd vs built-in |")
    print("|---|---:|---:|---:|---:|")
    for label, f, fb, rf, rfb in rows:
        print(f"| {label} | {f:.1f} | {fb:.1f} | {rf:.2f}x | {rfb:.2f}x |")


if __name__ == "__main__":
    main()
