"""The incident log as a file for an advocate or a court: ``safetykit log export`` and the
walk-through's "Export". ``write_export`` is the one operation both use; where the file goes
follows the rules in ``safetykit.flows.exporting``.

Formats: PDF (optionally with a password), HTML, Markdown, CSV, and ZIP (the PDF, the CSV, the
attached files exactly as they were added, and ``SHA256SUMS``). Every attached file is checked
against its SHA-256 before anything is written; one that is missing, damaged or changed is said
to be so (on screen and in the document) and is never put in a ZIP as if it were the original.
The notices about sharing the file are said at every export, and every export is recorded in
the log (when, which format, which dates and kinds, whether private fields were in it, how many
incidents).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Final

from safetykit.content.log import LogContent, load_log
from safetykit.core.log import Attachment, Entry, ExportRecord, LogState, now
from safetykit.core.log_document import LogDocument, archive_name, build_log_document, csv_table
from safetykit.errors import (
    BadInputError,
    SafetykitError,
    StorageError,
    UsageError,
)
from safetykit.flows.access import open_for_script
from safetykit.flows.exporting import (
    ask_destination,
    settle_destination,
    write_stream_to,
    write_to,
)
from safetykit.flows.protection import choose_pdf_password, required_pdf_password
from safetykit.flows.session import Session
from safetykit.i18n import _, ngettext
from safetykit.render.destinations import Destination
from safetykit.storage.paths import DataPaths
from safetykit.storage.vault import Vault
from safetykit.ui.prompts import Option
from safetykit.ui.screen import Screen

FORMATS: Final = ("pdf", "html", "md", "csv", "zip")
PDF_NAME: Final = "log.pdf"
CSV_NAME: Final = "log.csv"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Choice:
    """What an export covers, and in which format."""

    fmt: str
    start: datetime.date | None = None
    end: datetime.date | None = None
    kinds: tuple[str, ...] = ()
    include_private: bool = False


@dataclass
class Written:
    """What an export wrote: how many incidents, and the attached files that were not intact."""

    entries: int
    damaged: list[tuple[int, str, str]] = field(default_factory=list)
    """(entry number, file name, reason) for each attached file that is not as it was added."""

    @classmethod
    def of(cls, doc: LogDocument) -> Written:
        return cls(len(doc.entries), [(a.entry, a.name, a.problem) for a in doc.damaged])


# ── checking what was asked for ───────────────────────────────────────────────────────────────


def parse_day(text: str | datetime.date | None, option: str) -> datetime.date | None:
    """A day given as YYYY-MM-DD (None when not given); ``UsageError`` for anything else."""
    if text is None or isinstance(text, datetime.date):
        return text
    value = text.strip()
    if not value:
        return None
    try:
        if not _DAY.match(value):
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            # TRANSLATORS: {option} is --from or --to.
            _("{option} needs a day written as year-month-day, such as 2026-03-03.").format(
                option=option
            ),
            hint=_("Nothing was written."),
        ) from None


def check_choice(
    content: LogContent,
    fmt: str,
    *,
    start: str | datetime.date | None,
    end: str | datetime.date | None,
    kinds: Sequence[str],
    include_private: bool,
) -> Choice:
    """The export asked for, checked before anything is unlocked or written."""
    if fmt not in FORMATS:
        raise UsageError(
            _("'{format}' is not a format. Use one of: {formats}.").format(
                format=fmt[:20], formats=", ".join(FORMATS)
            )
        )
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    if first and last and last < first:
        raise UsageError(_("--to is a day before --from, so no incident could match."),
                         hint=_("Nothing was written. Swap the two days."))
    known = [kind.id for kind in content.kinds]
    chosen: list[str] = []
    for kind in kinds:
        value = kind.strip()
        if value not in known:
            raise UsageError(
                _("'{kind}' is not a kind of incident.").format(kind=value[:40]),
                hint=_("Nothing was written. The kinds are: {kinds}.").format(
                    kinds=", ".join(known)
                ),
            )
        if value not in chosen:
            chosen.append(value)
    return Choice(fmt, first, last, tuple(chosen), include_private)


def default_path(fmt: str, folder: Path | None = None) -> Path:
    """A neutral name in ``folder`` (the current folder), such as ``notes-2026-11-24.zip``."""
    from safetykit.render.destinations import default_filename

    return (folder or Path.cwd()) / default_filename(fmt, datetime.date.today())


def say_notices(screen: Screen, content: LogContent | None = None) -> None:
    """What is said at every export: who may read it, what is left out, what a SHA-256 shows."""
    text = content or load_log()
    screen.box(text.word("notices"), [f"• {line}" for line in text.at_export])


# ── making the file ───────────────────────────────────────────────────────────────────────────


def attachment_statuses(
    paths: DataPaths, entries: Sequence[Entry]
) -> dict[tuple[int, str], str | None]:
    """For each attached file: None if it is exactly as it was added, else a short reason."""
    from safetykit.storage.attachments import verify

    return {
        (entry.id, a.id): verify(paths, a.blob, a.key, a.sha256, a.size)
        for entry in entries
        for a in entry.attachments
    }


def build(
    entries: Sequence[Entry],
    choice: Choice,
    statuses: dict[tuple[int, str], str | None],
    *,
    made: datetime.datetime,
    archive: bool = False,
) -> LogDocument:
    return build_log_document(
        load_log(), entries, made=made, start=choice.start, end=choice.end, kinds=choice.kinds,
        include_private=choice.include_private, statuses=statuses, archive=archive,
    )


def render(doc: LogDocument, fmt: str, password: str | None = None) -> bytes:
    """The document as a PDF, HTML or Markdown file's bytes."""
    if fmt == "pdf":
        from safetykit.render.log_pdf import render_log_pdf

        return render_log_pdf(doc, password)
    if fmt == "html":
        from safetykit.render.log_html import render_log_html

        return render_log_html(doc).encode("utf-8")
    if fmt == "md":
        from safetykit.render.log_markdown import render_log_markdown

        return render_log_markdown(doc).encode("utf-8")
    raise UsageError(
        _("'{format}' is not a format. Use one of: {formats}.").format(
            format=fmt, formats=", ".join(FORMATS)
        )
    )


