"""Export every chapter's flashcards: an Anki package (one subdeck per chapter) and a CSV file.

    python -m rnnlearn.quiz.export OUTDIR

The book's build calls :func:`export_all` so both files can be downloaded from the flashcards
appendix. genanki is needed only for the Anki package.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path

from .render import markdown_to_html
from .schema import Deck, available_decks, load_deck

__all__ = ["deck_title", "write_csv", "write_anki", "export_all"]

BOOK_TITLE = "Recurrent Neural Networks"
CSV_COLUMNS = ["chapter", "topic", "front", "back"]


def deck_title(deck: Deck) -> str:
    """'01 Sequences and memory' from the deck's title, or from its chapter name."""
    number, _, slug = deck.chapter.partition("_")
    return f"{number} {deck.title or slug.replace('_', ' ').capitalize()}"


def _stable_id(text: str) -> int:
    # Anki wants 31-bit-ish positive ids that stay the same across builds, so re-imports update cards.
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) | (1 << 30)


def _anki_math(html: str) -> str:
    """Anki's MathJax reads \\( \\) and \\[ \\]; the decks write $ $ and $$ $$."""
    html = re.sub(r"\$\$(.+?)\$\$", r"\\[\1\\]", html, flags=re.DOTALL)
    return re.sub(r"(?<!\\)\$(.+?)(?<!\\)\$", r"\\(\1\\)", html)


def _decks(chapters: list[str] | None) -> list[Deck]:
    return [load_deck(name) for name in (chapters or available_decks())]


def write_csv(path: str | Path, chapters: list[str] | None = None) -> Path:
    """All flashcards as CSV with columns chapter, topic, front, back (Markdown, as written)."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for deck in _decks(chapters):
            for card in deck.flashcards:
                writer.writerow([deck_title(deck), card.topic, card.front, card.back])
    return path


def write_anki(path: str | Path, chapters: list[str] | None = None) -> Path:
    """All flashcards as an Anki package, one subdeck per chapter ("Recurrent Neural Networks::01 ...")."""
    import genanki

    model = genanki.Model(
        _stable_id("rnnlearn flashcard model"), "rnnlearn flashcard",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Topic"}],
        templates=[{"name": "Card", "qfmt": "{{Front}}<div class='topic'>{{Topic}}</div>",
                    "afmt": "{{FrontSide}}<hr id='answer'>{{Back}}"}],
        css=".card { font-family: sans-serif; font-size: 20px; text-align: center; } .topic { font-size: 12px; color: #777; }",
    )
    anki_decks = []
    for deck in _decks(chapters):
        name = f"{BOOK_TITLE}::{deck_title(deck)}"
        anki_deck = genanki.Deck(_stable_id(name), name)
        for card in deck.flashcards:
            front = _anki_math(markdown_to_html(card.front, inline=True))
            back = _anki_math(markdown_to_html(card.back, inline=True))
            anki_deck.add_note(genanki.Note(model=model, fields=[front, back, card.topic],
                                            guid=genanki.guid_for(deck.chapter, card.front),
                                            tags=[deck.chapter]))
        anki_decks.append(anki_deck)
    path = Path(path)
    genanki.Package(anki_decks).write_to_file(str(path), timestamp=0)
    return path


def export_all(outdir: str | Path) -> list[Path]:
    """Write rnn-flashcards.apkg and rnn-flashcards.csv into ``outdir``."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    return [write_anki(outdir / "rnn-flashcards.apkg"), write_csv(outdir / "rnn-flashcards.csv")]


if __name__ == "__main__":
    for written in export_all(sys.argv[1] if len(sys.argv) > 1 else "."):
        print(written)
