"""Where the person is: the places safetykit knows (``regions.toml``), the words and numbers that
differ there, and which content applies.

A place's code is ISO 3166-1 or -2 ("US", "GB-SCT", "CA-ON"), or "ZZ" for somewhere else. Content
says where it applies with ``regions = [...]``: a code covers itself and its parts ("GB" covers
"GB-SCT"), and "*" covers everywhere. Text may use the place's terms as ``{placeholders}``.

The place in use for this run is a context variable (``use_region``), set once by the session
from ``--region``, ``SAFETYKIT_REGION`` or the stored choice, so the content loaders can give each
place its own view without every caller passing it along.
"""

from __future__ import annotations

import contextvars
import functools
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from safetykit.content import _validate as check
from safetykit.content._files import ContentError, read_toml
from safetykit.content._validate import NotInContentError

FILE_NAME = "regions.toml"
SCHEMA = 1
EVERYWHERE = "*"
ELSEWHERE = "ZZ"
DEFAULT = ELSEWHERE
"""The place used when none was chosen (a script on a new computer): help that works anywhere."""

_CODE = re.compile(r"^(?:[A-Z]{2}(?:-[A-Z0-9]{1,3})?)$")
_TERM = re.compile(r"^[a-z][a-z_]*$")


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    within: str | None = None
    ask: str | None = None
    """For a country with parts: the question that picks the part."""
    locales: tuple[str, ...] = ()
    terms: Mapping[str, str] = field(default_factory=dict)
    """Every term, the country's defaults already merged in (for a place that can be chosen)."""

    @property
    def country(self) -> str:
        return self.code.split("-")[0]


@dataclass(frozen=True)
class Places:
    places: tuple[Place, ...]

    def get(self, code: str) -> Place:
        """The place with this code; ``NotInContentError`` if safetykit does not know it."""
        wanted = code.strip().upper()
        for place in self.places:
            if place.code == wanted:
                return place
        raise NotInContentError(f"{FILE_NAME}: no place with code {code[:20]!r}")

    def top(self) -> tuple[Place, ...]:
        """The first question's choices: countries, then somewhere else."""
        return tuple(p for p in self.places if p.within is None)

    def parts(self, country: str) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.within == country)

    def choosable(self) -> tuple[Place, ...]:
        """Every place a person can end up in: parts where a country has them."""
        return tuple(p for p in self.places if not self.parts(p.code))

    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.choosable())

    def suggest(self, locale: str | None) -> str | None:
        """A place suggested by a system locale such as ``en_GB.UTF-8`` (never decided by it)."""
        if not locale:
            return None
        tag = locale.split(".")[0].replace("-", "_")
        for place in self.places:
            if tag in place.locales:
                return place.code
        return None


def applies(patterns: Iterable[str], code: str) -> bool:
    """Whether content marked ``regions = patterns`` applies in place ``code``."""
    for pattern in patterns:
        if pattern in (EVERYWHERE, code) or code.startswith(pattern + "-"):
            return True
    return False


def terms_in(text: str) -> set[str]:
    """The {placeholders} a text uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def fill(text: str, terms: Mapping[str, str]) -> str:
    """``text`` with its {placeholders} replaced by the place's terms ("{{" is a brace). A term
    written with a capital ("{Protective_order}") starts with a capital letter."""
    if "{" not in text and "}" not in text:
        return text
    capitals = {key[:1].upper() + key[1:]: value[:1].upper() + value[1:]
                for key, value in terms.items()}
    return text.format_map({**terms, **capitals})


@dataclass(frozen=True)
class Regional:
    """Text that applies only in some places (``{ text = "...", regions = [...] }``)."""

    text: str
    regions: tuple[str, ...]


Text = str | Regional
"""An entry of a list in a content file: plain text (everywhere) or text for some places."""


def parse_regional_list(
    value: object, where: str, name: str, *, allow_empty: bool = False
) -> tuple[Text, ...]:
    """A list of text, each entry plain or ``{ text, regions }``; terms are filled in later."""
    entries = check.array(value, where, name, allow_empty=allow_empty)
    found: list[Text] = []
    for index, entry in enumerate(entries):
        here = f"{name}[{index}]"
        if isinstance(entry, Mapping):
            table = check.table(entry, f"{where} {here}", {"text", "regions"}, ("text", "regions"))
            found.append(Regional(check.text(table["text"], where, here),
                                  region_patterns(table["regions"], where, here)))
        else:
            found.append(check.text(entry, where, here))
    plain = [e if isinstance(e, str) else e.text for e in found]
    if len(set(plain)) != len(plain):
        raise check.fail(where, f"{name!r} has a repeated entry")
    return tuple(found)


def localize(
    values: Iterable[Text], region: str, terms: Mapping[str, str], context: str
) -> tuple[str, ...]:
    """The entries that apply in ``region``, in the language in use (``context`` names the list
    for the catalogue), with the place's terms filled in."""
    from safetykit.i18n import content

    return tuple(
        fill(content(context, value if isinstance(value, str) else value.text), terms)
        for value in values
        if isinstance(value, str) or applies(value.regions, region)
    )


