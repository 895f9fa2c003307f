"""Every question safetykit asks goes through a ``Prompter``.

This is the ONLY module that imports questionary (and prompt_toolkit). The prompters share one
contract:

- ``QuestionaryPrompter``: arrow keys and shortcut keys, for most people.
- ``PlainPrompter``: numbered choices typed as text, one line at a time: works with screen readers
  and never traps anyone in arrow-only navigation (``--plain``).
- ``NoQuestions``: where no question can be asked (no terminal): every question is refused with
  a clear error that names the scriptable form to use instead.

Which one a command gets, and which stream its questions are written to, is decided once, by the
session (``safetykit.flows.session``). Test doubles live under ``tests/``.

Ctrl-C is never an answer: every prompter lets ``KeyboardInterrupt`` through, and the command
layer turns it into a quick exit. "Talk to someone now" is one key away at every question: the
``h`` choice in lists, or ``?`` typed as an answer; both show the hotlines and ask again.
"""

from __future__ import annotations

import getpass
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from safetykit.errors import NotATerminalError
from safetykit.ui.text import clean, one_line

HELP_VALUE = "__talk_to_someone__"
HELP_KEY = "h"
HELP_TEXT = "?"
HELP_LABEL = "Talk to someone now (hotlines)"


@dataclass(frozen=True)
class Option:
    """One choice: the value returned, what the person reads, an optional shortcut key."""

    value: str
    label: str
    key: str | None = None


class Prompter(ABC):
    """Asks questions. Subclasses implement the ``_ask_*`` methods; help handling lives here."""

    def __init__(self, on_help: Callable[[], None] | None = None) -> None:
        self.on_help = on_help

    # -- the public contract -------------------------------------------------------------------
    def select(
        self, qid: str, message: str, options: Sequence[Option], default: str | None = None
    ) -> str:
        offered = list(options)
        if self.on_help is not None:
            offered.append(Option(HELP_VALUE, HELP_LABEL, HELP_KEY))
        while True:
            answer = self._ask_select(qid, message, offered, default)
            if answer == HELP_VALUE and self.on_help is not None:
                self.on_help()
                continue
            if answer not in {o.value for o in options}:
                raise ValueError(f"{answer!r} is not a choice for {qid}")
            return answer

    def multiselect(
        self, qid: str, message: str, options: Sequence[Option], default: Iterable[str] = ()
    ) -> list[str]:
        current = list(default)
        while True:
            chosen = self._ask_multiselect(qid, message, list(options), current)
            if chosen == HELP_VALUE:
                if self.on_help is not None:
                    self.on_help()
                continue
            allowed = {o.value for o in options}
            return [value for value in chosen if value in allowed]

    def text(self, qid: str, message: str, default: str = "") -> str:
        while True:
            answer = self._ask_text(qid, message, default)
            if answer.strip() == HELP_TEXT and self.on_help is not None:
                self.on_help()
                continue
            return clean(answer)

    def confirm(self, qid: str, message: str, default: bool = False) -> bool:
        while True:
            answer = self._ask_confirm(qid, message, default)
            if answer == HELP_VALUE:
                if self.on_help is not None:
                    self.on_help()
                continue
            return bool(answer)

    def secret(self, qid: str, message: str) -> str:
        """A hidden answer (passphrase, password). Never echoed, never logged."""
        return self._ask_secret(qid, message)

    # -- implementations -----------------------------------------------------------------------
    @abstractmethod
    def _ask_select(
        self, qid: str, message: str, options: list[Option], default: str | None
    ) -> str: ...

    @abstractmethod
    def _ask_multiselect(
        self, qid: str, message: str, options: list[Option], default: list[str]
    ) -> list[str] | str: ...

    @abstractmethod
    def _ask_text(self, qid: str, message: str, default: str) -> str: ...

    @abstractmethod
    def _ask_confirm(self, qid: str, message: str, default: bool) -> bool | str: ...

    @abstractmethod
    def _ask_secret(self, qid: str, message: str) -> str: ...


