"""``safetykit device``: the phone check's walk-through, ``check`` for scripts and clinics, and
``update-indicators`` for a newer copy of the stalkerware lists."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from safetykit.cli.context import app_context
from safetykit.i18n import N_, _

CREDIT = N_(
    "Stalkerware lists: Echap's stalkerware-indicators "
    "(https://github.com/AssoEchap/stalkerware-indicators), licensed CC BY 4.0 "
    "(https://creativecommons.org/licenses/by/4.0/); the copy shipped with safetykit is from "
    "2026-06-21. No scan proves a phone is clean."
)
"""Shown under the help (tests/test_device_indicators.py keeps the date equal to the data's)."""

app = typer.Typer(
    help=N_("Check an Android phone for stalkerware and monitoring (it only reads), or walk "
            "through an iPhone's own settings."),
    epilog=CREDIT,
    invoke_without_command=True,
    no_args_is_help=False,
)


@app.callback()
def device(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from safetykit.flows.device import run_device

    with app_context(ctx).walkthrough(_("'safetykit device check --consent'")) as session:
        run_device(session)


@app.command(
    "check",
    help=N_("Check the Android phone attached over USB (with USB debugging on) and print what "
            "was found. It only reads: nothing on the phone is changed, and nothing is kept "
            "unless you add --save."),
    short_help=N_("Check an Android phone attached over USB."),
    epilog=CREDIT,
)
def check(
    ctx: typer.Context,
    as_json: Annotated[
        bool,
        typer.Option("--json", help=N_("Print JSON: the phone's make, model and Android "
                                       "version, the lists' date, and each finding's kind, "
                                       "package, app, severity, why and what_you_can_do.")),
    ] = False,
    serial: Annotated[
        str | None,
        typer.Option("--serial", metavar="SERIAL",
                     help=N_("Which phone, when several are attached ('adb devices -l' lists "
                             "them).")),
    ] = None,
    consent: Annotated[
        bool,
        typer.Option("--consent", help=N_("The phone's owner is here and agrees to the check "
                                          "(needed without a terminal).")),
    ] = False,
    save: Annotated[
        bool,
        typer.Option("--save", help=N_("Keep what was found (never the phone's data) in the "
                                       "encrypted vault.")),
    ] = False,
) -> None:
    from safetykit.flows.device_commands import check_command

    session = app_context(ctx).session(_("add --consent (and --serial when several phones "
                                         "are attached)"))
    check_command(session, as_json=as_json, serial=serial, consent=consent, save=save)


@app.command(
    "update-indicators",
    help=N_("Use a newer copy of the stalkerware lists: give Echap's ioc.yaml and/or "
            "watchware.yaml as downloaded. They are checked before use; a copy that lost many "
            "apps is refused."),
    short_help=N_("Use a newer copy of the stalkerware lists."),
    epilog=CREDIT,
)
def update_indicators(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help=N_("ioc.yaml, watchware.yaml, or both.")),
    ],
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD",
                     help=N_("The day this copy was published or downloaded (default: the "
                             "files' own date).")),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help=N_("Use it even if it lists fewer apps than the copy in "
                                        "use, or is not newer.")),
    ] = False,
) -> None:
    from safetykit.flows.device_commands import update_indicators_command

    session = app_context(ctx).session(_("give the files as arguments"))
    update_indicators_command(session, files=files, date=date, force=force)
