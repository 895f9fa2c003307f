"""``safetykit log``: the incident log's walk-through, and commands for advocates' scripts."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from safetykit.cli.context import app_context
from safetykit.i18n import N_, _

app = typer.Typer(
    help=N_(
        "A private incident log, with files kept exactly as they were, for you, an advocate or "
        "a court."
    ),
    invoke_without_command=True,
    no_args_is_help=False,
)

PASSPHRASE_FIRST = N_("give the passphrase as the first line on standard input")


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
        _("'safetykit log add --json', 'log list' and 'log export'")
    ) as session:
        run_log(session)


@app.command(
    "add",
    help=N_(
        "Add an entry: questions in a terminal, or one JSON object on standard input (--json). "
        "Nothing is taken from options or arguments, so nothing lands in shell history."
    ),
    short_help=N_("Add an entry."),
)
def add(
    ctx: typer.Context,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help=N_(
                "Read the entry as one JSON object on standard input (keys as in 'log list "
                "--json' and 'log show --json'; 'occurred_at' and 'what_happened' are needed)."
            ),
        ),
    ] = False,
) -> None:
    from safetykit.flows.log_commands import add_command

    session = app_context(ctx).session(
        _(
            "use --json and give the passphrase as the first line on standard input, then the "
            "entry"
        )
    )
    add_command(session, as_json=as_json)


@app.command(
    "list",
    help=N_("The entries, oldest first (nothing is changed)."),
    short_help=N_("The entries, oldest first."),
)
def list_entries(
    ctx: typer.Context,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            # TRANSLATORS: JSON keys: keep them in English.
            help=N_(
                "id, occurred_at, approximate, recorded_at, edited_at, kind, location, summary, "
                "attachments."
            ),
        ),
    ] = False,
) -> None:
    from safetykit.flows.log_commands import list_command

    list_command(app_context(ctx).session(_(PASSPHRASE_FIRST)), as_json=as_json)


@app.command(
    "show",
    help=N_("One entry in full, with when it was written, its changes and its files."),
    short_help=N_("One entry in full."),
)
def show(
    ctx: typer.Context,
    entry_id: Annotated[
        str | None, typer.Argument(metavar="ID", help=N_("The entry's number."))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print JSON."))] = False,
    exports: Annotated[
        bool,
        typer.Option("--exports", help=N_("The exports made so far: when, format, range.")),
    ] = False,
) -> None:
    from safetykit.flows.log_commands import show_command

    show_command(app_context(ctx).session(_(PASSPHRASE_FIRST)), entry_id=entry_id,
                 as_json=as_json, exports=exports)


@app.command(
    "attach",
    help=N_("Keep an exact copy of a file with an entry (encrypted; its SHA-256 is recorded)."),
    short_help=N_("Keep an exact copy of a file with an entry."),
)
def attach(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument(metavar="ID", help=N_("The entry's number."))],
    path: Annotated[
        Path, typer.Argument(metavar="FILE", help=N_("The file to keep with it."))
    ],
    note: Annotated[
        str,
        typer.Option(
            "--note", help=N_("What it shows, e.g. 'screenshot shows their number'.")
        ),
    ] = "",
) -> None:
    from safetykit.flows.log_commands import attach_command

    attach_command(app_context(ctx).session(_(PASSPHRASE_FIRST)), entry_id=entry_id, path=path,
                   note=note)


@app.command(
    "remove",
    help=N_("Remove an entry and its files. This cannot be undone."),
    short_help=N_("Remove an entry and its files."),
)
def remove(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument(metavar="ID", help=N_("The entry's number."))],
    yes: Annotated[
        bool, typer.Option("--yes", help=N_("Remove without asking (scripts)."))
    ] = False,
) -> None:
    from safetykit.flows.log_commands import remove_command

    remove_command(
        app_context(ctx).session(
            _("add --yes, and give the passphrase as the first line on standard input")
        ),
        entry_id=entry_id,
        yes=yes,
    )


@app.command(
    "export",
    help=N_("Export the log for an advocate or a court (a record of each export is kept)."),
    short_help=N_("Export the log for an advocate or a court."),
)
def export(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help=N_("pdf, html, md, csv or zip."))] =
    Format.pdf,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", help=N_("Where to write (Markdown goes to the screen without it).")
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--from", help=N_("Only incidents on or after this day (YYYY-MM-DD).")),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help=N_("Only incidents on or before this day (YYYY-MM-DD).")),
    ] = None,
    kinds: Annotated[
        list[str] | None, typer.Option("--kind", help=N_("Only this kind (repeat for more)."))
    ] = None,
    include_private: Annotated[
        bool,
        typer.Option(
            "--include-private",
            help=N_("Include 'how it affected me' and private notes (left out otherwise)."),
        ),
    ] = False,
    protect: Annotated[
        bool, typer.Option("--protect", help=N_("PDF only: protect the file with a password."))
    ] = False,
    allow_shared: Annotated[
        bool, typer.Option("--allow-shared", "--allow-synced",
                           help=N_("Write even inside a cloud-synced or shared folder."))
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help=N_("Replace a file already there."))
    ] = False,
) -> None:
    from safetykit.flows.log_export import export_command

    session = app_context(ctx).session(
        _(
            "give the passphrase as the first line on standard input (then the PDF password), "
            "or add --allow-shared or --force"
        )
    )
    export_command(session, fmt=fmt.value, output=output, start=start, end=end,
                   kinds=list(kinds or []), include_private=include_private, protect=protect,
                   allow_shared=allow_shared, force=force)
