"""The rotation order: tiers first, then risk, always the same order, with a kind reason."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from safetykit.content.accounts import AccountKind, load_accounts
from safetykit.passwords.rotation import (
    Account,
    AccountAnswers,
    PasswordSignals,
    assess_account,
    rotation_order,
)

KINDS = load_accounts()
answers_st = st.builds(
    AccountAnswers,
    **{
        name: st.sampled_from([True, False, None])
        for name in (
            "ex_knows_password",
            "ex_used_signed_in_device",
            "password_reused",
            "two_factor_on",
            "codes_reach_ex",
            "recovery_theirs_alone",
            "ex_knows_security_answers",
            "shared_account",
        )
    },
)
signals_st = st.builds(
    PasswordSignals,
    weak=st.booleans(),
    known_words=st.sampled_from([(), ("rex",), ("rex", "2019")]),
    breached=st.sampled_from([None, 0, 12]),
    reused=st.integers(min_value=0, max_value=3),
)
account_st = st.builds(
    Account,
    label=st.sampled_from(["Mail", "mail", "Bank", "Photos", "Chat", "Work"]),
    kind=st.sampled_from(KINDS),
    answers=answers_st,
    signals=signals_st,
)
SAFE = AccountAnswers(
    ex_knows_password=False,
    ex_used_signed_in_device=False,
    password_reused=False,
    two_factor_on=True,
    codes_reach_ex=False,
    recovery_theirs_alone=True,
    ex_knows_security_answers=False,
    shared_account=False,
    asked=frozenset(
        {"ex_knows_password", "ex_used_signed_in_device", "password_reused", "two_factor_on",
         "codes_reach_ex", "recovery_theirs_alone", "ex_knows_security_answers",
         "shared_account"}
    ),
)


def kind(kind_id: str) -> AccountKind:
    return next(k for k in KINDS if k.id == kind_id)


@settings(max_examples=200, deadline=None)
@given(st.lists(account_st, max_size=12), st.randoms())
def test_order_properties(accounts: list[Account], rnd: object) -> None:
    steps = rotation_order(accounts)
    assert [s.position for s in steps] == list(range(1, len(accounts) + 1))
    assert sorted(map(id, (s.account for s in steps))) == sorted(map(id, accounts))
    for before, after in itertools.pairwise(steps):
        a, b = before.account, after.account
        assert a.kind.tier <= b.kind.tier
        if a.kind.tier == b.kind.tier:
            assert a.risk.score >= b.risk.score
    shuffled = list(accounts)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    again = rotation_order(shuffled)
    assert [(s.account, s.reason) for s in again] == [(s.account, s.reason) for s in steps]
    for step in steps:
        assert step.reason.endswith(".")
        assert step.reason[0].isupper()


def test_accounts_that_reset_others_come_first_even_at_low_risk() -> None:
    order = rotation_order(
        [
            Account("Chat", kind("whatsapp"), AccountAnswers(ex_knows_password=True)),
            Account("Bank", kind("bank"), AccountAnswers(ex_knows_password=True)),
            Account("Mail", kind("gmail"), SAFE),
        ]
    )
    assert [s.account.label for s in order] == ["Mail", "Bank", "Chat"]
    assert order[0].reason == "This account can reset your other accounts, so it comes first."


def test_risk_raises_an_account_within_its_tier() -> None:
    order = rotation_order(
        [
            Account("Phone", kind("phone_carrier"), SAFE),
            Account("Mail", kind("gmail"), AccountAnswers(ex_knows_password=True)),
        ]
    )
    assert [s.account.label for s in order] == ["Mail", "Phone"]
    assert order[0].reason == (
        "Your ex may know this password, and it can reset your other accounts."
    )


def test_assess_levels_and_reasons() -> None:
    low = assess_account(kind("shopping"), SAFE)
    assert low.level == "low"
    assert low.reasons == ("This account can show where you are.",)
    high = assess_account(
        kind("gmail"),
        AccountAnswers(ex_knows_password=True, codes_reach_ex=True, recovery_theirs_alone=False),
    )
    assert high.level == "high"
    assert high.reasons[0] == "Your ex may know this password."
    medium = assess_account(kind("other"), SAFE, PasswordSignals(weak=True, breached=4))
    assert medium.level == "medium"
    assert "This password appears in known data breaches." in medium.reasons


def test_not_sure_counts_a_little_and_nothing_answered_is_unknown() -> None:
    not_sure = assess_account(
        kind("other"), AccountAnswers(asked=frozenset({"ex_knows_password"}))
    )
    assert not_sure.score > 0
    assert not_sure.reasons == ("You're not sure whether your ex knows this password.",)
    nothing = assess_account(kind("other"))
    assert nothing.level == "unknown" and nothing.reasons == ()  # not a guess of "your ex might"
    assert assess_account(kind("other"), SAFE).score == 0


def test_an_account_nobody_answered_says_so() -> None:
    (step,) = rotation_order([Account("Mail", kind("gmail"))])
    assert step.reason == "Not answered yet; it can reset your other accounts."
    (other,) = rotation_order([Account("Forum", kind("other"))])
    assert other.reason == "Not answered yet."


def test_weak_but_not_known_to_the_ex_is_easy_to_guess() -> None:
    (step,) = rotation_order(
        [Account("Forum", kind("other"), SAFE, PasswordSignals(weak=True))]
    )
    assert step.reason == "The password is easy to guess."


def test_a_changed_account_drops_the_old_passwords_reasons() -> None:
    old = PasswordSignals(weak=True, known_words=("rex",), breached=10, reused=2)
    answers = AccountAnswers(
        ex_knows_password=True, recovery_theirs_alone=False,
        asked=frozenset({"ex_knows_password", "recovery_theirs_alone"}),
    )
    changed = Account("Mail", kind("gmail"), answers, old, rotated="2026-11-24")
    (step,) = rotation_order([changed])
    assert step.reason.startswith("Changed on 2026-11-24.")
    assert "password" not in step.reason.lower().replace("changed", "")
    assert "recovery" in step.reason  # what is still true of the account stays
    risk = changed.risk
    assert not any("password" in r.lower() for r in risk.reasons)
    strong_new = Account("Forum", kind("other"), SAFE, old, rotated="2026-11-24").risk
    assert strong_new.level == "low"


def test_changed_accounts_come_last() -> None:
    order = rotation_order(
        [Account("Mail", kind("gmail"), SAFE, rotated="2026-11-24"),
         Account("Shop", kind("shopping"), SAFE)]
    )
    assert [s.account.label for s in order] == ["Shop", "Mail"]


def test_known_words_are_named_in_the_reason() -> None:
    risk = assess_account(kind("instagram"), SAFE, PasswordSignals(known_words=("rex",)))
    assert any("“rex”" in r for r in risk.reasons)


def test_reused_from_audit_or_answer() -> None:
    by_answer = assess_account(kind("other"), AccountAnswers(password_reused=True))
    by_audit = assess_account(kind("other"), AccountAnswers(), PasswordSignals(reused=2))
    assert "The same password is used elsewhere." in by_answer.reasons
    assert "The same password is used elsewhere." in by_audit.reasons


def test_reasons_never_blame() -> None:
    everything = AccountAnswers(
        ex_knows_password=True,
        ex_used_signed_in_device=True,
        password_reused=True,
        two_factor_on=False,
        codes_reach_ex=True,
        recovery_theirs_alone=False,
        ex_knows_security_answers=True,
        shared_account=True,
    )
    risk = assess_account(kind("life360"), everything, PasswordSignals(True, ("rex",), 10, 2))
    text = " ".join(risk.reasons).lower()
    for word in ("you should have", "your fault", "careless", "mistake", "stupid"):
        assert word not in text
