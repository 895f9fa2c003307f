"""``safetykit plan``: the questionnaire, and ``export`` to Markdown, HTML or PDF."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from safetykit.cli.context import app_context
from safetykit.errors import BadInputError, NotATerminalError

app = typer.Typer(
    help="A guided questionnaire that writes a personal safety plan you can print.",
    invoke_without_command=True,
    no_args_is_help=False,
)


class Format(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"


@app.callback()
def plan(ctx: typer.Context) -> None:
    """Work on your plan, one part at a time. Every answer is saved as you go."""
    if ctx.invoked_subcommand is not None:
        return
    from safetykit.flows.plan import run_plan

    session = app_context(ctx).interactive_session("'safetykit plan export'")
    run_plan(session)


@app.command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help="md, html or pdf.")] = Format.md,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="Where to write. Without it, Markdown goes to the screen and HTML or PDF to a "
            "neutrally named file in the current folder.",
        ),
    ] = None,
    protect: Annotated[
        bool,
        typer.Option(
            "--protect",
            help="PDF only: protect the file with a password, typed at a hidden prompt "
            "(or one line on standard input without a terminal).",
        ),
    ] = False,
    blank: Annotated[
        bool,
        typer.Option("--blank", help="A blank plan to fill in by hand, with the hotlines."),
    ] = False,
    allow_synced: Annotated[
        bool,
        typer.Option(
            "--allow-synced",
            help="Write even inside a cloud-synced or shared folder (scripts only; in a "
            "terminal you are asked).",
        ),
    ] = False,
) -> None:
    """Write your plan to a file you control (created readable only by you)."""
    from safetykit.flows import plan_export
    from safetykit.flows.access import choose_passphrase, open_existing

    app_ctx = app_context(ctx)
    session = app_ctx.session()
    if protect and fmt is not Format.pdf:
        raise BadInputError("Only a PDF can be protected with a password.")
    vault = None if blank else open_existing(session)
    doc = plan_export.build_plan(vault.state if vault else None, blank=blank)
    if output is None and fmt is Format.md:
        sys.stdout.write(plan_export.render(doc, "md").decode("utf-8"))
        return
    path = output.expanduser() if output else plan_export.default_path(fmt.value)
    service = plan_export.synced_service(path)
    if service is not None and not allow_synced:
        warning = plan_export.synced_warning(path, service)
        if session.prompter is None:
            raise BadInputError(warning, hint="Choose another --output, or add --allow-synced.")
        app_ctx.screen.caution(warning)
        if not session.prompter.confirm("plan.export.synced", "Save it there anyway?"):
            app_ctx.screen.say("Nothing was written. Choose another place with --output.")
            return
    password = None
    if protect:
        if session.prompter is not None:
            password = choose_passphrase(
                session.prompter, app_ctx.screen, qid="plan.export.password",
                what="password for the PDF",
            )
        else:
            line = sys.stdin.readline().rstrip("\r\n")
            if not line:
                raise NotATerminalError(
                    "--protect needs a password: type it in a terminal, or give it as one "
                    "line on standard input."
                )
            password = line
    plan_export.write(path, plan_export.render(doc, fmt.value, password))
    app_ctx.screen.say(f"Written to {path} (readable only by you).")
