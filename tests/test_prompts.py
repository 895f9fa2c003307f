"""The three prompters: the real questionary one through prompt_toolkit pipe input, the plain one
through text streams, and the scripted one."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from safetykit.ui.prompts import Option, PlainPrompter, QuestionaryPrompter
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
