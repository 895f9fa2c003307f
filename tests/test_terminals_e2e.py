"""Real terminals: quick exit at every kind of prompt, closed input, a narrow screen, plain mode.

Extends tests/test_checklist_e2e.py, tests/test_plan_e2e.py and tests/test_real_keyring.py (which
already cover Ctrl-C at a checklist item, at a plan text question and at the wipe confirmation,
plain mode up to the first menu, and a narrow checklist menu).

The pseudo-terminal here answers cursor-position requests (``ESC [ 6 n``) the way a terminal
emulator does. Without an answer, prompt_toolkit waits up to a second for one when a prompt
ends, which no person at a real terminal ever sees; answering keeps the measured time from
Ctrl-C to exit honest. That time is recorded (``record_property`` and printed), not asserted.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from safetykit.content.checklist import load_checklist
from safetykit.content.plan import load_plan
from tests.e2e import CLEAR, KEYS, Program, Term, program, visible
from tests.secret_service import SecretServiceSession
from tests.vaults import PASSPHRASE
from tests.vaults import keyring_vault as make_keyring_vault
from tests.vaults import passphrase_vault as make_passphrase_vault

pytestmark = [pytest.mark.e2e, pytest.mark.secret_service]

FIRST_ITEM = load_checklist().items_in("contact")[0]
PLAN_TITLES = {s.id: s.title for s in load_plan().sections}


def spawn(prog: Program, *args: str, columns: int = 100, env: dict[str, str] | None = None) -> Term:
    return prog.spawn(*args, columns=columns, env=env)


def quick_exit(term: Term, label: str, record_property: Callable[[str, object], None]) -> float:
    """Press Ctrl-C: exit 130, the screen and scrollback cleared, and not a word after that."""
    started = time.monotonic()
    term.send(KEYS["ctrl-c"])
    status, tail = term.finish()
    seconds = time.monotonic() - started
    assert status == 130, tail
    assert CLEAR in tail
    after_clear = tail.rsplit(CLEAR, 1)[1]
    assert not re.search(r"\w", visible(after_clear)), f"shown after clearing: {after_clear!r}"
    record_property(f"ctrl_c_to_exit_{label}", round(seconds, 3))
    print(f"Ctrl-C to exit at {label}: {seconds:.3f} s")
    return seconds


@pytest.fixture
def prog(secret_service: SecretServiceSession, tmp_path: Path) -> Program:
    return program(secret_service, tmp_path)


def keyring_vault(prog: Program, state: dict[str, Any] | None = None) -> None:
    make_keyring_vault(prog.env, state)


def passphrase_vault(prog: Program, state: dict[str, Any] | None = None) -> bytes:
    make_passphrase_vault(prog.home, state, PASSPHRASE)
    return (prog.home / "vault.bin").read_bytes()


def status(prog: Program, stdin: str = "") -> dict[str, Any]:
    code, out, err = prog.run("status", "--json", stdin=stdin)
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def nothing_stored(prog: Program) -> None:
    assert not (prog.home / "vault.bin").exists()
    assert status(prog)["protection"] is None


def pdfs(prog: Program) -> list[Path]:
    return sorted(Path(prog.env["HOME"]).rglob("*.pdf"))


# ── quick exit at each kind of prompt ───────────────────────────────────────────────────────
# Each scenario takes the program to one prompt and returns a check for afterwards.

Scenario = Callable[[Program], tuple[Term, Callable[[Term], None]]]


def checklist_select_at_first_run(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    term = spawn(prog, "checklist")
    term.wait_for("How should your data be protected")
    return term, lambda _t: nothing_stored(prog)


def checklist_hidden_new_passphrase(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    term = spawn(prog, "checklist")
    term.wait_for("How should your data be protected")
    term.choose("Use a passphrase I type each time")
    term.wait_for("New passphrase")
    term.send("MARKER-HALF-TYPED")

    def after(t: Term) -> None:
        nothing_stored(prog)
        assert "MARKER-HALF-TYPED" not in t.text()

    return term, after


def checklist_checkbox(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    term = spawn(prog, "checklist")
    term.wait_for("How should your data be protected")
    term.choose("Keep the key in this computer's keyring")
    term.wait_for("What is your ex doing")
    term.send(KEYS["space"])  # ticked but not confirmed: not an answer

    def after(_t: Term) -> None:
        report = status(prog)
        assert report["protection"] == "keyring"  # the choice made before Ctrl-C is kept
        assert report["checklist"]["behaviours"] == []

    return term, after


def checklist_hidden_unlock(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    before = passphrase_vault(prog, {"checklist": {"items": {FIRST_ITEM.id: "done"}}})
    term = spawn(prog, "checklist")
    term.wait_for("Your safetykit passphrase")
    term.send("MARKER-UNLOCK")

    def after(t: Term) -> None:
        assert (prog.home / "vault.bin").read_bytes() == before
        assert "MARKER-UNLOCK" not in t.text()

    return term, after


def plan_checkbox(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    keyring_vault(prog)
    term = spawn(prog, "plan")
    term.wait_for("Which part would you like to work on")
    term.choose(PLAN_TITLES["happening"])
    term.wait_for("What is your ex doing")
    term.send(KEYS["space"])
    return term, lambda _t: _answered(prog, 0)


def plan_select_with_answers_kept(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    keyring_vault(prog)
    term = spawn(prog, "plan")
    term.wait_for("Which part would you like to work on")
    term.choose(PLAN_TITLES["happening"])
    term.wait_for("What is your ex doing")
    term.tick(load_plan().question("happening.behaviours").options[0].label)
    term.wait_for("Anything else I want to remember")
    term.send("calls at night" + KEYS["enter"])
    term.wait_for("What worries me most")
    term.send(KEYS["enter"])
    term.wait_for("Open the incident log now")  # offered after "what is happening"
    term.send("n")
    term.wait_for("Which part would you like to work on")
    term.choose(PLAN_TITLES["contact"])
    term.wait_for("How I want to handle their calls")
    term.send(KEYS["down"])  # moving through the choices, nothing chosen yet
    return term, lambda _t: _answered(prog, 2)


def _to_pdf_protect_question(prog: Program) -> Term:
    keyring_vault(prog)
    term = spawn(prog, "plan")
    term.wait_for("Which part would you like to work on")
    term.choose("Save my plan to a file I can print")
    term.wait_for("Which kind of file")
    term.choose("PDF, to print or keep on a phone")
    term.wait_for("Where should it go")
    term.send(KEYS["enter"])  # the suggested place, in the home folder
    term.wait_for("Protect the PDF with a password")
    return term


def plan_yes_no(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    term = _to_pdf_protect_question(prog)
    return term, lambda _t: _no_pdf(prog)


def plan_hidden_pdf_password(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    term = _to_pdf_protect_question(prog)
    term.send("y")
    term.wait_for("New password for the PDF")
    term.send("MARKER-PDF-PASSWORD")

    def after(t: Term) -> None:
        _no_pdf(prog)
        assert "MARKER-PDF-PASSWORD" not in t.text()

    return term, after


def status_hidden_unlock(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    before = passphrase_vault(prog)
    term = spawn(prog, "status")
    term.wait_for("Your safetykit passphrase")
    return term, lambda _t: _unchanged(prog, before)


def plain_wipe_text(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    keyring_vault(prog)
    before = (prog.home / "vault.bin").read_bytes()
    term = spawn(prog, "--plain", "wipe")
    term.wait_for("type: remove")
    term.send("remo")  # half typed: nothing happens
    return term, lambda _t: _unchanged(prog, before)


def plain_checklist_numbers(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    term = spawn(prog, "--plain", "checklist")
    term.wait_for("Type a number")
    term.choose("Keep the key in this computer's keyring")
    term.wait_for("Type the numbers that apply")
    term.send("1 2")  # ticked by number, not yet confirmed

    def after(_t: Term) -> None:
        assert status(prog)["protection"] == "keyring"

    return term, after


def plain_checklist_getpass(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    term = spawn(prog, "--plain", "checklist")
    term.wait_for("Type a number")
    term.choose("Use a passphrase I type each time")
    term.wait_for("New passphrase")
    term.send("MARKER-PLAIN-SECRET")

    def after(t: Term) -> None:
        nothing_stored(prog)
        assert "MARKER-PLAIN-SECRET" not in t.text()

    return term, after


def plain_plan_text(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    keyring_vault(prog)
    term = spawn(prog, "--plain", "plan")
    term.wait_for("Type a number")
    term.choose(PLAN_TITLES["people"])
    term.wait_for("Name")
    term.send("Maya" + KEYS["enter"])
    term.wait_for("How to reach them")
    term.send("555 0100" + KEYS["enter"])
    term.wait_for("What they know")
    term.send("everything" + KEYS["enter"])
    term.wait_for("Their name")
    term.send("Jo")  # half typed
    return term, lambda _t: _answered(prog, 1)


def plain_plan_yes_no(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    keyring_vault(prog)
    term = spawn(prog, "--plain", "plan")
    term.wait_for("Type a number")
    term.choose("Save my plan to a file I can print")
    term.wait_for("Which kind of file")
    term.wait_for("Type a number")
    term.choose("PDF, to print or keep on a phone")
    term.wait_for("Where should it go")
    term.send(KEYS["enter"])
    term.wait_for("(Y/n)")
    return term, lambda _t: _no_pdf(prog)


def plain_status_getpass(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    before = passphrase_vault(prog)
    term = spawn(prog, "--plain", "status")
    term.wait_for("Your safetykit passphrase")
    return term, lambda _t: _unchanged(prog, before)


def _answered(prog: Program, count: int) -> None:
    assert status(prog)["plan"]["answered"] == count


def _no_pdf(prog: Program) -> None:
    assert pdfs(prog) == []


def _unchanged(prog: Program, before: bytes) -> None:
    assert (prog.home / "vault.bin").read_bytes() == before


SCENARIOS: dict[str, Scenario] = {
    "checklist: select (first run)": checklist_select_at_first_run,
    "checklist: hidden new passphrase": checklist_hidden_new_passphrase,
    "checklist: checkbox": checklist_checkbox,
    "checklist: hidden unlock passphrase": checklist_hidden_unlock,
    "plan: checkbox": plan_checkbox,
    "plan: select, earlier answers kept": plan_select_with_answers_kept,
    "plan: yes/no": plan_yes_no,
    "plan: hidden PDF password": plan_hidden_pdf_password,
    "status: hidden unlock passphrase": status_hidden_unlock,
    "wipe --plain: text": plain_wipe_text,
    "checklist --plain: numbers to tick": plain_checklist_numbers,
    "checklist --plain: hidden passphrase": plain_checklist_getpass,
    "plan --plain: text": plain_plan_text,
    "plan --plain: yes/no": plain_plan_yes_no,
    "status --plain: hidden passphrase": plain_status_getpass,
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_quick_exit_at_every_kind_of_prompt(
    prog: Program, name: str, record_property: Callable[[str, object], None]
) -> None:
    term, after = SCENARIOS[name](prog)
    label = re.sub(r"\W+", "_", name).strip("_")
    quick_exit(term, label, record_property)
    if "--plain" in name:
        assert "\x1b[" not in term.text().replace(CLEAR, "")
    after(term)


# ── no terminal, or input that ends ─────────────────────────────────────────────────────────


def run_without_input(prog: Program, *args: str, timeout: float = 30) -> tuple[int, str, float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "safetykit", *args], stdin=subprocess.DEVNULL,
        capture_output=True, text=True, env=prog.env, timeout=timeout, check=False,
    )
    return done.returncode, done.stderr, time.monotonic() - started


@pytest.mark.parametrize(
    "args", [("checklist",), ("plan",), ("--plain", "checklist"), ("--plain", "plan"), ("wipe",)]
)
def test_closed_stdin_is_refused_at_once(
    prog: Program, args: tuple[str, ...], record_property: Callable[[str, object], None]
) -> None:
    keyring_vault(prog)
    before = (prog.home / "vault.bin").read_bytes()
    code, err, seconds = run_without_input(prog, *args)
    record_property("seconds", round(seconds, 3))
    assert code == 6, err
    assert "terminal" in err and "Traceback" not in err
    assert (prog.home / "vault.bin").read_bytes() == before


def test_closed_stdin_with_a_passphrase_vault(prog: Program) -> None:
    before = passphrase_vault(prog)
    for args in (("checklist", "show"), ("checklist", "mark", FIRST_ITEM.id, "done")):
        code, err, _ = run_without_input(prog, *args)
        assert code == 4, err
        assert "standard input" in err and "Traceback" not in err
    # status says where and how without the passphrase
    code, err, _ = run_without_input(prog, "status")
    assert code == 0, err
    assert (prog.home / "vault.bin").read_bytes() == before


@pytest.mark.parametrize(
    "args", [("status",), ("checklist", "show"), ("checklist", "mark", FIRST_ITEM.id, "done")]
)
def test_standard_input_closed_altogether(prog: Program, args: tuple[str, ...]) -> None:
    """``safetykit ... <&-``: a clear sentence and exit 4 (or 0 for status), never a crash."""
    before = passphrase_vault(prog)
    done = subprocess.run(
        ["/bin/sh", "-c", f'exec "$0" -m safetykit {" ".join(args)} <&-', sys.executable],
        capture_output=True, text=True, env=prog.env, timeout=30, check=False,
    )
    assert "Traceback" not in done.stderr and "went wrong" not in done.stderr, done.stderr
    if args == ("status",):
        assert done.returncode == 0, done.stderr
        assert "Summaries: locked" in done.stdout
    else:
        assert done.returncode == 4, done.stderr
        assert "none was given" in done.stderr and "standard input" in done.stderr
    assert (prog.home / "vault.bin").read_bytes() == before


def test_closed_stdin_for_a_protected_pdf(prog: Program) -> None:
    keyring_vault(prog)
    target = Path(prog.env["HOME"]) / "plan.pdf"
    code, err, _ = run_without_input(
        prog, "plan", "export", "--format", "pdf", "--protect", "--output", str(target)
    )
    assert code == 6, err
    assert "password" in err
    assert not target.exists()


def test_terminal_input_but_output_to_a_pipe(prog: Program) -> None:
    """Questions need both ends to be a terminal: ``safetykit checklist > file`` is refused."""
    keyring_vault(prog)
    leader, follower = os.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "safetykit", "checklist"], stdin=follower,
            capture_output=True, text=True, env=prog.env, timeout=30, check=False,
        )
    finally:
        os.close(leader)
        os.close(follower)
    assert done.returncode == 6, done.stderr
    assert "safetykit checklist show" in " ".join(done.stderr.split())


def test_input_that_ends_mid_plan_keeps_what_was_answered(prog: Program) -> None:
    keyring_vault(prog)
    term = spawn(prog, "--plain", "plan")
    term.wait_for("Type a number")
    term.choose(PLAN_TITLES["people"])
    term.wait_for("Name")
    term.send("Maya" + KEYS["enter"])
    term.wait_for("How to reach them")
    term.send("555 0100" + KEYS["enter"])
    term.wait_for("What they know")
    term.send("everything" + KEYS["enter"])
    term.wait_for("Their name")
    term.sendeof()  # Ctrl-D: the input ends
    status, tail = term.finish()
    assert status == 6
    said = " ".join(tail.split())
    # At a terminal, so not "run safetykit in a terminal".
    assert "Ctrl-D ended the input, so safetykit stopped" in said
    assert "Run the same command again to go on." in said
    assert "in a terminal" not in said
    assert "Traceback" not in tail
    _answered(prog, 1)


def test_ctrl_d_at_an_arrow_key_prompt_text(prog: Program) -> None:
    """Ctrl-D in an empty text answer ends the input calmly too (exit 6), answers kept."""
    keyring_vault(prog)
    term = spawn(prog, "plan")
    term.wait_for("Which part would you like to work on")
    term.choose(PLAN_TITLES["people"])
    term.wait_for("Name")
    term.send("Maya" + KEYS["enter"])
    term.wait_for("How to reach them")
    term.send("555 0100" + KEYS["enter"])
    term.wait_for("What they know")
    term.send("everything" + KEYS["enter"])
    term.wait_for("Their name")
    term.send("\x04")
    status, tail = term.finish()
    assert status == 6, tail
    assert "Ctrl-D ended the input" in " ".join(tail.split())
    assert "in a terminal" not in " ".join(tail.split())
    assert "Traceback" not in tail
    _answered(prog, 1)


# ── a narrow terminal ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("args", [("status",), ("checklist", "show"), ("--plain", "status")])
def test_narrow_terminal_output_fits(prog: Program, args: tuple[str, ...]) -> None:
    keyring_vault(prog, {"checklist": {"items": {FIRST_ITEM.id: "done"}}})
    term = spawn(prog, *args, columns=40)
    status, shown = term.finish()
    assert status == 0, shown
    lines = visible(shown).split("\r\n")
    assert len(lines) > 3
    too_wide = [line for line in lines if len(line) > 40]
    assert not too_wide


def test_narrow_terminal_through_an_item_and_its_steps(prog: Program) -> None:
    keyring_vault(prog, {"checklist": {"behaviours": ["calls-texts"], "behaviours_answered": True}})
    term = spawn(prog, "checklist", columns=40)
    term.wait_for("Where would you like to go")
    term.send(KEYS["enter"])  # the suggested section
    term.wait_for("Where are you with this")
    term.choose("Show me how")
    asked = term.expect_exact(["Which phone do you use", "╭"])
    if asked == 0:
        term.send(KEYS["enter"])
        term.wait_for("Which of these apps")
        term.send(KEYS["enter"])
        term.wait_for("╭")
    shown = "╭" + term.wait_for("Where are you with this")
    boxes = [
        line.rstrip() for line in visible(shown).replace("\r\n", "\n").split("\n")
        if line.strip().startswith(("╭", "│", "╰"))
    ]
    assert boxes, f"the steps were not shown in a box: {visible(shown)!r}"
    assert all(len(line) <= 40 for line in boxes), boxes
    term.choose("Done")
    term.wait_for("Where are you with this")  # the next item
    term.choose("Back to the sections")
    term.wait_for("Where would you like to go")
    term.choose("Leave for now")
    status, _ = term.finish()
    assert status == 0
    code, out, _ = prog.run("checklist", "show", "--json")
    assert code == 0
    assert [r["state"] for r in json.loads(out)].count("done") == 1


def test_narrow_plain_welcome_is_wrapped(prog: Program) -> None:
    term = spawn(prog, "--plain", "checklist", columns=40)
    shown = term.wait_for("How should your data be protected")
    term.wait_for("Type a number")
    term.choose("Leave now and store nothing")
    status, _ = term.finish()
    assert status == 0
    welcome = [line for line in visible(shown).split("\r\n") if line.strip()]
    assert any("Ctrl-C" in line for line in welcome)
    assert all(len(line) <= 40 for line in welcome), [w for w in welcome if len(w) > 40]
    nothing_stored(prog)


# ── plain mode ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("how", ["--plain", "plan --plain", "SAFETYKIT_PLAIN=1"])
def test_plain_plan_walk_has_numbers_and_no_escape_codes(prog: Program, how: str) -> None:
    keyring_vault(prog)
    if how == "--plain":
        term = spawn(prog, "--plain", "plan")
    elif how == "plan --plain":
        term = spawn(prog, "plan", "--plain")
    else:
        term = spawn(prog, "plan", env={**prog.env, "SAFETYKIT_PLAIN": "1"})
    menu = term.wait_for("Type a number")
    assert f". {PLAN_TITLES['contact']}" in menu and "h. Talk to someone now" in menu
    term.choose(PLAN_TITLES["happening"])
    term.wait_for("Type the numbers that apply")
    term.tick(*[o.label for o in load_plan().question("happening.behaviours").options[:3:2]])
    term.wait_for("Anything else I want to remember")
    term.send("late calls" + KEYS["enter"])
    term.wait_for("What worries me most")
    term.send("the school run" + KEYS["enter"])
    term.wait_for("Another one?")
    term.send(KEYS["enter"])
    term.wait_for("Open the incident log now")
    term.send("n" + KEYS["enter"])
    term.wait_for("Type a number")
    term.choose(PLAN_TITLES["contact"])
    term.wait_for("How I want to handle their calls")
    term.wait_for("Type a number")
    term.send("?" + KEYS["enter"])  # the hotlines, then the same question again
    term.wait_for("1-800-799-7233")
    term.wait_for("Type a number")
    term.choose(load_plan().question("contact.approach").options[0].label)
    term.wait_for("Where they contact me")
    term.send(KEYS["enter"])
    term.wait_for("How and where I keep evidence")
    term.send(KEYS["enter"])
    term.wait_for("What I will say if I have to answer")
    term.send(KEYS["enter"])
    term.wait_for("Type a number")
    term.choose("Leave for now")
    status, _ = term.finish()
    assert status == 0
    assert "\x1b" not in term.text().replace(CLEAR, "")
    _answered(prog, 4)


def test_plain_typed_escape_sequences_are_stored_and_shown_clean(prog: Program) -> None:
    keyring_vault(prog)
    hostile = "\x1b[31mRED\x1b[0m \x1b]0;TITLE\x07done \u202eevil"
    term = spawn(prog, "--plain", "plan")
    term.wait_for("Type a number")
    term.choose(PLAN_TITLES["happening"])
    term.wait_for("Type the numbers that apply")
    term.send(KEYS["enter"])
    term.wait_for("Anything else I want to remember")
    term.send(hostile + KEYS["enter"])
    term.wait_for("What worries me most")
    term.send(KEYS["enter"])
    term.wait_for("Open the incident log now")
    term.send("n" + KEYS["enter"])
    term.wait_for("Type a number")
    term.choose("Leave for now")
    term.finish()

    again = spawn(prog, "--plain", "plan")
    again.wait_for("Type a number")
    again.choose(PLAN_TITLES["happening"])
    again.wait_for("which question?")  # answered before: the part lists its questions
    again.wait_for("Type a number")
    again.choose("Anything else I want to remember")
    again.wait_for("Anything else I want to remember")
    again.wait_for(": ")
    assert "RED done evil" in again.text()
    program_output = again.text()
    assert "\x1b" not in program_output and "\u202e" not in program_output
    again.send(KEYS["ctrl-c"])
    again.finish()

    code, out, err = prog.run("plan", "export")
    assert code == 0, err
    assert "RED" in out and "\x1b" not in out and "\x07" not in out and "\u202e" not in out
