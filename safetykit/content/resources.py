"""Hotlines, services and organisations, read from ``resources.toml`` and validated.

Every entry carries the page its details were checked against and the date of that check,
so a stale number can be found and fixed.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from safetykit.content._files import ContentError, read_toml

FILE_NAME = "resources.toml"
SCHEMA = 1

KINDS = frozenset({"hotline", "organisation", "service", "emergency"})
REGIONS = frozenset({"US", "international"})
TOPICS = frozenset(
    {
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

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_REQUIRED_TEXT = ("id", "name", "kind", "region", "description", "source")
_OPTIONAL_TEXT = ("phone", "text", "tty", "chat", "url", "note")
_KNOWN_KEYS = frozenset((*_REQUIRED_TEXT, *_OPTIONAL_TEXT, "topics", "urgent", "checked"))


@dataclass(frozen=True)
class Resource:
    """One place a person can reach for help."""

    id: str
    name: str
    kind: str
    region: str
    description: str
    phone: str | None
    text: str | None
    tty: str | None
    chat: str | None
    url: str | None
    topics: tuple[str, ...]
    urgent: bool
    source: str
    checked: datetime.date
    note: str | None


def _is_https_url(value: str) -> bool:
    return value.startswith("https://") and len(value) > len("https://") and " " not in value


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: {key!r} must be a non-empty string")
    return value


def _optional_text(entry: Mapping[str, Any], key: str, where: str) -> str | None:
    if key not in entry:
        return None
    return _text(entry, key, where)


def _parse_entry(entry: Any, index: int, today: datetime.date) -> Resource:
    where = f"{FILE_NAME}: resources[{index}]"
    if not isinstance(entry, Mapping):
        raise ContentError(f"{where}: each resource must be a table")
    unknown = sorted(str(key) for key in entry if key not in _KNOWN_KEYS)
    if unknown:
        raise ContentError(f"{where}: unknown field(s) {', '.join(unknown)}")

    resource_id = _text(entry, "id", where)
    where = f"{FILE_NAME}: resource {resource_id!r}"
    if not _SLUG.match(resource_id):
        raise ContentError(f"{where}: id must be a slug of a-z, 0-9 and single hyphens")
    values = {key: _text(entry, key, where) for key in _REQUIRED_TEXT}
    optional = {key: _optional_text(entry, key, where) for key in _OPTIONAL_TEXT}

    if values["kind"] not in KINDS:
        raise ContentError(f"{where}: kind {values['kind']!r} is not one of {sorted(KINDS)}")
    if values["region"] not in REGIONS:
        raise ContentError(f"{where}: region {values['region']!r} is not one of {sorted(REGIONS)}")
    if not _is_https_url(values["source"]):
        raise ContentError(f"{where}: source must be an https:// address")
    for key in ("chat", "url"):
        link = optional[key]
        if link is not None and not _is_https_url(link):
            raise ContentError(f"{where}: {key} must be an https:// address")
    if not any(optional[key] for key in ("phone", "text", "chat", "url")):
        raise ContentError(
            f"{where}: needs at least one way to reach it (phone, text, chat or url)"
        )

    topics = entry.get("topics")
    if not isinstance(topics, list) or not topics:
        raise ContentError(f"{where}: topics must be a non-empty list")
    for topic in topics:
        if not isinstance(topic, str) or topic not in TOPICS:
            raise ContentError(f"{where}: topic {topic!r} is not one of {sorted(TOPICS)}")
    if len(set(topics)) != len(topics):
        raise ContentError(f"{where}: topics are repeated")

    urgent = entry.get("urgent")
    if not isinstance(urgent, bool):
        raise ContentError(f"{where}: urgent must be true or false")

    checked = entry.get("checked")
    # A TOML date-time also parses as a datetime, which is a subclass of date: refuse it.
    if not isinstance(checked, datetime.date) or isinstance(checked, datetime.datetime):
        raise ContentError(f"{where}: checked must be a date such as 2026-01-31")
    if checked > today:
        raise ContentError(f"{where}: checked date {checked} is in the future")

    return Resource(
        id=resource_id,
        name=values["name"],
        kind=values["kind"],
        region=values["region"],
        description=values["description"],
        phone=optional["phone"],
        text=optional["text"],
        tty=optional["tty"],
        chat=optional["chat"],
        url=optional["url"],
        topics=tuple(topics),
        urgent=urgent,
        source=values["source"],
        checked=checked,
        note=optional["note"],
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
    raise ContentError(f"{FILE_NAME}: no resource with id {resource_id!r}")


def resource_ids() -> frozenset[str]:
    """Every known resource id (used to check references from other content files)."""
    return frozenset(item.id for item in load_resources())


def urgent_resources() -> tuple[Resource, ...]:
    """Resources for the "talk to someone now" screen, in file order."""
    return tuple(item for item in load_resources() if item.urgent)
