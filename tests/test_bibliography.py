"""The bibliography: every entry parses, and no work is entered twice under two keys (a chapter would
then cite one paper as two)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pybtex.database

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "book" / "references.bib"


def _normalised_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", title.replace("{", "").replace("}", "").lower()).strip()


def duplicate_titles(bib_text: str) -> dict[str, list[str]]:
    """``{title: [keys]}`` for every title that more than one entry carries."""
    entries = pybtex.database.parse_string(bib_text, "bibtex").entries
    keys = defaultdict(list)
    for key, entry in entries.items():
        keys[_normalised_title(entry.fields.get("title", key))].append(key)
    return {title: found for title, found in keys.items() if len(found) > 1}


def test_no_work_is_entered_twice():
    duplicates = duplicate_titles(BIB.read_text(encoding="utf-8"))
    assert not duplicates, f"the same work under several keys in {BIB.name}: {duplicates}"


def test_the_duplicate_check_finds_a_duplicate():
    text = ("@misc{a2023, title = {Zoology: Measuring Recall}, year = {2023}}\n"
            "@inproceedings{a2024, title = {{Zoology}: measuring recall}, year = {2024}}\n"
            "@misc{b2020, title = {Something Else}, year = {2020}}\n")
    assert duplicate_titles(text) == {"zoology measuring recall": ["a2023", "a2024"]}
