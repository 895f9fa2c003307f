"""The account catalogue: kinds of account, their rotation tier and the steps to secure each.

Read from ``accounts.toml`` once, validated, and cached. Any schema problem raises
:class:`~safetykit.content._files.ContentError` naming the kind and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from safetykit.content._files import ContentError, read_toml

ACCOUNTS_FILE = "accounts.toml"
SCHEMA = 1
TIERS = (1, 2, 3, 4)
TIER_NAMES = {
    1: "accounts that can reset others",
    2: "money",
    3: "private files, social media and messaging",
    4: "everything else",
}

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_KIND_KEYS = frozenset(
    {
        "id",
        "label",
        "category",
        "tier",
        "can_reset_others",
        "reveals_location",
        "steps",
        "caution",
        "sources",
        "short",
        "family",
        "pin",
        "hosts",
        "names",
        "generic",
    }
)
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


@dataclass(frozen=True)
class AccountKind:
    """One sort of account in the catalogue."""

    id: str
    label: str
    category: str
    tier: int
    can_reset_others: bool
    steps: tuple[str, ...]
    sources: tuple[str, ...]
    caution: str | None = None
    reveals_location: bool = False
    short: str = ""
    """The name in a list of accounts (the label when not given)."""
    family: str = ""
    """Kinds with the same family are one sign-in (the kind's id when not given)."""
    pin: bool = False
    """A numeric PIN may be needed (phone carriers, banks)."""
    hosts: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    generic: bool = False
    """A sort of service (banks, carriers) rather than one service: accounts are told apart by
    site."""
    rank: int = 0
    """Where its category stands in ``[categories]``: at equal tier and risk, lower goes first
    (cloud storage before social media)."""

    @property
    def name(self) -> str:
        return self.short or self.label

    @property
    def sign_in(self) -> str:
        """Which sign-in this kind belongs to (shared by Gmail and Google Account)."""
        return self.family or self.id


def _fail(where: str, problem: str) -> ContentError:
    return ContentError(f"{ACCOUNTS_FILE}: {where}: {problem}")


def _text(value: Any, where: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"{field!r} must be non-empty text")
    return value.strip()


def _bool(value: Any, where: str, field: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(where, f"{field!r} must be true or false")
    return value


def _text_list(value: Any, where: str, field: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _fail(where, f"{field!r} must be a non-empty list")
    return [_text(item, where, f"{field}[{i}]") for i, item in enumerate(value)]


def _words(value: Any, where: str, field: str) -> list[str]:
    if not isinstance(value, list):
        raise _fail(where, f"{field!r} must be a list")
    words = [_text(item, where, f"{field}[{i}]") for i, item in enumerate(value)]
    if any(w != w.lower() for w in words):
        raise _fail(where, f"{field!r} must be lowercase")
    return words


def _parse_kind(
    raw: Any, index: int, categories: dict[str, int], common: dict[str, str]
) -> AccountKind:
    where = f"kind #{index + 1}"
    if not isinstance(raw, dict):
        raise _fail(where, "must be a table")
    unknown = set(raw) - _KIND_KEYS
    if unknown:
        raise _fail(where, f"unknown field(s) {', '.join(sorted(unknown))}")
    kind_id = _text(raw.get("id"), where, "id")
    if not _ID.match(kind_id):
        raise _fail(where, f"id {kind_id!r} must be lowercase letters, digits and underscores")
    where = f"kind {kind_id!r}"
    category = _text(raw.get("category"), where, "category")
    if category not in categories:
        raise _fail(where, f"unknown category {category!r}")
    tier = raw.get("tier")
    if not isinstance(tier, int) or isinstance(tier, bool) or tier not in TIERS:
        raise _fail(where, "'tier' must be 1, 2, 3 or 4")
    if tier != categories[category]:
        raise _fail(
            where, f"tier {tier} does not match category {category!r} (tier {categories[category]})"
        )
    can_reset = _bool(raw.get("can_reset_others"), where, "can_reset_others")
    if can_reset != (tier == 1):
        raise _fail(where, "'can_reset_others' must be true exactly for tier 1")
    steps: list[str] = []
    for step in _text_list(raw.get("steps"), where, "steps"):
        if step.startswith("@"):
            name = step[1:]
            if name not in common:
                raise _fail(where, f"step {step!r} names no entry in [common_steps]")
            steps.append(common[name])
        else:
            steps.append(step)
    sources = _text_list(raw.get("sources"), where, "sources")
    for source in sources:
        if not source.startswith("https://") or " " in source:
            raise _fail(where, f"source {source!r} must be an https URL")
    caution = raw.get("caution")
    hosts = _words(raw.get("hosts", []), where, "hosts")
    for host in hosts:
        if not _HOST.match(host):
            raise _fail(where, f"host {host!r} must be a plain lowercase host name")
    return AccountKind(
        id=kind_id,
        label=_text(raw.get("label"), where, "label"),
        category=category,
        tier=tier,
        can_reset_others=can_reset,
        steps=tuple(steps),
        sources=tuple(sources),
        caution=None if caution is None else _text(caution, where, "caution"),
        reveals_location=_bool(raw.get("reveals_location", False), where, "reveals_location"),
        short=_text(raw.get("short", raw.get("label")), where, "short"),
        family=_text(raw.get("family", kind_id), where, "family"),
        pin=_bool(raw.get("pin", False), where, "pin"),
        hosts=tuple(hosts),
        names=tuple(_words(raw.get("names", []), where, "names")),
        generic=_bool(raw.get("generic", False), where, "generic"),
        rank=list(categories).index(category),
    )


def parse_accounts(data: dict[str, Any]) -> tuple[AccountKind, ...]:
    """Validate the parsed TOML and build the catalogue (exposed for tests of bad data)."""
    if data.get("schema") != SCHEMA:
        raise _fail("top level", f"'schema' must be {SCHEMA}")
    categories = data.get("categories")
    if not isinstance(categories, dict) or not categories:
        raise _fail("top level", "[categories] must map category names to tiers")
    for name, tier in categories.items():
        if not isinstance(tier, int) or isinstance(tier, bool) or tier not in TIERS:
            raise _fail("[categories]", f"{name!r} must map to a tier 1 to 4")
    common = data.get("common_steps", {})
    if not isinstance(common, dict):
        raise _fail("top level", "[common_steps] must be a table")
    common_text = {name: _text(text, "[common_steps]", name) for name, text in common.items()}
    raw_kinds = data.get("kind")
    if not isinstance(raw_kinds, list) or not raw_kinds:
        raise _fail("top level", "there must be at least one [[kind]]")
    kinds = tuple(_parse_kind(raw, i, categories, common_text) for i, raw in enumerate(raw_kinds))
    seen: set[str] = set()
    owners: dict[str, str] = {}
    for kind in kinds:
        if kind.id in seen:
            raise _fail(f"kind {kind.id!r}", "id is used twice")
        seen.add(kind.id)
        for host in kind.hosts:
            if host in owners:
                raise _fail(f"kind {kind.id!r}", f"host {host!r} is also {owners[host]!r}'s")
            owners[host] = kind.id
    return kinds


@cache
def load_accounts() -> tuple[AccountKind, ...]:
    """Every account kind, in catalogue order. Read and checked once per process."""
    return parse_accounts(read_toml(ACCOUNTS_FILE))


def account_kind(kind_id: str) -> AccountKind:
    """The kind with this id; ``KeyError`` if there is none."""
    for kind in load_accounts():
        if kind.id == kind_id:
            return kind
    raise KeyError(kind_id)
