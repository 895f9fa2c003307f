"""``safetykit plan``: the questionnaire, and ``export`` to Markdown, HTML or PDF."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from safetykit.cli.context import app_context
from safetykit.i18n import N_, _

app = typer.Typer(
    help=N_("A guided questionnaire that writes a personal safety plan you can print."),
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

    with app_context(ctx).walkthrough("'safetykit plan export'") as session:
        run_plan(session)


@app.command(
    "export",
    help=N_("Write your plan to a file you control (created readable only by you)."),
    short_help=N_("Write your plan to a file."),
)
def export(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help=N_("md, html or pdf."))] = Format.md,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help=N_(
                "Where to write. Without it, Markdown goes to the screen and HTML or PDF to a "
                "neutrally named file in the current folder."
            ),
        ),
    ] = None,
    protect: Annotated[
        bool,
        typer.Option(
            "--protect",
            help=N_(
                "PDF only: protect the file with a password, typed at a hidden prompt "
                "(or one line on standard input without a terminal)."
            ),
        ),
    ] = False,
    blank: Annotated[
        bool,
        typer.Option("--blank", help=N_("A blank plan to fill in by hand, with the hotlines.")),
    ] = False,
    allow_shared: Annotated[
        bool,
        typer.Option(
            "--allow-shared",
            "--allow-synced",
            help=N_(
                "Write even inside a cloud-synced folder or one others can write to (scripts "
                "only; in a terminal you are asked)."
            ),
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help=N_(
                "Replace a file already at --output (scripts only; in a terminal you are "
                "asked, and the answer is No unless you say yes)."
            ),
        ),
    ] = False,
) -> None:
    from safetykit.flows.plan_export import export_command

    session = app_context(ctx).session(
        _(
            "give what is needed as lines on standard input (the passphrase first, then the PDF "
            "password), or add --allow-shared or --force"
        )
    )
    export_command(
        session,
        fmt=fmt.value,
        output=output,
        protect=protect,
        blank=blank,
        allow_shared=allow_shared,
        force=force,
    )


@app.command(
    "show",
    help=N_("Every question of the plan with its answer (nothing is changed)."),
    short_help=N_("Every question and its answer."),
)
def show(
    ctx: typer.Context,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            # TRANSLATORS: id, section, question, kind, answer, null and options are JSON:
            # keep them in English.
            help=N_(
                "Every question as JSON: id, section, question, kind, answer (null when not "
                "answered), and options for choices."
            ),
        ),
    ] = False,
) -> None:
    from safetykit.flows.plan_commands import show_command

    session = app_context(ctx).session(_("give the passphrase as one line on standard input"))
    show_command(session, as_json=as_json)


@app.command(
    "answer",
    help=N_(
        "Save one answer, read from standard input (never from an argument).\n\n"
        "Text questions take the whole input; lists one entry per line; people one per line as "
        "name, how to reach them and what they know, separated by tabs; choices their option "
        "ids. With a passphrase, it comes first, on a line of its own."
    ),
    short_help=N_("Save one answer, read from standard input."),
)
def answer(
    ctx: typer.Context,
    question_id: Annotated[
        str,
        typer.Argument(
            metavar="QUESTION_ID",
            help=N_("The question's id, from 'safetykit plan show --json'."),
        ),
    ],
    clear: Annotated[
        bool, typer.Option("--clear", help=N_("Remove the answer instead of saving one."))
    ] = False,
) -> None:
    from safetykit.flows.plan_commands import answer_command

    session = app_context(ctx).session(
        _("give the passphrase as the first line on standard input, then the answer")
    )
    answer_command(session, question_id=question_id, clear=clear)
