"""New passwords and passphrases, from the operating system's secure random source.

Passphrases use the word list shipped in ``safetykit/content/wordlist.txt`` (based on the EFF's
lists; see its header). Each result carries its entropy in bits: how many yes/no guesses an
attacker who knows exactly how it was made would still need. The secret is kept out of ``repr``.
"""

from __future__ import annotations

import math
import re
import secrets
import string
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations, pairwise

from safetykit.content._files import ContentError, read_text

WORDLIST_FILE = "wordlist.txt"
MIN_WORDLIST_SIZE = 7000
"""Each word adds at least 12.77 bits (six words: more than 76). Words that could upset someone
leaving an abusive relationship were removed even though that took the list below a five-dice
list's 7,776: a few tenths of a bit per word are worth it."""

MIN_WORDS, MAX_WORDS = 4, 20
MIN_LENGTH, MAX_LENGTH = 12, 128

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIGITS = string.digits
SYMBOLS = "!#$%&*+-=?@^_"
"""Symbols most sites accept; no quotes, spaces or backslashes that trip up forms and shells."""

CLASSES: tuple[str, ...] = (LOWER, UPPER, DIGITS, SYMBOLS)

_WORD = re.compile(r"^[a-z]+$")


@dataclass(frozen=True)
class Generated:
    """A new secret and its strength. Printing the object never shows the secret."""

    secret: str = field(repr=False)
    entropy_bits: float
    kind: str
    """"passphrase" or "password"."""


@cache
def load_wordlist() -> tuple[str, ...]:
    """The shipped word list, checked: lowercase plain words, no repeats, enough of them."""
    words: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate(read_text(WORDLIST_FILE).splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not _WORD.match(line):
            raise ContentError(f"{WORDLIST_FILE} line {number}: {line!r} is not a plain word")
        if line in seen:
            raise ContentError(f"{WORDLIST_FILE} line {number}: {line!r} appears twice")
        seen.add(line)
        words.append(line)
    if len(words) < MIN_WORDLIST_SIZE:
        raise ContentError(
            f"{WORDLIST_FILE} has {len(words)} words; at least {MIN_WORDLIST_SIZE} are needed"
        )
    return tuple(words)


def passphrase_entropy(words: int, wordlist_size: int) -> float:
    """Bits of entropy of ``words`` words drawn independently from a list of this size."""
    return words * math.log2(wordlist_size)


def passphrase(words: int = 6, sep: str = "-") -> Generated:
    """``words`` random words from the shipped list joined by ``sep`` (6 words: about 78 bits)."""
    if not MIN_WORDS <= words <= MAX_WORDS:
        raise ValueError(f"words must be between {MIN_WORDS} and {MAX_WORDS}")
    if any(ch in LOWER for ch in sep):
        raise ValueError("the separator must not contain letters")
    wordlist = load_wordlist()
    chosen = [secrets.choice(wordlist) for _ in range(words)]
    return Generated(
        secret=sep.join(chosen),
        entropy_bits=passphrase_entropy(words, len(wordlist)),
        kind="passphrase",
    )


def password_entropy(length: int, classes: tuple[str, ...] = CLASSES) -> float:
    """Bits of entropy of a uniformly random password of ``length`` using every class at least once.

    Counts the strings that contain each class by inclusion and exclusion: all strings over the
    whole alphabet, minus those missing a class, plus those missing two, and so on.
    """
    sizes = [len(c) for c in classes]
    total = sum(sizes)
    count = 0
    for missing in range(len(sizes) + 1):
        for left_out in combinations(sizes, missing):
            count += (-1) ** missing * (total - sum(left_out)) ** length
    return math.log2(count)


def password(length: int = 20) -> Generated:
    """A random password of letters, digits and symbols with at least one of each.

    Drawn uniformly from all such passwords (redrawn when a class is missing), so the reported
    entropy is exact.
    """
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ValueError(f"length must be between {MIN_LENGTH} and {MAX_LENGTH}")
    alphabet = "".join(CLASSES)
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(ch in group for ch in candidate) for group in CLASSES):
            return Generated(
                secret=candidate, entropy_bits=password_entropy(length), kind="password"
            )


MIN_PIN, MAX_PIN = 4, 12
_WEAK_PIN = re.compile(r"^(\d)\1+$")


def pin(length: int = 6) -> Generated:
    """A numeric PIN (a carrier's account PIN, a bank's passcode) of ``length`` random digits.

    Drawn again when all its digits are the same or it runs up or down by one (1234, 9876): the
    PINs tried first. The entropy reported is that of the digits drawn, slightly generous.
    """
    if not MIN_PIN <= length <= MAX_PIN:
        raise ValueError(f"length must be between {MIN_PIN} and {MAX_PIN}")
    while True:
        candidate = "".join(secrets.choice(DIGITS) for _ in range(length))
        steps = {int(b) - int(a) for a, b in pairwise(candidate)}
        if not _WEAK_PIN.match(candidate) and steps not in ({1}, {-1}):
            return Generated(secret=candidate, entropy_bits=length * math.log2(10), kind="pin")
