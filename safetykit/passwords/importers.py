"""Reading password-manager and browser exports: which product wrote the file, and its logins.

Everything here works on text in memory, except :func:`read_export`, which is the one function that
opens a file. Passwords read from an export live only in :class:`ImportedEntry` objects: they are
never part of a ``repr``, an exception message or anything written anywhere.

A file is recognised by its header row (any order, any case, byte-order mark and spaces ignored)
or, for the products that write no header (Keeper, Enpass, Dashlane before 2019, 1Password 7
without labels), by the shape of its rows; ``product`` names it when the shape is not enough.
Only logins are returned: notes, cards, identities, folders, aliases, bookmarks and deleted
items are counted by kind and skipped. What each product writes, and where that was learned, is
in ``tests/fixtures/exports/README.md``.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from safetykit.errors import BadInputError
from safetykit.i18n import N_, _, ngettext
from safetykit.passwords import csv_text

MAX_BYTES = 50 * 1024 * 1024
"""Largest export accepted (50 MiB); real exports are a few megabytes at most."""

MAX_ROWS = 100_000
"""Most entries accepted in one export."""

_BOM = "\ufeff"


class CsvImportError(BadInputError):
    """An export could not be used. ``reason`` is a short stable code for scripts and tests."""

    reason = "unusable"


class EmptyExportError(CsvImportError):
    reason = "empty"


class UnknownLayoutError(CsvImportError):
    reason = "unknown_layout"


class MalformedCsvError(CsvImportError):
    reason = "malformed"


class NotUtf8Error(CsvImportError):
    reason = "not_utf8"


class ExportTooLargeError(CsvImportError):
    reason = "too_large"


class ExportUnreadableError(CsvImportError):
    reason = "unreadable"


@dataclass(frozen=True)
class ImportedEntry:
    """One login from an export. Nothing it holds is in its ``repr`` (so in no traceback or log):
    not the password, and not the title, address or user name either, which say which accounts a
    person has and, in a damaged file whose cells have shifted, may hold the password itself."""

    title: str = field(repr=False)
    url: str = field(repr=False)
    username: str = field(repr=False)
    password: str = field(repr=False)
    line: int = 0
    """Line of the file where the entry starts (1 is the header), for messages."""

    @property
    def has_password(self) -> bool:
        """False for entries saved without a password (passkeys, single sign-on)."""
        return self.password != ""


SKIPPED_WORDS: dict[str, Callable[[int], str]] = {
    "note": lambda n: ngettext("{count} note", "{count} notes", n),
    "card": lambda n: ngettext("{count} card", "{count} cards", n),
    "identity": lambda n: ngettext("{count} identity", "{count} identities", n),
    "folder": lambda n: ngettext("{count} folder", "{count} folders", n),
    "alias": lambda n: ngettext("{count} alias", "{count} aliases", n),
    "bookmark": lambda n: ngettext("{count} bookmark", "{count} bookmarks", n),
    "deleted": lambda n: ngettext("{count} deleted item", "{count} deleted items", n),
    "wifi": lambda n: ngettext("{count} Wi-Fi network", "{count} Wi-Fi networks", n),
    "other": lambda n: ngettext("{count} other item", "{count} other items", n),
}
"""Each kind of skipped item, counted in words ("2 notes"), in the language in use."""


@dataclass(frozen=True)
class ImportResult:
    """What came out of an export: its product, the logins, and what was skipped (by kind)."""

    layout: str
    entries: tuple[ImportedEntry, ...]
    skipped_kinds: Mapping[str, int] = field(default_factory=dict)
    lossy: bool = False
    """The file was re-saved in a code page: characters outside it were already lost."""

    @property
    def layout_label(self) -> str:
        """The product's name as ``--json`` gives it (in English); a person reads ``_()`` of it."""
        return LAYOUTS_BY_NAME[self.layout].label

    @property
    def skipped(self) -> int:
        return sum(self.skipped_kinds.values())

    @property
    def without_password(self) -> int:
        """How many entries have an empty password (kept, but nothing to check)."""
        return sum(1 for entry in self.entries if not entry.has_password)