def _english_log() -> LogContent:
    """The log's words in English, whatever the language in use (the CSV's header row)."""
    import contextvars

    from safetykit import i18n

    def english() -> LogContent:
        i18n._current.set(i18n.DEFAULT)  # only inside this copy of the context
        return load_log()

    return contextvars.copy_context().run(english)


def csv_bytes(entries: Sequence[Entry], include_private: bool) -> bytes:
    """The CSV: its header row stays English in every language, for the scripts that read it;
    the cells are in the language in use."""
    from safetykit.render.log_csv import render_log_csv

    header, rows = csv_table(load_log(), entries, include_private=include_private,
                             header_content=_english_log())
    return render_log_csv(header, rows)


class _ChangedWhileCopied(Exception):
    def __init__(self, key: tuple[int, str], reason: str) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason


def _copier(paths: DataPaths, entry_id: int, a: Attachment) -> Callable[[BinaryIO], None]:
    """Writes one attached file's original bytes; if they turn out not to match its SHA-256
    (it changed since it was checked), the export is made again without it."""
    from safetykit.storage.attachments import DamagedAttachmentError, copy_out

    def copy(out: BinaryIO) -> None:
        try:
            copy_out(paths, a.blob, a.key, a.sha256, out)
        except DamagedAttachmentError as exc:
            raise _ChangedWhileCopied((entry_id, a.id), exc.reason) from None

    return copy


def _zip_writer(
    paths: DataPaths, doc: LogDocument, entries: Sequence[Entry], pdf: bytes, csv: bytes
) -> Callable[[BinaryIO], None]:
    from safetykit.render.log_zip import Member, bytes_member, write_log_zip

    members = [bytes_member(PDF_NAME, pdf), bytes_member(CSV_NAME, csv)]
    intact = {(a.entry, a.position) for a in doc.manifest if a.intact}
    for entry in entries:
        for position, a in enumerate(entry.attachments, start=1):
            if (entry.id, position) not in intact:
                continue

            members.append(Member(archive_name(entry.id, position, a.name),
                                  _copier(paths, entry.id, a),
                                  compress=False, size_hint=a.size))

    def write(out: BinaryIO) -> None:
        write_log_zip(out, members, doc.made)

    return write


