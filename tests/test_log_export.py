"""``safetykit log export``: the incident log as PDF, HTML, Markdown, CSV and ZIP, read back.

Every format is read back the way its reader would (pypdf, the csv module, an HTML parser,
a CommonMark parser, ``sha256sum -c``); typed text is hostile where it can be; the attached
files are checked before anything is written and a changed one never goes into a ZIP as if it
were the original; destinations follow the rules every export follows.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import os
import re
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from safetykit.content._files import ContentError, read_toml
from safetykit.content.log import LABEL_WORDS, load_log, parse_log
from safetykit.core.log import (
    FIELDS,
    PRIVATE_FIELDS,
    Attachment,
    Entry,
    LogState,
    Version,
    clean_fields,
)
from safetykit.core.log_document import (
    LogDocument,
    archive_name,
    build_log_document,
    csv_table,
    readable,
    safe_name,
    shown,
    size_text,
)
from safetykit.core.text import strip_controls
from safetykit.errors import BadInputError, NotSetUpError, UsageError
from safetykit.flows.log_commands import attach_file
from safetykit.flows.log_export import Choice, export_command, export_interactively, write_export
from safetykit.flows.session import Session
from safetykit.render.destinations import check_destination, write_private_stream
from safetykit.render.html import CSP
from safetykit.render.log_csv import BOM, FORMULA_STARTS, neutralise, render_log_csv
from safetykit.render.log_html import render_log_html
from safetykit.render.log_markdown import render_log_markdown
from safetykit.render.log_pdf import render_log_pdf
from safetykit.render.pdf import SystemFonts
from safetykit.storage.paths import DataPaths, default_paths
from safetykit.storage.vault import Vault, create_vault
from safetykit.ui.prompts import NoQuestions
from safetykit.ui.screen import Screen
from tests import vaults
from tests.doubles import Queue, ScriptedPrompter

CONTENT = load_log()
KINDS = [kind.id for kind in CONTENT.kinds]
MADE = datetime.datetime(2026, 4, 11, 10, 2, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and signals")

FIRST = {
    "occurred_at": "2026-03-03T21:15:00-05:00", "approximate": True,
    "occurred_until": "2026-03-03T23:00:00-05:00", "when_note": "evening, after work",
    "kind": "showed-up", "summary": "Parked outside my flat for two hours",
    "location": "Outside 14 Elm Street",
    "what_happened": "I came home and saw his grey car.\nHe stayed until about 11 pm.",
    "witnesses": [{"name": "Maria López", "contact": "555-0142"}, {"name": "محمد العلي"}],
    "police": {"called": True, "agency": "Springfield PD", "report_number": "26-00321"},
    "effect": "PRIVATE-EFFECT could not sleep", "private_note": "PRIVATE-NOTE ask the advocate",
}
SECOND = {
    "occurred_at": "2026-03-05", "kind": "message", "summary": "=HYPERLINK(\"http://x\") texts",
    "platform": "SMS", "their_words": "You can't hide from me.",
}
THIRD = {
    "occurred_at": "2026-03-20T08:30:00+00:00", "kind": "email",
    "what_happened": "An email to my boss pretending to be me.",
}


# ── making a log ──────────────────────────────────────────────────────────────────────────────


def add(vault: Vault, raw: dict[str, Any], at: str = "2026-03-21T09:00:00+00:00") -> int:
    made: list[int] = []
    vault.update(LogState, lambda log: made.append(log.add(clean_fields(raw, KINDS), at).id))
    return made[0]


def change(vault: Vault, entry_id: int, at: str, **fields: Any) -> None:
    def apply(log: LogState) -> None:
        log.change(entry_id, {**log.find(entry_id).fields, **fields}, at)

    vault.update(LogState, apply)


@pytest.fixture
def vault(data_dir: Path) -> Vault:
    return create_vault(default_paths(), "keyring")


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir(mode=0o700)
    return folder


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir(mode=0o700)
    return folder


@pytest.fixture
def filled(vault: Vault, sources: Path) -> dict[str, Any]:
    """Three entries (the second changed twice, once in a private field) and three files."""
    first = add(vault, FIRST, "2026-03-04T08:00:00+00:00")
    second = add(vault, SECOND, "2026-03-06T09:30:00+00:00")
    third = add(vault, THIRD, "2026-03-20T09:00:00+00:00")
    change(vault, second, "2026-03-07T10:11:00+00:00", location="Online")
    change(vault, second, "2026-03-08T12:00:00+00:00", private_note="PRIVATE-LATER")
    files = {
        "photo.png": os.urandom(150_000),
        "voicemail.m4a": os.urandom(70_000),
        "notes/../weird name?.txt": b"plain words",
    }
    paths = {}
    for name, data in files.items():
        path = sources / safe_name(name.replace("/", "_"))
        path.write_bytes(data)
        paths[name] = path
    one = attach_file(vault, second, paths["photo.png"], "Shows their number")
    two = attach_file(vault, second, paths["voicemail.m4a"], "")
    three = attach_file(vault, first, paths["notes/../weird name?.txt"], "A note")
    return {"ids": (first, second, third), "files": files,
            "attachments": (one, two, three), "vault": vault}


def tamper(vault: Vault, attachment: Attachment) -> None:
    blob = vault.paths.root / "f" / attachment.blob
    data = bytearray(blob.read_bytes())
    data[20] ^= 1
    blob.write_bytes(bytes(data))


def session(
    answers: dict[str, Any] | None = None, *, stdin: str = ""
) -> tuple[Session, io.StringIO, io.StringIO]:
    shown_out, notices = io.StringIO(), io.StringIO()
    prompter = (ScriptedPrompter(answers, lambda: None) if answers is not None
                else NoQuestions("use the options"))
    return (
        Session(default_paths(), Screen(plain=True, file=shown_out), prompter,
                notices=Screen(plain=True, file=notices), stdin=io.StringIO(stdin),
                can_ask=answers is not None),
        shown_out,
        notices,
    )


def export(
    fmt: str = "pdf",
    output: Path | None = None,
    *,
    start: str | None = None,
    end: str | None = None,
    kinds: Sequence[str] = (),
    include_private: bool = False,
    protect: bool = False,
    allow_shared: bool = False,
    force: bool = False,
    stdin: str = "",
) -> tuple[str, str]:
    run, shown_out, notices = session(stdin=stdin)
    export_command(run, fmt=fmt, output=output, start=start, end=end, kinds=list(kinds),
                   include_private=include_private, protect=protect, allow_shared=allow_shared,
                   force=force)
    return words(shown_out.getvalue()), words(notices.getvalue())


def words(text: str) -> str:
    """What was said, as one line (the screen wraps it at its width)."""
    return " ".join(text.split())


def pdf_text(path: Path, password: str | None = None) -> str:
    reader = PdfReader(path)
    if password is not None:
        assert reader.is_encrypted
        reader.decrypt(password)
    return "\n".join(page.extract_text() for page in reader.pages)


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ── content ───────────────────────────────────────────────────────────────────────────────────


def test_every_field_has_a_plain_label_and_every_word_is_there() -> None:
    assert set(CONTENT.field_labels) == set(FIELDS)
    assert set(CONTENT.labels) == set(LABEL_WORDS)
    for name in PRIVATE_FIELDS:
        assert "private" in CONTENT.field_label(name).lower()


def test_labels_are_validated() -> None:
    data = read_toml("log.toml")
    missing = {**data, "labels": {k: v for k, v in data["labels"].items() if k != "entry"}}
    with pytest.raises(ContentError, match="entry"):
        parse_log(missing)
    unknown = {**data, "labels": {**data["labels"], "surprise": "x"}}
    with pytest.raises(ContentError, match="surprise"):
        parse_log(unknown)
    bad_field = {**data, "labels": {**data["labels"], "fields": {"Not A Field": "x"}}}
    with pytest.raises(ContentError, match="not a field name"):
        parse_log(bad_field)
    without = {k: v for k, v in data.items() if k != "labels"}
    with pytest.raises(ContentError, match="labels"):
        parse_log(without)


# ── the document ──────────────────────────────────────────────────────────────────────────────


def test_times_are_iso_with_their_offset_and_in_words() -> None:
    assert shown("2026-03-03T21:15:00-05:00") == (
        "2026-03-03T21:15:00-05:00 (Tuesday 3 March 2026, 21:15, UTC-05:00)")
    assert shown("2026-03-03T21:15:00+05:30") .endswith("UTC+05:30)")
    assert shown("2026-03-03T21:15:00+00:00").endswith(", 21:15, UTC)")
    assert readable("2026-03-05") == "Thursday 5 March 2026, time not known"
    assert readable("not a time") == "not a time"
    assert size_text(512) == "512 bytes"
    assert size_text(150_000) == "146.5 KB (150,000 bytes)"
    assert size_text(3 * 2**30) == "3.0 GB (3,221,225,472 bytes)"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("photo.png", "photo.png"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("C:\\Users\\me\\x.jpg", "C__Users_me_x.jpg"),
        (".hidden", "hidden"),
        ("", "file"),
        ("...", "file"),
        ("a\u202eb\x00c\nd", "abc d"),
        ("مرحبا.jpg", "مرحبا.jpg"),
    ],
)
def test_names_in_the_zip_are_safe(name: str, safe: str) -> None:
    assert safe_name(name) == safe
    assert archive_name(12, 3, name) == f"attachments/12-3-{safe}"


@given(st.text(max_size=400))
def test_any_name_becomes_a_safe_one(name: str) -> None:
    safe = safe_name(name)
    assert safe and len(safe) <= 120
    assert not safe.startswith(".") and "/" not in safe and "\\" not in safe
    assert not any(ch in safe for ch in '\n\r\t:*?"<>|\x00')


def _entry(fields: dict[str, Any], number: int = 1) -> Entry:
    return Entry(number, "2026-03-04T08:00:00+00:00", [Version("2026-03-04T08:00:00+00:00",
                                                               fields)])


def test_document_structure() -> None:
    first = _entry(clean_fields(FIRST, KINDS), 1)
    second = _entry(clean_fields(SECOND, KINDS), 2)
    second.versions.append(Version("2026-03-07T10:11:00+00:00",
                                   {**second.fields, "location": "Online"}))
    doc = build_log_document(CONTENT, [first, second], made=MADE,
                             start=datetime.date(2026, 3, 1), kinds=["showed-up", "message"])
    facts = dict(doc.cover.facts)
    assert facts["Dates covered"] == "2026-03-01 to the last entry"
    assert facts["Number of incidents"] == "2"
    assert facts["Made on"].startswith("2026-04-11T10:02:00+01:00 (Saturday 11 April 2026")
    assert facts["Only these kinds"] == "Showed up, waited or followed, Text or direct message"
    assert doc.cover.notices == CONTENT.at_export
    assert doc.cover.note == CONTENT.cover_note
    row = doc.rows[0]
    assert row.when == ("about 2026-03-03T21:15:00-05:00 to 2026-03-03T23:00:00-05:00 "
                        "(evening, after work)")
    assert (row.kind, row.where, row.changed) == ("Showed up, waited or followed",
                                                  "Outside 14 Elm Street", "")
    assert doc.rows[1].changed == "changed"
    labels = [f.label for f in doc.entries[0].fields]
    assert labels == [CONTENT.field_label(n) for n in FIELDS
                      if n not in PRIVATE_FIELDS and n in {
                          "occurred_at", "approximate", "occurred_until", "when_note", "kind",
                          "summary", "location", "what_happened", "witnesses", "police"}]
    police = next(f for f in doc.entries[0].fields if f.label == "Police").text
    assert police == "Called: yes · Agency: Springfield PD · Report number: 26-00321"
    assert doc.entries[1].changes == (
        "Changed: 2026-03-07T10:11:00+00:00 (Saturday 7 March 2026, 10:11, UTC) (Where)",)
    private = build_log_document(CONTENT, [first], made=MADE, include_private=True)
    assert [f.label for f in private.entries[0].fields if f.private] == [
        "How it affected me (private)", "Private note (private)"]


# ── PDF ───────────────────────────────────────────────────────────────────────────────────────


def test_pdf_read_back(filled: dict[str, Any], out: Path) -> None:
    target = out / "log.pdf"
    said, notices = export("pdf", target)
    assert "3 incidents" in said and str(target) in said
    for notice in CONTENT.at_export:
        assert notice in notices
    text = pdf_text(target)
    flat = squashed(text)
    assert "Incident log" in text
    assert "Number of incidents: 3" in text
    assert "Dates covered: 2026-03-03 to 2026-03-20 (the whole log)" in text
    assert "Before you share this file" in text
    assert squashed(CONTENT.cover_note) in flat
    assert "Summary of incidents" in text
    summary = flat[flat.index("Summaryofincidents"):flat.index("Entry1")]
    assert squashed("No. When Kind Where What happened Files Changed") in summary
    assert squashed("about 2026-03-03T21:15:00-05:00 to 2026-03-03T23:00:00-05:00 (evening, "
                    "after work) Showed up, waited or followed Outside 14 Elm Street") in summary
    assert summary.count("changed") == 1  # the second entry
    for number in filled["ids"]:
        assert f"Entry {number}" in text
    assert "Parked outside my flat for two hours" in text
    assert "Maria López" in text
    assert squashed("Written down: 2026-03-04T08:00:00+00:00 (Wednesday 4 March 2026") in flat
    assert squashed("Changed: 2026-03-07T10:11:00+00:00 (Saturday 7 March 2026, 10:11, UTC)"
                    " (Where)") in flat
    assert squashed("Changed: 2026-03-08T12:00:00+00:00 (Sunday 8 March 2026, 12:00, UTC) "
                    "(fields left out of this export)") in flat
    assert "Attached files and their fingerprints" in text
    for attachment in filled["attachments"]:
        assert attachment.sha256 in flat
    assert flat.count("intact:thesameaswhenitwasadded") >= 6  # entry pages and manifest
    assert "PRIVATE" not in text and "(private)" not in text
    reader = PdfReader(target)
    assert not reader.is_encrypted
    info: dict[str, Any] = dict(reader.metadata or {})
    assert not info.get("/Title") and not info.get("/Author")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_pdf_with_private_fields_and_a_password(filled: dict[str, Any], out: Path) -> None:
    target = out / "log.pdf"
    password = "Quiet-lantern-orbit-velvet-canyon-41"
    export("pdf", target, include_private=True, protect=True, stdin=password + "\n")
    with pytest.raises(FileNotDecryptedError):
        PdfReader(target).pages[0].extract_text()
    text = pdf_text(target, password)
    assert "PRIVATE-EFFECT could not sleep" in text
    assert "PRIVATE-LATER" in text
    assert "How it affected me (private)" in text
    assert "Private fields (how it affected me, private notes) are included." in text
    assert squashed("(Private note (private))") in squashed(text)


def test_a_damaged_attachment_is_said_in_the_pdf_and_on_screen(
    filled: dict[str, Any], out: Path
) -> None:
    tamper(filled["vault"], filled["attachments"][0])
    (filled["vault"].paths.root / "f" / filled["attachments"][1].blob).unlink()
    _said, notices = export("pdf", out / "log.pdf")
    flat = squashed(pdf_text(out / "log.pdf"))
    assert "NOTasitwasadded:damaged" in flat
    assert "NOTasitwasadded:missing" in flat
    assert "photo.png is not as it was added (damaged)" in notices
    assert "voicemail.m4a is not as it was added (missing)" in notices


def test_a_pdf_of_many_entries_in_many_scripts_reads_back() -> None:
    entries = []
    names = ("محمد العلي", "王芳", "Наталья", "Nguyễn Thị Lan", "अनीता", "דנה כהן", "Maria")
    for number in range(1, 61):
        raw = {**THIRD, "summary": f"Entry {number} from {names[number % len(names)]}",
               "location": names[(number + 1) % len(names)],
               "what_happened": "word " * (number * 7)}
        entries.append(_entry(clean_fields(raw, KINDS), number))
    doc = build_log_document(CONTENT, entries, made=MADE)
    data = render_log_pdf(doc, fonts=SystemFonts.none())
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 62
    for number in range(1, 61):
        assert f"Entry {number}\n" in text or f"Entry {number} " in text
    assert "Nguyễn Thị Lan" in text and "Наталья" in text


# ── CSV ───────────────────────────────────────────────────────────────────────────────────────


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM.encode("utf-8"))
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_read_back(filled: dict[str, Any], out: Path) -> None:
    target = out / "log.csv"
    export("csv", target)
    data = target.read_bytes()
    assert data.endswith(b"\r\n") and b"\r\n" in data.split(b"\n", 1)[0] + b"\n"
    rows = read_csv(data)
    header, body = rows[0], rows[1:]
    assert header[0] == "No." and header[-3:] == ["Written down", "Changed", "Attached files"]
    assert "How it affected me (private)" not in header
    assert [row[0] for row in body] == [str(n) for n in filled["ids"]]
    columns = {name: header.index(CONTENT.field_label(name)) for name in
               ("occurred_at", "occurred_until", "summary", "kind")}
    assert body[0][columns["occurred_at"]] == "2026-03-03T21:15:00-05:00"
    assert ISO_WITH_OFFSET.match(body[0][columns["occurred_until"]])
    assert body[1][columns["occurred_at"]] == "2026-03-05"
    assert body[1][columns["summary"]] == "'=HYPERLINK(\"http://x\") texts"
    assert body[1][columns["kind"]] == "Text or direct message"
    assert all(ISO_WITH_OFFSET.match(row[-3]) for row in body)
    assert body[1][-2] == "2026-03-07T10:11:00+00:00; 2026-03-08T12:00:00+00:00"
    assert [row[-1] for row in body] == ["1", "2", "0"]
    assert all(len(row) == len(header) for row in body)
    export("csv", out / "private.csv", include_private=True)
    private = read_csv((out / "private.csv").read_bytes())
    assert "Private note (private)" in private[0]
    assert "PRIVATE-LATER" in private[2]


hostile_text = st.one_of(
    st.text(max_size=200),
    st.sampled_from([
        "=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1", " =1", "\n=1",
        '"quoted", and, commas', "line\r\nbreaks\rand\nmore", "\x1b[31mred\x1b[0m",
        "\u202egnp.exe", "\u2066=isolated\u2069", "\ufeff=bom", "\x00nul", "a" * 3000,
    ]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(summary=hostile_text, happened=hostile_text, name=hostile_text, tag=hostile_text)
def test_csv_cells_are_quoted_and_never_formulas(
    summary: str, happened: str, name: str, tag: str
) -> None:
    fields = clean_fields({**THIRD, "summary": "x", "what_happened": "y"}, KINDS)
    fields.update(summary=summary, what_happened=happened, witnesses=[{"name": name}],
                  tags=[tag], location=happened)
    entry = _entry(fields)
    header, rows = csv_table(CONTENT, [entry], include_private=True)
    parsed = read_csv(render_log_csv(header, rows))
    assert parsed == [[neutralise(c) for c in header], [neutralise(c) for c in rows[0]]]
    for cell in parsed[1]:
        assert not cell.startswith(FORMULA_STARTS)
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", cell)


def test_a_huge_text_survives_the_csv() -> None:
    text = "=start " + ("Ünïcödé, \"quotes\" and\nnew lines " * 600)[:19_000]
    fields = clean_fields({**THIRD, "what_happened": text}, KINDS)
    header, rows = csv_table(CONTENT, [_entry(fields)])
    parsed = read_csv(render_log_csv(header, rows))
    cell = parsed[1][header.index("What happened")]
    assert cell == "'" + fields["what_happened"]


# ── HTML and Markdown ─────────────────────────────────────────────────────────────────────────


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: set[str] = set()
        self.csp: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.update(name for name, _ in attrs)
        found = dict(attrs)
        if found.get("http-equiv") == "Content-Security-Policy":
            self.csp = found.get("content")


def _tags(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


_typed = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1,
                 max_size=60)


def _hostile_doc(text: str, plain: bool) -> LogDocument:
    """A document with ``text`` typed into every place text can be typed (or plain words where
    ``text`` makes a value, to compare the structure with)."""

    def typed(value: str) -> str:
        return value if not plain else ("a" if strip_controls(value).strip() else "")

    fields = clean_fields({**FIRST}, KINDS)
    fields.update(summary=typed(text), location=typed(text), what_happened=typed(text),
                  when_note=typed(text), witnesses=[{"name": typed(text), "contact": "1"}],
                  tags=[typed(text)], actions=[typed(text)])
    entry = _entry(fields)
    entry.attachments.append(Attachment(
        id="a1", name=typed(text), size=3, sha256="0" * 64, type="text/plain",
        added_at="2026-03-04T08:00:00+00:00", note=typed(text), blob="0" * 32, key="k"))
    return build_log_document(CONTENT, [entry], made=MADE, include_private=True,
                              statuses={(1, "a1"): None})


@settings(max_examples=150, deadline=None)
@given(text=_typed)
def test_html_escapes_everything_typed(text: str) -> None:
    page = render_log_html(_hostile_doc(text, plain=False))
    reference = render_log_html(_hostile_doc(text, plain=True))
    found, expected = _tags(page), _tags(reference)
    assert [t for t in found.tags if t != "br"] == [t for t in expected.tags if t != "br"]
    assert found.attrs <= {"lang", "charset", "http-equiv", "content", "name", "class", "id",
                           "scope"}
    assert found.csp == CSP
    assert not {"a", "script", "img", "iframe", "link", "form"} & set(found.tags)


def test_html_keeps_typed_text_as_text() -> None:
    hostile = '<script>alert(1)</script> "><img src=x onerror=alert(1)> \u202eevil'
    page = render_log_html(_hostile_doc(hostile, plain=False))
    assert "<script>" not in page and "<img" not in page and "\u202e" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<bdi>&lt;script&gt;" in page
    assert f'content="{CSP}"' in page
    assert "@media print" in page and "break-before: page" in page


def _structure(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return [t.type for t in tokens if t.type != "inline"]


@settings(max_examples=150, deadline=None)
@given(text=_typed)
def test_markdown_structure_cannot_be_broken_by_typed_text(text: str) -> None:
    page = render_log_markdown(_hostile_doc(text, plain=False))
    reference = render_log_markdown(_hostile_doc(text, plain=True))
    assert _structure(page) == _structure(reference)
    tokens = MarkdownIt("commonmark").enable("table").parse(page)
    for token in tokens:
        if token.type == "inline":
            kinds = {child.type for child in token.children or []}
            assert kinds <= {"text", "softbreak", "hardbreak", "strong_open", "strong_close"}


def test_markdown_to_the_screen(filled: dict[str, Any]) -> None:
    said, notices = export("md")
    assert said.startswith("# Incident log")
    assert "### Entry 1" in said and "| No. | When |" in said
    assert CONTENT.at_export[0] in notices and CONTENT.at_export[0] not in said.split("##")[2]
    assert filled["attachments"][0].sha256 in said
    filled["vault"].refresh()
    assert filled["vault"].read(LogState).exports[-1].format == "md"


# ── ZIP ───────────────────────────────────────────────────────────────────────────────────────


def unpack(archive: Path, into: Path) -> list[str]:
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(into)
        return zipped.namelist()


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils' sha256sum")
def test_zip_checks_with_sha256sum_and_holds_the_originals(
    filled: dict[str, Any], out: Path, tmp_path: Path
) -> None:
    target = out / "log.zip"
    _said, _notices = export("zip", target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    unpacked = tmp_path / "unpacked"
    names = unpack(target, unpacked)
    one, _two, three = filled["attachments"]
    second, first = filled["ids"][1], filled["ids"][0]
    assert names == ["log.pdf", "log.csv", f"attachments/{first}-1-{safe_name(three.name)}",
                     f"attachments/{second}-1-photo.png",
                     f"attachments/{second}-2-voicemail.m4a", "SHA256SUMS"]
    checked = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=unpacked,
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == 5
    files = filled["files"]
    assert (unpacked / names[2]).read_bytes() == files["notes/../weird name?.txt"]
    assert (unpacked / names[3]).read_bytes() == files["photo.png"]
    assert (unpacked / names[4]).read_bytes() == files["voicemail.m4a"]
    sums = (unpacked / "SHA256SUMS").read_text()
    assert f"{one.sha256}  {names[3]}" in sums
    text = squashed(pdf_text(unpacked / "log.pdf"))
    assert squashed(f"In the ZIP as: {names[3]}") in text
    assert read_csv((unpacked / "log.csv").read_bytes())[0][0] == "No."


def test_a_tampered_attachment_is_reported_and_left_out(
    filled: dict[str, Any], out: Path, tmp_path: Path
) -> None:
    tamper(filled["vault"], filled["attachments"][0])
    target = out / "log.zip"
    _said, notices = export("zip", target)
    assert "photo.png is not as it was added (damaged). It was left out of the ZIP" in notices
    names = unpack(target, tmp_path / "u")
    assert not any("photo" in name for name in names)
    assert any("voicemail" in name for name in names)
    sums = (tmp_path / "u" / "SHA256SUMS").read_text()
    assert "photo" not in sums
    text = squashed(pdf_text(tmp_path / "u" / "log.pdf"))
    assert "NOTasitwasadded:damaged(leftoutofthisZIP)" in text


def test_a_file_that_changes_while_it_is_copied_is_left_out(
    filled: dict[str, Any], out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked as intact, then changed before it was copied: the export is made again
    without it, never with the changed bytes presented as the original."""
    from safetykit.storage import attachments

    victim = filled["attachments"][1]
    real = attachments.copy_out

    def changed_meanwhile(paths: DataPaths, blob: str, key: str, sha: str, out: Any) -> None:
        if blob == victim.blob:
            out.write(b"partial")
            raise attachments.DamagedAttachmentError("changed", reason=attachments.CHANGED)
        real(paths, blob, key, sha, out)

    monkeypatch.setattr(attachments, "copy_out", changed_meanwhile)
    _said, notices = export("zip", out / "log.zip")
    names = unpack(out / "log.zip", tmp_path / "u")
    assert not any("voicemail" in name for name in names)
    assert "voicemail.m4a is not as it was added (changed since it was added)" in notices
    subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=tmp_path / "u", check=True)


