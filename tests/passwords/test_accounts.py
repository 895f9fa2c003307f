"""The account catalogue loads, follows its rules, and refuses bad data with a precise message."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from typing import Any

import pytest

from safetykit.content._files import ContentError
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
    with pytest.raises(KeyError):
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
        assert kind.sources and all(s.startswith("https://") for s in kind.sources)
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
        (lambda d: d["kind"][0].update(sources=["http://insecure.example"]), "https"),
        (lambda d: d["kind"][0].update(label="  "), "'label' must be non-empty text"),
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
