"""Re-sync every chapter pair: book/NN_slug.md (the source) and book/NN_slug.ipynb (for Colab and nbval).

    python tools/sync.py          # or: make sync

1. Rewrites each chapter's install cell from `_config.yml` (repository.url and branch), so the
   repository is named in one place only.
2. Runs `jupytext --sync` on each chapter (the newer file of a pair wins, as in Jupyter).
3. Strips outputs and execution counts from the notebooks: only output-free notebooks are committed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
INSTALL_MARKER = "# Colab: install rnnlearn when it is missing"


def chapters(book: Path = BOOK) -> list[Path]:
    """Chapter sources: book/NN_slug.md."""
    return sorted(p for p in book.glob("[0-9][0-9]_*.md"))


def install_cell_source(config_path: Path = ROOT / "_config.yml") -> str:
    """The text of the install cell every chapter starts with, built from _config.yml."""
    repo = yaml.safe_load(config_path.read_text())["repository"]
    url, branch = repo["url"].rstrip("/"), repo.get("branch", "main")
    return (
        f"{INSTALL_MARKER} (does nothing where it is installed).\n"
        "try:\n"
        "    import rnnlearn\n"
        "except ImportError:\n"
        "    import subprocess, sys\n"
        f'    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "rnnlearn @ git+{url}@{branch}"], check=True)'
    )


def rewrite_install_cell(md_path: Path, source: str) -> bool:
    """Replace the body of the install cell in a chapter's Markdown; return whether it changed."""
    text = md_path.read_text()
    start = text.find(INSTALL_MARKER)
    if start < 0:
        raise SystemExit(f"{md_path.relative_to(ROOT)}: no install cell (a code cell starting with {INSTALL_MARKER!r})")
    end = text.find("\n```", start)
    new = text[:start] + source + text[end:]
    if new != text:
        md_path.write_text(new)
        return True
    return False


def strip_outputs(ipynb_path: Path) -> None:
    nb = nbformat.read(ipynb_path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            cell.outputs, cell.execution_count = [], None
            changed = True
    if changed:
        nbformat.write(nb, ipynb_path)


def main() -> int:
    source = install_cell_source()
    for md in chapters():
        if rewrite_install_cell(md, source):
            print(f"updated the install cell of {md.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "jupytext", "--sync", "--quiet", str(md)], check=True, cwd=ROOT)
        strip_outputs(md.with_suffix(".ipynb"))
        print(f"synced {md.relative_to(ROOT)} <-> {md.with_suffix('.ipynb').name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
