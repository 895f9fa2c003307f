"""The checklist loads, has the shape the product needs, and bad data is refused cleanly."""

from __future__ import annotations

import copy
import datetime
import tomllib
from collections.abc import Callable
from importlib import resources as package_files
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetykit.content._files import ContentError
from safetykit.content.checklist import (
    GENERAL,
    Checklist,
    Item,
    load_checklist,
    parse_checklist,
)
from safetykit.content.resources import resource_ids

REQUIRED_SECTION_ORDER = [
    "contact",
    "social",
    "accounts",
    "location",
    "people",
    "show-up",
    "self-harm",
    "blackmail",
    "unsafe",
    "selfcare",
    "letting-go",
]


def _raw() -> dict[str, Any]:
    text = package_files.files("safetykit.content").joinpath("checklist.toml").read_text("utf-8")
    return tomllib.loads(text)


def _all_text(checklist: Checklist) -> list[str]:
    texts: list[str] = []
    for platform in checklist.platforms:
        texts.append(platform.label)
    for behaviour in checklist.behaviours:
        texts.append(behaviour.label)
    for section in checklist.sections:
        texts += [section.title, section.intro]
    for item in checklist.items:
        texts += [item.title, item.why]
        if item.caution:
            texts.append(item.caution)
        for _, steps in item.steps:
            texts += list(steps)
    return texts


# --- the real file --------------------------------------------------------------------


def test_real_file_loads_and_is_cached() -> None:
    checklist = load_checklist()
    assert isinstance(checklist, Checklist)
    assert load_checklist() is checklist
    assert parse_checklist(_raw()).for_region("US") == checklist


def test_size_is_in_the_planned_range() -> None:
    checklist = load_checklist()
    assert 45 <= len(checklist.items) <= 70
    assert len(checklist.behaviours) == 10


def test_required_sections_exist_in_order() -> None:
    ids = [section.id for section in load_checklist().sections]
    positions = [ids.index(section_id) for section_id in REQUIRED_SECTION_ORDER]
    assert positions == sorted(positions)


def test_sections_have_the_agreed_titles() -> None:
    checklist = load_checklist()
    assert checklist.section("contact").title == "Contact from your ex"
    assert checklist.section("social").title == "Social media"
    assert checklist.section("accounts").title == "Accounts and passwords"
    assert checklist.section("location").title == "Location, devices and shared things"
    assert checklist.section("people").title == "People around you"


def test_phones_and_big_apps_are_platforms() -> None:
    platforms = {p.id: p for p in load_checklist().platforms}
    assert platforms["iphone"].kind == "phone"
    assert platforms["android"].kind == "phone"
    for app in ("instagram", "facebook", "snapchat", "tiktok", "whatsapp", "x"):
        assert platforms[app].kind == "app"


def test_every_platform_is_used_by_some_item() -> None:
    checklist = load_checklist()
    used = {key for item in checklist.items for key, _ in item.steps}
    assert {p.id for p in checklist.platforms} <= used


def test_handoffs_point_to_passwords_plan_and_the_log() -> None:
    checklist = load_checklist()
    assert checklist.item("accounts.change-passwords").handoff == "passwords"
    assert checklist.item("unsafe.safety-plan").handoff == "plan"
    assert checklist.item("contact.save-evidence").handoff == "log"
    assert {i.handoff for i in checklist.items} == {None, "passwords", "plan", "log"}


def test_item_resources_resolve() -> None:
    from safetykit.content.resources import TOPICS

    known = resource_ids() | TOPICS
    for item in load_checklist().items:
        assert set(item.resources) <= known
    assert "stopncii" in load_checklist().item("blackmail.block-images").resources


def test_platform_steps_carry_sources_where_menus_were_checked() -> None:
    checklist = load_checklist()
    with_sources = [item for item in checklist.items if item.sources]
    assert len(with_sources) >= 15
    for item in with_sources:
        assert all(source.url.startswith("https://") for source in item.sources)


def test_no_stale_or_withdrawn_numbers_in_text() -> None:
    text = " ".join(_all_text(load_checklist()))
    assert "273-8255" not in text
    assert "VictimConnect" not in text


def test_text_is_written_in_short_sentences() -> None:
    # A crude guard on readability: no single step or explanation runs on too long.
    for text in _all_text(load_checklist()):
        assert len(text) <= 260, text


def test_item_lookup_and_sections() -> None:
    checklist = load_checklist()
    item = checklist.item("contact.block-number")
    assert item.section == "contact"
    contact_items = checklist.items_in("contact")
    assert item in contact_items
    assert all(i.section == "contact" for i in contact_items)
    ordered = [i for i in checklist.items if i.section == "contact"]
    assert list(contact_items) == ordered
    for bad in (lambda: checklist.item("contact.nope"), lambda: checklist.section("nope")):
        with pytest.raises(ContentError):
            bad()
    with pytest.raises(ContentError):
        checklist.items_in("nope")


