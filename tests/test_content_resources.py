"""The hotlines file loads, its facts are the ones we verified, and bad data is refused."""

from __future__ import annotations

import copy
import datetime
import tomllib
from importlib import resources as package_files
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetykit.content._files import ContentError
from safetykit.content.resources import (
    KINDS,
    TOPICS,
    Resource,
    load_resources,
    parse_resources,
    resource,
    resource_ids,
    urgent_resources,
)

TODAY = datetime.date(2026, 11, 24)


def _raw() -> dict[str, Any]:
    text = package_files.files("safetykit.content").joinpath("resources.toml").read_text("utf-8")
    return tomllib.loads(text)


def _good_entry() -> dict[str, Any]:
    return {
        "id": "example-line",
        "name": "Example line",
        "kind": "hotline",
        "regions": ["US"],
        "description": "Someone to talk to.",
        "phone": "1-800-555-0100",
        "topics": ["crisis"],
        "urgent": False,
        "sources": [{"url": "https://example.org/contact", "checked": datetime.date(2026, 1, 2)}],
    }


def _doc(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"schema": 1, "resources": list(entries) or [_good_entry()]}


# --- the real file --------------------------------------------------------------------


def test_real_file_loads_and_is_cached() -> None:
    first = load_resources()
    assert len(first) >= 10
    assert all(isinstance(item, Resource) for item in first)
    assert load_resources() is first


def test_required_services_are_listed_with_verified_numbers() -> None:
    assert resource("emergency-911").phone == "911"
    ndvh = resource("ndvh")
    assert (ndvh.phone, ndvh.tty, ndvh.text) == (
        "1-800-799-7233",
        "1-800-787-3224",
        "Text START to 88788",
    )
    lir = resource("loveisrespect")
    assert (lir.phone, lir.text) == ("1-866-331-9474", "Text LOVEIS to 22522")
    assert lir.chat is not None
    assert resource("lifeline-988").phone == "988"
    assert resource("lifeline-988").text == "Text 988"
    assert resource("crisis-text-line").text == "Text HOME to 741741"
    assert resource("rainn").phone == "1-800-656-4673"
    assert resource("ccri-helpline").phone == "1-844-878-2274"
    assert resource("stopncii").kind == "service"
    assert "stalking" in resource("sparc").topics
    assert resource("techsafety").url == "https://www.techsafety.org"


@pytest.mark.parametrize(
    ("resource_id", "phone", "regions"),
    [
        ("gb-999", "999", ("GB",)),
        ("gb-eng-domestic-abuse", "0808 2000 247", ("GB-ENG",)),
        ("gb-wls-live-fear-free", "0808 80 10 800", ("GB-WLS",)),
        ("gb-sct-domestic-abuse", "0800 027 1234", ("GB-SCT",)),
        ("gb-nir-domestic-abuse", "0808 802 1414", ("GB-NIR",)),
        ("gb-ie-samaritans", "116 123", ("GB", "IE")),
        ("gb-national-stalking-helpline", "0808 802 0300", ("GB-ENG", "GB-WLS")),
        ("gb-revenge-porn-helpline", "0345 6000 459", ("GB",)),
        ("ie-112", "112", ("IE",)),
        ("ie-womens-aid", "1800 341 900", ("IE",)),
        ("ca-988", "9-8-8", ("CA",)),
        ("ca-ab-family-violence-info-line", "310-1818", ("CA-AB",)),
        ("ca-bc-victimlinkbc", "1-800-563-0808", ("CA-BC",)),
        ("ca-mb-crisis-line", "1-877-977-0007", ("CA-MB",)),
        ("ca-nt-crisis-line", "1-866-223-7775", ("CA-NT",)),
        ("au-000", "000", ("AU",)),
        ("au-1800respect", "1800 737 732", ("AU",)),
        ("au-lifeline", "13 11 14", ("AU",)),
        ("nz-111", "111", ("NZ",)),
        ("nz-womens-refuge", "0800 733 843", ("NZ",)),
        ("nz-1737", "1737", ("NZ",)),
        ("nz-netsafe", "0508 638 723", ("NZ",)),
    ],
)
def test_numbers_outside_the_us_are_the_verified_ones(
    resource_id: str, phone: str, regions: tuple[str, ...]
) -> None:
    item = resource(resource_id)
    assert (item.phone, item.regions) == (phone, regions)


