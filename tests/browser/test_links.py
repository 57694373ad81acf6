"""Links and images in the built HTML, read as files (no browser, no network).

Every internal link (relative, or from the site root) must reach a file of the build, and its
#fragment an element of the target page. External links are listed in _build/external-links.txt
(with the pages that use them) and summarised at the end of the test run, never fetched. Every
image has a text alternative that says more than its file name.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from conftest import HTML, REPORT_LINES, _missing  # noqa: E402
from htmlcheck import book_pages, check_alt_text, check_links  # noqa: E402

EXTERNAL_LIST = HTML.parent / "external-links.txt"

# Images that may go without alt text, each with the reason. Theme images all carry one today.
DECORATIVE_IMAGES: dict[str, str] = {}


@pytest.fixture(scope="module")
def built_pages() -> list[Path]:
    if not (HTML / "index.html").exists():
        _missing(f"{HTML / 'index.html'} does not exist: build the book first (make book)")
    return book_pages(HTML)


def test_every_internal_link_and_anchor_resolves(built_pages):
    problems, external = check_links(HTML, built_pages)
    EXTERNAL_LIST.write_text("".join(f"{url}\t{', '.join(pages)}\n" for url, pages in sorted(external.items())),
                             encoding="utf-8")
    hosts = Counter(urlsplit(url).netloc or urlsplit(url).scheme for url in external)
    REPORT_LINES.append(f"external links (listed, not fetched): {len(external)} in {EXTERNAL_LIST}; "
                        + ", ".join(f"{host} {n}" for host, n in hosts.most_common()))
    assert len(built_pages) >= 3, f"only {len(built_pages)} pages found in {HTML}"
    assert not problems, f"{len(problems)} broken internal links:\n" + "\n".join(problems[:50])


def test_every_image_has_alt_text(built_pages):
    problems = check_alt_text(HTML, built_pages, DECORATIVE_IMAGES)
    assert not problems, "images without a text alternative (set mystnb.image.alt on the cell):\n" + \
        "\n".join(problems)


def test_every_colab_link_opens_a_committed_notebook(built_pages):
    """Colab opens .ipynb files only: a launch link must name one that the repository holds."""
    repo = HTML.parent.parent
    links = {}
    for page in built_pages:
        for url in re.findall(r'href="(https://colab\.research\.google\.com/github/[^"]+)"', page.read_text("utf-8")):
            links.setdefault(url, page.relative_to(HTML).as_posix())
    assert links, "no Colab launch link found in the built book"
    wrong = [f"{page}: {url}" for url, page in links.items()
             if not url.endswith(".ipynb") or not (repo / url.split("/blob/main/", 1)[-1]).exists()]
    assert not wrong, "Colab links that do not open a committed notebook:\n" + "\n".join(wrong)


# ---- the checkers on a tiny synthetic site ------------------------------------------------------

def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")
    return tmp_path


def test_link_checker_passes_a_sound_site(tmp_path):
    root = _site(tmp_path, {
        "index.html": '<a href="book/a.html#intro">A</a> <a href="#top">top</a> <a id="top"></a>'
                      '<a href="https://example.org/x">out</a> <a href="mailto:someone@example.org">mail</a>',
        "book/a.html": '<h1 id="intro">A</h1><a href="../index.html">home</a><a href="b%20c.html#x">B</a>'
                       '<img src="../_images/f.png" alt="A plot of the loss falling">',
        "book/b c.html": '<p name="x">B</p><a href="/book/a.html">absolute from the root</a>',
        "_images/f.png": "not really a png",
    })
    problems, external = check_links(root)
    assert problems == []
    assert external == {"https://example.org/x": ["index.html"], "mailto:someone@example.org": ["index.html"]}
    assert check_alt_text(root, book_pages(root)) == []


def test_link_checker_reports_a_missing_file_and_a_missing_anchor(tmp_path):
    root = _site(tmp_path, {
        "index.html": '<a href="book/missing.html">gone</a>\n<a href="book/a.html#nowhere">bad anchor</a>'
                      '\n<a href="#also-nowhere">bad local anchor</a>\n<script src="_static/gone.js"></script>',
        "book/a.html": '<h1 id="intro">A</h1><a href="../../outside.html">escapes the site</a>',
    })
    problems, _ = check_links(root)
    expected = [("index.html:1", "no such file book/missing.html"),
                ("index.html:2", "no element with id or name 'nowhere' in book/a.html"),
                ("index.html:3", "no element with id or name 'also-nowhere' in index.html"),
                ("index.html:4", "no such file _static/gone.js"),
                ("book/a.html:1", "points outside the built book")]
    assert len(problems) == len(expected), problems
    for where, what in expected:
        assert any(p.startswith(where) and what in p for p in problems), f"{where}: {what!r} not in {problems}"


def test_alt_text_checker_reports_missing_and_file_name_alts(tmp_path):
    root = _site(tmp_path, {
        "page.html": '<img src="a.png">\n<img src="b.png" alt="  ">\n<img src="../_images/c.png" alt="../_images/c.png">'
                     '\n<img src="logo.svg" alt="">\n<img src="d.png" alt="A bar chart of gradient norms">',
    })
    problems = check_alt_text(root, book_pages(root), decorative={"logo.svg": "the theme's logo, next to the title"})
    assert [p.split(" ", 1)[0] for p in problems] == ["page.html:1", "page.html:2", "page.html:3"], problems
    assert "file name as alt text" in problems[2]