def test_steps_for_keeps_general_and_chosen_platforms_in_file_order() -> None:
    item = load_checklist().item("contact.block-number")
    keys = [key for key, _ in item.steps]
    assert keys == ["general", "iphone", "android"]
    assert [k for k, _ in item.steps_for({"android"})] == ["general", "android"]
    assert [k for k, _ in item.steps_for(["iphone", "android"])] == keys
    assert [k for k, _ in item.steps_for(())] == ["general"]
    assert [k for k, _ in item.steps_for({"instagram"})] == ["general"]


def test_steps_for_on_an_item_without_general_steps() -> None:
    item = Item(
        id="a.b",
        section="a",
        title="t",
        why="w",
        steps=(("iphone", ("one",)), ("android", ("two",))),
        caution=None,
        resources=(),
        handoff=None,
        sources=(),
    )
    assert item.steps_for({"android"}) == (("android", ("two",)),)
    assert item.steps_for(set()) == ()


# --- validation with crafted documents ------------------------------------------------


def _valid() -> dict[str, Any]:
    return {
        "schema": 1,
        "platforms": [
            {"id": "iphone", "label": "iPhone", "kind": "phone"},
            {"id": "instagram", "label": "Instagram", "kind": "app"},
        ],
        "behaviours": [
            {"id": "calls", "label": "They keep calling", "sections": ["contact"]},
        ],
        "sections": [
            {"id": "contact", "title": "Contact", "intro": "Some calm words."},
            {"id": "people", "title": "People", "intro": "More calm words."},
        ],
        "items": [
            {
                "id": "contact.block",
                "section": "contact",
                "title": "Block them",
                "why": "It helps.",
                "caution": "Plan first.",
                "resources": ["ndvh"],
                "handoff": "plan",
                "sources": [{"url": "https://support.example.com/how",
                             "checked": datetime.date(2026, 1, 2)}],
                "steps": {"general": ["Do this."], "iphone": ["Tap that."]},
            },
            {
                "id": "people.tell",
                "section": "people",
                "title": "Tell someone",
                "why": "Support matters.",
                "steps": {"general": ["Talk to a friend."]},
            },
        ],
    }


def test_valid_crafted_document_parses() -> None:
    checklist = parse_checklist(_valid())
    assert [i.id for i in checklist.items] == ["contact.block", "people.tell"]
    block = checklist.item("contact.block")
    assert block.steps == (("general", ("Do this.",)), ("iphone", ("Tap that.",)))
    assert block.resources == ("ndvh",)
    assert checklist.item("people.tell").caution is None


Mutation = Callable[[dict[str, Any]], None]


def _set(path: tuple[Any, ...], value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple[Any, ...]) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _append(key: str, value: Any) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        doc[key].append(value)

    return mutate


def _append_source() -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        sources = doc["items"][0]["sources"]
        sources.append(copy.deepcopy(sources[0]))

    return mutate


def _duplicate(key: str, index: int) -> Mutation:
    def mutate(doc: dict[str, Any]) -> None:
        doc[key].append(copy.deepcopy(doc[key][index]))

    return mutate


