"""Reproducibility: a chapter executed twice prints the same thing, cell by cell.

    python tools/repro.py                      # the sample below (the repro stage of `make test`)
    python tools/repro.py 03_vanilla_rnn ...   # other chapters

For each chapter, the first run is the one the notebooks stage stored in the execution cache (it is
executed here only when it is missing there); the second is a fresh execution, network blocked like the
first. What is compared is what a reader sees printed: stdout and the text/plain of every result or
display, cell by cell. Standard error (warnings, progress bars) is not compared. A cell tagged
`nbval-ignore-output` (nbval's tag for "this output may change", e.g. a wall-clock timing) is skipped.
A difference fails with the chapter, the cell and the first line that differs.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from bookcheck import toc_chapters  # noqa: E402
from execute_chapters import cache_path, execute_chapters, execute_notebook, read_chapter  # noqa: E402

# Three of the cheapest chapters; 01 and 03 train models with PyTorch (01 an RNN against a bag-of-inputs
# model, 03 Elman and Jordan networks on an echo task and an RNN on the Reber grammar).
# 04 is left out: it prints timing tables whose ratios change from run to run.
SAMPLE = ["01_sequences_and_memory", "02_history", "03_vanilla_rnn"]
IGNORE_TAG = "nbval-ignore-output"
DURATION = re.compile(r"\b\d+(?:\.\d+)?\s?(?:s|ms|us|µs|sec|seconds?)\b")


def printed_text(cell) -> str:
    """What a cell prints for a reader: stdout and text/plain, in order."""
    parts = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") == "stdout":
            parts.append(output.get("text", ""))
        elif kind in ("execute_result", "display_data") and "text/plain" in output.get("data", {}):
            text = output["data"]["text/plain"]
            parts.append((text if isinstance(text, str) else "".join(text)) + "\n")
    return DURATION.sub("<duration>", "".join(parts))


def compare(name: str, first, second) -> list[str]:
    """One line per cell whose printed text differs between two executed copies of a notebook."""
    problems = []
    cells = list(zip(first.cells, second.cells))
    for index, (a, b) in enumerate(cells):
        if a.cell_type != "code" or IGNORE_TAG in a.get("metadata", {}).get("tags", []):
            continue
        text_a, text_b = printed_text(a).splitlines(), printed_text(b).splitlines()
        if text_a == text_b:
            continue
        line = next((i for i, (x, y) in enumerate(zip(text_a, text_b)) if x != y), min(len(text_a), len(text_b)))
        run_1 = text_a[line] if line < len(text_a) else "<nothing>"
        run_2 = text_b[line] if line < len(text_b) else "<nothing>"
        first_line = next((s for s in a.source.splitlines() if s.strip()), "")
        problems.append(f"{name}: cell {index + 1} (`{first_line[:60]}`) printed different text; "
                        f"first difference at line {line + 1}: run 1 {run_1!r}, run 2 {run_2!r}")
    if len(first.cells) != len(second.cells):
        problems.append(f"{name}: the two runs have {len(first.cells)} and {len(second.cells)} cells")
    return problems


def cached_run(root: Path, name: str):
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_path(root)))
    _, notebook = cache.merge_match_into_notebook(read_chapter(root, name))
    return notebook


def fresh_run(root: Path, name: str, timeout: int):
    notebook, _, error = execute_notebook(read_chapter(root, name), (root / "book" / f"{name}.md").parent, timeout)
    return notebook, error


def check(root: Path, names: list[str], jobs: int = 2, report=print) -> list[str]:
    listed = toc_chapters(root)
    problems = [f"{name}: not a chapter listed in _toc.yml" for name in names if name not in listed]
    names = [name for name in names if name in listed]
    first_runs = execute_chapters(root, names, jobs=jobs, report=report)  # fills the cache where needed
    problems += [f"{r.name}: the first run failed: {r.error}" for r in first_runs if r.status == "FAILED"]
    names = [r.name for r in first_runs if r.status != "FAILED"]
    timeout = int(yaml.safe_load((root / "_config.yml").read_text())["execute"]["timeout"])
    report(f"executing {len(names)} chapter(s) a second time: {' '.join(names)}")
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {name: pool.submit(fresh_run, root, name, timeout) for name in names}
        for name in names:
            second, error = futures[name].result()
            if error:
                problems.append(f"{name}: the second run failed: {error}")
                continue
            differences = compare(name, cached_run(root, name), second)
            report(f"  {name}: " + ("same printed output in every cell" if not differences
                                     else f"{len(differences)} cell(s) differ"))
            problems += differences
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help=f"chapters to check (default: {' '.join(SAMPLE)})")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    problems = check(args.root, args.chapters or SAMPLE, jobs=args.jobs)
    for problem in problems:
        print(f"FAILED {problem}")
    chapters = len(args.chapters or SAMPLE)
    print(f"{chapters - len({p.split(':')[0] for p in problems})} passed, "
          f"{len({p.split(':')[0] for p in problems})} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
