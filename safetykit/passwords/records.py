"""What the vault keeps about accounts: never a password, only what the person said and what
the checks found. Pure: plain JSON in, plain JSON out.

The passwords part of the state::

    {"accounts": [{"id": "3f9a…", "label": "Gmail", "kind": "gmail",
                   "username": "sam@gmail.com" | "", "site": "example.org" | "",
                   "answers": {"ex_knows_password": true, …},
                   "signals": {"weak": true, "known_words": ["rex"], "breached": 12,
                               "reused": 1, "score": 1, "checked": "2026-11-24"} | null,
                   "rotated": "2026-11-24" | null, "kept": false,
                   "kept_in": "vault" | "keyring" | null}],
     "known_words": {"names": [...], "pets": [...], "dates": [...], "places": [...],
                     "other": [...]},
     "kept_secrets": {account id: new password}}

``kept_secrets`` holds only passwords safetykit *made* for the person, and only when they asked
to keep one until it is in a password manager. Passwords being checked are never stored.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from safetykit.content._validate import NotInContentError
from safetykit.content.accounts import (
    AccountKind,
    account_kind,
    account_questions,
    known_word_groups,
)
from safetykit.i18n import N_, _, ngettext
from safetykit.passwords.check import AuditRow
from safetykit.passwords.rotation import (
    Account,
    AccountAnswers,
    PasswordSignals,
    RotationStep,
    rotation_order,
)
from safetykit.passwords.sites import (
    friendly_label,
    host_of,
    kind_for,
    normalise_username,
    site_of,
)

ANSWER_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(AccountAnswers) if f.name != "asked"
)
"""The questions asked about each account (``asked`` is bookkeeping, not a question)."""
MAX_LABEL = 120


def new_id() -> str:
    return secrets.token_hex(6)


@dataclass
class AccountRecord:
    id: str
    label: str
    kind: str
    username: str = ""
    """Who signs in (from an export, or as the person wrote it); "" when not known."""
    site: str = ""
    """The site's registrable domain (from an export's address); "" for a manual addition."""
    answers: dict[str, bool | None] = field(default_factory=dict)
    signals: dict[str, Any] | None = None
    rotated: str | None = None
    kept: bool = False
    kept_in: str | None = None
    """Where a password safetykit made is kept: "vault" (encrypted with the data) or "keyring"."""

    @staticmethod
    def new(label: str, kind: str, username: str = "", site: str = "") -> AccountRecord:
        return AccountRecord(
            id=new_id(),
            label=label.strip()[:MAX_LABEL] or kind,
            kind=kind,
            username=username.strip()[:MAX_LABEL],
            site=site.strip()[:MAX_LABEL],
        )

    @staticmethod
    def from_json(raw: Any) -> AccountRecord | None:
        if not isinstance(raw, Mapping):
            return None
        rid, label, kind = raw.get("id"), raw.get("label"), raw.get("kind")
        if not (isinstance(rid, str) and isinstance(label, str) and isinstance(kind, str)):
            return None
        answers_raw = raw.get("answers")
        answers = {
            k: v
            for k, v in (answers_raw.items() if isinstance(answers_raw, Mapping) else [])
            if k in ANSWER_FIELDS and (v is None or isinstance(v, bool))
        }
        signals = raw.get("signals")
        rotated = raw.get("rotated")
        username, site = raw.get("username"), raw.get("site")
        kept = raw.get("kept") is True
        kept_in = raw.get("kept_in")
        if not isinstance(kept_in, str) or kept_in not in ("vault", "keyring"):
            kept_in = "keyring" if kept else None  # 0.1 kept them in the keyring only
        return AccountRecord(
            id=rid,
            label=label,
            kind=kind,
            username=username if isinstance(username, str) else "",
            site=site if isinstance(site, str) else "",
            answers=answers,
            signals=dict(signals) if isinstance(signals, Mapping) else None,
            rotated=rotated if isinstance(rotated, str) else None,
            kept=kept_in is not None,
            kept_in=kept_in,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "kind": self.kind,
            "username": self.username,
            "site": self.site,
            "answers": dict(self.answers),
            "signals": dict(self.signals) if self.signals is not None else None,
            "rotated": self.rotated,
            "kept": self.kept,
            "kept_in": self.kept_in,
        }

    def kind_or_other(self) -> AccountKind:
        """Its kind; "other" for a kind the catalogue no longer has."""
        try:
            return account_kind(self.kind)
        except NotInContentError:
            return account_kind("other")

    @property
    def answered(self) -> bool:
        """Every question that applies to it has an answer."""
        return all(name in self.answers for name in questions_for(self))

    def password_signals(self) -> PasswordSignals | None:
        if self.signals is None:
            return None
        s = self.signals
        words = s.get("known_words")
        breached = s.get("breached")
        reused = s.get("reused")
        return PasswordSignals(
            weak=s.get("weak") is True,
            known_words=tuple(str(w) for w in words) if isinstance(words, list) else (),
            breached=breached if isinstance(breached, int) else None,
            reused=reused if isinstance(reused, int) else 0,
            famous=s.get("famous") is True,
        )

    def account(self) -> Account:
        return Account(
            label=self.label,
            kind=self.kind_or_other(),
            answers=AccountAnswers(**self.answers, asked=frozenset(self.answers)),
            signals=self.password_signals(),
            rotated=self.rotated,
        )

    def sign_in(self) -> tuple[str, str] | None:
        """Which account this is, for merging: (sign-in, username); None when not known enough.

        One service's kinds share a sign-in (Gmail and Google Account); for a sort of service
        (banks, carriers, "other") the site tells accounts apart.
        """
        kind = self.kind_or_other()
        if not kind.generic:
            where = f"kind:{kind.sign_in}"
        elif self.site:
            where = f"site:{self.site}"
        else:
            return None
        return where, normalise_username(self.username)


@dataclass
class PasswordsState:
    """The passwords part of the saved state (the vault section ``passwords``)."""

    SECTION: ClassVar[str] = "passwords"

    accounts: list[AccountRecord] = field(default_factory=list)
    known_words: dict[str, list[str]] = field(default_factory=dict)
    kept_secrets: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_state(cls, raw: Mapping[str, Any]) -> Self:
        accounts_raw = raw.get("accounts")
        listed = accounts_raw if isinstance(accounts_raw, list) else []
        accounts = [r for r in (AccountRecord.from_json(a) for a in listed) if r is not None]
        words_raw = raw.get("known_words")
        words: dict[str, list[str]] = {}
        if isinstance(words_raw, Mapping):
            # Every group is kept, even one the catalogue no longer asks about: saving must
            # never drop words the person wrote.
            for group, values in words_raw.items():
                if isinstance(group, str) and isinstance(values, list):
                    words[group] = [str(v) for v in values if isinstance(v, str) and v.strip()]
        secrets_raw = raw.get("kept_secrets")
        kept = (
            {str(k): v for k, v in secrets_raw.items() if isinstance(v, str)}
            if isinstance(secrets_raw, Mapping)
            else {}
        )
        return cls(accounts, words, kept)

    def to_state(self) -> dict[str, Any]:
        return {
            "accounts": [a.to_json() for a in self.accounts],
            "known_words": {k: list(v) for k, v in self.known_words.items()},
            "kept_secrets": dict(self.kept_secrets),
        }

    def all_known_words(self) -> list[str]:
        """Every word the person said their ex knows, in the catalogue's group order."""
        order = [group.id for group in known_word_groups()]
        groups = [*order, *sorted(set(self.known_words) - set(order))]
        return [word for group in groups for word in self.known_words.get(group, [])]

    def find(self, account_id: str) -> AccountRecord | None:
        return next((a for a in self.accounts if a.id == account_id), None)

    def same_account(self, new: AccountRecord) -> AccountRecord | None:
        """The account already here that ``new`` is (the same sign-in and username), or a
        manual one of its kind with no username yet; None if it is a different account."""
        key = new.sign_in()
        if key is not None:
            for record in self.accounts:
                if record.id != new.id and record.sign_in() == key:
                    return record
        kind = new.kind_or_other()
        if kind.id != "other" and new.username:
            for record in self.accounts:
                if (
                    record.id != new.id
                    and not record.username
                    and not record.site
                    and record.kind_or_other().sign_in == kind.sign_in
                ):
                    return record
        return None

    def add_or_merge(self, new: AccountRecord) -> tuple[AccountRecord, bool]:
        """Add ``new``, or fold it into the account it already is. (The account, merged?)"""
        return self.add_or_merge_all([new])[0]

    def add_or_merge_all(
        self, new: Sequence[AccountRecord]
    ) -> list[tuple[AccountRecord, bool]]:
        """``add_or_merge`` for many records at once, with the same result as one at a time but
        in time that grows with the count, not its square (an export of 10,000 logins)."""
        position: dict[int, int] = {}
        by_sign_in: dict[tuple[str, str], list[AccountRecord]] = {}
        unnamed: dict[str, list[AccountRecord]] = {}  # added by hand: no username, no site yet

        def index(record: AccountRecord) -> None:
            position.setdefault(id(record), len(position))
            key = record.sign_in()
            if key is not None:
                by_sign_in.setdefault(key, []).append(record)
            if not record.username and not record.site:
                unnamed.setdefault(record.kind_or_other().sign_in, []).append(record)

        def first_with(key: tuple[str, str]) -> AccountRecord | None:
            # A merge can change an account's sign-in: only what matches now counts, and the
            # first in the list wins, as it would one at a time.
            current = [r for r in by_sign_in.get(key, []) if r.sign_in() == key]
            by_sign_in[key] = current
            return min(current, key=lambda r: position[id(r)], default=None)

        for record in self.accounts:
            index(record)
        outcome: list[tuple[AccountRecord, bool]] = []
        for record in new:
            key = record.sign_in()
            same = first_with(key) if key is not None else None
            kind = record.kind_or_other()
            if same is None and kind.id != "other" and record.username:
                waiting = unnamed.get(kind.sign_in, [])
                while waiting and same is None:
                    candidate = waiting.pop(0)
                    if not candidate.username and not candidate.site:
                        same = candidate
            if same is None:
                self.accounts.append(record)
                index(record)
                outcome.append((record, False))
                continue
            before = same.sign_in()
            absorb(same, record)
            after = same.sign_in()
            if after is not None and after != before:
                by_sign_in.setdefault(after, []).append(same)
            outcome.append((same, True))
        return outcome

    def merge(self, keep_id: str, other_id: str) -> None:
        """Fold account ``other_id`` into ``keep_id`` (the person said they are one)."""
        keep, other = self.find(keep_id), self.find(other_id)
        if keep is None or other is None or keep is other:
            return
        absorb(keep, other)
        if other.id in self.kept_secrets and keep.id not in self.kept_secrets:
            self.kept_secrets[keep.id] = self.kept_secrets.pop(other.id)
        self.accounts.remove(other)

    def remove(self, account_id: str) -> bool:
        """Forget an account (and any password kept for it in the vault)."""
        record = self.find(account_id)
        if record is None:
            return False
        self.accounts.remove(record)
        self.kept_secrets.pop(account_id, None)
        return True

    def has_kind(self, kind: str) -> bool:
        return any(a.kind == kind for a in self.accounts)

    def order(self) -> list[tuple[AccountRecord, RotationStep]]:
        """Every account in rotation order, with its step (position and reason)."""
        accounts = [record.account() for record in self.accounts]
        owner = {id(a): record for a, record in zip(accounts, self.accounts, strict=True)}
        return [(owner[id(step.account)], step) for step in rotation_order(accounts)]