# ── rows ──────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Row:
    """One record, its cells reachable by (lowercase) column name, and any cells past the header
    (RoboForm's form fields spill into unnamed columns)."""

    cells: Mapping[str, str]
    extra: tuple[str, ...] = ()

    def get(self, *names: str) -> str:
        """The first non-empty cell among ``names`` (whitespace trimmed: not for passwords)."""
        for name in names:
            value = self.cells.get(name, "").strip()
            if value:
                return value
        return ""

    def raw(self, *names: str) -> str:
        """The first non-empty cell among ``names``, exactly as written (for passwords)."""
        for name in names:
            value = self.cells.get(name, "")
            if value:
                return value
        return ""


Classify = Callable[[Row], str | None]
"""Why a row is not a login ("note", "card", "folder", …), or None for a login."""


@dataclass(frozen=True)
class Layout:
    """How one product's export is laid out."""

    name: str
    label: str
    title: tuple[str, ...]
    url: tuple[str, ...]
    username: tuple[str, ...]
    password: tuple[str, ...]
    required: frozenset[str] = frozenset()
    """Columns the header must have (lowercase)."""
    any_of: frozenset[str] = frozenset()
    """At least one of these must be present too (when given)."""
    classify: Classify | None = None
    backslash_escapes: bool | None = False
    """True: quotes are always escaped with a backslash (KeePass 2); None: it depends on the
    version (1Password 7), so the file is looked at."""
    unescape: Callable[[str], str] | None = None
    """Undoing what the product did to every cell (HTML entities, spreadsheet guards)."""
    columns: tuple[str, ...] = ()
    """Column names for a product that writes no header."""
    spill: bool = False
    """Rows may be longer or shorter than the header (extra, unnamed cells; short bookmarks)."""
    first_url_only: bool = False
    """The URL cell may list several, separated by commas: the first is the site."""
    exactly: bool = False
    """The header has exactly the required columns, nothing more."""

    def matches(self, header: frozenset[str]) -> bool:
        if not self.required or not self.required <= header:
            return False
        if self.exactly and header != self.required:
            return False
        return not self.any_of or bool(self.any_of & header)


def _type_is(column: str, logins: set[str], kinds: Mapping[str, str]) -> Classify:
    def classify(row: Row) -> str | None:
        value = row.get(column).lower()
        if value in logins:
            return None
        return kinds.get(value, "other")

    return classify


_RECYCLE_BINS = {
    "recycle bin", "papierkorb", "corbeille", "papelera", "papelera de reciclaje", "cestino",
    "prullenbak", "lixeira", "lixo", "kosz", "корзина", "papírkosár", "koš", "papperskorgen",
    "papirkurv", "roskakori", "ごみ箱", "回收站", "휴지통", "trash", "deleted",
}


def _keepassxc(row: Row) -> str | None:
    segments = [s.strip().lower() for s in row.get("group").split("/")]
    if any(s in _RECYCLE_BINS for s in segments[1:]):
        return "deleted"
    if not (row.raw("password") or row.get("url") or row.get("username")):
        return "note"
    return None


def _lastpass(row: Row) -> str | None:
    url = row.get("url").lower()
    if url == "http://sn":
        extra = row.get("extra")
        kinds = {"credit card": "card", "bank account": "card", "address": "identity",
                 "passport": "identity", "driver's license": "identity",
                 "social security": "identity", "wi-fi password": "wifi"}
        if extra.lower().startswith("notetype:"):
            note_type = extra.split("\n", 1)[0].split(":", 1)[1].strip().lower()
            return kinds.get(note_type, "note")
        return "note"
    if url == "http://group":
        return "folder"
    return None


def _nordpass(row: Row) -> str | None:
    if "type" in row.cells:
        kinds = {"note": "note", "credit_card": "card", "identity": "identity", "folder": "folder"}
        value = row.get("type").lower()
        return None if value == "password" else kinds.get(value, "other")
    # Before the type column: tell items apart by what is filled in.
    if row.get("cardnumber", "cardholdername"):
        return "card"
    if not (row.get("url", "username") or row.raw("password")):
        if row.get("full_name", "address1", "phone_number", "email"):
            return "identity"
        return "note" if row.get("note") else "folder"
    return None


def _roboform(row: Row) -> str | None:
    if row.get("login", "matchurl") or row.raw("pwd"):
        return None
    return "bookmark" if row.get("url") else "note"


def _roboform_unescape(value: str) -> str:
    # RoboForm guards cells against spreadsheet formulas with one extra leading quote.
    return value[1:] if value[:2] in ("'@", "''") else value


