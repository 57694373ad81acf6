"""Chapter 14's cost measurements at sizes of your choice: an LSTM, a tiny transformer and a TCN of one width.

    python benchmarks/bench_sequence_costs.py                          # the chapter's sizes, CPU, one thread
    python benchmarks/bench_sequence_costs.py --device cuda --lengths 64,256,1024,4096 --contexts 16,256,4096,16384

Prints two Markdown tables: milliseconds per training step against the sequence length T, and milliseconds per
generated token and bytes of state against the context length C. Timings are printed, never asserted: they depend
on the machine and on what else runs on it (the chapter asserts only trends, with wide margins).
"""

from __future__ import annotations

import argparse
import platform


def ints(text):
    return [int(v) for v in text.split(",")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (1: stable timings on a shared machine)")
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--train-batch-size", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=8, help="sequences generated at once")
    parser.add_argument("--lengths", type=ints, default=[64, 128, 256, 512, 1024])
    parser.add_argument("--contexts", type=ints, default=[16, 64, 256, 1024, 2048])
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()

    import torch

    from rnnlearn.costs import generation_costs, training_step_seconds
    from rnnlearn.models.token_models import TinyTransformer, TokenLSTM, TokenTCN

    torch.set_num_threads(args.threads)
    V, H = 64, args.width
    models = {"LSTM": TokenLSTM(V, H, seed=0), "transformer": TinyTransformer(V, H, num_heads=4, seed=0),
              "TCN": TokenTCN(V, H, num_layers=5, seed=0)}
    models = {name: m.to(args.device) for name, m in models.items()}
    sizes = {name: sum(p.numel() for p in m.parameters()) for name, m in models.items()}
    print(f"{platform.machine()}, torch {torch.__version__}, device {args.device}, {args.threads} thread(s), "
          f"width {H}, batch {args.train_batch_size} (training), {args.batch_size} (generation); parameters: " + ", ".join(f"{n} {c:,}" for n, c in sizes.items()))

    train = training_step_seconds(models, args.lengths, batch_size=args.train_batch_size, rounds=args.rounds,
                                  device=args.device)
    print("\n| T | " + " | ".join(f"{n} (ms/step)" for n in models) + " |")
    print("|---:|" + "---:|" * len(models))
    for T in args.lengths:
        print(f"| {T} | " + " | ".join(f"{1e3 * train[n][T]:.1f}" for n in models) + " |")

    costs = generation_costs(models, args.contexts, batch_size=args.batch_size, rounds=3,
                             device=args.device)
    print("\n| C | " + " | ".join(f"{n} (ms/token)" for n in models) + " | "
          + " | ".join(f"{n} (bytes)" for n in models) + " |")
    print("|---:|" + "---:|" * (2 * len(models)))
    for C in args.contexts:
        print(f"| {C} | " + " | ".join(f"{1e3 * costs[n][C][0]:.2f}" for n in models) + " | "
              + " | ".join(f"{costs[n][C][1]:,}" for n in models) + " |")


if __name__ == "__main__":
    main()