def questions_for(record: AccountRecord) -> list[str]:
    """The questions that apply to an account (one that follows a yes only after that yes)."""
    return [
        question.id for question in account_questions()
        if question.only_if_yes is None or record.answers.get(question.only_if_yes) is True
    ]


def summary(state: PasswordsState) -> dict[str, Any]:
    total = len(state.accounts)
    rotated = sum(1 for a in state.accounts if a.rotated)
    line = (
        ngettext(
            "{rotated} of {total} account changed", "{rotated} of {total} accounts changed", total
        ).format(rotated=rotated, total=total)
        if total
        else _("no accounts added yet")
    )
    return {"accounts": total, "rotated": rotated, "line": line}


def absorb(into: AccountRecord, other: AccountRecord) -> None:
    """Combine what is known of two records of one account: nothing counted twice, the worse
    finding kept, the person's own answers and label first."""
    if not into.username and other.username:
        into.username = other.username
        if into.label == into.kind_or_other().label or not into.site:
            into.label = other.label
    into.site = into.site or other.site
    for name, value in other.answers.items():
        into.answers.setdefault(name, value)
    into.signals = combine_signals(into.signals, other.signals)
    if other.rotated and (not into.rotated or other.rotated > into.rotated):
        into.rotated = other.rotated
    if other.kept and not into.kept:
        into.kept, into.kept_in = True, other.kept_in


