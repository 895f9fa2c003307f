"""``safetykit passwords`` in a real pseudo-terminal, with the real Secret Service."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from tests.e2e import CLEAR, KEYS, Program

pytestmark = [pytest.mark.e2e, pytest.mark.secret_service]


PASSPHRASE = "maple ribbon quartz lantern bison"


def test_add_check_rotate_and_keep_a_new_password(prog: Program) -> None:
    """A passphrase vault, a new password kept in the real keyring at the person's choice (told
    first who can read it there), and wipe removing it although the vault needs no keyring."""
    child = prog.spawn("passwords")
    child.expect("How should your data be protected")
    child.choose("Use a passphrase I type each time")
    child.expect("New passphrase")
    child.answer(PASSPHRASE)
    child.expect("same passphrase again")
    child.answer(PASSPHRASE)
    child.expect("What would you like to do")
    child.choose("Add accounts from a list")
    child.expect("Which of these do you have")
    child.tick("Gmail")
    child.expect("Answer a few questions about it")  # it goes straight on to the new account
    child.choose("Not this one: change passwords instead")
    child.expect(r"0 of 1 account changed")
    child.expect("Where are you with this one")
    child.choose("Make me a new password")
    child.expect("What kind")
    child.choose("Six random words")
    shown = child.wait_for("What should happen to it")
    assert "anyone who can log in to this computer as you could read it" in " ".join(shown.split())
    child.choose("Keep it in this computer's keyring")
    child.expect("Show it now as well")
    child.send("n")
    child.expect("Where are you with this one")
    child.choose("I have changed it")
    child.expect("1 of 1 account changed")
    child.expect("What would you like to do")
    child.send(KEYS["ctrl-c"])
    child.expect_exact(CLEAR)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    code, out, _ = prog.run("passwords", "report", "--json", stdin=PASSPHRASE + "\n")
    assert code == 0
    (row,) = json.loads(out)
    assert row["state"] == "rotated"
    # The new password is in the real keyring, under an opaque label, and nowhere in the data.
    probe = (
        "import keyring, os;"
        "from safetykit.storage.paths import default_paths;"
        "from safetykit.storage.vault import open_vault;"
        "from safetykit.storage import keys;"
        f"v = open_vault(default_paths(), {PASSPHRASE!r});"
        f"print(v.header.vault_id, keys.load_secret(v.header.vault_id, 'pw-{row['id']}'))"
    )
    vault_id, found = subprocess.run(
        [sys.executable, "-c", probe], env=prog.env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert len(found.split("-")) == 6
    for path in prog.home.iterdir():
        assert found.encode() not in path.read_bytes()
    # What the keyring lists (as a keyring manager shows it): one neutral entry, nothing that
    # says a password is kept, or for which account.
    listing = (
        "import os, secretstorage;"
        "c = secretstorage.dbus_init();"
        "items = secretstorage.get_default_collection(c).search_items("
        "{'service': os.environ['SAFETYKIT_KEYRING_SERVICE']});"
        "print([(i.get_label(), i.get_attributes()['username']) for i in items])"
    )
    listed = subprocess.run(
        [sys.executable, "-c", listing], env=prog.env, capture_output=True, text=True, check=True
    ).stdout
    assert f"notes-{vault_id}" in listed and "pw-" not in listed and "index" not in listed
    assert row["id"] not in listed
    code, _, _ = prog.run("wipe", "--yes")
    assert code == 0
    after = (
        "import keyring, os;"
        "s = os.environ['SAFETYKIT_KEYRING_SERVICE'];"
        f"print([keyring.get_password(s, f'{{k}}-{vault_id}') for k in "
        f"('key', 'notes', 'index', 'pw-{row['id']}')])"
    )
    gone = subprocess.run(
        [sys.executable, "-c", after], env=prog.env, capture_output=True, text=True, check=True
    )
    assert gone.stdout.strip() == "[None, None, None, None]"


def test_check_in_a_terminal_offers_to_delete_the_export(prog: Program, tmp_path: Path) -> None:
    export = Path(prog.env["HOME"]) / "passwords.csv"
    export.write_text("name,url,username,password\nMail,https://mail.example,me,hunter2hunter\n")
    child = prog.spawn("passwords", "check", "--csv", str(export))
    child.expect("needs attention")
    child.expect(f"Delete {export} now")
    child.send("y")
    child.expect("Deleted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert not export.exists()


def test_plain_mode_quick_exit_at_the_hidden_password_prompt(prog: Program) -> None:
    child = prog.spawn("--plain", "passwords", columns=40)
    child.expect("How should your data be protected")
    child.expect("Type a number")
    child.choose("Keep the key in this computer's keyring")
    child.expect("What would you like to do")
    child.expect("Type a number")
    assert "\x1b[" not in child.before
    child.choose("Add an account that is not on the list")
    child.expect("What is it called")
    child.send("Mail" + KEYS["enter"])
    child.expect("Answer a few questions about it")  # straight on to it
    child.expect("Type a number")
    child.choose("Yes, go on")
    for _ in range(7):
        child.expect(r"Type a number")
        child.choose("No")
    child.expect("Check its current password now")
    child.send("y" + KEYS["enter"])
    child.expect("Current password")
    child.send("half-typed")
    child.send(KEYS["ctrl-c"])
    child.expect_exact(CLEAR)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "half-typed" not in (child.before or "")
    code, out, _ = prog.run("passwords", "report", "--json")
    (row,) = json.loads(out)
    assert code == 0 and row["label"] == "Mail"  # what was done before Ctrl-C is kept


def test_passwords_without_a_terminal(prog: Program) -> None:
    code, _, err = prog.run("passwords")
    assert code == 6
    assert "passwords check --csv" in err


@pytest.mark.parametrize(("columns", "style"), [(30, "Six random words"), (40, "20 random")])
def test_a_new_password_is_never_wrapped_or_boxed(
    prog: Program, columns: int, style: str
) -> None:
    from safetykit.passwords.records import AccountRecord
    from tests.vaults import PASSPHRASE as VAULT_PASSPHRASE
    from tests.vaults import passphrase_vault

    record = AccountRecord.new("Instagram", "instagram")
    passphrase_vault(prog.home, {"passwords": {"accounts": [record.to_json()]}})
    raw = io.StringIO()
    child = prog.spawn("passwords", columns=columns)
    child.logfile_read = raw
    child.expect("passphrase")
    child.answer(VAULT_PASSPHRASE)
    child.expect("What would you like to do")
    child.choose("Change passwords, most important first")
    child.expect("Where are you with this one")
    child.choose("Make me a new password")
    child.expect("What kind")
    child.choose(style)
    child.expect("happen to it")
    child.choose("Keep it in safetykit")
    child.expect("as well")
    child.send("y")
    child.expect("I have it")
    child.send(KEYS["ctrl-c"])
    child.expect(pexpect.EOF)
    child.close()

    from safetykit.passwords.records import PasswordsState
    from safetykit.storage.paths import DataPaths
    from safetykit.storage.vault import open_vault

    vault = open_vault(DataPaths(prog.home), VAULT_PASSPHRASE)
    assert vault is not None
    secret = PasswordsState.from_state(vault.section("passwords")).kept_secrets[record.id]
    if style.startswith("Six"):
        assert len(secret) > columns  # the terminal, not safetykit, may fold it
    written = raw.getvalue()
    assert secret in written  # written whole: no line break, escape or border inside it
    line = next(line for line in written.splitlines() if secret in line)
    assert "│" not in line and "|" not in line.replace(secret, "")
