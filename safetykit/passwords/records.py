"""What the vault keeps about accounts: never a password, only what the person said and what
the checks found. Pure: plain JSON in, plain JSON out.

The passwords part of the state::

    {"accounts": [{"id": "3f9a…", "label": "Gmail", "kind": "gmail",
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

from safetykit.content._files import ContentError
from safetykit.content.accounts import AccountKind, account_kind, load_accounts
from safetykit.passwords.rotation import (
    Account,
    AccountAnswers,
    PasswordSignals,
    RotationStep,
    assess_account,
    rotation_order,
)

ANSWER_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(AccountAnswers))
KNOWN_WORD_GROUPS: tuple[tuple[str, str], ...] = (
    ("names", "Names and nicknames: yours, theirs, family, friends"),
    ("pets", "Pets, past and present"),
    ("dates", "Birthdays, anniversaries and other dates that matter"),
    ("places", "Places: towns, streets, schools, where you met"),
    ("other", "Teams, bands, hobbies, in-jokes, words they would think of"),
)
MAX_LABEL = 120


def new_id() -> str:
    return secrets.token_hex(6)


@dataclass
class AccountRecord:
    id: str
    label: str
    kind: str
    answers: dict[str, bool | None] = field(default_factory=dict)
    signals: dict[str, Any] | None = None
    rotated: str | None = None
    kept: bool = False
    kept_in: str | None = None
    """Where a password safetykit made is kept: "vault" (encrypted with the data) or "keyring"."""

    @staticmethod
    def new(label: str, kind: str) -> AccountRecord:
        return AccountRecord(id=new_id(), label=label.strip()[:MAX_LABEL] or kind, kind=kind)

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
        kept = raw.get("kept") is True
        kept_in = raw.get("kept_in")
        if kept_in not in ("vault", "keyring"):
            kept_in = "keyring" if kept else None  # 0.1 kept them in the keyring only
        return AccountRecord(
            id=rid,
            label=label,
            kind=kind,
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
            "answers": dict(self.answers),
            "signals": dict(self.signals) if self.signals is not None else None,
            "rotated": self.rotated,
            "kept": self.kept,
            "kept_in": self.kept_in,
        }

    def kind_or_other(self) -> AccountKind:
        try:
            return account_kind(self.kind)
        except ContentError:
            return account_kind("other")

    def password_signals(self) -> PasswordSignals:
        s = self.signals or {}
        words = s.get("known_words")
        breached = s.get("breached")
        reused = s.get("reused")
        return PasswordSignals(
            weak=s.get("weak") is True,
            known_words=tuple(str(w) for w in words) if isinstance(words, list) else (),
            breached=breached if isinstance(breached, int) else None,
            reused=reused if isinstance(reused, int) else 0,
        )

    def account(self) -> Account:
        return Account(
            label=self.label,
            kind=self.kind_or_other(),
            answers=AccountAnswers(**self.answers),
            signals=self.password_signals(),
        )


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
            for group, _ in KNOWN_WORD_GROUPS:
                values = words_raw.get(group)
                if isinstance(values, list):
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
        return [word for group, _ in KNOWN_WORD_GROUPS for word in self.known_words.get(group, [])]

    def find(self, account_id: str) -> AccountRecord | None:
        return next((a for a in self.accounts if a.id == account_id), None)

    def has_kind(self, kind: str) -> bool:
        return any(a.kind == kind for a in self.accounts)

    def order(self) -> list[tuple[AccountRecord, RotationStep]]:
        """Every account in rotation order, with its step (position and reason)."""
        accounts = [record.account() for record in self.accounts]
        owner = {id(a): record for a, record in zip(accounts, self.accounts, strict=True)}
        return [(owner[id(step.account)], step) for step in rotation_order(accounts)]


def summary(state: PasswordsState) -> dict[str, Any]:
    total = len(state.accounts)
    rotated = sum(1 for a in state.accounts if a.rotated)
    return {
        "accounts": total,
        "rotated": rotated,
        "line": f"{rotated} of {total} accounts changed" if total else "no accounts added yet",
    }


def report_rows(state: PasswordsState) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for record, step in state.order():
        risk = assess_account(
            step.account.kind, step.account.answers, step.account.signals
        )
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
            }
        )
    return rows


def guess_kind(*texts: str) -> str:
    """The catalogue kind whose id or name appears in a title or address, else "other"."""
    haystack = " ".join(texts).lower()
    hints = {
        "gmail": ("gmail", "mail.google"),
        "google_account": ("google", "accounts.google"),
        "outlook_mail": ("outlook", "hotmail", "live.com"),
        "microsoft_account": ("microsoft",),
        "yahoo_mail": ("yahoo",),
        "icloud_mail": ("icloud",),
        "apple_account": ("apple", "appleid"),
        "proton_mail": ("proton",),
        "paypal": ("paypal",),
        "venmo": ("venmo",),
        "cash_app": ("cash.app", "cash app", "cashapp"),
        "instagram": ("instagram",),
        "facebook": ("facebook",),
        "messenger": ("messenger",),
        "snapchat": ("snapchat",),
        "tiktok": ("tiktok",),
        "x_twitter": ("twitter", "x.com"),
        "whatsapp": ("whatsapp",),
        "signal": ("signal.org",),
        "telegram": ("telegram",),
        "strava": ("strava",),
        "life360": ("life360",),
        "password_manager": ("bitwarden", "1password", "lastpass", "dashlane", "keeper"),
        "cloud_storage": ("dropbox", "onedrive", "drive.google", "box.com"),
        "shopping": ("amazon", "ebay", "etsy"),
        "ride_delivery": ("uber", "lyft", "doordash", "grubhub", "instacart"),
        "bank": ("bank", "chase", "wellsfargo", "citi", "capitalone"),
    }
    known = {k.id for k in load_accounts()}
    for kind, needles in hints.items():
        if kind in known and any(n in haystack for n in needles):
            return kind
    return "other"


def kinds_by_category(kinds: Sequence[AccountKind]) -> list[AccountKind]:
    return sorted(kinds, key=lambda k: (k.tier, k.category, k.label.casefold()))
