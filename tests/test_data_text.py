"""The shipped corpus, its provenance, the character vocabulary and next-character batches."""

from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnnlearn.data import CharVocab, load_text, next_char_batch


@pytest.fixture(scope="module")
def text():
    return load_text()


@pytest.fixture(scope="module")
def vocab(text):
    return CharVocab(text)


def test_corpus_size_is_within_150_to_500_kb(text):
    size = len(text.encode("utf-8"))
    assert 150_000 <= size <= 500_000


def test_corpus_is_the_novel_and_nothing_else(text):
    assert text.startswith("Persuasion\n") and text.rstrip().endswith("Finis")
    assert text.count("\nChapter ") == 24
    lowered = text.lower()
    # ("license" alone occurs in the novel: "the curtailed license of devoting herself ...")
    for word in ("gutenberg", "copyright", "trademark", "ebook", "e-book", "transcriber", "license agreement"):
        assert word not in lowered, word


def test_provenance_sits_next_to_the_corpus_and_names_its_source():
    corpus = resources.files("rnnlearn.data") / "corpus"
    provenance = (corpus / "PROVENANCE.md").read_text(encoding="utf-8")
    for fact in ("Jane Austen", "1817", "r-cran-janeaustenr", "1.0.0-1", "public domain"):
        assert fact in provenance, fact
    assert (corpus / "persuasion.txt").is_file()


def test_vocabulary_round_trips_the_whole_text(text, vocab):
    ids = vocab.encode(text)
    assert ids.shape == (len(text),) and ids.dtype == np.int64
    assert ids.min() == 0 and ids.max() == len(vocab) - 1
    assert vocab.decode(ids) == text
    assert len(vocab) == len(set(text)) == 75


def test_ids_follow_sorted_characters(vocab):
    assert list(vocab.chars) == sorted(vocab.chars)
    assert vocab.encode("\n").tolist() == [0] and vocab.decode([0]) == "\n"
    assert "a" in vocab and "\u00e9" not in vocab and "ab" not in vocab


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=30), st.data())
def test_round_trips_both_ways_for_any_vocabulary(sample, data):
    vocab = CharVocab(sample)
    piece = "".join(data.draw(st.lists(st.sampled_from(vocab.chars), max_size=40)))
    assert vocab.decode(vocab.encode(piece)) == piece
    ids = data.draw(st.lists(st.integers(0, len(vocab) - 1), max_size=40))
    assert vocab.encode(vocab.decode(ids)).tolist() == ids
    assert vocab.decode(np.array(ids, dtype=np.int32)) == vocab.decode(ids)


def test_unknown_characters_and_ids_raise_value_error(vocab):
    with pytest.raises(ValueError, match=r"CharVocab.encode expected characters from the vocabulary, got '\u00e9' at position 4"):
        vocab.encode("cafe\u00e9")
    with pytest.raises(ValueError, match=r"CharVocab.decode expected ids in range\(0, 75\), got 75"):
        vocab.decode([1, 75])
    with pytest.raises(ValueError, match=r"CharVocab.decode expected ids in range\(0, 75\), got -1"):
        vocab.decode([-1])
    with pytest.raises(ValueError, match=r"CharVocab.decode expected a 1-D sequence of integer ids, got shape \(2, 2\)"):
        vocab.decode([[1, 2], [3, 4]])
    with pytest.raises(ValueError, match=r"CharVocab expected a non-empty str, got ''"):
        CharVocab("")


def test_next_char_batch_targets_are_the_following_characters(text, vocab):
    ids = vocab.encode(text)
    inputs, targets = next_char_batch(ids, 16, 50, seed=0)
    assert inputs.shape == targets.shape == (16, 50) and inputs.dtype == targets.dtype == np.int64
    for row_in, row_out in zip(inputs, targets):
        window = vocab.decode(row_in) + vocab.decode(row_out[-1:])
        assert window in text
        assert vocab.decode(row_out) == window[1:]


def test_next_char_batch_reaches_both_ends():
    ids = np.arange(12)
    inputs, targets = next_char_batch(ids, 500, 10, seed=0)
    assert set(inputs[:, 0]) == {0, 1} and set(targets[:, -1]) == {10, 11}


def test_next_char_batch_rejects_a_text_shorter_than_a_window():
    with pytest.raises(ValueError, match=r"next_char_batch expected len\(ids\) >= 11 \(a window of seq_len=10 plus one target\), got 10"):
        next_char_batch(np.arange(10), 2, 10, seed=0)
