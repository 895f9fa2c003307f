"""The incident log as a render-neutral document, for every export (PDF, HTML, Markdown, CSV,
ZIP). Pure: what the stored attachments look like now is passed in (``statuses``).

The document, in order:

1. a cover: the title, the dates covered, the number of incidents, when it was made (and which
   kinds, if only some), whether private fields are in it, the content's cover note and the
   notices said at every export;
2. a summary table, oldest first: number, when (with "about", the end of a range and the
   person's note), kind, where, a one-line summary, the number of attached files and a
   "changed" marker;
3. a page per incident: every field that has a value, in ``FIELDS`` order, with its plain label
   (the private ones only when chosen), when it was written down and each later change with its
   time and the fields it changed, and each attached file with its size, type, SHA-256, when it
   was added, its note and whether it is still exactly as added;
4. a manifest of the attached files (entry, name, size, SHA-256, status).

Times are shown as stored (ISO 8601, with their UTC offset; a date alone when the time is not
known) followed by a readable form: ``2026-03-03T21:15:00-05:00 (Tuesday 3 March 2026, 21:15,
UTC-05:00)``. Every string in the document has had control characters and bidirectional
overrides removed; writers still escape for their format.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from safetykit.content.log import LogContent
from safetykit.core.log import FIELDS, PRIVATE_FIELDS, Entry, changed_fields, summary_of
from safetykit.core.text import one_line, strip_controls
from safetykit.i18n import N_, _, current_language

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The names of the days and months, translated where shown (``_(_MONTHS[n])``).
_DAYS: Final = (
    # TRANSLATORS: the days of the week, as in "Tuesday 3 March 2026" (in Spanish with a small
    # letter: "martes").
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
    N_("Sunday"),
)
_MONTHS: Final = (
    # TRANSLATORS: the months, as in "Tuesday 3 March 2026" (in Spanish with a small letter:
    # "marzo").
    N_("January"), N_("February"), N_("March"), N_("April"),
    # TRANSLATORS: the month of May.
    N_("May"),
    N_("June"), N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
    N_("December"),
)
TIME_UNKNOWN: Final = N_("time not known")
SHA256_HEX: Final = re.compile(r"^[0-9a-f]{64}$")


# ── times and sizes, in words ───────────────────────────────────────────────────────────────


def _offset(moment: datetime.datetime) -> str:
    delta = moment.utcoffset()
    if not delta:
        return "UTC"
    minutes = int(delta.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def day_in_words(day: datetime.date) -> str:
    """``Tuesday 3 March 2026``, in the language in use: the day, the month's name and the year,
    never a day and month in numbers that could be read either way round."""
    # TRANSLATORS: a date, as "Tuesday 3 March 2026"; Spanish: "{weekday} {day} de {month} de
    # {year}". Keep the day, the month's name and the year: never the month as a number.
    return _("{weekday} {day} {month} {year}").format(
        weekday=_(_DAYS[day.weekday()]), day=day.day, month=_(_MONTHS[day.month - 1]),
        year=day.year,
    )


def readable(when: str, time_unknown: str | None = None) -> str:
    """``2026-03-03T21:15:00-05:00`` as ``Tuesday 3 March 2026, 21:15, UTC-05:00``; a date alone
    as ``Tuesday 3 March 2026, time not known``. Text that is not a time is returned cleaned."""
    text = one_line(when)
    try:
        if _DATE.match(text):
            day = datetime.date.fromisoformat(text)
            unknown = _(TIME_UNKNOWN) if time_unknown is None else time_unknown
            return f"{day_in_words(day)}, {unknown}"
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return text
    words = day_in_words(moment.date())
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    if moment.tzinfo is None:
        return f"{words}, {clock}"
    return f"{words}, {clock}, {_offset(moment)}"


def shown(when: str, time_unknown: str | None = None) -> str:
    """A time as stored (ISO 8601 with its offset) and, in brackets, in words."""
    text = one_line(when)
    words = readable(text, time_unknown)
    return text if words == text else f"{text} ({words})"


def size_text(size: int, bytes_word: str | None = None) -> str:
    """``1.2 MB (1,234,567 bytes)``; small sizes in bytes alone."""
    if bytes_word is None:
        bytes_word = _("bytes")
    if size < 1024:
        return f"{size:,} {bytes_word}"
    value = size / 1024
    units = ["KB", "MB", "GB", "TB"]
    while value >= 1024 and len(units) > 1:
        value /= 1024
        units.pop(0)
    return f"{value:,.1f} {units[0]} ({size:,} {bytes_word})"


# ── names for files inside a ZIP ─────────────────────────────────────────────────────────────

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
MAX_NAME: Final = 120


def safe_name(name: str) -> str:
    """A file's name made safe to unpack anywhere (Windows, macOS, Linux) and to list in
    ``SHA256SUMS``: no folders, no characters a file system refuses, no leading dot, at most
    ``MAX_NAME`` characters (the extension kept), never empty."""
    text = unicodedata.normalize("NFC", one_line(name))
    text = _UNSAFE.sub("_", text)
    text = "".join("_" if unicodedata.category(ch) in ("Cf", "Zl", "Zp") else ch for ch in text)
    text = text.strip(" .") or "file"
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        if dot and 0 < len(ext) <= 10 and stem:
            text = stem[: MAX_NAME - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            text = text[:MAX_NAME].rstrip(" .")
    return text or "file"


def archive_name(entry_id: int, position: int, name: str) -> str:
    """Where an attached file goes in the ZIP: ``attachments/<entry>-<n>-<safe name>``."""
    return f"attachments/{entry_id}-{position}-{safe_name(name)}"


# ── the document ─────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Cover:
    title: str
    facts: tuple[tuple[str, str], ...]
    """(label, value): dates covered, number of incidents, made on, only these kinds."""
    private_line: str
    note: str
    notices_title: str
    notices: tuple[str, ...]


@dataclass(frozen=True)
class SummaryRow:
    number: int
    when: str
    kind: str
    where: str
    summary: str
    files: int
    changed: str
    """The "changed" marker, or empty."""

    def cells(self) -> tuple[str, ...]:
        return (str(self.number), self.when, self.kind, self.where, self.summary,
                str(self.files) if self.files else "", self.changed)


@dataclass(frozen=True)
class FieldLine:
    label: str
    text: str
    """The value; several lines for long text and lists."""
    private: bool = False
    long: bool = False
    """Free text (what happened, their words): shown as a paragraph under its label."""


@dataclass(frozen=True)
class AttachmentLine:
    entry: int
    position: int
    name: str
    size: int
    size_text: str
    type: str
    sha256: str
    added: str
    note: str
    intact: bool
    status: str
    archive_name: str | None
    """Its name in the ZIP (None when it is not in one: not a ZIP, or left out)."""
    details: tuple[tuple[str, str], ...]
    """(label, value) lines for the entry's page: size, type, SHA-256, added, note, status."""
    problem: str = ""
    """Why it is not intact, in a few words ("missing", "damaged", ...); empty when intact."""

    def manifest_cells(self) -> tuple[str, ...]:
        return (str(self.entry), self.name, self.size_text, self.sha256, self.status)


