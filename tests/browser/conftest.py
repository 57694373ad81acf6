"""Fixtures for the browser tests: the built book served on 127.0.0.1, and headless Chromium.

The tests need `_build/html` (built by `make book` or by the build stage of `make test`) and
Debian's chromium at /usr/bin/chromium (or $CHROMIUM). Without a browser they skip, except in CI
(CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> str | None:
    candidates = [os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]
    return next((c for c in candidates if c and Path(c).exists()), None)


def _missing(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (in CI a missing browser or book is a failure, not a skip)")
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site():
    """The base URL of the built book, served from 127.0.0.1 on a free port."""
    if not (HTML / "index.html").exists():
        _missing(f"{HTML / 'index.html'} does not exist: build the book first (make book)")
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    if executable is None:
        _missing("no chromium found (apt-get install chromium, or set $CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageVisit:
    """A page opened in a fresh context that records console errors and blocks any request
    leaving 127.0.0.1 (the book must work with no network)."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.external_requests: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(f"uncaught: {e} at {(e.stack or '')[:300]}"))
        self.context.route("**/*", self._route)
        # Generous limits: on a loaded 2-core machine a page with several figures can take a while.
        self.context.set_default_timeout(60_000)
        self.page.goto(url, wait_until="load", timeout=90_000)
        # Everything is served locally, so once MathJax has started the page is complete.
        self.page.wait_for_function("typeof MathJax === 'undefined' || typeof MathJax.typeset === 'function'")

    def _route(self, route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.external_requests.append(url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, site):
    opened: list[PageVisit] = []

    def open_page(path: str) -> PageVisit:
        opened.append(PageVisit(browser, f"{site}/{path}"))
        return opened[-1]

    yield open_page
    for page_visit in opened:
        page_visit.close()


QUESTIONS_EXERCISED: dict[str, int] = {}
REPORT_LINES: list[str] = []  # lines for the end of the test run (e.g. the external links found)


def pytest_terminal_summary(terminalreporter):
    if QUESTIONS_EXERCISED:
        total = sum(QUESTIONS_EXERCISED.values())
        per_page = ", ".join(f"{page} {n}" for page, n in sorted(QUESTIONS_EXERCISED.items()))
        terminalreporter.write_line(f"quiz questions answered right and wrong in the browser: {total} ({per_page})")
    for line in REPORT_LINES:
        terminalreporter.write_line(line)
