"""Quiz decks: schema, coverage, computed answers, rendering, and the malformed-deck errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from rnnlearn.quiz import DeckError, available_decks, flashcards_data, load_deck, quiz_data
from rnnlearn.quiz.render import CARD_FRONT_COLOURS, QUIZ_COLOURS, markdown_to_html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from bookcheck import toc_chapters  # noqa: E402

CHAPTERS = toc_chapters(ROOT)


@pytest.mark.parametrize("chapter", available_decks())
def test_every_shipped_deck_is_valid(chapter):
    deck = load_deck(chapter)
    assert deck.chapter == chapter


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_deck_has_enough_questions_and_cards(chapter):
    deck = load_deck(chapter)
    assert len(deck.questions) >= 8, f"{chapter}: {len(deck.questions)} questions, need at least 8"
    assert len(deck.numeric_questions) >= 2, f"{chapter}: {len(deck.numeric_questions)} numeric questions, need 2"
    assert len(deck.flashcards) >= 10, f"{chapter}: {len(deck.flashcards)} flashcards, need at least 10"


@pytest.mark.parametrize("chapter", available_decks())
def test_computed_answers_agree_with_the_deck(chapter):
    for question in load_deck(chapter).questions:
        if question.compute is not None:
            computed = question.compute.evaluate()
            assert abs(computed - question.value) <= question.tolerance, \
                f"{chapter}: question {question.id!r} says {question.value}, {question.compute.function} gives {computed}"


@pytest.mark.parametrize("chapter", available_decks())
def test_rendered_quiz_is_self_contained(chapter):
    text = str(quiz_data(chapter)) + str(flashcards_data(chapter))
    assert "http://" not in text and "https://" not in text and "<script" not in text


def test_markdown_keeps_math_for_mathjax():
    html = markdown_to_html("The *state* $h_t = \\tanh(W_{hh} h_{t-1})$ and $a < b$")
    assert "<em>state</em>" in html
    assert "$h_t = \\tanh(W_{hh} h_{t-1})$" in html  # underscores not turned into emphasis
    assert "$a &lt; b$" in html


def test_numeric_range_includes_both_ends_of_the_tolerance(tmp_path):
    path = _write(tmp_path, _deck(questions=[_numeric(value=10, tolerance=0.5)]))
    (question,) = quiz_data(load_deck(path))
    low, high = question["answers"][0]["range"]
    assert low == 9.5 and 10.5 < high < 10.5001  # jupyterquiz's range is half-open


# ---- malformed decks: the message names file, question and field ----------------------------

def _choice(qid="q1", qtype="multiple_choice", correct=(True, False)):
    return {"id": qid, "type": qtype, "section": "S", "prompt": "Which?", "explanation": "Because.",
            "options": [{"text": f"option {i}", "correct": c, "feedback": "Why."} for i, c in enumerate(correct)]}


def _numeric(qid="n1", **fields):
    question = {"id": qid, "type": "numeric", "section": "S", "prompt": "How many?", "explanation": "Count.",
                "value": 3, "tolerance": 0, "wrong_feedback": "Count again."}
    question.update(fields)
    return {k: v for k, v in question.items() if v is not None}


def _deck(questions=None, flashcards=None, chapter="99_broken"):
    return {"chapter": chapter, "questions": questions if questions is not None else [_choice()],
            "flashcards": flashcards if flashcards is not None else [{"front": "F", "back": "B", "topic": "T"}]}


def _write(tmp_path, deck, name="99_broken.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(deck))
    return path


def _error(tmp_path, deck) -> str:
    with pytest.raises(DeckError) as info:
        load_deck(_write(tmp_path, deck))
    return str(info.value)


def test_valid_minimal_deck_loads(tmp_path):
    deck = load_deck(_write(tmp_path, _deck(questions=[_choice(), _numeric()])))
    assert [q.id for q in deck.questions] == ["q1", "n1"]


def test_duplicate_ids(tmp_path):
    message = _error(tmp_path, _deck(questions=[_choice("same"), _choice("same")]))
    assert "99_broken.yaml" in message and "'same'" in message and "'id'" in message and "duplicate" in message


def test_no_correct_option(tmp_path):
    message = _error(tmp_path, _deck(questions=[_choice("none-right", correct=(False, False))]))
    assert "99_broken.yaml" in message and "'none-right'" in message and "'options'" in message
    assert "no option is marked correct" in message


def test_several_correct_options_in_multiple_choice(tmp_path):
    message = _error(tmp_path, _deck(questions=[_choice("two-right", correct=(True, True))]))
    assert "'two-right'" in message and "'options'" in message and "exactly one correct" in message
    load_deck(_write(tmp_path, _deck(questions=[_choice("two-right", "many_choice", (True, True))])))


def test_numeric_question_without_value(tmp_path):
    message = _error(tmp_path, _deck(questions=[_numeric("no-value", value=None)]))
    assert "99_broken.yaml" in message and "'no-value'" in message and "'value'" in message


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">',
                                  '<a href="javascript:alert(1)">x</a>', "<iframe src=x></iframe>"])
def test_raw_html_that_runs_code(tmp_path, text):
    question = _choice("html")
    question["options"][1]["feedback"] = text
    message = _error(tmp_path, _deck(questions=[question]))
    assert "99_broken.yaml" in message and "'html'" in message and "options.1.feedback" in message
    assert "raw HTML" in message


def test_raw_html_in_a_flashcard(tmp_path):
    message = _error(tmp_path, _deck(flashcards=[{"front": "<script>x</script>", "back": "B", "topic": "T"}]))
    assert "flashcard #1" in message and "'front'" in message


def test_unknown_field_is_rejected(tmp_path):
    question = _choice("typo")
    question["explantion"] = "misspelt"
    message = _error(tmp_path, _deck(questions=[question]))
    assert "'typo'" in message and "explantion" in message


def test_chapter_name_must_match_the_file(tmp_path):
    message = _error(tmp_path, _deck(chapter="98_other"))
    assert "99_broken.yaml" in message and "'chapter'" in message


def test_unknown_deck_name():
    with pytest.raises(DeckError, match="no deck named '00_nope'"):
        load_deck("00_nope")


# ---- exports: Anki package and CSV -------------------------------------------------------------

def test_csv_export_has_every_card(tmp_path):
    import csv

    from rnnlearn.quiz.export import write_csv

    rows = list(csv.DictReader(write_csv(tmp_path / "cards.csv").open(encoding="utf-8")))
    assert len(rows) == sum(len(load_deck(name).flashcards) for name in available_decks())
    assert set(rows[0]) == {"chapter", "topic", "front", "back"}


def test_anki_export_has_one_subdeck_per_chapter_and_every_note(tmp_path):
    import sqlite3
    import zipfile

    from rnnlearn.quiz.export import write_anki

    path = write_anki(tmp_path / "cards.apkg")
    zipfile.ZipFile(path).extract("collection.anki2", tmp_path)
    with sqlite3.connect(tmp_path / "collection.anki2") as db:
        notes = db.execute("select count(*) from notes").fetchone()[0]
        decks = db.execute("select decks from col").fetchone()[0]
    assert notes == sum(len(load_deck(name).flashcards) for name in available_decks())
    for name in available_decks():
        assert f"Recurrent Neural Networks::{name[:2]} " in decks


def test_anki_math_delimiters():
    from rnnlearn.quiz.export import _anki_math

    assert _anki_math("<p>$a_t$ and $$b$$</p>") == "<p>\\(a_t\\) and \\[b\\]</p>"


# ---- what a notebook cell displays -----------------------------------------------------------

def _displayed(function, chapter):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()
    with capture_output() as captured:
        function(chapter)
    return [output.data for output in captured.outputs]


@pytest.mark.parametrize("chapter", available_decks())
def test_show_quiz_displays_self_contained_html_and_scripts(chapter):
    from rnnlearn.quiz import show_quiz

    outputs = _displayed(show_quiz, chapter)
    kinds = [("text/html" in data, "application/javascript" in data) for data in outputs]
    assert kinds[0] == (True, False) and all(js for _, js in kinds[1:]), kinds
    scripts = " ".join(data["application/javascript"] for data in outputs[1:])
    assert "MathJax.version" in scripts  # the quiz waits for MathJax before typesetting
    assert "rnnlearnQuizKeys" in scripts  # Enter answers the focused option
    assert "aria-label" in scripts and "htmlFor" in scripts  # options and the numeric box are named
    assert all(colour in outputs[0]["text/html"] for colour in QUIZ_COLOURS.values())
    assert "<script src" not in scripts and "</script" not in scripts
    words = load_deck(chapter).questions[0].prompt.split()[:3]
    assert " ".join(words) in scripts, "the first question is embedded in the output"


def _contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_on_known_pairs():
    assert _contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert _contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_quiz_and_flashcard_colours_reach_wcag_aa_contrast():
    white_text, page, dark_theme_panel = "#fafafa", "#ffffff", "#ced6dd"  # the panel: pydata's dark theme
    for background in ["--jq-many-choice-bg", "--jq-numeric-input-bg", "--jq-correct-color", "--jq-incorrect-color"]:
        assert _contrast(white_text, QUIZ_COLOURS[background]) >= 4.5, background
    for feedback in ["--jq-correct-color", "--jq-incorrect-color"]:  # feedback text on the page itself
        assert min(_contrast(QUIZ_COLOURS[feedback], page), _contrast(QUIZ_COLOURS[feedback], dark_theme_panel)) >= 4.5
    assert _contrast(QUIZ_COLOURS["--jq-link-color"], QUIZ_COLOURS["--jq-many-choice-bg"]) >= 4.5
    # jupytercards writes its text in #fffafb; its default fronts were 2.0-3.1:1
    assert [round(_contrast("#fffafb", c), 1) for c in CARD_FRONT_COLOURS] == [5.6, 5.8, 5.8]
    assert [round(_contrast("#fffafb", c), 1) for c in ["#87a878", "#e26d5a", "#5bc0eb"]] == [2.6, 3.1, 2.0]


@pytest.mark.parametrize("chapter", available_decks())
def test_show_flashcards_displays_every_card(chapter):
    from rnnlearn.quiz import show_flashcards

    outputs = _displayed(show_flashcards, chapter)
    everything = " ".join(str(data) for data in outputs)
    assert "flip-container" in everything or "createCards" in everything
    for card in flashcards_data(chapter)[:3]:
        assert card["topic"] in everything