def _lastpass_unescape(value: str) -> str:
    # Exports made through LastPass's browser page carry HTML entities (&amp; for &).
    return html.unescape(value) if "&" in value else value


def _keeper(row: Row) -> str | None:
    if row.get("login", "website") or row.raw("password"):
        return None
    return "other"


def _onepassword_seven(row: Row) -> str | None:
    kind = row.get("type").lower()
    if kind and kind not in ("login", "password"):
        return {"secure note": "note", "credit card": "card", "identity": "identity",
                "bank account": "card", "wireless router": "wifi"}.get(kind, "other")
    if not (row.get("username", "username(username)", "url", "urls", "website")
            or row.raw("password", "password(password)")):
        return "other"
    return None


def _no_site_no_secret(row: Row) -> str | None:
    if not (row.get("url", "username") or row.raw("password")):
        return "other"
    return None


def _firefox(row: Row) -> str | None:
    # Old profiles hold Firefox Account keys as a pseudo-login: not a website password.
    return "other" if row.get("url").lower().startswith("chrome://") else None


LAYOUTS: tuple[Layout, ...] = (
    Layout(
        name="bitwarden", label="Bitwarden",
        title=("name",), url=("login_uri",), username=("login_username",),
        password=("login_password",),
        required=frozenset({"name", "login_uri", "login_username", "login_password"}),
        classify=_type_is("type", {"login", ""}, {"note": "note", "card": "card",
                                                  "identity": "identity"}),
        first_url_only=True,
    ),
    Layout(
        name="firefox", label="Firefox",
        title=(), url=("url",), username=("username",), password=("password",),
        required=frozenset({"url", "username", "password"}),
        any_of=frozenset({"httprealm", "formactionorigin", "guid"}),
        classify=_firefox,
    ),
    Layout(
        name="keepassxc", label="KeePassXC",
        title=("title",), url=("url",), username=("username",), password=("password",),
        required=frozenset({"group", "title", "username", "password", "url"}),
        classify=_keepassxc,
    ),
    Layout(
        name="keepass", label="KeePass 2",
        title=("account",), url=("web site",), username=("login name",), password=("password",),
        required=frozenset({"account", "login name", "password", "web site"}),
        backslash_escapes=True, classify=_no_site_no_secret,
    ),
    Layout(
        name="nordpass", label="NordPass",
        title=("name",), url=("url",), username=("username", "email"), password=("password",),
        required=frozenset({"name", "url", "username", "password", "note", "cardholdername"}),
        classify=_nordpass,
    ),
    Layout(
        name="protonpass", label="Proton Pass",
        title=("name",), url=("url",), username=("username", "email"), password=("password",),
        required=frozenset({"type", "name", "url", "username", "password", "note"}),
        any_of=frozenset({"totp", "createtime", "modifytime"}),
        classify=_type_is("type", {"login"}, {"alias": "alias", "note": "note",
                                              "creditcard": "card", "identity": "identity",
                                              "wifi": "wifi"}),
        first_url_only=True,
    ),
    Layout(
        name="dashlane", label="Dashlane",
        title=("title",), url=("url",), username=("username", "username2", "username3"),
        password=("password",),
        required=frozenset({"username", "username2", "title", "password", "url"}),
    ),
    Layout(
        name="lastpass", label="LastPass",
        title=("name",), url=("url",), username=("username",), password=("password",),
        required=frozenset({"url", "username", "password", "extra", "name", "grouping"}),
        classify=_lastpass, unescape=_lastpass_unescape,
    ),
    Layout(
        name="roboform", label="RoboForm",
        title=("name",), url=("matchurl", "url"), username=("login",), password=("pwd",),
        required=frozenset({"name", "url", "login", "pwd"}),
        classify=_roboform, unescape=_roboform_unescape, spill=True,
    ),
    Layout(
        name="1password7", label="1Password 7",
        title=("title",), url=("url", "urls", "website"),
        username=("username", "username(username)", "email"),
        password=("password", "password(password)"),
        required=frozenset({"title"}),
        any_of=frozenset({"type", "uuid", "password(password)", "master-password", "urls"}),
        classify=_onepassword_seven, backslash_escapes=None,
    ),
    Layout(
        # 1Password 7 for Mac, "common fields" with column labels
        name="1password7-common", label="1Password 7",
        title=("title",), url=("url",), username=("username",), password=("password",),
        required=frozenset({"title", "notes", "username", "password", "url"}),
        exactly=True, backslash_escapes=None, classify=_no_site_no_secret,
    ),
    Layout(
        name="1password", label="1Password 8",
        title=("title",), url=("url",), username=("username",), password=("password",),
        required=frozenset({"title", "url", "username", "password"}),
        any_of=frozenset({"favorite", "archived", "tags"}),
    ),
    Layout(
        name="safari", label=N_("Safari / Apple Passwords"),
        title=("title",), url=("url",), username=("username",), password=("password",),
        required=frozenset({"title", "url", "username", "password"}),
    ),
    Layout(
        name="chrome", label="Chrome / Edge",
        title=("name",), url=("url",), username=("username",), password=("password",),
        required=frozenset({"name", "url", "username", "password"}),
    ),
    # No header: recognised by shape (or named with ``product``).
    Layout(
        name="keeper", label="Keeper",
        title=("title",), url=("website",), username=("login",), password=("password",),
        columns=("folder", "title", "login", "password", "website", "notes", "shared folder"),
        classify=_keeper, spill=True,
    ),
    Layout(
        name="enpass", label="Enpass",
        title=("title",), url=("url",), username=("username",), password=("password",),
        columns=("title",), spill=True,
    ),
    Layout(
        name="dashlane-legacy", label=N_("Dashlane (before 2019)"),
        title=("title",), url=("url",), username=("login",), password=("password",),
        columns=("title", "url", "login", "password", "note"), spill=True,
    ),
    Layout(
        name="1password7-nolabels", label="1Password 7",
        title=("title",), url=("url",), username=("username",), password=("password",),
        columns=("title", "notes", "username", "password", "url"), backslash_escapes=None,
        classify=_no_site_no_secret,
    ),
)

