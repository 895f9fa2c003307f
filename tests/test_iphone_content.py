"""The iPhone check's content loads, rests on Apple's own pages, and bad data is refused cleanly."""

from __future__ import annotations

import copy
import datetime
import tomllib
from importlib import resources as package_files
from typing import Any

import pytest

from safetykit.content._files import ContentError
from safetykit.content._validate import NotInContentError, is_official
from safetykit.content.iphone import STEP_KEYS, is_apple, load_iphone, load_raw_iphone, parse_iphone
from safetykit.i18n import recording
from tests.test_content_spelling import british_words

TODAY = datetime.date(2026, 11, 26)
TOPICS = {
    "safety-check", "profiles", "account-devices", "location-sharing", "family-sharing",
    "passcode", "apps-jailbreak",
}


def raw() -> dict[str, Any]:
    text = package_files.files("safetykit.content").joinpath("iphone.toml").read_text("utf-8")
    return tomllib.loads(text)


def refused(data: dict[str, Any]) -> str:
    with pytest.raises(ContentError) as caught:
        parse_iphone(data, today=TODAY)
    return str(caught.value)


# ── the shipped file ──────────────────────────────────────────────────────────────────────────


def test_the_shipped_file_loads_with_every_topic() -> None:
    check = load_raw_iphone()
    assert {s.id for s in check.steps} == TOPICS
    assert check.intro and check.title
    for step in check.steps:
        assert step.steps and step.found and step.if_found and step.caution


def test_every_step_has_an_apple_source_and_every_source_is_official() -> None:
    for step in load_raw_iphone().steps:
        assert any(s.host.endswith("apple.com") for s in step.sources), step.id
        assert any(is_apple(s) for s in step.sources), step.id
        for source in step.sources:
            assert is_official(source.host) and not source.third_party, (step.id, source.url)
            assert source.url.startswith("https://")
            assert datetime.date(2024, 1, 1) <= source.checked <= datetime.date.today()
            for locale in ("/id-id/", "/en-ca/", "/en-gb/", "/de-ch/", "/es/", "/fr/"):
                assert locale not in source.url, f"{step.id}: {source.url} is not the main page"


def test_the_check_says_what_it_cannot_prove_and_to_keep_evidence_first() -> None:
    check = load_raw_iphone()
    intro = " ".join(check.intro)
    assert "No check" in intro and "prove a phone is clean" in intro
    assert "Keep evidence first" in intro and "incident log" in intro
    assert "No check proves a phone is clean" in check.step("apps-jailbreak").caution
    assert "Quick Exit" in " ".join(check.step("safety-check").steps)
    assert "VPN & Device Management" in " ".join(check.step("profiles").steps)
    assert "Cydia" in " ".join(check.step("apps-jailbreak").steps)
    # Removing things can alert the ex: each step that removes something says so.
    for step_id in ("profiles", "account-devices", "location-sharing", "family-sharing",
                    "apps-jailbreak"):
        caution = check.step(step_id).caution.lower()
        assert "screenshot" in caution or "photograph" in caution, step_id


def test_no_step_is_regional_or_in_british_spelling() -> None:
    check = load_raw_iphone()
    texts = [check.title, *check.intro]
    for step in check.steps:
        texts += [step.title, *step.steps, step.found, step.if_found, step.caution]
    for text in texts:
        assert "{" not in text, text  # no place's terms: region-neutral
        assert not british_words(text), text
    for word in ("911", "999", "attorney", "county"):
        assert all(word not in text for text in texts), word


def test_an_unknown_step_is_not_in_the_content() -> None:
    with pytest.raises(NotInContentError):
        load_raw_iphone().step("no-such-step")


