"""``safetykit checklist``: the interactive checklist, and ``show`` / ``mark`` for scripts."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from safetykit.cli.context import app_context
from safetykit.errors import UsageError

app = typer.Typer(
    help="A tech-safety checklist that remembers where you got to.",
    invoke_without_command=True,
    no_args_is_help=False,
)

MARKS = {"done": "[x]", "todo": "[ ]", "not_applicable": "[-]"}


@app.callback()
def checklist(ctx: typer.Context) -> None:
    """Go through the checklist, one step at a time. Your progress is saved after every answer."""
    if ctx.invoked_subcommand is not None:
        return
    from safetykit.flows.checklist import run_checklist

    session = app_context(ctx).interactive_session(
        "'safetykit checklist show' and 'safetykit checklist mark'"
    )
    run_checklist(session)


@app.command("show")
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """Print the whole checklist with where you are on each item, grouped by section."""
    from safetykit.content.checklist import load_checklist
    from safetykit.core import checklist as core
    from safetykit.flows.access import open_existing

    app_ctx = app_context(ctx)
    vault = open_existing(app_ctx.session())
    content = load_checklist()
    progress = core.Progress.from_state(vault.section("checklist") if vault else {})
    rows = core.rows(content, progress)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    screen = app_ctx.screen
    screen.title(f"Checklist: {core.summary(content, progress)['line']}")
    screen.say("[x] done   [ ] not yet   [-] doesn't apply")
    section = None
    for row in rows:
        if row["section"] != section:
            section = row["section"]
            screen.blank()
            screen.title(row["section_title"])
        screen.say(f"{MARKS[row['state']]} {row['title']}  ({row['id']})")


@app.command("mark")
def mark(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ITEM_ID", help="An item id from 'show'.")],
    state: Annotated[
        str, typer.Argument(metavar="STATE", help="done, todo or not_applicable.")
    ],
) -> None:
    """Set one item's state (for scripts and advocates' tools)."""
    from safetykit.content.checklist import load_checklist
    from safetykit.core import checklist as core
    from safetykit.flows.access import open_or_create

    content = load_checklist()
    try:
        parsed = core.parse_state(state)
    except core.UnknownStateError:
        raise UsageError(
            f"'{state}' is not a state. Use one of: {', '.join(core.STATES)}."
        ) from None
    if item_id not in {item.id for item in content.items}:
        raise UsageError(
            f"There is no checklist item '{item_id}'.",
            hint="'safetykit checklist show' lists every item with its id.",
        )
    app_ctx = app_context(ctx)
    session = app_ctx.session()
    session.prompter = None  # never start the first-run questions from a script
    vault = open_or_create(session)
    assert vault is not None  # noqa: S101 - without a prompter a vault is made or an error raised
    progress = core.Progress.from_state(vault.section("checklist"))
    core.mark(content, progress, item_id, parsed)
    vault.state["checklist"] = progress.to_state()
    vault.save()
    app_ctx.screen.say(f"{item_id}: {parsed}")
