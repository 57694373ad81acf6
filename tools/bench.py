"""The benchmark: `make bench` runs this. It prints its tables and writes them to benchmarks/RESULTS.md.

    python tools/bench.py                          # everything (about 2 minutes per chapter, on 2 cores)
    python tools/bench.py --only pages --out -     # some sections; `--out -` writes no file

Sections:
- chapters: each chapter listed in _toc.yml executed alone, one after the other, against its 60 s budget;
- build: the cold book build (`make book` from an empty _build), then a rebuild after editing one chapter's
  prose (no chapter executes: the cache is keyed by code) and one after editing its code (only it executes);
- twins: benchmarks/bench_twins.py, PyTorch and Keras (TensorFlow backend), then Keras on the torch backend;
- scan: benchmarks/bench_scan.py, when it exists;
- pages: each built page's weight, its HTML plus the local files it loads, and the largest pages.

The chapters and the builds run in a temporary copy of the checkout (tracked files and untracked ones git
does not ignore), so the checkout and its _build are left as they are. Times depend on what else runs on
the machine: the load average is printed with each section.
"""

from __future__ import annotations

import argparse
import datetime
import html.parser
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from bookcheck import toc_chapters  # noqa: E402
from execute_chapters import BUDGET_S  # noqa: E402

SECTIONS = ("chapters", "build", "twins", "scan", "pages")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def load() -> str:
    return "load average {:.1f}, {:.1f}, {:.1f} (1, 5, 15 min)".format(*os.getloadavg())


def busy_note() -> str:
    """A warning for tables measured while other work kept the machine's cores busy."""
    one, five, _ = os.getloadavg()
    cores = os.cpu_count() or 1
    if max(one, five) <= cores:
        return ""
    return (f"**Measured on a busy machine** (load average {max(one, five):.1f} on {cores} cores, from other jobs): "
            "every time here is inflated, and a chapter flagged over budget may well be within it on a quiet "
            "machine. Re-run `make bench` on a quiet machine before acting on a flag.\n\n")


def copy_checkout(destination: Path) -> Path:
    """Copy the files git tracks, and the untracked ones it does not ignore, into destination."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def env_for(root: Path) -> dict:
    """Run the tools of `root` with its own rnnlearn on the path (not the one installed in the venv)."""
    return dict(os.environ, PYTHONPATH=str(root), TF_CPP_MIN_LOG_LEVEL="2", PYDEVD_DISABLE_FILE_VALIDATION="1")


# ---- chapters -----------------------------------------------------------------------------------

def chapter_table(times: dict[str, float], failures: dict[str, str], budget: float = BUDGET_S) -> str:
    lines = ["| chapter | seconds | budget | result |", "|---|---:|---:|---|"]
    for name, seconds in times.items():
        if name in failures:
            result = f"FAILED: {failures[name]}"
        else:
            result = "OVER BUDGET" if seconds > budget else "within budget"
        lines.append(f"| {name} | {seconds:.1f} | {budget:.0f} | {result} |")
    over = sum(1 for name, s in times.items() if s > budget)
    lines.append(f"| **total** ({len(times)} chapters, {over} over budget) | **{sum(times.values()):.1f}** | | |")
    return "\n".join(lines)


def bench_chapters(root: Path) -> str:
    code = ("import json, sys; sys.path.insert(0, 'tools'); from execute_chapters import execute_chapters;"
            "from bookcheck import toc_chapters;"
            "root = __import__('pathlib').Path('.').resolve();"
            "rs = execute_chapters(root, toc_chapters(root),"
            " jobs=1, use_cache=False);"
            "print('RESULTS', json.dumps([[r.name, r.seconds, r.error] for r in rs]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env_for(root), capture_output=True, text=True)
    line = next((l for l in out.stdout.splitlines() if l.startswith("RESULTS ")), None)
    if line is None:
        return f"the chapters could not be executed:\n\n```\n{(out.stdout + out.stderr)[-3000:]}\n```"
    import json

    rows = json.loads(line[len("RESULTS "):])
    times = {name: seconds for name, seconds, _ in rows}
    failures = {name: error for name, _, error in rows if error}
    return (busy_note() + "Each chapter executed alone (one kernel, nothing else of the book running), as the "
            "notebooks stage executes it; the time includes starting the kernel.\n\n" + chapter_table(times, failures))


# ---- builds -------------------------------------------------------------------------------------

@dataclass
class Build:
    label: str
    seconds: float
    code: int
    executed: list[str] = field(default_factory=list)
    pages_read: list[str] = field(default_factory=list)
    tail: str = ""


def run_build(root: Path, label: str) -> Build:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "tools/build_book.py"], cwd=root, env=env_for(root),
                         capture_output=True, text=True)
    seconds = time.perf_counter() - start
    text = ANSI.sub("", out.stdout + out.stderr)
    executed = re.findall(r"^  (\S+): (?:executed|FAILED) in", text, flags=re.M)
    pages = re.findall(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)", text, flags=re.M)
    return Build(label, seconds, out.returncode, executed, pages, text[-3000:])


def edit_prose(md: Path) -> None:
    """Add a sentence after the chapter's title: a Markdown cell changes, no code cell does."""
    text = md.read_text()
    front_matter_end = text.index("\n---", 3) + 4
    title = re.compile(r"^# .*$", flags=re.M).search(text, front_matter_end)
    md.write_text(text[:title.end()] + "\n\nA sentence added by the benchmark." + text[title.end():])