def test_a_large_attachment_streams_through_the_zip(
    vault: Vault, sources: Path, out: Path, tmp_path: Path
) -> None:
    entry = add(vault, THIRD)
    big = sources / "video.mp4"
    with big.open("wb") as handle:
        for _ in range(24):
            handle.write(os.urandom(1 << 20))
    attach_file(vault, entry, big, "")
    digest = hashlib.sha256(big.read_bytes()).hexdigest()
    export("zip", out / "log.zip")
    with zipfile.ZipFile(out / "log.zip") as zipped:
        info: zipfile.ZipInfo = zipped.getinfo(f"attachments/{entry}-1-video.mp4")
        assert info.compress_type == zipfile.ZIP_STORED and info.file_size == 24 << 20
        with zipped.open(info) as member:
            found = hashlib.sha256()
            while chunk := member.read(1 << 20):
                found.update(chunk)
    assert found.hexdigest() == digest


@posix_only
def test_a_kill_during_a_zip_export_leaves_no_partial_file(tmp_path: Path) -> None:
    root = tmp_path / "killed-data"
    vault = vaults.passphrase_vault(root)
    entry = add(vault, THIRD)
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(6 << 20))
    attach_file(vault, entry, big, "")
    folder = tmp_path / "dest"
    folder.mkdir(mode=0o700)
    target = folder / "log.zip"
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from safetykit.flows import log_export\n"
        "from safetykit.render.destinations import check_destination\n"
        "from safetykit.storage import attachments\n"
        "from safetykit.storage.paths import DataPaths\n"
        "from safetykit.storage.vault import open_vault\n"
        "real = attachments.copy_out\n"
        "class Slow:\n"
        "    def __init__(self, out):\n"
        "        self.out, self.seen = out, 0\n"
        "    def write(self, data):\n"
        "        self.out.write(data)\n"
        "        self.seen += len(data)\n"
        "        if self.seen >= 2 << 20:\n"
        "            print('midway', flush=True)\n"
        "            time.sleep(60)\n"
        "attachments.copy_out = lambda p, b, k, s, out: real(p, b, k, s, Slow(out))\n"
        "vault = open_vault(DataPaths(Path(sys.argv[1])), sys.argv[3])\n"
        "log_export.write_export(vault, check_destination(Path(sys.argv[2]), 'zip'),\n"
        "                        log_export.Choice('zip'))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(root), str(target),
                             vaults.PASSPHRASE], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parent.parent)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "midway"
        assert not target.exists()
    finally:
        proc.kill()
        proc.wait()
    assert not target.exists()
    leftovers = [p.name for p in folder.iterdir()]
    assert all(re.fullmatch(r"\.log\.zip\.[0-9a-f]{12}\.tmp", name) for name in leftovers)
    written = write_export(vault, check_destination(target, "zip"), Choice("zip"))
    assert written.entries == 1 and zipfile.ZipFile(target).testzip() is None


