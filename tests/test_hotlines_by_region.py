"""Every place safetykit knows gets help that works there (issue 14): an emergency entry first,
a crisis line and a domestic abuse line on the "talk to someone now" screen, numbers that look like
numbers, no US number where it does not work, nothing withdrawn, and nothing checked so long ago
that a person could be the first to find out it is wrong."""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator

import pytest

from safetykit.cli.app import run
from safetykit.content.regions import EVERYWHERE, every_region, load_places
from safetykit.content.resources import (
    STALE_AFTER,
    Resource,
    load_resources,
    resource,
    urgent_resources,
)

REGIONS = list(every_region())

WITHDRAWN = {
    "18002738255": "the pre-2022 US suicide line (now 988)",
    "18334564566": "Talk Suicide Canada (now 9-8-8)",
    "08009171414": "Women's Aid Northern Ireland's old helpline (now 0808 802 1414)",
    "18554842846": "VictimConnect, reported shut down in April 2025",
}
"""Numbers that are withdrawn or replaced, as digits: a person must never be sent to them."""

WITHDRAWN_WORDS = ("273-TALK", "VictimConnect", "Talk Suicide Canada 1-833")

_NUMBER = re.compile(r"\+?\d[\d\s().\u2011-]{4,}\d")
_PHONE = re.compile(r"^\+?\d(?:[ -]?\d)*$")


def numbers_in(text: str) -> set[str]:
    """Each phone-number-like run in ``text``, as digits only."""
    return {re.sub(r"\D", "", match) for match in _NUMBER.findall(text)}


def person_texts(item: Resource) -> Iterator[str]:
    """Everything about an entry that a person reads or dials."""
    for value in (item.name, item.description, item.phone, item.text, item.tty, item.chat,
                  item.url, item.note, item.hours, item.in_spanish):
        if value:
            yield value


def withdrawn_in(item: Resource) -> list[str]:
    found = []
    for value in person_texts(item):
        for digits in numbers_in(value):
            for number, what in WITHDRAWN.items():
                if number in digits:
                    found.append(f"{value!r}: {what}")
        found.extend(f"{value!r}: {word}" for word in WITHDRAWN_WORDS if word in value)
    return found


# --- every place gets the help it needs -------------------------------------------------------


def test_every_place_is_checked() -> None:
    assert {"US", "GB-ENG", "GB-WLS", "GB-SCT", "GB-NIR", "IE", "AU", "NZ", "ES", "MX",
            "ZZ"} <= set(REGIONS)
    assert len([code for code in REGIONS if code.startswith("CA-")]) == 13


@pytest.mark.parametrize("code", REGIONS)
def test_the_emergency_entry_comes_first_and_only_once(code: str) -> None:
    urgent = urgent_resources(code)
    assert urgent, f"{code}: the 'talk to someone now' screen would be empty"
    emergencies = [item for item in urgent if item.kind == "emergency"]
    assert len(emergencies) == 1, f"{code}: {[item.id for item in emergencies]}"
    first = urgent[0]
    assert first.kind == "emergency", f"{code}: {first.id} comes before the emergency entry"
    assert "emergency" in first.topics
    assert first.note, f"{code}: say what to do if you cannot speak or where it does not work"


@pytest.mark.parametrize("code", REGIONS)
def test_every_place_has_a_crisis_line(code: str) -> None:
    lines = [
        item.id
        for item in urgent_resources(code)
        if item.kind != "emergency" and {"crisis", "suicide"} & set(item.topics)
    ]
    assert lines, f"{code}: no crisis or suicide line on the 'talk to someone now' screen"


@pytest.mark.parametrize("code", [code for code in REGIONS if code != "ZZ"])
def test_every_place_has_a_domestic_abuse_line(code: str) -> None:
    lines = [item.id for item in urgent_resources(code) if "abuse" in item.topics]
    assert lines, f"{code}: no domestic abuse line on the 'talk to someone now' screen"