def edit_code(md: Path) -> None:
    """Add a comment to the chapter's last code cell (and re-pair its notebook): its code changes."""
    text = md.read_text()
    last = text.rfind("```{code-cell}")
    end = text.find("\n```", last)
    md.write_text(text[:end] + "\n# a comment added by the benchmark" + text[end:])
    subprocess.run([sys.executable, "-m", "jupytext", "--quiet", "--sync", str(md)], check=True, cwd=md.parent)


def bench_builds(root: Path, chapter: str) -> tuple[str, Path]:
    builds = [run_build(root, "cold: empty _build, every page executed (2 at a time) and read")]
    edit_prose(root / "book" / f"{chapter}.md")
    builds.append(run_build(root, f"after editing the prose of {chapter}"))
    edit_code(root / "book" / f"{chapter}.md")
    builds.append(run_build(root, f"after editing the code of {chapter}"))
    lines = ["| build | seconds | pages executed | pages read again |", "|---|---:|---|---|"]

    def names(found: list[str]) -> str:
        return ", ".join(found) if len(found) <= 3 else f"{len(found)} (all)"

    for b in builds:
        result = "" if b.code == 0 else " **FAILED**"
        lines.append(f"| {b.label}{result} | {b.seconds:.1f} | {names(b.executed) or 'none'} | "
                     f"{names(b.pages_read) or 'none'} |")
    failed = [b for b in builds if b.code != 0]
    text = ("`python tools/build_book.py` (what `make book` runs) in a copy of the checkout.\n\n" + "\n".join(lines))
    for b in failed:
        text += f"\n\n{b.label} failed:\n\n```\n{b.tail}\n```"
    return text, root / "_build" / "html"


# ---- twins and scan -----------------------------------------------------------------------------

def run_script(args: list[str], extra_env: dict | None = None) -> str:
    out = subprocess.run([sys.executable] + args, cwd=ROOT, env=dict(env_for(ROOT), **(extra_env or {})),
                         capture_output=True, text=True)
    if out.returncode != 0:
        return f"`{' '.join(args)}` failed:\n\n```\n{(out.stdout + out.stderr)[-2000:]}\n```"
    return out.stdout.strip()


def bench_twins() -> str:
    script = "benchmarks/bench_twins.py"
    return ("`python benchmarks/bench_twins.py --threads 1` (PyTorch, Keras on TensorFlow):\n\n"
            + run_script([script, "--threads", "1"])
            + "\n\n`KERAS_BACKEND=torch python benchmarks/bench_twins.py --threads 1 --only keras`:\n\n"
            + run_script([script, "--threads", "1", "--only", "keras"], {"KERAS_BACKEND": "torch"}))


