"""``status``, ``wipe`` and ``restore``: what is stored, removing it, and going back one step."""

from __future__ import annotations

import datetime
from typing import Any

from safetykit import __version__
from safetykit.core.status import summarise
from safetykit.errors import KeyringUnavailableError, LockedError
from safetykit.flows.access import unlock
from safetykit.flows.session import Session
from safetykit.storage.vault import (
    FileStamp,
    Sealed,
    Vault,
    WrongPassphraseError,
    read_sealed,
    restore_backup,
    unlock_with_passphrase,
)
from safetykit.storage.vault import wipe as wipe_vault

PROTECTION_WORDS = {
    "keyring": "encrypted, with the key in this computer's keyring",
    "passphrase": "encrypted with your passphrase",
    None: "nothing is stored yet",
}
SUMMARIES = ("checklist", "plan", "passwords")


def _local_time(value: datetime.datetime) -> str:
    return value.astimezone().isoformat(timespec="minutes")


def _created(found: Sealed) -> str | None:
    if found.header.created is None:
        return None
    try:
        when = datetime.datetime.fromisoformat(found.header.created.replace("Z", "+00:00"))
    except ValueError:
        return None
    return _local_time(when)


def _changed(found: Sealed) -> str | None:
    stamp = FileStamp.of(found.paths.vault)
    if stamp is None:
        return None
    return _local_time(datetime.datetime.fromtimestamp(stamp.mtime_ns / 1e9, datetime.UTC))


def _unlock_for_status(session: Session, found: Sealed) -> tuple[Vault | None, str | None]:
    """The unlocked vault for the summaries, or None and why not. Skipping is allowed."""
    if found.protection == "keyring":
        try:
            return unlock(session, found), None
        except (LockedError, KeyringUnavailableError) as exc:
            return None, exc.message
    if session.can_ask:
        session.warn.say(
            "Type your passphrase to see the summaries, or just press Enter to skip them."
        )
        try:
            vault = unlock(session, found, skippable=True)
        except LockedError as exc:
            return None, exc.message
        return vault, None
    line = session.piped_line()
    if not line:
        return None, "Give the passphrase as one line on standard input to see the summaries."
    try:
        return unlock_with_passphrase(found, line), None
    except WrongPassphraseError:
        raise LockedError(
            "That passphrase did not open your data.",
            hint="Passphrases are case-sensitive. Nothing has been changed.",
        ) from None


def base_report(session: Session, found: Sealed | None) -> dict[str, Any]:
    """What ``status`` can say without unlocking anything."""
    return {
        "version": __version__,
        "data_dir": str(session.paths.root),
        "protection": found.protection if found else None,
        "stored": found is not None,
        "unlocked": False,
        "created": _created(found) if found else None,
        "changed": _changed(found) if found else None,
        **summarise(None),
    }


def status_command(session: Session, *, as_json: bool) -> None:
    """Where the data is and how it is protected (never needs unlocking), then the summaries."""
    found = read_sealed(session.paths)
    report = base_report(session, found)
    if not as_json:
        _say_where(session, report)
    why_not = None
    if found is not None:
        vault, why_not = _unlock_for_status(session, found)
        if vault is not None:
            report.update(summarise(vault.state), unlocked=True)
    if as_json:
        session.screen.print_json(report)
        return
    screen = session.screen
    if report["stored"] and not report["unlocked"]:
        screen.say("Summaries: locked. They are shown once your data is unlocked.")
        if why_not:
            screen.muted(why_not)
        return
    for name in SUMMARIES:
        screen.say(f"{name.capitalize()}: {_summary_line(report[name])}")


def _say_where(session: Session, report: dict[str, Any]) -> None:
    screen = session.screen
    screen.title("What safetykit has stored")
    screen.say(f"Data folder: {report['data_dir']}")
    screen.say(f"Protection: {PROTECTION_WORDS[report['protection']]}")
    if report["stored"]:
        screen.say(f"Set up: {_readable(report['created']) or 'not recorded (before version 0.2)'}")
        screen.say(f"Last changed: {_readable(report['changed']) or 'unknown'}")


def _readable(stamp: str | None) -> str | None:
    if stamp is None:
        return None
    when = datetime.datetime.fromisoformat(stamp)
    return when.strftime("%Y-%m-%d %H:%M")


def _summary_line(summary: dict[str, Any] | None) -> str:
    if summary is None:
        return "nothing yet"
    return str(summary.get("line", ""))


def wipe_command(session: Session, *, yes: bool) -> None:
    """Remove everything safetykit stored here: the data, its copies and its keyring entries."""
    paths = session.paths
    if not yes:
        session.warn.say(
            f"This removes everything safetykit stored in {paths.root}, its earlier copy, and "
            "its keys in the keyring. It cannot be undone. Files you exported are not touched."
        )
        typed = session.prompter.text("wipe.confirm", "To go ahead, type: remove")
        if typed.strip().lower() != "remove":
            session.warn.say("Nothing was removed.")
            return
    result = wipe_vault(paths)
    if result.left_behind:
        session.screen.say("Your data files were removed, but these keyring entries could not be:")
        session.screen.bullets(result.left_behind)
        raise KeyringUnavailableError(
            "Your data files were removed, but some keyring entries could not be.",
            hint="Unlock the keyring and run 'safetykit wipe' again to finish.",
        )
    if result.removed:
        session.screen.say("Everything safetykit stored here has been removed.")
    else:
        session.screen.say("There was nothing stored here to remove.")


def restore_command(session: Session) -> None:
    """Put back the copy saved before the last change (after damage or a mistake)."""
    restore_backup(session.paths, lambda found: unlock(session, found))
    session.screen.say(
        "The earlier copy is back in place. The file it replaced was kept beside it "
        "with '.damaged' at the end of its name."
    )