def test_somewhere_else_gets_only_help_that_works_anywhere() -> None:
    urgent = urgent_resources("ZZ")
    emergency = urgent[0]
    assert emergency.phone is None
    assert emergency.instruction is not None
    assert "local emergency number" in emergency.instruction
    for item in load_resources():
        if "ZZ" in item.regions or EVERYWHERE in item.regions:
            assert item.phone is None, f"{item.id}: a phone number does not work everywhere"


def test_canada_says_it_has_no_national_domestic_violence_line() -> None:
    shelters = resource("ca-sheltersafe")
    assert shelters.regions == ("CA",)
    assert shelters.note is not None
    assert "no national domestic violence line" in shelters.note


def test_nunavut_is_not_told_to_call_911() -> None:
    (emergency, *_) = urgent_resources("CA-NU")
    assert emergency.id == "ca-nu-emergency"
    assert "911" not in (emergency.phone or "")
    assert resource("ca-911").phone == "911"
    assert "CA-NU" not in resource("ca-911").regions


@pytest.mark.parametrize(
    ("resource_id", "words"),
    [
        ("gb-999", ("press 55", "does not tell the police where you are", "emergencySMS")),
        ("au-000", ("cannot text 000", "106", "press 55")),
        ("nz-111", ("press 55", "registered")),
        ("ie-112", ("text 112",)),
        ("ca-911", ("registered",)),
        ("emergency-911", ("Texting 911 does not work everywhere",)),
        ("es-112", ("AlertCops", "cannot speak")),
        ("mx-911", ("silent call",)),
    ],
)
def test_emergency_notes_say_what_to_do_if_you_cannot_speak(
    resource_id: str, words: tuple[str, ...]
) -> None:
    note = resource(resource_id).note or ""
    for word in words:
        assert word in note, f"{resource_id}: say {word!r}"


@pytest.mark.parametrize(
    ("code", "ids"),
    [
        ("ES", ["es-112", "es-016", "es-024"]),
        ("MX", ["mx-911", "mx-linea-de-las-mujeres", "mx-linea-de-la-vida"]),
    ],
)
def test_spain_and_mexico_get_their_own_lines(code: str, ids: list[str]) -> None:
    urgent = [item.id for item in urgent_resources(code)]
    assert urgent == ids
    assert not {"emergency-911", "ndvh", "lifeline-988", "gb-ie-samaritans"} & set(urgent)


def test_016_says_it_stays_in_the_call_log() -> None:
    line = resource("es-016")
    note = line.note or ""
    assert "does not show on your phone bill" in note
    assert "delete it from the call log" in note
    assert (line.phone, line.tty, line.hours) == ("016", "900 116 016", "24/7")
    assert "600 000 016" in note and "016-online@igualdad.gob.es" in note


def test_lines_seen_only_in_news_say_check_first() -> None:
    for resource_id in ("es-024", "mx-linea-de-las-mujeres", "mx-linea-de-la-vida"):
        assert resource(resource_id).check_first, resource_id
    assert "option 1" in resource("mx-linea-de-las-mujeres").name
    assert not resource("es-016").check_first and not resource("mx-911").check_first


def test_take_it_down_is_for_images_taken_under_18_and_stopncii_for_adults() -> None:
    assert "before you were 18" in resource("take-it-down").description
    assert resource("take-it-down").regions == (EVERYWHERE,)
    assert "adults" in resource("stopncii").description


# --- the details are current and safe to show -------------------------------------------------


@pytest.mark.parametrize("item", load_resources(), ids=lambda item: item.id)
def test_every_entry_was_checked_within_the_last_year(item: Resource) -> None:
    age = datetime.date.today() - item.checked
    assert age <= STALE_AFTER, (
        f"{item.id}: last checked {item.checked.isoformat()}, {age.days} days ago; check it "
        "again on the owner's page before a person finds it is wrong"
    )


def test_the_freshness_check_fails_on_an_old_date() -> None:
    old = datetime.date.today() - STALE_AFTER - datetime.timedelta(days=1)
    assert datetime.date.today() - old > STALE_AFTER


