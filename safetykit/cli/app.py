"""The ``safetykit`` command: Typer wiring only. Options become a flow; errors become one calm
line and an exit code (see ``safetykit.errors.ExitStatus``).

Heavy libraries (questionary, keyring, cryptography, zxcvbn, the PDF writer) are imported inside
the commands that need them, so ``safetykit --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from safetykit import __version__
from safetykit.cli import data
from safetykit.cli.context import AppContext
from safetykit.errors import ExitStatus, SafetykitError
from safetykit.i18n import N_, _, current_language
from safetykit.ui.screen import Screen, wants_plain

HELP = N_("safetykit: private, calm help when an ex will not leave you alone.")

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
            help=N_("Plain output for screen readers: no colour, boxes or arrow-key menus "
            "(may be given after the command too). SAFETYKIT_PLAIN=1 does the same; NO_COLOR "
            "only removes colour."),
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True,
                     help=N_("Show the version.")),
    ] = False,
    language: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="CODE",
            help=N_("The language for this run: en or es (may be given after the command too). "
            "SAFETYKIT_LANG does the same; 'safetykit language' saves a choice."),
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            metavar="CODE",
            help=N_("Where you are, for this run (US, GB-ENG, GB-SCT, GB-WLS, GB-NIR, IE, CA-ON, "
            "AU, NZ, ES, MX, ZZ for somewhere else, ...): hotlines and legal words follow it. "
            "May be given after the command too. SAFETYKIT_REGION does the same; "
            "'safetykit region' saves a choice."),
        ),
    ] = None,
) -> None:
    given = ctx.obj if isinstance(ctx.obj, AppContext) else AppContext()
    ctx.obj = AppContext(plain=wants_plain(plain or given.plain), region=region or given.region,
                         language=language or given.language)
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


# Every command has a short help of its own for the command lists: Click would cut a long help
# there with "...", and never cuts an explicit short help.
app.command("status", short_help=N_("Where your data is and how it is protected."))(data.status)
app.command("region", short_help=N_("Show or save where you are."))(data.region)
app.command("language", short_help=N_("Show or save the language (en, es)."))(data.language)
app.command("hotlines", short_help=N_("People to talk to now."))(data.hotlines)
app.command("wipe", short_help=N_("Remove everything safetykit stored here."))(data.wipe)
app.command("restore", short_help=N_("Put back the copy from before the last change."))(
    data.restore
)
app.command("protect", short_help=N_("Choose or change how your data is protected."))(
    data.protect
)


def _register_commands() -> None:
    from safetykit.cli import checklist, device, log, passwords, plan

    app.add_typer(checklist.app, name="checklist",
                  short_help=N_("A tech-safety checklist, one step at a time."))
    app.add_typer(plan.app, name="plan", short_help=N_("A safety plan you can print."))
    app.add_typer(passwords.app, name="passwords",
                  short_help=N_("Which passwords to change first, and how."))
    app.add_typer(log.app, name="log", short_help=N_("A private incident log."))
    app.add_typer(device.app, name="device",
                  short_help=N_("Check a phone for stalkerware and monitoring."))


_register_commands()


def _quick_exit() -> int:
    """Ctrl-C: clear the screen and the scrollback and leave without a word."""
    from safetykit.flows.terminal import clear_screen

    clear_screen()
    return int(ExitStatus.INTERRUPTED)


def _take(option: str, args: list[str]) -> tuple[list[str], str | None]:
    """``--option VALUE`` (or ``--option=VALUE``) wherever it is given, before a ``--``."""
    rest: list[str] = []
    value = None
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        if arg == option and index + 1 < len(args):
            value = args[index + 1]
            index += 2
            continue
        if arg.startswith(option + "="):
            value = arg.split("=", 1)[1]
            index += 1
            continue
        rest.append(arg)
        index += 1
    return rest, value


def _take_flag(flag: str, args: list[str]) -> tuple[list[str], bool]:
    """``--flag`` wherever it is given, before a ``--``: the rest, and whether it was there."""
    end = args.index("--") if "--" in args else len(args)
    rest = [arg for arg in args[:end] if arg != flag] + args[end:]
    return rest, len(rest) != len(args)


class _Argument(typer.core.TyperArgument):
    """An argument as usage lines write it by convention: ``ITEM_ID``, or ``[CODE]`` when it may
    be left out (Typer writes a required one ``{ITEM_ID}``)."""

    def get_usage_pieces(self, ctx: Any) -> list[str]:
        name = self.metavar or (self.name or "").upper()
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return [name if self.required else f"[{name}]"]


def _conventional_usage(command: Any) -> None:
    """Every command's arguments written as ``_Argument`` does."""
    for param in command.params:
        if isinstance(param, typer.core.TyperArgument):
            param.__class__ = _Argument
    for sub in getattr(command, "commands", {}).values():
        _conventional_usage(sub)


def _translate(command: Any) -> None:
    """Every help text of the command tree in the language in use (they are written N_("…"))."""
    from safetykit.i18n import _ as translate

    if command.help:
        command.help = translate(command.help)
    if command.short_help:
        command.short_help = translate(command.short_help)
    if getattr(command, "epilog", None):
        command.epilog = translate(command.epilog)
    for param in command.params:
        text = getattr(param, "help", None)
        if isinstance(text, str) and text:
            param.help = translate(text)
    for sub in getattr(command, "commands", {}).values():
        _translate(sub)


