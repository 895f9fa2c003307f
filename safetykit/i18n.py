"""Which language safetykit speaks, and the words in it.

English is written in the code and the content files; other languages come from gettext
catalogues under ``safetykit/locale`` (built with Babel from ``.po`` files: ``scripts/i18n``):

- ``safetykit``: the code's own words, marked ``_("...")`` (or ``N_`` where the text is only
  named, such as a command's help, and translated when it is shown);
- ``content``: the checklist, plan, accounts, hotlines, places and log, each text with a context
  ``"<file>:<id>:<field>"`` so the same English in two places can read differently;
- ``messages``: Click's and Typer's own words (usage errors, "Options"), read through Python's
  ``gettext`` as Click does.

A text whose English changed has no translation until someone translates it again, so English is
shown rather than an out-of-date Spanish sentence. The language for a run is a context variable,
like the place: ``--lang`` anywhere on the command line, then ``SAFETYKIT_LANG``, then the saved
choice; with none, English (a walk-through asks, with the system language pre-selected).
Catalogues are read only when a language other than English is in use, so start-up stays fast.
"""

from __future__ import annotations

import contextvars
import functools
import gettext
import os
from pathlib import Path

LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
DEFAULT = "en"
ENV = "SAFETYKIT_LANG"
LOCALE_DIR = Path(__file__).parent / "locale"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("safetykit_lang", default=DEFAULT)


def use_language(code: str) -> None:
    """Speak ``code`` for this run (and let Click's own words follow)."""
    if code not in LANGUAGES:
        raise ValueError(code)
    _current.set(code)
    if code != DEFAULT:
        # Click reads its words through gettext's global domain and the LANGUAGE variable.
        gettext.bindtextdomain("messages", str(LOCALE_DIR))
        os.environ["LANGUAGE"] = code
    else:
        os.environ.pop("LANGUAGE", None)


def current_language() -> str:
    return _current.get()


def normalise(code: str | None) -> str | None:
    """``es``, ``ES``, ``es_US.UTF-8`` → ``es``; None for a language safetykit does not speak."""
    if not code:
        return None
    short = code.strip().split(".")[0].replace("-", "_").split("_")[0].lower()
    return short if short in LANGUAGES else None


@functools.cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, str(LOCALE_DIR), languages=[language], fallback=True)


def _(message: str) -> str:
    """``message`` in the language in use."""
    language = _current.get()
    if language == DEFAULT:
        return message
    return _catalogue("safetykit", language).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    language = _current.get()
    if language == DEFAULT:
        return singular if count == 1 else plural
    return _catalogue("safetykit", language).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is only named (a command's help)."""
    return message


_recorder: contextvars.ContextVar[set[tuple[str, str]] | None] = contextvars.ContextVar(
    "safetykit_i18n_recorder", default=None
)


def content(context: str, text: str) -> str:
    """A content file's text in the language in use (``context`` is ``"<file>:<id>:<field>"``).

    While ``recording`` (``scripts/i18n`` extracting the catalogue), every text asked for is
    noted with its context, so the catalogue holds exactly what the loaders translate.
    """
    found = _recorder.get()
    if found is not None:
        found.add((context, text))
        return text
    language = _current.get()
    if language == DEFAULT:
        return text
    return _catalogue("content", language).pgettext(context, text)


class recording:
    """Note every content text the loaders translate inside this block."""

    def __init__(self) -> None:
        self.found: set[tuple[str, str]] = set()
        self._token: contextvars.Token[set[tuple[str, str]] | None] | None = None

    def __enter__(self) -> set[tuple[str, str]]:
        self._token = _recorder.set(self.found)
        return self.found

    def __exit__(self, *_: object) -> None:
        assert self._token is not None  # noqa: S101
        _recorder.reset(self._token)