@pytest.mark.parametrize("item", load_resources(), ids=lambda item: item.id)
def test_no_withdrawn_number_is_shown(item: Resource) -> None:
    found = withdrawn_in(item)
    assert not found, f"{item.id}: {found}"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Call 1-800-273-8255", True),
        ("1 (800) 273 8255", True),
        ("Talk Suicide Canada 1-833-456-4566", True),
        ("call 0800 917 1414", True),
        ("call 0808 802 1414", False),
        ("Call 988", False),
        ("1-855-484-2846", True),
    ],
)
def test_the_deny_list_catches_withdrawn_numbers_however_written(text: str, found: bool) -> None:
    digits = numbers_in(text)
    assert any(number in d for d in digits for number in WITHDRAWN) is found


_US_ONLY = (
    # (what is looked for, where it works)
    ("911", {"US", "CA", "MX"}),
    ("988", {"US"}),
    ("1-800-", {"US", "CA"}),
)


@pytest.mark.parametrize("code", REGIONS)
def test_no_us_number_where_it_does_not_work(code: str) -> None:
    country = load_places().get(code).country
    for item in urgent_resources(code):
        for value in (item.phone, item.text, item.tty, item.name):
            for number, works_in in _US_ONLY:
                if value and country not in works_in:
                    assert number not in value, f"{code}: {item.id} shows {value!r}"


@pytest.mark.parametrize("item", load_resources(), ids=lambda item: item.id)
def test_phone_numbers_look_like_phone_numbers(item: Resource) -> None:
    for name, value in (("phone", item.phone), ("tty", item.tty)):
        if value is None:
            continue
        assert _PHONE.match(value), f"{item.id}: {name} {value!r} is not a number to dial"
        assert 3 <= len(re.sub(r"\D", "", value)) <= 15, f"{item.id}: {name} {value!r}"
    if item.text is not None:
        if item.kind == "emergency" and item.phone is None:
            assert item.text.startswith("Call your"), f"{item.id}: {item.text!r}"
        else:
            assert item.text.startswith("Text "), f"{item.id}: {item.text!r}"
            assert re.search(r"\d", item.text), f"{item.id}: {item.text!r} has no number"


@pytest.mark.parametrize("item", load_resources(), ids=lambda item: item.id)
def test_regions_name_places_safetykit_knows(item: Resource) -> None:
    known = {place.code for place in load_places().places}
    for pattern in item.regions:
        assert pattern == EVERYWHERE or pattern in known, f"{item.id}: {pattern!r}"


@pytest.mark.parametrize(
    "item", [item for item in load_resources() if item.check_first], ids=lambda item: item.id
)
def test_check_first_says_what_to_check(item: Resource) -> None:
    assert item.note is not None, f"{item.id}: say what to check, in plain words"
    assert "check" in item.note.lower(), f"{item.id}: {item.note!r}"


def test_hours_and_languages_are_short_and_plain() -> None:
    for item in load_resources():
        if item.hours is not None:
            assert len(item.hours) <= 60, item.id
        for language in item.languages:
            assert language[:1].isupper() and len(language) <= 30, (item.id, language)


# --- what scripts get ---------------------------------------------------------------------------

JSON_KEYS = {"name", "call", "text", "chat", "hours", "languages", "region", "checked", "source"}


@pytest.mark.parametrize("code", REGIONS)
def test_hotlines_json_for_each_place(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--region", code, "hotlines", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert isinstance(found, list)
    assert [entry["name"] for entry in found] == [item.name for item in urgent_resources(code)]
    for entry in found:
        missing = JSON_KEYS - set(entry)
        assert not missing, sorted(missing)
        assert isinstance(entry["languages"], list)
        assert isinstance(entry["region"], list)
        assert entry["region"]
        assert datetime.date.fromisoformat(entry["checked"]) <= datetime.date.today()
        assert entry["source"].startswith("https://")
        assert any(entry[key] for key in ("call", "text", "chat", "instruction")) or entry.get(
            "url"
        )
    assert found[0]["name"] == urgent_resources(code)[0].name
