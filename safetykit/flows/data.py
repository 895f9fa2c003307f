"""``status``, ``wipe`` and ``restore``: what is stored, removing it, and going back one step."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from safetykit import __version__
from safetykit.content.regions import load_places
from safetykit.core.status import summarise
from safetykit.errors import KeyringUnavailableError, LockedError, SafetykitError, StorageError
from safetykit.flows.access import data_folder_warning, unlock
from safetykit.flows.session import Session
from safetykit.i18n import N_, _
from safetykit.storage.copies import swap_with_previous
from safetykit.storage.paths import DataPaths
from safetykit.storage.removal import wipe
from safetykit.storage.vault import (
    FileStamp,
    Sealed,
    Vault,
    WrongPassphraseError,
    read_sealed,
    unlock_with_key,
    unlock_with_passphrase,
)

PROTECTION_WORDS = {
    "keyring": N_("encrypted, with the key in this computer's keyring"),
    "passphrase": N_("encrypted with your passphrase"),
    None: N_("nothing is stored yet"),
}
SUMMARIES = ("checklist", "plan", "passwords", "log")
# Each part's name, as a heading ("Checklist: 3 of 40 done") and inside a sentence.
SUMMARY_HEADINGS = {
    "checklist": N_("Checklist"),
    "plan": N_("Plan"),
    "passwords": N_("Passwords"),
    "log": N_("Log"),
}
SUMMARY_NAMES = {
    "checklist": N_("checklist"),
    "plan": N_("plan"),
    "passwords": N_("passwords"),
    "log": N_("log"),
}
WIPE_WORD = "remove"  # the English word always works; the translated one too


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
            _("Type your passphrase to see the summaries, or just press Enter to skip them.")
        )
        try:
            vault = unlock(session, found, skippable=True)
        except LockedError as exc:
            return None, exc.message
        return vault, None
    line = session.piped_line()
    if not line:
        return None, _(
            "Give the passphrase as one line on standard input to see the summaries."
        )
    try:
        return unlock_with_passphrase(found, line), None
    except WrongPassphraseError:
        raise LockedError(
            _("That passphrase did not open your data."),
            hint=_("Passphrases are case-sensitive. Nothing has been changed."),
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
        "region": {
            "code": session.region,
            "name": load_places().get(session.region).name,
            "chosen": session.region_origin,
        },
        "location_warning": data_folder_warning(session),
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
        screen.say(_("Summaries: locked. They are shown once your data is unlocked."))
        if why_not:
            screen.muted(why_not)
        return
    for name in SUMMARIES:
        screen.say(
            _("{part}: {summary}").format(
                part=_(SUMMARY_HEADINGS[name]), summary=_summary_line(report[name])
            )
        )


def _say_where(session: Session, report: dict[str, Any]) -> None:
    screen = session.screen
    screen.title(_("What safetykit has stored"))
    screen.say(_("Data folder: {folder}").format(folder=report["data_dir"]))
    screen.say(
        _("Protection: {protection}").format(protection=_(PROTECTION_WORDS[report["protection"]]))
    )
    region = report["region"]
    if region["chosen"] == "none":
        screen.say(
            _("Where you are: {place} (not chosen yet: help that works anywhere)").format(
                place=region["name"]
            )
        )
    else:
        screen.say(
            _("Where you are: {place} ({code})").format(place=region["name"], code=region["code"])
        )
    if report["location_warning"]:
        screen.note(report["location_warning"])
    if report["stored"]:
        screen.say(
            _("Set up: {when}").format(
                when=_readable(report["created"]) or _("not recorded (before version 0.2)")
            )
        )
        screen.say(
            _("Last changed: {when}").format(when=_readable(report["changed"]) or _("unknown"))
        )


def _readable(stamp: str | None) -> str | None:
    if stamp is None:
        return None
    when = datetime.datetime.fromisoformat(stamp)
    return when.strftime("%Y-%m-%d %H:%M")


def _summary_line(summary: dict[str, Any] | None) -> str:
    if summary is None:
        return _("nothing yet")
    return str(summary.get("line", ""))


def wipe_command(session: Session, *, yes: bool) -> None:
    """Remove everything safetykit stored here: the keyring entries, then the data and its copies.

    What the keyring would not let go of is remembered, and the next ``wipe`` finishes it (even
    with no data file left to name it).
    """
    paths = session.paths
    if not yes:
        session.warn.say(
            _(
                "This removes everything safetykit stored in {folder}, its earlier copies, and "
                "its keys in the keyring. It cannot be undone. Files you exported are not "
                "touched."
            ).format(folder=paths.root)
        )
        # TRANSLATORS: the word the person types to confirm; they may type this or "remove".
        word = _("remove")
        typed = session.prompter.text(
            "wipe.confirm", _("To go ahead, type: {word}").format(word=word)
        )
        if typed.strip().lower() not in {WIPE_WORD, word.strip().lower()}:
            session.warn.say(_("Nothing was removed."))
            return
    result = wipe(paths)
    if result.left_behind:
        session.screen.say(
            _("Your data files were removed. These keyring entries are still there:")
        )
        session.screen.bullets(result.left_behind)
        error = LockedError if result.locked else KeyringUnavailableError
        raise error(
            _("Some keyring entries could not be removed yet; safetykit remembers them."),
            hint=_(
                "Unlock your keyring (or make sure it is running) and run 'safetykit wipe' "
                "again: it finishes the job."
            ),
        )
    if result.removed:
        session.screen.say(_("Everything safetykit stored here has been removed."))
    else:
        session.screen.say(_("There was nothing stored here to remove."))


# ── restore ───────────────────────────────────────────────────────────────────────────────────


def _saved_at(path: Path) -> str:
    stamp = FileStamp.of(path)
    if stamp is None:
        return _("unknown")
    when = datetime.datetime.fromtimestamp(stamp.mtime_ns / 1e9).astimezone()
    return when.strftime("%Y-%m-%d %H:%M:%S")


def _contents(state: dict[str, Any] | None) -> str:
    if state is None:
        return _("cannot be read (damaged or changed)")
    parts = summarise(state)
    lines = []
    for name in SUMMARIES:
        summary = parts[name]
        # TRANSLATORS: one part's summary in a list: "checklist 3 of 40 done".
        lines.append(
            _("{part} {summary}").format(
                part=_(SUMMARY_NAMES[name]), summary=_summary_line(summary)
            )
        )
    return "; ".join(lines)


def _current_state(paths: DataPaths, key: bytes) -> dict[str, Any] | None:
    """The vault's state opened with the earlier copy's key; None if it cannot be read."""
    try:
        found = read_sealed(paths)
        return unlock_with_key(found, key).state if found is not None else None
    except SafetykitError:
        return None


def restore_command(session: Session, *, yes: bool) -> None:
    """Put back the copy saved before the last change, after showing both and asking.

    It swaps: the current file becomes the earlier copy, so running restore again undoes it; the
    current file is also kept under a ``replaced-`` name.
    """
    paths = session.paths
    previous = read_sealed(paths, "backup")
    if previous is None:
        raise StorageError(_("There is no earlier copy to restore."))
    earlier = unlock(session, previous)
    current = _current_state(paths, earlier.key)
    screen = session.screen
    screen.title(_("Restore the earlier copy"))
    screen.say(
        _("Now (saved {when}): {contents}.").format(
            when=_saved_at(paths.vault), contents=_contents(current)
        )
    )
    screen.say(
        _("Earlier copy (saved {when}): {contents}.").format(
            when=_saved_at(paths.backup), contents=_contents(earlier.state)
        )
    )
    if not yes and not session.prompter.confirm(
        "restore.confirm",
        _("Put the earlier copy back? (Running restore again undoes it.)"),
        default=False,
    ):
        screen.say(_("Nothing was changed."))
        return
    kept = swap_with_previous(paths, previous.blob)
    screen.say(
        _(
            "The earlier copy is back in place. What it replaced is now the earlier copy, so "
            "'safetykit restore' again undoes this."
        )
    )
    if kept is not None:
        screen.say(_("It is also kept as {path}.").format(path=kept))
