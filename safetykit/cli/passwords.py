"""``safetykit passwords``: the walk-through, ``check`` for an export file, and ``report``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from safetykit.cli.context import app_context

app = typer.Typer(
    help="Which passwords to change first, and a walk-through for each account.",
    invoke_without_command=True,
    no_args_is_help=False,
)

EXPORT_WARNING = (
    "That export file holds every password in plain text: anyone who opens this computer "
    "could read them all."
)


@app.callback()
def passwords(ctx: typer.Context) -> None:
    """Go through your accounts and change passwords in the order that matters."""
    if ctx.invoked_subcommand is not None:
        return
    from safetykit.flows.passwords import run_passwords

    session = app_context(ctx).interactive_session(
        "'safetykit passwords check --csv FILE' and 'safetykit passwords report'"
    )
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
    from safetykit.flows.access import open_existing
    from safetykit.passwords.check import audit_entries
    from safetykit.passwords.importers import read_export
    from safetykit.passwords.records import PasswordsState

    app_ctx = app_context(ctx)
    result = read_export(csv)
    session = app_ctx.session()
    vault = open_existing(session)
    known = (
        PasswordsState.from_state(vault.section("passwords")).all_known_words() if vault else []
    )
    if pwned_file is not None:
        from safetykit.passwords.pwned_file import PwnedFile

        with PwnedFile(pwned_file) as pwned:
            rows = audit_entries(result.entries, known, pwned.count)
    elif online:
        from safetykit.flows.passwords import pwned_api_url
        from safetykit.passwords.pwned_api import PwnedApiClient

        client = PwnedApiClient(pwned_api_url())
        _err(f"Checking {len(result.entries)} passwords online; only short fingerprints are sent.")
        rows = audit_entries(result.entries, known, client.count)
    else:
        rows = audit_entries(result.entries, known)
    if as_json:
        typer.echo(json.dumps([row.to_json() for row in rows], indent=2, ensure_ascii=False))
    else:
        _print_rows(app_ctx, result.layout_label, rows)
    _offer_to_delete(app_ctx, session.prompter, csv)


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _print_rows(app_ctx: Any, layout: str, rows: list[Any]) -> None:
    screen = app_ctx.screen
    flagged = [r for r in rows if r.weak or r.reused or r.breached or r.known_words]
    screen.title(f"{len(rows)} logins from a {layout} export; {len(flagged)} need attention")
    for row in rows:
        problems = []
        if row.score is None:
            problems.append("no password saved")
        if row.weak:
            problems.append(f"weak ({row.score} of 4)")
        if row.reused:
            problems.append(f"used for {row.reused} other login(s)")
        if row.breached:
            problems.append(f"seen {row.breached:,} times in breaches")
        if row.known_words:
            problems.append("contains words your ex knows: " + ", ".join(row.known_words))
        name = row.title or row.url or "(no name)"
        who = f" ({row.username})" if row.username else ""
        screen.say(f"- {name}{who}: {'; '.join(problems) if problems else 'looks fine'}")


def _offer_to_delete(app_ctx: Any, prompter: Any, path: Path) -> None:
    if prompter is None:
        _err(f"{EXPORT_WARNING} When you are done, delete {path} (and empty the bin).")
        return
    app_ctx.screen.say(EXPORT_WARNING)
    if prompter.confirm("passwords.check.delete", f"Delete {path} now?", default=True):
        try:
            path.unlink()
        except OSError as exc:
            app_ctx.screen.say(f"It could not be deleted ({exc.strerror}). Please delete it.")
            return
        app_ctx.screen.say("Deleted. If it was ever in a bin or a synced folder, empty those too.")


@app.command("report")
def report(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """The accounts you added, their risk, the order to change them in, and what is done."""
    from safetykit.flows.access import open_existing
    from safetykit.passwords.records import PasswordsState, report_rows

    app_ctx = app_context(ctx)
    vault = open_existing(app_ctx.session())
    state = PasswordsState.from_state(vault.section("passwords") if vault else {})
    rows = report_rows(state)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    screen = app_ctx.screen
    if not rows:
        screen.say("No accounts yet. 'safetykit passwords' helps you add them.")
        return
    screen.title("Accounts, in the order to change them")
    for row in rows:
        state_word = f"changed {row['rotated']}" if row["rotated"] else f"{row['risk']} risk"
        screen.say(f"{row['position']}. {row['label']} ({state_word}): {row['reason']}")