@dataclass(frozen=True)
class EntryPage:
    number: int
    heading: str
    summary: str
    fields: tuple[FieldLine, ...]
    written: str
    changes: tuple[str, ...]
    attachments_title: str
    attachments: tuple[AttachmentLine, ...]


@dataclass(frozen=True)
class LogDocument:
    """The export, ready for any writer. Every string in it has been cleaned."""

    title: str
    language: str
    made: datetime.datetime
    include_private: bool
    archive: bool
    cover: Cover
    summary_title: str
    summary_headers: tuple[str, ...]
    rows: tuple[SummaryRow, ...]
    entries_title: str
    entries: tuple[EntryPage, ...]
    manifest_title: str
    manifest_note: str
    manifest_headers: tuple[str, ...]
    manifest: tuple[AttachmentLine, ...]
    no_entries: str
    no_attachments: str
    pdf_fallback_note: str

    @property
    def damaged(self) -> tuple[AttachmentLine, ...]:
        """Attached files that are not exactly as they were added."""
        return tuple(a for a in self.manifest if not a.intact)


# ── fields as text ───────────────────────────────────────────────────────────────────────────


def _yes_no(content: LogContent, value: object) -> str:
    if value is True:
        return content.word("yes")
    if value is False:
        return content.word("no")
    return ""


def _short(value: object) -> str:
    return one_line(value) if isinstance(value, str) else ""


def _long(value: object) -> str:
    if not isinstance(value, str):
        return ""
    lines = [line.rstrip() for line in strip_controls(value).split("\n")]
    return "\n".join(lines).strip()