# Typer's Click is vendored without gettext: the few English words it writes into help are
# replaced here when another language is in use (its usage errors are reworded below).
_HELP_WORDS = (
    ("Usage: ", N_("Usage: ")),
    ("Show this message and exit.", N_("Show this message and exit.")),
    ("Show the version.", N_("Show the version.")),
)


@contextlib.contextmanager
def _help_in_the_language(wanted: bool) -> Iterator[None]:
    """While help is printed in another language, catch it and put its few fixed English words
    into that language."""
    if not wanted:
        yield
        return
    caught = io.StringIO()
    real = sys.stdout
    sys.stdout = caught
    try:
        yield
    finally:
        sys.stdout = real
        text = caught.getvalue()
        for english, marked in _HELP_WORDS:
            text = text.replace(english, _(marked))
        real.write(text)


def _usage_problem(err: Exception) -> tuple[str, str]:
    """A usage error said in the language in use (Typer's own message is English)."""
    hint = _("'safetykit --help' shows the commands and what each one takes.")
    name = getattr(err, "option_name", None)
    kind = type(err).__name__
    if kind == "NoSuchOption" and name:
        return _("safetykit has no option {option}.").format(option=name), hint
    if kind == "MissingParameter":
        param = getattr(err, "param", None)
        what = getattr(param, "name", None) or "?"
        return _("Something is missing: {what}.").format(what=str(what).upper()), hint
    if kind in ("BadParameter", "BadOptionUsage", "BadArgumentUsage"):
        return _("One of the values given does not fit here."), hint
    message = getattr(err, "message", "") or ""
    # Typer says this one through gettext, so it may already be in the language in use.
    import gettext

    said = re.escape(gettext.gettext("No such command {name!r}.")).replace(
        re.escape("{name!r}"), "'([^']*)'"
    )
    match = re.search(r"No such command '([^']*)'", str(message)) or re.search(said, str(message))
    if match:
        return _("safetykit has no command {name}.").format(name=repr(match[1])), hint
    return _("The command line is not one safetykit understands."), hint


def _input_ended() -> tuple[str, str]:
    """What to say when the input ended mid-question: in a terminal that was Ctrl-D (the person
    is at a terminal already); otherwise the questions had nowhere to be answered."""
    from safetykit.flows.terminal import terminal

    if terminal().stdin_is_tty:
        return (
            _("Ctrl-D ended the input, so safetykit stopped. What you answered before is saved."),
            _("Run the same command again to go on."),
        )
    return (
        _("The input ended, so safetykit stopped. What you answered before is saved."),
        _("Run safetykit in a terminal to answer its questions."),
    )


def _speak(option: str | None) -> None:
    """Speak the language chosen (option, environment, saved) from the first word: usage errors
    and help come before any session exists. A wrong --lang is said by the session later."""
    from safetykit.flows.language import speak_for_this_run

    speak_for_this_run(option)


def _help_text(region: str | None) -> str:
    """The first lines of ``--help``: the emergency number and the first hotlines where the
    person is (the saved choice, SAFETYKIT_REGION or --region; help that works anywhere if none)."""
    from safetykit.flows.region import help_lines

    try:
        return _(HELP) + "\n\n" + " ".join(help_lines(region))
    except (SafetykitError, OSError, KeyError):
        return _(HELP)


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status (no ``sys.exit``, for tests)."""
    from safetykit.flows.terminal import reset_terminal

    reset_terminal()
    args, region = _take("--region", list(argv if argv is not None else sys.argv[1:]))
    args, language = _take("--lang", args)
    args, plain_given = _take_flag("--plain", args)
    _speak(language)
    command = typer.main.get_command(app)
    _conventional_usage(command)
    if "--help" in args or "-h" in args or not args:
        _translate(command)
        command.help = _help_text(region)
    plain = wants_plain(plain_given)
    english = current_language() == "en"
    try:
        # Typer turns Ctrl-C into exit status 130 and a closed input into Abort.
        with _help_in_the_language(not english and ("--help" in args or "-h" in args)):
            result = command.main(args=args, prog_name="safetykit", standalone_mode=False,
                                  obj=AppContext(plain=plain, region=region,
                                                 language=language))
    except KeyboardInterrupt:
        return _quick_exit()
    except typer.Abort:
        Screen(plain=plain).problem(*_input_ended())
        return int(ExitStatus.NOT_A_TERMINAL)
    except SafetykitError as err:
        Screen(plain=plain).problem(err.message, err.hint)
        return int(err.status)
    except typer.TyperException as err:  # usage errors: unknown command, option or value
        show = getattr(err, "show", None)
        if not english:
            Screen(plain=plain).problem(*_usage_problem(err))
        elif callable(show):
            show()
        else:
            Screen(plain=plain).problem(err.format_message())
        return int(err.exit_code)
    except Exception as err:  # never a traceback: it could hold a secret
        if os.environ.get("SAFETYKIT_DEBUG") == "1":
            raise
        Screen(plain=plain).problem(
            _("Something went wrong inside safetykit. Everything saved before this is safe."),
            _("({kind}) Please try again; if it keeps happening, tell whoever helps you with "
              "safetykit.").format(kind=type(err).__name__),
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