def test_new_fields_load_from_the_real_file() -> None:
    lifeline = resource("lifeline-988")
    assert (lifeline.hours, lifeline.languages) == ("24/7", ("English", "Spanish"))
    assert resource("ca-988").languages == ("English", "French")
    assert resource("nz-shine").check_first
    assert not resource("nz-womens-refuge").check_first
    assert resource("emergency-911").topics == ("emergency",)
    assert resource("stopncii").regions == ("*",)


def test_in_spanish_parses_and_is_optional() -> None:
    (parsed,) = parse_resources(_doc(_with(in_spanish="  Press 2 when you call.  ")), today=TODAY)
    assert parsed.in_spanish == "Press 2 when you call."
    (plain,) = parse_resources(_doc(), today=TODAY)
    assert plain.in_spanish is None


def test_the_us_lines_say_how_to_reach_them_in_spanish() -> None:
    assert resource("lifeline-988").in_spanish == (
        "Press 2 when you call 988, or text AYUDA to 988. The online chat answers in Spanish too."
    )
    assert "AYUDA to 741741" in (resource("crisis-text-line").in_spanish or "")
    assert "Spanish" in (resource("ndvh").in_spanish or "")
    assert "Spanish" in (resource("rainn").in_spanish or "")
    # Not confirmed on any page that could be read: left out rather than guessed.
    assert resource("loveisrespect").in_spanish is None
    for item in load_resources():
        if item.in_spanish:
            assert len(item.in_spanish) <= 140, item.id
            assert len(item.sources) >= 2, f"{item.id}: cite the page that says how, too"


def test_in_spanish_is_translated_like_the_other_fields() -> None:
    from safetykit.content.resources import TRANSLATED, translated
    from safetykit.i18n import recording

    assert "in_spanish" in TRANSLATED
    with recording() as found:
        translated(resource("lifeline-988"))
    assert ("resources:lifeline-988:in_spanish", resource("lifeline-988").in_spanish) in found


def test_withdrawn_lines_are_not_listed() -> None:
    everything = " ".join(
        " ".join(filter(None, (r.name, r.phone, r.text, r.tty, r.description)))
        for r in load_resources()
    )
    assert "273-8255" not in everything
    assert "273-TALK" not in everything
    assert "VictimConnect" not in everything
    assert "484-2846" not in everything
    assert "456-4566" not in everything  # Talk Suicide Canada, replaced by 9-8-8
    assert "917 1414" not in everything  # Women's Aid Northern Ireland's old helpline


def test_urgent_resources_are_in_file_order() -> None:
    urgent = urgent_resources()
    ids = [item.id for item in urgent]
    assert ids[:2] == ["emergency-911", "ndvh"]
    assert {"loveisrespect", "lifeline-988", "crisis-text-line"} <= set(ids)
    all_ids = [item.id for item in load_resources()]
    assert ids == [i for i in all_ids if i in set(ids)]
    assert all(item.urgent for item in urgent)


def test_every_entry_is_dated_sourced_and_reachable() -> None:
    for item in load_resources():
        assert item.source.startswith("https://")
        assert item.checked <= datetime.date.today()
        assert any((item.phone, item.text, item.chat, item.url)) or (
            item.kind == "emergency" and item.instruction
        )
        assert item.kind in KINDS
        assert set(item.topics) <= TOPICS


def test_unknown_id_raises_content_error() -> None:
    with pytest.raises(ContentError, match="no-such-line"):
        resource("no-such-line")


def test_resource_ids_matches_loaded_entries() -> None:
    assert resource_ids() == frozenset(r.id for r in load_resources())


def test_real_file_parses_the_same_through_parse_resources() -> None:
    assert parse_resources(_raw()) == load_resources()


# --- validation -----------------------------------------------------------------------


def test_good_minimal_document_parses() -> None:
    (parsed,) = parse_resources(_doc(), today=TODAY)
    assert parsed.id == "example-line"
    assert parsed.text is None
    assert parsed.topics == ("crisis",)
    assert parsed.regions == ("US",)
    assert (parsed.hours, parsed.languages, parsed.check_first) == (None, (), False)


def test_new_fields_parse() -> None:
    entry = _with(
        regions=["GB-SCT", "IE", "*"],
        hours="24/7",
        languages=["English", "Welsh"],
        check_first=True,
        topics=["emergency"],
    )
    (parsed,) = parse_resources(_doc(entry), today=TODAY)
    assert parsed.regions == ("GB-SCT", "IE", "*")
    assert parsed.region == "GB-SCT, IE, *"
    assert (parsed.hours, parsed.languages, parsed.check_first) == (
        "24/7",
        ("English", "Welsh"),
        True,
    )


