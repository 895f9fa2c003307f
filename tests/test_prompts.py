"""The three prompters: the real questionary one through prompt_toolkit pipe input, the plain one
through text streams, and the scripted one."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from safetykit import i18n
from safetykit.ui.prompts import (
    HELP_KEY,
    HELP_VALUE,
    Option,
    PlainPrompter,
    QuestionaryPrompter,
    yes_no,
)
from tests.doubles import HELP, INTERRUPT, Queue, ScriptedPrompter, UnexpectedQuestion

OPTIONS = [Option("done", "Done", "d"), Option("todo", "Not yet", "n"), Option("na", "No")]
DOWN = "\x1b[B"
ENTER = "\r"
CTRL_C = "\x03"


@pytest.fixture
def pipe() -> Iterator[object]:
    with create_pipe_input() as inp:
        yield inp


def real(pipe: object, helped: list[int] | None = None) -> QuestionaryPrompter:
    on_help = (lambda: helped.append(1)) if helped is not None else None
    return QuestionaryPrompter(on_help, input=pipe, output=DummyOutput())


# -- questionary, driven by key presses -------------------------------------------------------


def test_select_with_arrows(pipe: object) -> None:
    pipe.send_text(DOWN + ENTER)  # type: ignore[attr-defined]
    assert real(pipe).select("q", "Where?", OPTIONS) == "todo"


def test_select_with_a_shortcut_key(pipe: object) -> None:
    pipe.send_text("n" + ENTER)  # type: ignore[attr-defined]
    assert real(pipe).select("q", "Where?", OPTIONS) == "todo"


def test_select_starts_on_the_default(pipe: object) -> None:
    pipe.send_text(ENTER)  # type: ignore[attr-defined]
    assert real(pipe).select("q", "Where?", OPTIONS, default="na") == "na"


def test_h_shows_hotlines_then_asks_again(pipe: object) -> None:
    helped: list[int] = []
    pipe.send_text("h" + ENTER)  # type: ignore[attr-defined]
    pipe.send_text("d" + ENTER)  # type: ignore[attr-defined]
    assert real(pipe, helped).select("q", "Where?", OPTIONS) == "done"
    assert helped == [1]


def test_ctrl_c_raises_instead_of_answering(pipe: object) -> None:
    pipe.send_text(CTRL_C)  # type: ignore[attr-defined]
    with pytest.raises(KeyboardInterrupt):
        real(pipe).select("q", "Where?", OPTIONS)


@pytest.mark.parametrize("kind", ["text", "confirm", "multiselect", "secret"])
def test_ctrl_c_at_every_kind_of_prompt(pipe: object, kind: str) -> None:
    pipe.send_text(CTRL_C)  # type: ignore[attr-defined]
    prompter = real(pipe)
    with pytest.raises(KeyboardInterrupt):
        if kind == "text":
            prompter.text("q", "Name")
        elif kind == "confirm":
            prompter.confirm("q", "Sure?")
        elif kind == "multiselect":
            prompter.multiselect("q", "Which?", OPTIONS)
        else:
            prompter.secret("q", "Passphrase")


def test_checkbox_ticks_and_help_key(pipe: object) -> None:
    helped: list[int] = []
    pipe.send_text("h")  # type: ignore[attr-defined]
    pipe.send_text(" " + DOWN + DOWN + " " + ENTER)  # type: ignore[attr-defined]
    chosen = real(pipe, helped).multiselect("q", "Which?", OPTIONS)
    assert chosen == ["done", "na"]
    assert helped == [1]


def test_text_question_mark_shows_hotlines(pipe: object) -> None:
    helped: list[int] = []
    pipe.send_text("?" + ENTER + "Sam" + ENTER)  # type: ignore[attr-defined]
    assert real(pipe, helped).text("q", "Name") == "Sam"
    assert helped == [1]


def test_text_strips_control_characters() -> None:
    answer = ScriptedPrompter({"q": "a\x1b[31mb\x07\x9b"}).text("q", "Name")
    assert answer == "ab"


def test_secret_is_returned(pipe: object) -> None:
    pipe.send_text("hunter2 horse" + ENTER)  # type: ignore[attr-defined]
    assert real(pipe).secret("q", "Passphrase") == "hunter2 horse"


def test_confirm_yes(pipe: object) -> None:
    pipe.send_text("y")  # type: ignore[attr-defined]
    assert real(pipe).confirm("q", "Sure?") is True


@pytest.fixture
def spanish() -> Iterator[None]:
    token = i18n._current.set("es")
    yield
    i18n._current.reset(token)


@pytest.mark.parametrize(("typed", "meant"), [("s", True), ("S", True), ("y", True),
                                              ("n", False), ("N", False)])
def test_in_spanish_s_is_yes(pipe: object, spanish: None, typed: str, meant: bool) -> None:
    pipe.send_text(typed)  # type: ignore[attr-defined]
    assert real(pipe).confirm("q", "¿Seguro?", default=not meant) is meant


def test_in_spanish_enter_takes_the_default_and_other_keys_are_ignored(
    pipe: object, spanish: None
) -> None:
    pipe.send_text("x" + ENTER)  # type: ignore[attr-defined]
    assert real(pipe).confirm("q", "¿Seguro?", default=True) is True


def test_in_english_s_is_not_an_answer(pipe: object) -> None:
    pipe.send_text("s" + "n")  # type: ignore[attr-defined]
    assert real(pipe).confirm("q", "Sure?", default=True) is False


def test_the_yes_no_hint_follows_the_language(spanish: None) -> None:
    assert yes_no().hint(True) == "S/n" and yes_no().hint(False) == "s/N"


# -- plain, for screen readers -----------------------------------------------------------------


def plain(lines: str, helped: list[int] | None = None) -> tuple[PlainPrompter, io.StringIO]:
    out = io.StringIO()
    on_help = (lambda: helped.append(1)) if helped is not None else None
    return PlainPrompter(on_help, stdin=io.StringIO(lines), stdout=out), out


def test_plain_select_is_numbered() -> None:
    prompter, out = plain("9\n2\n")
    assert prompter.select("q", "Where?", OPTIONS) == "todo"
    shown = out.getvalue()
    assert "1. Done" in shown and "2. Not yet" in shown
    assert "not one of the numbers" in shown  # a wrong number is explained, not a trap


def test_plain_select_help() -> None:
    helped: list[int] = []
    prompter, out = plain("h\n1\n", helped)
    assert prompter.select("q", "Where?", OPTIONS) == "done"
    assert helped == [1]
    assert "h. Talk to someone now" in out.getvalue()


def test_plain_multiselect() -> None:
    helped: list[int] = []
    prompter, _ = plain("?\n1 3\n", helped)
    assert prompter.multiselect("q", "Which?", OPTIONS) == ["done", "na"]
    assert helped == [1]


def test_plain_confirm_and_text() -> None:
    prompter, _ = plain("maybe\ny\n\n")
    assert prompter.confirm("q", "Sure?") is True
    assert prompter.text("q", "Name", default="Sam") == "Sam"


@pytest.mark.parametrize(("typed", "meant"), [("s", True), ("sí", True), ("SI", True),
                                              ("no", False), ("n", False)])
def test_plain_in_spanish_si_is_yes(spanish: None, typed: str, meant: bool) -> None:
    prompter, out = plain(f"{typed}\n")
    assert prompter.confirm("q", "¿Seguro?", default=not meant) is meant
    assert "(S/n)" in out.getvalue() or "(s/N)" in out.getvalue()


def test_plain_in_english_s_is_asked_again() -> None:
    prompter, out = plain("s\nn\n")
    assert prompter.confirm("q", "Sure?", default=True) is False
    assert "Please type y for yes or n for no." in out.getvalue()


def test_plain_end_of_input_is_not_an_answer() -> None:
    prompter, _ = plain("")
    with pytest.raises(EOFError):
        prompter.select("q", "Where?", OPTIONS)


# -- scripted ----------------------------------------------------------------------------------


def test_scripted_fails_loudly_on_an_unexpected_question() -> None:
    with pytest.raises(UnexpectedQuestion):
        ScriptedPrompter({}).text("surprise", "Who?")


def test_scripted_queue_interrupt_and_help() -> None:
    helped: list[int] = []
    prompter = ScriptedPrompter(
        {"a": Queue([HELP, "done"]), "b": INTERRUPT}, on_help=lambda: helped.append(1)
    )
    assert prompter.select("a", "?", OPTIONS) == "done"
    with pytest.raises(KeyboardInterrupt):
        prompter.text("b", "?")
    assert helped == [1]
    assert [q for q, _ in prompter.asked] == ["a", "a", "b"]


def test_scripted_rejects_an_answer_that_is_not_a_choice() -> None:
    with pytest.raises(UnexpectedQuestion):
        ScriptedPrompter({"a": "finished"}).select("a", "?", OPTIONS)


# -- what a person sees: hidden secrets, menus that fit the terminal ----------------------------


class Terminal(io.StringIO):
    """What prompt_toolkit draws, on a screen (pyte) of a given size; ``frames`` holds the screen
    as it was after each drawing, so a menu can be read before it is answered."""

    def __init__(self, columns: int, rows: int) -> None:
        import pyte

        super().__init__()
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)
        self.frames: list[list[str]] = []

    def write(self, text: str) -> int:
        self.stream.feed(text.replace("\n", "\r\n"))
        return super().write(text)

    def flush(self) -> None:
        self.frames.append([line.rstrip() for line in self.screen.display])

    def seen(self) -> str:
        """Every frame's text, words squashed to single spaces."""
        return " ".join(" ".join("\n".join(frame).split()) for frame in self.frames)