def write_export(
    vault: Vault, dest: Destination, choice: Choice, password: str | None = None
) -> Written:
    """Check the attached files, make the export and write it where ``dest`` says; then record
    it in the log. The one operation of ``log export`` and the walk-through's export."""
    entries = vault.read(LogState).select(choice.start, choice.end, choice.kinds)
    statuses = attachment_statuses(vault.paths, entries)
    made = now()
    archive = choice.fmt == "zip"
    for _attempt in range(len(statuses) + 1):
        doc = build(entries, choice, statuses, made=made, archive=archive)
        try:
            if choice.fmt == "zip":
                pdf = render(doc, "pdf")
                data = csv_bytes(entries, choice.include_private)
                write_stream_to(dest, _zip_writer(vault.paths, doc, entries, pdf, data))
            elif choice.fmt == "csv":
                write_to(dest, csv_bytes(entries, choice.include_private))
            else:
                write_to(dest, render(doc, choice.fmt, password))
        except _ChangedWhileCopied as exc:
            statuses[exc.key] = exc.reason  # changed since it was checked: left out, said so
            continue
        break
    else:  # pragma: no cover - each try leaves one more file out, the last has none to copy
        raise StorageError(_("The attached files kept changing while they were copied."),
                           hint=_("Nothing was written. Try again."))
    record_export(vault, choice, len(entries), at=made)
    return Written.of(doc)


def record_export(
    vault: Vault, choice: Choice, entries: int, *, at: datetime.datetime | None = None
) -> None:
    """Add the export to the log's history (``log show --exports``)."""
    record = ExportRecord(
        at=(at or now()).isoformat(),
        format=choice.fmt,
        start=choice.start.isoformat() if choice.start else None,
        end=choice.end.isoformat() if choice.end else None,
        kinds=list(choice.kinds),
        private=choice.include_private,
        entries=entries,
    )
    vault.update(LogState, lambda log: log.exports.append(record))


def _say_damaged(screen: Screen, written: Written, archive: bool) -> None:
    for entry_id, name, problem in written.damaged:
        if archive:
            message = _(
                "Entry {number}: the attached file {name} is not as it was added ({problem}). "
                "It was left out of the ZIP, and the export says so."
            )
        else:
            message = _(
                "Entry {number}: the attached file {name} is not as it was added ({problem}). "
                "The export says so."
            )
        # Said after the export is written: nothing is about to happen, so not "Before you do
        # this".
        screen.note(message.format(number=entry_id, name=name, problem=problem))


# ── the command ───────────────────────────────────────────────────────────────────────────────


def export_command(
    session: Session,
    *,
    fmt: str,
    output: Path | None,
    start: str | datetime.date | None,
    end: str | datetime.date | None,
    kinds: Sequence[str],
    include_private: bool,
    protect: bool,
    allow_shared: bool,
    force: bool,
) -> None:
    """``safetykit log export``: Markdown to the screen, or a file in any format.

    What was asked for and the destination are checked first, before anything is unlocked or
    a password asked; then the notices are said, the file written and the export recorded.
    """
    content = load_log()
    choice = check_choice(content, fmt, start=start, end=end, kinds=kinds,
                          include_private=include_private)
    if protect and fmt != "pdf":
        raise BadInputError(_("Only a PDF can be protected with a password."),
                            hint=_("Nothing was written. Choose --format pdf, or leave out "
                                   "--protect."))
    dest = None
    if output is not None or fmt != "md":
        path = output.expanduser() if output else default_path(fmt)
        dest = settle_destination(session, path, fmt, allow_shared=allow_shared, force=force)
        if dest is None:
            return
    vault = open_for_script(session)
    say_notices(session.warn, content)
    if dest is None:
        log = vault.read(LogState)
        entries = log.select(choice.start, choice.end, choice.kinds)
        statuses = attachment_statuses(vault.paths, entries)
        made = now()
        doc = build(entries, choice, statuses, made=made)
        session.screen.write(render(doc, "md").decode("utf-8"))
        record_export(vault, choice, len(entries), at=made)
        _say_damaged(session.warn, Written.of(doc), archive=False)
        return
    password = required_pdf_password(session, vault, "log.export.password") if protect else None
    written = write_export(vault, dest, choice, password)
    _say_damaged(session.warn, written, archive=fmt == "zip")
    session.screen.say(
        ngettext(
            "Written to {path}: {count} incident (readable only by you).",
            "Written to {path}: {count} incidents (readable only by you).",
            written.entries,
        ).format(path=dest.path, count=f"{written.entries:,}")
    )


