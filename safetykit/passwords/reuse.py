"""Counting where the same password is used more than once, in memory only.

Passwords are compared through an HMAC-SHA-256 under a key drawn fresh for each index, so the
fingerprints held here are useless outside this run: they cannot be looked up in a breach list or
matched against another run's. Nothing here is stored or printed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter
from collections.abc import Iterable

KEY_BYTES = 32


class ReuseIndex:
    """How many times each password has been seen, without keeping the passwords.

    Empty passwords are never counted as reuse.
    """

    __slots__ = ("_counts", "_key")

    def __init__(self) -> None:
        self._key = secrets.token_bytes(KEY_BYTES)
        self._counts: Counter[bytes] = Counter()

    def __repr__(self) -> str:
        return f"<ReuseIndex of {sum(self._counts.values())} passwords>"

    def fingerprint(self, password: str) -> bytes:
        """An HMAC of ``password`` under this index's own key: equal passwords, equal prints."""
        return hmac.new(self._key, password.encode("utf-8"), hashlib.sha256).digest()

    _fingerprint = fingerprint

    def add(self, password: str) -> None:
        """Record one use of ``password``."""
        if password:
            self._counts[self._fingerprint(password)] += 1

    def uses(self, password: str) -> int:
        """How many recorded uses ``password`` has."""
        if not password:
            return 0
        return self._counts.get(self._fingerprint(password), 0)

    def others(self, password: str) -> int:
        """How many *other* recorded entries share ``password``, given it was recorded itself."""
        return max(self.uses(password) - 1, 0)


def reuse_counts(passwords: Iterable[str]) -> list[int]:
    """For each password, how many of the others are the same (0 when unique or empty)."""
    index = ReuseIndex()
    items = list(passwords)
    for password in items:
        index.add(password)
    return [index.others(password) for password in items]
