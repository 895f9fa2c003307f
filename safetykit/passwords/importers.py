"""Reading password-manager and browser CSV exports.

Everything here works on text in memory, except :func:`read_export`, which is the one function that
opens a file. Passwords read from an export live only in :class:`ImportedEntry` objects: they are
never part of a ``repr``, an exception message or anything written anywhere.

The layout is recognised from the header row (case-insensitive, byte-order mark and surrounding
spaces ignored), so the order of the columns does not matter.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from safetykit.errors import BadInputError

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
    """One login from an export. The password is kept out of ``repr`` and comparisons' output."""

    title: str
    url: str
    username: str
    password: str = field(repr=False)
    line: int = 0
    """Line of the file where the entry starts (1 is the header), for messages."""

    @property
    def has_password(self) -> bool:
        """False for entries saved without a password (passkeys, single sign-on, notes)."""
        return self.password != ""


@dataclass(frozen=True)
class ImportResult:
    """What came out of an export: its layout, the logins, and how many rows were not logins."""

    layout: str
    entries: tuple[ImportedEntry, ...]
    skipped: int = 0

    @property
    def layout_label(self) -> str:
        return LAYOUTS_BY_NAME[self.layout].label

    @property
    def without_password(self) -> int:
        """How many entries have an empty password (kept, but nothing to check)."""
        return sum(1 for entry in self.entries if not entry.has_password)


@dataclass(frozen=True)
class Layout:
    """How one exporter names its columns (lowercase). Each field lists candidate names."""

    name: str
    label: str
    title: tuple[str, ...]
    url: tuple[str, ...]
    username: tuple[str, ...]
    password: tuple[str, ...]
    matches: Callable[[frozenset[str]], bool]
    type_column: str | None = None
    login_types: frozenset[str] = frozenset()


def _has(*names: str) -> Callable[[frozenset[str]], bool]:
    wanted = frozenset(names)
    return lambda header: wanted <= header


def _has_plus_one_of(
    names: Sequence[str], extra: Sequence[str]
) -> Callable[[frozenset[str]], bool]:
    wanted, markers = frozenset(names), frozenset(extra)
    return lambda header: wanted <= header and bool(markers & header)


# Order matters: the most specific headers are tried first.
LAYOUTS: tuple[Layout, ...] = (
    Layout(
        # folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,
        # login_password,login_totp (organisation exports have "collections" for "folder")
        name="bitwarden",
        label="Bitwarden",
        title=("name",),
        url=("login_uri",),
        username=("login_username",),
        password=("login_password",),
        matches=_has("name", "login_uri", "login_username", "login_password"),
        type_column="type",
        login_types=frozenset({"login", ""}),
    ),
    Layout(
        # "url","username","password","httpRealm","formActionOrigin","guid","timeCreated",...
        name="firefox",
        label="Firefox",
        title=(),
        url=("url",),
        username=("username",),
        password=("password",),
        matches=_has_plus_one_of(
            ("url", "username", "password"), ("httprealm", "formactionorigin", "guid")
        ),
    ),
    Layout(
        # "Group","Title","Username","Password","URL","Notes","TOTP","Icon",...
        name="keepassxc",
        label="KeePassXC",
        title=("title",),
        url=("url",),
        username=("username",),
        password=("password",),
        matches=_has("group", "title", "username", "password", "url"),
    ),
    Layout(
        # 1Password 8: Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes
        name="1password",
        label="1Password",
        title=("title",),
        url=("url", "website"),
        username=("username",),
        password=("password",),
        matches=_has_plus_one_of(
            ("title", "username", "password"), ("favorite", "archived", "tags")
        ),
    ),
    Layout(
        # Title,URL,Username,Password,Notes,OTPAuth
        name="safari",
        label="Safari / Apple Passwords",
        title=("title",),
        url=("url",),
        username=("username",),
        password=("password",),
        matches=_has("title", "url", "username", "password", "otpauth"),
    ),
    Layout(
        # url,username,password,totp,extra,name,grouping,fav
        name="lastpass",
        label="LastPass",
        title=("name",),
        url=("url",),
        username=("username",),
        password=("password",),
        matches=_has("url", "username", "password", "name", "grouping"),
    ),
    Layout(
        # name,url,username,password,note
        name="chrome",
        label="Chrome / Edge",
        title=("name",),
        url=("url",),
        username=("username",),
        password=("password",),
        matches=_has("name", "url", "username", "password"),
    ),
    Layout(
        # 1Password 7 and older: title,website,username,password,notes (or URL, Type)
        name="1password-7",
        label="1Password 7 or older",
        title=("title",),
        url=("website", "url"),
        username=("username",),
        password=("password",),
        matches=_has_plus_one_of(("title", "username", "password"), ("website", "url")),
    ),
)

LAYOUTS_BY_NAME: dict[str, Layout] = {layout.name: layout for layout in LAYOUTS}

SUPPORTED = (
    "Chrome or Edge, Firefox, Safari or Apple Passwords, Bitwarden, 1Password, KeePassXC, LastPass"
)


def _normalise_header(cells: Sequence[str]) -> list[str]:
    return [cell.replace(_BOM, "").strip().lower() for cell in cells]


