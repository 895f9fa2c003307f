"""Which account to secure first, and why.

The order follows what an ex can do with each account. Tier 1 holds accounts that can reset
others (primary email, password manager, phone carrier, Apple, Google and Microsoft accounts):
whoever controls them can take over the rest. Tier 2 is money, tier 3 private files (cloud
storage, where photo backups live), social media and messaging, tier 4 everything else. Within a
tier, the account at greater risk comes first; at equal risk, the catalogue's category order.

Risk comes from the person's answers about each account (questions drawn from how tech-abuse
clinics assess accounts) and from the checks on its password. Unknown answers count a little,
because "not sure" is itself a reason to look. Everything here is pure and deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Literal, NamedTuple

from safetykit.content.accounts import AccountKind
from safetykit.i18n import N_, _

Level = Literal["high", "medium", "low", "unknown"]
""""unknown": nothing answered or checked yet for this account."""

HIGH_AT = 6
"""A risk score at or above this is "high"."""
MEDIUM_AT = 3
"""A risk score at or above this (and below HIGH_AT) is "medium"."""


@dataclass(frozen=True)
class AccountAnswers:
    """What the person told us about one account. ``None`` means "not sure" or not asked."""

    ex_knows_password: bool | None = None
    """Could the ex know or guess the password?"""
    ex_used_signed_in_device: bool | None = None
    """Has the ex used a phone or computer that is signed in to this account?"""
    password_reused: bool | None = None
    """Is the same password used for another account?"""
    two_factor_on: bool | None = None
    """Is two-step sign-in turned on?"""
    codes_reach_ex: bool | None = None
    """Do sign-in codes go to a phone or inbox the ex can reach?"""
    recovery_theirs_alone: bool | None = None
    """Are the recovery email and phone the person's alone?"""
    ex_knows_security_answers: bool | None = None
    """Could the ex answer the security questions?"""
    shared_account: bool | None = None
    """Is it a shared or family account, or one the ex pays for?"""
    asked: frozenset[str] = frozenset()
    """The questions the person answered (a None above is "not sure" only when asked)."""

    def unsure(self, name: str) -> bool:
        return name in self.asked and getattr(self, name) is None

    @property
    def any_answer(self) -> bool:
        """Something was answered (a yes, a no, or a "not sure")."""
        return bool(self.asked) or any(
            getattr(self, f.name) is not None for f in fields(self) if f.name != "asked"
        )


@dataclass(frozen=True)
class PasswordSignals:
    """What the password checks found for this account (none of them hold the password)."""

    weak: bool = False
    known_words: tuple[str, ...] = ()
    breached: int | None = None
    """Times seen in breaches; ``None`` when not checked."""
    reused: int = 0
    """How many other checked accounts share the password."""
    famous: bool = False
    """A published example phrase, tried first by guessing tools."""


@dataclass(frozen=True)
class AccountRisk:
    level: Level
    score: int
    reasons: tuple[str, ...]
    """Plain sentences, most important first."""


@dataclass(frozen=True)
class Account:
    """An account the person wants to secure."""

    label: str
    kind: AccountKind
    answers: AccountAnswers = field(default_factory=AccountAnswers)
    signals: PasswordSignals | None = None
    """What the password checks found; None when its password was never checked."""
    rotated: str | None = None
    """When the password was changed (the old password's findings no longer count)."""

    @property
    def risk(self) -> AccountRisk:
        return assess_account(self.kind, self.answers, self.signals, self.rotated)


class RotationStep(NamedTuple):
    account: Account
    position: int
    """1 for the account to secure first."""
    reason: str


@dataclass(frozen=True)
class _Factor:
    weight: int
    sentence: str
    lead: str
    """A short clause used when this is the main reason, joined to the tier's reason."""


def _factors(
    kind: AccountKind, a: AccountAnswers, s: PasswordSignals, rotated: bool = False
) -> list[_Factor]:
    """What puts this account at risk. After the password was changed, what was said or found
    about the old password no longer counts."""
    found: list[_Factor] = []

    def add(weight: int, sentence: str, lead: str) -> None:
        found.append(_Factor(weight, sentence, lead))

    if rotated:
        s = PasswordSignals()
    # Each factor: a full sentence (its reason in the list) and a short clause (without a full
    # stop) used as the main reason, in "{reason}, and {why}.".
    if a.ex_knows_password and not rotated:
        add(5, _("Your ex may know this password."), _("Your ex may know this password"))
    elif a.unsure("ex_knows_password") and not rotated:
        add(
            2,
            _("You're not sure whether your ex knows this password."),
            _("Your ex might know this password"),
        )
    if s.known_words:
        words = ", ".join(f"“{w}”" for w in s.known_words)
        add(
            4,
            # TRANSLATORS: {words} are the quoted words, e.g. “rex”, “2019”.
            _("The password contains {words}, which your ex could guess.").format(words=words),
            _("Your ex could guess this password"),
        )
    if a.ex_used_signed_in_device:
        add(
            4,
            _("Your ex has used a device that is signed in to this account."),
            _("Your ex has used a device signed in to this account"),
        )
    elif a.unsure("ex_used_signed_in_device"):
        add(
            1,
            _("It isn't clear whether your ex has used a device signed in to it."),
            _("A device your ex used may still be signed in"),
        )
    if a.recovery_theirs_alone is False:
        add(
            4,
            _("The recovery email or phone is not yours alone, so someone else could reset it."),
            _("Someone else could reset this account through its recovery details"),
        )
    elif a.unsure("recovery_theirs_alone"):
        add(1, _("It's worth checking that the recovery email and phone are yours alone."), "")
    if a.codes_reach_ex:
        add(
            4,
            _("Sign-in codes go somewhere your ex can reach."),
            _("Sign-in codes for this account can reach your ex"),
        )
    if a.two_factor_on is False:
        add(2, _("Two-step sign-in is off."), _("Two-step sign-in is off"))
    if a.ex_knows_security_answers:
        add(
            3,
            _("Your ex could answer the security questions."),
            _("Your ex could answer its security questions"),
        )
    elif a.unsure("ex_knows_security_answers"):
        add(1, _("Your ex might be able to answer the security questions."), "")
    if a.shared_account:
        add(
            3,
            _("It is a shared or family account, so others may see what happens in it."),
            _("This is a shared account"),
        )
    if (a.password_reused and not rotated) or s.reused > 0:
        add(3, _("The same password is used elsewhere."), _("The same password is used elsewhere"))
    if s.breached:
        add(
            3,
            _("This password appears in known data breaches."),
            _("This password appears in data breaches"),
        )
    if s.famous:
        add(
            3,
            _("The password is a well-known example phrase that guessing tools try first."),
            _("The password is a well-known example phrase"),
        )
    if s.weak and not s.known_words and not s.famous:
        add(2, _("The password is easy to guess."), _("The password is easy to guess"))
    if kind.reveals_location:
        add(
            1,
            _("This account can show where you are."),
            _("This account can show where you are"),
        )
    return found


