"""The deck schema: what a question and a flashcard must hold, checked with pydantic.

A malformed deck raises :class:`DeckError` naming the file, the question and the field, e.g.
``01_sequences_and_memory.yaml: question 'hidden-state-size', field 'options': no option is marked correct``.
"""

from __future__ import annotations

import importlib
import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

__all__ = ["Option", "Computed", "Question", "Flashcard", "Deck", "DeckError", "load_deck", "available_decks"]

# Quiz text is inserted into the page as HTML, so a deck may use Markdown, math and plain tags,
# but nothing that runs code: no <script>, <iframe>, <object>, <embed>, no on*= handlers, no javascript: URLs.
_UNSAFE_HTML = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|link|meta)\b|\bon[a-z]+\s*=|javascript\s*:",
    re.IGNORECASE,
)


class DeckError(ValueError):
    """A deck file that does not follow the schema; the message names file, question and field."""


def _safe_text(value: str) -> str:
    match = _UNSAFE_HTML.search(value)
    if match:
        raise ValueError(f"raw HTML that can run code is not allowed (found {match.group(0)!r})")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One answer of a multiple- or many-choice question."""

    text: str = Field(min_length=1)
    correct: bool = False
    feedback: str = Field(min_length=1, description="Why this option is right or wrong.")

    _check_text = field_validator("text", "feedback")(_safe_text)


class Computed(_Strict):
    """A function in rnnlearn that computes a numeric answer, so tests can recompute it."""

    function: str = Field(pattern=r"^rnnlearn(\.[A-Za-z_]\w*)+:[A-Za-z_]\w*$",
                          description="'module.path:function', inside rnnlearn")
    args: dict[str, Any] = Field(default_factory=dict)

    def evaluate(self) -> float:
        module_name, func_name = self.function.split(":")
        func = getattr(importlib.import_module(module_name), func_name)
        return float(func(**self.args))


class Question(_Strict):
    """A quiz question: ``multiple_choice`` (one correct option), ``many_choice`` (one or more)
    or ``numeric`` (a value within a tolerance)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    type: Literal["multiple_choice", "many_choice", "numeric"]
    section: str = Field(min_length=1, description="The section of the chapter this question tests.")
    prompt: str = Field(min_length=1)
    code: str | None = None
    options: list[Option] | None = None
    value: float | None = None
    tolerance: float | None = Field(default=None, ge=0)
    compute: Computed | None = None
    correct_feedback: str | None = None
    wrong_feedback: str | None = None
    explanation: str = Field(min_length=1)

    _check_text = field_validator("prompt", "explanation", "correct_feedback", "wrong_feedback")(
        lambda v: v if v is None else _safe_text(v)
    )

    @model_validator(mode="after")
    def _check_kind(self) -> "Question":
        if self.type == "numeric":
            if self.value is None:
                raise ValueError("field 'value': a numeric question needs a value")
            if self.tolerance is None:
                raise ValueError("field 'tolerance': a numeric question needs a tolerance (0 for exact)")
            if self.options:
                raise ValueError("field 'options': a numeric question takes no options")
            if not self.wrong_feedback:
                raise ValueError("field 'wrong_feedback': a numeric question needs a hint for wrong answers")
            return self
        if not self.options or len(self.options) < 2:
            raise ValueError("field 'options': a choice question needs at least two options")
        n_correct = sum(option.correct for option in self.options)
        if n_correct == 0:
            raise ValueError("field 'options': no option is marked correct")
        if self.type == "multiple_choice" and n_correct > 1:
            raise ValueError(f"field 'options': a multiple_choice question has exactly one correct option, "
                             f"this one has {n_correct} (use many_choice)")
        texts = [option.text for option in self.options]
        if len(set(texts)) != len(texts):
            raise ValueError("field 'options': two options have the same text")
        if self.value is not None or self.compute is not None:
            raise ValueError("field 'value': only numeric questions take a value or compute")
        return self


class Flashcard(_Strict):
    front: str = Field(min_length=1)
    back: str = Field(min_length=1)
    topic: str = Field(min_length=1)

    _check_text = field_validator("front", "back", "topic")(_safe_text)


class Deck(_Strict):
    """A chapter's questions and flashcards."""

    chapter: str = Field(pattern=r"^\d\d_[a-z0-9_]+$")
    title: str | None = Field(default=None, description="The chapter's title, for exports.")
    questions: list[Question]
    flashcards: list[Flashcard]

    @model_validator(mode="after")
    def _unique_ids(self) -> "Deck":
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"question {question.id!r}, field 'id': duplicate id")
            seen.add(question.id)
        return self

    @property
    def numeric_questions(self) -> list[Question]:
        return [q for q in self.questions if q.type == "numeric"]


def _describe(error: dict, raw: Any) -> str:
    """Turn one pydantic error into 'question 'id', field 'name': message'."""
    loc = list(error.get("loc", ()))
    message = error.get("msg", "invalid")
    message = re.sub(r"^(Value error|Assertion failed), ", "", message)
    parts = []
    if len(loc) >= 2 and loc[0] in ("questions", "flashcards") and isinstance(loc[1], int):
        kind, index = loc[0], loc[1]
        item = raw.get(kind, [])[index] if isinstance(raw, dict) else None
        label = item.get("id") if kind == "questions" and isinstance(item, dict) else None
        parts.append(f"question {label!r}" if label else f"{kind[:-1]} #{index + 1}")
        loc = loc[2:]
    field = ".".join(str(p) for p in loc if not str(p).startswith("function-"))
    if field and "field '" not in message:
        parts.append(f"field {field!r}")
    return ", ".join(parts + [message]) if parts else message


def _parse(raw: Any, source: str) -> Deck:
    if not isinstance(raw, dict):
        raise DeckError(f"{source}: expected a mapping with keys 'chapter', 'questions' and 'flashcards', "
                        f"got {type(raw).__name__}")
    try:
        return Deck.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(_describe(e, raw) for e in exc.errors())
        raise DeckError(f"{source}: {problems}") from None


def decks_dir() -> Path:
    return Path(str(resources.files("rnnlearn.quiz").joinpath("decks")))


def available_decks() -> list[str]:
    """The chapters that have a deck, e.g. ``['01_sequences_and_memory', ...]``."""
    return sorted(p.stem for p in decks_dir().glob("*.yaml"))


def load_deck(chapter: str | Path) -> Deck:
    """Load and validate a chapter's deck.

    Parameters
    ----------
    chapter : str or Path
        A chapter name such as ``"01_sequences_and_memory"`` (read from the package data), or the
        path of a YAML file.
    """
    path = Path(chapter)
    if path.suffix not in (".yaml", ".yml"):
        path = decks_dir() / f"{chapter}.yaml"
        if not path.exists():
            raise DeckError(f"no deck named {chapter!r}; available: {', '.join(available_decks()) or 'none'}")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DeckError(f"{path.name}: not valid YAML: {exc}") from None
    deck = _parse(raw, path.name)
    if path.stem != deck.chapter:
        raise DeckError(f"{path.name}: field 'chapter' is {deck.chapter!r}, expected {path.stem!r}")
    return deck