@pytest.mark.parametrize("unnamed", [True, False], ids=["O_TMPFILE", "temp-file"])
def test_write_private_stream_never_replaces_without_a_yes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unnamed: bool
) -> None:
    if not unnamed:
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)  # the way other systems write
    target = tmp_path / "log.zip"
    target.write_bytes(b"old")

    def write(out: Any) -> None:
        out.write(b"new")

    with pytest.raises(BadInputError, match="already there"):
        write_private_stream(target, write)
    assert target.read_bytes() == b"old"
    write_private_stream(target, write, replace=True)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    def failing(out: Any) -> None:
        out.write(b"partial")
        raise RuntimeError("made up")

    with pytest.raises(RuntimeError):
        write_private_stream(tmp_path / "other.zip", failing)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.zip"]


# ── what is exported, and the history ─────────────────────────────────────────────────────────


def test_filters_and_the_export_history(filled: dict[str, Any], out: Path) -> None:
    first, second, third = filled["ids"]
    export("csv", out / "a.csv", start="2026-03-04", end="2026-03-31")
    assert [row[0] for row in read_csv((out / "a.csv").read_bytes())[1:]] == [
        str(second), str(third)]
    export("csv", out / "b.csv", kinds=["showed-up", "email"])
    assert [row[0] for row in read_csv((out / "b.csv").read_bytes())[1:]] == [
        str(first), str(third)]
    export("csv", out / "c.csv", end="2026-03-03")
    assert [row[0] for row in read_csv((out / "c.csv").read_bytes())[1:]] == [str(first)]
    said, _ = export("pdf", out / "none.pdf", start="2027-01-01")
    assert "0 incidents" in said
    text = pdf_text(out / "none.pdf")
    assert "No incidents match what was chosen for this export." in text
    assert "Dates covered: 2027-01-01 to the last entry" in text
    filled["vault"].refresh()  # the command opened the vault itself
    history = filled["vault"].read(LogState).exports
    assert [(x.format, x.start, x.end, x.kinds, x.private, x.entries) for x in history] == [
        ("csv", "2026-03-04", "2026-03-31", [], False, 2),
        ("csv", None, None, ["showed-up", "email"], False, 2),
        ("csv", None, "2026-03-03", [], False, 1),
        ("pdf", "2027-01-01", None, [], False, 0),
    ]
    assert all(ISO_WITH_OFFSET.match(x.at) for x in history)


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"fmt": "docx"}, UsageError, "not a format"),
        ({"start": "3/3/2026"}, UsageError, "--from needs a day"),
        ({"end": "2026-02-30"}, UsageError, "--to needs a day"),
        ({"start": "2026-03-10", "end": "2026-03-01"}, UsageError, "before --from"),
        ({"kinds": ["nope"]}, UsageError, "'nope' is not a kind"),
        ({"fmt": "csv", "protect": True}, BadInputError, "Only a PDF"),
        ({"fmt": "zip", "protect": True}, BadInputError, "Only a PDF"),
    ],
)
def test_bad_options_write_nothing(
    filled: dict[str, Any], out: Path, options: dict[str, Any], error: type[Exception],
    message: str,
) -> None:
    before = filled["vault"].paths.vault.read_bytes()
    fmt = options.pop("fmt", "pdf")
    with pytest.raises(error, match=message):
        export(fmt, out / f"log.{fmt}", **options)
    assert list(out.iterdir()) == []
    assert filled["vault"].paths.vault.read_bytes() == before


