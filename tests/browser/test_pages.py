"""What a reader clicks, checked in headless Chromium on the built book.

On every chapter page: no console errors, no request leaving 127.0.0.1, math typeset, a Colab
button pointing at the chapter's notebook in the configured repository, every quiz question
answering right and wrong answers with the right feedback, and a flashcard that flips.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from rnnlearn.quiz import load_deck, quiz_data

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from bookcheck import toc_chapters, toc_files  # noqa: E402
from conftest import QUESTIONS_EXERCISED  # noqa: E402

CHAPTERS = toc_chapters(ROOT)
PAGES = toc_files(ROOT)

# Console messages that are known and harmless, with the reason.
HARMLESS = [
    # pydata-sphinx-theme reads the colour mode from localStorage, empty in a fresh browser profile.
    "Got invalid theme mode",
]


def _real_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if not any(known in e for known in HARMLESS)]


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_offline_without_errors(visit, page):
    opened = visit(f"{page}.html")
    assert opened.page.title(), f"{page}.html has no title"
    assert not opened.external_requests, f"{page}.html asked the network for {opened.external_requests}"
    assert not _real_errors(opened.console_errors), f"{page}.html logged errors: {opened.console_errors}"
    assert opened.page.evaluate("typeof MathJax !== 'undefined' && !!MathJax.version"), \
        f"{page}.html did not load MathJax from the book"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_colab_button_opens_this_chapters_notebook(visit, chapter):
    repository = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    owner_repo = repository["url"].rstrip("/").removeprefix("https://github.com/")
    expected = (f"https://colab.research.google.com/github/{owner_repo}/blob/{repository['branch']}/"
                f"book/{chapter}.ipynb")
    opened = visit(f"book/{chapter}.html")
    links = opened.page.eval_on_selector_all("a[href*='colab.research.google.com']", "els => els.map(e => e.href)")
    assert links, f"book/{chapter}.html has no Colab button"
    assert expected in links, f"book/{chapter}.html: Colab button goes to {links}, expected {expected}"
    assert (ROOT / "book" / f"{chapter}.ipynb").exists()


def _wait_for_quiz(page, count: int) -> None:
    """The quiz draws itself once MathJax has loaded; wait for it (a loaded machine can be slow)."""
    page.wait_for_function(f"document.querySelectorAll('div.Quiz').length >= {count}", timeout=30_000)


def _feedback_state(page, feedback_id: str) -> tuple[str, str]:
    element = page.locator(f"#{feedback_id}")
    return element.get_attribute("class") or "", element.inner_text().strip()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_quiz_question_gives_the_right_feedback(visit, chapter):
    opened = visit(f"book/{chapter}.html")
    page = opened.page
    questions = quiz_data(load_deck(chapter))
    _wait_for_quiz(page, len(questions))
    wrappers = page.locator("div.Quiz")
    assert wrappers.count() == len(questions), \
        f"book/{chapter}.html shows {wrappers.count()} questions, the deck has {len(questions)}"
    for index, question in enumerate(questions):
        wrapper = wrappers.nth(index)
        wrapper.scroll_into_view_if_needed()
        if question["type"] == "numeric":
            field = wrapper.locator("input.Input-text")
            feedback_id = "fb" + field.get_attribute("id").split("-")[0]
            low, high = question["answers"][0]["range"]
            for value, should_be_right in [((low + high) / 2, True), (high + max(1.0, abs(high)), False),
                                           (low - max(1.0, abs(low)), False)]:
                field.fill(repr(round(value, 9)))
                field.press("Enter")
                classes, text = _feedback_state(page, feedback_id)
                verdict = "correct" if should_be_right else "incorrect"
                assert verdict in classes.split() and text, \
                    f"book/{chapter}.html question {index + 1}: typing {value} should show {verdict} feedback"
            continue
        labels = wrapper.locator("label.MCButton")
        assert labels.count() == len(question["answers"])
        feedback_id = "fb" + labels.first.get_attribute("id").split("-")[0]
        # Wrong answers first: for a many_choice question, clicking a correct one may end the question.
        for answer in sorted(question["answers"], key=lambda a: a["correct"]):
            label = [labels.nth(i) for i in range(labels.count())
                     if labels.nth(i).get_attribute("data-feedback") == answer["feedback"]]
            assert len(label) == 1, f"book/{chapter}.html question {index + 1}: option not found: {answer['answer']}"
            label[0].click()
            classes, text = _feedback_state(page, feedback_id)
            verdict = "correct" if answer["correct"] else "incorrect"
            assert verdict in classes.split(), \
                f"book/{chapter}.html question {index + 1}: option {answer['answer']!r} shows {classes!r}, not {verdict}"
            assert text, f"book/{chapter}.html question {index + 1}: option {answer['answer']!r} shows no feedback text"
    assert page.locator("div.Quiz mjx-container").count() > 0 or "$" not in str(questions), \
        f"book/{chapter}.html: the quiz's math was not typeset"
    assert not _real_errors(opened.console_errors), opened.console_errors
    QUESTIONS_EXERCISED[chapter] = len(questions)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_flashcard_flips(visit, chapter):
    opened = visit(f"book/{chapter}.html")
    card = opened.page.locator(".flip-container").first
    card.wait_for(state="visible")
    card.scroll_into_view_if_needed()
    front = card.locator(".front .flashcardtext").first.inner_text().strip()
    assert front, f"book/{chapter}.html: the first flashcard shows no text"
    assert "flip" not in (card.get_attribute("class") or "").split()
    card.click(position={"x": 40, "y": 40})
    opened.page.wait_for_timeout(200)
    assert "flip" in (card.get_attribute("class") or "").split(), f"book/{chapter}.html: the flashcard did not flip"
    assert not _real_errors(opened.console_errors), opened.console_errors


def test_flashcards_appendix_gathers_every_deck_and_offers_downloads(visit, site):
    import csv
    import io
    import urllib.request
    import zipfile

    from rnnlearn.quiz import available_decks

    opened = visit("book/appendix/flashcards.html")
    page = opened.page
    decks = available_decks()
    assert page.locator(".flip-container").count() == len(decks), "one flashcard set per chapter deck"
    links = {Path(href).suffix: href for href in
             page.eval_on_selector_all("a.download", "els => els.map(e => e.href)")}
    assert set(links) == {".apkg", ".csv"}, f"download links found: {links}"
    with urllib.request.urlopen(links[".csv"]) as response:
        rows = list(csv.DictReader(io.StringIO(response.read().decode("utf-8"))))
    expected = sum(len(load_deck(name).flashcards) for name in decks)
    assert len(rows) == expected, f"the CSV has {len(rows)} cards, the decks {expected}"
    with urllib.request.urlopen(links[".apkg"]) as response:
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    assert "collection.anki2" in archive.namelist()


@pytest.mark.parametrize("chapter", CHAPTERS[:1])
def test_quiz_can_be_answered_with_tab_and_enter(visit, chapter):
    opened = visit(f"book/{chapter}.html")
    page = opened.page
    _wait_for_quiz(page, len(load_deck(chapter).questions))
    first_option = page.locator("div.Quiz label.MCButton input[type=radio]").first
    feedback_id = "fb" + page.locator("div.Quiz label.MCButton").first.get_attribute("id").split("-")[0]
    # Focus the element just before the quiz, then reach the first option with Tab alone.
    first_option.evaluate("el => { const b = document.createElement('button'); b.id = 'before-quiz';"
                          " el.closest('div.Quiz').before(b); b.focus(); }")
    # Typeset math in the question is focusable too (MathJax's menu), so a few Tabs may be needed.
    on_option = "document.activeElement.matches('div.Quiz label.MCButton input[type=radio]')"
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate(on_option):
            break
    assert page.evaluate(on_option), f"book/{chapter}.html: Tab does not reach the quiz's first option"
    page.keyboard.press("Enter")
    classes = page.locator(f"#{feedback_id}").get_attribute("class") or ""
    assert {"correct", "incorrect"} & set(classes.split()), f"book/{chapter}.html: Enter did not answer ({classes!r})"
    numeric = page.locator("div.Quiz input.Input-text").first
    if numeric.count():
        numeric.focus()
        page.keyboard.type("12345")
        page.keyboard.press("Enter")
        numeric_fb = "fb" + numeric.get_attribute("id").split("-")[0]
        assert "incorrect" in (page.locator(f"#{numeric_fb}").get_attribute("class") or "").split()
