"""The ``safetykit`` command: Typer wiring only. Options become a flow; errors become one calm
line and an exit code (see ``safetykit.errors.ExitStatus``).

Heavy libraries (questionary, keyring, cryptography, zxcvbn, the PDF writer) are imported inside
the commands that need them, so ``safetykit --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Annotated

import typer

from safetykit import __version__
from safetykit.cli import data
from safetykit.cli.context import AppContext
from safetykit.errors import ExitStatus, SafetykitError
from safetykit.ui.screen import Screen, wants_plain

HELP = (
    "safetykit: private, calm help when an ex will not leave you alone.\n\n"
    "In danger right now? Call 911 (US) or your local emergency number. "
    "National Domestic Violence Hotline: 1-800-799-7233, or text START to 88788."
)

app = typer.Typer(
    name="safetykit",
    help=HELP,
    add_completion=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"safetykit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="Plain output for screen readers: no colour, boxes or arrow-key menus. "
            "NO_COLOR does the same.",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    ctx.obj = AppContext(plain=wants_plain(plain))
    if ctx.invoked_subcommand is not None:
        return
    from safetykit.flows.terminal import terminal

    term = terminal()
    if not (term.stdin_is_tty and term.stdout_is_tty):
        typer.echo(ctx.get_help())
        return
    from safetykit.flows.home import run_home

    with ctx.obj.walkthrough("'safetykit --help'") as session:
        run_home(session)


app.command("status")(data.status)
app.command("wipe")(data.wipe)
app.command("restore")(data.restore)
app.command("protect")(data.protect)


def _register_commands() -> None:
    from safetykit.cli import checklist, log, passwords, plan

    app.add_typer(checklist.app, name="checklist")
    app.add_typer(plan.app, name="plan")
    app.add_typer(passwords.app, name="passwords")
    app.add_typer(log.app, name="log")


_register_commands()


def _quick_exit() -> int:
    """Ctrl-C: clear the screen and the scrollback and leave without a word."""
    from safetykit.flows.terminal import clear_screen

    clear_screen()
    return int(ExitStatus.INTERRUPTED)


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status (no ``sys.exit``, for tests)."""
    from safetykit.flows.terminal import reset_terminal

    reset_terminal()
    command = typer.main.get_command(app)
    plain = wants_plain("--plain" in (argv if argv is not None else sys.argv[1:]))
    try:
        # Typer turns Ctrl-C into exit status 130 and a closed input into Abort.
        result = command.main(args=argv, prog_name="safetykit", standalone_mode=False)
    except KeyboardInterrupt:
        return _quick_exit()
    except typer.Abort:
        Screen(plain=plain).problem(
            "The input ended, so safetykit stopped. What you answered before is saved.",
            "Run safetykit in a terminal to answer its questions.",
        )
        return int(ExitStatus.NOT_A_TERMINAL)
    except SafetykitError as err:
        Screen(plain=plain).problem(err.message, err.hint)
        return int(err.status)
    except typer.TyperException as err:  # usage errors: unknown command, option or value
        show = getattr(err, "show", None)
        if callable(show):
            show()
        else:
            Screen(plain=plain).problem(err.format_message())
        return int(err.exit_code)
    except Exception as err:  # never a traceback: it could hold a secret
        if os.environ.get("SAFETYKIT_DEBUG") == "1":
            raise
        Screen(plain=plain).problem(
            "Something went wrong inside safetykit. Everything saved before this is safe.",
            f"({type(err).__name__}) Please try again; if it keeps happening, tell whoever "
            "helps you with safetykit.",
        )
        return int(ExitStatus.ERROR)
    status = result if isinstance(result, int) else int(ExitStatus.OK)
    if status == ExitStatus.INTERRUPTED:
        return _quick_exit()
    return status


def main() -> None:
    from safetykit.harden import harden_process

    harden_process()
    status = run()
    if status == ExitStatus.INTERRUPTED:
        # Quick exit: the screen is cleared and every answer was saved before the next question.
        # Skip the interpreter's tidy-up (about a tenth of a second) so the program is gone at once.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        os._exit(status)
    sys.exit(status)
