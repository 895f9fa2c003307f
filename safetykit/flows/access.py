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
from safetykit.i18n import N_, _, ngettext
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
NOT_OPENED = N_("That passphrase did not open your data.")
NOTHING_CHANGED = N_("Passphrases are case-sensitive. Nothing has been changed.")


def _not_opened_try_again(left: int) -> str:
    return ngettext(
        "That passphrase did not open your data. {count} try left. "
        "Passphrases are case-sensitive.",
        "That passphrase did not open your data. {count} tries left. "
        "Passphrases are case-sensitive.",
        left,
    ).format(count=left)


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
        passphrase = session.secret("unlock.passphrase", _("Your safetykit passphrase"))
        if not passphrase:
            raise LockedError(
                _("Your saved data is protected by a passphrase, and none was given."),
                hint=_(
                    "Give it as one line on standard input, or run the command in a terminal."
                ),
            )
        try:
            return unlock_with_passphrase(found, passphrase)
        except WrongPassphraseError:
            raise LockedError(_(NOT_OPENED), hint=_(NOTHING_CHANGED)) from None
    tries = 0
    while tries < PASSPHRASE_TRIES:
        passphrase = session.secret("unlock.passphrase", _("Your safetykit passphrase"))
        if not passphrase:
            if skippable:
                return None
            session.warn.say(
                _("Type your passphrase and press Enter, or press Ctrl-C to leave.")
            )
            continue
        tries += 1
        try:
            return unlock_with_passphrase(found, passphrase)
        except WrongPassphraseError:
            left = PASSPHRASE_TRIES - tries
            if left:
                session.warn.say(_not_opened_try_again(left))
    raise LockedError(_(NOT_OPENED), hint=_(NOTHING_CHANGED))


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
    _tidy_kept_secrets(vault)
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


def _tidy_kept_secrets(vault: Vault) -> None:
    """Move passwords an earlier version kept one keyring entry each (``pw-…``, which says what
    they are) into the one neutral entry (quietly). Only where the keyring was just used to open
    the vault: for a passphrase vault the keyring may be locked, and asking it could raise an
    unlock dialog; its secrets move when they are next used."""
    if vault.protection != "keyring" or not vault.header.kept_in_keyring:
        return
    with contextlib.suppress(SafetykitError):
        keys.kept_labels(vault.header.vault_id)


def open_for_script(session: Session) -> Vault:
    """The vault for a scriptable command that saves something. A script never sets one up: how
    the data is protected is the person's choice."""
    vault = open_existing(session)
    if vault is not None:
        return vault
    raise NotSetUpError(
        _("Nothing is set up here yet, so there is nowhere to save this."),
        hint=_(
            "Choose how your data is protected first: 'safetykit protect --passphrase' (or "
            "--keyring), or run 'safetykit' in a terminal."
        ),
    )


# Texts kept whole, with their line breaks, so each sentence is translated in one piece.
WELCOME = N_(
    "safetykit keeps your checklist progress, plan, account notes and incident log\n"
    "on this computer only, encrypted, here:"
)
WELCOME_AFTER = N_(
    "Nothing is sent anywhere unless you ask for an online check.\n"
    "Passwords you check are never stored.\n"
    "When you leave, the screen is cleared, so your answers do not stay on it.\n"
    "Press Ctrl-C at any time to leave at once: the screen is cleared and\n"
    "what you already answered is kept."
)
CHOICES = {
    "keyring": N_(
        "Keep the key in this computer's keyring (anyone who can log in as you can open it)"
    ),
    "passphrase": N_("Use a passphrase I type each time (safest if others know this login)"),
}
CHOOSING_HELP = N_(
    "Keyring: nothing to type. The key sits in this computer's keyring, which opens when you log\n"
    "in. Anyone who knows this computer's login, or uses it while you are logged in, can open\n"
    "your data too.\n"
    "\n"
    "Passphrase: you type it each time safetykit opens your data. Only someone who knows it can\n"
    "open the data, even on this computer. If you forget it, the data cannot be recovered.\n"
    "\n"
    "If your ex knows, or could guess, this computer's login, choose a passphrase."
)