def test_nothing_set_up_is_exit_11_and_the_destination_is_checked_first(
    data_dir: Path, out: Path
) -> None:
    with pytest.raises(NotSetUpError):
        export("pdf", out / "log.pdf")
    (out / "log.pdf").write_bytes(b"mine")
    with pytest.raises(BadInputError, match="already exists"):  # said before unlocking
        export("pdf", out / "log.pdf")
    assert not default_paths().vault.exists()


@posix_only
def test_destination_rules(filled: dict[str, Any], out: Path, tmp_path: Path) -> None:
    target = out / "log.zip"
    target.write_bytes(b"an earlier export")
    with pytest.raises(BadInputError, match="already exists"):
        export("zip", target)
    assert target.read_bytes() == b"an earlier export"
    export("zip", target, force=True)
    assert zipfile.is_zipfile(target) and stat.S_IMODE(target.stat().st_mode) == 0o600
    synced = tmp_path / "Dropbox"
    synced.mkdir(mode=0o700)
    with pytest.raises(BadInputError, match="Dropbox"):
        export("pdf", synced / "log.pdf")
    assert list(synced.iterdir()) == []
    export("pdf", synced / "log.pdf", allow_shared=True)
    assert (synced / "log.pdf").exists()
    shared = Path(tempfile.mkdtemp(prefix="sk-share-", dir="/tmp"))  # outside pytest's own
    try:
        shared.chmod(0o777)
        with pytest.raises(BadInputError, match="others on this computer"):
            export("csv", shared / "log.csv")
        assert list(shared.iterdir()) == []
    finally:
        shutil.rmtree(shared, ignore_errors=True)