LAYOUTS_BY_NAME: dict[str, Layout] = {layout.name: layout for layout in LAYOUTS}
PRODUCTS: dict[str, str] = {
    "chrome": "chrome", "edge": "chrome", "firefox": "firefox", "safari": "safari",
    "apple": "safari", "bitwarden": "bitwarden", "1password": "1password",
    "1password7": "1password7", "1password7-common": "1password7-common",
    "keepassxc": "keepassxc", "keepass": "keepass",
    "lastpass": "lastpass", "dashlane": "dashlane", "nordpass": "nordpass",
    "protonpass": "protonpass", "proton": "protonpass", "enpass": "enpass",
    "roboform": "roboform", "keeper": "keeper",
}
"""Names a person or script can give with ``product`` (for files with no header)."""

SUPPORTED = N_(
    "Chrome or Edge, Firefox, Safari or Apple Passwords, Bitwarden, 1Password, KeePassXC, "
    "KeePass, LastPass, Dashlane, NordPass, Proton Pass, Enpass, RoboForm, Keeper"
)
"""The products whose exports work, in words (shown through ``_()``)."""


def _normalise_header(cells: Sequence[str]) -> list[str]:
    return [cell.replace(_BOM, "").strip().lower() for cell in cells]


def detect_layout(header: Sequence[str]) -> Layout:
    """The layout whose columns the header row carries, or :class:`UnknownLayoutError`."""
    names = frozenset(_normalise_header(header))
    for layout in LAYOUTS:
        if not layout.columns and layout.matches(names):
            return layout
    raise _unknown()


def _unknown() -> UnknownLayoutError:
    return UnknownLayoutError(
        _("This file's first row does not look like a password export safetykit knows."),
        hint=_("Exports that work: {products}. Export again as CSV from one of these.").format(
            products=_(SUPPORTED)
        ),
    )


_URLISH = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)\S+$|^[a-z0-9-]+(?:\.[a-z0-9-]+)+/?\S*$",
                     re.IGNORECASE)
_ENPASS_LABELS = {"username", "e-mail", "email", "password", "website", "url", "login",
                  "one-time code", "totp", "phone number", "security question",
                  "security answer", "cardholder", "number", "cvc", "pin", "expiry date", "type",
                  "note", "title", "field"}


def _urlish(cell: str) -> bool:
    return bool(_URLISH.match(cell.strip()))


