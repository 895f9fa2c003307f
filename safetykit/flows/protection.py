"""``safetykit protect``: choosing a passphrase that holds, and changing how the data is protected.

A new passphrase (for the data, or a PDF) is checked before it is used: long enough, not a
well-known phrase, not built on words the person said their ex knows, and strong by zxcvbn's top
score. In a terminal the person is told why in plain words and asked again, and can have one made
for them; a script gets exit 2 and the reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from safetykit.errors import LockedError, NotATerminalError, UsageError
from safetykit.flows.session import Session
from safetykit.i18n import N_, _, ngettext
from safetykit.passwords.records import PasswordsState
from safetykit.passwords.strength import new_secret_problems
from safetykit.storage import sealed
from safetykit.storage.protection import change_protection
from safetykit.storage.vault import Vault
from safetykit.ui.prompts import Option
from safetykit.ui.screen import Screen

MADE_WORDS = 5  # about 65 bits from the shipped list: far beyond guessing, still typeable
# What is being chosen (``what``), said inside sentences such as "Your new {what}". The export
# flows pass PDF_PASSWORD's English; it is translated here, where it is said.
# TRANSLATORS: said inside sentences ("Your new {what}", "That {what} is too easy to guess");
# the other {what} is "password for the PDF": choose words that fit the same sentences.
PASSPHRASE = N_("passphrase")
# TRANSLATORS: said inside sentences ("Your new {what}", "That {what} is too easy to guess");
# the other {what} is "passphrase": choose words that fit the same sentences.
PDF_PASSWORD = N_("password for the PDF")


def _made_for_them(session: Session, screen: Screen, qid: str, what: str) -> str | None:
    """A passphrase made for the person, shown until they have typed it once; then cleared."""
    from safetykit.passwords.generate import passphrase

    made = passphrase(MADE_WORDS).secret
    screen.box(
        _("Your new {what} (make sure nobody is looking)").format(what=what),
        [made, "", _("Write it somewhere only you can reach, or learn it now.")],
    )
    try:
        for _try in range(3):
            typed = session.secret(f"{qid}_made", _("Type it once, to be sure you have it"))
            if typed == made:
                return made
            screen.say(_("That was not quite it. Have another look and try again."))
        return None
    finally:
        session.clear_screen()
        screen.say(_("The screen was cleared, so the {what} is no longer shown.").format(what=what))


def choose_secret(
    session: Session,
    screen: Screen,
    *,
    known: Sequence[str] = (),
    qid: str = "setup.passphrase",
    what: str = PASSPHRASE,
) -> str | None:
    """A new passphrase or password, checked. None from a script that gave none.

    In a terminal: typed twice at a hidden prompt (or, by pressing Enter, made by safetykit);
    anything easy to guess is explained and asked again. From a script: one line of standard
    input, refused with exit 2 and the reason if it is easy to guess. ``what`` is English marked
    for translation (PASSPHRASE, PDF_PASSWORD) and is translated here.
    """
    what = _(what)
    if not session.can_ask:
        secret = session.secret(qid, _("New {what}").format(what=what))
        if secret is None:
            return None
        problems = new_secret_problems(secret, known)
        if problems:
            raise UsageError(
                _("That {what} is too easy to guess: {problems}").format(
                    what=what, problems=" ".join(problems)
                ),
                hint=_("Give a {what} of four or more random words.").format(what=what),
            )
        return secret
    screen.say(
        _(
            "Choose a {what} that your ex could not guess: four or more random words work well. "
            "Avoid names, birthdays, pets and old passwords. Or press Enter and safetykit makes "
            "one for you."
        ).format(what=what)
    )
    while True:
        first = (
            session.secret(qid, _("New {what} (Enter to have one made)").format(what=what)) or ""
        )
        if not first:
            made = _made_for_them(session, screen, qid, what)
            if made is not None:
                return made
            continue
        problems = new_secret_problems(first, known)
        if problems:
            screen.say(_("That {what} would be easy to guess:").format(what=what))
            screen.bullets(problems)
            screen.say(_("Please choose another, or press Enter to have one made for you."))
            continue
        second = session.secret(f"{qid}_again", _("The same {what} again").format(what=what))
        if first == second:
            return first
        screen.say(_("Those two did not match. Let's try once more."))


def known_words(vault: Vault | None) -> list[str]:
    return vault.read(PasswordsState).all_known_words() if vault is not None else []


def choose_pdf_password(
    session: Session, screen: Screen, vault: Vault | None, qid: str
) -> str | None:
    """A new password for an exported PDF, checked against the words the ex knows."""
    return choose_secret(session, screen, known=known_words(vault), qid=qid, what=PDF_PASSWORD)


def required_pdf_password(session: Session, vault: Vault | None, qid: str) -> str:
    """``--protect``'s password: asked on the terminal, or one line of standard input."""
    password = choose_pdf_password(session, session.warn, vault, qid)
    if not password:
        raise NotATerminalError(
            _(
                "--protect needs a password: type it in a terminal, or give it as one "
                "line on standard input."
            )
        )
    return password


