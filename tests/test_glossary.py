"""The glossary links every term to where a chapter defines it, and every chapter has terms in it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from bookcheck import toc_chapters  # noqa: E402

GLOSSARY = ROOT / "book" / "appendix" / "glossary.md"
CHAPTERS = toc_chapters(ROOT)
MIN_TERMS = 3

def _labels_by_chapter() -> dict[str, str]:
    labels = {}
    for chapter in CHAPTERS:
        for label in re.findall(r"(?m)^\(([\w-]+)\)=\s*$", (ROOT / "book" / f"{chapter}.md").read_text()):
            labels[label] = chapter
    return labels


def _entries() -> dict[str, list[str]]:
    text = GLOSSARY.read_text()
    body = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    entries, term = {}, None
    for line in body.splitlines():
        if line and not line.startswith((" ", ":")):
            term = line.strip()
            entries[term] = []
        elif term:
            entries[term] += re.findall(r"\{ref\}`([\w-]+)`", line)
    return entries


def test_every_entry_links_to_a_chapter():
    labels = _labels_by_chapter()
    for term, refs in _entries().items():
        assert refs, f"glossary.md: {term!r} links to no section"
        unknown = [r for r in refs if r not in labels]
        assert not unknown, f"glossary.md: {term!r} links to {unknown}, which no chapter in _toc.yml defines"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_has_its_terms_in_the_glossary(chapter):
    labels = _labels_by_chapter()
    linked = {labels[r] for refs in _entries().values() for r in refs if r in labels}
    count = sum(1 for refs in _entries().values() if any(labels.get(r) == chapter for r in refs))
    assert chapter in linked and count >= MIN_TERMS, \
        f"{chapter}: {count} glossary terms link to it; add the terms it defines to book/appendix/glossary.md"
