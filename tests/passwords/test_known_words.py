"""Known words become the tokens people actually put in passwords."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safetykit.passwords.known_words import (
    PartialDate,
    answer_tokens,
    date_tokens,
    known_tokens,
    parse_dates,
    word_tokens,
)

EXPECTED_FOR_1990_03_14 = {
    "1990",
    "90",
    "0314",
    "1403",
    "314",
    "143",
    "140390",
    "031490",
    "14031990",
    "03141990",
    "19900314",
    "march",
    "mar",
    "14",
}


@pytest.mark.parametrize(
    "typed",
    [
        "1990-03-14",
        "1990/3/14",
        "14/03/1990",
        "14.03.1990",
        "3/14/90",
        "03-14-1990",
        "14 March 1990",
        "14th of March, 1990",
        "March 14, 1990",
        "Mar 14 1990",
        "14 mar 90",
    ],
)
def test_dates_as_typed_expand_to_the_same_formats(typed: str) -> None:
    tokens = set(answer_tokens(typed, pivot=26))
    assert tokens >= EXPECTED_FOR_1990_03_14


def test_ambiguous_dates_keep_both_readings() -> None:
    dates = parse_dates("03/04/1990")
    assert PartialDate(month=4, day=3, year=1990) in dates
    assert PartialDate(month=3, day=4, year=1990) in dates
    tokens = set(answer_tokens("03/04/1990"))
    assert {"0304", "0403", "1990", "90"} <= tokens


def test_impossible_readings_are_dropped() -> None:
    assert parse_dates("31/02/1990") == ()
    assert parse_dates("14/03/1990") == (PartialDate(month=3, day=14, year=1990),)


def test_two_digit_year_pivot() -> None:
    assert parse_dates("1/2/19", pivot=26)[0].year == 2019
    assert parse_dates("1/2/45", pivot=26)[0].year == 1945


def test_anniversary_without_a_year() -> None:
    tokens = set(answer_tokens("June 1st"))
    assert {"0106", "0601", "june", "jun", "61", "16"} <= tokens
    assert not any(
        len(t) == 4 and t.startswith(("19", "20")) and t.isdigit()
        for t in tokens
        if t not in {"0106", "0601"}
    )


def test_month_and_year() -> None:
    assert {"june", "2019", "19", "062019"} <= set(answer_tokens("June 2019"))


def test_year_alone() -> None:
    assert answer_tokens("2019") == ("2019", "19")


def test_date_tokens_leap_day_without_year() -> None:
    assert "2902" in date_tokens(PartialDate(month=2, day=29))


def test_names_split_and_joined() -> None:
    tokens = word_tokens("Mary-Jane O'Neill")
    assert {"mary", "jane", "neill", "maryjane", "oneill", "maryjaneoneill"} <= set(tokens)
    assert all(len(t) >= 2 for t in tokens)


def test_email_uses_the_local_part() -> None:
    tokens = set(word_tokens("Rex.Smith_99@example.org"))
    assert {"rex", "smith", "99", "rexsmith"} <= tokens
    assert "example" not in tokens


def test_mixed_letters_and_digits() -> None:
    assert {"rex2019", "rex", "2019"} <= set(word_tokens("rex2019"))


def test_team_with_year() -> None:
    assert {"tigers", "1999", "99"} <= set(word_tokens("Tigers 1999"))


def test_known_tokens_lowercase_unique_in_order() -> None:
    tokens = known_tokens(["Rex", "REX", "Springfield", "rex"])
    assert tokens == ("rex", "springfield")


@given(st.lists(st.text(max_size=40), max_size=8))
def test_never_crashes_and_tokens_are_clean(answers: list[str]) -> None:
    tokens = known_tokens(answers)
    assert len(tokens) == len(set(tokens))
    for token in tokens:
        assert token == token.strip().lower()
        assert len(token) >= 2