def combine_signals(
    a: dict[str, Any] | None, b: dict[str, Any] | None
) -> dict[str, Any] | None:
    """Two checks of one account's password: the worse of each finding."""
    if a is None or b is None:
        either = a if a is not None else b
        return dict(either) if either is not None else None

    def number(d: dict[str, Any], key: str) -> int | None:
        value = d.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    scores = [x for x in (number(a, "score"), number(b, "score")) if x is not None]
    breached = [x for x in (number(a, "breached"), number(b, "breached")) if x is not None]
    words = [*a.get("known_words", []), *b.get("known_words", [])]
    reused_with = [*a.get("reused_with", []), *b.get("reused_with", [])]
    return {
        "score": min(scores) if scores else None,
        "weak": a.get("weak") is True or b.get("weak") is True,
        "known_words": list(dict.fromkeys(str(w) for w in words)),
        "reused": max(number(a, "reused") or 0, number(b, "reused") or 0),
        "reused_with": list(dict.fromkeys(str(r) for r in reused_with)),
        "breached": max(breached) if breached else None,
        "famous": a.get("famous") is True or b.get("famous") is True,
        "checked": max(str(a.get("checked", "")), str(b.get("checked", ""))) or None,
    }


RISK_WORDS = {"high": N_("high risk"), "medium": N_("medium risk"), "low": N_("low risk"),
              "unknown": N_("not looked at yet")}
