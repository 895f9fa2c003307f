"""``safetykit log add/list/show/attach/remove``: the incident log for advocates' scripts.

An entry's text is read from standard input as one JSON object, never from an option or an
argument, so nothing a person wrote lands in shell history or a process list. Every change goes
through the operations here, which the walk-through uses too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from safetykit.content.log import LogContent, load_log
from safetykit.core.log import (
    Attachment,
    Entry,
    LogEntryError,
    LogState,
    clean_fields,
    now,
    summary_of,
)
from safetykit.errors import BadInputError, NotATerminalError, UsageError
from safetykit.flows.access import open_existing, open_for_script
from safetykit.flows.session import Session
from safetykit.i18n import _, ngettext
from safetykit.storage.vault import Vault

MAX_JSON = 1024 * 1024


def size_phrase(size: int) -> str:
    """"1 byte", "2,048 bytes", in the language in use."""
    # TRANSLATORS: a file's size, as "2,048 bytes".
    return ngettext("{count} byte", "{count} bytes", size).format(count=f"{size:,}")


# ── the operations (one save each, merged with what another window saved) ────────────────────


def add_entry(vault: Vault, fields: dict[str, Any]) -> Entry:
    added: list[Entry] = []

    def change(log: LogState) -> None:
        added.append(log.add(fields, now().isoformat()))

    vault.update(LogState, change)
    return added[0]


def fill_in(vault: Vault, entry_id: int, fields: dict[str, Any]) -> None:
    """While an entry is first being written (the walk-through's "more details"), its first
    version is completed rather than changed: it is still the first writing."""

    def change(log: LogState) -> None:
        entry = log.find(entry_id)
        if len(entry.versions) == 1:
            entry.versions[0].fields = fields
        else:  # pragma: no cover - changed from another window meanwhile: keep both
            log.change(entry_id, fields, now().isoformat())

    vault.update(LogState, change)


def change_entry(vault: Vault, entry_id: int, fields: dict[str, Any]) -> Entry:
    """A new version of an entry; the earlier ones stay, with their times."""
    changed: list[Entry] = []
    vault.update(LogState,
                 lambda log: changed.append(log.change(entry_id, fields, now().isoformat())))
    return changed[0]


def remove_entry(vault: Vault, entry_id: int) -> Entry:
    """Forget an entry and its attached files (the files go after the entry is saved gone)."""
    from safetykit.storage import attachments

    removed: list[Entry] = []
    vault.update(LogState, lambda log: removed.append(log.remove(entry_id)))
    for attachment in removed[0].attachments:
        attachments.remove(vault.paths, attachment.blob)
    return removed[0]


def attach_file(vault: Vault, entry_id: int, source: Path, note: str) -> Attachment:
    """Copy a file in unchanged (encrypted, under a neutral name) and record it with the entry."""
    import mimetypes
    import secrets

    from safetykit.core.text import one_line
    from safetykit.storage import attachments

    vault.read(LogState).find(entry_id)  # a wrong number is said before anything is copied
    stored = attachments.store(vault.paths, source)
    record = Attachment(
        id=secrets.token_hex(6),
        name=one_line(source.name)[:255] or "file",
        size=stored.size,
        sha256=stored.sha256,
        type=mimetypes.guess_type(source.name)[0] or "application/octet-stream",
        added_at=now().isoformat(),
        note=one_line(note)[:500],
        blob=stored.blob,
        key=stored.key,
    )
    try:
        vault.update(LogState, lambda log: log.attach(entry_id, record))
    except BaseException:
        attachments.remove(vault.paths, stored.blob)  # not referenced: never left behind
        raise
    return record


def referenced_files(vault: Vault) -> set[str]:
    """Every attached file the log refers to in the vault or in any earlier copy of it (so a
    restore, and undoing it, find their files)."""
    import contextlib

    from safetykit.errors import SafetykitError
    from safetykit.storage import sealed
    from safetykit.storage.copies import all_copies
    from safetykit.storage.vault import Sealed, read_vault_file, unlock_with_key

    names = set(vault.read(LogState).blobs())
    for path in all_copies(vault.paths)[1:]:
        with contextlib.suppress(SafetykitError, sealed.SealedFormatError, OSError):
            blob = read_vault_file(vault.paths, path)
            if blob is None:
                continue
            copy = unlock_with_key(Sealed(vault.paths, blob, sealed.read_header(blob)), vault.key)
            raw = copy.state.get("log")
            names |= LogState.from_state(raw if isinstance(raw, dict) else {}).blobs()
    return names


def tidy_files(vault: Vault) -> int:
    """Remove attached files nothing refers to any more (left by a crash between copying a
    file in and saving the entry, an hour or more ago)."""
    from safetykit.storage import attachments

    return attachments.sweep(vault.paths, referenced_files(vault))


def mark_notice_seen(vault: Vault) -> None:
    def change(log: LogState) -> None:
        log.notice_seen = True

    vault.update(LogState, change)


# ── the commands ─────────────────────────────────────────────────────────────────────────────


def _entry_id(text: str) -> int:
    try:
        number = int(text.strip().lstrip("#"))
    except ValueError:
        raise UsageError(
            _("{text} is not an entry number.").format(text=repr(text[:20])),
            hint=_("'safetykit log list' shows the entries and their numbers."),
        ) from None
    return number


def read_entry_json(session: Session, content: LogContent) -> dict[str, Any]:
    """One JSON object from standard input (after the passphrase line, if one was needed)."""
    if session.stdin is None:
        raise UsageError(_("The entry is read from standard input, and there is none."))
    if session.terminal is not None and session.terminal.stdin_is_tty:
        session.warn.say(
            _("Type or paste the entry as JSON, then press Ctrl-D on a line of its own.")
        )
    try:
        text = session.stdin.read(MAX_JSON + 1)
    except (OSError, ValueError):
        text = ""
    if len(text) > MAX_JSON:
        raise LogEntryError(_("The entry is larger than 1 MB, so it was not saved."))
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LogEntryError(
            _("The entry is not valid JSON (line {line}, column {column}).").format(
                line=exc.lineno, column=exc.colno
            ),
            hint=_(
                "Nothing was saved. Give one JSON object with the keys 'log list --json' shows."
            ),
        ) from None
    return clean_fields(raw, [k.id for k in content.kinds])


def add_command(session: Session, *, as_json: bool) -> None:
    content = load_log()
    if not as_json:
        if not session.can_ask:
            raise NotATerminalError(
                _("Adding an entry asks questions, and there is no terminal."),
                hint=_("Give the entry as one JSON object on standard input with --json."),
            )
        from safetykit.flows.log import LogFlow

        vault = open_for_script(session)
        LogFlow(session, vault, content).add()
        return
    vault = open_for_script(session)
    fields = read_entry_json(session, content)
    entry = add_entry(vault, fields)
    session.screen.print_json(entry.listing())


def list_command(session: Session, *, as_json: bool) -> None:
    content = load_log()
    vault = open_existing(session)
    log = vault.read(LogState) if vault else LogState()
    rows = [entry.listing() for entry in log.in_order()]
    if as_json:
        session.screen.print_json(rows)
        return
    if not rows:
        session.screen.say(_("The log has no entries yet. 'safetykit log' adds the first one."))
        return
    session.screen.bullets([line_for(content, entry) for entry in log.in_order()])


def line_for(content: LogContent, entry: Entry) -> str:
    """ "No. 3 · 2026-03-03 21:15 · Phone call or voicemail · Called 12 times (2 files)" """
    f = entry.fields
    when = f["occurred_at"].replace("T", " ")[:16]
    if f["approximate"]:
        when = _("about {when}").format(when=when)
    extras = []
    if entry.attachments:
        files = len(entry.attachments)
        extras.append(ngettext("{count} file", "{count} files", files).format(count=files))
    if entry.edited_at:
        extras.append(_("changed"))
    tail = f" ({', '.join(extras)})" if extras else ""
    summary = summary_of(f)
    if len(summary) > 50:
        summary = summary[:49].rstrip() + "…"
    line = _("No. {number} · {when} · {kind} · {summary}").format(
        number=entry.id, when=when, kind=content.label(f["kind"]), summary=summary
    )
    return line + tail


def show_command(session: Session, *, entry_id: str | None, as_json: bool, exports: bool) -> None:
    from safetykit.flows.log import describe_entry

    content = load_log()
    vault = open_existing(session)
    log = vault.read(LogState) if vault else LogState()
    if exports:
        rows = [x.to_json() for x in log.exports]
        if as_json:
            session.screen.print_json(rows)
        elif not rows:
            session.screen.say(_("Nothing has been exported from the log yet."))
        else:
            session.screen.bullets([_export_line(x) for x in rows])
        return
    if entry_id is None:
        raise UsageError(_("Say which entry to show, or add --exports."),
                         hint=_("'safetykit log list' shows the entries and their numbers."))
    entry = log.find(_entry_id(entry_id))
    if as_json:
        session.screen.print_json(entry.full())
    else:
        describe_entry(session.screen, content, entry)


def _export_line(x: dict[str, Any]) -> str:
    """One earlier export: "2026-03-03T21:15: pdf, 3 entries, from 2026-01-01 to 2026-02-01"."""
    line = _("{when}: {format}, {entries}").format(
        when=x["at"],
        format=x["format"],
        entries=ngettext("{count} entry", "{count} entries", x["entries"]).format(
            count=x["entries"]
        ),
    )
    if x["from"] and x["to"]:
        line += ", " + _("from {start} to {end}").format(start=x["from"], end=x["to"])
    elif x["from"]:
        line += ", " + _("from {start}").format(start=x["from"])
    elif x["to"]:
        line += " " + _("to {end}").format(end=x["to"])
    if x["private"]:
        line += " " + _("(with private fields)")
    return line


def attach_command(session: Session, *, entry_id: str, path: Path, note: str) -> None:
    number = _entry_id(entry_id)
    source = path.expanduser()
    if not source.is_file():
        raise BadInputError(_("There is no file at {path}.").format(path=source),
                            hint=_("Check the path; folders cannot be attached."))
    vault = open_for_script(session)
    record = attach_file(vault, number, source, note)
    session.screen.say(
        _("Attached {name} ({size}) to entry {number}. SHA-256 {fingerprint}.").format(
            name=record.name, size=size_phrase(record.size), number=number,
            fingerprint=record.sha256,
        )
    )
    session.warn.say(load_log().screenshots)


def remove_command(session: Session, *, entry_id: str, yes: bool) -> None:
    number = _entry_id(entry_id)
    vault = open_for_script(session)
    entry = vault.read(LogState).find(number)
    if not yes:
        if not session.can_ask:
            raise NotATerminalError(
                _("Removing entry {number} needs a yes.").format(number=number),
                hint=_("Add --yes to remove it."),
            )
        files = len(entry.attachments)
        summary = summary_of(entry.fields)
        if files:
            question = ngettext(
                "Remove entry {number} ({summary}) and its {count} attached file? This cannot "
                "be undone.",
                "Remove entry {number} ({summary}) and its {count} attached files? This cannot "
                "be undone.",
                files,
            ).format(number=number, summary=summary, count=files)
        else:
            question = _("Remove entry {number} ({summary})? This cannot be undone.").format(
                number=number, summary=summary
            )
        if not session.prompter.confirm("log.remove", question, default=False):
            session.warn.say(_("Nothing was removed."))
            return
    remove_entry(vault, number)
    session.screen.say(_("Removed entry {number}.").format(number=number))
