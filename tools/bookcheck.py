"""Structural checks of the book, used by the tests and by `make test`.

Each check returns a list of problems, one line each, naming the file to fix:
- pairs: every chapter book/NN_slug.md has a notebook book/NN_slug.ipynb with the same cells and no outputs;
- toc: every `file:` in _toc.yml exists, and every chapter is listed;
- install cells: every chapter starts with the Colab install cell built from _config.yml;
- quiz cells: every chapter shows its own quiz and flashcards from cells whose source is hidden.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from sync import INSTALL_MARKER, install_cell_source  # noqa: E402

CHAPTER_GLOB = "[0-9][0-9]_*"


def _cells(notebook) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def check_pairs(book: Path) -> list[str]:
    problems = []
    for md in sorted(book.glob(CHAPTER_GLOB + ".md")):
        ipynb = md.with_suffix(".ipynb")
        if not ipynb.exists():
            problems.append(f"{md}: no paired notebook {ipynb.name} (run `make sync`)")
            continue
        from_md = _cells(jupytext.read(md))
        notebook = nbformat.read(ipynb, as_version=4)
        from_ipynb = _cells(notebook)
        if from_md != from_ipynb:
            where = next((i for i, (a, b) in enumerate(zip(from_md, from_ipynb)) if a != b),
                         min(len(from_md), len(from_ipynb)))
            problems.append(f"{md} and {ipynb.name} are out of sync: they differ from cell {where + 1} on "
                            f"({len(from_md)} cells in the .md, {len(from_ipynb)} in the .ipynb; run `make sync`)")
        with_outputs = [i + 1 for i, cell in enumerate(notebook.cells)
                        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)]
        if with_outputs:
            problems.append(f"{ipynb}: committed with outputs in cells {with_outputs} (run `make sync` to strip them)")
    for ipynb in sorted(book.glob(CHAPTER_GLOB + ".ipynb")):
        if not ipynb.with_suffix(".md").exists():
            problems.append(f"{ipynb}: no source {ipynb.with_suffix('.md').name} (chapters are written in MyST Markdown)")
    return problems


def toc_files(root: Path) -> list[str]:
    """Every `file:` entry of _toc.yml (root included), in order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    found = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return found


def toc_chapters(root: Path) -> list[str]:
    """The chapters listed in _toc.yml, by name: ['01_sequences_and_memory', ...]."""
    return [Path(entry).name for entry in toc_files(root) if Path(entry).name[:2].isdigit()]


def check_toc(root: Path) -> list[str]:
    problems = []
    listed = toc_files(root)
    for entry in listed:
        candidates = [root / entry] + [root / f"{entry}{ext}" for ext in (".md", ".ipynb", ".rst")]
        if not any(path.is_file() for path in candidates):
            problems.append(f"_toc.yml: entry {entry!r} has no file ({entry}.md does not exist)")
    listed_set = {str(Path(e).with_suffix("")) for e in listed}
    for md in sorted((root / "book").glob(CHAPTER_GLOB + ".md")):
        name = str(md.relative_to(root).with_suffix(""))
        if name not in listed_set:
            problems.append(f"{md.relative_to(root)}: chapter is not listed in _toc.yml")
    return problems


def check_install_cells(root: Path) -> list[str]:
    expected = install_cell_source(root / "_config.yml")
    problems = []
    for md in sorted((root / "book").glob(CHAPTER_GLOB + ".md")):
        code = [cell for cell in jupytext.read(md).cells if cell.cell_type == "code"]
        if not code or not code[0].source.startswith(INSTALL_MARKER):
            problems.append(f"{md.relative_to(root)}: the first code cell must be the Colab install cell")
        elif code[0].source.strip() != expected.strip():
            problems.append(f"{md.relative_to(root)}: the install cell does not match _config.yml's repository "
                            "(run `make sync`)")
        elif "remove-cell" not in code[0].metadata.get("tags", []):
            problems.append(f"{md.relative_to(root)}: the install cell must be tagged remove-cell")
    return problems


def check_quiz_cells(root: Path) -> list[str]:
    """Every chapter ends with its own quiz and flashcards, in cells whose source the page hides
    (the quiz cell's source would show the answers)."""
    problems = []
    for md in sorted((root / "book").glob(CHAPTER_GLOB + ".md")):
        name = md.stem
        for call in ("show_quiz", "show_flashcards"):
            cells = [c for c in jupytext.read(md).cells if c.cell_type == "code" and f"{call}(" in c.source]
            if not any(f'{call}("{name}")' in c.source for c in cells):
                problems.append(f"{md.relative_to(root)}: no cell calls {call}(\"{name}\")")
            for cell in cells:
                tags = cell.metadata.get("tags", [])
                if not {"remove-input", "remove-cell"} & set(tags):
                    problems.append(f"{md.relative_to(root)}: the {call} cell must be tagged remove-input "
                                    "(its source would show the answers)")
    return problems


def main() -> int:
    problems = (check_toc(ROOT) + check_pairs(ROOT / "book") + check_install_cells(ROOT)
                + check_quiz_cells(ROOT))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