def _welcome(session: Session, keyring_ok: bool, keyring_reason: str | None) -> None:
    screen = session.screen
    lines = [
        *_(WELCOME).splitlines(),
        "",
        f"  {session.paths.vault}",
        "",
        *_(WELCOME_AFTER).splitlines(),
    ]
    screen.box(_("Welcome"), lines)
    if keyring_ok:
        screen.say(
            _(
                "You choose how it is protected. The keyring opens when you log in, so anyone "
                "who knows this computer's login could open your data too; a passphrase keeps "
                "out even them."
            )
        )
    where = data_folder_warning(session)
    if where:
        screen.note(where)
    if not keyring_ok:
        screen.say(
            _(
                "{reason} You can protect your data with a passphrase instead. Nothing is ever "
                "stored unprotected."
            ).format(reason=keyring_reason or _("There is no usable keyring here."))
        )


def data_folder_warning(session: Session) -> str | None:
    """Why the data folder's place may not be private (a synced or shared folder), or None."""
    from safetykit.render.destinations import SHARED_FOLDER, is_cloud_synced

    place = is_cloud_synced(session.paths.root)
    if place is None:
        return None
    if place == SHARED_FOLDER:
        return _(
            "The data folder {folder} is inside a folder others on this computer can change: "
            "they, or the system's clean-up, could remove it. Set SAFETYKIT_HOME to a folder in "
            "your home if you can."
        ).format(folder=session.paths.root)
    return _(
        "The data folder {folder} is inside {service}, which copies it to your other devices "
        "and the website. Set SAFETYKIT_HOME to a folder that is not synced if you can."
    ).format(folder=session.paths.root, service=place)


def setup(session: Session, protection: sealed.Protection | None = None) -> Vault | None:
    """Set up protection for new data: the person's choice, never a default. ``protection``
    given (``safetykit protect --keyring``) skips the question. None if they chose to store
    nothing."""
    info = keys.keyring_info()
    if protection is None:
        _welcome(session, info.usable, info.reason)
        options = [Option("help", _("Help me choose"), "c")]
        if info.usable:
            options.append(Option("keyring", _(CHOICES["keyring"]), "k"))
        options.append(Option("passphrase", _(CHOICES["passphrase"]), "p"))
        options.append(Option("none", _("Leave now and store nothing"), "n"))
        while True:
            choice = session.prompter.select(
                "setup.protection", _("How should your data be protected?"), options, "help"
            )
            if choice != "help":
                break
            session.screen.box(_("Keyring or passphrase?"), _(CHOOSING_HELP).splitlines())
        if choice == "none":
            return None
        protection = "keyring" if choice == "keyring" else "passphrase"
    elif protection == "keyring" and not info.usable:
        raise KeyringUnavailableError(
            info.reason or _("There is no usable keyring here."),
            hint=_("Use 'safetykit protect --passphrase' instead."),
        )
    try:
        if protection == "keyring":
            vault = create_vault(session.paths, "keyring")
        else:
            from safetykit.flows.protection import choose_secret

            passphrase = choose_secret(session, session.screen)
            if passphrase is None:
                raise LockedError(
                    _("A passphrase is needed to protect your data, and none was given."),
                    hint=_("Give it as one line on standard input."),
                )
            vault = create_vault(session.paths, "passphrase", passphrase)
            vault.passphrase = passphrase
    except VaultExistsError:
        session.screen.say(
            _("Your data was set up in another safetykit window just now; opening it.")
        )
        opened = open_existing(session)
        if opened is None:  # pragma: no cover - it existed a moment ago
            raise
        return opened
    session.screen.say(_("Your data is protected. Let's begin."))
    session.opened = vault
    if session.pending_region:
        from safetykit.storage.settings import store_region

        store_region(session.paths, session.pending_region)
        session.pending_region = None
    if session.pending_language:
        from safetykit.storage.settings import store_language

        store_language(session.paths, session.pending_language)
        session.pending_language = None
    return vault


def open_or_create(session: Session) -> Vault | None:
    """Open the vault, or on first use welcome the person and set up protection.

    Returns None if the person chooses to store nothing.
    """
    vault = open_existing(session, walkthrough=True)
    if vault is not None:
        return vault
    return setup(session)
