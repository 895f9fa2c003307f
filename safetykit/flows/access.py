"""Getting to the saved data: the first-run welcome, choosing protection, and unlocking.

Walk-throughs call ``open_or_create``; scriptable commands call ``open_existing``. Both return an
unlocked ``Vault`` (or None) or raise a ``SafetykitError`` with a calm message. A passphrase is
read through ``Session.secret``: a hidden prompt in a terminal, one line of standard input for a
script; never an argument or an environment variable.
"""

from __future__ import annotations

import contextlib
from typing import overload

from safetykit.errors import KeyringUnavailableError, LockedError, NotSetUpError, SafetykitError
from safetykit.flows.session import Session
from safetykit.storage import keys, sealed
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


def open_existing(session: Session, *, walkthrough: bool = False) -> Vault | None:
    """The vault if there is one (asking for the passphrase if needed), else None.

    Leftover keyring entries from an interrupted change are tidied on the way; a passphrase that
    holds words the person said their ex knows is pointed out (and, in a walk-through, an offer
    to change it is made).
    """
    found = read_sealed(session.paths)
    if found is None:
        return None
    kept = session.opened
    if kept is not None and kept.paths == session.paths and (
        kept.header.vault_id == found.header.vault_id
    ):
        # Already opened in this session (from the start menu, another part): not asked again.
        kept.refresh()
        return kept
    vault = unlock(session, found)
    session.opened = vault
    _tidy_leftovers(session)
    if vault.passphrase is not None:
        from safetykit.flows.protection import warn_if_passphrase_is_known

        vault = warn_if_passphrase_is_known(session, vault, offer=walkthrough)
    return vault


def _tidy_leftovers(session: Session) -> None:
    """Finish removing keyring entries a change of protection left behind (quietly)."""
    from safetykit.storage import leftovers
    from safetykit.storage.removal import remove_keyring_entries

    pending = leftovers.pending(session.paths)
    if pending:
        with contextlib.suppress(SafetykitError):
            remove_keyring_entries(session.paths, pending)


def open_for_script(session: Session) -> Vault:
    """The vault for a scriptable command that saves something. A script never sets one up: how
    the data is protected is the person's choice."""
    vault = open_existing(session)
    if vault is not None:
        return vault
    raise NotSetUpError(
        "Nothing is set up here yet, so there is nowhere to save this.",
        hint="Choose how your data is protected first: 'safetykit protect --passphrase' (or "
        "--keyring), or run 'safetykit' in a terminal.",
    )


WELCOME = [
    "safetykit keeps your checklist progress, plan, account notes and incident log",
    "on this computer only, encrypted, here:",
    "",
]
CHOICES = {
    "keyring": "Keep the key in this computer's keyring (anyone who can log in as you can open it)",
    "passphrase": "Use a passphrase I type each time (safest if others know this login)",
}
CHOOSING_HELP = [
    "Keyring: nothing to type. The key sits in this computer's keyring, which opens when you log",
    "in. Anyone who knows this computer's login, or uses it while you are logged in, can open",
    "your data too.",
    "",
    "Passphrase: you type it each time safetykit opens your data. Only someone who knows it can",
    "open the data, even on this computer. If you forget it, the data cannot be recovered.",
    "",
    "If your ex knows, or could guess, this computer's login, choose a passphrase.",
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
            "You choose how it is protected. The keyring opens when you log in, so anyone who "
            "knows this computer's login could open your data too; a passphrase keeps out even "
            "them."
        )
    where = data_folder_warning(session)
    if where:
        screen.note(where)
    if not keyring_ok:
        screen.say(
            f"{keyring_reason or 'There is no usable keyring here.'} "
            "You can protect your data with a passphrase instead. Nothing is ever stored "
            "unprotected."
        )


def data_folder_warning(session: Session) -> str | None:
    """Why the data folder's place may not be private (a synced or shared folder), or None."""
    from safetykit.render.destinations import describe_place

    place = describe_place(session.paths.root)
    if place is None:
        return None
    if "others on this computer" in place:
        return (
            f"The data folder {session.paths.root} is inside {place}: they, or the system's "
            "clean-up, could remove it. Set SAFETYKIT_HOME to a folder in your home if you can."
        )
    return (
        f"The data folder {session.paths.root} is inside {place}, which copies it to your other "
        "devices and the website. Set SAFETYKIT_HOME to a folder that is not synced if you can."
    )


def setup(session: Session, protection: sealed.Protection | None = None) -> Vault | None:
    """Set up protection for new data: the person's choice, never a default. ``protection``
    given (``safetykit protect --keyring``) skips the question. None if they chose to store
    nothing."""
    info = keys.keyring_info()
    if protection is None:
        _welcome(session, info.usable, info.reason)
        options = [Option("help", "Help me choose", "c")]
        if info.usable:
            options.append(Option("keyring", CHOICES["keyring"], "k"))
        options.append(Option("passphrase", CHOICES["passphrase"], "p"))
        options.append(Option("none", "Leave now and store nothing", "n"))
        while True:
            choice = session.prompter.select(
                "setup.protection", "How should your data be protected?", options, "help"
            )
            if choice != "help":
                break
            session.screen.box("Keyring or passphrase?", CHOOSING_HELP)
        if choice == "none":
            return None
        protection = "keyring" if choice == "keyring" else "passphrase"
    elif protection == "keyring" and not info.usable:
        raise KeyringUnavailableError(
            info.reason or "There is no usable keyring here.",
            hint="Use 'safetykit protect --passphrase' instead.",
        )
    try:
        if protection == "keyring":
            vault = create_vault(session.paths, "keyring")
        else:
            from safetykit.flows.protection import choose_secret

            passphrase = choose_secret(session, session.screen)
            if passphrase is None:
                raise LockedError(
                    "A passphrase is needed to protect your data, and none was given.",
                    hint="Give it as one line on standard input.",
                )
            vault = create_vault(session.paths, "passphrase", passphrase)
            vault.passphrase = passphrase
    except VaultExistsError:
        session.screen.say("Your data was set up in another safetykit window just now; opening it.")
        opened = open_existing(session)
        if opened is None:  # pragma: no cover - it existed a moment ago
            raise
        return opened
    session.screen.say("Your data is protected. Let's begin.")
    session.opened = vault
    if session.pending_region:
        from safetykit.storage.settings import store_region

        store_region(session.paths, session.pending_region)
        session.pending_region = None
    return vault


def open_or_create(session: Session) -> Vault | None:
    """Open the vault, or on first use welcome the person and set up protection.

    Returns None if the person chooses to store nothing.
    """
    vault = open_existing(session, walkthrough=True)
    if vault is not None:
        return vault
    return setup(session)