def assess_account(
    kind: AccountKind,
    answers: AccountAnswers | None = None,
    signals: PasswordSignals | None = None,
    rotated: str | None = None,
) -> AccountRisk:
    """Risk for one account from the answers and password checks, with a reason for each factor.

    "unknown" when nothing was answered or checked and the password was not changed: no risk is
    guessed for an account nobody has looked at yet.
    """
    a = answers or AccountAnswers()
    factors = _factors(kind, a, signals or PasswordSignals(), rotated is not None)
    score = sum(f.weight for f in factors)
    level: Level = "high" if score >= HIGH_AT else "medium" if score >= MEDIUM_AT else "low"
    if not a.any_answer and signals is None and rotated is None:
        level = "unknown"
    ordered = sorted(factors, key=lambda f: -f.weight)  # stable: ties keep the order above
    return AccountRisk(level=level, score=score, reasons=tuple(f.sentence for f in ordered))


# The reasons are clauses that end sentences such as "Your ex may know this password, and {why}."
_TIER_REASON = {
    1: N_("it can reset your other accounts"),
    2: N_("it holds your money"),
    3: N_("whoever gets in could read your messages or pose as you"),
    4: "",
}
_TIER_ALONE = {
    1: N_("This account can reset your other accounts, so it comes first."),
    2: N_("This account holds your money."),
    3: N_("Whoever gets in could read your messages or pose as you."),
    4: N_("Worth a fresh password when you have a moment."),
}


_CATEGORY_REASON = {
    "cloud": N_("whoever gets in could see or copy your photos and files"),
}
_CATEGORY_ALONE = {
    "cloud": N_("Whoever gets in could see or copy your photos and files."),
}


def _why(kind: AccountKind) -> str:
    why = _CATEGORY_REASON.get(kind.category, _TIER_REASON[kind.tier])
    return _(why) if why else ""


def _reason(account: Account) -> str:
    signals = account.signals or PasswordSignals()
    factors = _factors(account.kind, account.answers, signals, account.rotated is not None)
    leads = sorted((f for f in factors if f.lead), key=lambda f: -f.weight)
    tier = account.kind.tier
    if account.rotated is not None:
        if leads:
            # TRANSLATORS: {date} is ISO (2026-11-24); {reason} a clause such as "Your ex might
            # know this password".
            return _("Changed on {date}. {reason}.").format(
                date=account.rotated, reason=leads[0].lead
            )
        return _("Changed on {date}.").format(date=account.rotated)
    if not leads:
        if not account.answers.any_answer and account.signals is None:
            why = _why(account.kind)
            if why:
                # TRANSLATORS: {why} is a clause such as "it holds your money".
                return _("Not answered yet; {why}.").format(why=why)
            return _("Not answered yet.")
        return _(_CATEGORY_ALONE.get(account.kind.category, _TIER_ALONE[tier]))
    lead = leads[0].lead
    why = _why(account.kind)
    if why:
        # TRANSLATORS: e.g. "Your ex may know this password, and it holds your money."
        return _("{reason}, and {why}.").format(reason=lead, why=why)
    return f"{lead}."


def _sort_key(account: Account) -> tuple[int, int, int, int, str, str, str, str]:
    # Changed accounts go last. The last element only separates accounts that tie on everything
    # a person would see, so that the order never depends on the order they were given in.
    return (
        account.rotated is not None,
        account.kind.tier,
        -account.risk.score,
        account.kind.rank,
        account.label.casefold(),
        account.label,
        account.kind.id,
        repr((account.answers, account.signals)),
    )


def rotation_order(accounts: Sequence[Account]) -> list[RotationStep]:
    """Accounts in the order to secure them, each with its position and a one-line reason.

    Tier first (1 before 4), then higher risk first, then the category's rank, then by label;
    the same accounts always come out in the same order whatever order they went in.
    """
    ordered = sorted(accounts, key=_sort_key)
    return [
        RotationStep(account=account, position=number, reason=_reason(account))
        for number, account in enumerate(ordered, start=1)
    ]