def drawn(pipe: object, columns: int = 40, rows: int = 24) -> tuple[QuestionaryPrompter, Terminal]:
    """A questionary prompter drawing on a terminal of this size."""
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.output.vt100 import Vt100_Output

    terminal = Terminal(columns, rows)
    output = Vt100_Output(terminal, lambda: Size(rows=rows, columns=columns), term="xterm")
    return QuestionaryPrompter(lambda: None, input=pipe, output=output), terminal


def test_a_secret_shows_nothing_as_it_is_typed(pipe: object) -> None:
    """Not one ``*`` per character (which tells anyone watching the passphrase's length): nothing,
    as with getpass. ``h`` and ``?`` are letters of the secret, not the hotline keys."""
    pipe.send_text("h?correct horse\x7f" + "e" + ENTER)  # type: ignore[attr-defined]
    prompter, written = drawn(pipe)
    helped: list[int] = []
    prompter.on_help = lambda: helped.append(1)
    assert prompter.secret("q", "Your passphrase") == "h?correct horse"
    assert "Your passphrase (not shown as you type)" in written.seen()
    assert "*" not in written.getvalue()
    for typed in ("correct", "horse", "h?"):
        assert typed not in written.getvalue()
    assert helped == []


LONG = [
    Option("a", "Tell me more about keeping a record of what happened, with dates and times"),
    Option("b", "Short one"),
    Option("c", "Supercalifragilisticexpialidocious-and-then-some-more-letters-here"),
]


