"""Every fact in the content rests on a page someone can check: the platform's, the service's or
a government's own (an allow-list of domains), or, where no such page exists, a third-party page
marked as one with the reason. Every cited page carries the date it was checked."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest

from safetykit.content._validate import OFFICIAL_DOMAINS, Source, is_official
from safetykit.content.accounts import load_accounts, load_raw_catalogue
from safetykit.content.checklist import load_checklist, load_raw_checklist
from safetykit.content.resources import load_resources


def every_source() -> Iterator[tuple[str, Source]]:
    # As written, for every place (each place's view holds only some of the items).
    for item in load_raw_checklist().items:
        for source in item.sources:
            yield f"checklist {item.id}", source
    for kind in load_raw_catalogue().kinds:
        for source in kind.sources:
            yield f"accounts {kind.id}", source
    for resource in load_resources():
        for source in resource.sources:
            yield f"resources {resource.id}", source


SOURCES = list(every_source())


def test_there_are_sources() -> None:
    assert len(SOURCES) > 80


@pytest.mark.parametrize(("where", "source"), SOURCES, ids=[w for w, _ in SOURCES])
def test_each_source_is_official_or_says_why_not(where: str, source: Source) -> None:
    if source.third_party:
        assert source.why and len(source.why) > 20, f"{where}: say why {source.url} is cited"
    else:
        assert is_official(source.host), (
            f"{where}: {source.host} is not an official domain; cite the platform's or "
            "service's own page, or mark it third_party = true with a why"
        )


# Lines that serve only Spanish-speaking places cite their owners' pages, which are in Spanish.
SPANISH_SPEAKING = frozenset(
    f"resources {r.id}" for r in load_resources() if set(r.regions) <= {"ES", "MX"}
)


def test_no_file_servers_or_non_english_pages() -> None:
    for where, source in SOURCES:
        assert "lookaside" not in source.host and "fbsbx" not in source.host, where
        path = source.url.lower()
        for locale in ("/id-id/", "/en-ca/", "/es/", "/fr/", "/de-de/", "hl=es"):
            if where in SPANISH_SPEAKING and locale in ("/es/", "hl=es"):
                continue
            assert locale not in path, f"{where}: {source.url} is not the English page"


def test_each_source_was_checked_on_a_real_day() -> None:
    for where, source in SOURCES:
        assert datetime.date(2024, 1, 1) <= source.checked <= datetime.date.today(), where


def test_every_checklist_item_cites_a_page() -> None:
    missing = [item.id for item in load_raw_checklist().items if not item.sources]
    assert not missing, f"items with no source: {missing}"


def test_every_hotline_cites_its_owner_first() -> None:
    for resource in load_resources():
        if resource.check_first or (resource.kind == "emergency" and not resource.phone):
            # No owner page could be read (said to the person: "check first"), or there is no
            # one owner (somewhere else: "call your local emergency number").
            continue
        assert not resource.sources[0].third_party, (
            f"{resource.id}: the first source must be the owner's own page"
        )


@pytest.mark.parametrize(
    ("host", "official"),
    [
        ("support.apple.com", True),
        ("help.x.com", True),
        ("www.fcc.gov", True),
        ("apple.com.evil.example", False),
        ("notapple.com", False),
        ("www.businessinsider.com", False),
        ("lookaside.fbsbx.com", False),
    ],
)
def test_the_allow_list_matches_whole_domains(host: str, official: bool) -> None:
    assert is_official(host) is official


def test_the_allow_list_has_no_blogs_or_news_sites() -> None:
    for domain in OFFICIAL_DOMAINS:
        assert not domain.startswith("blog."), domain
        assert domain == domain.lower() and "/" not in domain


# --- what issue 12 fixed: advice the platforms' and the FCC's pages support --------------------

RISKY_ITEMS = (
    "accounts.recovery",
    "accounts.connected-apps",
    "unsafe.emergency",
    "location.google-maps",
    "location.other-sharing",
    "location.smart-home-car",
    "location.shared-photos",
    "social.private-account",
)


@pytest.mark.parametrize("item_id", RISKY_ITEMS)
def test_risky_steps_say_the_ex_may_notice(item_id: str) -> None:
    caution = load_checklist().item(item_id).caution
    assert caution, f"{item_id}: say what the ex might notice and what to do first"


def test_shared_recovery_and_password_steps_say_the_ex_may_notice() -> None:
    for kind in load_accounts():
        for step in kind.steps:
            if step.startswith(("Check the recovery email", "Change the password to one")):
                says_when = "a time" in step or "the timing" in step
                assert "may" in step and says_when, f"accounts {kind.id}: {step}"


def test_blocking_on_x_and_tiktok_says_what_a_block_does_not_cover() -> None:
    steps = dict(load_checklist().item("social.block-or-remove").steps)
    assert any("Protect your posts" in step for step in steps["x"])
    assert any("public posts" in step for step in steps["x"])
    assert any("group chats" in step and "duets" in step for step in steps["tiktok"])


def test_the_safe_connections_act_is_offered_for_shared_plans() -> None:
    plan_steps = " ".join(dict(load_checklist().item("location.shared-plans").steps)["general"])
    carrier_steps = " ".join(next(k for k in load_accounts() if k.id == "phone_carrier").steps)
    for text in (plan_steps, carrier_steps):
        assert "Safe Connections Act" in text
        assert "two business days" in text
        assert "free" in text
    hosts = {
        s.host
        for s in load_checklist().item("location.shared-plans").sources
        if is_official(s.host)
    }
    assert any(host.endswith("fcc.gov") for host in hosts)


def test_notes_speak_to_the_person_not_to_the_auditor() -> None:
    audit_words = ("checked", "stored copy", "copy of", "county", "source", "third-party")
    for resource in load_resources():
        note = (resource.note or "").lower()
        found = [word for word in audit_words if word in note]
        assert not found, f"resources {resource.id}: note reads like an audit trail ({found})"
