"""Getting to the saved data: the first-run welcome, choosing protection, and unlocking.

Interactive commands call ``open_or_create``; scriptable ones call ``open_existing``. Both return
an unlocked ``Vault`` or raise a ``SafetykitError`` with a calm message. A passphrase is read at a
hidden prompt, or as one line from standard input when no terminal is attached (for scripts);
never from an argument or an environment variable.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from safetykit.errors import KeyringUnavailableError, LockedError, NotATerminalError
from safetykit.storage import keys
from safetykit.storage.paths import DataPaths
from safetykit.storage.vault import Vault, create_vault, open_vault
from safetykit.ui.prompts import Option, Prompter
from safetykit.ui.screen import Screen

MIN_PASSPHRASE = 10


@dataclass
class Session:
    """What a command works with: where data lives, the screen, and (if interactive) a prompter."""

    paths: DataPaths
    screen: Screen
    prompter: Prompter | None = None
    stdin: TextIO = field(default_factory=lambda: sys.stdin)

    def ask_passphrase(self, new: bool) -> str:
        if self.prompter is None:
            return self._piped_passphrase()
        if not new:
            return self.prompter.secret("unlock.passphrase", "Your safetykit passphrase")
        return choose_passphrase(self.prompter, self.screen)

    def _piped_passphrase(self) -> str:
        try:
            interactive = self.stdin.isatty()
        except (AttributeError, ValueError):
            interactive = False
        if interactive:
            raise NotATerminalError("A passphrase is needed, but no question can be asked here.")
        line = self.stdin.readline()
        if not line:
            raise LockedError(
                "Your saved data is protected by a passphrase.",
                hint="Give it on standard input (one line), or run the command in a terminal.",
            )
        return line.rstrip("\r\n")


def choose_passphrase(
    prompter: Prompter, screen: Screen, *, qid: str = "setup.passphrase", what: str = "passphrase"
) -> str:
    """A new secret, typed twice at a hidden prompt."""
    screen.say(
        f"Choose a {what} that your ex could not guess: several random words work well. "
        "Avoid names, birthdays, pets and old passwords."
    )
    while True:
        first = prompter.secret(qid, f"New {what}")
        if len(first) < MIN_PASSPHRASE:
            screen.say(f"Please use at least {MIN_PASSPHRASE} characters.")
            continue
        second = prompter.secret(f"{qid}_again", f"The same {what} again")
        if first == second:
            return first
        screen.say("Those two did not match. Let's try once more.")


def open_existing(session: Session) -> Vault | None:
    """The vault if there is one (asking for the passphrase if needed), else None."""
    return open_vault(session.paths, session.ask_passphrase)


WELCOME = [
    "safetykit keeps your checklist progress, your plan answers and your account notes",
    "on this computer only, in one encrypted file:",
    "",
]


def _welcome(session: Session, keyring_ok: bool, keyring_reason: str | None) -> None:
    screen = session.screen
    lines = [
        *WELCOME,
        f"  {session.paths.vault}",
        "",
        "Nothing is sent anywhere unless you ask for an online check.",
        "Passwords you check are never stored.",
        "Press Ctrl-C at any time to leave at once: the screen is cleared and",
        "what you already answered is kept.",
    ]
    screen.box("Welcome", lines)
    if keyring_ok:
        screen.say(
            "The encryption key can live in this computer's keyring, so you don't type anything "
            "to open it. Anyone who can log in to this computer as you could open the keyring too. "
            "If your ex knows this computer's login, a passphrase is safer."
        )
    else:
        screen.say(
            f"{keyring_reason or 'There is no usable keyring here.'} "
            "You can protect your data with a passphrase instead. Nothing is ever stored "
            "unprotected."
        )


def open_or_create(session: Session) -> Vault | None:
    """Open the vault, or on first use welcome the person and set up protection.

    Returns None if the person chooses to store nothing.
    """
    vault = open_existing(session)
    if vault is not None:
        return vault
    prompter = session.prompter
    if prompter is None:
        info = keys.keyring_info()
        if not info.usable:
            raise KeyringUnavailableError(
                info.reason or "There is no usable keyring here.",
                hint="Run 'safetykit checklist' in a terminal once to choose a passphrase.",
            )
        return create_vault(session.paths, "keyring")
    info = keys.keyring_info()
    _welcome(session, info.usable, info.reason)
    options = []
    if info.usable:
        options.append(Option("keyring", "Keep the key in this computer's keyring", "k"))
    options.append(Option("passphrase", "Use a passphrase I type each time", "p"))
    options.append(Option("none", "Leave now and store nothing", "n"))
    choice = prompter.select("setup.protection", "How should your data be protected?", options)
    if choice == "none":
        return None
    if choice == "keyring":
        vault = create_vault(session.paths, "keyring")
    else:
        passphrase = choose_passphrase(prompter, session.screen)
        vault = create_vault(session.paths, "passphrase", passphrase)
    session.screen.say("Your data is protected. Let's begin.")
    return vault
