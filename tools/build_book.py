"""Build the HTML book: `make book` runs this, and so does the build stage of `make test`.

    python tools/build_book.py [--all] [--jobs N]

1. Chapters (and other pages with code) missing from the execution cache (_build/.jupyter_cache) are
   executed first, two at a time, by tools/execute_chapters.py. The cache is keyed by a chapter's code cells, so a chapter runs
   again only when its code changed; it is emptied when rnnlearn changes, since the outputs depend on
   the package too. In `make test` the notebooks stage has already filled it, so nothing runs here.
2. Jupyter Book then renders every page from the cache. A warning fails the build (-W), and so would a
   failing cell (execute.raise_on_error in _config.yml). When the package changed since the last
   build, every page is read again (--all), since its outputs may have changed while its source did not.

A chapter that fails in step 1 is reported with its cell and error, and the book is not built.
The build renders the .md sources, so it does not require the paired notebooks to be in sync
(`make sync`); the notebooks stage of `make test` does.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from execute_chapters import execute_chapters, notebook_pages, package_fingerprint, print_table  # noqa: E402


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Build the HTML book into _build/html.")
    parser.add_argument("--all", action="store_true", help="read every page again, changed or not")
    parser.add_argument("--jobs", type=int, default=2, help="chapters executed at the same time (default 2)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root
    stamp = root / "_build" / ".rnnlearn-fingerprint"  # the package the HTML pages were last built with

    results = execute_chapters(root, notebook_pages(root), jobs=args.jobs, check_pairs=False)
    if any(r.status != "cached" for r in results):
        print_table(results, jobs=args.jobs)
    if any(r.status == "FAILED" for r in results):
        print("\nThe book is not built while a chapter fails (see above).")
        return 1

    fingerprint = package_fingerprint(root)
    read_all = args.all or not stamp.exists() or stamp.read_text() != fingerprint
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book), "build", str(root), "-W", "-n", "--keep-going"] + (["--all"] if read_all else [])
    code = subprocess.call(command, cwd=root)
    if code == 0:
        stamp.write_text(fingerprint)
        print(f"\nThe book: {root / '_build' / 'html' / 'index.html'}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
