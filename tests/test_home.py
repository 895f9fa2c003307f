"""``safetykit`` alone: a start menu in a terminal, the help text otherwise."""

from __future__ import annotations

import io
from pathlib import Path

import pexpect
import pytest

from safetykit.cli.app import run
from safetykit.flows.home import run_home
from safetykit.flows.session import Session
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import create_vault
from safetykit.ui.screen import Screen
from tests.doubles import ScriptedPrompter
from tests.e2e import CLEAR, KEYS, Program


def test_without_a_terminal_it_prints_help(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run([]) == 0
    out = capsys.readouterr().out
    assert "checklist" in out and "1-800-799-7233" in out


def test_home_leads_to_the_checklist(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    prompter = ScriptedPrompter(
        {"home": "checklist", "checklist.behaviours": [], "checklist.section": "_leave"}
    )
    run_home(Session(default_paths(), Screen(plain=True, file=io.StringIO()), prompter))
    assert [q for q, _ in prompter.asked] == ["home", "checklist.behaviours", "checklist.section"]


def test_home_leave_stores_nothing(data_dir: Path) -> None:
    prompter = ScriptedPrompter({"home": "leave"})
    run_home(Session(default_paths(), Screen(plain=True, file=io.StringIO()), prompter))
    assert not data_dir.exists()


@pytest.mark.e2e
@pytest.mark.secret_service
def test_start_menu_in_a_terminal(prog: Program) -> None:
    child = prog.spawn()
    child.expect("Where would you like to start")
    child.choose("My safety plan")
    child.expect("How should your data be protected")
    child.send(KEYS["ctrl-c"])
    child.expect_exact(CLEAR)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
