"""The checklist in a real pseudo-terminal, pressing keys like a person."""

from __future__ import annotations

import json

import pexpect
import pytest

from safetykit.content.checklist import load_checklist
from tests.e2e import CLEAR, KEYS, Program, Term

pytestmark = [pytest.mark.e2e, pytest.mark.secret_service]

FIRST = load_checklist().items_in("contact")[0]
SECOND = load_checklist().items_in("contact")[1]


def first_run_with_keyring(child: Term) -> None:
    child.expect("Welcome")
    child.expect("How should your data be protected")
    child.choose("Keep the key in this computer's keyring")
    child.expect("What is your ex doing")
    child.tick("They keep calling or texting me")


def test_answer_quit_and_come_back(prog: Program) -> None:
    child = prog.spawn("checklist")
    first_run_with_keyring(child)
    child.expect("Where would you like to go")
    child.send(KEYS["enter"])  # the suggested section: contact
    child.expect_exact(FIRST.title)
    child.expect("Where are you with this")
    child.choose("Done")
    child.expect_exact(SECOND.title)
    child.expect("Where are you with this")
    child.choose("Doesn't apply to me")
    child.expect("Where are you with this")
    child.choose("Back to the sections")
    child.expect("Where would you like to go")
    child.choose("Leave for now")
    status, tail = child.finish()
    assert status == 0
    assert tail.endswith(CLEAR)

    again = prog.spawn("checklist")
    again.expect("Your checklist: 1 of")  # remembered, no welcome, no behaviour question
    again.expect(r"Contact from your ex \(1 of \d+ done\)")
    again.send(KEYS["enter"])
    index = again.expect_exact([FIRST.title, load_checklist().items_in("contact")[2].title])
    assert index == 1  # resumes after the answered items
    again.send(KEYS["ctrl-c"])
    again.expect(pexpect.EOF)
    again.close()

    code, out, _ = prog.run("checklist", "show", "--json")
    assert code == 0
    states = {row["id"]: row["state"] for row in json.loads(out)}
    assert states[FIRST.id] == "done"
    assert states[SECOND.id] == "not_applicable"


def test_ctrl_c_mid_checklist_clears_the_screen_and_keeps_answers(prog: Program) -> None:
    child = prog.spawn("checklist")
    first_run_with_keyring(child)
    child.expect("Where would you like to go")
    child.send(KEYS["enter"])
    child.expect("Where are you with this")
    child.choose("Done")
    child.expect("Where are you with this")
    child.send(KEYS["ctrl-c"])
    child.expect_exact(CLEAR)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    code, out, _ = prog.run("checklist", "show", "--json")
    assert code == 0
    states = {row["id"]: row["state"] for row in json.loads(out)}
    assert states[FIRST.id] == "done"
    assert states[SECOND.id] == "todo"


def test_plain_mode_is_numbered_and_has_no_escape_codes(prog: Program) -> None:
    child = prog.spawn("--plain", "checklist")
    child.expect("How should your data be protected")
    child.expect("Type a number")
    child.choose("Keep the key in this computer's keyring")
    child.expect("Type the numbers that apply")
    child.tick("They keep calling or texting me", "They turn up at my home, school or work")
    child.expect("Type a number")
    before = child.before
    assert "1. " in before and "h. Talk to someone now" in before
    assert "\x1b[" not in before.replace(CLEAR, "")
    child.choose("Talk to someone now")
    child.expect("1-800-799-7233")
    child.expect("Type a number")
    child.send(KEYS["ctrl-c"])
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_narrow_terminal(prog: Program) -> None:
    child = prog.spawn("checklist", columns=40)
    first_run_with_keyring(child)
    child.expect("Where would you like to go")
    child.send(KEYS["ctrl-c"])
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
