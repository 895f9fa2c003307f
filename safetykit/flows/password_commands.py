"""``passwords check`` and ``passwords report``: the scriptable side of the passwords part.

``audit_export`` is the one operation for checking an export file, used by ``check`` and by the
walk-through's import, so the same file gives the same findings in both.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from safetykit.flows.access import open_existing
from safetykit.flows.session import Session
from safetykit.passwords.check import AuditRow, PwnedLookup, audit_entries
from safetykit.passwords.importers import read_export
from safetykit.passwords.records import PasswordsState, report_rows

EXPORT_WARNING = (
    "That export file holds every password in plain text: anyone who opens this computer "
    "could read them all."
)


@dataclass(frozen=True)
class ExportAudit:
    layout_label: str
    rows: list[AuditRow]


def audit_export(
    path: Path, known_words: Sequence[str], pwned: PwnedLookup | None = None
) -> ExportAudit:
    """Read a password-manager or browser export and audit every login in memory."""
    result = read_export(path)
    return ExportAudit(result.layout_label, audit_entries(result.entries, known_words, pwned))


def pwned_api_url() -> str:
    from safetykit.passwords.pwned_api import DEFAULT_BASE_URL

    return os.environ.get("SAFETYKIT_PWNED_API_URL") or DEFAULT_BASE_URL


def check_command(
    session: Session, *, csv: Path, pwned_file: Path | None, online: bool, as_json: bool
) -> None:
    """Audit an export file: weak, reused, breached, or built from words your ex knows."""
    vault = open_existing(session)
    known = vault.read(PasswordsState).all_known_words() if vault else []
    if pwned_file is not None:
        from safetykit.passwords.pwned_file import PwnedFile

        with PwnedFile(pwned_file) as pwned:
            audit = audit_export(csv, known, pwned.count)
    elif online:
        from safetykit.passwords.pwned_api import PwnedApiClient

        client = PwnedApiClient(pwned_api_url())
        session.warn.say("Checking passwords online; only short fingerprints are sent.")
        audit = audit_export(csv, known, client.count)
    else:
        audit = audit_export(csv, known)
    if as_json:
        session.screen.print_json([row.to_json() for row in audit.rows])
    else:
        _print_rows(session, audit)
    _offer_to_delete(session, csv)


def _print_rows(session: Session, audit: ExportAudit) -> None:
    screen = session.screen
    rows = audit.rows
    flagged = [r for r in rows if r.weak or r.reused or r.breached or r.known_words]
    screen.title(
        f"{len(rows)} logins from a {audit.layout_label} export; {len(flagged)} need attention"
    )
    for row in rows:
        problems = []
        if row.score is None:
            problems.append("no password saved")
        if row.weak:
            problems.append(f"weak ({row.score} of 4)")
        if row.reused:
            problems.append(f"used for {row.reused} other login(s)")
        if row.breached:
            problems.append(f"seen {row.breached:,} times in breaches")
        if row.known_words:
            problems.append("contains words your ex knows: " + ", ".join(row.known_words))
        name = row.title or row.url or "(no name)"
        who = f" ({row.username})" if row.username else ""
        screen.say(f"- {name}{who}: {'; '.join(problems) if problems else 'looks fine'}")


def _offer_to_delete(session: Session, path: Path) -> None:
    if not session.can_ask:
        session.warn.say(f"{EXPORT_WARNING} When you are done, delete {path} (and empty the bin).")
        return
    session.warn.say(EXPORT_WARNING)
    if session.prompter.confirm("passwords.check.delete", f"Delete {path} now?", default=True):
        try:
            path.unlink()
        except OSError as exc:
            session.warn.say(f"It could not be deleted ({exc.strerror}). Please delete it.")
            return
        session.warn.say("Deleted. If it was ever in a bin or a synced folder, empty those too.")


def report_command(session: Session, *, as_json: bool) -> None:
    """The accounts added, their risk, the order to change them in, and what is done."""
    vault = open_existing(session)
    state = vault.read(PasswordsState) if vault else PasswordsState()
    rows = report_rows(state)
    if as_json:
        session.screen.print_json(rows)
        return
    screen = session.screen
    if not rows:
        screen.say("No accounts yet. 'safetykit passwords' helps you add them.")
        return
    screen.title("Accounts, in the order to change them")
    for row in rows:
        state_word = f"changed {row['rotated']}" if row["rotated"] else f"{row['risk']} risk"
        screen.say(f"{row['position']}. {row['label']} ({state_word}): {row['reason']}")
