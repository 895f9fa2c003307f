"""The checks every content loader shares, and the one error for "not in the content".

Each loader (checklist, plan, accounts, resources) reads its TOML file and builds frozen
dataclasses; these helpers do the common checks so every file says a problem the same way:
``<file>: <where>: <what is wrong>``. A ``where`` already names the file.

Sources are facts with a date: every step, caution or number that rests on a page cites it as
``{ url = "https://…", checked = 2026-11-26 }``. A page that is not the platform's, the
service's or a government's own is marked ``third_party = true`` with a ``why``; a test keeps
every other host on the allow-list of official domains below.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from safetykit.content._files import ContentError

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""Ids in the checklist, plan and resources: lowercase words joined by single hyphens."""

SOURCE_KEYS = frozenset({"url", "checked", "third_party", "why"})

OFFICIAL_DOMAINS: frozenset[str] = frozenset(
    {
        # Platforms and the companies that make phones, apps and accounts
        "apple.com", "google.com", "android.com", "googlesource.com", "youtube.com",
        "microsoft.com",
        "live.com", "facebook.com", "instagram.com", "meta.com", "whatsapp.com", "messenger.com",
        "x.com", "tiktok.com", "snapchat.com", "signal.org", "telegram.org", "discord.com",
        "fb.com", "snap.com",  # Meta's newsroom (about.fb.com); Snap's policies (values.snap.com)
        "dropbox.com", "amazon.com", "ring.com", "life360.com", "tile.com", "strava.com",
        "uber.com", "lyft.com", "doordash.com", "tesla.com", "paypal.com", "venmo.com",
        "cash.app", "squareup.com", "proton.me", "yahoo.com", "bitwarden.com", "1password.com",
        "lastpass.com", "t-mobile.com", "verizon.com", "att.com", "samsung.com",
        # Governments and regulators
        "fcc.gov", "ftc.gov", "identitytheft.gov", "consumer.ftc.gov", "usa.gov", "ssa.gov",
        "justice.gov", "ojp.gov", "ovw.usdoj.gov", "usps.com", "nist.gov", "ca.gov",
        # Hotlines and services, on their own sites
        "thehotline.org", "loveisrespect.org", "988lifeline.org", "crisistextline.org",
        "rainn.org", "cybercivilrights.org", "stopncii.org", "missingkids.org", "nnedv.org",
        "techsafety.org", "womenslaw.org", "victimsofcrime.org", "stopstalkerware.org",
        "haveibeenpwned.com", "ncmec.org", "stalkingawareness.org",
        # UK, Ireland, Canada, Australia and New Zealand: governments, and services' own sites
        "112.ie", "1800respect.org.au", "211.ca", "2shine.org.nz", "988.ca", "acma.gov.au",
        "actionagainststalking.org", "ag.gov.au", "alberta.ca", "arun.gov.uk", "awhl.org",
        "canada.ca", "citizensinformation.ie", "court.nl.ca", "courts.ie", "cybertip.ca",
        "dsahelpline.org", "endvaw.ca", "esafety.gov.au", "findahelpline.com", "giveusashout.org",
        "gnb.ca", "gov.bc.ca", "gov.ie", "gov.nt.ca", "gov.scot", "gov.uk", "gov.wales",
        "gov.yk.ca", "govt.nz", "hotline.ie", "iow.gov.uk", "justice-ni.gov.uk", "justice.gc.ca",
        "justice.gov.ie", "justice.govt.nz", "legalaid.bc.ca", "legislation.gov.uk",
        "lifeline.org.au", "livinginnb.ca", "manitoba.ca", "maws.mb.ca", "mygov.scot",
        "nationaldahelpline.org.uk", "netsafe.org.nz", "nidirect.gov.uk",
        "plan4womenssafety.dss.gov.au", "police.uk", "psni.police.uk", "qld.gov.au",
        "refuge.org.uk", "revengepornhelpline.org.uk", "safer.scot", "samaritans.org",
        "sheltersafe.ca", "sosviolenceconjugale.ca", "suzylamplugh.org", "thans.ca",
        "throughlinecare.com", "triplezero.gov.au", "welshwomensaid.org.uk", "womensaid.ie",
        "womensrefuge.org.nz", "yas.nhs.uk",
        # Spain and Mexico: governments (gob.es covers igualdad.gob.es, sanidad.gob.es, the
        # Government Delegations on mpt.gob.es; gob.mx covers cdmx.gob.mx), the EU's 112 pages,
        # a town council, and services' own sites
        "boe.es", "consejociudadanomx.org", "europa.eu", "gob.es", "gob.mx", "mugardos.gal",
        # US government pages on reaching US lines in Spanish
        "in.gov", "samhsa.gov",
    }
)
"""Hosts (and their subdomains) that are a platform's, a government's or a service's own."""


class NotInContentError(ContentError, LookupError):
    """Something looked up by id (an item, a question, a kind, a hotline) is not in the content,
    for example an id saved by an older version. Callers that can show it as "other" catch
    this."""


@dataclass(frozen=True)
class Source:
    """A page a fact rests on, and when it was checked."""

    url: str
    checked: datetime.date
    third_party: bool = False
    why: str | None = None
    """Why a third-party page is cited (required when ``third_party``)."""

    @property
    def host(self) -> str:
        try:
            return (urlsplit(self.url).hostname or "").lower()
        except ValueError:
            return ""


