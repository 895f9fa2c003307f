"""How guessable a password is, for a stranger and for someone who knows you.

zxcvbn estimates how many guesses a password needs; the "words your ex knows" go in as its user
inputs. zxcvbn only matches those as whole tokens and may still give a high score, so a second,
simple check looks for each known word inside the password (ignoring case and common letter-for-
symbol swaps) and names every match: a password built on a pet's name is weak *for this person*
whatever its score.

The result never holds the password. zxcvbn is not thread-safe (each call writes to a module-level
dictionary), so calls here are serialised with a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from safetykit.content._files import read_text
from safetykit.i18n import N_, _, ngettext
from safetykit.passwords.known_words import known_tokens

ZXCVBN_MAX_LENGTH = 72
"""zxcvbn refuses longer passwords; longer ones are scored on their first 72 characters."""

STRONG_SCORE = 3
"""Scores below this (0, 1, 2) count as weak."""

SUBSTRING_MIN_LENGTH = 3
"""Known words shorter than this still guide zxcvbn's score but are never named: two characters
turn up by chance in too many passwords."""

_LOCK = threading.Lock()

_LEET_COMMON = {"4": "a", "@": "a", "8": "b", "3": "e", "6": "g", "9": "g", "!": "i", "0": "o"}
_LEET_COMMON |= {"5": "s", "$": "s", "7": "t", "+": "t", "2": "z"}
_LEET_VARIANTS: tuple[dict[int, str], ...] = (
    str.maketrans({**_LEET_COMMON, "1": "i", "|": "i"}),  # "1" read as i: "s1ena" -> "siena"
    str.maketrans({**_LEET_COMMON, "1": "l", "|": "l"}),  # "1" read as l: "1i1y" -> "lily"
)


@dataclass(frozen=True)
class Strength:
    """The outcome of :func:`assess`. Holds no part of the password."""

    score: int
    """zxcvbn's score, 0 (very guessable) to 4 (very hard to guess)."""
    guesses_log10: float
    """zxcvbn's estimate of guesses needed (log10); for the first 72 characters only."""
    weak: bool
    known_words: tuple[str, ...]
    """Known words found in the password, in the order they appear."""
    feedback: tuple[str, ...]
    """safetykit's own advice (not zxcvbn's), in the language in use when it was assessed."""
    famous: bool = False
    """A published example phrase ("correct horse battery staple"): tried first by attackers."""


def _zxcvbn(password: str, user_inputs: Sequence[str]) -> dict[str, Any]:
    from zxcvbn import zxcvbn

    from safetykit.passwords import _zxcvbn_fast

    with _LOCK:
        _zxcvbn_fast.install()
        result: dict[str, Any] = zxcvbn(password, user_inputs=list(user_inputs))
    return result


def _same_class(a: str, b: str) -> bool:
    return (a.isalpha() and b.isalpha()) or (a.isdigit() and b.isdigit())


def _stands_alone(password: str, start: int, end: int) -> bool:
    """True unless the match is glued to more letters (or digits) of its own kind on a side."""
    before = password[start - 1] if start > 0 else ""
    after = password[end] if end < len(password) else ""
    glued_before = bool(before) and _same_class(before, password[start])
    glued_after = bool(after) and _same_class(after, password[end - 1])
    return not (glued_before or glued_after)


