"""Checks of the built HTML that need no browser: internal links and anchors, and images' alt text.

    problems, external = check_links(html_root)   # broken internal links, and every external URL
    problems = check_alt_text(html_root, pages)   # <img> without a text alternative

Plain parsing with the standard library's HTMLParser, so the whole book is read in about a second.
External links (http, https, mailto, ...) are collected, never fetched: the checks run offline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that point at another file. `srcset` and `data` are rare in a Sphinx build; add them
# here if a page ever uses them.
LINK_ATTRIBUTES = {"href", "src"}
# Folders of the build that hold assets, not pages: their own HTML files (if any) are not reader pages.
ASSET_DIRS = {"_static", "_sources", "_images", "_downloads", "_sphinx_design_static"}


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, tag, attribute, url)
    images: list[tuple[int, dict[str, str | None]]] = field(default_factory=list)  # (line, attributes)


class _Collector(HTMLParser):
    def __init__(self, page: ParsedPage):
        super().__init__(convert_charrefs=True)
        self.page = page

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        attributes = dict(attrs)
        for name in ("id", "name"):
            if attributes.get(name):
                self.page.ids.add(attributes[name])
        for name in LINK_ATTRIBUTES:
            value = attributes.get(name)
            if value is not None:
                self.page.links.append((line, tag, name, value.strip()))
        if tag == "img":
            self.page.images.append((line, attributes))

    handle_startendtag = handle_starttag


def parse_page(path: Path) -> ParsedPage:
    page = ParsedPage()
    collector = _Collector(page)
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    collector.close()
    return page


def book_pages(html_root: Path) -> list[Path]:
    """Every HTML page of the build a reader can open (asset folders left out), sorted."""
    return sorted(p for p in html_root.rglob("*.html")
                  if not ASSET_DIRS & set(p.relative_to(html_root).parts[:-1]))


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme) or url.startswith("//")


def check_links(html_root: Path, pages: list[Path] | None = None) -> tuple[list[str], dict[str, list[str]]]:
    """Check every internal link of `pages` (default: every page of the build).

    An internal link (relative, or absolute from the site root) must name a file that exists inside
    `html_root`; its `#fragment`, if any, must be an `id` or `name` in the target page. Returns the
    problems (one line each: page, line, what is wrong) and the external URLs, each with the pages
    linking to it.
    """
    html_root = html_root.resolve()
    pages = book_pages(html_root) if pages is None else pages
    parsed: dict[Path, ParsedPage] = {}

    def load(path: Path) -> ParsedPage:
        if path not in parsed:
            parsed[path] = parse_page(path)
        return parsed[path]

    problems: list[str] = []
    external: dict[str, list[str]] = {}
    for page_path in pages:
        page_path = page_path.resolve()
        name = page_path.relative_to(html_root).as_posix()
        for line, tag, attribute, url in load(page_path).links:
            where = f"{name}:{line} <{tag} {attribute}={url!r}>"
            if not url or url == "#":
                continue  # a link to the top of the page itself (theme buttons use href="#")
            if _is_external(url):
                if urlsplit(url).scheme in {"javascript"}:
                    continue
                external.setdefault(url, [])
                if name not in external[url]:
                    external[url].append(name)
                continue
            parts = urlsplit(url)
            if parts.path:
                base = html_root if parts.path.startswith("/") else page_path.parent
                target = (base / unquote(parts.path).lstrip("/")).resolve()
                if parts.path.endswith("/") or target.is_dir():
                    target = target / "index.html"
            else:
                target = page_path
            if not target.is_relative_to(html_root):
                problems.append(f"{where}: points outside the built book ({target})")
                continue
            if not target.is_file():
                problems.append(f"{where}: no such file {target.relative_to(html_root).as_posix()}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in load(target).ids:
                problems.append(f"{where}: no element with id or name {fragment!r} in "
                                f"{target.relative_to(html_root).as_posix()}")
    return problems, external


def check_alt_text(html_root: Path, pages: list[Path], decorative: dict[str, str] | None = None) -> list[str]:
    """Every <img> in `pages` must have a non-empty alt text that is not just its file name.

    `decorative` maps a substring of an image's `src` to the reason it may go without one (a theme's
    decorative image); keep it narrow.
    """
    decorative = decorative or {}
    problems = []
    for page_path in pages:
        name = page_path.resolve().relative_to(html_root.resolve()).as_posix()
        for line, attributes in parse_page(page_path).images:
            src = attributes.get("src") or ""
            if any(pattern in src for pattern in decorative):
                continue
            alt = (attributes.get("alt") or "").strip()
            if not alt:
                problems.append(f"{name}:{line} <img src={src!r}> has no alt text")
            elif alt == src or alt.endswith(src.rsplit("/", 1)[-1]):
                # docutils writes the image's address as its alt text when the source gives none
                problems.append(f"{name}:{line} <img src={src!r}> has its file name as alt text ({alt!r})")
    return problems