def detect_layout(header: Sequence[str]) -> Layout:
    """The layout whose columns the header row carries, or :class:`UnknownLayoutError`."""
    names = frozenset(_normalise_header(header))
    for layout in LAYOUTS:
        if layout.matches(names):
            return layout
    raise UnknownLayoutError(
        "This file's first row does not look like a password export safetykit knows.",
        hint=f"Exports that work: {SUPPORTED}. Export again as CSV from one of these.",
    )


def _title_from_url(url: str) -> str:
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        host = ""
    return host.removeprefix("www.") or url


def _too_large_bytes() -> ExportTooLargeError:
    return ExportTooLargeError(
        "This file is too large to be a password export.",
        hint=f"safetykit reads exports up to {MAX_BYTES // (1024 * 1024)} MB.",
    )


def _is_blank(row: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in row)


@dataclass(frozen=True)
class _Columns:
    title: int | None
    url: int | None
    username: int | None
    password: int
    kind: int | None

    @staticmethod
    def of(layout: Layout, columns: list[str]) -> _Columns:
        def find(candidates: Sequence[str]) -> int | None:
            for name in candidates:
                if name in columns:
                    return columns.index(name)
            return None

        password = find(layout.password)
        if password is None:  # pragma: no cover - every layout's matcher requires it
            raise UnknownLayoutError("This export has no password column.")
        return _Columns(
            title=find(layout.title),
            url=find(layout.url),
            username=find(layout.username),
            password=password,
            kind=find((layout.type_column,)) if layout.type_column else None,
        )


def _cell(row: Sequence[str], index: int | None) -> str:
    return row[index] if index is not None else ""


def parse_export(text: str) -> ImportResult:
    """Parse the text of an export (already decoded) into logins.

    Raises a :class:`CsvImportError` subclass when the text is empty, too large, not CSV that this
    module can read, or from an exporter it does not know.
    """
    if len(text) > MAX_BYTES:
        raise _too_large_bytes()
    text = text.removeprefix(_BOM)
    if "\x00" in text:
        raise MalformedCsvError(
            "This file contains binary data, so it is not a CSV export safetykit can read.",
            hint="Export your passwords again as a CSV file, then retry.",
        )
    if not text.strip():
        raise EmptyExportError(
            "This file is empty.", hint="Export your passwords again as a CSV file, then retry."
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next((row for row in reader if not _is_blank(row)), None)
        if header is None:
            raise EmptyExportError(
                "This file has no rows.",
                hint="Export your passwords again as a CSV file, then retry.",
            )
        layout = detect_layout(header)
        at = _Columns.of(layout, _normalise_header(header))
        width = len(header)
        entries: list[ImportedEntry] = []
        skipped = 0
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if _is_blank(row):
                continue
            if len(row) != width:
                raise MalformedCsvError(
                    f"The row starting on line {line} has {len(row)} columns, "
                    f"but the first row has {width}.",
                    hint="The file may have been edited by hand or cut short. Export it again.",
                )
            if len(entries) + skipped >= MAX_ROWS:
                raise ExportTooLargeError(
                    "This file has more entries than safetykit checks at once.",
                    hint=f"safetykit reads up to {MAX_ROWS:,} entries in one export.",
                )
            if at.kind is not None and row[at.kind].strip().lower() not in layout.login_types:
                skipped += 1
                continue
            url = _cell(row, at.url).strip()
            entries.append(
                ImportedEntry(
                    title=_cell(row, at.title).strip() or _title_from_url(url),
                    url=url,
                    username=_cell(row, at.username).strip(),
                    password=row[at.password],
                    line=line,
                )
            )
    except csv.Error as exc:
        raise MalformedCsvError(
            f"This file is not CSV that safetykit can read (near line {reader.line_num}).",
            hint="A quote may be missing or the file may be cut short. Export it again.",
        ) from exc
    return ImportResult(layout=layout.name, entries=tuple(entries), skipped=skipped)


def decode_export(data: bytes) -> str:
    """Bytes of an export as text: UTF-8, with or without a byte-order mark."""
    if len(data) > MAX_BYTES:
        raise _too_large_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotUtf8Error(
            "This file is saved as UTF-16, and safetykit reads UTF-8.",
            hint="Export it again as CSV straight from the password manager or browser.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotUtf8Error(
            "This file is not UTF-8 text, so safetykit cannot read it safely.",
            hint="Export it again as CSV straight from the password manager or browser, "
            "without opening it in a spreadsheet first.",
        ) from None


def read_export(path: str | os.PathLike[str]) -> ImportResult:
    """Read, decode and parse an export file. Nothing is written or kept."""
    target = Path(path)
    try:
        size = target.stat().st_size
        if size > MAX_BYTES:
            raise _too_large_bytes()
        with target.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ExportUnreadableError(
            "There is no file at that path.", hint="Check the file name and folder, then retry."
        ) from None
    except IsADirectoryError:
        raise ExportUnreadableError(
            "That path is a folder, not an export file.", hint="Give the CSV file itself."
        ) from None
    except OSError as exc:
        raise ExportUnreadableError(
            f"The file could not be opened ({exc.strerror or 'unknown reason'}).",
            hint="Check that the file is readable by you, then retry.",
        ) from None
    return parse_export(decode_export(data))
