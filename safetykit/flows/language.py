"""Which language safetykit speaks: ``--lang`` on any command, then ``SAFETYKIT_LANG``, then the
saved choice; at first use a walk-through asks ("Language / Idioma"), with the system's language
pre-selected, never decided by it. Scripts with nothing chosen speak English.

The language is separate from the place: Spanish with the United States' lines is the main case.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from safetykit.errors import UsageError
from safetykit.i18n import DEFAULT, ENV, LANGUAGES, _, normalise, use_language
from safetykit.storage.paths import DataPaths
from safetykit.storage.settings import store_language, stored_language
from safetykit.ui.prompts import Option

if TYPE_CHECKING:  # the session (and the keyring behind it) is not needed to choose the words
    from safetykit.flows.session import Session


@dataclass(frozen=True)
class Chosen:
    code: str
    origin: str
    """"option", "environment", "stored" or "none"."""


def check_code(code: str, origin: str) -> str:
    found = normalise(code)
    if found is None or found != code.strip().lower():
        raise UsageError(
            _("{code} ({origin}) is not a language safetykit speaks.").format(
                code=repr(code[:20]), origin=origin),
            hint=_("Languages: {codes}.").format(codes=", ".join(LANGUAGES)),
        )
    return found


def resolve(paths: DataPaths, option: str | None) -> Chosen:
    if option:
        return Chosen(check_code(option, "--lang"), "option")
    env = os.environ.get(ENV, "").strip()
    if env:
        return Chosen(check_code(env, ENV), "environment")
    stored = normalise(stored_language(paths))
    if stored:
        return Chosen(stored, "stored")
    return Chosen(DEFAULT, "none")


def suggestion() -> str | None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return normalise(value)
    return None


def ask_language(session: Session) -> str:
    # Asked before safetykit knows the language: in both, on purpose.
    return session.prompter.select(
        "language", "Language / Idioma",
        [Option(code, name) for code, name in LANGUAGES.items()],
        suggestion() or DEFAULT,
    )


def settle(session: Session, chosen: Chosen, *, ask: bool) -> None:
    code = chosen.code
    session.language_origin = chosen.origin
    if chosen.origin == "none" and ask and session.can_ask:
        code = ask_language(session)
        session.language_origin = "asked"
        if session.paths.root.exists():
            store_language(session.paths, code)
        else:
            session.pending_language = code
    session.language = code
    use_language(code)


def language_command(session: Session, *, code: str | None, chosen: Chosen) -> None:
    """``safetykit language [CODE]``: say which language safetykit speaks, or change it."""
    if code is None:
        session.screen.say(_("Language: {name} ({code}).").format(
            name=LANGUAGES[chosen.code], code=chosen.code))
        session.screen.muted(_("Languages: {codes}.").format(codes=", ".join(LANGUAGES)))
        return
    new = check_code(code, _("the language given"))
    store_language(session.paths, new)
    use_language(new)
    session.screen.say(_("Saved: safetykit now speaks {name}.").format(name=LANGUAGES[new]))


def speak_for_this_run(option: str | None) -> None:
    """Speak the chosen language from the first word (help and usage errors come before any
    session exists); a wrong --lang is said by the session later, in English."""
    from safetykit.storage.paths import default_paths

    try:
        use_language(resolve(default_paths(), option).code)
    except UsageError:
        use_language(DEFAULT)