def test_long_choices_wrap_under_their_label_between_words(pipe: object) -> None:
    pipe.send_text(ENTER)  # type: ignore[attr-defined]
    prompter, written = drawn(pipe, columns=40)
    prompter._with_help_key = lambda question, *keys: question  # type: ignore[method-assign]
    prompter.on_help = None
    assert prompter.select("q", "Which one of these would you like to read about now?", LONG) == "a"
    menu = next(frame for frame in written.frames if "   2) Short one" in frame)
    start = menu.index(" \u00bb 1) Tell me more about keeping a")  # not cut at the edge
    assert menu[start + 1 : start + 3] == [
        "      record of what happened, with", "      dates and times"
    ]
    assert menu[start + 4 : start + 6] == [
        "   3) Supercalifragilisticexpialidocious", "      -and-then-some-more-letters-here"
    ]  # only a word longer than a line is broken
    assert all(len(line) <= 40 for line in menu)
    words = " ".join(line.strip() for line in menu).split()
    for word in [*LONG[0].label.split(), "(arrows", "Enter)"]:
        assert word in words  # no word broken across lines, in the question either


@pytest.mark.parametrize(("default", "above", "below"), [
    ("0", False, True), ("15", True, True), ("29", True, False),
])
def test_a_long_list_says_there_is_more(
    pipe: object, default: str, above: bool, below: bool
) -> None:
    many = [Option(str(n), f"Choice number {n} of a long list") for n in range(30)]
    pipe.send_text(ENTER)  # type: ignore[attr-defined]
    prompter, written = drawn(pipe, columns=40, rows=12)
    prompter.on_help = None
    assert prompter.select("q", "Which?", many, default=default) == default
    menu = next(frame for frame in written.frames if "\u00bb" in "".join(frame))
    assert ("   \u2191 more above" in menu) == above
    assert ("   \u2193 more below" in menu) == below
    pointed = [line for line in menu if line.startswith(" \u00bb ")]
    assert len(pointed) == 1 and pointed[0].endswith(f") Choice number {default} of a long list")
    assert len([line for line in menu if line]) == 12  # the question and the rows there are


