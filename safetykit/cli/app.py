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

HELP = "safetykit: private, calm help when an ex will not leave you alone."

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
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            metavar="CODE",
            help="Where you are, for this run (US, GB-ENG, GB-SCT, GB-WLS, GB-NIR, IE, CA-ON, "
            "AU, NZ, ZZ for somewhere else, ...): hotlines and legal words follow it. May be "
            "given after the command too. SAFETYKIT_REGION does the same; 'safetykit region' "
            "saves a choice.",
        ),
    ] = None,
) -> None:
    given = ctx.obj.region if isinstance(ctx.obj, AppContext) else None
    ctx.obj = AppContext(plain=wants_plain(plain), region=region or given)
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
app.command("region")(data.region)
app.command("hotlines")(data.hotlines)
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


def _take_region(args: list[str]) -> tuple[list[str], str | None]:
    """``--region CODE`` (or ``--region=CODE``) wherever it is given, before a ``--``."""
    rest: list[str] = []
    region = None
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        if arg == "--region" and index + 1 < len(args):
            region = args[index + 1]
            index += 2
            continue
        if arg.startswith("--region="):
            region = arg.split("=", 1)[1]
            index += 1
            continue
        rest.append(arg)
        index += 1
    return rest, region


def _help_text(region: str | None) -> str:
    """The first lines of ``--help``: the emergency number and the first hotlines where the
    person is (the saved choice, SAFETYKIT_REGION or --region; help that works anywhere if none)."""
    from safetykit.flows.region import help_lines

    try:
        return HELP + "\n\n" + " ".join(help_lines(region))
    except (SafetykitError, OSError, KeyError):
        return HELP


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status (no ``sys.exit``, for tests)."""
    from safetykit.flows.terminal import reset_terminal

    reset_terminal()
    args, region = _take_region(list(argv if argv is not None else sys.argv[1:]))
    command = typer.main.get_command(app)
    if "--help" in args or "-h" in args or not args:
        command.help = _help_text(region)
    plain = wants_plain("--plain" in args)
    try:
        # Typer turns Ctrl-C into exit status 130 and a closed input into Abort.
        result = command.main(args=args, prog_name="safetykit", standalone_mode=False,
                              obj=AppContext(region=region))
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
