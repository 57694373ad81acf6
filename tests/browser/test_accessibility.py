"""Accessibility of the built book: axe-core on every page, in the light and in the dark theme.

axe-core is the copy bundled inside the `axe-playwright-python` wheel, injected into each page from
the installed package (no CDN; the page's own requests leaving 127.0.0.1 are aborted). A violation
of impact "critical" or "serious" fails, listed with its page, theme, rule and elements.

The two themes share one DOM and differ only in colours, so the light theme runs every rule and the
dark theme runs the colour rules only. Code blocks colour each token with Pygments: thousands of
spans that share a few looks. axe checks one span per look (colour, font, background) instead of
all of them (in chapter 1, about 4,400 spans become 7); `test_axe_runner_catches...` shows that a
badly coloured token is still caught.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT  # axe.min.js, read from the installed package

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(Path(__file__).parent))
from bookcheck import toc_files  # noqa: E402
from htmlcheck import book_pages  # noqa: E402

MODES = ["light", "dark"]
FAILING_IMPACTS = {"critical", "serious"}
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

# Violations allowed on purpose, each as (rule id, CSS selector of the element, why). Keep this
# narrow: one rule on the elements of one widget that the book cannot fix. Empty: none needed.
EXCLUSIONS: list[tuple[str, str, str]] = []


def _is_redirect(path: Path) -> bool:
    head = path.read_text(encoding="utf-8", errors="replace")[:2000].lower()
    return 'http-equiv="refresh"' in head


def _pages() -> list[str]:
    """Every page of the book: the _toc.yml entries, and whatever else the build wrote (index,
    search), except pages that only redirect (their target is checked itself)."""
    pages = {f"{entry}.html" for entry in toc_files(ROOT)}
    if HTML.exists():
        pages |= {p.relative_to(HTML).as_posix() for p in book_pages(HTML) if not _is_redirect(p)}
    return sorted(pages)


PAGES = _pages()

# Wait until the page stops changing: MathJax typesets, then the quizzes and flashcards draw
# themselves, and jupyterquiz typesets its math 500 ms after drawing. Quiet for 700 ms means done.
WAIT_UNTIL_QUIET = """() => new Promise(resolve => {
  let timer = null;
  const started = Date.now();
  const done = () => { observer.disconnect(); resolve(Date.now() - started); };
  const observer = new MutationObserver(() => {
    clearTimeout(timer);
    timer = Date.now() - started > 15000 ? setTimeout(done, 0) : setTimeout(done, 700);
  });
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  timer = setTimeout(done, 700);
})"""

RUN_AXE = """async ({colourRules, colourOnly, exclusions}) => {
  // Code blocks: check one Pygments token per look (colour, font, background of the block) and
  // leave the other tokens out. A block with text outside any token (an output, a plain listing)
  // is checked whole, once per look of the block.
  const lookOf = (element, pre) => {
    const style = getComputedStyle(element);
    return [style.color, style.fontSize, style.fontWeight, style.opacity,
            getComputedStyle(pre).backgroundColor, getComputedStyle(pre.parentElement).backgroundColor].join();
  };
  const seen = new Set(), samples = [], leftOut = [];
  for (const pre of document.querySelectorAll('div.highlight pre')) {
    const ownText = [...pre.childNodes].some(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    const look = 'block ' + lookOf(pre, pre);
    if (ownText && !seen.has(look)) { seen.add(look); continue; }
    leftOut.push(pre);
    for (const span of pre.querySelectorAll('span')) {
      const key = lookOf(span, pre);
      if (!seen.has(key)) { seen.add(key); samples.push(span); }
    }
  }
  // The colour rules on the page with the tokens sampled; in the light theme, every other rule on
  // the whole page too (the dark theme has the same DOM, only other colours).
  const runs = [[{include: [['html'], ...samples], exclude: leftOut},
                 {resultTypes: ['violations'], runOnly: {type: 'rule', values: colourRules}}]];
  if (!colourOnly) {
    const others = Object.fromEntries(colourRules.map(rule => [rule, {enabled: false}]));
    runs.push([document, {resultTypes: ['violations'], rules: others}]);
  }
  const found = [];
  for (const [context, options] of runs) {
    const result = await axe.run(context, options);
    for (const violation of result.violations) {
      const nodes = violation.nodes.filter(node => {
        const element = document.querySelector(node.target[0]);
        return !exclusions.some(([rule, selector]) =>
          rule === violation.id && element && element.closest(selector));
      });
      if (nodes.length) {
        found.push({id: violation.id, impact: violation.impact, help: violation.help,
                    targets: nodes.map(node => node.target.join(' ')),
                    summary: nodes[0].failureSummary});
      }
    }
  }
  return {violations: found, samples: samples.length};
}"""


def run_axe(page, colour_only: bool = False) -> dict:
    """axe's critical and serious violations on the page as it is now, with the exclusions applied."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    result = page.evaluate(RUN_AXE, {"colourRules": COLOUR_RULES, "colourOnly": colour_only,
                                     "exclusions": [[rule, selector] for rule, selector, _ in EXCLUSIONS]})
    result["violations"] = [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]
    return result