def _guess_headerless(records: Sequence[list[str]]) -> Layout | None:
    """The product that wrote a file with no header, judged from its first rows."""
    sample = list(records[:20])
    if not sample:
        return None
    if all(len(r) >= 2 and len(r) % 2 == 0 for r in sample) and any(
        cell.lstrip("*").strip().lower() in _ENPASS_LABELS
        for r in sample
        for cell in r[1:-1:2]
    ):
        return LAYOUTS_BY_NAME["enpass"]
    if all(len(r) >= 7 for r in sample) and (
        any("TFC:Keeper" in r for r in sample) or sum(_urlish(r[4]) for r in sample) >= 1
    ):
        return LAYOUTS_BY_NAME["keeper"]
    if all(len(r) == 5 for r in sample) and sum(_urlish(r[4]) for r in sample) > sum(
        _urlish(r[1]) for r in sample
    ):
        return LAYOUTS_BY_NAME["1password7-nolabels"]
    if all(1 <= len(r) <= 8 for r in sample) and sum(
        len(r) > 1 and _urlish(r[1]) for r in sample
    ) >= max(1, len(sample) // 3):
        return LAYOUTS_BY_NAME["dashlane-legacy"]
    return None


# ── the products with no header ───────────────────────────────────────────────────────────────


def _enpass_row(cells: list[str]) -> tuple[Row, str | None]:
    """Enpass: title, label/value pairs, then the note; a login has a password or a username."""
    title = cells[0]
    fields: dict[str, str] = {"title": title}
    for label, value in zip(cells[1:-1:2], cells[2:-1:2], strict=True):
        key = label.lstrip("*").strip().lower()
        if key in ("e-mail", "email"):
            fields.setdefault("email", value)
        elif key in ("website", "url"):
            fields.setdefault("url", value)
        elif key in ("username", "login", "password"):
            fields.setdefault(key, value)
    if "username" not in fields or not fields["username"].strip():
        fields["username"] = fields.get("email", "")
    if len(cells) == 2:
        return Row(fields), "note"
    if not (fields.get("password") or fields.get("url") or fields.get("username", "").strip()):
        labels = {c.lstrip("*").strip().lower() for c in cells[1:-1:2]}
        return Row(fields), "card" if {"number", "cvc"} & labels else "other"
    return Row(fields), None


def _dashlane_legacy_row(cells: list[str]) -> tuple[Row, str | None]:
    """Dashlane's old headerless export: the layout depends on the number of cells."""
    names: tuple[str, ...]
    if len(cells) == 5:
        names = ("title", "url", "login", "password", "note")
    elif len(cells) == 6:
        names = (
            ("title", "url", "", "login", "password", "note") if not cells[2].strip()
            else ("title", "url", "login", "password", "note", "note2")
        )
    elif len(cells) == 7:
        names = ("title", "url", "login", "login2", "note", "password", "note2")
    else:
        return Row({}), "other"
    return Row({n: c for n, c in zip(names, cells, strict=True) if n}), None


# ── parsing ───────────────────────────────────────────────────────────────────────────────────


def _title_from_url(url: str) -> str:
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        host = ""
    return host.removeprefix("www.") or url


def _too_large_bytes() -> ExportTooLargeError:
    return ExportTooLargeError(
        _("This file is too large to be a password export."),
        hint=_("safetykit reads exports up to {size} MB.").format(size=MAX_BYTES // (1024 * 1024)),
    )


def _too_many() -> ExportTooLargeError:
    return ExportTooLargeError(
        _("This file has more entries than safetykit checks at once."),
        hint=_("safetykit reads up to {count} entries in one export.").format(
            count=f"{MAX_ROWS:,}"
        ),
    )


def _first_url(url: str) -> str:
    return url.split(",", 1)[0].strip() if "," in url else url


def _entry(layout: Layout, row: Row, line: int) -> ImportedEntry:
    url = row.get(*layout.url)
    if layout.first_url_only:
        url = _first_url(url)
    return ImportedEntry(
        title=row.get(*layout.title) or _title_from_url(url),
        url=url,
        username=row.get(*layout.username),
        password=row.raw(*layout.password),
        line=line,
    )


def _records(
    text: str, layout: Layout | None, delimiter: str
) -> list[tuple[int, list[str]]]:
    escapes = layout.backslash_escapes if layout else False
    if escapes is None:
        escapes = csv_text.uses_backslash_escapes(text)
    try:
        return list(csv_text.rows(text, delimiter=delimiter, backslash_escapes=escapes))
    except csv.Error as exc:
        raise MalformedCsvError(
            _("This file is not CSV that safetykit can read."),
            hint=_("A quote may be missing or the file may be cut short. Export it again."),
        ) from exc


def parse_export(text: str, product: str | None = None, *, lossy: bool = False) -> ImportResult:
    """Parse the text of an export (already decoded) into logins.

    ``product`` (see ``PRODUCTS``) names the product when the file has no header row. Raises a
    :class:`CsvImportError` subclass when the text is empty, too large, not CSV that this module
    can read, or from a product it does not know.
    """
    if len(text) > MAX_BYTES:
        raise _too_large_bytes()
    text = text.removeprefix(_BOM)
    if "\x00" in text:
        raise MalformedCsvError(
            _("This file contains binary data, so it is not a CSV export safetykit can read."),
            hint=_("Export your passwords again as a CSV file, then retry."),
        )
    if not text.strip():
        raise EmptyExportError(
            _("This file is empty."),
            hint=_("Export your passwords again as a CSV file, then retry."),
        )
    delimiter = csv_text.sniff_delimiter(csv_text.first_line(text))
    try:
        records = _records(text, None, delimiter)
    except MalformedCsvError:
        # KeePass 2 and 1Password 7 escape quotes with a backslash, which a plain reader refuses.
        if not csv_text.uses_backslash_escapes(text):
            raise
        records = _records(text, LAYOUTS_BY_NAME["keepass"], delimiter)
    if not records:
        raise EmptyExportError(
            _("This file has no rows."),
            hint=_("Export your passwords again as a CSV file, then retry."),
        )
    header = _normalise_header(records[0][1])
    layout: Layout | None = None
    if product is not None:
        named = PRODUCTS.get(product.strip().lower())
        if named is None:
            raise UnknownLayoutError(
                _("safetykit does not know the product {product}.").format(
                    product=repr(product)
                ),
                hint=_("Products it reads: {products}.").format(
                    products=", ".join(sorted(PRODUCTS))
                ),
            )
        layout = LAYOUTS_BY_NAME[named]
        if named == "dashlane" and not layout.matches(frozenset(header)):
            layout = LAYOUTS_BY_NAME["dashlane-legacy"]
        if named == "1password7" and not layout.matches(frozenset(header)):
            layout = LAYOUTS_BY_NAME["1password7-nolabels"]
    else:
        layout = next(
            (lay for lay in LAYOUTS if not lay.columns and lay.matches(frozenset(header))), None
        )
        if layout is None:
            layout = _guess_headerless([cells for _line, cells in records])
        if layout is None:
            raise _unknown()
    if layout.backslash_escapes is not False:
        records = _records(text, layout, delimiter)
    has_header = not layout.columns
    if layout.name == "enpass" and header[:2] == ["title", "field"]:
        has_header = True  # Enpass 5 wrote a header of its own
    columns = header if has_header else list(layout.columns)
    body = records[1:] if has_header else records
    return _parse_rows(layout, columns, body, lossy)


def _parse_rows(
    layout: Layout, columns: list[str], body: Sequence[tuple[int, list[str]]], lossy: bool
) -> ImportResult:
    width = len(columns)
    entries: list[ImportedEntry] = []
    skipped: Counter[str] = Counter()
    for line, raw_cells in body:
        if len(entries) + sum(skipped.values()) >= MAX_ROWS:
            raise _too_many()
        cells = [layout.unescape(c) for c in raw_cells] if layout.unescape else raw_cells
        if layout.name == "enpass":
            row, why = _enpass_row(cells)
        elif layout.name == "dashlane-legacy":
            row, why = _dashlane_legacy_row(cells)
        else:
            if len(cells) != width and not layout.spill:
                raise MalformedCsvError(
                    ngettext(
                        "The row starting on line {line} has {count} columns, but the first row "
                        "has {width}.",
                        "The row starting on line {line} has {count} columns, but the first row "
                        "has {width}.",
                        len(cells),
                    ).format(line=line, count=len(cells), width=width),
                    hint=_(
                        "The file may have been edited by hand or cut short. Export it again."
                    ),
                )
            row = Row(dict(zip(columns, cells, strict=False)), tuple(cells[width:]))
            why = layout.classify(row) if layout.classify else None
        if why is not None:
            skipped[why] += 1
            continue
        entries.append(_entry(layout, row, line))
    return ImportResult(
        layout=layout.name, entries=tuple(entries), skipped_kinds=dict(skipped), lossy=lossy
    )


def decode_export(data: bytes) -> csv_text.Decoded:
    """Bytes of an export as text (UTF-8, UTF-16, or a spreadsheet's code page)."""
    if len(data) > MAX_BYTES:
        raise _too_large_bytes()
    return csv_text.decode(data)


# Dashlane's web export is a ZIP of CSV files; logins are in credentials.csv.
_DASHLANE_MEMBERS = {
    "securenotes.csv": "note", "payments.csv": "card", "ids.csv": "identity",
    "personalinfo.csv": "identity",
}


def _from_zip(data: bytes, product: str | None) -> ImportResult:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise MalformedCsvError(
            _("This ZIP file is damaged."), hint=_("Export your passwords again, then retry.")
        ) from exc
    with archive:
        members = {Path(i.filename).name.lower(): i for i in archive.infolist() if not i.is_dir()}
        if "credentials.csv" not in members:
            raise UnknownLayoutError(
                _("This ZIP file has no credentials.csv, so it is not a Dashlane export."),
                hint=_("Exports that work: {products}.").format(products=_(SUPPORTED)),
            )
        if sum(i.file_size for i in members.values()) > MAX_BYTES:
            raise _too_large_bytes()

        def text_of(name: str) -> csv_text.Decoded:
            with archive.open(members[name]) as handle:
                return decode_export(handle.read(MAX_BYTES + 1))

        credentials = text_of("credentials.csv")
        result = parse_export(credentials.text, product or "dashlane", lossy=credentials.lossy)
        skipped = Counter(result.skipped_kinds)
        for name, kind in _DASHLANE_MEMBERS.items():
            if name in members:
                other = text_of(name).text
                count = sum(1 for _row in csv_text.rows(other, delimiter=",")) - 1
                skipped[kind] += max(count, 0)
    return ImportResult(result.layout, result.entries, dict(skipped), result.lossy)


def read_export(path: str | os.PathLike[str], product: str | None = None) -> ImportResult:
    """Read, decode and parse an export file (a CSV, or Dashlane's ZIP). Nothing is written."""
    target = Path(path)
    try:
        size = target.stat().st_size
        if size > MAX_BYTES:
            raise _too_large_bytes()
        with target.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ExportUnreadableError(
            _("There is no file at that path."),
            hint=_("Check the file name and folder, then retry."),
        ) from None
    except IsADirectoryError:
        raise ExportUnreadableError(
            _("That path is a folder, not an export file."), hint=_("Give the CSV file itself.")
        ) from None
    except OSError as exc:
        raise ExportUnreadableError(
            _("The file could not be opened ({reason}).").format(
                reason=exc.strerror or _("unknown reason")
            ),
            hint=_("Check that the file is readable by you, then retry."),
        ) from None
    if data.startswith(b"PK\x03\x04"):
        return _from_zip(data, product)
    decoded = decode_export(data)
    return parse_export(decoded.text, product, lossy=decoded.lossy)


def skipped_phrase(result: ImportResult) -> str:
    """ "4 other items skipped (2 notes, 1 card, 1 folder)" or "" when nothing was skipped."""
    if not result.skipped:
        return ""
    parts = []
    for kind, count in sorted(result.skipped_kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        words = SKIPPED_WORDS.get(kind, SKIPPED_WORDS["other"])
        parts.append(words(count).format(count=count))
    total = result.skipped
    summary = ngettext(
        "{count} other item skipped", "{count} other items skipped", total
    ).format(count=total)
    if set(result.skipped_kinds) == {"other"}:
        return summary
    # TRANSLATORS: "4 other items skipped (2 notes, 1 card, 1 folder)", part of a sentence.
    return _("{skipped} ({details})").format(skipped=summary, details=", ".join(parts))


def describe(result: ImportResult) -> dict[str, object]:
    """The import's facts for ``--json`` output (no password, no user name)."""
    return {
        "product": result.layout_label,
        "logins": len(result.entries),
        "skipped": dict(result.skipped_kinds),
        "lossy": result.lossy,
    }

