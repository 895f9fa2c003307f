"""``status``, ``wipe`` and ``restore``: what is stored, removing it, and going back one step."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from safetykit import __version__
from safetykit.cli.context import app_context
from safetykit.errors import KeyringUnavailableError, NotATerminalError

PROTECTION_WORDS = {
    "keyring": "encrypted, with the key in this computer's keyring",
    "passphrase": "encrypted with your passphrase",
    None: "nothing is stored yet",
}


def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show where safetykit keeps its data, how it is protected, and a summary of each part."""
    from safetykit.core.status import summarise
    from safetykit.flows.access import open_existing
    from safetykit.storage.vault import protection_of

    app = app_context(ctx)
    session = app.session()
    protection = protection_of(session.paths)
    vault = open_existing(session) if protection is not None else None
    report: dict[str, Any] = {
        "version": __version__,
        "data_dir": str(session.paths.root),
        "protection": protection,
        "stored": vault is not None,
        **summarise(vault.state if vault else None),
    }
    if as_json:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    screen = app.screen
    screen.title("What safetykit has stored")
    screen.say(f"Data folder: {report['data_dir']}")
    screen.say(f"Protection: {PROTECTION_WORDS[protection]}")
    for name in ("checklist", "plan", "passwords"):
        screen.say(f"{name.capitalize()}: {_summary_line(report[name])}")


def _summary_line(summary: dict[str, Any] | None) -> str:
    if summary is None:
        return "nothing yet"
    return str(summary.get("line", ""))


def wipe(
    ctx: typer.Context,
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not ask; remove everything (for scripts).")
    ] = False,
) -> None:
    """Remove everything safetykit stored here: the data, its copies and its keyring entries."""
    from safetykit.storage.vault import wipe as wipe_vault

    app = app_context(ctx)
    session = app.session()
    paths = session.paths
    if not yes:
        prompter = session.prompter
        if prompter is None:
            raise NotATerminalError(
                "Removing everything needs a typed confirmation, and there is no terminal here.",
                hint="Run 'safetykit wipe' in a terminal, or add --yes in a script.",
            )
        app.screen.say(
            f"This removes everything safetykit stored in {paths.root}, its earlier copy, and "
            "its keys in the keyring. It cannot be undone. Files you exported are not touched."
        )
        typed = prompter.text("wipe.confirm", "To go ahead, type: remove")
        if typed.strip().lower() != "remove":
            app.screen.say("Nothing was removed.")
            return
    result = wipe_vault(paths)
    if result.left_behind:
        app.screen.say("Your data files were removed, but these keyring entries could not be:")
        app.screen.bullets(result.left_behind)
        raise KeyringUnavailableError(
            "Your data files were removed, but some keyring entries could not be.",
            hint="Unlock the keyring and run 'safetykit wipe' again to finish.",
        )
    if result.removed:
        app.screen.say("Everything safetykit stored here has been removed.")
    else:
        app.screen.say("There was nothing stored here to remove.")


def restore(ctx: typer.Context) -> None:
    """Put back the copy saved before the last change (after damage or a mistake)."""
    from safetykit.storage.vault import restore_backup

    app = app_context(ctx)
    session = app.session()
    restore_backup(session.paths, session.ask_passphrase)
    app.screen.say(
        "The earlier copy is back in place. The file it replaced was kept beside it "
        "with '.damaged' at the end of its name."
    )
