"""The account catalogue: kinds of account, their rotation tier and the steps to secure each,
the questions asked about every account, and the groups of words an ex may know.

Read from ``accounts.toml`` once, validated, and cached. Any schema problem raises
:class:`~safetykit.content._files.ContentError` naming the kind and field.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from safetykit.content import _validate as check
from safetykit.content._files import ContentError, read_toml
from safetykit.content._validate import NotInContentError, Source
from safetykit.content.regions import (
    Regional,
    Text,
    current_region,
    fill_checked,
    localize,
    parse_regional_list,
    terms_for,
)
from safetykit.i18n import content, current_language

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
_TOP_KEYS = frozenset({"schema", "categories", "common_steps", "kind", "question", "known_words"})
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
        "checklist",
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
    sources: tuple[Source, ...]
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
    raw_steps: tuple[Text, ...] = ()
    """The steps as written, for every place (``steps`` is for the place in use)."""
    checklist: tuple[str, ...] = ()
    """Checklist items (ids) that go further than changing the password, such as
    ``social.new-accounts`` for new accounts an ex makes to get round a block."""

    def for_region(self, region: str) -> AccountKind:
        terms = terms_for(region)
        where = f"{ACCOUNTS_FILE} ({region}): kind {self.id!r}"

        def f(field: str, text: str) -> str:
            return fill_checked(content(f"accounts:kind.{self.id}:{field}", text), terms, where)

        return dataclasses.replace(
            self,
            steps=localize(self.raw_steps, region, terms, "accounts:steps") or self.steps,
            caution=f("caution", self.caution) if self.caution else None,
            label=f("label", self.label),
            short=f("short", self.short),
        )

    @property
    def name(self) -> str:
        return self.short or self.label

    @property
    def sign_in(self) -> str:
        """Which sign-in this kind belongs to (shared by Gmail and Google Account)."""
        return self.family or self.id


@dataclass(frozen=True)
class AccountQuestion:
    """A question asked about every account; its answer is stored under ``id``."""

    id: str
    text: str
    only_if_yes: str | None = None
    """Asked only when the question with this id was answered yes."""


@dataclass(frozen=True)
class KnownWordGroup:
    """A group of words an ex may know (names, pets, dates…), asked for together."""

    id: str
    prompt: str


@dataclass(frozen=True)
class Catalogue:
    kinds: tuple[AccountKind, ...]
    questions: tuple[AccountQuestion, ...]
    known_words: tuple[KnownWordGroup, ...]


def _fail(where: str, problem: str) -> ContentError:
    return ContentError(f"{ACCOUNTS_FILE}: {where}: {problem}")


def _at(where: str) -> str:
    return f"{ACCOUNTS_FILE}: {where}"


def _text(value: Any, where: str, field: str) -> str:
    return check.text(value, _at(where), field)


def _bool(value: Any, where: str, field: str) -> bool:
    return check.flag(value, _at(where), field)


def _text_list(value: Any, where: str, field: str) -> list[str]:
    return list(check.texts(value, _at(where), field))


def _words(value: Any, where: str, field: str) -> list[str]:
    return list(check.texts(value, _at(where), field, allow_empty=True, lowercase=True))


def _parse_kind(
    raw: Any,
    index: int,
    categories: dict[str, int],
    common: dict[str, str],
    today: datetime.date,
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
    raw_steps: list[Text] = []
    for entry in parse_regional_list(raw.get("steps"), _at(where), "steps"):
        step = entry if isinstance(entry, str) else entry.text
        if step.startswith("@"):
            name = step[1:]
            if name not in common:
                raise _fail(where, f"step {step!r} names no entry in [common_steps]")
            step = common[name]
        raw_steps.append(step if isinstance(entry, str) else Regional(step, entry.regions))
    steps = [s if isinstance(s, str) else s.text for s in raw_steps]
    sources = check.sources(raw.get("sources"), f"{ACCOUNTS_FILE}: {where}", today,
                            allow_empty=False)
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
        raw_steps=tuple(raw_steps),
        sources=sources,
        caution=None if caution is None else _text(caution, where, "caution"),
        reveals_location=_bool(raw.get("reveals_location", False), where, "reveals_location"),
        short=_text(raw.get("short", raw.get("label")), where, "short"),
        family=_text(raw.get("family", kind_id), where, "family"),
        pin=_bool(raw.get("pin", False), where, "pin"),
        hosts=tuple(hosts),
        names=tuple(_words(raw.get("names", []), where, "names")),
        generic=_bool(raw.get("generic", False), where, "generic"),
        rank=list(categories).index(category),
        checklist=_checklist_items(raw.get("checklist", []), where),
    )


def _checklist_items(value: Any, where: str) -> tuple[str, ...]:
    """Ids of checklist items, each one that exists in the checklist."""
    from safetykit.content.checklist import load_raw_checklist

    ids = tuple(check.texts(value, _at(where), "checklist", allow_empty=True))
    known = {item.id for item in load_raw_checklist().items}
    for item_id in ids:
        if item_id not in known:
            raise _fail(where, f"checklist item {item_id!r} is not in checklist.toml")
    return ids


def parse_accounts(
    data: dict[str, Any], *, today: datetime.date | None = None
) -> tuple[AccountKind, ...]:
    """Validate the parsed TOML and build the kinds of the catalogue (exposed for tests of bad
    data)."""
    return parse_catalogue(data, today=today).kinds


def parse_catalogue(data: dict[str, Any], *, today: datetime.date | None = None) -> Catalogue:
    """Validate the parsed TOML: kinds, questions and known-word groups."""
    today = today or datetime.date.today()
    check.table(data, _at("top level"), _TOP_KEYS)
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
    kinds = tuple(
        _parse_kind(raw, i, categories, common_text, today) for i, raw in enumerate(raw_kinds)
    )
    if "other" not in {kind.id for kind in kinds}:
        raise _fail("top level", "a kind with id 'other' is needed for accounts of no known kind")
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
    return Catalogue(kinds, _parse_questions(data.get("question")),
                     _parse_known_words(data.get("known_words")))


_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def _parse_questions(raw: Any) -> tuple[AccountQuestion, ...]:
    where = _at("[[question]]")
    found: list[AccountQuestion] = []
    for index, entry in enumerate(check.array(raw, where, "question")):
        here = _at(f"question #{index + 1}")
        values = check.table(entry, here, {"id", "text", "only_if_yes"}, ("id", "text"))
        question_id = check.slug(values["id"], here, pattern=_SNAKE)
        condition = check.optional_text(values, "only_if_yes", here)
        if condition is not None and condition not in {q.id for q in found}:
            raise _fail(f"question {question_id!r}",
                        f"only_if_yes {condition!r} must name a question asked before it")
        found.append(AccountQuestion(question_id, check.text(values["text"], here, "text"),
                                     condition))
    check.unique([q.id for q in found], where, "question")
    return tuple(found)


def _parse_known_words(raw: Any) -> tuple[KnownWordGroup, ...]:
    where = _at("[[known_words]]")
    groups: list[KnownWordGroup] = []
    for index, entry in enumerate(check.array(raw, where, "known_words")):
        here = _at(f"known_words #{index + 1}")
        values = check.table(entry, here, {"id", "prompt"}, ("id", "prompt"))
        groups.append(KnownWordGroup(check.slug(values["id"], here, pattern=_SNAKE),
                                     check.text(values["prompt"], here, "prompt")))
    check.unique([g.id for g in groups], where, "known_words")
    return tuple(groups)


@cache
def load_raw_catalogue() -> Catalogue:
    """The whole catalogue as written. Read and checked once per process."""
    return parse_catalogue(read_toml(ACCOUNTS_FILE))


@cache
def _for_region(region: str, language: str) -> Catalogue:
    raw = load_raw_catalogue()
    return dataclasses.replace(
        raw,
        kinds=tuple(k.for_region(region) for k in raw.kinds),
        questions=tuple(
            dataclasses.replace(q, text=content(f"accounts:question.{q.id}:text", q.text))
            for q in raw.questions
        ),
        known_words=tuple(
            dataclasses.replace(g, prompt=content(f"accounts:known_words.{g.id}:prompt",
                                                  g.prompt))
            for g in raw.known_words
        ),
    )


def load_catalogue(region: str | None = None) -> Catalogue:
    """The catalogue for ``region`` (the place in use by default), in the language in use:
    steps and cautions for it."""
    return _for_region(region or current_region(), current_language())


def load_accounts(region: str | None = None) -> tuple[AccountKind, ...]:
    """Every account kind, in catalogue order (steps and words for ``region``, the place in use
    by default)."""
    return load_catalogue(region).kinds


def account_questions() -> tuple[AccountQuestion, ...]:
    """The questions asked about every account, in the order they are asked."""
    return load_catalogue().questions


def known_word_groups() -> tuple[KnownWordGroup, ...]:
    return load_catalogue().known_words


def account_kind(kind_id: str) -> AccountKind:
    """The kind with this id; ``NotInContentError`` if there is none (a kind saved by an
    older version: show it as "other")."""
    for kind in load_accounts():
        if kind.id == kind_id:
            return kind
    raise NotInContentError(f"{ACCOUNTS_FILE}: no account kind {kind_id!r}")
