"""The incident log in a real pseudo-terminal: keys pressed like a person does, a second window
and a script beside it, Ctrl-C and leaving normally."""

from __future__ import annotations

import json
from pathlib import Path

import pexpect
import pytest

from tests.e2e import CLEAR, KEYS, Program
from tests.vaults import keyring_vault

pytestmark = [pytest.mark.e2e, pytest.mark.secret_service]


def test_first_entry_details_a_file_and_a_second_window(prog: Program, tmp_path: Path) -> None:
    keyring_vault(prog.env)
    shot = Path(prog.env["HOME"]) / "shot.png"
    shot.write_bytes(b"\x89PNG" + b"MARKER-file" * 50)
    child = prog.spawn("log")
    child.wait_for("Before the first entry")
    child.wait_for("What would you like to do")
    child.choose("Add what happened")
    child.wait_for("What day did it happen")
    child.answer("2026-03-03")
    child.wait_for("What time")
    child.answer("21:15")
    child.wait_for("Are you sure of that day and time")
    child.send("y")
    child.wait_for("What kind of thing happened")
    child.choose("Showed up, waited or followed")
    child.wait_for("What happened?")
    child.answer("MARKER-waited outside my class")
    child.wait_for("Where?")
    child.answer("campus")
    child.wait_for("Saved as entry 1")

    # A second window (a script) sees it at once, while this one is still open.
    code, out, err = prog.run("log", "list", "--json")
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["kind"] == "showed-up" and row["location"] == "campus"

    child.wait_for("Add more details now")
    child.choose("Attach a file")
    child.wait_for("Which file")
    child.answer(str(shot))
    child.wait_for("What does it show")
    child.answer("their car")
    child.wait_for("Attach another file")
    child.send("n")
    child.wait_for("What would you like to do")
    child.choose("Leave for now")
    status, tail = child.finish()
    assert status == 0 and tail.endswith(CLEAR)

    code, out, _ = prog.run("log", "show", "1", "--json")
    shown = json.loads(out)
    assert shown["attachments"][0]["note"] == "their car"
    assert shown["attachments"][0]["size"] == shot.stat().st_size
    for path in prog.home.rglob("*"):
        if path.is_file():
            assert b"MARKER" not in path.read_bytes()


def test_ctrl_c_in_the_details_keeps_the_entry(prog: Program) -> None:
    keyring_vault(prog.env, {"log": {"notice_seen": True}})
    child = prog.spawn("--plain", "log")
    child.wait_for("Type a number")
    child.choose("Add what happened")
    child.wait_for("What day")
    child.answer("")
    child.wait_for("What time")
    child.answer("")
    child.wait_for("Are you sure")
    child.answer("n")
    child.wait_for("Anything to say about when")
    child.answer("some time in the afternoon")
    child.wait_for("Type a number")
    child.choose("Text or direct message")
    child.wait_for("What happened?")
    child.answer("forty messages")
    child.wait_for("Where?")
    child.answer("")
    child.wait_for("Type a number")
    child.choose("Yes: who saw it")
    child.wait_for("In a few words")
    child.answer("half-typ")
    child.send(KEYS["ctrl-c"])
    child.expect_exact(CLEAR)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    code, out, _ = prog.run("log", "list", "--json")
    assert code == 0
    (row,) = json.loads(out)
    assert row["approximate"] is True and row["summary"] == "forty messages"
