"""What every command shares: the options given at the top, the screen, and the way to a session."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typer

from safetykit.errors import NotATerminalError
from safetykit.ui.screen import Screen

if TYPE_CHECKING:
    from safetykit.flows.access import Session
    from safetykit.ui.prompts import Prompter


@dataclass
class AppContext:
    plain: bool = False
    screen: Screen = field(init=False)

    def __post_init__(self) -> None:
        self.screen = Screen(plain=self.plain)

    def session(self) -> Session:
        """A session for scriptable commands.

        In a terminal it can still ask for a passphrase (hidden); without one, a passphrase is read
        from standard input.
        """
        from safetykit.flows.access import Session
        from safetykit.storage.paths import default_paths

        prompter = self._prompter() if _is_terminal() else None
        return Session(paths=default_paths(), screen=self.screen, prompter=prompter)

    def interactive_session(self, alternative: str) -> Session:
        """A session that asks questions; refuses, naming ``alternative``, without a terminal."""
        if not (_is_terminal() and sys.stdout.isatty()):
            raise NotATerminalError(
                "This part of safetykit asks questions, and needs a terminal to do so.",
                hint=f"Run it in a terminal, or use {alternative}.",
            )
        from safetykit.flows.access import Session
        from safetykit.storage.paths import default_paths

        return Session(paths=default_paths(), screen=self.screen, prompter=self._prompter())

    def _prompter(self) -> Prompter:
        from safetykit.flows.hotlines import show_hotlines
        from safetykit.ui.prompts import PlainPrompter, QuestionaryPrompter

        def on_help() -> None:
            show_hotlines(self.screen)

        return PlainPrompter(on_help) if self.plain else QuestionaryPrompter(on_help)


def _is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    if isinstance(obj, AppContext):
        return obj
    fresh = AppContext()
    ctx.find_root().obj = fresh
    return fresh