def describe(where: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        shown = ", ".join(v["targets"][:6]) + (f" and {len(v['targets']) - 6} more" if len(v["targets"]) > 6 else "")
        lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}: {shown}\n    {v['summary'].splitlines()[-1]}")
    return "\n".join(lines)


class ThemedTab:
    """One tab per theme, reused for every page: the theme is chosen the way the theme's own button
    does it (localStorage `mode` and `theme`), before any page script runs."""

    def __init__(self, browser, mode: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=mode)
        self.context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
        self.external_requests: list[str] = []
        self.context.route("**/*", self._route)
        self.context.set_default_timeout(60_000)
        self.page = self.context.new_page()

    def _route(self, route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.external_requests.append(url)
            route.abort()


@pytest.fixture(scope="module")
def themed_tab(browser):
    tabs: dict[str, ThemedTab] = {}

    def get(mode: str) -> ThemedTab:
        if mode not in tabs:
            tabs[mode] = ThemedTab(browser, mode)
        return tabs[mode]

    yield get
    for tab in tabs.values():
        tab.context.close()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page_path", PAGES)
def test_no_critical_or_serious_accessibility_violations(themed_tab, site, page_path, mode):
    tab = themed_tab(mode)
    tab.external_requests.clear()
    page = tab.page
    page.goto(f"{site}/{page_path}", wait_until="load", timeout=90_000)
    assert page.evaluate("document.documentElement.dataset.theme") == mode, \
        f"{page_path}: the theme did not switch to {mode}"
    page.wait_for_function("typeof MathJax === 'undefined' || typeof MathJax.typeset === 'function'")
    page.evaluate(WAIT_UNTIL_QUIET)
    result = run_axe(page, colour_only=(mode != "light"))
    assert not tab.external_requests, f"{page_path}: requests left the machine: {tab.external_requests}"
    assert not result["violations"], "axe found critical or serious problems:\n" + \
        describe(f"{page_path} [{mode}]", result["violations"])


SYNTHETIC = """<!doctype html><html lang="en"><head><title>axe runner check</title>
<style>body{background:#fff;color:#222} .highlight pre{background:#f8f8f8} .k{color:#008000;font-weight:bold}
.n, .p{color:#222} .bad{color:#e6e6e6}</style></head><body><main><h1>Check</h1>
<div class="highlight"><pre><span class="k">def</span> <span class="n">f</span><span class="p">():</span>
    <span class="k">return</span> <span class="n">x</span> <span class="bad">faint</span></pre></div>
<div class="highlight"><pre><span class="k">for</span> <span class="n">t</span> <span class="k">in</span> <span class="n">steps</span><span class="p">:</span></pre></div>
<div class="highlight"><pre id="faint-output" style="color:#ddd">plain output, no tokens</pre></div>
<input type="text" id="unlabelled"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="no-alt">
</main></body></html>"""


@pytest.mark.parametrize("mode", MODES)
def test_axe_runner_catches_contrast_labels_and_alt_text(themed_tab, mode):
    """The runner used above is not blind: on a tiny page with a faint code token, an unlabelled
    field and an image without alt text, it reports each: the faint token although code tokens are
    only sampled, and faint text in a code block outside any token."""
    page = themed_tab(mode).page
    page.set_content(SYNTHETIC)
    result = run_axe(page, colour_only=(mode != "light"))
    found = {v["id"]: v["targets"] for v in result["violations"]}
    assert sorted(found.get("color-contrast", [])) == ["#faint-output", ".bad"], found
    assert result["samples"] == 3, "one token per look: bold green, dark grey, faint grey"
    if mode == "light":
        assert found.get("label") == ["#unlabelled"] and found.get("image-alt") == ["#no-alt"], found
    else:
        assert set(found) == {"color-contrast"}, "the dark theme runs the colour rules only"