def find_known_words(password: str, tokens: Iterable[str]) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, token)`` where a known token occurs, case- and leet-insensitively.

    Tokens of three characters count only when not glued to a longer word or number ("rex" in
    "Rex2019!" counts, "ben" in "benefit" does not); shorter tokens are left to zxcvbn.
    """
    lowered = password.lower()
    variants = (lowered, *(lowered.translate(table) for table in _LEET_VARIANTS))
    found: list[tuple[int, int, str]] = []
    for token in tokens:
        if len(token) < SUBSTRING_MIN_LENGTH:
            continue
        has_letters = any(ch.isalpha() for ch in token)
        haystacks = variants if has_letters else variants[:1]
        for haystack in haystacks:
            start = haystack.find(token)
            hit = False
            while start != -1:
                end = start + len(token)
                if len(token) > SUBSTRING_MIN_LENGTH or _stands_alone(password, start, end):
                    found.append((start, end, token))
                    hit = True
                    break
                start = haystack.find(token, start + 1)
            if hit:
                break
    return found


def _zxcvbn_known(sequence: Iterable[dict[str, Any]]) -> list[tuple[int, int, str]]:
    spans = []
    for match in sequence:
        if match.get("pattern") == "dictionary" and match.get("dictionary_name") == "user_inputs":
            word = str(match.get("matched_word", ""))
            if len(word) >= SUBSTRING_MIN_LENGTH:
                spans.append((int(match["i"]), int(match["j"]) + 1, word))
    return spans


def _outermost(spans: list[tuple[int, int, str]]) -> tuple[str, ...]:
    """Known words in order of appearance, dropping any lying inside a longer match."""
    ordered = sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0]), s[2]))
    kept: list[tuple[int, int, str]] = []
    for span in ordered:
        inside = any(
            k[0] <= span[0] and span[1] <= k[1] and (k[1] - k[0]) > (span[1] - span[0])
            for k in kept
        )
        if not inside:
            kept.append(span)
    words: dict[str, None] = {}
    for _start, _end, word in kept:
        words.setdefault(word, None)
    return tuple(words)


_PATTERN_FEEDBACK = {
    "spatial": N_("It follows a line of neighbouring keys, which guessing tools try early."),
    "repeat": N_("It repeats the same characters, which adds little."),
    "sequence": N_("It contains a run such as abc or 123, which guessing tools try early."),
    "date": N_("It contains a date, and dates are among the first things tried."),
}
PASSPHRASE_NOTE = N_("A passphrase of several random words is stronger and easier to remember.")
PASSPHRASE_SHORT_NOTE = N_("A passphrase of several random words is stronger.")


def _feedback(
    score: int,
    length: int,
    known: tuple[str, ...],
    sequence: Sequence[dict[str, Any]],
    strong: int = STRONG_SCORE,
) -> tuple[str, ...]:
    notes: list[str] = []
    if known:
        words = [f"“{word}”" for word in known]
        quoted = (
            words[0]
            if len(words) == 1
            # TRANSLATORS: the end of a list of quoted words: "“rex”, “max” and “2019”".
            else _("{words} and {last}").format(words=", ".join(words[:-1]), last=words[-1])
        )
        notes.append(
            _("It contains {words}, which someone who knows you well could guess.").format(
                words=quoted
            )
        )
    if score < strong:
        patterns = [str(m.get("pattern")) for m in sequence]
        dictionaries = {
            str(m.get("dictionary_name")) for m in sequence if m.get("pattern") == "dictionary"
        }
        if "passwords" in dictionaries:
            notes.append(_("It is close to a password many people use, so it is tried early."))
        elif dictionaries - {"user_inputs"}:
            notes.append(_("It is built on a common word or name."))
        if "regex" in patterns:
            notes.append(_("It contains a recent year, which is easy to guess."))
        for pattern in ("spatial", "repeat", "sequence", "date"):
            if pattern in patterns:
                notes.append(_(_PATTERN_FEEDBACK[pattern]))
        if length < 10:
            notes.append(_("It is short; length helps more than symbols do."))
        if len(notes) == (1 if known else 0):
            notes.append(_("It could be guessed with enough tries."))
    if score < strong or known:
        notes.append(_(PASSPHRASE_NOTE))
    return tuple(notes)


def assess_tokens(password: str, tokens: Sequence[str], strong: int = STRONG_SCORE) -> Strength:
    """Like :func:`assess`, for tokens already made with :func:`known_tokens`."""
    scored = password[:ZXCVBN_MAX_LENGTH]
    if not scored:
        return Strength(
            score=0,
            guesses_log10=0.0,
            weak=True,
            known_words=(),
            feedback=(_("There is no password here."),),
        )
    if is_famous_phrase(password):
        return Strength(
            score=0,
            guesses_log10=0.0,
            weak=True,
            known_words=(),
            feedback=(_(FAMOUS_NOTE), _(PASSPHRASE_SHORT_NOTE)),
            famous=True,
        )
    result = _zxcvbn(scored, tokens)
    score = int(result["score"])
    guesses_log10 = float(result["guesses_log10"])
    sequence: list[dict[str, Any]] = list(result.get("sequence", ()))
    known = _outermost(_zxcvbn_known(sequence) + find_known_words(password, tokens))
    return Strength(
        score=score,
        guesses_log10=round(guesses_log10, 3),
        weak=score < strong or bool(known),
        known_words=known,
        feedback=_feedback(score, len(password), known, sequence, strong),
    )


def assess(password: str, known: Sequence[str] = ()) -> Strength:
    """Score a password with zxcvbn and name any of the known words it contains.

    ``known`` can hold the answers as typed ("Rex", "14/03/1990", "rex.smith@example.org"); they
    are split into tokens with :func:`~safetykit.passwords.known_words.known_tokens`.
    ``weak`` is true when the score is below 3 or any known word was found.
    """
    return assess_tokens(password, known_tokens(known))


# ── well-known phrases ─────────────────────────────────────────────────────────────────────

FAMOUS_FILE = "famous_phrases.txt"
FAMOUS_NOTE = N_(
    "It is a well-known example phrase, one of the first things guessing tools try."
)


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@cache
def famous_phrases() -> frozenset[str]:
    """The shipped list of published example phrases, squashed (no case, spaces, punctuation)."""
    lines = read_text(FAMOUS_FILE).splitlines()
    return frozenset(_squash(line) for line in lines if line.strip() and not line.startswith("#"))


def is_famous_phrase(password: str) -> bool:
    """Whether ``password`` is one of the published example phrases (any case or separators)."""
    squashed = _squash(password)
    return bool(squashed) and squashed in famous_phrases()


# ── a new secret that protects safetykit's own data ───────────────────────────────────────

NEW_SECRET_MIN_LENGTH = 10
NEW_SECRET_SCORE = 4
"""zxcvbn's top score: about 10**10 guesses or more, even for someone trying offline."""


def new_secret_problems(secret: str, known: Sequence[str] = ()) -> list[str]:
    """Why ``secret`` should not protect safetykit's data or a plan file, in plain words (empty
    if it is fine): too short, a well-known phrase, built on words the ex knows, or guessable."""
    if len(secret) < NEW_SECRET_MIN_LENGTH:
        return [
            ngettext(
                "It is shorter than {count} characters.",
                "It is shorter than {count} characters.",
                NEW_SECRET_MIN_LENGTH,
            ).format(count=NEW_SECRET_MIN_LENGTH)
        ]
    strength = assess_tokens(secret, known_tokens(known), strong=NEW_SECRET_SCORE)
    if not strength.weak:
        return []
    advice = {_(PASSPHRASE_NOTE), _(PASSPHRASE_SHORT_NOTE)}
    return [note for note in strength.feedback if note not in advice]