# ── the walk-through ──────────────────────────────────────────────────────────────────────────


def test_export_interactively(filled: dict[str, Any], out: Path) -> None:
    target = out / "chosen.pdf"
    run, shown_out, _ = session({
        "log.export.format": "pdf",
        "log.export.from": Queue(["03/03", "2026-03-01"]),  # asked again, calmly
        "log.export.to": "2026-03-10",
        "log.export.some_kinds": True,
        "log.export.kinds": ["showed-up", "message"],
        "log.export.private": False,
        "export.path": str(target),
        "log.export.protect": False,
    })
    export_interactively(run, filled["vault"])
    said = words(shown_out.getvalue())
    assert CONTENT.at_export[0] in said
    assert "year-month-day" in said
    assert f"The log is saved in {target} (2 incidents)." in said
    text = pdf_text(target)
    assert "Entry 1" in text and "Entry 2" in text and "Entry 3" not in text
    assert "PRIVATE" not in text
    record = filled["vault"].read(LogState).exports[-1]
    assert (record.start, record.end, record.kinds, record.private) == (
        "2026-03-01", "2026-03-10", ["showed-up", "message"], False)


def test_export_interactively_can_go_back(filled: dict[str, Any]) -> None:
    run, _shown, _ = session({"log.export.format": "_back"})
    export_interactively(run, filled["vault"])
    assert filled["vault"].read(LogState).exports == []


