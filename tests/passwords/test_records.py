"""One account per real account: how records merge, what a merge keeps, and that merging many at
once gives exactly what merging them one at a time gives."""

from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from safetykit.passwords.records import AccountRecord, PasswordsState, absorb, combine_signals


def record(label: str, kind: str, username: str = "", site: str = "", **signals: object) -> (
    AccountRecord
):
    made = AccountRecord.new(label, kind, username, site)
    if signals:
        made.signals = dict(signals)
    return made


def test_the_same_sign_in_and_user_is_one_account_whatever_the_kind_in_its_family() -> None:
    state = PasswordsState()
    gmail, merged = state.add_or_merge(record("Gmail (sam@gmail.com)", "gmail", "sam@gmail.com"))
    assert not merged
    google, merged = state.add_or_merge(
        record("Google Account (Sam@Gmail.com)", "google_account", "Sam@Gmail.com ")
    )
    assert merged and google is gmail and len(state.accounts) == 1


def test_an_account_added_by_hand_takes_the_first_login_of_its_kind() -> None:
    state = PasswordsState()
    by_hand, _ = state.add_or_merge(record("Instagram", "instagram"))
    first, merged = state.add_or_merge(record("Instagram (sam)", "instagram", "sam"))
    assert merged and first is by_hand
    assert by_hand.username == "sam" and by_hand.label == "Instagram (sam)"
    _, merged = state.add_or_merge(record("Instagram (work)", "instagram", "work"))
    assert not merged and len(state.accounts) == 2


def test_generic_kinds_are_told_apart_by_site() -> None:
    state = PasswordsState()
    state.add_or_merge(record("Chase (sam)", "bank", "sam", "chase.com"))
    _, merged = state.add_or_merge(record("Citi (sam)", "bank", "sam", "citi.com"))
    assert not merged
    _, merged = state.add_or_merge(record("Chase again", "bank", "SAM", "chase.com"))
    assert merged and len(state.accounts) == 2


def test_a_merge_keeps_the_worse_finding_and_the_persons_own_answers() -> None:
    keep = record("Mail", "gmail", "sam", score=3, breached=0, reused=1, reused_with=["Shop"],
                  known_words=["rex"], checked="2026-01-01")
    keep.answers = {"ex_knows_password": False}
    other = record("Mail 2", "gmail", "sam", score=1, breached=12, reused=1,
                   reused_with=["Shop", "Bank"], known_words=["rex", "jo"], checked="2026-02-01")
    other.answers = {"ex_knows_password": True, "two_factor_on": True}
    other.rotated = "2026-02-02"
    absorb(keep, other)
    assert keep.label == "Mail"
    assert keep.answers == {"ex_knows_password": False, "two_factor_on": True}
    assert keep.signals is not None
    assert keep.signals["score"] == 1 and keep.signals["breached"] == 12
    assert keep.signals["reused"] == 1  # the same reuse seen twice is not two
    assert keep.signals["reused_with"] == ["Shop", "Bank"]
    assert keep.signals["known_words"] == ["rex", "jo"]
    assert keep.signals["checked"] == "2026-02-01"
    assert keep.rotated == "2026-02-02"


def test_combine_signals_with_nothing_on_one_side() -> None:
    assert combine_signals(None, None) is None
    assert combine_signals({"score": 2}, None) == {"score": 2}


def test_merge_by_hand_moves_a_kept_password_and_remove_forgets_it() -> None:
    state = PasswordsState()
    a, _ = state.add_or_merge(record("Dropbox", "cloud_storage"))
    b, _ = state.add_or_merge(record("Dropbox (work)", "cloud_storage"))
    state.kept_secrets[b.id] = "kept-secret"
    state.merge(a.id, b.id)
    assert [r.id for r in state.accounts] == [a.id]
    assert state.kept_secrets == {a.id: "kept-secret"}
    assert state.remove(a.id) and state.accounts == [] and state.kept_secrets == {}
    assert not state.remove(a.id)


KINDS = ["gmail", "google_account", "instagram", "bank", "phone_carrier", "other"]
RECORDS = st.builds(
    record,
    label=st.sampled_from(["A", "B", "Mail", "Shop"]),
    kind=st.sampled_from(KINDS),
    username=st.sampled_from(["", "sam", "SAM ", "jo"]),
    site=st.sampled_from(["", "chase.com", "citi.com"]),
)


def one_at_a_time(state: PasswordsState, new: list[AccountRecord]) -> list[tuple[str, bool]]:
    """The rule as written: each new record merged into the account it already is, if any."""
    outcome = []
    for item in new:
        same = state.same_account(item)
        if same is None:
            state.accounts.append(item)
            outcome.append((item.id, False))
        else:
            absorb(same, item)
            outcome.append((same.id, True))
    return outcome


@settings(max_examples=300)
@given(st.lists(RECORDS, max_size=6), st.lists(RECORDS, max_size=12))
def test_merging_many_at_once_is_merging_one_at_a_time(
    existing: list[AccountRecord], new: list[AccountRecord]
) -> None:
    slow = PasswordsState(accounts=copy.deepcopy(existing))
    fast = PasswordsState(accounts=copy.deepcopy(existing))
    expected = one_at_a_time(slow, copy.deepcopy(new))
    got = [(r.id, merged) for r, merged in fast.add_or_merge_all(copy.deepcopy(new))]
    assert got == expected
    assert [r.to_json() for r in fast.accounts] == [r.to_json() for r in slow.accounts]
