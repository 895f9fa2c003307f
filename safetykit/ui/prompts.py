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
layer turns it into a quick exit. "Talk to someone now" is one key away at every question: ``?``,
in every mode and every kind of question (the one key a hint names), and the ``h`` choice in
lists; both show the hotlines and ask again.
"""

from __future__ import annotations

import getpass
import os
import re
import sys
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from safetykit.errors import NotATerminalError
from safetykit.i18n import N_, _, current_language
from safetykit.ui.text import clean, one_line

HELP_VALUE = "__talk_to_someone__"
HELP_KEY = "h"
HELP_TEXT = "?"
HELP_LABEL = N_("Talk to someone now (hotlines)")


@dataclass(frozen=True)
class YesNo:
    """How yes and no are typed in a language: the keys a terminal takes at once, the words a
    plain prompt takes, and the hint shown ("Y/n" or "S/n" with the default in capitals)."""

    yes_keys: str
    no_keys: str
    yes_words: frozenset[str]
    no_words: frozenset[str]

    def hint(self, default: bool) -> str:
        yes, no = self.yes_keys[0], self.no_keys[0]
        return f"{yes.upper()}/{no}" if default else f"{yes}/{no.upper()}"


# "y" and "yes" are taken in every language: English is typed out of habit everywhere.
_YES_NO = {
    "en": YesNo("y", "n", frozenset({"y", "yes"}), frozenset({"n", "no"})),
    "es": YesNo("sy", "n", frozenset({"s", "si", "sí", "y", "yes"}), frozenset({"n", "no"})),
}


def yes_no() -> YesNo:
    """Yes and no in the language in use (questionary's confirm reads only y/n: in Spanish, "s"
    would be no answer at all, so safetykit asks its own way)."""
    return _YES_NO.get(current_language(), _YES_NO["en"])


@dataclass(frozen=True)
class Option:
    """One choice: the value returned, what the person reads, an optional shortcut key."""

    value: str
    label: str
    key: str | None = None


# ── wrapping by words ─────────────────────────────────────────────────────────────────────────
# Menus and plain-mode lines are broken at spaces, never inside a word, with the lines after the
# first indented under the text (not under the number or pointer). Only a word longer than a whole
# line is broken.

_WORDS = re.compile(r"\S+|\s+")


def _cells(text: str) -> int:
    """How many terminal cells ``text`` takes (wide East Asian letters two, marks none)."""
    total = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def _pieces(word: str, limit: int) -> Iterator[str]:
    """A word cut into pieces of at most ``limit`` cells (only when it is wider than a line)."""
    piece, used = "", 0
    for char in word:
        width = _cells(char)
        if piece and used + width > limit:
            yield piece
            piece, used = "", 0
        piece, used = piece + char, used + width
    if piece:
        yield piece


def line_ranges(text: str, width: int, indent: int) -> list[tuple[int, int]]:
    """Where to break ``text`` (one line, no newlines) so that no line is wider than ``width``
    cells, the lines after the first being ``indent`` cells in: ``(start, end)`` of each line's
    text; the spaces at a break are dropped, leading spaces of the first line kept."""
    if indent >= width // 2:
        indent = 0
    limit = max(width, 1)
    ranges: list[tuple[int, int]] = []
    start = end = used = spaces = 0
    has_word = False
    for match in _WORDS.finditer(text):
        chunk = match.group()
        if chunk.isspace():
            spaces += _cells(chunk)
            continue
        offset = match.start()
        for piece in _pieces(chunk, max(width - indent, 1)):
            cells = _cells(piece)
            if used + spaces + cells <= limit or not has_word:
                if not has_word and used + spaces + cells > limit and spaces:
                    spaces = max(limit - used - cells, 0)  # leading spaces give way first
                    start = offset - spaces
                used += spaces + cells
            else:
                ranges.append((start, end))
                start, used, limit = offset, cells, max(width - indent, 1)
            end = offset = offset + len(piece)
            spaces, has_word = 0, True
    ranges.append((start, end if has_word else min(len(text), limit)))
    return ranges


def wrap_text(text: str, width: int | None, indent: int = 0) -> list[str]:
    """Plain text wrapped by words (each line of ``text`` on its own); unwrapped without a width."""
    if not width:
        return text.split("\n")
    lines: list[str] = []
    for line in text.split("\n"):
        ranges = line_ranges(line, width, indent)
        lead = " " * (indent if indent < width // 2 else 0)
        lines.extend(
            (lead if n else "") + line[a:b] for n, (a, b) in enumerate(ranges)
        )
    return lines


def wrap_fragments(line: list[Any], width: int, indent: int) -> list[list[Any]]:
    """One line of prompt_toolkit fragments ``(style, text, ...)`` wrapped as ``line_ranges``
    says, each fragment keeping its style; zero-width fragments (the cursor mark) stay put."""
    text = "".join(fragment[1] for fragment in line)
    ranges = line_ranges(text, width, indent)
    lead = " " * (indent if indent < width // 2 else 0)
    lines: list[list[Any]] = []
    for number, (a, b) in enumerate(ranges):
        out: list[Any] = [("", lead)] if number and lead else []
        offset = 0
        for fragment in line:
            size = len(fragment[1])
            lo, hi = max(a, offset), min(b, offset + size)
            if size == 0 and a <= offset <= b and (offset < b or number == len(ranges) - 1):
                out.append(fragment)
            elif lo < hi:
                out.append((fragment[0], fragment[1][lo - offset : hi - offset], *fragment[2:]))
            offset += size
        lines.append(out)
    return lines


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
            offered.append(Option(HELP_VALUE, _(HELP_LABEL), HELP_KEY))
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

    def _columns(self) -> int:
        output = self._io.get("output")
        try:
            if output is not None:
                return int(output.get_size().columns)
            return os.get_terminal_size(sys.stdout.fileno()).columns
        except (AttributeError, ValueError, OSError):
            return 80

    def _fit_question(self, message: str, instruction: str = "", gap: int = 1) -> tuple[str, str]:
        """The question and its instruction broken between words for the terminal's width
        (prompt_toolkit would cut "(arrows" in two), the lines after the first under the text.
        questionary writes ``? `` + message + a space + instruction."""
        width = self._columns()
        whole = f"? {message}{' ' * gap}{instruction}".rstrip()
        ranges = line_ranges(whole, width, 2)
        if len(ranges) == 1:
            return message, instruction
        starts = 2 + len(message) + gap  # where the instruction begins in ``whole``
        joined, at = "", len(whole)
        for number, (a, b) in enumerate(ranges):
            if number:
                joined += "\n  "
            if a <= starts < b or (starts == a and instruction):
                at = len(joined) + starts - a
            joined += whole[a:b]
        if not instruction:
            return joined[2:], ""
        head = joined[2:at]
        return (head[: -gap] if head.endswith(" " * gap) else head), joined[at:]

    @staticmethod
    def _keys(options: Sequence[Option]) -> list[str]:
        """Each choice's shortcut. The letters in the code are the English words' first letters
        ("d" for Done, "s" for Show me how): in another language they would mislead (a Spanish
        speaker's "s" is "sí"), so there every choice but the hotlines' ``h`` gets a number."""
        own = current_language() == "en"
        given = [o.key if o.key and (own or o.value == HELP_VALUE) else None for o in options]
        used = {k for k in given if k}
        pool = [k for k in "123456789abcdefgilmnopqrstuvwxyz" if k not in used]
        return [key if key else (pool.pop(0) if pool else "") for key in given]

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
        asked, instruction = self._fit_question(
            clean(message),
            _("(arrows or a key, then Enter)") if shortcuts else _("(arrows, then Enter)"),
        )
        question = questionary.select(
            asked,
            choices=choices,
            default=selected,
            use_shortcuts=shortcuts,
            use_jk_keys=False,
            instruction=instruction,
            **self._io,
        )
        _fit_menu(question, indent=6 if shortcuts else 3)  # " » c) " / " » "
        last = f"? {asked} ".split("\n")[-1]
        _fit_answer(question, _cells(last), self._columns())
        # ``?`` as everywhere; ``h`` stays the help choice's own key (it moves the pointer).
        answer = self._with_help_key(question, (HELP_TEXT,)).unsafe_ask()
        return str(answer)

    def _ask_multiselect(
        self, qid: str, message: str, options: list[Option], default: list[str]
    ) -> list[str]:
        import questionary

        choices = [
            questionary.Choice(clean(o.label), value=o.value, checked=o.value in default)
            for o in options
        ]
        asked, instruction = self._fit_question(
            clean(message),
            _("(Space to tick, Enter when done, ? for hotlines)")
            if self.on_help
            else _("(Space to tick, Enter when done)"),
        )
        question = questionary.checkbox(
            asked, choices=choices, instruction=instruction, **self._io
        )
        _fit_menu(question, indent=5)  # " » ○ "
        answer = self._with_help_key(question).unsafe_ask()
        return answer if answer == HELP_VALUE else [str(v) for v in answer]

    def _ask_text(self, qid: str, message: str, default: str) -> str:
        import questionary

        asked, _none = self._fit_question(clean(message))
        return str(questionary.text(asked, default=default, **self._io).unsafe_ask())

    def _ask_confirm(self, qid: str, message: str, default: bool) -> bool | str:
        asked, _none = self._fit_question(clean(message), f"({yes_no().hint(default)})")
        question = self._confirm_question(asked, default)
        answer = self._with_help_key(question).unsafe_ask()
        return answer if answer == HELP_VALUE else bool(answer)

    def _confirm_question(self, message: str, default: bool) -> Any:
        """A yes/no question that takes the keys of the language in use: a key answers at once,
        Enter takes the default; the answer is then shown in words."""
        from prompt_toolkit import PromptSession
        from prompt_toolkit.formatted_text import to_formatted_text
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.keys import Keys
        from questionary.constants import DEFAULT_QUESTION_PREFIX
        from questionary.question import Question
        from questionary.styles import merge_styles_default

        words = yes_no()
        answered: list[bool] = []

        def tokens() -> Any:
            shown: Any = [
                ("class:qmark", DEFAULT_QUESTION_PREFIX), ("class:question", f" {message} ")
            ]
            if answered:
                shown.append(("class:answer", _("Yes") if answered[0] else _("No")))
            else:
                shown.append(("class:instruction", f"({words.hint(default)}) "))
            return to_formatted_text(shown)

        keys = KeyBindings()

        def answer(event: Any, value: bool) -> None:
            answered[:] = [value]
            event.app.exit(result=value)

        @keys.add(Keys.ControlC, eager=True)
        def _interrupt(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        for key in words.yes_keys:
            for typed in {key, key.upper()}:
                keys.add(typed)(lambda event: answer(event, True))
        for key in words.no_keys:
            for typed in {key, key.upper()}:
                keys.add(typed)(lambda event: answer(event, False))
        keys.add(Keys.ControlM, eager=True)(lambda event: answer(event, default))

        @keys.add(Keys.Any)
        def _other(event: Any) -> None:
            """Nothing else is typed into a yes/no question."""

        session: Any = PromptSession(
            tokens, key_bindings=keys, style=merge_styles_default([None]), **self._io
        )
        return Question(session.app)

    def _with_help_key(self, question: Any, keys: Sequence[str] = (HELP_KEY, HELP_TEXT)) -> Any:
        """Let ``keys`` leave the question with the hotline request (``h`` and ``?`` in
        checkboxes and yes/no, ``?`` in menus)."""
        if self.on_help is None:
            return question
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

        extra = KeyBindings()

        def ask_for_help(event: Any) -> None:
            event.app.exit(result=HELP_VALUE)

        for key in keys:
            extra.add(key, eager=True)(ask_for_help)
        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings, extra])
        return question

    def _ask_secret(self, qid: str, message: str) -> str:
        """Nothing is shown as it is typed, as with ``getpass`` (questionary's password shows a
        ``*`` per character, which tells anyone watching how long the passphrase is). ``h`` and
        ``?`` are letters of the secret here, and Ctrl-C leaves at once."""
        import questionary

        asked, instruction = self._fit_question(
            clean(message), _("(not shown as you type)"), gap=2
        )
        question = questionary.text(
            asked,
            instruction=instruction,
            input_processors=[_nothing_shown()],
            **self._io,
        )
        return str(question.unsafe_ask())


MORE_ABOVE = N_("\u2191 more above")
MORE_BELOW = N_("\u2193 more below")


def _menu_window(
    items: list[int], height: int, pointed: tuple[int, int], top: int
) -> tuple[int, int, bool, bool]:
    """Which lines of a menu to show in ``height`` rows: ``(top, rows, above, below)``. ``items``
    has one entry per line (``len(items)`` lines); ``pointed`` is the pointed choice's first line
    and the line after its last. One row each says there is more above or below; the pointed
    choice is kept in view (its first line, if it is taller than the rows left)."""
    count = len(items)
    if count <= height:
        return 0, count, False, False
    first, after = pointed
    top = min(max(top, 0), count - 1)
    above = below = False
    rows = height
    for _round in range(4):
        above = top > 0 and height > 2
        rows = height - above
        below = top + rows < count and height > 2
        rows = max(rows - below, 1)
        if first < top:
            top = first
        elif after > top + rows:
            top = max(first, after - rows) if after - first <= rows else first
        elif not below and top + rows > count:
            top = max(count - rows, 0)
        else:
            break
    return top, rows, above, below


def _fit_menu(question: Any, indent: int) -> None:
    """Make a questionary menu fit the terminal: long choices wrapped between words, the lines
    after the first under the label (``indent`` cells in), and a list taller than the screen
    shown a window at a time with "more above" and "more below" (questionary cuts long choices
    at the edge and gives no sign that a list goes on)."""
    from prompt_toolkit.formatted_text import to_formatted_text
    from prompt_toolkit.formatted_text.utils import split_lines
    from questionary.prompts.common import InquirerControl

    control: Any = next(
        (w.content for w in question.application.layout.find_all_windows()
         if isinstance(w.content, InquirerControl)),
        None,
    )
    if control is None:
        return
    choices = control.text
    drawn = control.create_content
    size: dict[str, int | None] = {"width": 80, "height": None, "top": 0}

    def fitted() -> Any:
        width = size["width"] or 80
        lines: list[list[Any]] = []
        items: list[int] = []
        pointed = (0, 1)
        for number, line in enumerate(split_lines(to_formatted_text(choices()))):
            wrapped = wrap_fragments(line, width, indent)
            if any(fragment[0] == "[SetCursorPosition]" for fragment in line):
                pointed = (len(lines), len(lines) + len(wrapped))
            lines.extend(wrapped)
            items.extend([number] * len(wrapped))
        height = size["height"]
        if height is not None:
            top, rows, above, below = _menu_window(items, height, pointed, size["top"] or 0)
            size["top"] = top
            shown = lines[top : top + rows]
            if above:
                shown.insert(0, [("class:instruction", "   " + _(MORE_ABOVE))])
            if below:
                shown.append([("class:instruction", "   " + _(MORE_BELOW))])
            lines = shown
        out: list[Any] = []
        for number, line in enumerate(lines):
            if number:
                out.append(("", "\n"))
            out.extend(line)
        return out

    def create_content(width: int, height: int | None) -> Any:
        size["width"], size["height"] = width, height
        return drawn(width, height)

    control._get_formatted_text_cached = fitted
    control.create_content = create_content


def _fit_answer(question: Any, column: int, width: int) -> None:
    """Once a choice is made, questionary writes its label after the question: broken between
    words there too, starting at ``column``."""
    from questionary.prompts.common import InquirerControl

    control: Any = next(
        (w.content for w in question.application.layout.find_all_windows()
         if isinstance(w.content, InquirerControl)),
        None,
    )
    if control is None:
        return

    class Answered(type(control)):  # type: ignore[misc]
        @property
        def is_answered(self) -> bool:
            return bool(self.__dict__.get("_answered", False))

        @is_answered.setter
        def is_answered(self, value: bool) -> None:
            self.__dict__["_answered"] = value
            choice = self.get_pointed_at() if value else None
            if choice is not None and isinstance(choice.title, str):
                text = " " * column + choice.title
                lines = [text[a:b] for a, b in line_ranges(text, width, 2)]
                choice.title = "\n  ".join(lines)[column:]

    answered = control.__dict__.pop("is_answered", False)
    control.__class__ = Answered
    control.is_answered = answered


def _nothing_shown() -> Any:
    """A prompt_toolkit input processor that shows none of the input, not even the cursor moving
    along it."""
    from prompt_toolkit.layout.processors import Processor, Transformation, TransformationInput

    class NothingShown(Processor):
        def apply_transformation(self, transformation_input: TransformationInput) -> Transformation:
            return Transformation([], source_to_display=lambda i: 0, display_to_source=lambda i: 0)

    return NothingShown()


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

    def _width(self) -> int | None:
        """The terminal's width, to break lines between words (never inside one: a screen reader
        reading the screen line by line would read half words). None when not a terminal."""
        try:
            if self._stdout.isatty():
                return os.get_terminal_size(self._stdout.fileno()).columns
        except (AttributeError, ValueError, OSError):
            pass
        return None

    def _say(self, text: str, indent: int = 0) -> None:
        lines = wrap_text(text, self._width(), indent)
        self._stdout.write("\n".join(lines) + "\n")
        self._stdout.flush()

    def _choice(self, key: str, label: str) -> None:
        """``  3. Label``, a long label wrapped under its own text."""
        lead = f"  {key}. "
        self._say(lead + label, indent=len(lead))

    def _prompt(self, prompt: str) -> str:
        """A prompt wrapped by words, its last line left open for the answer."""
        body = prompt.rstrip(" ")
        width = self._width()
        room = width - (len(prompt) - len(body)) if width else None  # the answer starts there
        return "\n".join(wrap_text(body, room)) + prompt[len(body) :]

    def _line(self, prompt: str) -> str:
        self._stdout.write(self._prompt(prompt))
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
            mark = " " + _("(current)") if option.value == default else ""
            self._choice(key, f"{clean(option.label)}{mark}")
        letters = any(not key.isdigit() for key in by_key)
        ask = (
            _("Type a number or letter and press Enter:")
            if letters
            else _("Type a number and press Enter:")
        )
        while True:
            answer = self._line(ask + " ").strip().lower()
            if answer == "" and default is not None:
                return default
            if answer in by_key:
                return by_key[answer]
            if answer == HELP_TEXT and HELP_KEY in by_key:
                return by_key[HELP_KEY]
            self._say(
                _("That is not one of the numbers or letters above. Please try again.")
                if letters
                else _("That is not one of the numbers above. Please try again.")
            )

    def _ask_multiselect(
        self, qid: str, message: str, options: list[Option], default: list[str]
    ) -> list[str] | str:
        self._say(clean(message))
        for number, option in enumerate(options, start=1):
            mark = " " + _("(chosen)") if option.value in default else ""
            self._choice(str(number), f"{clean(option.label)}{mark}")
        while True:
            answer = self._line(
                (
                    _(
                        "Type the numbers that apply, separated by spaces, or press Enter for "
                        "none (? for hotlines):"
                    )
                    if self.on_help
                    else _(
                        "Type the numbers that apply, separated by spaces, or press Enter for "
                        "none:"
                    )
                )
                + " "
            ).strip()
            if answer == "" and default:
                return default
            if answer == HELP_TEXT:
                return HELP_VALUE
            parts = answer.replace(",", " ").split()
            if all(p.isdigit() and 1 <= int(p) <= len(options) for p in parts):
                picked = {int(p) for p in parts}
                return [o.value for n, o in enumerate(options, start=1) if n in picked]
            self._say(_("Please use only the numbers shown, for example: 1 3"))

    def _ask_text(self, qid: str, message: str, default: str) -> str:
        suffix = f" [{clean(default)}]" if default else ""
        answer = self._line(f"{clean(message)}{suffix}: ")
        return answer if answer else default

    def _ask_confirm(self, qid: str, message: str, default: bool) -> bool | str:
        words = yes_no()
        while True:
            answer = self._line(f"{clean(message)} ({words.hint(default)}): ").strip().lower()
            if answer == "":
                return default
            if answer == HELP_TEXT:
                return HELP_VALUE
            if answer in words.yes_words:
                return True
            if answer in words.no_words:
                return False
            self._say(_("Please type y for yes or n for no."))

    def _ask_secret(self, qid: str, message: str) -> str:
        try:
            hidden = self._stdin.isatty()
        except (AttributeError, ValueError):
            hidden = False
        if not hidden:  # nothing to hide it on (a test's input): one line
            return self._line(f"{clean(message)}: ")
        return getpass.getpass(self._prompt(f"{clean(message)}: "), stream=self._stdout)



class NoQuestions(Prompter):
    """Where no question can be asked: every question is refused, naming what to use instead."""

    def __init__(self, alternative: str) -> None:
        super().__init__(None)
        self.alternative = alternative

    def _refuse(self, message: str) -> NotATerminalError:
        return NotATerminalError(
            _(
                "safetykit needed to ask \u201c{question}\u201d, but there is no terminal here to "
                "answer it."
            ).format(question=one_line(clean(message))),
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
