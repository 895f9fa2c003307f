"""The safety checklist, read from ``checklist.toml`` and validated.

The checklist has platforms (phones and apps that steps can be split by), behaviours (what
the ex is doing, in the person's own words, each pointing at the sections that help), sections,
and items. Each item has steps under "general" and, where they differ, under a platform id.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from safetykit.content import _validate as check
from safetykit.content._files import ContentError, read_toml
from safetykit.content._validate import NotInContentError, Source
from safetykit.content.regions import (
    Text,
    applies,
    current_region,
    fill_checked,
    localize,
    parse_regional_list,
    region_patterns,
    terms_for,
)
from safetykit.content.resources import TOPICS, resource_ids
from safetykit.i18n import content, current_language

FILE_NAME = "checklist.toml"
SCHEMA = 1
GENERAL = "general"
PLATFORM_KINDS = frozenset({"phone", "app"})
HANDOFFS = frozenset({"passwords", "plan", "log"})

_ITEM_ID = re.compile(r"^[a-z0-9-]+\.[a-z0-9-]+$")
_TOP_KEYS = frozenset({"schema", "platforms", "behaviours", "sections", "items"})
_PLATFORM_KEYS = frozenset({"id", "label", "kind"})
_BEHAVIOUR_KEYS = frozenset({"id", "label", "sections"})
_SECTION_KEYS = frozenset({"id", "title", "intro"})
_ITEM_KEYS = frozenset(
    {"id", "section", "title", "why", "steps", "caution", "resources", "handoff", "sources",
     "regions"}
)

Steps = tuple[tuple[str, tuple[str, ...]], ...]
RawSteps = tuple[tuple[str, tuple[Text, ...]], ...]


@dataclass(frozen=True)
class Platform:
    """A phone or app that "show me how" steps can be split by."""

    id: str
    label: str
    kind: str


@dataclass(frozen=True)
class Behaviour:
    """Something the ex is doing, in the person's words, and the sections that help."""

    id: str
    label: str
    sections: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """A group of checklist items."""

    id: str
    title: str
    intro: str


@dataclass(frozen=True)
class Item:
    """One thing a person can do, with steps per platform."""

    id: str
    section: str
    title: str
    why: str
    steps: Steps
    caution: str | None
    resources: tuple[str, ...]
    """Resource ids, or topics (``"abuse"``, ``"emergency"``…): the region's lines for them."""
    handoff: str | None
    sources: tuple[Source, ...]
    regions: tuple[str, ...] = ()
    """Where the item applies (empty: everywhere)."""
    raw_steps: RawSteps = ()
    """The steps as written, before the place is chosen (``steps`` is for the place)."""

    def steps_for(self, platforms: Collection[str]) -> Steps:
        """The general steps, plus the steps for the given platforms, in file order."""
        return tuple(
            (key, steps) for key, steps in self.steps if key == GENERAL or key in platforms
        )


@dataclass(frozen=True)
class Checklist:
    """The whole checklist, in file order."""

    platforms: tuple[Platform, ...]
    behaviours: tuple[Behaviour, ...]
    sections: tuple[Section, ...]
    items: tuple[Item, ...]

    def item(self, item_id: str) -> Item:
        """The item with this id; ``NotInContentError`` if there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise NotInContentError(f"{FILE_NAME}: no item with id {item_id!r}")

    def items_in(self, section_id: str) -> tuple[Item, ...]:
        """The items of one section, in file order; ``ContentError`` for an unknown section."""
        self.section(section_id)
        return tuple(item for item in self.items if item.section == section_id)

    def section(self, section_id: str) -> Section:
        """The section with this id; ``NotInContentError`` if there is none."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise NotInContentError(f"{FILE_NAME}: no section with id {section_id!r}")

    def for_region(self, region: str) -> Checklist:
        """The checklist for one place: items that apply there, its terms filled in everywhere
        ("call {emergency}"), and sections left with no item dropped."""
        terms = terms_for(region)

        def f(context: str, text: str) -> str:
            return fill_checked(content(context, text), terms, f"{FILE_NAME} ({region})")

        items = tuple(
            dataclasses.replace(
                item,
                title=f(f"checklist:item.{item.id}:title", item.title),
                why=f(f"checklist:item.{item.id}:why", item.why),
                caution=f(f"checklist:item.{item.id}:caution", item.caution)
                if item.caution else None,
                steps=tuple(
                    (key, found) for key, raw in item.raw_steps
                    if (found := localize(raw, region, terms, "checklist:steps"))
                ),
            )
            for item in self.items
            if not item.regions or applies(item.regions, region)
        )
        used = {item.section for item in items}
        return Checklist(
            platforms=tuple(
                dataclasses.replace(p, label=f(f"checklist:platform.{p.id}:label", p.label))
                for p in self.platforms
            ),
            behaviours=tuple(
                dataclasses.replace(b, label=f(f"checklist:behaviour.{b.id}:label", b.label))
                for b in self.behaviours
            ),
            sections=tuple(
                dataclasses.replace(
                    s, title=f(f"checklist:section.{s.id}:title", s.title),
                    intro=f(f"checklist:section.{s.id}:intro", s.intro),
                )
                for s in self.sections if s.id in used
            ),
            items=items,
        )


