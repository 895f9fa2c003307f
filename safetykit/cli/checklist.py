"""``safetykit checklist``: the walk-through, and ``show`` / ``mark`` for scripts."""

from __future__ import annotations

from typing import Annotated

import typer

from safetykit.cli.context import app_context
from safetykit.i18n import N_, _

app = typer.Typer(
    help=N_("A tech-safety checklist that remembers where you got to."),
    invoke_without_command=True,
    no_args_is_help=False,
)


@app.callback()
def checklist(ctx: typer.Context) -> None:
    """Go through the checklist, one step at a time. Your progress is saved after every answer."""
    if ctx.invoked_subcommand is not None:
        return
    from safetykit.flows.checklist import run_checklist

    with app_context(ctx).walkthrough(
        _("'safetykit checklist show' and 'safetykit checklist mark'")
    ) as session:
        run_checklist(session)


@app.command(
    "show",
    help=N_("Print the whole checklist with where you are on each item, grouped by section."),
    short_help=N_("The whole checklist and where you are."),
)
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print a JSON list."))] = False,
) -> None:
    from safetykit.flows.checklist import show_checklist

    session = app_context(ctx).session(_("give the passphrase as one line on standard input"))
    show_checklist(session, as_json=as_json)


@app.command(
    "mark",
    help=N_("Set one item's state (for scripts and advocates' tools)."),
    short_help=N_("Set one item's state (for scripts)."),
)
def mark(
    ctx: typer.Context,
    item_id: Annotated[
        str, typer.Argument(metavar="ITEM_ID", help=N_("An item id from 'show'."))
    ],
    state: Annotated[
        # TRANSLATORS: done, todo and not_applicable are typed as they are: keep them.
        str, typer.Argument(metavar="STATE", help=N_("done, todo or not_applicable."))
    ],
) -> None:
    from safetykit.flows.checklist import mark_command

    session = app_context(ctx).session(_("give the passphrase as one line on standard input"))
    mark_command(session, item_id, state)
