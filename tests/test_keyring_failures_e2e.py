"""The real program when the keyring fails: no backend, a locked collection, a keyring that
hangs, and a key deleted behind safetykit's back. Each is one calm message and its exit code."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from safetykit.errors import ExitStatus
from tests.e2e import KEYS, Program, program
from tests.secret_service import SecretServiceSession, start_secret_service

pytestmark = [pytest.mark.e2e, pytest.mark.secret_service]


def make_vault(prog: Program) -> str:
    code = (
        "from safetykit.storage.paths import default_paths;"
        "from safetykit.storage.vault import create_vault;"
        "print(create_vault(default_paths(), 'keyring').header.vault_id)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=prog.env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def calm(err: str) -> None:
    assert err.strip(), "a message is expected"
    assert "Traceback" not in err and "Error:" not in err
    assert len(err.strip().splitlines()) <= 2  # what happened, and what to do


def test_no_keyring_backend(prog: Program) -> None:
    make_vault(prog)
    prog.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    code, _, err = prog.run("checklist", "show")
    assert code == ExitStatus.KEYRING_UNAVAILABLE
    calm(err)
    assert "no keyring" in err.lower()
    # status still says where the data is and how it is protected, without unlocking
    code, out, err = prog.run("--plain", "status")
    assert code == 0, err
    assert str(prog.home) in out and "Summaries: locked" in out
    assert "no keyring" in " ".join(out.split()).lower()


def test_first_run_without_a_keyring_offers_only_a_passphrase(prog: Program) -> None:
    prog.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    child = prog.spawn("checklist")
    child.expect("no keyring service")
    child.expect("How should your data be protected")
    child.expect("Leave now")
    assert "Keep the key in this computer's keyring" not in child.before
    child.send(KEYS["ctrl-c"])
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert not (prog.home / "vault.bin").exists()


def test_key_deleted_behind_our_back(prog: Program) -> None:
    vault_id = make_vault(prog)
    subprocess.run(
        [sys.executable, "-c",
         "import keyring, os; keyring.delete_password("
         f"os.environ['SAFETYKIT_KEYRING_SERVICE'], 'key-{vault_id}')"],
        env=prog.env, check=True,
    )
    before = (prog.home / "vault.bin").read_bytes()
    code, _, err = prog.run("checklist", "mark", "contact.block-number", "done")
    assert code == ExitStatus.LOCKED
    calm(err)
    assert "not in this computer's keyring" in err
    assert (prog.home / "vault.bin").read_bytes() == before


@pytest.fixture
def own_service(tmp_path: Path) -> Iterator[SecretServiceSession]:
    """A Secret Service of this test's own, so stopping or locking it disturbs no other test."""
    session, stop = start_secret_service(tmp_path / "ss")
    try:
        yield session
    finally:
        stop()


def keyring_daemon(session: SecretServiceSession) -> int:
    for pid in session.daemon_pids:
        if "gnome-keyring" in Path(f"/proc/{pid}/comm").read_text():
            return pid
    raise AssertionError("no gnome-keyring-daemon among the session's processes")


def test_a_hanging_keyring_times_out(own_service: SecretServiceSession, tmp_path: Path) -> None:
    prog = program(own_service, tmp_path)
    make_vault(prog)
    prog.env["SAFETYKIT_KEYRING_TIMEOUT"] = "2"
    daemon = keyring_daemon(own_service)
    os.kill(daemon, signal.SIGSTOP)  # like a keyring waiting for ever on an unlock dialog
    try:
        started = time.monotonic()
        code, _, err = prog.run("checklist", "show")
        took = time.monotonic() - started
    finally:
        os.kill(daemon, signal.SIGCONT)
    assert code == ExitStatus.KEYRING_UNAVAILABLE
    calm(err)
    assert "did not answer within 2 seconds" in err
    assert took < 30  # it gave up rather than waiting for ever


def test_a_locked_collection(own_service: SecretServiceSession, tmp_path: Path) -> None:
    prog = program(own_service, tmp_path)
    make_vault(prog)
    prog.env["SAFETYKIT_KEYRING_TIMEOUT"] = "5"
    lock = (
        "import secretstorage;"
        "c = secretstorage.get_default_collection(secretstorage.dbus_init());"
        "c.lock(); print(c.is_locked())"
    )
    locked = subprocess.run(
        [sys.executable, "-c", lock], env=prog.env, capture_output=True, text=True, check=True
    )
    assert locked.stdout.strip() == "True"
    code, _, err = prog.run("checklist", "show")
    # gnome-keyring can only unlock through a desktop prompt; headless, the prompt is refused.
    assert code == ExitStatus.LOCKED
    calm(err)
    assert "locked" in err.lower()
