"""Echap's stalkerware indicators: which apps are known stalkerware, and which are openly visible
monitoring apps ("watchware"), by package name.

The copy shipped in ``indicator_data/`` (``ioc.yaml``, ``watchware.yaml``, unchanged, CC BY 4.0)
carries its date and origin in ``SOURCE.toml``. A newer copy can be given with ``safetykit device
update-indicators FILE``: it is read with the same tolerant reader, checked (``merge`` refuses a
copy that lost many package names), and kept in the data folder as JSON (``to_json`` /
``from_json``); the newer of the two is used.

The YAML is read with PyYAML's base loader: every value is a string, no tag builds an object, and
the fields vary between entries (a missing list, a bare string for a list, ``c2.ip`` for
``c2.ips``), so each entry is read for what safetykit needs (name, other names, type, package
names) and anything else is ignored. An entry without a name, or a file whose top level is not a
list, is refused with a clear message.
"""

from __future__ import annotations

import datetime
import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Final

from safetykit.errors import BadInputError
from safetykit.i18n import _

DATA_FOLDER: Final = "indicator_data"
FILES: Final = ("ioc.yaml", "watchware.yaml")
STALKERWARE: Final = "stalkerware"
WATCHWARE: Final = "watchware"
MAX_BYTES: Final = 8 * 1024 * 1024
MAX_ENTRIES: Final = 20_000
MAX_ITEMS: Final = 5_000
FORMAT: Final = 1
"""The version of the JSON a refreshed copy is kept in."""
STALE_AFTER: Final = datetime.timedelta(days=183)
"""Older than about six months: say so, and suggest a newer copy."""
SHRINK_LIMIT: Final = 0.9
"""A new copy must keep at least this share of the package names of the list it replaces."""
_PACKAGE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+$")


class IndicatorError(BadInputError):
    """A copy of the indicators that cannot be used (the message says why)."""


@dataclass(frozen=True)
class App:
    name: str
    type: str
    """"stalkerware" or "watchware" (another value is kept as written, and never matched)."""
    packages: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    """Other names it is sold under."""


@dataclass(frozen=True)
class Indicators:
    apps: tuple[App, ...]
    date: datetime.date
    """When this copy was published (bundled) or given (a refreshed copy)."""
    origin: str
    """"bundled", or "updated" for a copy given with update-indicators."""
    commit: str | None = None
    by_package: Mapping[str, tuple[App, ...]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[App]] = {}
        for app in self.apps:
            if app.type not in (STALKERWARE, WATCHWARE):
                continue
            for package in app.packages:
                index.setdefault(package, []).append(app)
        object.__setattr__(self, "by_package",
                           {package: tuple(apps) for package, apps in index.items()})

    def match(self, package: str) -> App | None:
        """The app this package belongs to: stalkerware first, where a package is on both lists
        (Android package names are case-sensitive: matched exactly)."""
        found = self.by_package.get(package, ())
        for wanted in (STALKERWARE, WATCHWARE):
            for app in found:
                if app.type == wanted:
                    return app
        return None

    def count(self, kind: str) -> tuple[int, int]:
        """(apps, distinct package names) of one kind."""
        apps = [a for a in self.apps if a.type == kind]
        return len(apps), len({p for a in apps for p in a.packages})

    def packages(self, kind: str) -> set[str]:
        return {p for a in self.apps if a.type == kind for p in a.packages}

    def is_stale(self, today: datetime.date | None = None) -> bool:
        return (today or datetime.date.today()) - self.date > STALE_AFTER

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "date": self.date.isoformat(),
            "commit": self.commit,
            "apps": [
                {"name": a.name, "type": a.type, "packages": list(a.packages),
                 "names": list(a.names)}
                for a in self.apps
            ],
        }


# ── reading the YAML ─────────────────────────────────────────────────────────────────────────


