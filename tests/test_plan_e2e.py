"""The plan in a real pseudo-terminal: answer, leave, come back, export."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pexpect
import pytest

from tests.e2e import CLEAR, KEYS, Program

pytestmark = [pytest.mark.e2e, pytest.mark.secret_service]


def test_answer_leave_and_come_back(prog: Program) -> None:
    child = prog.spawn("plan")
    child.expect("How should your data be protected")
    child.choose("Keep the key in this computer's keyring")
    child.expect("Which part would you like to work on")
    child.choose("People I trust")
    child.expect("Name")
    child.send("Maya" + KEYS["enter"])
    child.expect("How to reach them")
    child.send("555 0100" + KEYS["enter"])
    child.expect("What they know")
    child.send("everything" + KEYS["enter"])
    child.expect("Someone else")
    child.send(KEYS["enter"])
    child.expect("code word")
    child.send("pineapple" + KEYS["enter"])
    child.expect("when they hear my code word")
    child.send(KEYS["ctrl-c"])
    child.expect_exact(CLEAR)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    again = prog.spawn("plan")
    again.expect("Which part")
    again.expect(r"People I trust \(2 of 3 answered\)")
    again.choose("Leave for now")
    status, tail = again.finish()
    assert status == 0
    assert tail.endswith(CLEAR)  # leaving normally clears the screen too

    code, out, _ = prog.run("status", "--json")
    assert code == 0 and json.loads(out)["plan"]["answered"] == 2
    target = Path(prog.env["HOME"]) / "exported"  # inside home: not a shared folder
    target.mkdir()
    code, _, err = prog.run("plan", "export", "--format", "html", "--output", f"{target}/a.html")
    assert code == 0, err
    page = (target / "a.html").read_text()
    assert "Maya" in page and "pineapple" in page
    assert stat.S_IMODE((target / "a.html").stat().st_mode) == 0o600
    for path in prog.home.iterdir():
        assert b"Maya" not in path.read_bytes() and b"pineapple" not in path.read_bytes()