def words_in_passphrase(vault: Vault, words: Sequence[str]) -> list[str]:
    """Which of ``words`` (words the ex knows) the passphrase this vault was opened with holds."""
    if vault.passphrase is None or not words:
        return []
    from safetykit.passwords.strength import assess

    return list(assess(vault.passphrase, words).known_words)


def warn_if_passphrase_is_known(session: Session, vault: Vault, *, offer: bool) -> Vault:
    """Tell the person when their passphrase holds a word they said their ex knows; in a
    walk-through, offer to change it now. The vault (re-keyed if they changed it)."""
    found = words_in_passphrase(vault, known_words(vault))
    if not found:
        return vault
    listed = ", ".join(f"“{w}”" for w in found)
    session.warn.note(  # a fact about the passphrase, not about a step to be taken
        _(
            "Your safetykit passphrase contains {words}, which you said your ex knows. "
            "'safetykit protect' changes it."
        ).format(words=listed)
    )
    if not offer or not session.can_ask:
        return vault
    if session.prompter.confirm("protect.known_words", _("Change your passphrase now?"), False):
        return change_to(session, vault, "passphrase")
    return vault


# ── changing protection ───────────────────────────────────────────────────────────────────────

DESCRIBE = {
    "keyring": N_(
        "a key kept in this computer's keyring (anyone who can log in as you can open it)"
    ),
    "passphrase": N_("your passphrase"),
}


def change_to(session: Session, vault: Vault, target: sealed.Protection) -> Vault:
    """Re-key ``vault`` to ``target`` (asking for a new passphrase where needed)."""
    passphrase = None
    if target == "passphrase":
        passphrase = choose_secret(session, session.warn, known=known_words(vault))
        if passphrase is None:
            raise LockedError(
                _("A new passphrase is needed, and none was given."),
                hint=_(
                    "Give the current passphrase (if there is one) and then the new one, one "
                    "per line on standard input."
                ),
            )
    result = change_protection(vault, target, passphrase)
    screen = session.screen
    screen.say(
        _("Done: your data is now protected by {how}.").format(how=_(DESCRIBE[target]))
    )
    if vault.protection == "passphrase":
        screen.say(
            _("The old passphrase no longer opens anything, including the earlier copies.")
        )
    else:
        screen.say(
            _("The old keyring key no longer opens anything, including the earlier copies.")
        )
    if result.copies_removed:
        screen.say(
            ngettext(
                "{count} damaged earlier copy was removed: it could only be opened the old "
                "way.",
                "{count} damaged earlier copies were removed: they could only be opened the old "
                "way.",
                result.copies_removed,
            ).format(count=result.copies_removed)
        )
    if result.left_in_keyring:
        screen.say(
            _(
                "Some old keyring entries could not be removed yet; 'safetykit wipe' or the next "
                "change finishes that."
            )
        )
    return result.vault


def protect_command(session: Session, *, keyring: bool, passphrase: bool) -> None:
    """``safetykit protect [--keyring | --passphrase]``: set up, or change, how data is kept."""
    from safetykit.flows.access import open_existing, setup

    if keyring and passphrase:
        raise UsageError(_("Choose one: --keyring or --passphrase."))
    vault = open_existing(session)
    if vault is None:
        if keyring or passphrase:
            setup(session, "keyring" if keyring else "passphrase")
        elif setup(session) is None:
            session.screen.say(_("Nothing was stored."))
        return
    if keyring:
        change_to(session, vault, "keyring")
        return
    if passphrase:
        change_to(session, vault, "passphrase")
        return
    current = vault.protection
    session.screen.say(
        _("Your data is protected by {how}.").format(how=_(DESCRIBE[current]))
    )
    if current == "passphrase":
        options = [
            Option("passphrase", _("Change the passphrase"), "c"),
            Option("keyring", _("Keep the key in this computer's keyring instead"), "k"),
        ]
    else:
        options = [
            Option(
                "passphrase", _("Use a passphrase instead (safer if others know this login)"), "p"
            ),
            Option("keyring", _("Make a fresh key (the old one stops working)"), "f"),
        ]
    options.append(Option("keep", _("Leave it as it is"), "q"))
    choice = session.prompter.select("protect.choice", _("What would you like to do?"), options)
    if choice == "keep":
        session.screen.say(_("Nothing was changed."))
        return
    change_to(session, vault, "keyring" if choice == "keyring" else "passphrase")
