"""``status``, ``wipe`` and ``restore``: what is stored, removing it, and going back one step."""

from __future__ import annotations

from typing import Annotated

import typer

from safetykit.cli.context import app_context


def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show where safetykit keeps its data, how it is protected, and a summary of each part."""
    from safetykit.flows.data import status_command

    session = app_context(ctx).session("give the passphrase as one line on standard input")
    status_command(session, as_json=as_json)


def wipe(
    ctx: typer.Context,
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not ask; remove everything (for scripts).")
    ] = False,
) -> None:
    """Remove everything safetykit stored here: the data, its copies and its keyring entries."""
    from safetykit.flows.data import wipe_command

    session = app_context(ctx).session("add --yes in a script")
    wipe_command(session, yes=yes)


def restore(ctx: typer.Context) -> None:
    """Put back the copy saved before the last change (after damage or a mistake)."""
    from safetykit.flows.data import restore_command

    session = app_context(ctx).session("give the passphrase as one line on standard input")
    restore_command(session)
