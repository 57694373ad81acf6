"""The benchmark command (tools/bench.py): its page weights, its budget table and its edits of a chapter."""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from bench import chapter_table, edit_code, edit_prose, page_weight, pages_table  # noqa: E402
from test_book import _make_book  # noqa: E402

PAGE = """<!DOCTYPE html><html><head>
<link rel="stylesheet" href="../_static/theme.css?digest=abc">
<link rel="preload" as="font" href="../_static/fonts/a.woff2">
<link rel="next" href="02_next.html">
<link rel="stylesheet" href="https://cdn.example.org/remote.css">
<script src="../_static/app.js"></script>
<script src="../_static/app.js"></script>
<script src="../_static/gone.js"></script>
</head><body>
<img src="../_images/figure.png" alt="a figure">
<img src="data:image/png;base64,AAAA" alt="inline">
<a href="../_static/big.zip">a download, not loaded by the page</a>
</body></html>
"""


def write(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)


def test_page_weight_counts_html_and_every_local_file_it_loads_once(tmp_path):
    site = tmp_path / "html"
    page = site / "book" / "01_x.html"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE)
    write(site / "_static" / "app.js", 1000)
    write(site / "_static" / "fonts" / "a.woff2", 300)
    write(site / "_static" / "fonts" / "b.woff2", 200)  # named only by the stylesheet
    write(site / "_static" / "logo.svg", 50)            # named only by the stylesheet
    write(site / "_images" / "figure.png", 4000)
    write(site / "_static" / "big.zip", 10**6)          # linked, never loaded
    write(site / "_static" / "fonts" / "b.ttf", 900)     # a second format of the same font: not fetched
    (site / "_static" / "theme.css").write_text(
        "@font-face{font-family:B;src:url('fonts/b.woff2') format('woff2'),url(fonts/b.ttf) format('truetype')}"
        " .a{background:url(logo.svg)} .b{background:url(data:x)}")
    weight = page_weight(page, site)
    css = (site / "_static" / "theme.css").stat().st_size
    assert weight.assets == {"_static/theme.css": css, "_static/fonts/a.woff2": 300, "_static/app.js": 1000,
                             "_static/fonts/b.woff2": 200, "_static/logo.svg": 50, "_images/figure.png": 4000}
    assert weight.html_bytes == len(PAGE.encode())
    assert weight.total == weight.html_bytes + css + 5550
    assert weight.missing == ["_static/gone.js"]
    assert weight.shared_bytes == weight.asset_bytes - 4000  # all but the figure
    assert "Files referenced by a page but absent from the build: _static/gone.js" in pages_table([weight])


def test_chapter_table_flags_chapters_over_budget_and_totals():
    table = chapter_table({"01_a": 30.0, "02_b": 61.5, "03_c": 12.0}, {"03_c": "cell 4 (`x`): ValueError: no"})
    lines = table.splitlines()
    assert "| 01_a | 30.0 | 60 | within budget |" in lines
    assert "| 02_b | 61.5 | 60 | OVER BUDGET |" in lines
    assert "| 03_c | 12.0 | 60 | FAILED: cell 4 (`x`): ValueError: no |" in lines
    assert lines[-1] == "| **total** (3 chapters, 1 over budget) | **103.5** | | |"


def code_of(md: Path) -> list[str]:
    return [c.source for c in jupytext.read(md).cells if c.cell_type == "code"]


def test_prose_edit_keeps_the_code_and_code_edit_changes_only_the_last_cell(tmp_path):
    root = _make_book(tmp_path, code="x = 1")
    md = root / "book" / "01_tiny.md"
    before = code_of(md)
    edit_prose(md)
    assert "A sentence added by the benchmark." in md.read_text() and code_of(md) == before
    edit_code(md)
    after = code_of(md)
    assert after[:-1] == before[:-1] and after[-1] == before[-1] + "\n# a comment added by the benchmark"
    assert code_of(md.with_suffix(".ipynb")) == after  # re-paired, so the notebooks stage accepts it
