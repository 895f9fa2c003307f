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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pexpect
import pytest
from e2e import CLEAR, KEYS, Program, program
from secret_service import SecretServiceSession

from safetykit.content.checklist import load_checklist
from safetykit.content.plan import load_plan
from safetykit.storage import schema, sealed
from safetykit.storage.paths import DataPaths
from safetykit.storage.vault import Vault

pytestmark = [pytest.mark.e2e, pytest.mark.secret_service]

CPR_REQUEST = "\x1b[6n"
CPR_ANSWER = "\x1b[5;1R"
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")
PASSPHRASE = "terminal test passphrase"
FAST_N = 2**10
PLAN_SECTIONS = [s.id for s in load_plan().sections if s.questions]
FIRST_ITEM = load_checklist().items_in("contact")[0]


def plan_key(section_id: str) -> str:
    """The key that picks a plan section: its number in the menu (1 to 9 here)."""
    number = PLAN_SECTIONS.index(section_id) + 1
    assert number <= 9
    return str(number)


PLAIN_EXPORT = str(len(PLAN_SECTIONS) + 1)  # plain mode numbers every option but the hotlines
PLAIN_LEAVE = str(len(PLAN_SECTIONS) + 2)


@dataclass
class Term:
    """A program in a pseudo-terminal that answers cursor-position requests like a terminal."""

    child: pexpect.spawn
    transcript: list[str] = field(default_factory=list)

    def expect(self, pattern: str | type[pexpect.EOF], timeout: float = 20) -> str:
        """Wait for ``pattern`` (a literal string, or EOF); the text shown before it."""
        return self.expect_one_of([pattern], timeout)[1]

    def expect_one_of(
        self, patterns: list[str | type[pexpect.EOF]], timeout: float = 20
    ) -> tuple[int, str]:
        """Wait for the first of ``patterns``; its index and the text shown before it."""
        targets: list[Any] = [p if p is pexpect.EOF else re.escape(str(p)) for p in patterns]
        shown = ""
        while True:
            index = self.child.expect([*targets, re.escape(CPR_REQUEST)], timeout=timeout)
            before = self.child.before if isinstance(self.child.before, str) else ""
            after = self.child.after if isinstance(self.child.after, str) else ""
            shown += before
            self.transcript.append(before + after)
            if index < len(targets):
                return index, shown
            self.child.send(CPR_ANSWER)

    def send(self, text: str) -> None:
        self.child.send(text)

    def text(self) -> str:
        return "".join(self.transcript)


def spawn(prog: Program, *args: str, columns: int = 100, env: dict[str, str] | None = None) -> Term:
    if env is None:
        return Term(prog.spawn(*args, columns=columns))
    child = pexpect.spawn(
        sys.executable, ["-m", "safetykit", *args], env=env, encoding="utf-8", timeout=20,
        dimensions=(40, columns),
    )
    return Term(child)


def visible(text: str) -> str:
    return ANSI.sub("", text.replace(CLEAR, ""))


def quick_exit(term: Term, label: str, record_property: Callable[[str, object], None]) -> float:
    """Press Ctrl-C: exit 130, the screen and scrollback cleared, and not a word after that."""
    started = time.monotonic()
    term.send(KEYS["ctrl-c"])
    tail = term.expect(pexpect.EOF)
    seconds = time.monotonic() - started
    term.child.close()
    assert term.child.exitstatus == 130, tail
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
    code = (
        "import json, sys\n"
        "from safetykit.storage.paths import default_paths\n"
        "from safetykit.storage.vault import create_vault\n"
        "vault = create_vault(default_paths(), 'keyring')\n"
        "vault.state.update(json.loads(sys.stdin.read()))\n"
        "vault.save()\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(state or {}), text=True, env=prog.env,
        check=True, timeout=60,
    )


def passphrase_vault(prog: Program, state: dict[str, Any] | None = None) -> bytes:
    kdf = sealed.KdfParams(salt=os.urandom(16), n=FAST_N)
    key = sealed.derive_key(PASSPHRASE, kdf)
    full = {**schema.empty_state(), **(state or {})}
    Vault(DataPaths(prog.home), sealed.make_header("passphrase", key, kdf=kdf), key, full).save()
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
    term.expect("How should your data be protected")
    return term, lambda _t: nothing_stored(prog)


