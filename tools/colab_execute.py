"""Execute the notebooks of one folder, one at a time, and print a table: the last step of the
Colab-like run (tools/colab_run.py), run by the Python of the Colab-like environment.

    python colab_execute.py FOLDER NAME.ipynb [NAME.ipynb ...] [--timeout 180]

It needs only what Colab has (nbclient, nbformat), runs each notebook with FOLDER as its working
folder, and names the cell and the error of a notebook that fails. Exit status 1 if any fails.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def run(path: Path, timeout: int) -> tuple[float, str]:
    """Execute one notebook in its folder; return (seconds, error), error "" on success."""
    notebook = nbformat.read(path, as_version=4)
    current: dict[str, int] = {}
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            on_cell_start=lambda cell, cell_index: current.update(index=cell_index))
    start = time.perf_counter()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
        index = current.get("index")
        if index is None:
            return time.perf_counter() - start, f"{type(err).__name__}: {err}"
        cell = notebook.cells[index]
        first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        what = f"{errors[0]['ename']}: {errors[0]['evalue']}" if errors else str(err).strip().splitlines()[0]
        return time.perf_counter() - start, f"cell {index + 1} (`{first_line[:70]}`): {what}"
    finally:
        nbformat.write(notebook, path)  # keep the executed copy beside the others, for a look after a failure
    return time.perf_counter() - start, ""


def probe(folder: Path, timeout: int) -> str:
    """Where the kernel's Python and its rnnlearn come from, asked of a kernel started like the chapters'."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import sys, rnnlearn\nprint(sys.prefix)\nprint(rnnlearn.__file__)")])
    NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return notebook.cells[0].outputs[0]["text"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--timeout", type=int, default=180, help="seconds per cell (default 180)")
    parser.add_argument("--expect-prefix", type=Path,
                        help="fail unless the kernel runs in this environment and imports rnnlearn from it")
    args = parser.parse_args(argv)
    if args.expect_prefix:
        prefix, module = probe(args.folder, args.timeout).split()
        print(f"the kernel runs {prefix} and imports {module}")
        expected = args.expect_prefix.resolve()
        if Path(prefix).resolve() != expected or not Path(module).resolve().is_relative_to(expected):
            print(f"FAILED: the kernel should run in {expected} and import rnnlearn from there")
            return 1
    failures = []
    width = max(len(name) for name in args.notebooks)
    print(f"{'notebook'.ljust(width)}  seconds  result", flush=True)
    for name in args.notebooks:
        seconds, error = run(args.folder / name, args.timeout)
        print(f"{name.ljust(width)}  {seconds:7.1f}  {'FAILED' if error else 'passed'}", flush=True)
        if error:
            failures.append(f"FAILED {name}: {error}")
    for line in failures:
        print(line)
    print(f"{len(args.notebooks) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