class QuestionaryPrompter(Prompter):
    """Arrow keys and shortcut keys, through questionary's ``unsafe_ask`` (Ctrl-C raises)."""

    def __init__(
        self,
        on_help: Callable[[], None] | None = None,
        *,
        input: Any = None,
        output: Any = None,
        stream: TextIO | None = None,
    ) -> None:
        super().__init__(on_help)
        # prompt_toolkit input/output: pipe input and a dummy output in tests; otherwise the
        # keyboard, with the question drawn on ``stream`` (the terminal, never stdout).
        self._io: dict[str, Any] = {}
        if input is not None:
            self._io["input"] = input
        if output is not None:
            self._io["output"] = output
        elif stream is not None:
            from prompt_toolkit.output import create_output

            self._io["output"] = create_output(stdout=stream)

    @staticmethod
    def _keys(options: Sequence[Option]) -> list[str]:
        used = {o.key for o in options if o.key}
        pool = [k for k in "123456789abcdefgilmnopqrstuvwxyz" if k not in used]
        keys: list[str] = []
        for option in options:
            keys.append(option.key if option.key else (pool.pop(0) if pool else ""))
        return keys

    def _ask_select(
        self, qid: str, message: str, options: list[Option], default: str | None
    ) -> str:
        import questionary

        keys = self._keys(options)
        shortcuts = len(options) <= 36 and all(keys)
        choices = [
            questionary.Choice(clean(o.label), value=o.value, shortcut_key=k if shortcuts else None)
            for o, k in zip(options, keys, strict=True)
        ]
        selected = next((c for c in choices if c.value == default), None)
        answer = questionary.select(
            clean(message),
            choices=choices,
            default=selected,
            use_shortcuts=shortcuts,
            use_jk_keys=False,
            instruction="(arrows or a key, then Enter)" if shortcuts else "(arrows, then Enter)",
            **self._io,
        ).unsafe_ask()
        return str(answer)

    def _ask_multiselect(
        self, qid: str, message: str, options: list[Option], default: list[str]
    ) -> list[str]:
        import questionary

        choices = [
            questionary.Choice(clean(o.label), value=o.value, checked=o.value in default)
            for o in options
        ]
        question = questionary.checkbox(
            clean(message),
            choices=choices,
            instruction="(Space to tick, Enter when done, h for hotlines)"
            if self.on_help
            else "(Space to tick, Enter when done)",
            **self._io,
        )
        answer = self._with_help_key(question).unsafe_ask()
        return answer if answer == HELP_VALUE else [str(v) for v in answer]

    def _ask_text(self, qid: str, message: str, default: str) -> str:
        import questionary

        return str(questionary.text(clean(message), default=default, **self._io).unsafe_ask())

    def _ask_confirm(self, qid: str, message: str, default: bool) -> bool | str:
        import questionary

        question = questionary.confirm(clean(message), default=default, **self._io)
        answer = self._with_help_key(question).unsafe_ask()
        return answer if answer == HELP_VALUE else bool(answer)

    def _with_help_key(self, question: Any) -> Any:
        """Let ``h`` and ``?`` leave the question with the hotline request (lists, yes/no)."""
        if self.on_help is None:
            return question
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

        extra = KeyBindings()

        def ask_for_help(event: Any) -> None:
            event.app.exit(result=HELP_VALUE)

        for key in (HELP_KEY, HELP_TEXT):
            extra.add(key, eager=True)(ask_for_help)
        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings, extra])
        return question

    def _ask_secret(self, qid: str, message: str) -> str:
        import questionary

        return str(questionary.password(clean(message), **self._io).unsafe_ask())