# ── secrets hygiene ───────────────────────────────────────────────────────────────────────────


def _recent(root: Path, since: float, skip: Path) -> list[Path]:
    found = []
    for folder, _subfolders, names in os.walk(root):
        if Path(folder).is_relative_to(skip):
            continue
        for name in names:
            path = Path(folder) / name
            try:
                info = path.lstat()
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and info.st_mtime >= since and info.st_size <= 5 << 20:
                found.append(path)
    return found


@pytest.mark.parametrize("fmt", ["zip", "pdf", "csv"])
def test_markers_never_reach_the_data_folder_or_temp_files(
    vault: Vault, tmp_path: Path, fmt: str
) -> None:
    started = time.time() - 1
    entry_marker = f"entry-{secrets.token_hex(8)}"
    file_marker = f"file-{secrets.token_hex(8)}"
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    entry = add(vault, {**THIRD, "what_happened": entry_marker, "private_note": entry_marker})
    source = private / "evidence.txt"
    source.write_bytes(file_marker.encode() * 100)
    attach_file(vault, entry, source, entry_marker)
    export(fmt, private / f"log.{fmt}", include_private=True)
    if fmt == "zip":
        with zipfile.ZipFile(private / "log.zip") as zipped:
            assert file_marker.encode() in zipped.read(f"attachments/{entry}-1-evidence.txt")
    shutil.rmtree(private)
    markers = [entry_marker.encode(), file_marker.encode()]
    candidates = [p for p in default_paths().root.rglob("*") if p.is_file()]
    candidates += _recent(Path(tempfile.gettempdir()), started, skip=tmp_path / "private")
    assert candidates
    for path in candidates:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        for marker in markers:
            assert marker not in data, f"{marker!r} in {path}"