"""Each risk level in words (shown through ``_()``; the levels themselves are ids)."""


def report_rows(state: PasswordsState) -> list[dict[str, Any]]:
    """One row per account in the order to change them: ``id``, ``label``, ``kind``, ``risk``,
    ``position``, ``reason``, ``rotated`` and more (never a password)."""
    rows: list[dict[str, Any]] = []
    for record, step in state.order():
        risk = step.account.risk
        rows.append(
            {
                "position": step.position,
                "id": record.id,
                "label": record.label,
                "kind": record.kind,
                "tier": step.account.kind.tier,
                "risk": risk.level,
                "risk_score": risk.score,
                "reason": step.reason,
                "reasons": list(risk.reasons),
                "state": "rotated" if record.rotated else "todo",
                "rotated": record.rotated,
                "checked": bool(record.signals),
                "answered": record.answered,
                "username": record.username,
            }
        )
    return rows


def guess_kind(title: str = "", url: str = "") -> str:
    """The catalogue kind of a login, by its address's host (else whole words of its title)."""
    return kind_for(title, url)


def kinds_by_category(kinds: Sequence[AccountKind]) -> list[AccountKind]:
    return sorted(kinds, key=lambda k: (k.tier, k.category, k.label.casefold()))


def signals_from_audit(row: AuditRow, today: str) -> dict[str, Any] | None:
    """What an export's check found for one login, as kept with its account (no password)."""
    if row.score is None:
        return None
    return {
        "score": row.score,
        "weak": row.weak,
        "known_words": list(row.known_words),
        "reused": row.reused,
        "reused_with": list(row.reused_with),
        "breached": row.breached,
        "famous": row.famous,
        "checked": today,
    }


def record_from_audit(row: AuditRow, today: str) -> AccountRecord:
    """A new account record for one login of an export: its kind judged by host, a friendly
    label, the username and site, and the check's findings."""
    record = AccountRecord.new(
        friendly_label(row.title, row.url, row.username),
        kind_for(row.title, row.url),
        row.username,
        site_of(host_of(row.url)),
    )
    record.signals = signals_from_audit(row, today)
    return record