def bench_scan() -> str:
    script = ROOT / "benchmarks" / "bench_scan.py"
    if not script.exists():
        return "not available (benchmarks/bench_scan.py does not exist in this checkout)"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scan.md"
        printed = run_script([str(script.relative_to(ROOT)), "--out", str(out)])
        return out.read_text().strip() if out.exists() else printed


# ---- page weight --------------------------------------------------------------------------------

class _Assets(html.parser.HTMLParser):
    """Collect the URLs a page loads: scripts, stylesheets and other <link>s, images, media."""

    ATTRIBUTES = {"script": ("src",), "link": ("href",), "img": ("src", "srcset"), "source": ("src", "srcset"),
                  "video": ("src", "poster"), "audio": ("src",), "iframe": ("src",), "embed": ("src",),
                  "object": ("data",), "input": ("src",)}
    LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "shortcut", "apple-touch-icon", "manifest"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and not self.LINK_RELS & set((attrs.get("rel") or "").lower().split()):
            return  # a link to another page, not something this page loads
        for name in self.ATTRIBUTES.get(tag, ()):
            value = attrs.get(name)
            if not value:
                continue
            if name == "srcset":
                self.urls += [part.strip().split()[0] for part in value.split(",") if part.strip()]
            else:
                self.urls.append(value)


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
FONT_SRC = re.compile(r"src\s*:([^;}]*)")


def css_urls(css: str) -> list[str]:
    """The files a stylesheet can make the browser fetch. Of each @font-face `src:` list only the first
    url() counts (a browser fetches the first format it supports, and the lists start with woff2)."""
    urls = []
    for match in FONT_SRC.finditer(css):
        found = CSS_URL.findall(match.group(1))
        if found:
            urls.append(found[0][0] or found[0][1])
    rest = FONT_SRC.sub("", css)
    return urls + [a or b for a, b in CSS_URL.findall(rest)]


def _local(url: str, base: Path, html_root: Path) -> Path | None:
    if re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", url, flags=re.I):  # http:, data:, mailto:, //host, #anchor
        return None
    path = (base / url.split("#")[0].split("?")[0]).resolve()
    return path if path.is_relative_to(html_root.resolve()) else None


@dataclass
class PageWeight:
    page: str
    html_bytes: int
    asset_bytes: int
    assets: dict[str, int]
    missing: list[str]

    @property
    def total(self) -> int:
        return self.html_bytes + self.asset_bytes

    @property
    def shared_bytes(self) -> int:
        """Theme files, scripts, fonts, the search index: all but the page's figures (in _images/)."""
        return sum(size for name, size in self.assets.items() if not name.startswith("_images/"))


def page_weight(page: Path, html_root: Path) -> PageWeight:
    """A page's HTML plus every local file it loads, each counted once (stylesheets' own url()s included)."""
    parser = _Assets()
    parser.feed(page.read_text(errors="replace"))
    todo = [(url, page.parent) for url in parser.urls]
    assets: dict[str, int] = {}
    missing: list[str] = []
    while todo:
        url, base = todo.pop()
        path = _local(url, base, html_root)
        if path is None:
            continue
        name = str(path.relative_to(html_root.resolve()))
        if name in assets or name in missing:
            continue
        if not path.is_file():
            missing.append(name)
            continue
        assets[name] = path.stat().st_size
        if path.suffix == ".css":
            todo += [(url, path.parent) for url in css_urls(path.read_text(errors="replace"))]
    return PageWeight(str(page.relative_to(html_root)), page.stat().st_size, sum(assets.values()), assets, missing)


def page_weights(html_root: Path) -> list[PageWeight]:
    pages = sorted(p for p in html_root.rglob("*.html") if "_static" not in p.relative_to(html_root).parts)
    return [page_weight(p, html_root) for p in pages]


def kb(n: int) -> str:
    return f"{n / 1024:,.0f}"


