"""``status``, ``wipe`` and ``restore``: what is stored, removing it, and going back one step."""

from __future__ import annotations

from typing import Annotated

import typer

from safetykit.cli.context import app_context, described
from safetykit.i18n import N_, _

# The commands' --help texts are set with ``described``: cli/app.py registers these functions.


@described(
    N_("Show where safetykit keeps its data, how it is protected, and a summary of each part.")
)
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=N_("Print one JSON object."))] = False,
) -> None:
    from safetykit.flows.data import status_command

    session = app_context(ctx).session(_("give the passphrase as one line on standard input"))
    status_command(session, as_json=as_json)


@described(
    N_("Remove everything safetykit stored here: the data, its copies and its keyring entries.")
)
def wipe(
    ctx: typer.Context,
    yes: Annotated[
        bool, typer.Option("--yes", help=N_("Do not ask; remove everything (for scripts)."))
    ] = False,
) -> None:
    from safetykit.flows.data import wipe_command

    session = app_context(ctx).session(_("add --yes in a script"))
    wipe_command(session, yes=yes)


@described(N_("Put back the copy saved before the last change; running it again undoes it."))
def restore(
    ctx: typer.Context,
    yes: Annotated[
        bool,
        typer.Option("--yes", help=N_("Do not ask; put the earlier copy back (for scripts).")),
    ] = False,
) -> None:
    from safetykit.flows.data import restore_command

    session = app_context(ctx).session(_("add --yes in a script"))
    restore_command(session, yes=yes)


@described(
    N_("Choose how your data is protected, or change it (every change makes a fresh key).")
)
def protect(
    ctx: typer.Context,
    keyring: Annotated[
        bool,
        typer.Option(
            "--keyring",
            help=N_(
                "Keep the key in this computer's keyring (anyone who can log in as you can "
                "open it). With data already protected this way: a fresh key."
            ),
        ),
    ] = False,
    passphrase: Annotated[
        bool,
        typer.Option(
            "--passphrase",
            help=N_(
                "Protect the data with a passphrase; with one already: change it. From a "
                "script, the passphrases come one per line on standard input (the current one "
                "first, where there is one, then the new one)."
            ),
        ),
    ] = False,
) -> None:
    from safetykit.flows.protection import protect_command

    session = app_context(ctx).session(
        _(
            "use 'safetykit protect --passphrase' or '--keyring', with the passphrases on "
            "standard input"
        )
    )
    protect_command(session, keyring=keyring, passphrase=passphrase)


@described(
    N_(
        "Show where safetykit thinks you are, or save where you are (hotlines and legal words "
        "follow it)."
    )
)
def region(
    ctx: typer.Context,
    code: Annotated[
        str | None,
        typer.Argument(
            metavar="CODE",
            help=N_(
                "Where you are: US, GB-ENG, GB-SCT, GB-WLS, GB-NIR, IE, CA-ON (or another "
                "province), AU, NZ, ES, MX, or ZZ for somewhere else."
            ),
        ),
    ] = None,
) -> None:
    from safetykit.flows.region import region_command, resolve

    context = app_context(ctx)
    session = context.session(_("give the place as an argument"))
    region_command(session, code=code, chosen=resolve(session.paths, context.region))


@described(N_("People to talk to now, where you are (--region for another place)."))
def hotlines(
    ctx: typer.Context,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            # TRANSLATORS: the words before "for each" are JSON keys: keep them in English.
            help=N_(
                "name, call, text, chat, hours, languages, region, checked, source for each."
            ),
        ),
    ] = False,
) -> None:
    from safetykit.flows.hotlines import hotlines_command

    hotlines_command(app_context(ctx).session(_("use --json")), as_json=as_json)


@described(N_("Show which language safetykit speaks, or save one (en, es)."))
def language(
    ctx: typer.Context,
    code: Annotated[
        str | None, typer.Argument(metavar="CODE", help=N_("en (English) or es (español).")),
    ] = None,
) -> None:
    from safetykit.flows.language import language_command, resolve

    context = app_context(ctx)
    session = context.session(_("give the language as an argument"))
    language_command(session, code=code, chosen=resolve(session.paths, context.language))