def parse_places(data: Mapping[str, Any]) -> Places:
    top = check.table(data, FILE_NAME, {"schema", "places"}, ("schema", "places"))
    if top["schema"] != SCHEMA or isinstance(top["schema"], bool):
        raise check.fail(FILE_NAME, f"'schema' must be {SCHEMA}")
    raw: list[tuple[Place, dict[str, str]]] = []
    for index, entry in enumerate(check.array(top["places"], FILE_NAME, "places")):
        where = f"{FILE_NAME}: places[{index}]"
        values = check.table(entry, where, {"code", "name", "within", "ask", "locales", "terms"},
                             ("code", "name"))
        code = check.text(values["code"], where, "code")
        if not _CODE.match(code):
            raise check.fail(where, f"code {code!r} must be like US, GB-SCT or ZZ")
        where = f"{FILE_NAME}: place {code!r}"
        terms = check.table(values.get("terms", {}), f"{where} terms")
        for key in terms:
            if not _TERM.match(str(key)):
                raise check.fail(where, f"term {key!r} must be lowercase letters and _")
        raw.append((
            Place(
                code=code,
                name=check.text(values["name"], where, "name"),
                within=check.optional_text(values, "within", where),
                ask=check.optional_text(values, "ask", where),
                locales=check.texts(values.get("locales", []), where, "locales",
                                    allow_empty=True),
            ),
            {str(k): check.text(v, f"{where} terms", str(k)) for k, v in terms.items()},
        ))
    check.unique([p.code for p, _ in raw], FILE_NAME, "place")
    by_code = {p.code: (p, t) for p, t in raw}
    if ELSEWHERE not in by_code:
        raise check.fail(FILE_NAME, f"a place {ELSEWHERE!r} (somewhere else) is needed")
    places: list[Place] = []
    for place, own in raw:
        if place.within is not None:
            parent = by_code.get(place.within)
            if parent is None or parent[0].within is not None:
                raise check.fail(f"{FILE_NAME}: place {place.code!r}",
                                 f"within {place.within!r} must be a country in this file")
            if not place.code.startswith(place.within + "-"):
                raise check.fail(f"{FILE_NAME}: place {place.code!r}",
                                 f"its code must start with {place.within}-")
            merged = {**parent[1], **own}
        else:
            merged = dict(own)
        places.append(Place(place.code, place.name, place.within, place.ask, place.locales,
                            merged))
    found = Places(tuple(places))
    keys = set().union(*(p.terms for p in found.choosable()))
    for place in found.choosable():
        missing = sorted(keys - set(place.terms))
        if missing:
            raise check.fail(f"{FILE_NAME}: place {place.code!r}",
                             f"needs every term; missing {', '.join(missing)}")
    for country in found.top():
        if found.parts(country.code) and not country.ask:
            raise check.fail(f"{FILE_NAME}: place {country.code!r}",
                             "a country with parts needs 'ask'")
    return found


@functools.cache
def load_places() -> Places:
    return parse_places(read_toml(FILE_NAME))


# ── the place in use ───────────────────────────────────────────────────────────────────────────

_current: contextvars.ContextVar[str] = contextvars.ContextVar("safetykit_region", default=DEFAULT)


def use_region(code: str) -> None:
    """Set the place for this run (checked: ``NotInContentError`` for a code safetykit does not
    know, or a country that has parts)."""
    place = load_places().get(code)
    if load_places().parts(place.code):
        raise NotInContentError(
            f"{FILE_NAME}: {place.code} has parts; choose one of "
            f"{', '.join(p.code for p in load_places().parts(place.code))}"
        )
    _current.set(place.code)


def current_region() -> str:
    return _current.get()


def current_place() -> Place:
    return load_places().get(current_region())


def regional_texts(
    value: object, where: str, name: str, region: str, terms: Mapping[str, str], *,
    allow_empty: bool = False,
) -> tuple[str, ...]:
    """A list whose entries are text, or ``{ text = "...", regions = [...] }`` for text that
    applies only in some places: the entries for ``region``, with their terms filled in."""
    entries = check.array(value, where, name, allow_empty=allow_empty)
    found: list[str] = []
    for index, entry in enumerate(entries):
        here = f"{name}[{index}]"
        if isinstance(entry, Mapping):
            table = check.table(entry, f"{where} {here}", {"text", "regions"}, ("text", "regions"))
            text = check.text(table["text"], where, here)
            patterns = region_patterns(table["regions"], where, here)
            if not applies(patterns, region):
                continue
        else:
            text = check.text(entry, where, here)
        found.append(fill_checked(text, terms, where))
    if not found and not allow_empty:
        raise check.fail(where, f"{name!r} has nothing for {region}")
    return tuple(found)


def region_patterns(value: object, where: str, name: str = "regions") -> tuple[str, ...]:
    patterns = check.texts(value, where, name)
    for pattern in patterns:
        if pattern != EVERYWHERE and not _CODE.match(pattern):
            raise check.fail(where, f"{name} entry {pattern!r} must be a code like GB or CA-ON, "
                             "or *")
    return patterns


def fill_checked(text: str, terms: Mapping[str, str], where: str) -> str:
    """``fill``, with a content error naming the place for a term it does not have."""
    try:
        return fill(text, terms)
    except (KeyError, IndexError, ValueError) as exc:
        raise ContentError(f"{where}: {text[:60]!r} uses an unknown or broken term ({exc})")\
            from None


def terms_for(region: str) -> Mapping[str, str]:
    """The place's terms, in the language in use."""
    from safetykit.i18n import content

    return {key: content(f"regions:term.{key}", value)
            for key, value in load_places().get(region).terms.items()}


def place_name(place: Place) -> str:
    """The place's name in the language in use."""
    from safetykit.i18n import content

    return content("regions:name", place.name)


def place_question(place: Place) -> str | None:
    from safetykit.i18n import content

    return content("regions:ask", place.ask) if place.ask else None


def every_region() -> Sequence[str]:
    """Every code a person can choose (for tests that check each place gets complete content)."""
    return load_places().codes()
