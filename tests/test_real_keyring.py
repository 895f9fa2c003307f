"""The keyring-backed vault against a real Secret Service, and the program end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pexpect
import pytest

from safetykit.storage import keys
from safetykit.storage.paths import default_paths
from safetykit.storage.removal import wipe
from safetykit.storage.vault import create_vault, open_vault, write_state
from tests.e2e import CLEAR, Program
from tests.vaults import keyring_vault

pytestmark = pytest.mark.secret_service


def test_vault_key_lives_in_the_real_keyring(
    secret_service_keyring: object, data_dir: Path
) -> None:
    info = keys.keyring_info()
    assert info.usable, info.reason
    assert "SecretService" in info.backend
    vault = create_vault(default_paths(), "keyring")
    vault.state["plan"] = {**vault.state.get("plan", {}), "answer": "MARKER-REAL"}
    write_state(vault, vault.state)
    again = open_vault(default_paths())
    assert again is not None and again.state["plan"]["answer"] == "MARKER-REAL"
    assert b"MARKER-REAL" not in default_paths().vault.read_bytes()
    result = wipe(default_paths())
    assert result.left_behind == ()
    assert any("keyring entry" in r for r in result.removed)
    with pytest.raises(Exception, match="not in this computer's keyring"):
        keys.load_vault_key(vault.header.vault_id)


def make_vault(prog: Program) -> None:
    code = (
        "from safetykit.storage.paths import default_paths;"
        "from safetykit.storage.vault import create_vault;"
        "create_vault(default_paths(), 'keyring')"
    )
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", code], env=prog.env, check=True, timeout=60)


@pytest.mark.e2e
def test_status_in_a_terminal(prog: Program) -> None:
    make_vault(prog)
    child = prog.spawn("status")
    child.expect("What safetykit has stored")
    child.expect("keyring")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


@pytest.mark.e2e
def test_status_json_in_a_terminal(prog: Program) -> None:
    make_vault(prog)
    child = prog.spawn("status", "--json")
    child.expect(pexpect.EOF)
    child.close()
    report = json.loads(child.before.replace("\r\n", "\n"))
    assert report["protection"] == "keyring"
    assert report["data_dir"] == str(prog.home)
    assert child.exitstatus == 0


@pytest.mark.e2e
def test_wipe_in_a_terminal(prog: Program) -> None:
    make_vault(prog)
    child = prog.spawn("wipe")
    child.expect("type: remove")
    child.send("remove\r")
    child.expect("has been removed")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    code, out, _ = prog.run("status", "--json")
    assert code == 0 and json.loads(out)["protection"] is None


@pytest.mark.e2e
def test_wipe_can_be_called_off(prog: Program) -> None:
    make_vault(prog)
    child = prog.spawn("--plain", "wipe")
    child.expect("type: remove")
    child.send("no\r")
    child.expect("Nothing was removed")
    child.expect(pexpect.EOF)
    child.close()
    assert (prog.home / "vault.bin").exists()


@pytest.mark.e2e
def test_ctrl_c_at_the_wipe_question_clears_the_screen(prog: Program) -> None:
    make_vault(prog)
    child = prog.spawn("wipe")
    child.expect("type: remove")
    child.send("\x03")
    child.expect_exact(CLEAR)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert (prog.home / "vault.bin").exists()


@pytest.mark.e2e
def test_closed_stdin_does_not_hang(prog: Program) -> None:
    make_vault(prog)
    code, _, err = prog.run("wipe")
    assert code == 6 and "--yes" in err


@pytest.mark.e2e
def test_damaged_vault_then_restore(prog: Program) -> None:
    keyring_vault(prog.env)
    first, second = "contact.block-number", "contact.save-evidence"
    for item in (first, second):
        code, _, err = prog.run("checklist", "mark", item, "done")
        assert code == 0, err
    vault = prog.home / "vault.bin"
    damaged = vault.read_bytes()[:-20]
    vault.write_bytes(damaged)
    code, _, err = prog.run("status")
    assert code == 3 and "vault.bin.previous" in err and "safetykit restore" in err
    child = prog.spawn("restore")
    shown = child.wait_for("Put the earlier copy back?")
    assert "Now (saved" in shown and "cannot be read" in shown
    assert "Earlier copy (saved" in shown and "checklist 1 of" in shown
    child.send("y")
    child.expect("earlier copy is back in place")
    status, _ = child.finish()
    assert status == 0
    code, out, _ = prog.run("checklist", "show", "--json")
    states = {row["id"]: row["state"] for row in json.loads(out)}
    assert code == 0 and states[first] == "done" and states[second] == "todo"
    replaced = sorted(prog.home.glob("vault.bin.replaced-*"))
    assert len(replaced) == 1 and replaced[0].read_bytes() == damaged
    # The damaged file is now the earlier copy: restoring it is refused, nothing changes.
    before = vault.read_bytes()
    code, _, err = prog.run("restore", "--yes")
    assert code == 3 and "cannot be read" in err
    assert vault.read_bytes() == before