def _strings(value: object) -> tuple[str, ...]:
    """A list field as its strings: missing or null → (), a bare string → (it,), a list → its
    strings, stripped, empties dropped."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    found: list[str] = []
    for item in value[:MAX_ITEMS]:
        if isinstance(item, str) and item.strip() and item.strip() not in found:
            found.append(item.strip())
    return tuple(found)


def _entry(raw: object, default_type: str) -> App | None:
    if not isinstance(raw, dict):
        return None
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    kind = raw.get("type")
    kind = kind.strip() if isinstance(kind, str) and kind.strip() else default_type
    return App(
        name=name.strip()[:200],
        type=kind,
        packages=tuple(p for p in _strings(raw.get("packages")) if len(p) <= 255),
        names=tuple(n[:200] for n in _strings(raw.get("names")) if n != name.strip()),
    )


def parse_yaml(data: bytes, file_name: str) -> tuple[App, ...]:
    """One of Echap's files (``ioc.yaml``, ``watchware.yaml``) as apps; ``IndicatorError`` if it
    is not one. Entries without a name are skipped; the type, where an entry has none, follows
    the file's name."""
    import yaml

    if len(data) > MAX_BYTES:
        raise IndicatorError(
            _("{name} is larger than 8 MB, too large for a list of apps.").format(name=file_name)
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IndicatorError(_("{name} is not a text file.").format(name=file_name)) from None
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    try:
        top = yaml.load(text, Loader=loader)  # noqa: S506 - the base loader builds only str/list/dict
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise IndicatorError(
            _("{name} is not valid YAML{where}.").format(name=file_name, where=where)
        ) from None
    if not isinstance(top, list):
        raise IndicatorError(
            _("{name} is not a list of apps like Echap's ioc.yaml or watchware.yaml.").format(
                name=file_name
            )
        )
    default = WATCHWARE if WATCHWARE in file_name.lower() else STALKERWARE
    apps = [app for app in (_entry(raw, default) for raw in top[:MAX_ENTRIES]) if app]
    if not any(app.packages for app in apps):
        raise IndicatorError(
            _("{name} lists no app with a package name, so it cannot be used.").format(
                name=file_name
            )
        )
    return tuple(apps)


def merge(current: Indicators, given: Iterable[tuple[App, ...]], date: datetime.date, *,
          force: bool = False) -> Indicators:
    """The indicators with the lists in ``given`` replacing those of the same type in
    ``current`` (a copy of only watchware.yaml keeps the stalkerware list in use).

    Refused (``IndicatorError``) when a new list keeps fewer than 90% of the package names of
    the list it replaces, unless ``force``: a cut-short or tampered copy must not quietly make
    the check blind to apps it found before.
    """
    new_apps = [app for apps in given for app in apps]
    replaced = {app.type for app in new_apps if app.type in (STALKERWARE, WATCHWARE)}
    if not replaced:
        raise IndicatorError(_("The file holds neither stalkerware nor monitoring apps."))
    fresh = Indicators(
        apps=tuple([a for a in current.apps if a.type not in replaced] + new_apps),
        date=date,
        origin="updated",
    )
    if not force:
        for kind in sorted(replaced):
            before = current.packages(kind)
            after = fresh.packages(kind)
            if before and len(before & after) < SHRINK_LIMIT * len(before):
                raise IndicatorError(
                    _("This copy lacks {missing} of the {count} {kind} package names in use, so "
                      "it may be cut short or changed. It was not used.").format(
                        missing=len(before - after), count=len(before), kind=kind
                    ),
                    hint=_("Download the files again from the project's own page, or add "
                           "--force if you know the list really shrank."),
                )
    return fresh


# ── the stored (refreshed) copy ──────────────────────────────────────────────────────────────


def from_json(raw: object) -> Indicators | None:
    """A refreshed copy as kept in the data folder; None if it is not one (damaged, or from a
    newer safetykit), so the shipped copy is used."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        return None
    try:
        date = datetime.date.fromisoformat(str(raw.get("date")))
    except ValueError:
        return None
    apps = raw.get("apps")
    if not isinstance(apps, list):
        return None
    found = [app for app in (_entry(a, STALKERWARE) for a in apps[:MAX_ENTRIES]) if app]
    commit = raw.get("commit")
    return Indicators(tuple(found), date, "updated",
                      commit if isinstance(commit, str) and len(commit) <= 64 else None)


# ── the shipped copy ─────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Attribution:
    name: str
    creator: str
    url: str
    commit: str
    date: datetime.date
    licence: str
    licence_url: str
    changes: str


@functools.cache
def attribution() -> Attribution:
    """Where the shipped copy comes from (``indicator_data/SOURCE.toml``)."""
    folder = resources.files("safetykit.content").joinpath(DATA_FOLDER)
    raw = tomllib.loads(folder.joinpath("SOURCE.toml").read_text(encoding="utf-8"))
    if raw.get("schema") != 1 or not isinstance(raw.get("date"), datetime.date):
        raise IndicatorError("indicator_data/SOURCE.toml: needs schema = 1 and a date")
    return Attribution(
        name=str(raw["name"]), creator=str(raw["creator"]), url=str(raw["url"]),
        commit=str(raw["commit"]), date=raw["date"], licence=str(raw["licence"]),
        licence_url=str(raw["licence_url"]), changes=str(raw["changes"]),
    )


@functools.cache
def bundled() -> Indicators:
    """The copy shipped with safetykit, read once."""
    folder = resources.files("safetykit.content").joinpath(DATA_FOLDER)
    apps: list[App] = []
    for name in FILES:
        apps.extend(parse_yaml(folder.joinpath(name).read_bytes(), name))
    source = attribution()
    return Indicators(tuple(apps), source.date, "bundled", source.commit)


def newest(stored: Indicators | None) -> Indicators:
    """The copy to use: a refreshed one if it is newer than the shipped one."""
    shipped = bundled()
    if stored is not None and stored.date > shipped.date:
        return stored
    return shipped


def credit_line(indicators: Indicators) -> str:
    """One line naming the data, its date and its licence (shown with every result)."""
    source = attribution()
    return _(
        "Stalkerware lists: {name}, by {creator}, {url}, licensed {licence} ({licence_url}); "
        "this copy is from {date}."
    ).format(name=source.name, creator=source.creator, url=source.url, licence=source.licence,
             licence_url=source.licence_url, date=indicators.date.isoformat())


def valid_package(name: str) -> bool:
    return bool(_PACKAGE.fullmatch(name))
