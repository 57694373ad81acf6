"""Execute the chapters once, two at a time, network blocked, into the book's execution cache.

    python tools/execute_chapters.py                  # every notebook page listed in _toc.yml
    python tools/execute_chapters.py 06_lstm 07_gru   # some chapters
    python tools/execute_chapters.py --jobs 1 --no-cache 06_lstm   # time a chapter: run it, cache or not

The notebooks stage of `make test` runs this, and so does `make book` (tools/build_book.py) before
Jupyter Book renders the pages. It executes the chapters and the other pages with code cells (such as
the appendix of flashcards). For each:

1. Read book/NN_slug.md the way the build reads it (myst-nb's reader) and check that its code cells
   are those of the paired book/NN_slug.ipynb, the notebook Colab opens: the notebook tested is the
   one readers run (pages other than chapters have no pair).
2. Look it up in the execution cache, _build/.jupyter_cache, which is keyed by the code cells. A
   chapter whose code did not change since it last ran (and rnnlearn did not change either, see
   `ensure_cache_is_current`) is not executed again.
3. Otherwise execute it with nbclient exactly as Jupyter Book's cache mode does (same function, working
   folder, timeout and kernel), with tools/offline on the kernel's PYTHONPATH so that any network
   connection raises, and store the executed notebook in the cache.

The strict build then finds every chapter in the cache and renders those outputs instead of executing
each chapter a second time. A failing chapter is reported with its cell, the cell's first line and the
error; it is not cached.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
OFFLINE = ROOT / "tools" / "offline"
sys.path.insert(0, str(ROOT / "tools"))
from bookcheck import CHAPTER_GLOB, toc_files  # noqa: E402

BUDGET_S = 60.0  # what one chapter may take on the 2-core CPU (../shared/CHAPTER.md, item 6)


# ---- where things are ---------------------------------------------------------------------------

def cache_path(root: Path) -> Path:
    config = yaml.safe_load((root / "_config.yml").read_text())
    return root / config["execute"]["cache"]


def cache_stamp(root: Path) -> Path:
    """The fingerprint of the rnnlearn the cached notebooks were executed with."""
    return root / "_build" / ".cache-rnnlearn-fingerprint"


def package_fingerprint(root: Path) -> str:
    """A hash of the package's sources and data: the chapters' outputs depend on them too."""
    digest = hashlib.sha256()
    for path in sorted((root / "rnnlearn").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_cache_is_current(root: Path) -> bool:
    """Empty the execution cache when rnnlearn changed since its notebooks ran; True if emptied.

    The cache is keyed by the chapters' code cells only, so a change to a model or a data generator
    would otherwise leave outputs computed by the old package in the book."""
    fingerprint, stamp, cache = package_fingerprint(root), cache_stamp(root), cache_path(root)
    stale = stamp.exists() and stamp.read_text() != fingerprint or not stamp.exists() and cache.exists()
    if stale:
        shutil.rmtree(cache, ignore_errors=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint)
    return stale


# ---- reading a chapter as the build reads it ----------------------------------------------------

def read_chapter(root: Path, name: str) -> nbformat.NotebookNode:
    """book/<name>.md read by myst-nb's reader with the book's MyST settings (what the build executes)."""
    from myst_nb.core.read import read_myst_markdown_notebook
    from myst_parser.config.main import MdParserConfig

    config = yaml.safe_load((root / "_config.yml").read_text())
    extensions = config.get("parse", {}).get("myst_enable_extensions", [])
    md = root / "book" / f"{name}.md"
    return read_myst_markdown_notebook(md.read_text(), config=MdParserConfig(enable_extensions=set(extensions)),
                                       add_source_map=True, path=str(md))


def notebook_pages(root: Path) -> list[str]:
    """The pages of _toc.yml that are notebooks (MyST Markdown with code cells), named by their path
    under book/ without the suffix: ['01_sequences_and_memory', ..., 'appendix/flashcards']."""
    from myst_nb.core.read import is_myst_markdown_notebook

    pages = []
    for entry in toc_files(root):
        md = root / f"{entry}.md"
        if md.exists() and md.parent.is_relative_to(root / "book") and is_myst_markdown_notebook(md.read_text()):
            pages.append(str(md.relative_to(root / "book").with_suffix("")))
    return pages


def code_cells(notebook) -> list[str]:
    return [cell.source.strip() for cell in notebook.cells if cell.cell_type == "code"]


def pair_problem(root: Path, name: str, notebook) -> str | None:
    if not Path(name).match(CHAPTER_GLOB):
        return None  # only chapters are paired with a notebook for Colab
    ipynb = root / "book" / f"{name}.ipynb"
    if not ipynb.exists():
        return f"book/{name}.md has no paired notebook {ipynb.name} (run `make sync`)"
    if code_cells(nbformat.read(ipynb, as_version=4)) != code_cells(notebook):
        return f"book/{name}.md and {ipynb.name} have different code cells (run `make sync`)"
    return None


# ---- executing ----------------------------------------------------------------------------------

@dataclass
class Result:
    name: str
    status: str                  # "executed", "cached", "FAILED"
    seconds: float = 0.0
    error: str = ""              # for a failure: where and what, one paragraph
    notebook: nbformat.NotebookNode | None = field(default=None, repr=False)


def offline_env(env: dict | None = None) -> dict:
    """A copy of the environment whose Python processes have the network blocked (tools/offline)."""
    env = dict(os.environ if env is None else env)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(OFFLINE)]
    env["PYTHONPATH"] = os.pathsep.join([str(OFFLINE)] + paths)
    return env


def describe_failure(notebook, cell_index: int | None, err: BaseException) -> str:
    """'cell 12 (`model.fit(...`): ValueError: ...' from an nbclient failure."""
    if cell_index is None:
        return f"{type(err).__name__}: {err}"
    cell = notebook.cells[cell_index]
    first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        what = f"{errors[0]['ename']}: {errors[0]['evalue']}"
    else:  # a timeout leaves no error output
        what = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return f"cell {cell_index + 1} (`{first_line[:70]}`): {what}"


def execute_notebook(notebook, cwd: Path, timeout: int, allow_errors: bool = False,
                     offline: bool = True) -> tuple[nbformat.NotebookNode, float, str]:
    """Execute a notebook in place with the function Jupyter Book's cache mode uses.

    Returns (notebook, seconds, error); error is "" on success. Meant to run in a worker process:
    it sets that process's PYTHONPATH, which the kernel inherits."""
    from jupyter_cache.executors.utils import single_nb_execution

    if offline:
        os.environ.update(offline_env())
    current: dict[str, int] = {}
    result = single_nb_execution(notebook, cwd=str(cwd), timeout=timeout, allow_errors=allow_errors,
                                 meta_override=True,
                                 on_cell_start=lambda cell, cell_index: current.update(index=cell_index))
    error = describe_failure(result.nb, current.get("index"), result.err) if result.err is not None else ""
    return result.nb, result.time, error


