"""``safetykit passwords``: the walk-through, ``check`` for an export file, and ``report``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from safetykit.cli.context import app_context

app = typer.Typer(
    help="Which passwords to change first, and a walk-through for each account.",
    invoke_without_command=True,
    no_args_is_help=False,
)


@app.callback()
def passwords(ctx: typer.Context) -> None:
    """Go through your accounts and change passwords in the order that matters."""
    if ctx.invoked_subcommand is not None:
        return
    from safetykit.flows.passwords import run_passwords

    with app_context(ctx).walkthrough(
        "'safetykit passwords check --csv FILE' and 'safetykit passwords report'"
    ) as session:
        run_passwords(session)


@app.command("check")
def check(
    ctx: typer.Context,
    csv: Annotated[
        Path,
        typer.Option(
            "--csv",
            help="A password-manager or browser export (Chrome, Edge, Firefox, Safari, Bitwarden, "
            "1Password, KeePassXC, LastPass). Checked in memory, never stored.",
        ),
    ],
    pwned_file: Annotated[
        Path | None,
        typer.Option(
            "--pwned-file",
            help="A downloaded Pwned Passwords file (sorted SHA1:COUNT lines), checked offline.",
        ),
    ] = None,
    online: Annotated[
        bool,
        typer.Option(
            "--online",
            help="Check breaches online with Have I Been Pwned: only the first 5 characters of "
            "each password's SHA-1 fingerprint leave this computer.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """Audit an export file: weak, reused, breached, or built from words your ex knows."""
    from safetykit.flows.password_commands import check_command

    session = app_context(ctx).session("give the passphrase as one line on standard input")
    check_command(session, csv=csv, pwned_file=pwned_file, online=online, as_json=as_json)


@app.command("report")
def report(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """The accounts you added, their risk, the order to change them in, and what is done."""
    from safetykit.flows.password_commands import report_command

    session = app_context(ctx).session("give the passphrase as one line on standard input")
    report_command(session, as_json=as_json)
