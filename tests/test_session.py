"""The session decides once how to ask: questions and warnings never in stdout, secrets from one
place, and no question where none can be answered."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from safetykit.cli.app import run
from safetykit.errors import ExitStatus, NotATerminalError
from safetykit.flows import terminal as terminal_module
from safetykit.flows.session import Session, open_session
from safetykit.flows.terminal import Terminal
from safetykit.storage.paths import default_paths
from safetykit.ui.prompts import NoQuestions
from safetykit.ui.screen import Screen

EXPORT = "name,url,username,password\nMail,https://mail.example.org,sam,Biscuit1999\n"


def test_without_a_terminal_no_question_is_asked(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    session = open_session(plain=False, alternative="add --yes")
    assert not session.can_ask
    assert isinstance(session.prompter, NoQuestions)
    with pytest.raises(NotATerminalError) as info:
        session.prompter.text("wipe.confirm", "To go ahead, type: remove")
    assert "To go ahead, type: remove" in info.value.message
    assert info.value.hint == "Run it in a terminal, or add --yes."


def test_secrets_are_one_line_each_from_stdin(data_dir: Path) -> None:
    session = Session(
        default_paths(), Screen(plain=True, file=io.StringIO()), NoQuestions("x"),
        stdin=io.StringIO("first secret\r\nsecond secret\n"), can_ask=False,
    )
    assert session.secret("a", "A") == "first secret"
    assert session.secret("b", "B") == "second secret"
    assert session.secret("c", "C") is None  # the input has ended


def test_closed_stdin_gives_no_secret(data_dir: Path) -> None:
    session = Session(
        default_paths(), Screen(plain=True, file=io.StringIO()), NoQuestions("x"),
        stdin=None, can_ask=False,
    )
    assert session.secret("a", "A") is None


def test_clearing_never_writes_into_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    Terminal(stdin=None, stdin_is_tty=False, stdout_is_tty=False, tty=None).clear()
    assert capsys.readouterr().out == ""


def test_warnings_go_to_stderr_and_stdout_holds_only_json(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(EXPORT)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run(["passwords", "check", "--csv", str(export), "--json"]) == 0
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert rows[0]["title"] == "Mail"
    assert "plain text" in captured.err  # the warning about the export file
    assert export.exists()  # nothing deleted without a question


def test_questions_go_to_the_controlling_terminal(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where there is a controlling terminal, warnings are written there, not to stdout."""
    tty = io.StringIO()
    monkeypatch.setattr(terminal_module, "_open_controlling_terminal", lambda: tty)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    export = tmp_path / "export.csv"
    export.write_text(EXPORT)
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    assert run(["passwords", "check", "--csv", str(export), "--json"]) == ExitStatus.OK
    json.loads(out.getvalue())
    assert "plain text" in tty.getvalue()
    assert "plain text" not in out.getvalue()
