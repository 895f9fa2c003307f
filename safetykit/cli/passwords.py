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


CsvOption = Annotated[
    Path,
    typer.Option(
        "--csv",
        help="A password-manager or browser export: Chrome, Edge, Firefox, Safari or Apple "
        "Passwords, Bitwarden, 1Password, KeePassXC, KeePass, LastPass, Dashlane (its CSV or "
        "ZIP), NordPass, Proton Pass, Enpass, RoboForm or Keeper. Read in memory, never stored.",
    ),
]
PwnedFileOption = Annotated[
    Path | None,
    typer.Option(
        "--pwned-file",
        help="A downloaded Pwned Passwords file (sorted SHA1:COUNT lines), checked offline.",
    ),
]
OnlineOption = Annotated[
    bool,
    typer.Option(
        "--online",
        help="Check breaches online with Have I Been Pwned: only the first 5 characters of "
        "each password's SHA-1 fingerprint leave this computer.",
    ),
]
ProductOption = Annotated[
    str | None,
    typer.Option(
        "--product",
        help="Which product wrote the file, for exports with no header row (Keeper, Enpass, "
        "old Dashlane, 1Password 7 without labels): keeper, enpass, dashlane, 1password7, …",
    ),
]


@app.command("check")
def check(
    ctx: typer.Context,
    csv: CsvOption,
    pwned_file: PwnedFileOption = None,
    online: OnlineOption = False,
    product: ProductOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """Audit an export file: weak, reused, breached, or built from words your ex knows."""
    from safetykit.flows.password_commands import check_command

    session = app_context(ctx).session("give the passphrase as one line on standard input")
    check_command(
        session, csv=csv, pwned_file=pwned_file, online=online, as_json=as_json, product=product
    )


@app.command("import")
def import_(
    ctx: typer.Context,
    csv: CsvOption,
    pwned_file: PwnedFileOption = None,
    online: OnlineOption = False,
    product: ProductOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Add the logins of an export as accounts (merged with the ones you have; no password is
    kept)."""
    from safetykit.flows.password_commands import import_command

    session = app_context(ctx).session("give the passphrase as one line on standard input")
    import_command(
        session, csv=csv, pwned_file=pwned_file, online=online, as_json=as_json, product=product
    )


@app.command("report")
def report(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """The accounts you added, their risk, the order to change them in, and what is done."""
    from safetykit.flows.password_commands import report_command

    session = app_context(ctx).session("give the passphrase as one line on standard input")
    report_command(session, as_json=as_json)


@app.command("remove")
def remove(
    ctx: typer.Context,
    account_id: Annotated[
        str, typer.Argument(metavar="ID", help="An account id from 'passwords report --json'.")
    ],
) -> None:
    """Forget one account (and any password safetykit kept for it)."""
    from safetykit.flows.password_commands import remove_command

    session = app_context(ctx).session("give the passphrase as one line on standard input")
    remove_command(session, account_id=account_id)
