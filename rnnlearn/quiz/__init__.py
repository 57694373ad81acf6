"""Quiz questions and flashcards for every chapter, shipped as package data.

Each chapter has one YAML deck, ``rnnlearn/quiz/decks/NN_slug.yaml``, with two top-level keys:
``questions`` and ``flashcards``. :func:`load_deck` validates a deck against the schema in
:mod:`rnnlearn.quiz.schema`; :func:`show_quiz` and :func:`show_flashcards` render it with
jupyterquiz and jupytercards, self-contained, so it works offline in the built HTML book,
in Jupyter and in Colab.
"""

from .schema import Deck, DeckError, Flashcard, Option, Question, available_decks, load_deck
from .render import flashcards_data, quiz_data, show_flashcards, show_quiz

__all__ = [
    "Deck",
    "DeckError",
    "Flashcard",
    "Option",
    "Question",
    "available_decks",
    "load_deck",
    "quiz_data",
    "flashcards_data",
    "show_quiz",
    "show_flashcards",
]
