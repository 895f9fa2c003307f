"""Reuse is counted in memory, with a key that changes every run."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from safetykit.passwords.reuse import ReuseIndex, reuse_counts


def test_counts_others_sharing_each_password() -> None:
    assert reuse_counts(["a1", "b2", "a1", "c3", "a1", "b2"]) == [2, 1, 2, 0, 2, 1]


def test_empty_passwords_are_never_reuse() -> None:
    assert reuse_counts(["", "", "x"]) == [0, 0, 0]


def test_case_matters() -> None:
    assert reuse_counts(["Secret", "secret"]) == [0, 0]


@given(st.lists(st.sampled_from(["", "a", "b", "c", "dd", "Dd"]), max_size=30))
def test_matches_a_plain_count(passwords: list[str]) -> None:
    plain = Counter(p for p in passwords if p)
    expected = [plain[p] - 1 if p else 0 for p in passwords]
    assert reuse_counts(passwords) == expected


def test_index_keeps_no_password_and_no_stable_hash() -> None:
    first, second = ReuseIndex(), ReuseIndex()
    for index in (first, second):
        index.add("hunter2")
        index.add("hunter2")
    assert first.uses("hunter2") == 2
    assert first.others("hunter2") == 1
    assert first.uses("other") == 0
    assert "hunter2" not in repr(first)
    # Each index draws its own key, so fingerprints cannot be compared across runs.
    assert first._fingerprint("hunter2") != second._fingerprint("hunter2")
    assert set(first._counts) != set(second._counts)
