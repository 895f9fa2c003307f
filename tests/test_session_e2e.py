"""One session, one save path, in real terminals: questions never in stdout, two windows and a
script at once lose nothing, the lock wait is bounded, and leaving clears the screen.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from safetykit.content.checklist import load_checklist
from safetykit.content.plan import load_plan
from safetykit.errors import ExitStatus
from tests.e2e import CLEAR, KEYS, Program, Term, visible
from tests.vaults import PASSPHRASE, keyring_vault, passphrase_vault

pytestmark = [pytest.mark.e2e, pytest.mark.secret_service]

CONTACT = load_checklist().items_in("contact")
PLAN_PEOPLE = load_plan().section("people")
CHROME_EXPORT = (
    "name,url,username,password\n"
    "Mail,https://mail.example.org,sam@example.org,Biscuit1999\n"
    "Shop,https://shop.example.org,sam@example.org,Biscuit1999\n"
)


def states(prog: Program) -> dict[str, str]:
    code, out, err = prog.run("checklist", "show", "--json", stdin=f"{PASSPHRASE}\n")
    assert code == 0, err
    return {row["id"]: row["state"] for row in json.loads(out)}


# ── stdout holds only the command's output ────────────────────────────────────────────────────


JSON_COMMANDS = {
    "status": "safetykit status --json",
    "checklist show": "safetykit checklist show --json",
    "passwords report": "safetykit passwords report --json",
    "passwords check": "safetykit passwords check --csv export.csv --json",
}


@pytest.mark.parametrize("name", list(JSON_COMMANDS))
def test_json_redirected_to_a_file_holds_only_json(prog: Program, name: str) -> None:
    """In a terminal, stdout to a file: the passphrase (and any question) is asked on the
    terminal, and the file holds exactly the JSON."""
    passphrase_vault(prog.home, {"checklist": {"items": {CONTACT[0].id: "done"}}})
    workdir = prog.home.parent
    (workdir / "export.csv").write_text(CHROME_EXPORT)
    term = prog.spawn_shell(JSON_COMMANDS[name] + " > out.json")
    term.wait_for("Your safetykit passphrase")
    term.answer(PASSPHRASE)
    if name == "passwords check":
        term.wait_for("Delete")
        term.send("n")
    status, _ = term.finish()
    assert status == 0, term.text()
    text = (workdir / "out.json").read_text()
    json.loads(text)  # nothing but JSON
    for leaked in ("Your safetykit passphrase", "Delete", "plain text", "\x1b"):
        assert leaked not in text
    if name == "passwords check":
        assert "plain text" in visible(term.text())  # the warning was shown on the terminal
        assert (workdir / "export.csv").exists()  # "n" kept it


def test_markdown_plan_redirected_to_a_file_holds_only_the_plan(prog: Program) -> None:
    passphrase_vault(prog.home, {"plan": {"answers": {"people.code-word": "pineapple"}}})
    term = prog.spawn_shell("safetykit plan export > plan.md")
    term.wait_for("Your safetykit passphrase")
    term.answer(PASSPHRASE)
    status, _ = term.finish()
    assert status == 0, term.text()
    text = (prog.home.parent / "plan.md").read_text()
    assert text.startswith("# ") and "pineapple" in text
    assert "passphrase" not in text.lower() and "\x1b" not in text


def test_json_with_no_terminal_at_all(prog: Program) -> None:
    """Piped in and out (a script): the passphrase is one line of stdin; stdout is pure JSON."""
    passphrase_vault(prog.home)
    for args in (("status", "--json"), ("checklist", "show", "--json"), ("passwords", "report",
                                                                          "--json")):
        code, out, err = prog.run(*args, stdin=f"{PASSPHRASE}\n")
        assert code == 0, err
        json.loads(out)


def test_scriptable_command_asks_for_the_passphrase_in_a_terminal(prog: Program) -> None:
    passphrase_vault(prog.home)
    term = prog.spawn("checklist", "mark", CONTACT[0].id, "done")
    term.wait_for("Your safetykit passphrase")
    term.answer("not the passphrase")
    term.wait_for("tries left")
    term.wait_for("Your safetykit passphrase")
    assert (
        "That passphrase did not open your data. 2 tries left. Passphrases are case-sensitive."
        in " ".join(term.shown().split())
    )
    term.answer(PASSPHRASE)
    status, _ = term.finish()
    assert status == 0, term.text()
    assert states(prog)[CONTACT[0].id] == "done"


def test_wrong_passphrase_on_stdin_says_exactly_that(prog: Program) -> None:
    before = passphrase_vault(prog.home).paths.vault.read_bytes()
    code, _, err = prog.run("checklist", "mark", CONTACT[0].id, "done", stdin="wrong\n")
    assert code == ExitStatus.LOCKED
    assert "That passphrase did not open your data." in err
    assert "case-sensitive" in err and "none was given" not in err
    assert (prog.home / "vault.bin").read_bytes() == before


def test_status_in_a_terminal_needs_no_passphrase(prog: Program) -> None:
    passphrase_vault(prog.home)
    term = prog.spawn("status")
    shown = term.wait_for("Your safetykit passphrase")
    assert str(prog.home) in shown and "encrypted with your passphrase" in shown
    assert "Set up:" in shown and "Last changed:" in shown
    term.answer("")  # Enter: skip the summaries
    status, tail = term.finish()
    assert status == 0
    assert "Summaries: locked" in visible(tail)


# ── two windows and a script at once ──────────────────────────────────────────────────────────


def test_open_checklist_and_a_script_in_between_lose_nothing(prog: Program) -> None:
    keyring_vault(prog.env, {"checklist": {"behaviours": ["calls-texts"],
                                            "behaviours_answered": True}})
    term = prog.spawn("checklist")
    term.wait_for("Where would you like to go")
    term.choose("Contact from your ex")
    term.wait_for(CONTACT[0].title)
    term.wait_for("Where are you with this")
    term.choose("Done")  # first item, in the open window
    term.wait_for(CONTACT[1].title)
    term.wait_for("Where are you with this")

    # Meanwhile, in another terminal, a script marks an item further down.
    code, _, err = prog.run("checklist", "mark", CONTACT[3].id, "not_applicable")
    assert code == 0, err

    term.choose("Doesn't apply to me")  # second item, in the open window: saves again
    term.wait_for("Where are you with this")
    term.choose("Back to the sections")
    term.wait_for("Where would you like to go")
    # the menu shows the script's mark too (read again before it is drawn)
    assert "Contact from your ex (1 of" in term.shown()
    term.choose("Leave for now")
    status, _ = term.finish()
    assert status == 0
    saved = states(prog)
    assert saved[CONTACT[0].id] == "done"
    assert saved[CONTACT[1].id] == "not_applicable"
    assert saved[CONTACT[3].id] == "not_applicable"  # the script's mark survived


def test_two_open_windows_on_plan_and_checklist(prog: Program) -> None:
    keyring_vault(prog.env)
    plan = prog.spawn("plan")
    checklist = prog.spawn("checklist")
    checklist.wait_for("What is your ex doing")
    checklist.tick("They keep calling or texting me")
    checklist.wait_for("Where would you like to go")

    plan.wait_for("Which part would you like to work on")
    plan.choose("People I trust")
    plan.wait_for("Name")
    plan.answer("Maya")
    plan.wait_for("How to reach them")
    plan.answer("555 0100")
    plan.wait_for("What they know")
    plan.answer("everything")  # saved by the plan window

    checklist.choose("Contact from your ex")
    checklist.wait_for("Where are you with this")
    checklist.choose("Done")  # saved by the checklist window
    checklist.wait_for("Where are you with this")

    plan.wait_for("Their name")
    plan.answer("")
    plan.wait_for("code word")
    plan.answer("pineapple")  # the plan window saves again, after the checklist did

    for term in (plan, checklist):
        term.send(KEYS["ctrl-c"])
        assert term.finish()[0] == 130
    code, out, err = prog.run("status", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["checklist"]["done"] == 1
    assert report["checklist"]["behaviours"] == ["calls-texts"]
    # Two plan answers, and what is happening: one answer shared with the checklist.
    assert report["plan"]["answered"] == 3


# ── the lock: bounded wait, and Ctrl-C while waiting ─────────────────────────────────────────


@contextlib.contextmanager
def lock_held(prog: Program) -> Iterator[None]:
    fd = os.open(prog.home / "vault.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def test_a_lock_held_too_long_is_a_clear_message(prog: Program) -> None:
    keyring_vault(prog.env)
    before = (prog.home / "vault.bin").read_bytes()
    prog.env["SAFETYKIT_LOCK_TIMEOUT"] = "1"
    with lock_held(prog):
        started = time.monotonic()
        code, _, err = prog.run("checklist", "mark", CONTACT[0].id, "done")
        took = time.monotonic() - started
    assert code == ExitStatus.BUSY, err
    assert "Another safetykit window" in err and "Traceback" not in err
    assert took < 10
    assert (prog.home / "vault.bin").read_bytes() == before


def test_ctrl_c_while_waiting_for_the_lock_leaves_at_once(prog: Program) -> None:
    keyring_vault(prog.env, {"checklist": {"behaviours_answered": True}})
    prog.env["SAFETYKIT_LOCK_TIMEOUT"] = "60"
    term = prog.spawn("checklist")
    term.wait_for("Where would you like to go")
    term.choose("Contact from your ex")
    term.wait_for("Where are you with this")
    with lock_held(prog):
        term.choose("Done")  # the save now waits for the lock
        time.sleep(0.5)
        started = time.monotonic()
        term.send(KEYS["ctrl-c"])
        status, tail = term.finish(timeout=10)
        took = time.monotonic() - started
    assert status == 130
    assert CLEAR in tail
    assert took < 2, took
    print(f"Ctrl-C to exit while waiting for the lock: {took:.3f} s")


# ── leaving clears the screen ─────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("args", "menu", "leave"),
    [
        (("checklist",), "Where would you like to go", "Leave for now"),
        (("plan",), "Which part would you like to work on", "Leave for now"),
        (("passwords",), "What would you like to do", "Leave for now"),
        ((), "Where would you like to start", "Leave"),
        (("--plain", "checklist"), "Type a number", "Leave for now"),
    ],
)
def test_leaving_normally_clears_the_screen(
    prog: Program, args: tuple[str, ...], menu: str, leave: str
) -> None:
    keyring_vault(prog.env, {"checklist": {"behaviours_answered": True}})
    term = prog.spawn(*args)
    term.wait_for(menu)
    term.choose(leave)
    status, tail = term.finish()
    assert status == 0
    assert CLEAR in tail
    after = tail.rsplit(CLEAR, 1)[1]
    assert not visible(after).strip(), f"shown after clearing: {after!r}"


def test_a_shown_password_is_cleared_once_the_person_has_it(prog: Program) -> None:
    keyring_vault(prog.env, {"passwords": {"accounts": [
        {"id": "a1", "label": "Gmail", "kind": "gmail"}]}})
    term = prog.spawn("passwords")
    term.wait_for("What would you like to do")
    term.choose("Change passwords, most important first")
    term.wait_for("Where are you with this one")
    term.choose("Make me a new password")
    term.wait_for("What kind")
    term.choose("Six random words")
    term.wait_for("What should happen to it")
    term.choose("Show it on screen now")
    term.wait_for("I have it")
    secret_line = next(line for line in term.display() if line.count("-") >= 5)
    secret = secret_line.strip(" │")
    term.choose("I have it: clear the screen")
    term.wait_for("Where are you with this one")
    assert CLEAR in term.text()
    assert secret not in term.shown()  # gone from the screen (and the scrollback)
    assert secret not in visible(term.text().rsplit(CLEAR, 1)[1])
    term.send(KEYS["ctrl-c"])
    assert term.finish()[0] == 130


def test_a_script_can_still_print_normally(prog: Program) -> None:
    """Non-interactive commands print as usual: no clearing."""
    keyring_vault(prog.env)
    term = prog.spawn("checklist", "show")
    status, _ = term.finish()
    assert status == 0 and CLEAR not in term.text()
    assert "Checklist:" in visible(term.text())


def test_stdin_closed_for_a_walkthrough(prog: Program) -> None:
    keyring_vault(prog.env)
    done = subprocess.run(
        ["/bin/sh", "-c", 'exec "$0" -m safetykit checklist <&-', sys.executable],
        capture_output=True, text=True, env=prog.env, timeout=30, check=False,
    )
    assert done.returncode == ExitStatus.NOT_A_TERMINAL
    assert "terminal" in done.stderr and "Traceback" not in done.stderr


def test_term_helper_answers_by_label(prog: Program) -> None:
    """The helper itself: picking by label works in arrow and plain menus alike."""
    keyring_vault(prog.env, {"checklist": {"behaviours_answered": True}})
    for args in (("checklist",), ("--plain", "checklist")):
        term: Term = prog.spawn(*args)
        term.wait_for("Where would you like to go")
        term.choose("Change my phone and apps")
        term.wait_for("Which phone do you use")
        term.send(KEYS["ctrl-c"])
        assert term.finish()[0] == 130


def test_eof_mid_question(prog: Program) -> None:
    keyring_vault(prog.env)
    term = prog.spawn("--plain", "wipe")
    term.wait_for("type: remove")
    term.sendeof()
    status, tail = term.finish()
    assert status == ExitStatus.NOT_A_TERMINAL
    assert "Traceback" not in tail
    assert (prog.home / "vault.bin").exists()
