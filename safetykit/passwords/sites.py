"""Which account a login belongs to: its site, its kind in the catalogue, and its sign-in.

Kinds are judged by host, never by substring: a login at ``dropbox.com`` is cloud storage, not
X, though the text "x.com" appears in it. A host matches a kind when it is one of the kind's hosts
or a subdomain of one; the longest match wins (``mail.google.com`` is Gmail, ``google.com`` the
Google Account). Only when no host matches are the whole words of a title compared with the kind's
names ("AT&T", "Verizon"). Pure: strings in, strings out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from safetykit.content.accounts import AccountKind, load_accounts
from safetykit.i18n import _

# Two-part public suffixes common where safetykit is used: the site is the label before them.
_TWO_PART_SUFFIXES = frozenset(
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "sch.uk",
        "com.au", "net.au", "org.au", "edu.au", "gov.au", "asn.au", "id.au",
        "co.nz", "org.nz", "net.nz", "govt.nz", "ac.nz", "gen.nz", "school.nz",
        "co.za", "com.br", "com.mx", "gob.mx", "com.ar", "co.in", "co.jp", "co.kr", "com.cn",
        "com.sg", "com.hk", "com.tr", "com.es", "gc.ca", "qc.ca", "on.ca", "bc.ca",
    }
)


def host_of(url: str) -> str:
    """The host of an address, lowercase, without ``www.`` (an app's package for ``android://``
    addresses); "" when there is none."""
    text = url.strip()
    if not text:
        return ""
    if text.lower().startswith("android://"):
        package = text.rsplit("@", 1)[-1].strip("/")
        return ".".join(reversed(package.lower().split(".")))  # com.instagram.android → …
    try:
        host = urlsplit(text if "//" in text else f"//{text}").hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.").rstrip(".")


def site_of(host: str) -> str:
    """The registrable part of a host (``mail.example.co.uk`` → ``example.co.uk``)."""
    parts = [p for p in host.split(".") if p]
    if len(parts) <= 2 or re.fullmatch(r"[\d.]+", host):
        return host
    if ".".join(parts[-2:]) in _TWO_PART_SUFFIXES:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


@cache
def _hosts() -> tuple[tuple[str, str], ...]:
    pairs = [(host, kind.id) for kind in load_accounts() for host in kind.hosts]
    return tuple(sorted(pairs, key=lambda hk: -len(hk[0])))


def _kind_for_host(host: str) -> str | None:
    for known, kind in _hosts():
        if host == known or host.endswith("." + known):
            return kind
    return None


_SHORT_NAME = 5
_TRAILING = r"(?:\s+(?:mobile|app|account|login|log in|sign in|online|wireless|uk|us))?"


@cache
def _name_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    found = []
    for kind in load_accounts():
        for name in kind.names:
            if len(name) <= _SHORT_NAME and name.isalpha():
                # Short, common words ("three", "ring", "box") count only as the whole title or
                # its first word before a dash, colon or bracket ("Gmail - work", "Box (old)").
                pattern = rf"^(?:my\s+)?{re.escape(name)}{_TRAILING}(?:$|\s*[-\u2013\u2014:|(/,])"
            else:
                pattern = rf"(?<![\w&-]){re.escape(name)}(?![\w&-])"
            found.append((re.compile(pattern), kind.id))
    # Longer names first: "metro by t-mobile" before "t-mobile", "google drive" before "google".
    return tuple(sorted(found, key=lambda pk: -len(pk[0].pattern)))


def kind_for(title: str = "", url: str = "") -> str:
    """The catalogue kind a login belongs to: by its address's host, else by whole words of its
    title; "other" when neither says."""
    host = host_of(url)
    if host:
        by_host = _kind_for_host(host)
        if by_host is not None:
            return by_host
    text = " ".join(title.casefold().split())
    for pattern, kind in _name_patterns():
        if pattern.search(text):
            return kind
    # A title that is itself an address ("accounts.google.com") is judged as one.
    if not host and "." in title and " " not in title.strip():
        return _kind_for_host(host_of(title)) or "other"
    return "other"


def _kind(kind_id: str) -> AccountKind | None:
    return next((k for k in load_accounts() if k.id == kind_id), None)


def normalise_username(username: str) -> str:
    return " ".join(username.casefold().split())


@dataclass(frozen=True)
class Identity:
    """Which account a login is: the sign-in (a kind's family, or the site for others) and who."""

    sign_in: str
    username: str


def identity_of(title: str, url: str, username: str) -> Identity:
    """Logins with the same identity are one account (Chrome writes one row per affiliated
    site; Gmail and Google Account are one sign-in): the same password there is not reuse."""
    kind_id = kind_for(title, url)
    kind = _kind(kind_id)
    if kind is not None and not kind.generic:
        sign_in = f"kind:{kind.sign_in}"
    else:
        host = host_of(url)
        sign_in = f"site:{site_of(host)}" if host else f"title:{' '.join(title.casefold().split())}"
    return Identity(sign_in, normalise_username(username))


def friendly_label(title: str, url: str, username: str) -> str:
    """What a person reads for a login: the kind's name for a known one ("Google Account"), the
    title (or site) otherwise; the username after it in brackets."""
    kind = _kind(kind_for(title, url))
    if kind is not None and not kind.generic:
        name = kind.name
    else:
        name = title.strip() or site_of(host_of(url)) or (kind.name if kind else _("(no name)"))
    return f"{name} ({username.strip()})" if username.strip() else name


def labels_for(titles: Sequence[tuple[str, str, str]]) -> list[str]:
    """``friendly_label`` for many logins at once."""
    return [friendly_label(t, u, n) for t, u, n in titles]
