"""The account catalogue loads, follows its rules, and refuses bad data with a precise message."""

from __future__ import annotations

import copy
import datetime
import tomllib
from importlib import resources
from typing import Any

import pytest

from safetykit.content._files import ContentError
from safetykit.content._validate import NotInContentError
from safetykit.content.accounts import (
    AccountKind,
    account_kind,
    load_accounts,
    parse_accounts,
)

REQUIRED_KINDS = {
    "gmail",
    "outlook_mail",
    "yahoo_mail",
    "icloud_mail",
    "proton_mail",
    "apple_account",
    "google_account",
    "microsoft_account",
    "phone_carrier",
    "password_manager",
    "bank",
    "paypal",
    "venmo",
    "cash_app",
    "instagram",
    "facebook",
    "snapchat",
    "tiktok",
    "x_twitter",
    "whatsapp",
    "signal",
    "telegram",
    "messenger",
    "cloud_storage",
    "shopping",
    "ride_delivery",
    "smart_home",
    "car_app",
    "strava",
    "life360",
    "other",
}


def raw() -> dict[str, Any]:
    text = resources.files("safetykit.content").joinpath("accounts.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_catalogue_covers_the_issue_list() -> None:
    ids = {kind.id for kind in load_accounts()}
    assert ids >= REQUIRED_KINDS


def test_cached_and_lookup() -> None:
    assert load_accounts() is load_accounts()
    assert account_kind("gmail").label == "Gmail"
    with pytest.raises(NotInContentError, match="no account kind 'nope'"):
        account_kind("nope")


def test_tiers_follow_what_the_account_can_do() -> None:
    for kind in load_accounts():
        assert isinstance(kind, AccountKind)
        assert kind.can_reset_others == (kind.tier == 1)
    tiers = {kind.id: kind.tier for kind in load_accounts()}
    for kind_id in (
        "gmail",
        "password_manager",
        "phone_carrier",
        "apple_account",
        "google_account",
        "microsoft_account",
    ):
        assert tiers[kind_id] == 1
    assert tiers["bank"] == tiers["paypal"] == 2
    assert tiers["instagram"] == tiers["whatsapp"] == 3
    assert tiers["life360"] == tiers["smart_home"] == 4


def test_every_kind_has_steps_and_https_sources() -> None:
    for kind in load_accounts():
        assert kind.steps and all(step.strip() for step in kind.steps)
        assert not any(step.startswith("@") for step in kind.steps)
        assert kind.sources and all(s.url.startswith("https://") for s in kind.sources)
        assert len(set(kind.steps)) == len(kind.steps)


def test_key_steps_are_present_where_they_matter() -> None:
    joined = {kind.id: " ".join(kind.steps).lower() for kind in load_accounts()}
    for kind_id in ("gmail", "outlook_mail", "yahoo_mail", "proton_mail", "email_other"):
        assert "forward" in joined[kind_id]
    assert "port-out" in joined["phone_carrier"]
    assert "sign out" in joined["gmail"] or "session" in joined["gmail"]
    assert "security questions" in joined["other"]
    assert "location" in joined["google_account"]
    assert "linked devices" in joined["whatsapp"]


def test_cautions_where_the_ex_may_notice() -> None:
    for kind_id in ("apple_account", "phone_carrier", "life360", "smart_home"):
        caution = account_kind(kind_id).caution
        assert caution is not None and caution.endswith(".")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(schema=2), "'schema' must be 1"),
        (lambda d: d["kind"][0].update(tier=2), "does not match category"),
        (lambda d: d["kind"][0].update(tier="1"), "'tier' must be"),
        (lambda d: d["kind"][0].update(can_reset_others=False), "exactly for tier 1"),
        (lambda d: d["kind"][0].update(category="spaceship"), "unknown category"),
        (lambda d: d["kind"][0].update(steps=[]), "'steps' must be a non-empty list"),
        (lambda d: d["kind"][0].update(steps=["@nothing"]), "names no entry"),
        (lambda d: d["kind"][0].update(
            sources=[{"url": "http://insecure.example", "checked": datetime.date(2026, 1, 1)}]
        ), "https"),
        (lambda d: d["kind"][0].update(sources=["https://bare.example"]), "must be a table"),
        (lambda d: d["kind"][0].update(label="  "), "'label' must be a non-empty string"),
        (lambda d: d.update(extra=1), "unknown field"),
        (lambda d: d["question"][4].update(only_if_yes="later"), "asked before it"),
        (lambda d: d["question"].append(dict(d["question"][0])), "used twice"),
        (lambda d: d["known_words"][0].update(id="Names"), "slug"),
        (lambda d: d.pop("question"), "'question' must be a non-empty list"),
        (lambda d: d["kind"].pop(), "id 'other'"),
        (lambda d: d["kind"][0].update(colour="red"), "unknown field"),
        (lambda d: d["kind"][0].update(id="Bad Id"), "lowercase"),
        (lambda d: d["kind"][1].update(id=d["kind"][0]["id"]), "used twice"),
        (lambda d: d["kind"][0].update(reveals_location="yes"), "true or false"),
        (lambda d: d.pop("kind"), "at least one"),
        (lambda d: d["categories"].update(email=9), "tier 1 to 4"),
    ],
)
def test_bad_data_is_refused(mutate: Any, message: str) -> None:
    data = copy.deepcopy(raw())
    mutate(data)
    with pytest.raises(ContentError, match=message):
        parse_accounts(data)


def test_questions_are_the_answers_the_rotation_order_reads() -> None:
    from safetykit.content.accounts import account_questions, known_word_groups
    from safetykit.passwords.records import ANSWER_FIELDS

    questions = account_questions()
    assert [q.id for q in questions] == list(ANSWER_FIELDS)
    assert all(q.text.endswith("?") for q in questions)
    codes = next(q for q in questions if q.id == "codes_reach_ex")
    assert codes.only_if_yes == "two_factor_on"
    assert [g.id for g in known_word_groups()] == ["names", "pets", "dates", "places", "other"]


def test_an_account_of_a_kind_no_longer_in_the_catalogue_is_shown_as_other(
    data_dir: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from safetykit.cli.app import run
    from safetykit.passwords.records import AccountRecord, PasswordsState
    from safetykit.storage.paths import default_paths
    from safetykit.storage.vault import create_vault

    vault = create_vault(default_paths(), "keyring")
    gone = AccountRecord.new("Old service", "myspace")
    vault.update(PasswordsState, lambda state: state.accounts.append(gone))
    assert run(["passwords", "report", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["label"] == "Old service" and row["kind"] == "myspace"
    assert row["tier"] == 4
    assert run(["passwords", "report"]) == 0
    assert "Old service" in capsys.readouterr().out
