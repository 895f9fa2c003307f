"""Writing a file for the person (a plan, later a log): where it goes, and never by surprise.

The rules every export follows, in a walk-through and from a script alike:
- the destination is checked as soon as it is known, before any password is asked: the folder
  exists and can be written, and nothing but an ordinary file is at that name;
- a file already there is replaced only when the person says yes (default No) or a script gives
  ``--force``; otherwise nothing is written (exit 8);
- a cloud-synced folder, or one others on this computer can write to, is pointed out before
  writing: a yes in a terminal, ``--allow-shared`` from a script;
- a name whose extension does not match the format gets a note;
- the file is created readable only by this user, complete before it gets its name; a write that
  fails in a walk-through leads back to choosing a place, not out of the program.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from safetykit.errors import BadInputError, SafetykitError
from safetykit.flows.session import Session
from safetykit.i18n import _
from safetykit.render.destinations import (
    FORMAT_NAMES,
    SHARED_FOLDER,
    Destination,
    DestinationError,
    check_destination,
    write_private,
    write_private_stream,
)
from safetykit.ui.screen import Screen


def place_warning(path: Path, place: str) -> str:
    if place == SHARED_FOLDER:
        return _(
            "{path} is in a folder that others on this computer can write to: they could "
            "remove it, or swap it for another file."
        ).format(path=path)
    return _(
        "{path} is inside {service}. Files there are copied to your other devices and to the "
        "website, which your ex may still be able to reach."
    ).format(path=path, service=place)


def _extension_note(screen: Screen, dest: Destination, fmt: str) -> None:
    if not dest.extension_matches:
        screen.say(
            _(
                "Note: the name {name} does not end in .{extension}; the file will be "
                "{format} all the same."
            ).format(name=dest.path.name, extension=fmt, format=_(FORMAT_NAMES[fmt]))
        )


def settle_destination(
    session: Session, path: Path, fmt: str, *, allow_shared: bool, force: bool
) -> Destination | None:
    """For a command: check ``path`` at once; in a terminal ask about a synced/shared folder and
    about replacing a file; from a script refuse (exit 8) unless the flag says yes. None when the
    person said no (nothing is written)."""
    dest = check_destination(path, fmt)
    _extension_note(session.warn, dest, fmt)
    if dest.place is not None and not allow_shared:
        warning = place_warning(dest.path, dest.place)
        if not session.can_ask:
            raise BadInputError(
                warning, hint=_("Choose another --output, or add --allow-shared.")
            )
        session.warn.caution(warning)
        if not session.prompter.confirm("export.shared", _("Save it there anyway?")):
            session.warn.say(_("Nothing was written. Choose another place with --output."))
            return None
    if dest.exists and not force:
        if not session.can_ask:
            raise BadInputError(
                _("{path} already exists, so nothing was written.").format(path=dest.path),
                hint=_("Choose another --output, or add --force to replace it."),
            )
        if not session.prompter.confirm(
            "export.replace",
            _("{path} already exists. Replace it?").format(path=dest.path),
            default=False,
        ):
            session.warn.say(_("Nothing was written. Choose another place with --output."))
            return None
    return dest


def ask_destination(session: Session, suggestion: Path, fmt: str) -> Destination | None:
    """In a walk-through: ask where the file goes until the place is usable and agreed; None if
    the person leaves the answer empty (back)."""
    screen = session.screen
    typed_default = str(suggestion)
    while True:
        typed = session.prompter.text(
            "export.path",
            _("Where should it go? (Enter to accept, empty to go back)"),
            typed_default,
        ).strip()
        if not typed:
            return None
        try:
            dest = check_destination(Path(typed).expanduser(), fmt)
        except DestinationError as exc:
            screen.say(exc.message)
            typed_default = typed
            continue
        _extension_note(screen, dest, fmt)
        if dest.place is not None:
            screen.caution(place_warning(dest.path, dest.place))
            if not session.prompter.confirm("export.shared", _("Save it there anyway?"), False):
                typed_default = typed
                continue
        if dest.exists and not session.prompter.confirm(
            "export.replace",
            _("{path} already exists. Replace it?").format(path=dest.path),
            default=False,
        ):
            typed_default = typed
            continue
        return dest


def write_to(dest: Destination, data: bytes) -> None:
    """Write ``data`` where ``dest`` says (replacing a file only if it was there and agreed)."""
    write_private(dest.path, data, replace=dest.exists)


def write_stream_to(dest: Destination, write: Callable[[BinaryIO], None]) -> None:
    """``write_to`` for a file written as it is made (a ZIP larger than memory): ``write`` is
    handed the file; the same guarantees hold (0600, complete before it is named)."""
    write_private_stream(dest.path, write, replace=dest.exists)


def write_or_choose_again(
    session: Session, dest: Destination, fmt: str, data: bytes
) -> Destination | None:
    """In a walk-through: write, and if that fails say why and ask for another place."""
    while True:
        try:
            write_to(dest, data)
            return dest
        except SafetykitError as exc:
            session.screen.say(exc.message)
            session.screen.say(_("Let's choose another place."))
            chosen = ask_destination(session, dest.path, fmt)
            if chosen is None:
                return None
            dest = chosen
