"""What every command shares: the options given at the top, and the way to a session."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from safetykit.flows.session import Session


@dataclass
class AppContext:
    plain: bool = False
    region: str | None = None
    """``--region CODE``, given anywhere on the command line."""
    language: str | None = None
    """``--lang CODE``, given anywhere on the command line."""

    def session(self, alternative: str) -> Session:
        """A session for a scriptable command; ``alternative`` says what a script does instead
        of answering a question (a flag, or another command)."""
        from safetykit.flows.session import open_session

        return open_session(plain=self.plain, alternative=alternative, region=self.region,
                            language=self.language)

    @contextlib.contextmanager
    def walkthrough(self, alternative: str) -> Iterator[Session]:
        """A session for a walk-through (both ends a terminal); the screen is cleared after."""
        from safetykit.flows.session import walkthrough

        with walkthrough(plain=self.plain, alternative=alternative,
                         region=self.region, language=self.language) as session:
            yield session


F = TypeVar("F", bound=Callable[..., Any])


def described(text: str) -> Callable[[F], F]:
    """Give a command registered elsewhere (``app.command(name)(f)`` in cli/app.py) its
    ``--help`` text: written ``N_("…")`` so Babel finds it (it does not read docstrings), and
    translated when help is shown (cli/app.py ``_translate``)."""

    def mark(command: F) -> F:
        command.__doc__ = text
        return command

    return mark


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    if isinstance(obj, AppContext):
        return obj
    fresh = AppContext()
    ctx.find_root().obj = fresh
    return fresh