def pages_table(weights: list[PageWeight], largest: int = 5) -> str:
    lines = ["| page | HTML (KiB) | its figures (KiB) | shared: theme, scripts, fonts (KiB) | files | "
             "total (KiB) |", "|---|---:|---:|---:|---:|---:|"]
    for w in weights:
        own = w.asset_bytes - w.shared_bytes
        lines.append(f"| {w.page} | {kb(w.html_bytes)} | {kb(own)} | {kb(w.shared_bytes)} | {len(w.assets)} | "
                     f"{kb(w.total)} |")
    text = "\n".join(lines)
    text += f"\n\nThe {largest} largest pages, and their largest figures:\n"
    for w in sorted(weights, key=lambda w: w.total, reverse=True)[:largest]:
        own = sorted(((n, s) for n, s in w.assets.items() if n.startswith("_images/")),
                     key=lambda item: item[1], reverse=True)[:3]
        text += (f"\n- {w.page}: {kb(w.total)} KiB (HTML {kb(w.html_bytes)} KiB); "
                 + (", ".join(f"{name} ({kb(size)} KiB)" for name, size in own) or "no figures"))
    shared = max(weights, key=lambda w: w.shared_bytes, default=None)
    if shared is not None and shared.shared_bytes:
        top = sorted(((n, s) for n, s in shared.assets.items() if not n.startswith("_images/")),
                     key=lambda item: item[1], reverse=True)[:4]
        text += ("\n\nThe largest shared files: " + ", ".join(f"{name} ({kb(size)} KiB)" for name, size in top))
    missing = sorted({m for w in weights for m in w.missing})
    if missing:
        text += "\n\nFiles referenced by a page but absent from the build: " + ", ".join(missing)
    return text


def bench_pages(html_root: Path | None) -> str:
    if html_root is None or not (html_root / "index.html").exists():
        return "not available: no built book (run the build section, or `make book` first)"
    weights = page_weights(html_root)
    return ("Each page's HTML plus the local files it loads, each counted once: scripts, stylesheets and images "
            "named in the HTML, and what those stylesheets name (of a font's formats only the first, which a "
            "browser fetches; images in stylesheets whether a page uses them or not, so the shared column is an "
            "upper bound). Files a script fetches later (MathJax's fonts) are not counted. The shared files are "
            "the same for every page, and a browser caches them after the first.\n\n" + pages_table(weights))


# ---- the report ---------------------------------------------------------------------------------

def header() -> str:
    import torch

    return (f"# Benchmarks\n\nWritten by `make bench` (`python tools/bench.py`) on "
            f"{datetime.date.today().isoformat()}: {platform.machine()} CPU, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, torch {torch.__version__}. Do not edit by hand.\n\n"
            "Times are wall-clock seconds on a shared machine: other jobs running at the same time inflate them, "
            "so each section gives the load average when it started.")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--out", default=None,
                        help="Markdown file to write ('-': none; default benchmarks/RESULTS.md for a full run)")
    args = parser.parse_args(argv)
    wanted = args.only or list(SECTIONS)
    out = args.out or ("benchmarks/RESULTS.md" if not args.only else "-")
    parts = [header()]

    def section(title: str, body_fn):
        started = load()
        print(f"\n## {title}  [{started}]", flush=True)
        start = time.perf_counter()
        body = body_fn()
        print(body, flush=True)
        parts.append(f"## {title}\n\n_{started}; this section took {time.perf_counter() - start:.0f} s._\n\n{body}")

    html_root = ROOT / "_build" / "html"
    with tempfile.TemporaryDirectory(prefix="rnnlearn-bench-") as tmp:
        copy = copy_checkout(Path(tmp) / "book-copy") if {"chapters", "build"} & set(wanted) else None
        if "chapters" in wanted:
            section(f"Chapters: execution time against the {BUDGET_S:.0f} s budget", lambda: bench_chapters(copy))
        if "build" in wanted:
            chapter = toc_chapters(ROOT)[0]
            result = {}

            def builds():
                text, result["html"] = bench_builds(copy, chapter)
                return text

            section("Book build: cold, and after an edit", builds)
            html_root = result["html"]
        if "twins" in wanted:
            section("The twins against the built-in layers", bench_twins)
        if "scan" in wanted:
            section("Linear recurrences: the loop against the parallel scans", bench_scan)
        if "pages" in wanted:
            section("Page weight", lambda: bench_pages(html_root))
    if out != "-":
        Path(ROOT / out if not Path(out).is_absolute() else out).write_text("\n\n".join(parts) + "\n")
        print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
