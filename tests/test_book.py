"""The book's structure: pairs in sync and output-free, _toc.yml complete, install cells current,
and the bad inputs the test command must catch, each reported with the file's name."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from bookcheck import check_install_cells, check_pairs, check_quiz_cells, check_toc, toc_chapters  # noqa: E402
from sync import install_cell_source  # noqa: E402

CHAPTER = textwrap.dedent('''\
    ---
    jupytext:
      formats: md:myst,ipynb
      text_representation:
        extension: .md
        format_name: myst
        format_version: 0.13
    kernelspec:
      display_name: Python 3
      language: python
      name: python3
    ---

    # A tiny chapter

    ```{{code-cell}} ipython3
    :tags: [remove-cell]

    {install}
    ```

    ```{{code-cell}} ipython3
    {code}
    ```
    ''')


# ---- the real book ----------------------------------------------------------------------------

def test_every_chapter_is_paired_in_sync_and_output_free():
    assert check_pairs(ROOT / "book") == []


def test_toc_lists_existing_files_and_every_chapter():
    assert check_toc(ROOT) == []


def test_toc_has_numbered_parts_with_captions():
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    assert toc["format"] == "jb-book"
    for part in toc["parts"]:
        assert part.get("caption"), f"_toc.yml: a part without a caption: {part}"
        if any(Path(c["file"]).name[:2].isdigit() for c in part["chapters"]):
            assert part.get("numbered") is True, f"_toc.yml: part {part['caption']!r} is not numbered"


def test_every_chapter_starts_with_the_install_cell_from_config():
    assert check_install_cells(ROOT) == []


def test_every_chapter_shows_its_quiz_and_flashcards_with_hidden_source():
    assert check_quiz_cells(ROOT) == []


def test_every_chapter_has_a_deck():
    from rnnlearn.quiz import available_decks

    chapters = toc_chapters(ROOT)
    missing = sorted(set(chapters) - set(available_decks()))
    assert not missing, f"chapters without a deck in rnnlearn/quiz/decks: {missing}"


def test_config_excludes_paired_notebooks_and_serves_mathjax_locally():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert "**.ipynb" in config["exclude_patterns"]
    assert config["execute"]["raise_on_error"] is True
    assert config["execute"]["execute_notebooks"] == "cache"
    assert "sphinx-mathjax-offline" in config["sphinx"]["extra_extensions"]


# ---- bad input: each defect is reported with the file's name ---------------------------------

def _make_book(tmp_path: Path, code: str = "x = 1", chapter: str = "01_tiny") -> Path:
    root = tmp_path / "bookroot"
    (root / "book").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    (root / "_toc.yml").write_text(
        f"format: jb-book\nroot: book/intro\nparts:\n  - caption: Part\n    numbered: true\n"
        f"    chapters:\n      - file: book/{chapter}\n")
    (root / "book" / "intro.md").write_text("# Intro\n\nHello.\n")
    (root / "book" / "references.bib").write_text((ROOT / "book" / "references.bib").read_text())
    shutil.copytree(ROOT / "book" / "_ext", root / "book" / "_ext")
    if (ROOT / "book" / "_static").is_dir():  # the theme overrides _config.yml registers
        shutil.copytree(ROOT / "book" / "_static", root / "book" / "_static")
    install = install_cell_source(root / "_config.yml")
    md = root / "book" / f"{chapter}.md"
    md.write_text(CHAPTER.format(install=install, code=code))
    subprocess.run([sys.executable, "-m", "jupytext", "--quiet", "--to", "ipynb", str(md)], check=True, cwd=root)
    return root


def test_a_healthy_tiny_book_passes_every_check(tmp_path):
    root = _make_book(tmp_path)
    assert check_pairs(root / "book") == [] and check_toc(root) == [] and check_install_cells(root) == []


def test_chapter_without_its_notebook_is_named(tmp_path):
    root = _make_book(tmp_path)
    (root / "book" / "01_tiny.ipynb").unlink()
    problems = check_pairs(root / "book")
    assert len(problems) == 1 and "01_tiny.md" in problems[0] and "no paired notebook" in problems[0]


def test_notebook_without_its_chapter_is_named(tmp_path):
    root = _make_book(tmp_path)
    shutil.copy(root / "book" / "01_tiny.ipynb", root / "book" / "02_orphan.ipynb")
    problems = check_pairs(root / "book")
    assert len(problems) == 1 and "02_orphan.ipynb" in problems[0]


def test_out_of_sync_pair_is_named(tmp_path):
    root = _make_book(tmp_path)
    md = root / "book" / "01_tiny.md"
    md.write_text(md.read_text().replace("x = 1", "x = 2"))
    problems = check_pairs(root / "book")
    assert len(problems) == 1 and "01_tiny.md" in problems[0] and "out of sync" in problems[0]


def test_notebook_with_outputs_is_named(tmp_path):
    root = _make_book(tmp_path)
    ipynb = root / "book" / "01_tiny.ipynb"
    nb = nbformat.read(ipynb, as_version=4)
    nb.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nbformat.write(nb, ipynb)
    problems = check_pairs(root / "book")
    assert len(problems) == 1 and "01_tiny.ipynb" in problems[0] and "outputs" in problems[0]


def test_toc_entry_without_file_is_named(tmp_path):
    root = _make_book(tmp_path)
    toc = root / "_toc.yml"
    toc.write_text(toc.read_text() + "      - file: book/02_missing\n")
    problems = check_toc(root)
    assert len(problems) == 1 and "book/02_missing" in problems[0]


def test_chapter_missing_from_toc_is_named(tmp_path):
    root = _make_book(tmp_path)
    shutil.copy(root / "book" / "01_tiny.md", root / "book" / "02_unlisted.md")
    problems = check_toc(root)
    assert len(problems) == 1 and "02_unlisted.md" in problems[0]


def test_stale_install_cell_is_named(tmp_path):
    root = _make_book(tmp_path)
    config = root / "_config.yml"
    config.write_text(config.read_text().replace("rnnlearn-book/rnn-book", "someone-else/fork"))
    problems = check_install_cells(root)
    assert len(problems) == 1 and "01_tiny.md" in problems[0] and "make sync" in problems[0]


def test_chapter_whose_cell_raises_fails_nbval_naming_the_file(tmp_path):
    root = _make_book(tmp_path, code='raise RuntimeError("this chapter is broken")')
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
         "-o", "testpaths=", "book/01_tiny.ipynb"], cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "01_tiny.ipynb" in result.stdout and "this chapter is broken" in result.stdout


def test_chapter_whose_cell_raises_fails_the_build_naming_the_file(tmp_path):
    root = _make_book(tmp_path, code='raise RuntimeError("this chapter is broken")')
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run([str(jupyter_book), "build", str(root), "-W", "-n", "--keep-going"],
                            cwd=root, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert "01_tiny.md: WARNING: Executing notebook failed" in output, output[-2000:]
    assert "this chapter is broken" in output


def test_quiz_cell_with_visible_source_is_named(tmp_path):
    root = _make_book(tmp_path, code='from rnnlearn.quiz import show_quiz\nshow_quiz("01_tiny")')
    problems = check_quiz_cells(root)
    assert any("01_tiny.md" in p and "show_quiz cell must be tagged remove-input" in p for p in problems), problems
    assert any("show_flashcards" in p for p in problems), problems
