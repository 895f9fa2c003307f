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


def restore(
    ctx: typer.Context,
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not ask; put the earlier copy back (for scripts).")
    ] = False,
) -> None:
    """Put back the copy saved before the last change; running it again undoes it."""
    from safetykit.flows.data import restore_command

    session = app_context(ctx).session("add --yes in a script")
    restore_command(session, yes=yes)


def protect(
    ctx: typer.Context,
    keyring: Annotated[
        bool,
        typer.Option(
            "--keyring",
            help="Keep the key in this computer's keyring (anyone who can log in as you can "
            "open it). With data already protected this way: a fresh key.",
        ),
    ] = False,
    passphrase: Annotated[
        bool,
        typer.Option(
            "--passphrase",
            help="Protect the data with a passphrase; with one already: change it. From a "
            "script, the passphrases come one per line on standard input (the current one "
            "first, where there is one, then the new one).",
        ),
    ] = False,
) -> None:
    """Choose how your data is protected, or change it (every change makes a fresh key)."""
    from safetykit.flows.protection import protect_command

    session = app_context(ctx).session(
        "use 'safetykit protect --passphrase' or '--keyring', with the passphrases on "
        "standard input"
    )
    protect_command(session, keyring=keyring, passphrase=passphrase)


def region(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(metavar="CODE", help="Where you are: US, GB-ENG, GB-SCT, GB-WLS, GB-NIR, "
                       "IE, CA-ON (or another province), AU, NZ, or ZZ for somewhere else."),
    ] = None,
) -> None:
    """Show where safetykit thinks you are, or save where you are (hotlines and legal words
    follow it)."""
    from safetykit.flows.region import region_command, resolve

    context = app_context(ctx)
    session = context.session("give the place as an argument")
    region_command(session, code=code, chosen=resolve(session.paths, context.region))


def hotlines(
    ctx: typer.Context,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="name, call, text, chat, hours, languages, region, checked, "
                     "source for each."),
    ] = False,
) -> None:
    """People to talk to now, where you are (--region for another place)."""
    from safetykit.flows.hotlines import hotlines_command

    hotlines_command(app_context(ctx).session("use --json"), as_json=as_json)
