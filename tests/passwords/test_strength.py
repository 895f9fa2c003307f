"""zxcvbn with the known words, and the explicit known-word check on top of it."""

from __future__ import annotations

import dataclasses

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from safetykit.passwords.known_words import known_tokens
from safetykit.passwords.strength import (
    ZXCVBN_MAX_LENGTH,
    Strength,
    assess,
    assess_tokens,
    find_known_words,
)

PET_AND_BIRTHDAY = ["Rex", "2019-06-01"]


def test_pet_and_year_are_named_even_though_zxcvbn_only_sees_the_pet() -> None:
    result = assess("Rex2019!", PET_AND_BIRTHDAY)
    assert result.known_words == ("rex", "2019")
    assert result.weak
    assert any("“rex” and “2019”" in line for line in result.feedback)


def test_known_word_makes_a_high_scoring_password_weak() -> None:
    password = "Xq!7vRex#mP2wLz9"
    without = assess(password)
    assert without.score >= 3 and not without.weak
    with_known = assess(password, ["Rex"])
    assert with_known.known_words == ("rex",)
    assert with_known.weak
    assert with_known.score >= 3


def test_leet_spelling_is_caught() -> None:
    assert "jordan" in assess("J0rd4n!!2024xyz", ["Jordan"]).known_words
    assert "lily" in assess("1i1y-forever-and-always", ["Lily"]).known_words


def test_short_token_glued_inside_a_word_is_not_flagged() -> None:
    assert find_known_words("benefit-gravel-tulip-spoon", ["ben"]) == []
    assert find_known_words("ben-gravel", ["ben"]) == [(0, 3, "ben")]


def test_longer_match_hides_the_shorter_inside_it() -> None:
    result = assess("maryjane1990", ["Mary Jane", "1990"])
    assert result.known_words == ("maryjane", "1990")


def test_strong_passphrase_without_known_words() -> None:
    result = assess("orbit-velvet-canopy-thimble-garnish-lagoon", ["Rex"])
    assert result.score == 4
    assert not result.weak
    assert result.known_words == ()
    assert result.feedback == ()


def test_common_password_is_weak_with_plain_feedback() -> None:
    result = assess("password1")
    assert result.score <= 1
    assert result.weak
    assert result.feedback


def test_over_72_characters_is_scored_not_refused() -> None:
    long_password = "orbit-velvet-canopy-thimble-garnish-lagoon-" * 3
    assert len(long_password) > ZXCVBN_MAX_LENGTH
    result = assess(long_password, ["Rex"])
    assert result.score == 4
    assert not result.weak


def test_known_word_beyond_72_characters_is_still_found() -> None:
    password = "x" * 80 + "-Rex"
    assert "rex" in assess(password, ["Rex"]).known_words


def test_empty_password() -> None:
    result = assess("")
    assert result.score == 0 and result.weak


def test_raw_answers_and_tokens_agree() -> None:
    assert assess("Rex2019!", PET_AND_BIRTHDAY) == assess_tokens(
        "Rex2019!", known_tokens(PET_AND_BIRTHDAY)
    )


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=12, max_size=90))
def test_result_never_holds_the_password(password: str) -> None:
    result = assess(password, ["Rex"])
    assert isinstance(result, Strength)
    assert 0 <= result.score <= 4
    for value in dataclasses.astuple(result):
        assert value != password
        if isinstance(value, tuple):
            assert password not in value
    # Field names and the fixed feedback wording can contain anything hypothesis tries.
    template = Strength(score=0, guesses_log10=0.0, weak=False, known_words=(), feedback=())
    assume(password not in repr(template) + " ".join(result.feedback))
    assert password not in repr(result)
