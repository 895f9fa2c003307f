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
from tests.doubles import Queue, ScriptedPrompter
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
        {"home": Queue(["checklist", "leave"]), "checklist.behaviours": [],
         "checklist.section": "_leave"}
    )
    run_home(Session(default_paths(), Screen(plain=True, file=io.StringIO()), prompter))
    assert [q for q, _ in prompter.asked] == [
        "home", "checklist.behaviours", "checklist.section", "home"
    ]


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


def test_leaving_a_part_started_from_home_comes_back_to_it(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    out = io.StringIO()
    prompter = ScriptedPrompter({
        "home": Queue(["plan", "passwords", "leave"]),
        "plan.section": "_leave",
        "passwords.menu": "leave",
    })
    run_home(Session(default_paths(), Screen(plain=True, file=out), prompter))
    asked = [(q, m) for q, m in prompter.asked]
    assert [q for q, _ in asked] == ["home", "plan.section", "home", "passwords.menu", "home"]
    assert asked[2][1] == "Where to next?"
    assert not prompter.remaining()


def test_the_leave_choice_says_where_it_goes(data_dir: Path) -> None:
    from safetykit.ui.prompts import Option

    create_vault(default_paths(), "keyring")
    seen: list[list[Option]] = []

    class Recording(ScriptedPrompter):
        def _ask_select(
            self, qid: str, message: str, options: list[Option], default: str | None
        ) -> str:
            if qid == "plan.section":
                seen.append(options)
            return super()._ask_select(qid, message, options, default)

    prompter = Recording({"home": Queue(["plan", "leave"]), "plan.section": "_leave"})
    run_home(Session(default_paths(), Screen(plain=True, file=io.StringIO()), prompter))
    leave = next(o for o in seen[0] if o.value == "_leave")
    assert leave.label == "Back to the start (your answers are saved)"


def test_the_passphrase_is_asked_once_for_every_part_opened_from_home(data_dir: Path) -> None:
    from tests.vaults import PASSPHRASE, passphrase_vault

    passphrase_vault(data_dir)
    prompter = ScriptedPrompter({
        "home": Queue(["plan", "checklist", "passwords", "leave"]),
        "unlock.passphrase": PASSPHRASE,  # one answer: a second question would fail the test
        "plan.section": "_leave",
        "checklist.behaviours": [],
        "checklist.section": "_leave",
        "passwords.menu": "leave",
    })
    run_home(Session(default_paths(), Screen(plain=True, file=io.StringIO()), prompter))
    assert [q for q, _ in prompter.asked].count("unlock.passphrase") == 1
    assert not prompter.remaining()
