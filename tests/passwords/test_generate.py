"""New passwords and passphrases: right alphabet, every class present, honest entropy."""

from __future__ import annotations

import math
import re
from itertools import product
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safetykit.content import _files
from safetykit.content._files import ContentError
from safetykit.passwords import generate
from safetykit.passwords.generate import (
    CLASSES,
    DIGITS,
    LOWER,
    MIN_WORDLIST_SIZE,
    SYMBOLS,
    UPPER,
    load_wordlist,
    passphrase,
    password,
    password_entropy,
)


def test_wordlist_is_large_plain_lowercase_and_unique() -> None:
    words = load_wordlist()
    assert len(words) >= MIN_WORDLIST_SIZE
    assert len(set(words)) == len(words)
    assert all(re.fullmatch(r"[a-z]{3,}", w) for w in words)


def test_wordlist_header_records_origin_and_licence() -> None:
    header = [
        line for line in _files.read_text("wordlist.txt").splitlines() if line.startswith("#")
    ]
    text = " ".join(header)
    assert "EFF" in text and "CC BY 3.0" in text and "https://" in text


def test_wordlist_leaves_out_words_that_could_upset() -> None:
    words = set(load_wordlist())
    for word in ("strangle", "stalker", "handgun", "prison", "abusive", "revenge", "hatred"):
        assert word not in words


@pytest.mark.parametrize("words", [4, 6, 10])
def test_passphrase_shape_and_entropy(words: int) -> None:
    result = passphrase(words)
    parts = result.secret.split("-")
    assert len(parts) == words
    assert set(parts) <= set(load_wordlist())
    assert result.kind == "passphrase"
    assert result.entropy_bits == pytest.approx(words * math.log2(len(load_wordlist())))
    assert result.entropy_bits > 12.77 * words


def test_passphrase_separator_and_limits() -> None:
    assert len(passphrase(5, sep=" ").secret.split(" ")) == 5
    for bad in (3, 21):
        with pytest.raises(ValueError):
            passphrase(bad)
    with pytest.raises(ValueError):
        passphrase(6, sep="a")


def test_passphrases_differ() -> None:
    assert len({passphrase().secret for _ in range(50)}) == 50


@given(st.integers(min_value=12, max_value=64))
def test_password_has_every_class_and_only_the_alphabet(length: int) -> None:
    result = password(length)
    secret = result.secret
    assert len(secret) == length
    assert set(secret) <= set("".join(CLASSES))
    for group in (LOWER, UPPER, DIGITS, SYMBOLS):
        assert any(ch in group for ch in secret)
    assert result.kind == "password"


def test_password_limits() -> None:
    for bad in (11, 129):
        with pytest.raises(ValueError):
            password(bad)


def test_password_entropy_is_exact_for_a_tiny_alphabet() -> None:
    # Brute-force count over two small classes checks the inclusion-exclusion formula.
    classes = ("ab", "1")
    for length in range(1, 7):
        count = sum(
            1
            for combo in product("ab1", repeat=length)
            if any(c in "ab" for c in combo) and "1" in combo
        )
        if count:
            assert password_entropy(length, classes) == pytest.approx(math.log2(count))


def test_default_password_entropy() -> None:
    full = 20 * math.log2(len("".join(CLASSES)))
    assert full - 1 < password(20).entropy_bits < full


def test_repr_hides_the_secret() -> None:
    for result in (passphrase(), password()):
        assert result.secret not in repr(result)
        assert result.secret not in str(result)


def test_bad_wordlist_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    generate.load_wordlist.cache_clear()
    try:
        monkeypatch.setattr(generate, "read_text", lambda name: "# header\nalpha\nBeta\n")
        with pytest.raises(ContentError, match="not a plain word"):
            load_wordlist()
        monkeypatch.setattr(generate, "read_text", lambda name: "alpha\nalpha\n")
        with pytest.raises(ContentError, match="twice"):
            load_wordlist()
        monkeypatch.setattr(generate, "read_text", lambda name: "alpha\nbravo\n")
        with pytest.raises(ContentError, match="at least"):
            load_wordlist()
    finally:
        generate.load_wordlist.cache_clear()


DENIED_FILE = Path(__file__).parents[1] / "fixtures" / "wordlist-denied.txt"
DENIED = frozenset(
    line.strip()
    for line in DENIED_FILE.read_text().splitlines()
    if line.strip() and not line.startswith("#")
)


def test_no_word_about_violence_following_fear_custody_captivity_or_grief() -> None:
    words = set(load_wordlist())
    assert DENIED, "the deny-list is empty"
    assert not words & DENIED, sorted(words & DENIED)[:20]
    # The words people reported seeing in generated passphrases are among them.
    for seen in ("paralyze", "stole", "afraid", "follow", "trap", "custody", "jab", "seclusion",
                 "stung", "entrench"):
        assert seen in DENIED


def test_a_pin_is_digits_of_the_length_asked_and_not_a_run() -> None:
    from safetykit.passwords.generate import pin

    for length in (4, 6, 8):
        for _ in range(50):
            made = pin(length).secret
            assert made.isdigit() and len(made) == length
            assert len(set(made)) > 1
            assert made not in "0123456789" and made not in "9876543210"
