"""The combine and round counts of the scans (rnnlearn.quiz.answers, chapter 15) against a direct count."""

import pytest

from rnnlearn.quiz.answers import scan_combines, scan_depth


def hillis_steele_count(T):
    """Count the (round, target) pairs that have a partner 2^k steps back."""
    combines, rounds, offset = 0, 0, 1
    while offset < T:
        combines += sum(1 for t in range(T) if t >= offset)
        rounds, offset = rounds + 1, 2 * offset
    return combines, rounds


def blelloch_count(T):
    """Pair up (T/2 combines), recurse on T/2, fill in T/2 - 1 positions (the first needs nothing)."""
    if T == 1:
        return 0, 0, 0
    combines, up, down = blelloch_count(T // 2)
    fill = T // 2 - 1
    return combines + T // 2 + fill, up + 1, down + (1 if fill else 0)


@pytest.mark.parametrize("T", [1, 2, 4, 8, 64, 1024, 4096])
def test_counts_match_a_direct_count(T):
    assert (scan_combines(T, "sequential"), scan_depth(T, "sequential")) == (T - 1, T - 1)
    assert (scan_combines(T, "hillis_steele"), scan_depth(T, "hillis_steele")) == hillis_steele_count(T)
    combines, up, down = blelloch_count(T)
    assert (scan_combines(T, "blelloch"), scan_depth(T, "blelloch")) == (combines, up + down)


def test_hillis_steele_handles_any_length():
    assert (scan_combines(5, "hillis_steele"), scan_depth(5, "hillis_steele")) == hillis_steele_count(5) == (8, 3)


def test_chapter_15_numbers():
    assert scan_combines(8, "hillis_steele") == 17 and scan_depth(8, "blelloch") == 5
    assert scan_combines(4096, "blelloch") == 8178 and scan_depth(1024, "blelloch") == 19


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="power of two for the blelloch count, got length 6"):
        scan_combines(6, "blelloch")
    with pytest.raises(ValueError, match="expected method to be 'sequential', 'hillis_steele' or 'blelloch', got 'log'"):
        scan_depth(8, "log")
    with pytest.raises(ValueError, match="expected length to be a positive integer, got 0"):
        scan_combines(0, "sequential")