class PlainPrompter(Prompter):
    """One line at a time, numbered choices: friendly to screen readers and simple terminals."""

    def __init__(
        self,
        on_help: Callable[[], None] | None = None,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
    ) -> None:
        super().__init__(on_help)
        self._in = stdin
        self._out = stdout

    @property
    def _stdin(self) -> TextIO:
        return self._in or sys.stdin

    @property
    def _stdout(self) -> TextIO:
        # Questions never go to standard output: that belongs to the command's own output.
        return self._out or sys.stderr

    def _say(self, text: str) -> None:
        self._stdout.write(text + "\n")
        self._stdout.flush()

    def _line(self, prompt: str) -> str:
        self._stdout.write(prompt)
        self._stdout.flush()
        line = self._stdin.readline()
        if line == "":
            raise EOFError("input ended")
        return line.rstrip("\r\n")

    def _ask_select(
        self, qid: str, message: str, options: list[Option], default: str | None
    ) -> str:
        self._say(clean(message))
        by_key: dict[str, str] = {}
        number = 0
        for option in options:
            if option.key == HELP_KEY and option.value == HELP_VALUE:
                key = HELP_KEY
            else:
                number += 1
                key = str(number)
            by_key[key] = option.value
            mark = " (current)" if option.value == default else ""
            self._say(f"  {key}. {clean(option.label)}{mark}")
        while True:
            answer = self._line("Type a number and press Enter: ").strip().lower()
            if answer == "" and default is not None:
                return default
            if answer in by_key:
                return by_key[answer]
            if answer == HELP_TEXT and HELP_KEY in by_key:
                return by_key[HELP_KEY]
            self._say("That is not one of the numbers above. Please try again.")

    def _ask_multiselect(
        self, qid: str, message: str, options: list[Option], default: list[str]
    ) -> list[str] | str:
        self._say(clean(message))
        for number, option in enumerate(options, start=1):
            mark = " (chosen)" if option.value in default else ""
            self._say(f"  {number}. {clean(option.label)}{mark}")
        while True:
            answer = self._line(
                "Type the numbers that apply, separated by spaces, or press Enter for none: "
            ).strip()
            if answer == "" and default:
                return default
            if answer == HELP_TEXT:
                return HELP_VALUE
            parts = answer.replace(",", " ").split()
            if all(p.isdigit() and 1 <= int(p) <= len(options) for p in parts):
                picked = {int(p) for p in parts}
                return [o.value for n, o in enumerate(options, start=1) if n in picked]
            self._say("Please use only the numbers shown, for example: 1 3")

    def _ask_text(self, qid: str, message: str, default: str) -> str:
        suffix = f" [{clean(default)}]" if default else ""
        answer = self._line(f"{clean(message)}{suffix}: ")
        return answer if answer else default

    def _ask_confirm(self, qid: str, message: str, default: bool) -> bool | str:
        hint = "Y/n" if default else "y/N"
        while True:
            answer = self._line(f"{clean(message)} ({hint}): ").strip().lower()
            if answer == "":
                return default
            if answer == HELP_TEXT:
                return HELP_VALUE
            if answer in {"y", "yes"}:
                return True
            if answer in {"n", "no"}:
                return False
            self._say("Please type y for yes or n for no.")

    def _ask_secret(self, qid: str, message: str) -> str:
        try:
            hidden = self._stdin.isatty()
        except (AttributeError, ValueError):
            hidden = False
        if not hidden:  # nothing to hide it on (a test's input): one line
            return self._line(f"{clean(message)}: ")
        return getpass.getpass(f"{clean(message)}: ", stream=self._stdout)



class NoQuestions(Prompter):
    """Where no question can be asked: every question is refused, naming what to use instead."""

    def __init__(self, alternative: str) -> None:
        super().__init__(None)
        self.alternative = alternative

    def _refuse(self, message: str) -> NotATerminalError:
        return NotATerminalError(
            f"safetykit needed to ask \u201c{one_line(clean(message))}\u201d, but there is no "
            "terminal here to answer it.",
            hint=self.alternative,
        )

    def _ask_select(
        self, qid: str, message: str, options: list[Option], default: str | None
    ) -> str:
        raise self._refuse(message)

    def _ask_multiselect(
        self, qid: str, message: str, options: list[Option], default: list[str]
    ) -> list[str] | str:
        raise self._refuse(message)

    def _ask_text(self, qid: str, message: str, default: str) -> str:
        raise self._refuse(message)

    def _ask_confirm(self, qid: str, message: str, default: bool) -> bool | str:
        raise self._refuse(message)

    def _ask_secret(self, qid: str, message: str) -> str:
        raise self._refuse(message)