_DROP = object()


def _with(**changes: Any) -> dict[str, Any]:
    entry = _good_entry()
    for key, value in changes.items():
        if value is _DROP:
            entry.pop(key)
        else:
            entry[key] = value
    return entry


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (_with(id=_DROP), "'id'"),
        (_with(id="Has Spaces"), "slug"),
        (_with(name=""), "'name'"),
        (_with(description="   "), "'description'"),
        (_with(kind="helpline"), "kind"),
        (_with(regions=["Mars"]), "regions"),
        (_with(regions=["gb-sct"]), "regions"),
        (_with(regions="US"), "regions"),
        (_with(regions=[]), "regions"),
        (_with(regions=_DROP), "regions"),
        (_with(regions=["US", "US"]), "repeated"),
        (_with(region="US"), "unknown field"),
        (_with(hours=""), "'hours'"),
        (_with(hours=24), "'hours'"),
        (_with(languages="English"), "languages"),
        (_with(languages=["English", "English"]), "repeated"),
        (_with(languages=[""]), "languages"),
        (_with(check_first="yes"), "check_first"),
        (_with(topics=["gardening"]), "topic"),
        (_with(topics=[]), "topics"),
        (_with(topics=["crisis", "crisis"]), "repeated"),
        (_with(urgent="yes"), "urgent"),
        (_with(sources=[{"url": "http://example.org", "checked": datetime.date(2026, 1, 2)}]),
         "https"),
        (_with(sources=_DROP), "'sources'"),
        (_with(sources=[]), "'sources'"),
        (_with(sources=[{"url": "https://example.org", "checked": "2026-01-02"}]), "checked"),
        (_with(sources=[{"url": "https://example.org",
                         "checked": datetime.datetime(2026, 1, 2, 3, 4)}]), "checked"),
        (_with(sources=[{"url": "https://example.org", "checked": datetime.date(2027, 1, 1)}]),
         "future"),
        (_with(phone=_DROP), "way to reach"),
        (_with(chat="http://chat.example.org"), "chat"),
        (_with(url="ftp://example.org"), "url"),
        (_with(phone=""), "'phone'"),
        (_with(notes="typo of note"), "unknown field"),
        (_with(in_spanish=""), "'in_spanish'"),
        (_with(in_spanish="   "), "'in_spanish'"),
        (_with(in_spanish=2), "'in_spanish'"),
        (_with(in_spanish=["Press 2"]), "'in_spanish'"),
        (_with(en_espanol="Press 2"), "unknown field"),
    ],
)
def test_each_rule_rejects_a_bad_entry(entry: dict[str, Any], message: str) -> None:
    with pytest.raises(ContentError, match=message):
        parse_resources(_doc(entry), today=TODAY)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"resources": [_good_entry()]}, "schema"),
        ({"schema": 2, "resources": [_good_entry()]}, "schema"),
        ({"schema": True, "resources": [_good_entry()]}, "schema"),
        ({"schema": 1}, "resources"),
        ({"schema": 1, "resources": []}, "resources"),
        ({"schema": 1, "resources": ["not a table"]}, "table"),
        ({"schema": 1, "resources": [_good_entry(), _good_entry()]}, "used twice"),
    ],
)
def test_each_rule_rejects_a_bad_document(document: dict[str, Any], message: str) -> None:
    with pytest.raises(ContentError, match=message):
        parse_resources(copy.deepcopy(document), today=TODAY)


# --- hostile input ----------------------------------------------------------------------

_FIELDS = sorted(
    {"id", "name", "kind", "regions", "description", "phone", "text", "tty", "chat", "url"}
    | {"topics", "urgent", "sources", "note", "hours", "languages", "check_first", "extra"}
    | {"in_spanish"}
)
_ANY = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.text(max_size=10),
        st.dates(),
        st.datetimes(),
        st.sampled_from(["crisis", "hotline", "US", "https://example.org"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)


@settings(max_examples=200, deadline=None)
@given(index=st.integers(0, 100), field=st.sampled_from(_FIELDS), value=_ANY, drop=st.booleans())
def test_random_field_changes_load_or_raise_content_error(
    index: int, field: str, value: Any, drop: bool
) -> None:
    document = _raw()
    entry = document["resources"][index % len(document["resources"])]
    if drop:
        entry.pop(field, None)
    else:
        entry[field] = value
    try:
        parsed = parse_resources(document)
    except ContentError:
        return
    assert all(isinstance(item, Resource) for item in parsed)
