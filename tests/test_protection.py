"""Protection the person chooses and can change: ``safetykit protect``, checked passphrases,
re-keying that leaves the old passphrase or key opening nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from safetykit.cli.app import run
from safetykit.core.checklist import Progress
from safetykit.errors import ExitStatus, LockedError, VaultUnreadableError
from safetykit.flows.passwords import run_passwords
from safetykit.flows.protection import protect_command
from safetykit.flows.session import Session
from safetykit.passwords.records import PasswordsState
from safetykit.storage import keys, leftovers, sealed
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import (
    create_vault,
    open_vault,
    read_sealed,
    unlock_with_passphrase,
)
from safetykit.ui.screen import Screen
from tests.doubles import MemoryKeyring, Queue, ScriptedPrompter

OLD = "maple ribbon quartz lantern bison"
NEW = "tulip tomato river sky meadow"
ITEM = "contact.block-number"


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**12)


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def marked_passphrase_vault(*extra_saves: str) -> None:
    vault = create_vault(default_paths(), "passphrase", OLD)
    for item in (ITEM, *extra_saves):

        def mark(progress: Progress, item: str = item) -> None:
            progress.states[item] = "done"

        vault.update(Progress, mark)


def items(vault: object) -> dict[str, str]:
    from safetykit.storage.vault import Vault

    assert isinstance(vault, Vault)
    return vault.read(Progress).states


def assert_old_passphrase_opens_nothing() -> None:
    for which in ("vault", "backup"):
        found = read_sealed(default_paths(), which)
        assert found is not None
        with pytest.raises(LockedError):  # a wrong passphrase, or not a passphrase vault now
            unlock_with_passphrase(found, OLD)


# ── setting up from a script: always a stated choice ──────────────────────────────────────────


def test_protect_keyring_sets_up(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stdin(monkeypatch, "")
    assert run(["protect", "--keyring"]) == 0
    vault = open_vault(default_paths())
    assert vault is not None and vault.protection == "keyring"


def test_protect_passphrase_sets_up_from_one_stdin_line(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin(monkeypatch, NEW + "\n")
    assert run(["protect", "--passphrase"]) == 0
    assert open_vault(default_paths(), NEW) is not None


@pytest.mark.parametrize("weak", ["Biscuit1999", "correct horse battery staple", "pass12"])
def test_a_weak_passphrase_from_a_script_is_refused_with_the_reason(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], weak: str
) -> None:
    stdin(monkeypatch, weak + "\n")
    assert run(["protect", "--passphrase"]) == ExitStatus.USAGE
    err = " ".join(capsys.readouterr().err.split())
    assert "too easy to guess" in err
    assert weak not in err  # the reason, never the secret
    assert not default_paths().vault.exists()


def test_both_flags_at_once_is_a_usage_error(data_dir: Path) -> None:
    assert run(["protect", "--keyring", "--passphrase"]) == ExitStatus.USAGE


# ── changing it: the data intact, the old protection opening nothing ─────────────────────────


def test_change_the_passphrase_from_a_script(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marked_passphrase_vault("contact.save-evidence")
    old_id = open_vault(default_paths(), OLD).header.vault_id  # type: ignore[union-attr]
    stdin(monkeypatch, f"{OLD}\n{NEW}\n")
    assert run(["protect", "--passphrase"]) == 0
    vault = open_vault(default_paths(), NEW)
    assert vault is not None and vault.header.vault_id != old_id
    assert items(vault) == {ITEM: "done", "contact.save-evidence": "done"}
    assert_old_passphrase_opens_nothing()
    previous = read_sealed(default_paths(), "backup")
    assert previous is not None
    assert items(unlock_with_passphrase(previous, NEW)) == {ITEM: "done"}  # re-encrypted


def test_switch_from_passphrase_to_keyring(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    marked_passphrase_vault("contact.save-evidence")
    stdin(monkeypatch, f"{OLD}\n")
    assert run(["protect", "--keyring"]) == 0
    vault = open_vault(default_paths())
    assert vault is not None and vault.protection == "keyring"
    assert items(vault)[ITEM] == "done"
    assert_old_passphrase_opens_nothing()
    assert list(memory_keyring.store) == [(keys.service_name(), f"key-{vault.header.vault_id}")]


def test_switch_from_keyring_to_passphrase_removes_the_old_key(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    vault = create_vault(default_paths(), "keyring")
    vault.update(Progress, lambda p: p.states.__setitem__(ITEM, "done"))
    stdin(monkeypatch, f"{NEW}\n")
    assert run(["protect", "--passphrase"]) == 0
    assert memory_keyring.store == {}  # the old key is gone: it opens nothing any more
    reopened = open_vault(default_paths(), NEW)
    assert reopened is not None and items(reopened) == {ITEM: "done"}


def test_a_fresh_keyring_key(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    old = create_vault(default_paths(), "keyring")
    old.update(Progress, lambda p: p.states.__setitem__(ITEM, "done"))
    stdin(monkeypatch, "")
    assert run(["protect", "--keyring"]) == 0
    fresh = open_vault(default_paths())
    assert fresh is not None and fresh.header.vault_id != old.header.vault_id
    assert fresh.key != old.key and items(fresh) == {ITEM: "done"}
    assert (keys.service_name(), f"key-{old.header.vault_id}") not in memory_keyring.store
    with pytest.raises(VaultUnreadableError, match="protection was changed"):
        old.update(Progress, lambda p: p.states.__setitem__("x", "done"))  # another window


def test_passwords_kept_in_the_keyring_move_with_a_new_key(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    vault = create_vault(default_paths(), "passphrase", OLD)
    keys.keep_secret(vault.header.vault_id, "pw-a1", "the kept one")
    vault.note_keyring_secrets()
    from safetykit.storage.protection import change_protection

    result = change_protection(vault, "passphrase", NEW)
    new_id = result.vault.header.vault_id
    assert keys.load_secret(new_id, "pw-a1") == "the kept one"
    assert keys.kept_labels(new_id) == ["pw-a1"]
    assert all(vault.header.vault_id not in account for _, account in memory_keyring.store)
    assert result.vault.header.kept_in_keyring


def test_old_keyring_entries_left_by_a_locked_keyring_are_finished_later(
    data_dir: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = create_vault(default_paths(), "keyring")
    old_entry = (keys.service_name(), f"key-{vault.header.vault_id}")
    real_delete = keys.delete_entry

    def locked_delete(*args: object, **kwargs: object) -> bool:
        raise LockedError("The keyring is locked, so safetykit cannot reach its key.")

    monkeypatch.setattr(keys, "delete_entry", locked_delete)
    from safetykit.storage.protection import change_protection

    result = change_protection(vault, "passphrase", NEW)
    assert result.left_in_keyring and old_entry in memory_keyring.store
    assert leftovers.pending(default_paths())
    monkeypatch.setattr(keys, "delete_entry", real_delete)
    stdin(monkeypatch, NEW + "\n")
    assert run(["checklist", "show", "--json"]) == 0  # any later unlock tidies them
    assert old_entry not in memory_keyring.store
    assert leftovers.pending(default_paths()) == []


def test_protect_in_a_terminal_offers_the_changes(data_dir: Path) -> None:
    marked_passphrase_vault()
    out = io.StringIO()
    prompter = ScriptedPrompter({
        "unlock.passphrase": OLD,
        "protect.choice": "passphrase",
        "setup.passphrase": Queue(["Biscuit1999", NEW]),
        "setup.passphrase_again": NEW,
    })
    protect_command(
        Session(default_paths(), Screen(plain=True, file=out), prompter),
        keyring=False, passphrase=False,
    )
    shown = " ".join(out.getvalue().split())
    assert "would be easy to guess" in shown and "no longer opens anything" in shown
    assert open_vault(default_paths(), NEW) is not None
    assert prompter.remaining() == {}


# ── words the ex knows, added after the passphrase was chosen ────────────────────────────────


def test_a_passphrase_holding_a_word_the_ex_knows_is_pointed_out(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    create_vault(default_paths(), "passphrase", "biscuit ribbon quartz lantern bison")
    out = io.StringIO()
    prompter = ScriptedPrompter({
        "unlock.passphrase": "biscuit ribbon quartz lantern bison",
        "passwords.menu": Queue(["words", "leave"]),
        "passwords.words.names": "",
        "passwords.words.pets": "Biscuit",
        "passwords.words.dates": "",
        "passwords.words.places": "",
        "passwords.words.other": "",
        "protect.known_words": True,
        "setup.passphrase": NEW,
        "setup.passphrase_again": NEW,
    })
    run_passwords(Session(default_paths(), Screen(plain=True, file=out), prompter))
    shown = " ".join(out.getvalue().split())
    assert "contains “biscuit”, which you said your ex knows" in shown
    assert open_vault(default_paths(), NEW) is not None  # changed there and then
    # and from then on a script is told too, at every unlock, until it is changed
    create_vault_again = open_vault(default_paths(), NEW)
    assert create_vault_again is not None
    assert create_vault_again.read(PasswordsState).known_words["pets"] == ["Biscuit"]
    stdin(monkeypatch, NEW + "\n")
    assert run(["status", "--json"]) == 0
    assert "which you said your ex knows" not in capsys.readouterr().err
