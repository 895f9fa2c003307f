"""One session per command: whether a question may be asked, where it goes, and where data lives.

Decided once, when a command starts (``Terminal.detect``), and nowhere else:

- A question may be asked only when standard input is a terminal. Otherwise the prompter is
  ``NoQuestions``: every question is refused with a clear error that names the scriptable form.
- Questions, warnings and the hotlines go to the controlling terminal (``/dev/tty``;
  ``CONOUT$`` on Windows) where there is one, else to standard error; never to standard output,
  so ``safetykit status --json > file`` leaves only JSON in the file.
- A secret (the vault passphrase, a PDF password) is a hidden prompt on the terminal, or exactly
  one line read from standard input when that is not a terminal: ``Session.secret``.
- A walk-through needs both ends to be terminals; leaving it, however it ends, clears the screen
  and its scrollback (``walkthrough``).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TextIO

from safetykit.errors import NotATerminalError
from safetykit.flows.hotlines import show_hotlines
from safetykit.flows.terminal import Terminal, terminal
from safetykit.i18n import _
from safetykit.storage.paths import DataPaths, default_paths
from safetykit.storage.vault import Vault
from safetykit.ui.prompts import NoQuestions, PlainPrompter, Prompter, QuestionaryPrompter
from safetykit.ui.screen import Screen


@dataclass
class Session:
    """What a command works with: the data folder, the screens, and how to ask.

    ``screen`` is the command's own output (standard output); ``notices`` is where questions,
    warnings and the hotlines go. ``prompter`` always exists; where no question can be asked it
    refuses with a clear error. Tests build a session directly, with a scripted prompter.
    """

    paths: DataPaths
    screen: Screen
    prompter: Prompter
    notices: Screen | None = None
    stdin: TextIO | None = field(default_factory=lambda: sys.stdin)
    can_ask: bool = True
    plain: bool = False
    terminal: Terminal | None = None
    from_home: bool = False
    """Started from the start menu: "leave" in a part goes back to it."""
    opened: Vault | None = field(default=None, repr=False)
    """The vault this session unlocked, so moving between parts does not ask again."""
    region: str = "ZZ"
    """Where the person is (a code from regions.toml), settled when the session opens."""
    region_origin: str = "none"
    """Where the place came from: "option", "environment", "stored", "asked" or "none"."""
    language: str = "en"
    language_origin: str = "none"
    pending_language: str | None = None
    """Chosen at first use before there was anywhere to keep it; saved with the data."""
    pending_region: str | None = None
    """Chosen at first use before there was anywhere to keep it; saved with the data."""
    _stdin_secrets: int = 0

    def leave_label(self, saved: str) -> str:
        """The menu choice that ends a part: back to the start menu, or leave."""
        if self.from_home:
            # TRANSLATORS: a menu choice; {saved} is e.g. "your answers are saved".
            return _("Back to the start ({saved})").format(saved=saved)
        # TRANSLATORS: a menu choice; {saved} is e.g. "your answers are saved".
        return _("Leave for now ({saved})").format(saved=saved)

    def __post_init__(self) -> None:
        if self.notices is None:
            self.notices = self.screen

    @property
    def warn(self) -> Screen:
        """The screen for questions, warnings and hotlines."""
        assert self.notices is not None  # noqa: S101 - set in __post_init__
        return self.notices

    def secret(self, qid: str, message: str) -> str | None:
        """A secret: a hidden prompt on the terminal, or one line of standard input.

        None when standard input is closed or has ended (the caller says what was missing).
        """
        if self.can_ask:
            return self.prompter.secret(qid, message)
        return self.piped_line()

    def piped_line(self) -> str | None:
        """One line of standard input (a secret given by a script), or None at its end."""
        if self.stdin is None:
            return None
        try:
            line = self.stdin.readline()
        except (OSError, ValueError):
            return None
        if not line:
            return None
        self._stdin_secrets += 1
        return line.rstrip("\r\n")

    def clear_screen(self) -> None:
        """Clear what is on the screen now (after a secret was shown, or when leaving)."""
        if self.terminal is not None:
            self.terminal.clear()


def _prompter(term: Terminal, plain: bool, notices: Screen, alternative: str) -> Prompter:
    if not term.can_ask:
        return NoQuestions(alternative)

    def on_help() -> None:
        show_hotlines(notices)

    if plain:
        return PlainPrompter(on_help, stdin=term.stdin, stdout=term.questions)
    return QuestionaryPrompter(on_help, stream=term.questions)


def open_session(
    *,
    plain: bool,
    alternative: str,
    paths: DataPaths | None = None,
    region: str | None = None,
    ask_region: bool = False,
    language: str | None = None,
) -> Session:
    """A session for any command: questions where they belong, or refused with ``alternative``
    (the scriptable form or flag to use instead). The place in use is settled from ``region``
    (``--region``), then ``SAFETYKIT_REGION``, then the saved choice; with ``ask_region`` (a
    walk-through) it is asked once if none was ever chosen."""
    from safetykit.flows import language as languages
    from safetykit.flows.region import resolve, settle

    term = terminal()
    notices = Screen(plain=plain, file=term.questions)
    session = _session(term, notices, plain, alternative, paths)
    languages.settle(session, languages.resolve(session.paths, language), ask=ask_region)
    settle(session, resolve(session.paths, region), ask=ask_region)
    return session


def _session(
    term: Terminal, notices: Screen, plain: bool, alternative: str, paths: DataPaths | None
) -> Session:
    return Session(
        paths=paths or default_paths(),
        screen=Screen(plain=plain),
        prompter=_prompter(
            term,
            plain,
            notices,
            # TRANSLATORS: {alternative} is what a script does instead, e.g. "add --yes in a
            # script" or "use 'safetykit plan export'".
            _("Run it in a terminal, or {alternative}.").format(alternative=alternative),
        ),
        notices=notices,
        stdin=term.stdin,
        can_ask=term.can_ask,
        plain=plain,
        terminal=term,
    )


@contextlib.contextmanager
def walkthrough(
    *, plain: bool, alternative: str, region: str | None = None, language: str | None = None
) -> Iterator[Session]:
    """A session for a walk-through: needs a terminal at both ends; clears the screen after.

    However the walk-through ends (leaving normally, an error, the input ending), the screen and
    its scrollback are cleared, so nothing that was answered stays on display. Ctrl-C is cleared
    by the quick exit itself.
    """
    term = terminal()
    if not (term.stdin_is_tty and term.stdout_is_tty):
        raise NotATerminalError(
            _("This part of safetykit asks questions, and needs a terminal to do so."),
            hint=_("Run it in a terminal, or use {commands}.").format(commands=alternative),
        )
    # TRANSLATORS: {commands} are commands to use instead, e.g. "'safetykit plan export'".
    use = _("use {commands}").format(commands=alternative)
    session = open_session(plain=plain, alternative=use, region=region,
                           ask_region=True, language=language)
    try:
        yield session
    except KeyboardInterrupt:
        raise
    except BaseException:
        session.clear_screen()
        raise
    session.clear_screen()