def checklist_hidden_new_passphrase(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    term = spawn(prog, "checklist")
    term.expect("How should your data be protected")
    term.send("p" + KEYS["enter"])
    term.expect("New passphrase")
    term.send("MARKER-HALF-TYPED")

    def after(t: Term) -> None:
        nothing_stored(prog)
        assert "MARKER-HALF-TYPED" not in t.text()

    return term, after


def checklist_checkbox(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    term = spawn(prog, "checklist")
    term.expect("How should your data be protected")
    term.send("k" + KEYS["enter"])
    term.expect("What is your ex doing")
    term.send(KEYS["space"])  # ticked but not confirmed: not an answer

    def after(_t: Term) -> None:
        report = status(prog)
        assert report["protection"] == "keyring"  # the choice made before Ctrl-C is kept
        assert report["checklist"]["behaviours"] == []

    return term, after


def checklist_hidden_unlock(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    before = passphrase_vault(prog, {"checklist": {"items": {FIRST_ITEM.id: "done"}}})
    term = spawn(prog, "checklist")
    term.expect("Your safetykit passphrase")
    term.send("MARKER-UNLOCK")

    def after(t: Term) -> None:
        assert (prog.home / "vault.bin").read_bytes() == before
        assert "MARKER-UNLOCK" not in t.text()

    return term, after


def plan_checkbox(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    keyring_vault(prog)
    term = spawn(prog, "plan")
    term.expect("Which part would you like to work on")
    term.send(plan_key("happening") + KEYS["enter"])
    term.expect("Which of these has your ex been doing")
    term.send(KEYS["space"])
    return term, lambda _t: _answered(prog, 0)


def plan_select_with_answers_kept(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    keyring_vault(prog)
    term = spawn(prog, "plan")
    term.expect("Which part would you like to work on")
    term.send(plan_key("happening") + KEYS["enter"])
    term.expect("Which of these has your ex been doing")
    term.send(KEYS["space"] + KEYS["enter"])
    term.expect("Anything else I want to remember")
    term.send("calls at night" + KEYS["enter"])
    term.expect("What worries me most")
    term.send(KEYS["enter"])
    term.expect("Which part would you like to work on")
    term.send(plan_key("contact") + KEYS["enter"])
    term.expect("How I want to handle their calls")
    term.send(KEYS["down"])
    return term, lambda _t: _answered(prog, 2)


def _to_pdf_protect_question(prog: Program) -> Term:
    keyring_vault(prog)
    term = spawn(prog, "plan")
    term.expect("Which part would you like to work on")
    term.send("s" + KEYS["enter"])
    term.expect("Which kind of file")
    term.send("p" + KEYS["enter"])
    term.expect("Where should it go")
    term.send(KEYS["enter"])  # the suggested place, in the home folder
    term.expect("Protect the PDF with a password")
    return term


def plan_yes_no(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    term = _to_pdf_protect_question(prog)
    return term, lambda _t: _no_pdf(prog)


def plan_hidden_pdf_password(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    term = _to_pdf_protect_question(prog)
    term.send("y")
    term.expect("New password for the PDF")
    term.send("MARKER-PDF-PASSWORD")

    def after(t: Term) -> None:
        _no_pdf(prog)
        assert "MARKER-PDF-PASSWORD" not in t.text()

    return term, after


def status_hidden_unlock(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    before = passphrase_vault(prog)
    term = spawn(prog, "status")
    term.expect("Your safetykit passphrase")
    return term, lambda _t: _unchanged(prog, before)


def plain_wipe_text(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    keyring_vault(prog)
    before = (prog.home / "vault.bin").read_bytes()
    term = spawn(prog, "--plain", "wipe")
    term.expect("type: remove")
    term.send("remo")  # half typed: nothing happens
    return term, lambda _t: _unchanged(prog, before)


def plain_checklist_numbers(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    term = spawn(prog, "--plain", "checklist")
    term.expect("Type a number")
    term.send("1" + KEYS["enter"])  # keyring
    term.expect("Type the numbers that apply")
    term.send("1 2")

    def after(_t: Term) -> None:
        assert status(prog)["protection"] == "keyring"

    return term, after


def plain_checklist_getpass(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    term = spawn(prog, "--plain", "checklist")
    term.expect("Type a number")
    term.send("2" + KEYS["enter"])  # passphrase
    term.expect("New passphrase")
    term.send("MARKER-PLAIN-SECRET")

    def after(t: Term) -> None:
        nothing_stored(prog)
        assert "MARKER-PLAIN-SECRET" not in t.text()

    return term, after


def plain_plan_text(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    keyring_vault(prog)
    term = spawn(prog, "--plain", "plan")
    term.expect("Type a number")
    term.send(plan_key("people") + KEYS["enter"])
    term.expect("Name")
    term.send("Maya" + KEYS["enter"])
    term.expect("How to reach them")
    term.send("555 0100" + KEYS["enter"])
    term.expect("What they know")
    term.send("everything" + KEYS["enter"])
    term.expect("Their name")
    term.send("Jo")  # half typed
    return term, lambda _t: _answered(prog, 1)


def plain_plan_yes_no(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    keyring_vault(prog)
    term = spawn(prog, "--plain", "plan")
    term.expect("Type a number")
    term.send(PLAIN_EXPORT + KEYS["enter"])
    term.expect("Which kind of file")
    term.expect("Type a number")
    term.send("1" + KEYS["enter"])  # PDF
    term.expect("Where should it go")
    term.send(KEYS["enter"])
    term.expect("(Y/n)")
    return term, lambda _t: _no_pdf(prog)


def plain_status_getpass(prog: Program) -> tuple[Term, Callable[[Term], None]]:
    before = passphrase_vault(prog)
    term = spawn(prog, "--plain", "status")
    term.expect("Your safetykit passphrase")
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
    for args in (("status",), ("checklist", "show"), ("checklist", "mark", FIRST_ITEM.id, "done")):
        code, err, _ = run_without_input(prog, *args)
        assert code == 4, err
        assert "standard input" in err and "Traceback" not in err
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
    term.expect("Type a number")
    term.send(plan_key("people") + KEYS["enter"])
    term.expect("Name")
    term.send("Maya" + KEYS["enter"])
    term.expect("How to reach them")
    term.send("555 0100" + KEYS["enter"])
    term.expect("What they know")
    term.send("everything" + KEYS["enter"])
    term.expect("Their name")
    term.child.sendeof()  # Ctrl-D: the input ends
    tail = term.expect(pexpect.EOF)
    term.child.close()
    assert term.child.exitstatus == 6
    assert "input ended" in " ".join(tail.split())
    assert "Traceback" not in tail
    _answered(prog, 1)


def test_ctrl_d_at_an_arrow_key_prompt_text(prog: Program) -> None:
    """Ctrl-D in an empty text answer ends the input calmly too (exit 6), answers kept."""
    keyring_vault(prog)
    term = spawn(prog, "plan")
    term.expect("Which part would you like to work on")
    term.send(plan_key("people") + KEYS["enter"])
    term.expect("Name")
    term.send("Maya" + KEYS["enter"])
    term.expect("How to reach them")
    term.send("555 0100" + KEYS["enter"])
    term.expect("What they know")
    term.send("everything" + KEYS["enter"])
    term.expect("Their name")
    term.send("\x04")
    tail = term.expect(pexpect.EOF)
    term.child.close()
    assert term.child.exitstatus == 6, tail
    assert "Traceback" not in tail
    _answered(prog, 1)


# ── a narrow terminal ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("args", [("status",), ("checklist", "show"), ("--plain", "status")])
def test_narrow_terminal_output_fits(prog: Program, args: tuple[str, ...]) -> None:
    keyring_vault(prog, {"checklist": {"items": {FIRST_ITEM.id: "done"}}})
    term = spawn(prog, *args, columns=40)
    shown = term.expect(pexpect.EOF)
    term.child.close()
    assert term.child.exitstatus == 0, shown
    lines = visible(shown).split("\r\n")
    assert len(lines) > 3
    too_wide = [line for line in lines if len(line) > 40]
    assert not too_wide


def test_narrow_terminal_through_an_item_and_its_steps(prog: Program) -> None:
    keyring_vault(prog, {"checklist": {"behaviours": ["calls-texts"], "behaviours_answered": True}})
    term = spawn(prog, "checklist", columns=40)
    term.expect("Where would you like to go")
    term.send(KEYS["enter"])  # the suggested section
    term.expect("Where are you with this")
    term.send("s" + KEYS["enter"])  # show me how
    asked, shown = term.expect_one_of(["Which phone do you use", "╭"])
    if asked == 0:
        term.send(KEYS["enter"])
        term.expect("Which of these apps")
        term.send(KEYS["enter"])
        shown = term.expect("╭")
    shown = "╭" + term.expect("Where are you with this")
    boxes = [
        line.rstrip() for line in visible(shown).replace("\r\n", "\n").split("\n")
        if line.strip().startswith(("╭", "│", "╰"))
    ]
    assert boxes, f"the steps were not shown in a box: {visible(shown)!r}"
    assert all(len(line) <= 40 for line in boxes), boxes
    term.send("d" + KEYS["enter"])
    term.expect("Where are you with this")  # the next item
    term.send("b" + KEYS["enter"])
    term.expect("Where would you like to go")
    term.send("q" + KEYS["enter"])
    term.expect(pexpect.EOF)
    term.child.close()
    assert term.child.exitstatus == 0
    code, out, _ = prog.run("checklist", "show", "--json")
    assert code == 0
    assert [r["state"] for r in json.loads(out)].count("done") == 1


def test_narrow_plain_welcome_is_wrapped(prog: Program) -> None:
    term = spawn(prog, "--plain", "checklist", columns=40)
    shown = term.expect("How should your data be protected")
    term.expect("Type a number")
    term.send("3" + KEYS["enter"])  # leave now and store nothing
    term.expect(pexpect.EOF)
    term.child.close()
    assert term.child.exitstatus == 0
    welcome = [line for line in visible(shown).split("\r\n") if line.strip()]
    assert any("Ctrl-C" in line for line in welcome)
    assert all(len(line) <= 40 for line in welcome), [w for w in welcome if len(w) > 40]
    nothing_stored(prog)


# ── plain mode ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("how", ["--plain", "NO_COLOR=1"])
def test_plain_plan_walk_has_numbers_and_no_escape_codes(prog: Program, how: str) -> None:
    keyring_vault(prog)
    if how == "--plain":
        term = spawn(prog, "--plain", "plan")
    else:
        term = spawn(prog, "plan", env={**prog.env, "NO_COLOR": "1"})
    menu = term.expect("Type a number")
    assert f"{plan_key('contact')}. " in menu and "h. Talk to someone now" in menu
    term.send(plan_key("happening") + KEYS["enter"])
    term.expect("Type the numbers that apply")
    term.send("1 3" + KEYS["enter"])
    term.expect("Anything else I want to remember")
    term.send("late calls" + KEYS["enter"])
    term.expect("What worries me most")
    term.send("the school run" + KEYS["enter"])
    term.expect("Another one?")
    term.send(KEYS["enter"])
    term.expect("Type a number")
    term.send(plan_key("contact") + KEYS["enter"])
    term.expect("How I want to handle their calls")
    term.expect("Type a number")
    term.send("?" + KEYS["enter"])  # the hotlines, then the same question again
    term.expect("1-800-799-7233")
    term.expect("Type a number")
    term.send("1" + KEYS["enter"])
    term.expect("Where they contact me")
    term.send(KEYS["enter"])
    term.expect("How and where I keep evidence")
    term.send(KEYS["enter"])
    term.expect("What I will say if I have to answer")
    term.send(KEYS["enter"])
    term.expect("Type a number")
    term.send(PLAIN_LEAVE + KEYS["enter"])
    term.expect(pexpect.EOF)
    term.child.close()
    assert term.child.exitstatus == 0
    assert "\x1b" not in term.text()
    _answered(prog, 4)


def test_plain_typed_escape_sequences_are_stored_and_shown_clean(prog: Program) -> None:
    keyring_vault(prog)
    hostile = "\x1b[31mRED\x1b[0m \x1b]0;TITLE\x07done \u202eevil"
    term = spawn(prog, "--plain", "plan")
    term.expect("Type a number")
    term.send(plan_key("happening") + KEYS["enter"])
    term.expect("Type the numbers that apply")
    term.send(KEYS["enter"])
    term.expect("Anything else I want to remember")
    term.send(hostile + KEYS["enter"])
    term.expect("What worries me most")
    term.send(KEYS["enter"])
    term.expect("Type a number")
    term.send(PLAIN_LEAVE + KEYS["enter"])
    term.expect(pexpect.EOF)
    term.child.close()

    again = spawn(prog, "--plain", "plan")
    again.expect("Type a number")
    again.send(plan_key("happening") + KEYS["enter"])
    again.expect("Type the numbers that apply")
    again.send(KEYS["enter"])
    again.expect("Anything else I want to remember")
    again.expect(": ")
    assert "RED done evil" in again.text()
    program_output = again.text()
    assert "\x1b" not in program_output and "\u202e" not in program_output
    again.send(KEYS["ctrl-c"])
    again.expect(pexpect.EOF)
    again.child.close()

    code, out, err = prog.run("plan", "export")
    assert code == 0, err
    assert "RED" in out and "\x1b" not in out and "\x07" not in out and "\u202e" not in out
