"""Hotlines, services and organisations, read from ``resources.toml`` and validated.

Every entry carries the page its details were checked against and the date of that check,
so a stale number can be found and fixed.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from safetykit.content import _validate as check
from safetykit.content._files import ContentError, read_toml
from safetykit.content._validate import NotInContentError, Source

FILE_NAME = "resources.toml"
SCHEMA = 1

KINDS = frozenset({"hotline", "organisation", "service", "emergency"})
TOPICS = frozenset(
    {
        "emergency",
        "abuse",
        "dating",
        "suicide",
        "crisis",
        "sexual-violence",
        "image-abuse",
        "stalking",
        "legal",
        "tech-safety",
    }
)

_REQUIRED_TEXT = ("id", "name", "kind", "description")
_OPTIONAL_TEXT = ("phone", "text", "tty", "chat", "url", "note", "hours", "instruction",
                  "in_spanish")
_KNOWN_KEYS = frozenset((*_REQUIRED_TEXT, *_OPTIONAL_TEXT, "topics", "urgent", "sources",
                         "regions", "languages", "check_first"))
STALE_AFTER = datetime.timedelta(days=365)
"""A number not checked for this long is flagged by a content test before a person finds it."""


@dataclass(frozen=True)
class Resource:
    """One place a person can reach for help."""

    id: str
    name: str
    kind: str
    regions: tuple[str, ...]
    """Where it can be reached (codes as in regions.toml; "*" is everywhere)."""
    description: str
    phone: str | None
    text: str | None
    tty: str | None
    chat: str | None
    url: str | None
    topics: tuple[str, ...]
    urgent: bool
    sources: tuple[Source, ...]
    """Where the details were checked (the owner's own page first), each with its date."""
    note: str | None
    """Something worth knowing before reaching out, in plain words for the person."""
    hours: str | None = None
    instruction: str | None = None
    """What to do where there is no one number to call (an emergency entry only)."""
    languages: tuple[str, ...] = ()
    check_first: bool = False
    """Sources disagree on a detail (hours, a number): "check before relying on it"."""
    in_spanish: str | None = None
    """How to reach it in Spanish ("Press 2 when you call"), shown when safetykit speaks Spanish;
    the page that says so is among ``sources``."""

    @property
    def region(self) -> str:
        """The places it serves, as one short text (for JSON and lists)."""
        return ", ".join(self.regions)

    @property
    def source(self) -> str:
        return self.sources[0].url

    @property
    def checked(self) -> datetime.date:
        """When the details were last checked."""
        return max(s.checked for s in self.sources)


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    return check.text(entry.get(key), where, key)


def _optional_text(entry: Mapping[str, Any], key: str, where: str) -> str | None:
    return check.optional_text(entry, key, where)


def _parse_entry(entry: Any, index: int, today: datetime.date) -> Resource:
    where = f"{FILE_NAME}: resources[{index}]"
    check.table(entry, where, _KNOWN_KEYS)
    resource_id = check.slug(entry.get("id"), where)
    where = f"{FILE_NAME}: resource {resource_id!r}"
    values = {key: _text(entry, key, where) for key in _REQUIRED_TEXT}
    optional = {key: _optional_text(entry, key, where) for key in _OPTIONAL_TEXT}
    check.one_of(values["kind"], where, "kind", KINDS)
    from safetykit.content.regions import region_patterns

    regions = region_patterns(entry.get("regions"), where)
    for key in ("chat", "url"):
        if optional[key] is not None:
            check.https_url(optional[key], where, key)
    if optional["instruction"] and values["kind"] != "emergency":
        raise ContentError(f"{where}: 'instruction' is only for an emergency entry with no number")
    if not any(optional[key] for key in ("phone", "text", "chat", "url", "instruction")):
        raise ContentError(
            f"{where}: needs at least one way to reach it (phone, text, chat or url; an "
            "emergency entry with no number: instruction)"
        )
    topics = check.texts(entry.get("topics"), where, "topics")
    for topic in topics:
        check.one_of(topic, where, "topic", TOPICS)
    urgent = check.flag(entry.get("urgent"), where, "urgent")
    sources = check.sources(entry.get("sources"), where, today, allow_empty=False)

    return Resource(
        id=resource_id,
        name=values["name"],
        kind=values["kind"],
        regions=regions,
        description=values["description"],
        phone=optional["phone"],
        text=optional["text"],
        tty=optional["tty"],
        chat=optional["chat"],
        url=optional["url"],
        topics=topics,
        urgent=urgent,
        sources=sources,
        note=optional["note"],
        hours=optional["hours"],
        instruction=optional["instruction"],
        in_spanish=optional["in_spanish"],
        languages=check.texts(entry.get("languages", []), where, "languages", allow_empty=True),
        check_first=check.flag(entry.get("check_first", False), where, "check_first"),
    )


def parse_resources(
    data: Mapping[str, Any], today: datetime.date | None = None
) -> tuple[Resource, ...]:
    """Validate a parsed resources document; raise ``ContentError`` on any problem."""
    if not isinstance(data, Mapping):
        raise ContentError(f"{FILE_NAME}: the document must be a table")
    schema = data.get("schema")
    if isinstance(schema, bool) or schema != SCHEMA:
        raise ContentError(f"{FILE_NAME}: schema must be {SCHEMA}")
    entries = data.get("resources")
    if not isinstance(entries, list) or not entries:
        raise ContentError(f"{FILE_NAME}: needs a non-empty [[resources]] list")
    day = today if today is not None else datetime.date.today()
    parsed = tuple(_parse_entry(entry, index, day) for index, entry in enumerate(entries))
    seen: set[str] = set()
    for item in parsed:
        if item.id in seen:
            raise ContentError(f"{FILE_NAME}: resource id {item.id!r} is used twice")
        seen.add(item.id)
    return parsed


@functools.cache
def load_resources() -> tuple[Resource, ...]:
    """All resources in file order, validated once and cached."""
    return parse_resources(read_toml(FILE_NAME))


def resource(resource_id: str) -> Resource:
    """The resource with this id; ``ContentError`` if there is none."""
    for item in load_resources():
        if item.id == resource_id:
            return item
    raise NotInContentError(f"{FILE_NAME}: no resource with id {resource_id!r}")


def resource_ids() -> frozenset[str]:
    """Every known resource id (used to check references from other content files)."""
    return frozenset(item.id for item in load_resources())


TRANSLATED = ("name", "description", "text", "note", "hours", "instruction", "in_spanish")
"""The fields a person reads, which a language's catalogue may word differently (the Spanish
for a line can say how to reach it in Spanish: "press 2", "text AYUDA")."""


def translated(resource: Resource) -> Resource:
    """``resource`` in the language in use."""
    from safetykit.i18n import content

    changes: dict[str, Any] = {
        name: content(f"resources:{resource.id}:{name}", value)
        for name in TRANSLATED if isinstance(value := getattr(resource, name), str)
    }
    return dataclasses.replace(resource, **changes)


@functools.cache
def _for_region(code: str, language: str) -> tuple[Resource, ...]:
    from safetykit.content.regions import applies

    return tuple(translated(item) for item in load_resources() if applies(item.regions, code))


def resources_for(region: str | None = None) -> tuple[Resource, ...]:
    """The resources that can be reached in ``region`` (the place in use by default), in file
    order, in the language in use."""
    from safetykit.content.regions import current_region
    from safetykit.i18n import current_language

    return _for_region(region or current_region(), current_language())


def urgent_resources(region: str | None = None) -> tuple[Resource, ...]:
    """Resources for the "talk to someone now" screen and the plan's help strip, in file order."""
    return tuple(item for item in resources_for(region) if item.urgent)


def on_topics(topics: tuple[str, ...], region: str | None = None) -> tuple[Resource, ...]:
    """The resources in ``region`` for any of ``topics`` (what a checklist item points to)."""
    return tuple(item for item in resources_for(region) if set(item.topics) & set(topics))
