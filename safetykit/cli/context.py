"""What every command shares: the options given at the top, and the way to a session."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from safetykit.flows.session import Session


@dataclass
class AppContext:
    plain: bool = False
    region: str | None = None
    """``--region CODE``, given anywhere on the command line."""

    def session(self, alternative: str) -> Session:
        """A session for a scriptable command; ``alternative`` says what a script does instead
        of answering a question (a flag, or another command)."""
        from safetykit.flows.session import open_session

        return open_session(plain=self.plain, alternative=alternative, region=self.region)

    @contextlib.contextmanager
    def walkthrough(self, alternative: str) -> Iterator[Session]:
        """A session for a walk-through (both ends a terminal); the screen is cleared after."""
        from safetykit.flows.session import walkthrough

        with walkthrough(plain=self.plain, alternative=alternative,
                         region=self.region) as session:
            yield session


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    if isinstance(obj, AppContext):
        return obj
    fresh = AppContext()
    ctx.find_root().obj = fresh
    return fresh
