"""Every export layout is recognised from its header and parsed without losing or leaking data."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetykit.errors import BadInputError, ExitStatus
from safetykit.passwords import importers
from safetykit.passwords.importers import (
    CsvImportError,
    EmptyExportError,
    ExportTooLargeError,
    ExportUnreadableError,
    ImportedEntry,
    MalformedCsvError,
    UnknownLayoutError,
    decode_export,
    parse_export,
    read_export,
)

SECRET = 'Pa55,"w0rd"\nwith newline'

# One header per exporter, as each writes it, plus the columns holding title/url/user/password.
HEADERS: dict[str, list[str]] = {
    "chrome": ["name", "url", "username", "password", "note"],
    "firefox": [
        "url",
        "username",
        "password",
        "httpRealm",
        "formActionOrigin",
        "guid",
        "timeCreated",
        "timeLastUsed",
        "timePasswordChanged",
    ],
    "safari": ["Title", "URL", "Username", "Password", "Notes", "OTPAuth"],
    "bitwarden": [
        "folder",
        "favorite",
        "type",
        "name",
        "notes",
        "fields",
        "reprompt",
        "login_uri",
        "login_username",
        "login_password",
        "login_totp",
    ],
    "1password": [
        "Title",
        "Url",
        "Username",
        "Password",
        "OTPAuth",
        "Favorite",
        "Archived",
        "Tags",
        "Notes",
    ],
    "1password7-common": ["title", "notes", "username", "password", "url"],
    "keepassxc": [
        "Group",
        "Title",
        "Username",
        "Password",
        "URL",
        "Notes",
        "TOTP",
        "Icon",
        "Last Modified",
        "Created",
    ],
    "lastpass": ["url", "username", "password", "totp", "extra", "name", "grouping", "fav"],
}
FIELDS: dict[str, tuple[str | None, str, str, str]] = {
    "chrome": ("name", "url", "username", "password"),
    "firefox": (None, "url", "username", "password"),
    "safari": ("Title", "URL", "Username", "Password"),
    "bitwarden": ("name", "login_uri", "login_username", "login_password"),
    "1password": ("Title", "Url", "Username", "Password"),
    "1password7-common": ("title", "url", "username", "password"),
    "keepassxc": ("Title", "URL", "Username", "Password"),
    "lastpass": ("name", "url", "username", "password"),
}
NOTE_COLUMNS = {"note", "notes", "Notes", "extra"}


def make_csv(layout: str, rows: list[dict[str, str]], *, crlf: bool = True) -> str:
    header = HEADERS[layout]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    title_col, url_col, user_col, pw_col = FIELDS[layout]
    for row in rows:
        cells = []
        for column in header:
            if column == title_col:
                cells.append(row["title"])
            elif column == url_col:
                cells.append(row["url"])
            elif column == user_col:
                cells.append(row["username"])
            elif column == pw_col:
                cells.append(row["password"])
            elif column in NOTE_COLUMNS:
                cells.append(row.get("note", ""))
            elif column == "type":
                cells.append(row.get("type", "login"))
            else:
                cells.append("")
        writer.writerow(cells)
    return out.getvalue()


ROWS = [
    {
        "title": "Mail, personal",
        "url": "https://mail.example.com/",
        "username": "me@example.org",
        "password": SECRET,
        "note": 'Security answer: "blue", not red\r\nsecond line, with comma',
    },
    {
        "title": "Bank",
        "url": "https://bank.example.com",
        "username": "me",
        "password": "",
        "note": "",
    },
]


@pytest.mark.parametrize("layout", sorted(HEADERS))
@pytest.mark.parametrize("crlf", [True, False])
@pytest.mark.parametrize("bom", [True, False])
def test_every_layout_round_trips(layout: str, crlf: bool, bom: bool) -> None:
    text = make_csv(layout, ROWS, crlf=crlf)
    if bom:
        text = "\ufeff" + text
    result = parse_export(text)
    assert result.layout == layout
    assert len(result.entries) == 2
    first, second = result.entries
    assert first.password == SECRET
    assert first.username == "me@example.org"
    assert first.url == "https://mail.example.com/"
    # Firefox has no title column: the site's host stands in for it.
    assert first.title == ("mail.example.com" if layout == "firefox" else "Mail, personal")
    assert first.has_password
    assert second.password == ""
    assert not second.has_password
    assert result.without_password == 1
    assert second.line > first.line


def test_line_numbers_count_physical_lines() -> None:
    text = make_csv("chrome", ROWS)
    first, second = parse_export(text).entries
    assert first.line == 2
    # The first row's password and note each span two physical lines.
    assert second.line == 2 + 3


def test_header_is_case_and_space_insensitive_and_order_free() -> None:
    text = " PASSWORD , Url,USERNAME ,Name\r\nhunter2,https://a.example,amy,A\r\n"
    result = parse_export(text)
    assert result.layout == "chrome"
    (entry,) = result.entries
    assert (entry.title, entry.url, entry.username, entry.password) == (
        "A",
        "https://a.example",
        "amy",
        "hunter2",
    )


def test_bitwarden_skips_non_login_items_and_counts_them() -> None:
    rows = [dict(ROWS[0]), {**ROWS[1], "type": "note"}, {**ROWS[1], "type": "card"}]
    result = parse_export(make_csv("bitwarden", rows))
    assert len(result.entries) == 1
    assert result.skipped == 2


def test_bitwarden_organisation_export_with_collections() -> None:
    header = (
        "collections,type,name,notes,fields,reprompt,"
        "login_uri,login_username,login_password,login_totp"
    )
    text = header + "\nShared,login,Site,,,0,https://s.example,u,pw1,\n"
    result = parse_export(text)
    assert result.layout == "bitwarden"
    assert result.entries[0].password == "pw1"


def test_blank_rows_are_ignored() -> None:
    text = "\r\n\r\nname,url,username,password\r\n\r\nA,https://a.example,a,x\r\n,,,\r\n\r\n"
    result = parse_export(text)
    assert [e.title for e in result.entries] == ["A"]


def test_password_never_in_repr_or_str() -> None:
    result = parse_export(make_csv("chrome", ROWS))
    for shown in (repr(result), str(result), repr(result.entries[0]), str(result.entries)):
        assert SECRET not in shown
        assert "Pa55" not in shown


@pytest.mark.parametrize("text", ["", "   \r\n\r\n", "\ufeff", "\ufeff\r\n"])
def test_empty(text: str) -> None:
    with pytest.raises(EmptyExportError) as caught:
        parse_export(text)
    assert caught.value.reason == "empty"


def test_unknown_layout_lists_supported_exporters() -> None:
    with pytest.raises(UnknownLayoutError) as caught:
        parse_export("site,login,secret\r\na,b,c\r\n")
    error = caught.value
    assert error.reason == "unknown_layout"
    assert error.hint is not None
    for name in ("Chrome", "Firefox", "Safari", "Bitwarden", "1Password", "KeePassXC"):
        assert name in error.hint


def test_header_only_gives_no_entries() -> None:
    result = parse_export("name,url,username,password\r\n")
    assert result.entries == ()


@pytest.mark.parametrize(
    "text",
    [
        'name,url,username,password\r\nA,https://a.example,a,"unterminated\r\n',
        'name,url,username,password\r\nA,https://a.example,a,"x"y\r\n',
        "name,url,username,password\r\nA,https://a.example,a\r\n",
        "name,url,username,password\r\nA,https://a.example,a,b,extra\r\n",
        "name,url,username,password\r\nA,https://a.example,a,b\x00c\r\n",
    ],
)
def test_malformed(text: str) -> None:
    with pytest.raises(MalformedCsvError) as caught:
        parse_export(text)
    assert caught.value.reason == "malformed"


def test_errors_never_contain_the_password() -> None:
    secret = "S3cr3t-do-not-show"
    cases = [
        f'name,url,username,password\r\nA,https://a.example,a,"{secret}\r\n',
        f"name,url,username,password\r\nA,https://a.example,{secret}\r\n",
        f'name,url,username,password\r\nA,https://a.example,a,"{secret}"x\r\n',
        f"{secret},{secret}\r\n",
    ]
    for text in cases:
        with pytest.raises(CsvImportError) as caught:
            parse_export(text)
        error = caught.value
        assert secret not in str(error)
        assert secret not in (error.hint or "")
        assert secret not in repr(error)


def test_errors_are_bad_input_with_its_exit_status() -> None:
    with pytest.raises(BadInputError) as caught:
        parse_export("")
    assert caught.value.status == ExitStatus.BAD_INPUT


def test_a_windows_code_page_is_read_and_said_to_be_lossy() -> None:
    data = "name,url,username,password\r\nCafé,https://c.example,a,pässwörd\r\n".encode("cp1252")
    decoded = decode_export(data)
    assert decoded.lossy and decoded.encoding == "cp1252"
    assert parse_export(decoded.text).entries[0].password == "pässwörd"


def test_utf16_is_read() -> None:
    data = "name,url,username,password\r\nA,https://a.example,zoë,pässwörd\r\n".encode("utf-16")
    result = parse_export(decode_export(data).text)
    assert result.entries[0].password == "pässwörd"


def test_utf8_with_bom_and_non_ascii() -> None:
    data = "\ufeffname,url,username,password\r\nCafé,https://c.example,zoë,pässwörd\r\n".encode()
    result = parse_export(decode_export(data).text)
    assert result.entries[0].password == "pässwörd"
    assert result.entries[0].title == "Café"


def test_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importers, "MAX_ROWS", 5)
    rows = "".join(f"S{i},https://s.example,u,p{i}\r\n" for i in range(6))
    with pytest.raises(ExportTooLargeError) as caught:
        parse_export("name,url,username,password\r\n" + rows)
    assert caught.value.reason == "too_large"
    assert (
        len(parse_export("name,url,username,password\r\n" + rows[: rows.index("S5")]).entries) == 5
    )


def test_too_large_text_and_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importers, "MAX_BYTES", 100)
    big = "name,url,username,password\r\n" + "A,https://a.example,u,p\r\n" * 10
    with pytest.raises(ExportTooLargeError):
        parse_export(big)
    with pytest.raises(ExportTooLargeError):
        decode_export(big.encode())


def test_huge_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse file: large on paper, nothing to read
        handle.truncate(importers.MAX_BYTES + 1)
    opened: list[str] = []
    real_open = Path.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    with pytest.raises(ExportTooLargeError):
        read_export(path)
    assert opened == []


def test_read_export(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(("\ufeff" + make_csv("keepassxc", ROWS)).encode())
    result = read_export(path)
    assert result.layout == "keepassxc"
    assert result.layout_label == "KeePassXC"
    assert result.entries[0].password == SECRET


def test_read_export_missing_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportUnreadableError):
        read_export(tmp_path / "nope.csv")
    with pytest.raises(ExportUnreadableError):
        read_export(tmp_path)


def test_read_export_not_utf8_is_read_as_a_code_page(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"name,url,username,password\r\nA,https://a,u,\xff\xfe\xfa\r\n")
    result = read_export(path)
    assert result.lossy and result.entries[0].password == "ÿþú"


cell = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00"),
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(
    layout=st.sampled_from(sorted(HEADERS)),
    rows=st.lists(
        st.fixed_dictionaries(
            {"title": cell, "url": cell, "username": cell, "password": cell, "note": cell}
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_any_cell_content_survives(layout: str, rows: list[dict[str, str]]) -> None:
    # Rows that are entirely blank are skipped by design; keep at least one visible cell.
    rows = [{**row, "username": row["username"] + "u"} for row in rows]
    result = parse_export(make_csv(layout, rows))
    assert result.layout == layout
    assert [e.password for e in result.entries] == [row["password"] for row in rows]
    assert [e.username for e in result.entries] == [row["username"].strip() for row in rows]


def test_entry_repr_hides_the_password_and_which_accounts_there_are() -> None:
    entry = ImportedEntry(title="Mail", url="https://m.example", username="amy", password="zq9!X",
                          line=4)
    assert entry.has_password
    shown = repr(entry)
    assert "zq9!X" not in shown
    assert "Mail" not in shown and "amy" not in shown and "m.example" not in shown
    assert "line=4" in shown  # enough to find it in the file
