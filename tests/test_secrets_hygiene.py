"""Secrets hygiene: marker strings as answers and passwords through whole flows; afterwards no
marker anywhere it should not be (data folder, temp folders, what was printed, the process's
argv and environment), and core dumps are off while the program runs."""

from __future__ import annotations

import io
import os
import secrets
import tempfile
import time
from pathlib import Path

import pexpect
import pytest

from safetykit.flows.checklist import run_checklist
from safetykit.flows.passwords import run_passwords
from safetykit.flows.plan import run_plan
from safetykit.flows.session import Session
from safetykit.passwords.records import PasswordsState
from safetykit.storage import sealed
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import open_vault
from safetykit.ui.screen import Screen
from tests.doubles import Queue, ScriptedPrompter
from tests.e2e import KEYS, Program

# Made at run time, so the markers appear in no file on disk but the ones the test makes.
PASSPHRASE = f"phrase-{secrets.token_hex(8)}"
PASSWORD = f"pw-{secrets.token_hex(8)}"
ANSWER = f"answer-{secrets.token_hex(8)}"
WORD = "Mk" + "".join(secrets.choice("qwxzvj") for _ in range(8))
MAX_SCANNED = 5 * 1024 * 1024
ACCOUNT_QUESTIONS = (
    "ex_knows_password", "ex_used_signed_in_device", "password_reused", "two_factor_on",
    "recovery_theirs_alone", "ex_knows_security_answers", "shared_account",
)


def recent_files(root: Path, since: float) -> list[Path]:
    found = []
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            try:
                info = path.lstat()
            except OSError:
                continue
            if path.is_file() and info.st_mtime >= since and info.st_size <= MAX_SCANNED:
                found.append(path)
    return found


def assert_nowhere(markers: list[str], paths: list[Path]) -> None:
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        for marker in markers:
            assert marker.encode() not in data, f"{marker} found in {path}"


def test_whole_flows_leave_no_marker_in_files_or_output(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**12)
    started = time.time() - 1
    out = io.StringIO()

    def session(answers: dict[str, object]) -> Session:
        prompter = ScriptedPrompter(answers, lambda: None)
        return Session(default_paths(), Screen(plain=True, file=out), prompter)

    run_checklist(session({
        "setup.protection": "passphrase",
        "setup.passphrase": PASSPHRASE,
        "setup.passphrase_again": PASSPHRASE,
        "checklist.behaviours": ["blackmail"],
        "checklist.section": "_leave",
    }))
    run_plan(session({
        "unlock.passphrase": PASSPHRASE,
        "plan.section": Queue(["people", "_leave"]),
        "plan.people.trusted.name": Queue([ANSWER, ""]),
        "plan.people.trusted.contact": ANSWER,
        "plan.people.trusted.knows": ANSWER,
        "plan.people.code-word": ANSWER,
        "plan.people.code-word-action": "",
    }))
    run_passwords(session({
        "unlock.passphrase": PASSPHRASE,
        "passwords.menu": Queue(["add", "words", "leave"]),
        "passwords.add": ["gmail"],
        "passwords.next": "menu",
        "passwords.words.names": WORD,
        **{f"passwords.words.{g}": "" for g in ("pets", "dates", "places", "other")},
    }))
    vault = open_vault(default_paths(), PASSPHRASE)
    assert vault is not None
    account = PasswordsState.from_state(vault.section("passwords")).accounts[0]
    printed_before_check = out.getvalue()
    run_passwords(session({
        "unlock.passphrase": PASSPHRASE,
        "passwords.menu": Queue(["check", "leave"]),
        "passwords.check.account": account.id,
        **{f"passwords.q.{field}": "no" for field in ACCOUNT_QUESTIONS},
        "passwords.check.password": True,
        "passwords.check.secret": PASSWORD + WORD,
        "passwords.online": False,
    }))
    printed = out.getvalue()
    # Secrets are never printed. Answers are printed only when shown back for review.
    assert PASSPHRASE not in printed and PASSWORD not in printed
    assert ANSWER not in printed[len(printed_before_check):]
    assert WORD.lower() in printed  # the matched known word is named, the password is not
    written = recent_files(data_dir, started)
    assert written
    assert_nowhere([PASSPHRASE, PASSWORD, ANSWER, WORD, WORD.lower()], written)
    assert_nowhere([PASSPHRASE, PASSWORD, ANSWER], recent_files(Path(tempfile.gettempdir()),
                                                                started))


def pid_file(pid: int, name: str) -> bytes:
    return Path(f"/proc/{pid}/{name}").read_bytes()


@pytest.mark.e2e
@pytest.mark.secret_service
def test_no_secret_in_argv_environment_output_or_files_and_no_core_dumps(prog: Program) -> None:
    if not Path("/proc/self/environ").exists():
        pytest.skip("needs /proc")
    started = time.time() - 1
    transcript = io.StringIO()
    child = prog.spawn("passwords")
    child.logfile_read = transcript
    child.expect("How should your data be protected")
    child.choose("Use a passphrase I type each time")
    child.expect("New passphrase")
    child.send(PASSPHRASE + KEYS["enter"])
    child.expect("same passphrase again")
    child.send(PASSPHRASE + KEYS["enter"])
    child.expect("What would you like to do")
    child.choose("Add an account that is not on the list")
    child.expect("What is it called")
    child.send("Mail" + KEYS["enter"])
    child.expect("Answer a few questions about it")
    child.choose("Yes, go on")
    for _ in range(7):
        child.expect(r"\?")
        child.expect("Not sure")
        child.choose("No")
    child.expect("Check its current password now")
    child.send("y")
    child.expect("Current password")
    child.send(PASSWORD + KEYS["enter"])
    child.expect("Also check passwords against known data breaches")
    child.send("n")
    # Answered and checked: the walk-through goes straight on to changing it.
    try:
        child.expect("Where are you with this one")
    except Exception:
        print(child.display())
        raise
    # While the secrets have passed through it, look at the running process.
    for name in ("cmdline", "environ"):
        data = pid_file(child.pid, name)
        assert PASSPHRASE.encode() not in data and PASSWORD.encode() not in data
    limits = pid_file(child.pid, "limits").decode()
    core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
    assert core.split()[4:6] == ["0", "0"], core
    child.send(KEYS["ctrl-c"])
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    shown = transcript.getvalue()
    assert PASSPHRASE not in shown and PASSWORD not in shown
    roots = [prog.home, Path(prog.env["HOME"]), Path(tempfile.gettempdir())]
    for root in roots:
        assert_nowhere([PASSPHRASE, PASSWORD], recent_files(root, started))