def test_the_window_keeps_the_pointed_choice_in_view() -> None:
    from safetykit.ui.prompts import _menu_window

    items = [n // 2 for n in range(40)]  # 20 choices of two lines each
    top, rows, above, below = _menu_window(items, 10, (0, 2), 0)
    assert (top, above, below) == (0, False, True) and rows == 9
    top, rows, above, below = _menu_window(items, 10, (38, 40), 0)
    assert above and not below and top + rows == 40 and top <= 38
    top, rows, above, below = _menu_window(items, 10, (20, 22), 0)
    assert above and below and top <= 20 and top + rows >= 22
    assert _menu_window(items[:8], 10, (0, 2), 0) == (0, 8, False, False)


class NarrowTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_mode_never_breaks_a_word(monkeypatch: pytest.MonkeyPatch) -> None:
    out = NarrowTerminal()
    monkeypatch.setattr(PlainPrompter, "_width", lambda self: 40)
    prompter = PlainPrompter(lambda: None, stdin=io.StringIO("1\n"), stdout=out)
    assert prompter.select("q", "Which one of these would you like to read about now?", LONG) == "a"
    lines = out.getvalue().split("\n")
    assert all(len(line) <= 40 for line in lines), lines
    assert "  1. Tell me more about keeping a record" in lines
    assert "     of what happened, with dates and" in lines
    spoken = " ".join(out.getvalue().split())
    for word in (LONG[0].label + " Type a number or letter and press Enter:").split():
        assert word in spoken.split()


def test_plain_prompt_says_letter_only_where_a_letter_is_a_choice() -> None:
    with_help = io.StringIO()
    plain = PlainPrompter(lambda: None, stdin=io.StringIO("1\n"), stdout=with_help)
    plain.select("q", "?", OPTIONS)
    assert "Type a number or letter and press Enter:" in with_help.getvalue()
    assert "  h. Talk to someone now" in with_help.getvalue()
    numbers_only = io.StringIO()
    PlainPrompter(None, stdin=io.StringIO("x\n1\n"), stdout=numbers_only).select("q", "?", OPTIONS)
    assert "Type a number and press Enter:" in numbers_only.getvalue()
    assert "letter" not in numbers_only.getvalue()


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab cd  e\u0301\u6f22-")), max_size=160),
    width=st.integers(8, 90),
    indent=st.integers(0, 8),
)
def test_lines_are_broken_only_between_words(text: str, width: int, indent: int) -> None:
    from safetykit.ui.prompts import _cells, wrap_text

    lines = wrap_text(text, width, indent)
    assert all(_cells(line) <= width for line in lines), lines
    words, shown = text.split(), " ".join(lines).split()
    if all(_cells(word) <= width - indent for word in words):
        assert shown == words  # every word whole, in order
    else:
        assert "".join(shown) == "".join(words)  # only the too-long ones cut, nothing lost


def test_in_spanish_choices_get_numbers_not_english_initials(spanish: None) -> None:
    options = [Option("yes", "Sí, buscarlo", "y"), Option("steps", "Mostrar los pasos", "s"),
               Option("leave", "Salir", "q"), Option(HELP_VALUE, "Líneas de ayuda", HELP_KEY)]
    assert QuestionaryPrompter._keys(options) == ["1", "2", "3", "h"]
    i18n._current.set("en")
    assert QuestionaryPrompter._keys(options) == ["y", "s", "q", "h"]
