"""Render a deck with jupyterquiz (questions) and jupytercards (flashcards).

The decks are written in Markdown with ``$...$`` math. jupyterquiz and jupytercards insert text
as HTML and hand ``$...$`` to MathJax themselves, so here Markdown is turned into HTML with the
math left untouched. Everything is embedded in the cell's output: no URL is fetched, which is
what makes the quiz work offline in the built book, in Jupyter and in Colab.
"""

from __future__ import annotations

import html
import json
import re

from markdown_it import MarkdownIt

from .schema import Deck, Question, load_deck

__all__ = ["markdown_to_html", "quiz_data", "flashcards_data", "show_quiz", "show_flashcards"]

_MARKDOWN = MarkdownIt("commonmark", {"html": True})
_MATH = re.compile(r"\$\$.+?\$\$|(?<!\\)\$[^$\n]+?(?<!\\)\$", re.DOTALL)


def markdown_to_html(text: str, inline: bool = False) -> str:
    """Markdown to HTML, keeping ``$...$`` and ``$$...$$`` math for MathJax."""
    maths: list[str] = []

    def stash(match: re.Match) -> str:
        maths.append(match.group(0))
        return f"\ue000{len(maths) - 1}\ue001"

    protected = _MATH.sub(stash, text.strip())
    rendered = _MARKDOWN.renderInline(protected) if inline else _MARKDOWN.render(protected).strip()
    return re.sub("\ue000(\\d+)\ue001", lambda m: html.escape(maths[int(m.group(1))], quote=False), rendered)


def _question_data(question: Question) -> dict:
    entry: dict = {"question": markdown_to_html(question.prompt), "type": question.type}
    if question.code:
        entry["code"] = question.code
    explanation = markdown_to_html(question.explanation)
    if question.type == "numeric":
        low, high = question.value - question.tolerance, question.value + question.tolerance
        correct = markdown_to_html(question.correct_feedback or "Correct.")
        entry["answers"] = [
            # jupyterquiz's range is half-open [low, high): widen the top by a hair so the tolerance is inclusive.
            {"type": "range", "range": [low, high + 1e-9 * max(1.0, abs(high))], "correct": True,
             "feedback": f"{correct} {explanation}"},
            {"type": "default", "feedback": markdown_to_html(question.wrong_feedback)},
        ]
        return entry
    answers = []
    for option in question.options:
        feedback = markdown_to_html(option.feedback)
        if option.correct:
            feedback = f"{feedback} {explanation}"
        answers.append({"answer": markdown_to_html(option.text, inline=True),
                        "correct": option.correct, "feedback": feedback})
    entry["answers"] = answers
    return entry


def quiz_data(deck: Deck | str) -> list[dict]:
    """The deck's questions in jupyterquiz's format (a list of dicts)."""
    deck = load_deck(deck) if isinstance(deck, str) else deck
    return [_question_data(q) for q in deck.questions]


def flashcards_data(deck: Deck | str) -> list[dict]:
    """The deck's flashcards in jupytercards' format (a list of dicts)."""
    deck = load_deck(deck) if isinstance(deck, str) else deck
    return [{"front": markdown_to_html(c.front, inline=True), "back": markdown_to_html(c.back, inline=True),
             "topic": c.topic} for c in deck.flashcards]


# jupyterquiz's options are radio buttons inside labels: Tab reaches them and Space or the arrow keys
# answer, but Enter does nothing. This lets Enter answer the focused option too (installed once a page).
_ENTER_ANSWERS = """(function(){if(window.rnnlearnQuizKeys){return;}window.rnnlearnQuizKeys=true;
document.addEventListener('keydown',function(e){var t=e.target;
if(e.key==='Enter'&&t&&t.matches&&t.matches('.Quiz label.MCButton input[type=radio]')){e.preventDefault();t.click();}});})();"""


# jupyterquiz sets line-height 1.1 with a grey background on inline code, so each line's background
# covers the underscores of the line above; give the text room to breathe.
_QUIZ_STYLE = ("<style>.Quiz{line-height:1.35}.Quiz code{padding:0.05em 0.25em;border-radius:3px;"
               "line-height:1.6}</style>")

# jupyterquiz's default palette, darkened where its text falls below the WCAG AA contrast of 4.5:1:
# white on orange (3.1:1) for questions with several right answers, white on light grey (1.7:1) in
# the numeric answer box, white on the green of a right answer (4.0:1). The feedback text uses the
# right/wrong colours too, on the page's background: white, or the light grey panel that the book's
# dark theme puts behind cell outputs; every pair here is at least 4.5:1 on both.
QUIZ_COLOURS = {
    "--jq-many-choice-bg": "#a84300",
    "--jq-numeric-input-bg": "#392061",
    "--jq-correct-color": "#17622a",
    "--jq-incorrect-color": "#a30000",
    "--jq-link-color": "#fff3c4",
}

# jupytercards' three card fronts (asparagus, terra cotta, cyan) carry white text at 2.0-3.1:1;
# the same hues, darker, reach 5.6-5.8:1. The back (dark blue grey, 5.1:1) is kept.
CARD_FRONT_COLOURS = ["#4b6e3f", "#a9432f", "#1d6a8c"]