BAD_DOCUMENTS: list[tuple[str, Mutation, str]] = [
    ("schema missing", _delete(("schema",)), "schema"),
    ("schema wrong", _set(("schema",), 2), "schema"),
    ("schema is a boolean", _set(("schema",), True), "schema"),
    ("unknown top-level key", _set(("extras",), []), "unknown field"),
    ("no items", _delete(("items",)), r"\[\[items\]\]"),
    ("duplicate item id", _duplicate("items", 0), "item id 'contact.block' is used twice"),
    ("duplicate section id", _duplicate("sections", 0), "section id 'contact' is used twice"),
    ("duplicate platform id", _duplicate("platforms", 0), "platform id 'iphone' is used twice"),
    ("duplicate behaviour id", _duplicate("behaviours", 0), "behaviour id 'calls' is used twice"),
    ("item id without a dot", _set(("items", 0, "id"), "contact-block"), "section-id.slug"),
    ("item id with capitals", _set(("items", 0, "id"), "contact.Block"), "section-id.slug"),
    ("item id in wrong section", _set(("items", 0, "id"), "people.block"), "start with"),
    ("item section unknown", _set(("items", 0, "section"), "nowhere"), "does not exist"),
    ("step key unknown", _set(("items", 0, "steps", "nokia"), ["x"]), "known platform"),
    ("steps empty", _set(("items", 0, "steps"), {}), "at least one"),
    ("steps missing", _delete(("items", 0, "steps")), "steps"),
    ("step list empty", _set(("items", 0, "steps", "general"), []), "non-empty list"),
    ("step text empty", _set(("items", 0, "steps", "general"), ["  "]), "non-empty string"),
    ("step not a string", _set(("items", 0, "steps", "general"), [3]), "non-empty string"),
    ("resource unknown", _set(("items", 0, "resources"), ["no-such-line"]), "resources.toml"),
    ("handoff unknown", _set(("items", 0, "handoff"), "audit"), "handoff"),
    ("source not https",
     _set(("items", 0, "sources", 0, "url"), "http://example.org"), "https"),
    ("source a bare string", _set(("items", 0, "sources"), ["https://example.org"]), "table"),
    ("source without a date", _delete(("items", 0, "sources", 0, "checked")), "'checked'"),
    ("source checked in the future",
     _set(("items", 0, "sources", 0, "checked"), datetime.date(2999, 1, 1)), "future"),
    ("third party without why", _set(("items", 0, "sources", 0, "third_party"), True), "'why'"),
    ("why without third party", _set(("items", 0, "sources", 0, "why"), "x"), "third_party"),
    ("source repeated", _append_source(), "repeated"),
    ("caution empty", _set(("items", 0, "caution"), ""), "'caution'"),
    ("title empty", _set(("items", 0, "title"), ""), "'title'"),
    ("why missing", _delete(("items", 0, "why")), "'why'"),
    ("unknown item field", _set(("items", 0, "notes"), "x"), "unknown field"),
    ("item not a table", _set(("items", 0), "contact.block"), "table"),
    ("behaviour section unknown", _set(("behaviours", 0, "sections"), ["gone"]), "not exist"),
    ("behaviour sections empty", _set(("behaviours", 0, "sections"), []), "non-empty list"),
    ("behaviour label empty", _set(("behaviours", 0, "label"), ""), "'label'"),
    (
        "section without items",
        _append("sections", {"id": "x", "title": "X", "intro": "Y"}),
        "no items",
    ),
    ("section intro empty", _set(("sections", 0, "intro"), ""), "'intro'"),
    ("section id not a slug", _set(("sections", 1, "id"), "People!"), "slug"),
    ("platform kind unknown", _set(("platforms", 0, "kind"), "tablet"), "kind"),
    ("platform called general", _set(("platforms", 0, "id"), GENERAL), "reserved"),
    ("platform label empty", _set(("platforms", 1, "label"), ""), "'label'"),
]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [pytest.param(m, msg, id=name) for name, m, msg in BAD_DOCUMENTS],
)
def test_each_rule_rejects_a_crafted_bad_document(mutate: Mutation, message: str) -> None:
    document = _valid()
    mutate(document)
    with pytest.raises(ContentError, match=message):
        parse_checklist(document)


def test_a_non_mapping_document_is_refused() -> None:
    with pytest.raises(ContentError):
        parse_checklist([])  # type: ignore[arg-type]


# --- hostile input: random mutations never escape as another exception -----------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["general", "iphone", "contact", "ndvh", "passwords", "", "contact.x"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=6), inner, max_size=3),
    ),
    max_leaves=6,
)


def _mutate_somewhere(data: st.DataObject, document: Any) -> Any:
    """Walk into the document at random and change one thing there."""
    if isinstance(document, dict) and document and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(document, key=str)))
        document[key] = _mutate_somewhere(data, document[key])
        return document
    if isinstance(document, list) and document and data.draw(st.booleans()):
        index = data.draw(st.integers(0, len(document) - 1))
        document[index] = _mutate_somewhere(data, document[index])
        return document
    action = data.draw(st.sampled_from(["replace", "drop", "add"]))
    if action == "drop" and isinstance(document, dict) and document:
        del document[data.draw(st.sampled_from(sorted(document, key=str)))]
        return document
    if action == "drop" and isinstance(document, list) and document:
        del document[data.draw(st.integers(0, len(document) - 1))]
        return document
    if action == "add" and isinstance(document, dict):
        document[data.draw(st.text(max_size=8))] = data.draw(_values)
        return document
    if action == "add" and isinstance(document, list):
        document.append(data.draw(_values))
        return document
    return data.draw(_values)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_mutations_of_the_real_file_load_or_raise_content_error(
    data: st.DataObject,
) -> None:
    document = _mutate_somewhere(data, _raw())
    try:
        result = parse_checklist(document)
    except ContentError:
        return
    assert isinstance(result, Checklist)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_random_mutations_of_a_small_document_load_or_raise_content_error(
    data: st.DataObject,
) -> None:
    document = _mutate_somewhere(data, _valid())
    try:
        result = parse_checklist(document)
    except ContentError:
        return
    assert isinstance(result, Checklist)
