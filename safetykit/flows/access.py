"""Getting to the saved data: the first-run welcome, choosing protection, and unlocking.

Walk-throughs call ``open_or_create``; scriptable commands call ``open_existing``. Both return an
unlocked ``Vault`` (or None) or raise a ``SafetykitError`` with a calm message. A passphrase is
read through ``Session.secret``: a hidden prompt in a terminal, one line of standard input for a
script; never an argument or an environment variable.
"""

from __future__ import annotations

from typing import overload

from safetykit.errors import KeyringUnavailableError, LockedError
from safetykit.flows.session import Session
from safetykit.storage import keys
from safetykit.storage.vault import (
    Sealed,
    Vault,
    VaultExistsError,
    WrongPassphraseError,
    create_vault,
    read_sealed,
    unlock_with_keyring,
    unlock_with_passphrase,
)
from safetykit.ui.prompts import Option
from safetykit.ui.screen import Screen

MIN_PASSPHRASE = 10
PASSPHRASE_TRIES = 3
CASE_NOTE = "Passphrases are case-sensitive."
NOT_OPENED = "That passphrase did not open your data."


def _tries_left(left: int) -> str:
    return f"{left} {'try' if left == 1 else 'tries'} left"


@overload
def unlock(session: Session, found: Sealed) -> Vault: ...
@overload
def unlock(session: Session, found: Sealed, *, skippable: bool) -> Vault | None: ...


def unlock(session: Session, found: Sealed, *, skippable: bool = False) -> Vault | None:
    """Open a vault read from disk: through the keyring, or with the passphrase.

    In a terminal a wrong passphrase is answered at once and asked again (three tries in all);
    from standard input there is one try. With ``skippable``, an empty answer in a terminal
    means "not now" (None).
    """
    if found.protection == "keyring":
        return unlock_with_keyring(found)
    if not session.can_ask:
        passphrase = session.secret("unlock.passphrase", "Your safetykit passphrase")
        if not passphrase:
            raise LockedError(
                "Your saved data is protected by a passphrase, and none was given.",
                hint="Give it as one line on standard input, or run the command in a terminal.",
            )
        try:
            return unlock_with_passphrase(found, passphrase)
        except WrongPassphraseError:
            raise LockedError(
                NOT_OPENED, hint=f"{CASE_NOTE} Nothing has been changed."
            ) from None
    tries = 0
    while tries < PASSPHRASE_TRIES:
        passphrase = session.secret("unlock.passphrase", "Your safetykit passphrase")
        if not passphrase:
            if skippable:
                return None
            session.warn.say("Type your passphrase and press Enter, or press Ctrl-C to leave.")
            continue
        tries += 1
        try:
            return unlock_with_passphrase(found, passphrase)
        except WrongPassphraseError:
            left = PASSPHRASE_TRIES - tries
            if left:
                session.warn.say(f"{NOT_OPENED} {_tries_left(left)}. {CASE_NOTE}")
    raise LockedError(NOT_OPENED, hint=f"{CASE_NOTE} Nothing has been changed.")


def open_existing(session: Session) -> Vault | None:
    """The vault if there is one (asking for the passphrase if needed), else None."""
    found = read_sealed(session.paths)
    return unlock(session, found) if found is not None else None


def open_for_script(session: Session) -> Vault:
    """The vault for a scriptable command that saves something; with nothing stored yet, a new
    one protected by the keyring (never without protection)."""
    vault = open_existing(session)
    if vault is not None:
        return vault
    info = keys.keyring_info()
    if not info.usable:
        raise KeyringUnavailableError(
            info.reason or "There is no usable keyring here.",
            hint="Run 'safetykit checklist' in a terminal once to choose a passphrase.",
        )
    return create_vault(session.paths, "keyring")


def choose_passphrase(
    session: Session, screen: Screen, *, qid: str = "setup.passphrase", what: str = "passphrase"
) -> str | None:
    """A new secret: in a terminal, typed twice at a hidden prompt (and checked); from a script,
    one line of standard input (None if there is none)."""
    if not session.can_ask:
        return session.secret(qid, f"New {what}")
    screen.say(
        f"Choose a {what} that your ex could not guess: several random words work well. "
        "Avoid names, birthdays, pets and old passwords."
    )
    while True:
        first = session.secret(qid, f"New {what}") or ""
        if len(first) < MIN_PASSPHRASE:
            screen.say(f"Please use at least {MIN_PASSPHRASE} characters.")
            continue
        second = session.secret(f"{qid}_again", f"The same {what} again")
        if first == second:
            return first
        screen.say("Those two did not match. Let's try once more.")


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
        "When you leave, the screen is cleared, so your answers do not stay on it.",
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
    try:
        if choice == "keyring":
            vault = create_vault(session.paths, "keyring")
        else:
            passphrase = choose_passphrase(session, session.screen)
            vault = create_vault(session.paths, "passphrase", passphrase)
    except VaultExistsError:
        session.screen.say("Your data was set up in another safetykit window just now; opening it.")
        opened = open_existing(session)
        if opened is None:  # pragma: no cover - it existed a moment ago
            raise
        return opened
    session.screen.say("Your data is protected. Let's begin.")
    return vault
