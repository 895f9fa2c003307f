"""Auditing a list of logins: strength, known words, reuse and breaches, in memory.

:func:`audit_entries` returns one :class:`AuditRow` per login. A row holds the login's title, site
and username and what the checks found — never the password or any hash of it, so rows can be
shown, saved in the vault or printed as JSON.

zxcvbn takes a few milliseconds per password, so large exports are scored in worker processes
(one per core); each distinct password is scored once. Passwords reach the workers through an
operating-system pipe, in memory only, and the workers end with the audit.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import repeat
from multiprocessing import get_context
from typing import Any, Protocol

from safetykit.i18n import _
from safetykit.passwords.known_words import known_tokens
from safetykit.passwords.pwned_file import sha1_hex
from safetykit.passwords.reuse import ReuseIndex
from safetykit.passwords.rotation import PasswordSignals
from safetykit.passwords.sites import Identity, friendly_label, identity_of
from safetykit.passwords.strength import STRONG_SCORE, Strength, assess_tokens

PARALLEL_MIN = 256
"""Below this many distinct passwords, starting worker processes costs more than it saves."""
MAX_WORKERS = 8

PwnedLookup = Callable[[str], int]
"""Called with a password's uppercase SHA-1 hex; returns how often it was seen in breaches."""


class Login(Protocol):
    """Anything with these attributes can be audited (an ``ImportedEntry``, for one)."""

    @property
    def title(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def password(self) -> str: ...


@dataclass(frozen=True)
class AuditRow:
    """What the audit found for one login. Holds no password and no hash of one."""

    title: str
    url: str
    username: str
    score: int | None
    """zxcvbn score 0-4; ``None`` when the entry has no password."""
    weak: bool
    reused: int
    """How many other accounts share this password (another row for the same account, such as
    Chrome's row per affiliated site, is not counted)."""
    breached: int | None
    """Times seen in breaches; ``None`` when no breach check was run (or no password)."""
    known_words: tuple[str, ...]
    feedback: tuple[str, ...] = field(default=(), compare=False)
    reused_with: tuple[str, ...] = ()
    """The other accounts with the same password, by name and username (never the password)."""
    famous: bool = False
    """A published example phrase: as good as breached."""
    duplicates: int = 0
    """Further rows of the export for this same account and password (merged into this one)."""

    @property
    def guessable(self) -> bool:
        """Built on words the ex knows."""
        return bool(self.known_words)

    @property
    def easy_to_guess(self) -> bool:
        """Weak for anyone (zxcvbn below 3, or a published phrase), whatever the ex knows."""
        return self.score is not None and (self.famous or self.score < STRONG_SCORE)

    @property
    def severity(self) -> int:
        """For "worst first": breached or famous, then guessable by the ex, reused, weak."""
        if self.score is None:
            return 0
        return (
            8 * bool(self.breached or self.famous)
            + 4 * self.guessable
            + 2 * bool(self.reused)
            + 1 * self.easy_to_guess
        )

    @property
    def needs_attention(self) -> bool:
        return self.severity > 0

    def to_json(self) -> dict[str, Any]:
        """The row for ``--json`` output (no password, no hash)."""
        return {
            "title": self.title,
            "url": self.url,
            "username": self.username,
            "score": self.score,
            "weak": self.weak,
            "reused": self.reused,
            "reused_with": list(self.reused_with),
            "breached": self.breached,
            "known_words": list(self.known_words),
            "famous": self.famous,
            "duplicates": self.duplicates,
            "needs_attention": self.needs_attention,
        }

    def signals(self) -> PasswordSignals:
        """The findings in the form the rotation order uses."""
        return PasswordSignals(
            weak=self.weak,
            known_words=self.known_words,
            breached=self.breached,
            reused=self.reused,
        )

    @property
    def has_password(self) -> bool:
        return self.score is not None


def _assess_chunk(passwords: Sequence[str], tokens: Sequence[str]) -> list[Strength]:
    return [assess_tokens(password, tokens) for password in passwords]


def _worker_count(requested: int | None, jobs: int) -> int:
    if requested is not None:
        return max(1, min(requested, jobs))
    if jobs < PARALLEL_MIN:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def _assess_many(passwords: Sequence[str], tokens: Sequence[str], workers: int) -> list[Strength]:
    if workers <= 1 or len(passwords) < 2:
        return _assess_chunk(passwords, tokens)
    size = max(1, -(-len(passwords) // (workers * 4)))
    chunks = [passwords[i : i + size] for i in range(0, len(passwords), size)]
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            results: list[Strength] = []
            for part in pool.map(_assess_chunk, chunks, repeat(tokens)):
                results.extend(part)
            return results
    except (OSError, BrokenProcessPool, RuntimeError):
        # Worker processes are not available here (sandbox, frozen app): do it in this process.
        return _assess_chunk(passwords, tokens)


def audit_entries(
    entries: Sequence[Login],
    known_words: Sequence[str] = (),
    pwned: PwnedLookup | None = None,
    *,
    workers: int | None = None,
) -> list[AuditRow]:
    """Check every account and return one row each, worst first.

    Rows of the export that are the same account with the same password (Chrome writes one per
    affiliated site; a Gmail and a Google Account row are one sign-in) become one row; the same
    password on *different* accounts is reuse, and each row names the others. ``known_words``
    are the answers about what the ex knows, as typed. ``pwned`` looks up breach counts by SHA-1
    (each distinct password once); its errors propagate. ``workers`` sets the number of scoring
    processes; by default large audits use every core.
    """
    tokens = known_tokens(known_words)
    accounts: dict[tuple[Identity, bytes], int] = {}  # (identity, password print) -> row
    kept: list[Login] = []
    duplicates: list[int] = []
    reuse = ReuseIndex()  # fingerprints only: nothing here holds passwords longer than needed
    for entry in entries:
        identity = identity_of(entry.title, entry.url, entry.username)
        key = (identity, reuse.fingerprint(entry.password))
        if entry.password and key in accounts:
            duplicates[accounts[key]] += 1
            continue
        accounts[key] = len(kept)
        kept.append(entry)
        duplicates.append(0)
    labels = [friendly_label(e.title, e.url, e.username) for e in kept]
    by_password: dict[bytes, list[int]] = {}
    for index, entry in enumerate(kept):
        if entry.password:
            by_password.setdefault(reuse.fingerprint(entry.password), []).append(index)
    distinct = list(dict.fromkeys(e.password for e in kept if e.password))
    scored = _assess_many(distinct, tokens, _worker_count(workers, len(distinct)))
    strength = dict(zip(distinct, scored, strict=True))
    breached: dict[str, int] = {}
    if pwned is not None:
        for password in distinct:
            breached[password] = pwned(sha1_hex(password))
    rows: list[AuditRow] = []
    for index, entry in enumerate(kept):
        found = strength.get(entry.password)
        if found is None:
            rows.append(
                AuditRow(
                    title=entry.title, url=entry.url, username=entry.username, score=None,
                    weak=False, reused=0, breached=None, known_words=(),
                    feedback=(_("There is no password saved for this entry."),),
                    duplicates=duplicates[index],
                )
            )
            continue
        others = [i for i in by_password[reuse.fingerprint(entry.password)] if i != index]
        rows.append(
            AuditRow(
                title=entry.title,
                url=entry.url,
                username=entry.username,
                score=found.score,
                weak=found.weak,
                reused=len(others),
                breached=breached.get(entry.password) if pwned is not None else None,
                known_words=found.known_words,
                feedback=found.feedback,
                reused_with=tuple(labels[i] for i in others),
                famous=found.famous,
                duplicates=duplicates[index],
            )
        )
    order = sorted(range(len(rows)), key=lambda i: (-rows[i].severity, labels[i].casefold()))
    return [rows[i] for i in order]