# ── the walk-through ──────────────────────────────────────────────────────────────────────────


def _ask_day(
    session: Session, qid: str, message: str, after: datetime.date | None = None
) -> datetime.date | None:
    while True:
        typed = session.prompter.text(qid, message).strip()
        try:
            day = parse_day(typed, "That")
        except UsageError:
            session.screen.say(_("Please write the day as year-month-day, such as 2026-03-03, "
                                 "or press Enter to leave it open."))
            continue
        if day is not None and after is not None and day < after:
            session.screen.say(
                _("That day is before the first one. Please choose a later day.")
            )
            continue
        return day


def _ask_choice(session: Session, content: LogContent) -> Choice | None:
    ask = session.prompter
    fmt = ask.select(
        "log.export.format",
        _("Which kind of file?"),
        [
            Option("pdf", _("PDF, to print or to give to an advocate"), "p"),
            Option("zip", _("ZIP: the PDF, a spreadsheet and the attached files, with their "
                            "fingerprints"), "z"),
            Option("csv", _("A spreadsheet (CSV)"), "s"),
            Option("html", _("A web page, to print from a browser"), "w"),
            Option("md", _("Plain text (Markdown)"), "t"),
            Option("_back", _("Back"), "b"),
        ],
        "pdf",
    )
    if fmt == "_back":
        return None
    start = _ask_day(session, "log.export.from",
                     _("From which day? (like 2026-03-03; Enter for the first entry)"))
    end = _ask_day(session, "log.export.to",
                   _("To which day? (Enter for the last entry)"), after=start)
    kinds: list[str] = []
    if ask.confirm("log.export.some_kinds", _("Only some kinds of incident?"), default=False):
        kinds = ask.multiselect(
            "log.export.kinds", _("Which kinds? (none ticked: all of them)"),
            [Option(kind.id, kind.label) for kind in content.kinds],
        )
    include_private = ask.confirm(
        "log.export.private",
        _("Include the private fields (how it affected you, private notes)? Anyone who gets "
          "the file can read them."),
        default=False,
    )
    return Choice(fmt, start, end, tuple(kinds), include_private)


def export_interactively(session: Session, vault: Vault) -> None:
    """The walk-through's export: the notices, the format, which dates and kinds, whether the
    private fields go in (default No), where it goes, and a PDF password if wanted."""
    screen = session.screen
    content = load_log()
    say_notices(screen, content)
    choice = _ask_choice(session, content)
    if choice is None:
        return
    dest = ask_destination(session, default_path(choice.fmt, Path.home()), choice.fmt)
    if dest is None:
        screen.say(_("Nothing was written."))
        return
    password = None
    if choice.fmt == "pdf" and session.prompter.confirm(
        "log.export.protect",
        _("Protect the PDF with a password? (Anyone opening it will need it.)"),
        default=True,
    ):
        password = choose_pdf_password(session, screen, vault, "log.export.password")
    vault.refresh()
    while True:
        try:
            written = write_export(vault, dest, choice, password)
            break
        except SafetykitError as exc:
            from safetykit.storage.attachments import AttachmentError

            if isinstance(exc, AttachmentError):
                raise  # the data folder's problem, not the destination's
            screen.say(exc.message)
            screen.say(_("Let's choose another place."))
            chosen = ask_destination(session, dest.path, choice.fmt)
            if chosen is None:
                screen.say(_("Nothing was written."))
                return
            dest = chosen
    _say_damaged(screen, written, archive=choice.fmt == "zip")
    screen.say(
        ngettext(
            "The log is saved in {path} ({count} incident).",
            "The log is saved in {path} ({count} incidents).",
            written.entries,
        ).format(path=dest.path, count=f"{written.entries:,}")
    )
    screen.say(
        _(
            "Keep it somewhere your ex can't see it, and give it only to people you trust, "
            "such as an advocate or an attorney. Other logins on this computer cannot open it."
        )
    )
