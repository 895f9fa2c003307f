"""``safetykit passwords``: the walk-through, ``check`` for an export file, and ``report``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from safetykit.cli.context import app_context
from safetykit.i18n import N_, _

app = typer.Typer(
    help=N_("Which passwords to change first, and a walk-through for each account."),
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
        _("'safetykit passwords check --csv FILE' and 'safetykit passwords report'")
    ) as session:
        run_passwords(session)


CsvOption = Annotated[
    Path,
    typer.Option(
        "--csv",
        help=N_(
            "A password-manager or browser export: Chrome, Edge, Firefox, Safari or Apple "
            "Passwords, Bitwarden, 1Password, KeePassXC, KeePass, LastPass, Dashlane (its CSV or "
            "ZIP), NordPass, Proton Pass, Enpass, RoboForm or Keeper. Read in memory, never "
            "stored."
        ),
    ),
]
PwnedFileOption = Annotated[
    Path | None,
    typer.Option(
        "--pwned-file",
        help=N_(
            "A downloaded Pwned Passwords file (sorted SHA1:COUNT lines), checked offline."
        ),
    ),
]
OnlineOption = Annotated[
    bool,
    typer.Option(
        "--online",
        help=N_(
            "Check breaches online with Have I Been Pwned: only the first 5 characters of "
            "each password's SHA-1 fingerprint leave this computer."
        ),
    ),
]
ProductOption = Annotated[
    str | None,
    typer.Option(
        "--product",
        help=N_(
            "Which product wrote the file, for exports with no header row (Keeper, Enpass, "
            "old Dashlane, 1Password 7 without labels): keeper, enpass, dashlane, 1password7, …"
        ),
    ),
]


@app.command(
    "check",
    help=N_("Audit an export file: weak, reused, breached, or built from words your ex knows."),
    short_help=N_("Check the passwords in an export file."),
)
def check(
    ctx: typer.Context,
    csv: CsvOption,
    pwned_file: PwnedFileOption = None,
    online: OnlineOption = False,
    product: ProductOption = None,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print a JSON list."))] = False,
) -> None:
    from safetykit.flows.password_commands import check_command

    session = app_context(ctx).session(_("give the passphrase as one line on standard input"))
    check_command(
        session, csv=csv, pwned_file=pwned_file, online=online, as_json=as_json, product=product
    )


@app.command(
    "import",
    help=N_(
        "Add the logins of an export as accounts (merged with the ones you have; no password is "
        "kept)."
    ),
    short_help=N_("Add the logins of an export as accounts."),
)
def import_(
    ctx: typer.Context,
    csv: CsvOption,
    pwned_file: PwnedFileOption = None,
    online: OnlineOption = False,
    product: ProductOption = None,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print one JSON object."))] = False,
) -> None:
    from safetykit.flows.password_commands import import_command

    session = app_context(ctx).session(_("give the passphrase as one line on standard input"))
    import_command(
        session, csv=csv, pwned_file=pwned_file, online=online, as_json=as_json, product=product
    )


@app.command(
    "report",
    help=N_("The accounts you added, their risk, the order to change them in, and what is done."),
    short_help=N_("Your accounts, in the order to change them."),
)
def report(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print a JSON list."))] = False,
) -> None:
    from safetykit.flows.password_commands import report_command

    session = app_context(ctx).session(_("give the passphrase as one line on standard input"))
    report_command(session, as_json=as_json)


@app.command(
    "remove",
    help=N_("Forget one account (and any password safetykit kept for it)."),
    short_help=N_("Forget one account."),
)
def remove(
    ctx: typer.Context,
    account_id: Annotated[
        str,
        typer.Argument(metavar="ID", help=N_("An account id from 'passwords report --json'.")),
    ],
) -> None:
    from safetykit.flows.password_commands import remove_command

    session = app_context(ctx).session(_("give the passphrase as one line on standard input"))
    remove_command(session, account_id=account_id)