def _execute_chapter(root: Path, name: str, timeout: int) -> Result:
    notebook = read_chapter(root, name)
    # the page's own folder, as Jupyter Book runs it (execute.run_in_temp: false)
    notebook, seconds, error = execute_notebook(notebook, (root / "book" / f"{name}.md").parent, timeout)
    return Result(name, "FAILED" if error else "executed", seconds, error, notebook)


def execute_chapters(root: Path, names: list[str], jobs: int = 2, use_cache: bool = True,
                     check_pairs: bool = True, report=print) -> list[Result]:
    """Execute the chapters not in the cache, `jobs` at a time, and cache the successful ones.

    With check_pairs, a chapter whose code cells differ from its paired notebook's fails unexecuted."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    if use_cache and ensure_cache_is_current(root):
        report("rnnlearn changed since the cached chapters ran: the execution cache was emptied")
    cache = get_cache(str(cache_path(root))) if use_cache else None
    timeout = int(yaml.safe_load((root / "_config.yml").read_text())["execute"]["timeout"])
    results: dict[str, Result] = {}
    to_run = []
    for name in names:
        if not (root / "book" / f"{name}.md").exists():
            results[name] = Result(name, "FAILED", error=f"book/{name}.md does not exist")
            continue
        notebook = read_chapter(root, name)
        problem = pair_problem(root, name, notebook) if check_pairs else None
        if problem:
            results[name] = Result(name, "FAILED", error=problem)
            continue
        if cache is not None:
            try:
                record = cache.match_cache_notebook(notebook)
            except KeyError:
                pass
            else:
                seconds = record.data.get("execution_seconds", 0.0) or 0.0
                results[name] = Result(name, "cached", seconds)
                continue
        to_run.append(name)
    if to_run:
        report(f"executing {len(to_run)} chapter(s), {jobs} at a time, network blocked: {' '.join(to_run)}")
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(_execute_chapter, root, name, timeout): name for name in to_run}
        for future in concurrent.futures.as_completed(futures):
            name = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker itself broke (not a cell): report it, keep going
                result = Result(name, "FAILED", error=f"{type(exc).__name__}: {exc}")
            if result.status == "executed" and cache is not None:
                # the same bundle myst-nb stores after executing a page itself
                uri = str(root / "book" / f"{name}.md")
                cache.cache_notebook_bundle(CacheBundleIn(result.notebook, uri,
                                                          data={"execution_seconds": result.seconds}),
                                            check_validity=False, overwrite=True)
            detail = f"\n    {result.error}" if result.error else ""
            report(f"  {name}: {result.status} in {result.seconds:.1f}s{detail}")
            results[name] = result
    return [results[name] for name in names]


def print_table(results: list[Result], jobs: int = 1, budget: float = BUDGET_S, report=print) -> None:
    width = max([len(r.name) for r in results] + [7])
    if jobs > 1:
        report(f"\n(seconds with {jobs} chapters sharing the machine; `make bench` times each alone "
               f"against the {budget:.0f} s budget)")
    report(f"\n{'chapter'.ljust(width)}  seconds  status")
    for r in results:
        note = "  OVER BUDGET" if r.seconds > budget else ""
        when = "" if r.status != "cached" else " (when it last ran)"
        report(f"{r.name.ljust(width)}  {r.seconds:7.1f}  {r.status}{when}{note}")
    failed = [r for r in results if r.status == "FAILED"]
    for r in failed:
        report(f"\nFAILED {r.name}: {r.error}")
    report(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="chapter names (default: every notebook page in _toc.yml)")
    parser.add_argument("--jobs", type=int, default=2, help="chapters executed at the same time (default 2)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--no-cache", action="store_true", help="execute even cached chapters; store nothing")
    parser.add_argument("--json", type=Path, help="also write {chapter: [status, seconds]} to this file")
    args = parser.parse_args(argv)
    names = args.chapters or notebook_pages(args.root)
    results = execute_chapters(args.root, names, jobs=args.jobs, use_cache=not args.no_cache)
    print_table(results, jobs=args.jobs)
    if args.json:
        args.json.write_text(json.dumps({r.name: [r.status, round(r.seconds, 2)] for r in results}, indent=1))
    return 1 if any(r.status == "FAILED" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
