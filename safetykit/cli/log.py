"""``safetykit log``: the incident log's walk-through, and commands for advocates' scripts."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from safetykit.cli.context import app_context

app = typer.Typer(
    help="A private incident log, with files kept exactly as they were, for you, an advocate or "
    "a court.",
    invoke_without_command=True,
    no_args_is_help=False,
)

PASSPHRASE_FIRST = "give the passphrase as the first line on standard input"  # noqa: S105


class Format(StrEnum):
    pdf = "pdf"
    html = "html"
    md = "md"
    csv = "csv"
    zip = "zip"


@app.callback()
def log(ctx: typer.Context) -> None:
    """Add what happened, look back at it, attach files, and export it."""
    if ctx.invoked_subcommand is not None:
        return
    from safetykit.flows.log import run_log

    with app_context(ctx).walkthrough(
        "'safetykit log add --json', 'log list' and 'log export'"
    ) as session:
        run_log(session)


@app.command("add")
def add(
    ctx: typer.Context,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Read the entry as one JSON object on standard input (keys as in 'log list "
            "--json' and 'log show --json'; 'occurred_at' and 'what_happened' are needed).",
        ),
    ] = False,
) -> None:
    """Add an entry: questions in a terminal, or one JSON object on standard input (--json).
    Nothing is taken from options or arguments, so nothing lands in shell history."""
    from safetykit.flows.log_commands import add_command

    session = app_context(ctx).session(f"use --json and {PASSPHRASE_FIRST}, then the entry")
    add_command(session, as_json=as_json)


@app.command("list")
def list_entries(
    ctx: typer.Context,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="id, occurred_at, approximate, recorded_at, edited_at, kind, "
                     "location, summary, attachments."),
    ] = False,
) -> None:
    """The entries, oldest first (nothing is changed)."""
    from safetykit.flows.log_commands import list_command

    list_command(app_context(ctx).session(PASSPHRASE_FIRST), as_json=as_json)


@app.command("show")
def show(
    ctx: typer.Context,
    entry_id: Annotated[
        str | None, typer.Argument(metavar="ID", help="The entry's number.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    exports: Annotated[
        bool, typer.Option("--exports", help="The exports made so far: when, format, range.")
    ] = False,
) -> None:
    """One entry in full, with when it was written, its changes and its files."""
    from safetykit.flows.log_commands import show_command

    show_command(app_context(ctx).session(PASSPHRASE_FIRST), entry_id=entry_id,
                 as_json=as_json, exports=exports)


@app.command("attach")
def attach(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The entry's number.")],
    path: Annotated[Path, typer.Argument(metavar="FILE", help="The file to keep with it.")],
    note: Annotated[
        str, typer.Option("--note", help="What it shows, e.g. 'screenshot shows their number'.")
    ] = "",
) -> None:
    """Keep an exact copy of a file with an entry (encrypted; its SHA-256 is recorded)."""
    from safetykit.flows.log_commands import attach_command

    attach_command(app_context(ctx).session(PASSPHRASE_FIRST), entry_id=entry_id, path=path,
                   note=note)


@app.command("remove")
def remove(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="The entry's number.")],
    yes: Annotated[bool, typer.Option("--yes", help="Remove without asking (scripts).")] = False,
) -> None:
    """Remove an entry and its files. This cannot be undone."""
    from safetykit.flows.log_commands import remove_command

    remove_command(app_context(ctx).session(f"add --yes, and {PASSPHRASE_FIRST}"),
                   entry_id=entry_id, yes=yes)


@app.command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help="pdf, html, md, csv or zip.")] =
    Format.pdf,
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Where to write (Markdown goes to the screen without it)."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Only incidents on or after this day (YYYY-MM-DD).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Only incidents on or before this day (YYYY-MM-DD).")
    ] = None,
    kinds: Annotated[
        list[str] | None, typer.Option("--kind", help="Only this kind (repeat for more).")
    ] = None,
    include_private: Annotated[
        bool,
        typer.Option("--include-private",
                     help="Include 'how it affected me' and private notes (left out otherwise)."),
    ] = False,
    protect: Annotated[
        bool, typer.Option("--protect", help="PDF only: protect the file with a password.")
    ] = False,
    allow_shared: Annotated[
        bool, typer.Option("--allow-shared", "--allow-synced",
                           help="Write even inside a cloud-synced or shared folder.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace a file already there.")] = False,
) -> None:
    """Export the log for an advocate or a court (a record of each export is kept)."""
    from safetykit.flows.log_export import export_command

    session = app_context(ctx).session(
        f"{PASSPHRASE_FIRST} (then the PDF password), or add --allow-shared or --force"
    )
    export_command(session, fmt=fmt.value, output=output, start=start, end=end,
                   kinds=list(kinds or []), include_private=include_private, protect=protect,
                   allow_shared=allow_shared, force=force)