def fail(where: str, problem: str) -> ContentError:
    return ContentError(f"{where}: {problem}")


def table(
    value: object,
    where: str,
    allowed: Collection[str] | None = None,
    required: Iterable[str] = (),
) -> Mapping[str, Any]:
    """``value`` as a table, with no field outside ``allowed`` and every ``required`` one."""
    if not isinstance(value, Mapping):
        raise fail(where, "must be a table")
    found = cast(Mapping[str, Any], value)
    if allowed is not None:
        unknown = sorted(str(key) for key in found if key not in allowed)
        if unknown:
            raise fail(where, f"unknown field(s) {', '.join(unknown)}")
    missing = [key for key in required if key not in found]
    if missing:
        raise fail(where, f"missing {', '.join(repr(key) for key in missing)}")
    return found


def _subject(name: str | None) -> str:
    return f"{name!r} must be" if name else "must be"


def array(
    value: object, where: str, name: str | None, *, allow_empty: bool = False
) -> Sequence[Any]:
    """A list (``name`` None when ``where`` already names it)."""
    if not isinstance(value, list) or (not value and not allow_empty):
        raise fail(where, f"{_subject(name)} a {'' if allow_empty else 'non-empty '}list")
    return cast(Sequence[Any], value)


def text(value: object, where: str, name: str | None) -> str:
    """Non-empty text, with surrounding spaces removed (``name`` None when ``where`` already
    names it)."""
    if not isinstance(value, str) or not value.strip():
        raise fail(where, f"{_subject(name)} a non-empty string")
    return value.strip()


def optional_text(found: Mapping[str, Any], name: str, where: str) -> str | None:
    return text(found[name], where, name) if name in found else None


def texts(
    value: object,
    where: str,
    name: str,
    *,
    allow_empty: bool = False,
    lowercase: bool = False,
) -> tuple[str, ...]:
    """A list of non-empty strings, none repeated."""
    entries = array(value, where, name, allow_empty=allow_empty)
    found = tuple(text(entry, where, f"{name}[{n}]") for n, entry in enumerate(entries))
    if len(set(found)) != len(found):
        raise fail(where, f"{name!r} has a repeated entry")
    if lowercase and any(entry != entry.lower() for entry in found):
        raise fail(where, f"{name!r} must be lowercase")
    return found


def flag(value: object, where: str, name: str) -> bool:
    if not isinstance(value, bool):
        raise fail(where, f"{name!r} must be true or false")
    return value


def whole(value: object, where: str, name: str, low: int, high: int) -> int:
    # bool is an int in Python; a count of True lines is a mistake in the file.
    if not isinstance(value, int) or isinstance(value, bool):
        raise fail(where, f"{name!r} must be a whole number")
    if not low <= value <= high:
        raise fail(where, f"{name!r} must be between {low} and {high}, got {value}")
    return value


def slug(value: object, where: str, name: str = "id", pattern: re.Pattern[str] = SLUG) -> str:
    found = text(value, where, name)
    if not pattern.fullmatch(found):
        raise fail(where, f"{name} {found!r} must be a slug of a-z, 0-9 and single hyphens")
    return found


def one_of(value: object, where: str, name: str, allowed: Collection[str]) -> str:
    found = text(value, where, name)
    if found not in allowed:
        raise fail(where, f"{name} {found!r} is not one of {sorted(allowed)}")
    return found


def https_url(value: object, where: str, name: str) -> str:
    found = text(value, where, name)
    try:
        parts = urlsplit(found)
        host = parts.hostname
    except ValueError:  # a broken address, such as an unclosed "[" of an IPv6 host
        host = None
        parts = urlsplit("")
    if parts.scheme != "https" or not host or any(c.isspace() for c in found):
        raise fail(where, f"{name} {found!r} must be an https:// address")
    return found


def date(value: object, where: str, name: str, today: datetime.date) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise fail(where, f"{name!r} must be a date such as 2026-01-31")
    if value > today:
        raise fail(where, f"{name} date {value} is in the future")
    return value


def unique(ids: Iterable[str], where: str, what: str) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise fail(where, f"{what} id {value!r} is used twice")
        seen.add(value)


def source(value: object, where: str, today: datetime.date) -> Source:
    found = table(value, where, SOURCE_KEYS, required=("url", "checked"))
    third_party = flag(found.get("third_party", False), where, "third_party")
    why = optional_text(found, "why", where)
    if third_party and why is None:
        raise fail(where, "a third-party source needs a 'why'")
    if why is not None and not third_party:
        raise fail(where, "'why' is only for third_party = true")
    return Source(
        url=https_url(found["url"], where, "url"),
        checked=date(found["checked"], where, "checked", today),
        third_party=third_party,
        why=why,
    )


def sources(
    value: object, where: str, today: datetime.date, *, allow_empty: bool = True
) -> tuple[Source, ...]:
    """``[{ url = "https://…", checked = 2026-11-26 }, …]``: each cited page and its date."""
    entries = array(value, where, "sources", allow_empty=allow_empty)
    found = tuple(
        source(entry, f"{where} source {n + 1}", today) for n, entry in enumerate(entries)
    )
    if len({s.url for s in found}) != len(found):
        raise fail(where, "'sources' has a repeated entry")
    return found


def is_official(host: str) -> bool:
    """Whether ``host`` is one of the official domains or a subdomain of one."""
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in OFFICIAL_DOMAINS)