def _items(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [text for text in (_short(item) for item in value) if text]


def _parts(content: LogContent, pairs: Sequence[tuple[str, str]]) -> str:
    return " · ".join(f"{content.word(key)}: {text}" for key, text in pairs if text)


def field_text(content: LogContent, name: str, value: object, *, words: bool = True) -> str:
    """One field's value as text ("" when it has none). With ``words``, times also in words;
    without (the CSV), times exactly as stored."""
    if name in ("occurred_at", "occurred_until"):
        text = _short(value)
        return shown(text, content.word("time_unknown")) if words and text else text
    if name == "approximate":
        return content.word("yes") if value is True else ("" if words else content.word("no"))
    if name == "kind":
        text = _short(value)
        return content.label(text) if text else ""
    if name in ("what_happened", "their_words", "effect", "private_note"):
        return _long(value)
    if name in ("actions", "tags"):
        return ("\n" if name == "actions" else ", ").join(_items(value))
    if name == "witnesses":
        people = []
        for person in value if isinstance(value, list) else []:
            if not isinstance(person, Mapping):
                continue
            who, contact = _short(person.get("name")), _short(person.get("contact"))
            if who or contact:
                people.append(f"{who} ({contact})" if who and contact else who or contact)
        return "\n".join(people)
    if name == "police":
        police = value if isinstance(value, Mapping) else {}
        return _parts(content, [
            ("police_called", _yes_no(content, police.get("called"))),
            *((f"police_{key}", _short(police.get(key)))
              for key in ("agency", "officer", "badge", "report_number")),
        ])
    if name == "protective_order":
        order = value if isinstance(value, Mapping) else {}
        return _parts(content, [("order_in_place", _yes_no(content, order.get("in_place"))),
                                ("order_number", _short(order.get("number")))])
    return _short(value)


def exported_fields(include_private: bool) -> tuple[str, ...]:
    """The fields an export holds, in order."""
    return tuple(name for name in FIELDS if include_private or name not in PRIVATE_FIELDS)


def when_text(content: LogContent, fields: Mapping[str, Any]) -> str:
    """When it happened, short, for the summary table: "about" for approximate, the end of a
    range, and the person's note."""
    text = _short(fields.get("occurred_at"))
    if fields.get("approximate") is True:
        text = f"{content.word('about')} {text}"
    until = _short(fields.get("occurred_until"))
    if until:
        text = f"{text} {content.word('to')} {until}"
    note = _short(fields.get("when_note"))
    if note:
        text = f"{text} ({note})"
    return text


def _changes(content: LogContent, entry: Entry, include_private: bool) -> tuple[str, ...]:
    lines = []
    for before, after in zip(entry.versions, entry.versions[1:], strict=False):
        changed = changed_fields(before, after)
        named = [content.field_label(n) for n in changed if include_private or
                 n not in PRIVATE_FIELDS]
        if len(named) < len(changed):
            named.append(content.word("changed_hidden"))
        at = shown(after.saved_at, content.word("time_unknown"))
        lines.append(f"{content.word('changed_at')}: {at}" +
                     (f" ({', '.join(named)})" if named else ""))
    return tuple(lines)


def _attachment(
    content: LogContent,
    entry: Entry,
    position: int,
    status: str | None,
    archive: bool,
) -> AttachmentLine:
    a = entry.attachments[position - 1]
    intact = status is None
    name = one_line(a.name) or "file"
    sha = one_line(a.sha256).lower()
    # The reason is one of storage.attachments' words ("missing", "damaged", ...), in English.
    reason = one_line(status or "")
    reason = _(reason) if reason else ""
    if intact:
        state = content.word("intact")
    else:
        state = f"{content.word('not_intact')}: {reason}"
        if archive:
            state += f" ({content.word('left_out')})"
    in_zip = archive_name(entry.id, position, name) if archive and intact else None
    size = a.size if a.size >= 0 else 0
    sized = size_text(size, content.word("bytes"))
    added = shown(a.added_at, content.word("time_unknown"))
    note = one_line(a.note)
    details = [
        (content.word("size"), sized),
        (content.word("type"), one_line(a.type)),
        (content.word("col_sha256"), sha),
        (content.word("added"), added),
        (content.word("note"), note),
        (content.word("status"), state),
    ]
    if in_zip:
        details.append((content.word("in_zip"), in_zip))
    return AttachmentLine(
        entry=entry.id, position=position, name=name, size=size, size_text=sized,
        type=one_line(a.type), sha256=sha, added=added, note=note, intact=intact, status=state,
        archive_name=in_zip, details=tuple((k, v) for k, v in details if v),
        problem="" if intact else reason or _("damaged"),
    )


def _entry_page(
    content: LogContent,
    entry: Entry,
    include_private: bool,
    statuses: Mapping[tuple[int, str], str | None],
    archive: bool,
) -> EntryPage:
    fields = entry.fields
    lines = []
    for name in exported_fields(include_private):
        text = field_text(content, name, fields.get(name))
        if text:
            lines.append(FieldLine(
                content.field_label(name), text, private=name in PRIVATE_FIELDS,
                long=name in ("what_happened", "their_words", "effect", "private_note"),
            ))
    files = tuple(
        _attachment(content, entry, n, statuses.get((entry.id, a.id)), archive)
        for n, a in enumerate(entry.attachments, start=1)
    )
    return EntryPage(
        number=entry.id,
        heading=f"{content.word('entry')} {entry.id}",
        summary=one_line(summary_of(fields)),
        fields=tuple(lines),
        written=f"{content.word('written_down')}: "
                f"{shown(entry.recorded_at, content.word('time_unknown'))}",
        changes=_changes(content, entry, include_private),
        attachments_title=content.word("attachments"),
        attachments=files,
    )


def _covers(
    content: LogContent,
    entries: Sequence[Entry],
    start: datetime.date | None,
    end: datetime.date | None,
) -> str:
    to = content.word("to")
    if start or end:
        first = start.isoformat() if start else content.word("first_entry")
        last = end.isoformat() if end else content.word("last_entry")
        return f"{first} {to} {last}"
    if not entries:
        return content.word("whole_log")
    days = sorted(one_line(e.occurred_at)[:10] for e in entries)
    return f"{days[0]} {to} {days[-1]} ({content.word('whole_log')})"


def build_log_document(
    content: LogContent,
    entries: Sequence[Entry],
    *,
    made: datetime.datetime,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    kinds: Sequence[str] = (),
    include_private: bool = False,
    statuses: Mapping[tuple[int, str], str | None] | None = None,
    archive: bool = False,
) -> LogDocument:
    """The export of ``entries`` (already chosen and in order, as ``LogState.select`` gives).

    ``statuses`` says, for (entry number, attachment id), None when the stored file is intact
    or a short reason when it is not (``storage.attachments.verify``); an attachment missing
    from it counts as intact. ``archive``: the document goes into a ZIP with the files, so
    each intact file is named by its place in the ZIP and the others say they were left out.
    """
    found = statuses or {}
    pages = tuple(_entry_page(content, e, include_private, found, archive) for e in entries)
    facts = [
        (content.word("covers"), _covers(content, entries, start, end)),
        (content.word("incidents"), f"{len(entries):,}"),
        (content.word("made"), shown(made.replace(microsecond=0).isoformat(),
                                     content.word("time_unknown"))),
    ]
    if kinds:
        facts.append((content.word("kinds_only"), ", ".join(content.label(k) for k in kinds)))
    rows = tuple(
        SummaryRow(
            number=e.id,
            when=when_text(content, e.fields),
            kind=field_text(content, "kind", e.fields.get("kind")),
            where=_short(e.fields.get("location")) or _short(e.fields.get("platform")),
            summary=one_line(summary_of(e.fields)),
            files=len(e.attachments),
            changed=content.word("changed_mark") if len(e.versions) > 1 else "",
        )
        for e in entries
    )
    word = content.word
    return LogDocument(
        title=one_line(content.title),
        language=current_language(),
        made=made,
        include_private=include_private,
        archive=archive,
        cover=Cover(
            title=one_line(content.title),
            facts=tuple(facts),
            private_line=word("private_included" if include_private else "private_left_out"),
            note=one_line(content.cover_note),
            notices_title=word("notices"),
            notices=tuple(one_line(n) for n in content.at_export),
        ),
        summary_title=word("summary"),
        summary_headers=tuple(word(k) for k in (
            "col_number", "col_when", "col_kind", "col_where", "col_summary", "col_files",
            "col_changed")),
        rows=rows,
        entries_title=word("entries"),
        entries=pages,
        manifest_title=word("manifest"),
        manifest_note=word("manifest_note"),
        manifest_headers=tuple(word(k) for k in (
            "col_entry", "col_file", "col_size", "col_sha256", "col_status")),
        manifest=tuple(a for page in pages for a in page.attachments),
        no_entries=word("no_entries"),
        no_attachments=word("no_attachments"),
        pdf_fallback_note=word("pdf_fallback"),
    )


# ── the CSV's table ──────────────────────────────────────────────────────────────────────────


def csv_table(
    content: LogContent,
    entries: Sequence[Entry],
    *,
    include_private: bool = False,
    header_content: LogContent | None = None,
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The header and one row per incident: its number, every exported field (times exactly as
    stored, ISO 8601 with their offset), when it was written down, the times of its changes,
    and the number of attached files. The header's words come from ``header_content`` when it
    is given (the English words, whatever the language in use), else from ``content``."""
    names = exported_fields(include_private)
    words = header_content or content
    header = (
        words.word("col_number"),
        *(words.field_label(n) for n in names),
        words.word("written_down"),
        words.word("changed_at"),
        words.word("attachments"),
    )
    rows = [
        (
            str(e.id),
            *(field_text(content, n, e.fields.get(n), words=False) for n in names),
            one_line(e.recorded_at),
            "; ".join(one_line(v.saved_at) for v in e.versions[1:]),
            str(len(e.attachments)),
        )
        for e in entries
    ]
    return header, rows
