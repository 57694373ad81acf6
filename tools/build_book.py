"""Build the HTML book: `make book` runs this, and so does the build stage of `make test`.

    python tools/build_book.py [--all]

Chapters are executed through Jupyter Book's cache, which re-runs a chapter only when its code
cells change. The chapters' outputs also depend on `rnnlearn` (models, data, quiz decks), so when
the package changes the cache is emptied first and every page is read and executed again.
A warning fails the build (-W), and so does a failing cell (execute.raise_on_error in _config.yml).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"
STAMP = BUILD / ".rnnlearn-fingerprint"


def package_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "rnnlearn").rglob("*")):
        if path.is_file() and path.suffix in {".py", ".yaml", ".txt", ".json", ".md"}:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def main(argv: list[str]) -> int:
    fingerprint = package_fingerprint()
    if BUILD.exists() and (not STAMP.exists() or STAMP.read_text() != fingerprint):
        print("rnnlearn changed since the last build: every chapter will be executed again")
        shutil.rmtree(CACHE, ignore_errors=True)
        if "--all" not in argv:
            argv = argv + ["--all"]  # make Sphinx read every page again, not only the edited ones
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going"] + argv
    code = subprocess.call(command, cwd=ROOT)
    if code == 0:
        BUILD.mkdir(exist_ok=True)
        STAMP.write_text(fingerprint)
        print(f"\nThe book: {BUILD / 'html' / 'index.html'}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