# --- small validators -------------------------------------------------------------------


def _table(value: Any, where: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    return check.table(value, where, allowed)


def _text(found: Mapping[str, Any], key: str, where: str) -> str:
    return check.text(found.get(key), where, key)


def _slug(found: Mapping[str, Any], where: str) -> str:
    return check.slug(found.get("id"), where)


def _list_of_text(value: Any, where: str, key: str, *, allow_empty: bool) -> tuple[str, ...]:
    return check.texts(value, where, key, allow_empty=allow_empty)


def _array(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise ContentError(f"{FILE_NAME}: needs a non-empty [[{key}]] list")
    return value


def _unique(ids: list[str], what: str) -> None:
    check.unique(ids, FILE_NAME, what)


# --- the parts ----------------------------------------------------------------------------


def _platform(entry: Any, index: int) -> Platform:
    where = f"{FILE_NAME}: platforms[{index}]"
    table = _table(entry, where, _PLATFORM_KEYS)
    platform_id = _slug(table, where)
    if platform_id == GENERAL:
        raise ContentError(f"{where}: {GENERAL!r} is reserved for steps that fit every platform")
    kind = _text(table, "kind", where)
    if kind not in PLATFORM_KINDS:
        raise ContentError(f"{where}: kind {kind!r} is not one of {sorted(PLATFORM_KINDS)}")
    return Platform(id=platform_id, label=_text(table, "label", where), kind=kind)


def _section(entry: Any, index: int) -> Section:
    where = f"{FILE_NAME}: sections[{index}]"
    table = _table(entry, where, _SECTION_KEYS)
    return Section(
        id=_slug(table, where),
        title=_text(table, "title", where),
        intro=_text(table, "intro", where),
    )


def _behaviour(entry: Any, index: int, section_ids: frozenset[str]) -> Behaviour:
    where = f"{FILE_NAME}: behaviours[{index}]"
    table = _table(entry, where, _BEHAVIOUR_KEYS)
    behaviour_id = _slug(table, where)
    where = f"{FILE_NAME}: behaviour {behaviour_id!r}"
    sections = _list_of_text(table.get("sections"), where, "sections", allow_empty=False)
    for section_id in sections:
        if section_id not in section_ids:
            raise ContentError(f"{where}: section {section_id!r} does not exist")
    return Behaviour(id=behaviour_id, label=_text(table, "label", where), sections=sections)


def _steps(value: Any, where: str, platform_ids: frozenset[str]) -> RawSteps:
    if not isinstance(value, Mapping) or not value:
        raise ContentError(f"{where}: 'steps' must be a table with at least one list of steps")
    parsed: list[tuple[str, tuple[Text, ...]]] = []
    for key, steps in value.items():
        if not isinstance(key, str) or (key != GENERAL and key not in platform_ids):
            raise ContentError(
                f"{where}: steps key {key!r} must be {GENERAL!r} or a known platform id"
            )
        parsed.append((key, parse_regional_list(steps, where, f"steps.{key}")))
    return tuple(parsed)


def _item(  # noqa: PLR0917 (the parts already read, passed in)
    entry: Any,
    index: int,
    section_ids: frozenset[str],
    platform_ids: frozenset[str],
    known_resources: frozenset[str],
    today: datetime.date,
) -> Item:
    where = f"{FILE_NAME}: items[{index}]"
    table = _table(entry, where, _ITEM_KEYS)
    item_id = _text(table, "id", where)
    where = f"{FILE_NAME}: item {item_id!r}"
    if not _ITEM_ID.match(item_id):
        raise ContentError(f"{where}: id must look like 'section-id.slug'")
    section_id = _text(table, "section", where)
    if section_id not in section_ids:
        raise ContentError(f"{where}: section {section_id!r} does not exist")
    if not item_id.startswith(section_id + "."):
        raise ContentError(f"{where}: id must start with its section id {section_id!r}")

    caution = _text(table, "caution", where) if "caution" in table else None
    handoff = _text(table, "handoff", where) if "handoff" in table else None
    if handoff is not None and handoff not in HANDOFFS:
        raise ContentError(f"{where}: handoff {handoff!r} is not one of {sorted(HANDOFFS)}")

    resources = _list_of_text(table.get("resources", []), where, "resources", allow_empty=True)
    for resource_id in resources:
        if resource_id not in known_resources and resource_id not in TOPICS:
            raise ContentError(
                f"{where}: resource {resource_id!r} is not a resource id or topic in resources.toml"
            )
    regions = region_patterns(table["regions"], where) if "regions" in table else ()
    raw_steps = _steps(table.get("steps"), where, platform_ids)
    sources = check.sources(table.get("sources", []), where, today)

    return Item(
        id=item_id,
        section=section_id,
        title=_text(table, "title", where),
        why=_text(table, "why", where),
        steps=tuple(
            (key, tuple(e if isinstance(e, str) else e.text for e in raw)) for key, raw in raw_steps
        ),
        raw_steps=raw_steps,
        caution=caution,
        resources=resources,
        handoff=handoff,
        sources=sources,
        regions=regions,
    )


def parse_checklist(
    data: Mapping[str, Any], *, today: datetime.date | None = None
) -> Checklist:
    """Validate a parsed checklist document; raise ``ContentError`` on any problem."""
    today = today or datetime.date.today()
    if not isinstance(data, Mapping):
        raise ContentError(f"{FILE_NAME}: the document must be a table")
    _table(data, FILE_NAME, _TOP_KEYS)
    schema = data.get("schema")
    if isinstance(schema, bool) or schema != SCHEMA:
        raise ContentError(f"{FILE_NAME}: schema must be {SCHEMA}")

    platforms = tuple(_platform(e, i) for i, e in enumerate(_array(data, "platforms")))
    _unique([p.id for p in platforms], "platform")
    sections = tuple(_section(e, i) for i, e in enumerate(_array(data, "sections")))
    _unique([s.id for s in sections], "section")
    section_ids = frozenset(s.id for s in sections)
    behaviours = tuple(
        _behaviour(e, i, section_ids) for i, e in enumerate(_array(data, "behaviours"))
    )
    _unique([b.id for b in behaviours], "behaviour")

    platform_ids = frozenset(p.id for p in platforms)
    known_resources = resource_ids()
    items = tuple(
        _item(e, i, section_ids, platform_ids, known_resources, today)
        for i, e in enumerate(_array(data, "items"))
    )
    _unique([item.id for item in items], "item")

    used = {item.section for item in items}
    for section in sections:
        if section.id not in used:
            raise ContentError(f"{FILE_NAME}: section {section.id!r} has no items")
    return Checklist(platforms=platforms, behaviours=behaviours, sections=sections, items=items)


@functools.cache
def load_raw_checklist() -> Checklist:
    """The shipped checklist as written (every place's items, terms not filled in), validated
    once and cached."""
    return parse_checklist(read_toml(FILE_NAME))


@functools.cache
def _for_region(region: str, language: str) -> Checklist:
    return load_raw_checklist().for_region(region)


def load_checklist(region: str | None = None) -> Checklist:
    """The checklist for ``region`` (the place in use by default), in the language in use."""
    return _for_region(region or current_region(), current_language())
