"""Turning "words your ex knows" into tokens a password check can look for.

People type names, nicknames, pets, places, teams, e-mail addresses and dates in whatever form comes
to mind. A password built from them rarely uses them the same way: "Rex", "rex_2019", "1403", "90".
This module splits each answer into lowercase tokens and spells every date the ways people
commonly put dates into passwords. It is pure: nothing is stored or printed.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

MONTHS: tuple[str, ...] = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_BY_NAME: dict[str, int] = {}
for _number, _name in enumerate(MONTHS, start=1):
    _MONTH_BY_NAME[_name] = _number
    _MONTH_BY_NAME[_name[:3]] = _number
_MONTH_BY_NAME["sept"] = 9

MIN_TOKEN_LENGTH = 2
"""Shorter tokens match too much by chance to be useful."""

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NUMERIC = re.compile(r"^\s*(\d{1,4})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{1,4})\s*$")
_MONTH_NAMES = "|".join(sorted(_MONTH_BY_NAME, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"^\s*(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?({_MONTH_NAMES})\.?,?\s*(\d{{2,4}})?\s*$",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"^\s*({_MONTH_NAMES})\.?\s*(\d{{1,2}})(?:st|nd|rd|th)?,?\s*(\d{{2,4}})?\s*$",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"^\s*({_MONTH_NAMES})\.?,?\s*(\d{{4}})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class PartialDate:
    """A date as typed: the year may be missing (an anniversary, a birthday without a year)."""

    month: int
    day: int
    year: int | None = None


def _full_year(value: int, digits: int, pivot: int) -> int:
    if digits > 2:
        return value
    return 2000 + value if value <= pivot else 1900 + value


def _valid(year: int | None, month: int, day: int) -> bool:
    try:
        _dt.date(year if year is not None else 2000, month, day)  # 2000: leap year, 29 Feb ok
    except ValueError:
        return False
    return True


def _default_pivot() -> int:
    return _dt.date.today().year % 100


def parse_dates(text: str, *, pivot: int | None = None) -> tuple[PartialDate, ...]:
    """Every date the text could mean, or ``()`` when it is not a date.

    ``14/03/1990`` has one reading; ``03/04/1990`` has two (3 April and 4 March), and both are
    kept, because the point is to catch passwords, not to guess the calendar. Two-digit years up to
    ``pivot`` (default: this year) are read as 20xx, later ones as 19xx.
    """
    cut = _default_pivot() if pivot is None else pivot
    found: list[PartialDate] = []

    def add(year: int | None, month: int, day: int) -> None:
        if _valid(year, month, day):
            candidate = PartialDate(month=month, day=day, year=year)
            if candidate not in found:
                found.append(candidate)

    numeric = _NUMERIC.match(text)
    if numeric:
        first, second, third = numeric.groups()
        if len(first) == 4:  # 1990-03-14, 1990/3/14
            add(int(first), int(second), int(third))
        elif len(third) in (2, 4):
            full = _full_year(int(third), len(third), cut)
            add(full, int(second), int(first))  # day first: 14/03/1990
            add(full, int(first), int(second))  # month first: 3/14/90
        return tuple(found)
    named = _DAY_MONTH.match(text)
    if named:
        day, month_name, year_text = named.groups()
        year = _full_year(int(year_text), len(year_text), cut) if year_text else None
        add(year, _MONTH_BY_NAME[month_name.lower()], int(day))
        return tuple(found)
    named = _MONTH_DAY.match(text)
    if named:
        month_name, day, year_text = named.groups()
        year = _full_year(int(year_text), len(year_text), cut) if year_text else None
        add(year, _MONTH_BY_NAME[month_name.lower()], int(day))
        return tuple(found)
    return ()


def date_tokens(date: PartialDate) -> tuple[str, ...]:
    """The ways a date tends to show up inside passwords, e.g. for 1990-03-14:
    1990, 90, 0314, 1403, 314, 143, 140390, 031490, 14031990, 03141990, 19900314, march, mar, 14.
    """
    mm, dd = f"{date.month:02d}", f"{date.day:02d}"
    m, d = str(date.month), str(date.day)
    name = MONTHS[date.month - 1]
    tokens = [mm + dd, dd + mm, m + d, d + m, name, name[:3], dd, d, mm, m]
    if date.year is not None:
        yyyy = f"{date.year:04d}"
        yy = yyyy[2:]
        tokens += [
            yyyy,
            yy,
            dd + mm + yy,
            mm + dd + yy,
            dd + mm + yyyy,
            mm + dd + yyyy,
            yyyy + mm + dd,
            yy + mm + dd,
            d + m + yyyy,
            m + d + yyyy,
            d + m + yy,
            m + d + yy,
            name + yyyy,
            name[:3] + yyyy,
        ]
    return _unique(tokens)


def word_tokens(text: str) -> tuple[str, ...]:
    """Lowercase tokens of a name, nickname, place, team or e-mail address.

    "Mary-Jane O'Neill" gives mary, jane, neill, maryjane, janeo, oneill, maryjaneoneill (single
    letters are dropped); an e-mail address
    gives the parts of its local part too ("rex.smith@example.org" gives rex, smith, rexsmith).
    Four-digit years inside the text also give their two-digit form.
    """
    lowered = text.strip().lower()
    if "@" in lowered:
        lowered = lowered.split("@", 1)[0]
    parts = _WORD.findall(lowered)
    tokens: list[str] = list(parts)
    if len(parts) > 1:
        tokens.extend(a + b for a, b in itertools.pairwise(parts))
        tokens.append("".join(parts))
        tokens.append("".join(p for p in parts if not p.isdigit()))
    for part in parts:
        if part.isdigit() and len(part) == 4 and 1900 <= int(part) <= 2099:
            tokens.append(part[2:])
        letters = "".join(ch for ch in part if ch.isalpha())
        if letters and letters != part:  # "rex2019" -> "rex" and "2019"
            tokens.append(letters)
            tokens.extend(re.findall(r"\d+", part))
    return _unique(tokens)


def answer_tokens(text: str, *, pivot: int | None = None) -> tuple[str, ...]:
    """Tokens for one typed answer: a date's many spellings, or the words of anything else."""
    dates = parse_dates(text, pivot=pivot)
    if dates:
        tokens: list[str] = []
        for date in dates:
            tokens.extend(date_tokens(date))
        return _unique(tokens)
    year_only = text.strip()
    if year_only.isdigit() and len(year_only) == 4:
        return (year_only, year_only[2:])
    month = _MONTH_YEAR.match(text)
    if month:
        name = MONTHS[_MONTH_BY_NAME[month.group(1).lower()] - 1]
        year = month.group(2)
        return _unique([name, name[:3], year, year[2:], f"{_MONTH_BY_NAME[name]:02d}{year}"])
    return word_tokens(text)


def known_tokens(answers: Iterable[str], *, pivot: int | None = None) -> tuple[str, ...]:
    """All tokens for the answers, lowercase, without repeats, in the order given."""
    tokens: list[str] = []
    for answer in answers:
        tokens.extend(answer_tokens(answer, pivot=pivot))
    return _unique(tokens)


def _unique(tokens: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for raw in tokens:
        token = raw.strip().lower()
        if len(token) >= MIN_TOKEN_LENGTH and token not in seen:
            seen[token] = None
    return tuple(seen)