def test_every_text_goes_through_translation_with_its_own_context() -> None:
    with recording() as found:
        load_raw_iphone().translated()
    contexts = {context for context, _text in found}
    assert all(c.startswith("iphone:") for c in contexts)
    for step in load_raw_iphone().steps:
        for name in ("title", "steps", "found", "if_found", "caution"):
            assert f"iphone:{step.id}:{name}" in contexts
    assert {"iphone:intro:title", "iphone:intro:lines"} <= contexts
    assert load_iphone() == load_raw_iphone()  # English: the words as written


def test_the_catalogue_extraction_includes_the_iphone_check() -> None:
    from tools.i18n import content_messages

    contexts = {context for context, _text in content_messages()}
    assert "iphone:safety-check:caution" in contexts


# ── bad data is refused, naming where ─────────────────────────────────────────────────────────


def test_the_good_file_parses_with_a_fixed_day() -> None:
    assert len(parse_iphone(raw(), today=TODAY).steps) == len(TOPICS)


@pytest.mark.parametrize("name", STEP_KEYS)
def test_a_missing_step_field_is_named(name: str) -> None:
    data = raw()
    del data["steps"][1][name]
    message = refused(data)
    assert "steps[1]" in message and repr(name) in message


@pytest.mark.parametrize("name", ["title", "found", "if_found", "caution"])
def test_an_empty_text_is_refused(name: str) -> None:
    data = raw()
    data["steps"][0][name] = "   "
    assert name in refused(data)


def test_a_source_off_the_allow_list_is_refused() -> None:
    data = raw()
    data["steps"][2]["sources"].append(
        {"url": "https://www.example-blog.com/iphone-tips", "checked": TODAY}
    )
    message = refused(data)
    assert "account-devices" in message and "allow-list" in message


def test_a_look_alike_apple_host_is_refused() -> None:
    data = raw()
    data["steps"][0]["sources"] = [{"url": "https://support.apple.com.evil.example/x",
                                    "checked": TODAY}]
    assert "allow-list" in refused(data)


def test_a_third_party_source_is_refused_even_with_a_why() -> None:
    data = raw()
    data["steps"][0]["sources"].append({"url": "https://www.techsafety.org/x", "checked": TODAY,
                                        "third_party": True, "why": "a clinic's own notes on it"})
    assert "allow-list" in refused(data)


def test_an_official_page_that_is_not_apples_is_not_enough_on_its_own() -> None:
    data = raw()
    data["steps"][3]["sources"] = [{"url": "https://support.google.com/android/answer/1",
                                    "checked": TODAY}]
    assert "apple.com" in refused(data)


def test_a_step_with_no_sources_is_refused() -> None:
    data = raw()
    data["steps"][0]["sources"] = []
    assert "sources" in refused(data)


def test_a_source_needs_a_checked_day_not_in_the_future() -> None:
    data = raw()
    del data["steps"][0]["sources"][0]["checked"]
    assert "checked" in refused(data)
    data = raw()
    data["steps"][0]["sources"][0]["checked"] = TODAY + datetime.timedelta(days=1)
    assert "future" in refused(data)


def test_a_plain_http_source_is_refused() -> None:
    data = raw()
    data["steps"][0]["sources"][0]["url"] = "http://support.apple.com/en-us/HT205064"
    assert "https" in refused(data)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda d: d.update(schema=2), "schema"),
        (lambda d: d.update(extra=1), "unknown field"),
        (lambda d: d["steps"][0].update(colour="red"), "unknown field"),
        (lambda d: d["steps"][1].update(id=d["steps"][0]["id"]), "used twice"),
        (lambda d: d["steps"][0].update(id="Safety Check"), "slug"),
        (lambda d: d["steps"][0].update(steps=[]), "steps"),
        (lambda d: d["steps"][0].update(steps=["Same", "Same"]), "repeated"),
        (lambda d: d.update(steps=[]), "steps"),
        (lambda d: d["intro"].pop("lines"), "lines"),
        (lambda d: d.pop("intro"), "intro"),
    ],
)
def test_broken_shapes_are_refused(change: Any, says: str) -> None:
    data = copy.deepcopy(raw())
    change(data)
    assert says in refused(data)