# jupytercards shows "Next >" at 30% opacity until the card is flipped (2:1 contrast), although it
# works at once (it flips the card first); keep it readable.
_CARDS_STYLE = "<style>div.next:not(.flipped):not(.hide){opacity:0.75}</style>"

# Screen readers (and axe) name a quiz option by its label's text. An option that is only math has
# no such text once MathJax has typeset it (the math is drawn, and its MathML sits aside), and the
# numeric answer box has a label that is not tied to it. This names every option with its text,
# math read from the MathML that MathJax keeps, and ties the numeric label to its box; it runs again
# whenever the quiz changes (MathJax typesets it after a delay).
_NAME_CONTROLS = r"""(function(){
function spoken(node){var copy=node.cloneNode(true);
copy.querySelectorAll('input').forEach(function(e){e.remove();});
copy.querySelectorAll('mjx-container').forEach(function(m){var mml=m.querySelector('mjx-assistive-mml');
m.replaceWith(document.createTextNode(' '+(mml?mml.textContent:m.textContent)+' '));});
return copy.textContent.replace(/\\(|\\)|\$/g,'').replace(/\s+/g,' ').trim();}
function name(container){
container.querySelectorAll('label.MCButton').forEach(function(label){var radio=label.querySelector('input[type=radio]');
var text=spoken(label);if(radio&&text&&radio.getAttribute('aria-label')!==text){radio.setAttribute('aria-label',text);}});
container.querySelectorAll('label.InpLabel').forEach(function(label){var box=label.parentElement.querySelector('input.Input-text');
if(box&&box.id&&label.htmlFor!==box.id){label.htmlFor=box.id;}});}
document.querySelectorAll('div.Quiz').forEach(function(quiz){var container=quiz.parentElement;
if(container.dataset.rnnlearnNamed){return;}container.dataset.rnnlearnNamed='1';name(container);var pending=false;
new MutationObserver(function(){if(!pending){pending=true;setTimeout(function(){pending=false;name(container);},50);}})
.observe(container,{childList:true,subtree:true});});})();"""


def _after_mathjax(script: str) -> str:
    """Run ``script`` once MathJax has loaded, or at once where there is no MathJax at all.

    In the built book MathJax is loaded with ``defer``, after the quiz's inline script; until then
    ``window.MathJax`` is only its configuration object, and jupyterquiz and jupytercards read
    ``MathJax.version`` from it and throw (or, finding no ``MathJax.typeset``, try to fetch MathJax
    from a CDN). Waiting until MathJax is ready (at most 20 s) avoids that race; the script is then
    run in the global scope, exactly as its package meant it.
    """
    return ("(function(){var code=" + json.dumps(script).replace("</", "<\\/") + ";var waited=0;function run(){"
            "if(typeof MathJax==='undefined'||(MathJax.version&&(MathJax.typeset||MathJax.Hub))||waited>20000){"
            "var s=document.createElement('script');s.text=code;document.body.appendChild(s);}"
            "else{waited+=50;setTimeout(run,50);}}run();})();")


def show_quiz(chapter: str, shuffle_answers: bool = True) -> None:
    """Display a chapter's quiz: options shuffled, feedback shown on every answer, math rendered.

    Answer with the mouse or the keyboard: Tab to an option, then Enter or Space; for a numeric
    question, type the number and press Enter.
    """
    from IPython.display import HTML, Javascript, display
    from IPython.utils.capture import capture_output
    from jupyterquiz import display_quiz

    with capture_output(stdout=False, stderr=False) as captured:
        display_quiz(quiz_data(chapter), shuffle_answers=shuffle_answers, max_width=800, colors=QUIZ_COLOURS)
    for output in captured.outputs:
        if "application/javascript" in output.data:
            display(Javascript(_after_mathjax(output.data["application/javascript"] + "\n" + _NAME_CONTROLS)))
        else:
            display(HTML(_QUIZ_STYLE + output.data["text/html"]))
    display(Javascript(_ENTER_ANSWERS))


def show_flashcards(chapter: str, shuffle_cards: bool = False) -> None:
    """Display a chapter's flashcards (click or Space flips a card, the right arrow moves on)."""
    from IPython.display import HTML, Javascript, display
    from IPython.utils.capture import capture_output
    from jupytercards import display_flashcards

    with capture_output(stdout=False, stderr=False) as captured:
        display_flashcards(flashcards_data(chapter), shuffle_cards=shuffle_cards, keyControl=True,
                           front_colors=CARD_FRONT_COLOURS)
    scripts = []
    for output in captured.outputs:
        if "application/javascript" in output.data:
            scripts.append(output.data["application/javascript"])
        else:
            display(HTML(_CARDS_STYLE + output.data["text/html"]))
    # jupytercards draws its cards when it sees the page change after its script has run; in a page
    # where nothing else changes (a bare notebook viewer) that never happens, so make one change.
    scripts.append("(function(){var n=document.createElement('span');document.body.appendChild(n);"
                   "setTimeout(function(){n.remove();},0);})();")
    display(Javascript(_after_mathjax("\n".join(scripts))))
