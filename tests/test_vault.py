"""The vault on disk: atomic saves, the backup copy, modes, never overwriting unreadable data."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from safetykit.errors import (
    LockedError,
    StorageError,
    VaultUnreadableError,
)
from safetykit.storage import atomic, keys, schema, sealed
from safetykit.storage.paths import DataPaths, default_paths
from safetykit.storage.vault import create_vault, open_vault, protection_of, restore_backup, wipe
from tests.fake_keyring import MemoryKeyring


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**12)


def paths() -> DataPaths:
    return default_paths()


def save_answer(value: str) -> None:
    vault = open_vault(paths())
    assert vault is not None
    vault.section("checklist")["note"] = value
    vault.save()


def test_round_trip_with_keyring(data_dir: Path) -> None:
    vault = create_vault(paths(), "keyring")
    vault.section("checklist")["answer"] = "MARKER-RT"
    vault.save()
    again = open_vault(paths())
    assert again is not None
    assert again.state["checklist"]["answer"] == "MARKER-RT"
    assert again.state["schema"] == schema.CURRENT
    assert b"MARKER-RT" not in paths().vault.read_bytes()


def test_nothing_stored_means_no_vault(data_dir: Path) -> None:
    assert open_vault(paths()) is None
    assert protection_of(paths()) is None
    assert not data_dir.exists()


def test_files_are_private(data_dir: Path) -> None:
    create_vault(paths(), "keyring")
    save_answer("x")
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for path in (paths().vault, paths().backup):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_loose_folder_mode_is_tightened(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    create_vault(paths(), "keyring")
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_previous_generation_is_kept(data_dir: Path) -> None:
    create_vault(paths(), "keyring")
    save_answer("first")
    save_answer("second")
    current = open_vault(paths())
    assert current is not None and current.state["checklist"]["note"] == "second"
    restored = restore_backup(paths())
    assert restored.state["checklist"]["note"] == "first"
    reopened = open_vault(paths())
    assert reopened is not None and reopened.state["checklist"]["note"] == "first"


def test_passphrase_vault(data_dir: Path) -> None:
    create_vault(paths(), "passphrase", "correct horse battery staple")
    assert protection_of(paths()) == "passphrase"
    vault = open_vault(paths(), lambda new: "correct horse battery staple")
    assert vault is not None and vault.protection == "passphrase"


def test_wrong_passphrase_is_locked_and_changes_nothing(data_dir: Path) -> None:
    create_vault(paths(), "passphrase", "correct horse battery staple")
    before = paths().vault.read_bytes()
    tries: list[bool] = []

    def wrong(new: bool) -> str:
        tries.append(new)
        return "not it at all"

    with pytest.raises(LockedError):
        open_vault(paths(), wrong)
    assert len(tries) == 3
    assert paths().vault.read_bytes() == before


def test_passphrase_vault_without_a_passphrase_source(data_dir: Path) -> None:
    create_vault(paths(), "passphrase", "correct horse battery staple")
    with pytest.raises(LockedError):
        open_vault(paths(), None)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-7],  # truncated
        lambda b: b[:10],  # badly truncated
        lambda b: b[:-3] + bytes([b[-3] ^ 1]) + b[-2:],  # a flipped bit
        lambda b: b"not a vault at all",
        lambda b: b"",
        lambda b: b.replace(b'"keyring"', b'"passphrase"', 1),  # header tampered
    ],
)
def test_damaged_vault_is_never_overwritten(data_dir: Path, damage: object) -> None:
    create_vault(paths(), "keyring")
    save_answer("kept")
    damaged = damage(paths().vault.read_bytes())  # type: ignore[operator]
    paths().vault.write_bytes(damaged)
    with pytest.raises(VaultUnreadableError) as info:
        open_vault(paths())
    assert str(paths().backup) in (info.value.hint or "")
    assert paths().vault.read_bytes() == damaged


def test_newer_schema_is_refused(data_dir: Path) -> None:
    vault = create_vault(paths(), "keyring")
    vault.state["schema"] = schema.CURRENT + 1
    vault.save()
    with pytest.raises(VaultUnreadableError, match="newer version"):
        open_vault(paths())


def test_migrations_bring_old_states_up_to_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "CURRENT", 2)
    monkeypatch.setitem(schema.MIGRATIONS, 1, lambda s: {**s, "schema": 2, "extra": True})
    migrated = schema.migrate({"schema": 1, "checklist": {"a": 1}})
    assert migrated["schema"] == 2 and migrated["extra"] is True
    assert migrated["checklist"] == {"a": 1}
    assert migrated["plan"] == {} and migrated["passwords"] == {}


def test_key_deleted_behind_our_back(data_dir: Path, memory_keyring: MemoryKeyring) -> None:
    create_vault(paths(), "keyring")
    memory_keyring.store.clear()
    with pytest.raises(LockedError, match="not in this computer's keyring"):
        open_vault(paths())


def test_replaced_key_does_not_open(data_dir: Path, memory_keyring: MemoryKeyring) -> None:
    vault = create_vault(paths(), "keyring")
    keys.store_vault_key(vault.header.vault_id, sealed.new_key())
    with pytest.raises(LockedError):
        open_vault(paths())


def test_failed_write_leaves_old_data_and_no_temp_files(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_vault(paths(), "keyring")
    save_answer("before")
    before = paths().vault.read_bytes()
    real_write = os.write
    calls = {"n": 0}

    def half_then_full_disk(fd: int, data: bytes | memoryview) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    vault = open_vault(paths())
    assert vault is not None
    vault.section("checklist")["note"] = "after"
    with monkeypatch.context() as patched:
        patched.setattr(atomic.os, "write", half_then_full_disk)
        with pytest.raises(StorageError, match="disk is full"):
            vault.save()
    assert paths().vault.read_bytes() == before
    assert not list(data_dir.glob("*.tmp")) and not list(data_dir.glob(".*.tmp"))
    again = open_vault(paths())
    assert again is not None and again.state["checklist"]["note"] == "before"


def test_unwritable_folder_is_a_clear_error(data_dir: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    create_vault(paths(), "keyring")
    data_dir.chmod(0o500)
    try:
        vault = open_vault(paths())
        assert vault is not None
        with pytest.raises(StorageError):
            vault.save()
    finally:
        data_dir.chmod(0o700)


def test_data_folder_that_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("SAFETYKIT_HOME", str(blocker / "inside"))
    with pytest.raises(StorageError, match="cannot use the folder"):
        create_vault(default_paths(), "keyring")


def test_wipe_removes_files_and_keyring_entries(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    create_vault(paths(), "keyring")
    save_answer("x")
    assert memory_keyring.store
    result = wipe(paths())
    assert not memory_keyring.store
    assert not paths().vault.exists() and not paths().backup.exists()
    assert result.left_behind == ()
    assert open_vault(paths()) is None


def test_wipe_reports_keyring_entries_it_could_not_remove(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    create_vault(paths(), "keyring")
    memory_keyring.locked = True
    result = wipe(paths())
    assert result.left_behind
    assert not paths().vault.exists()


def test_state_is_json_with_a_schema_version(data_dir: Path) -> None:
    vault = create_vault(paths(), "keyring")
    plaintext = sealed.unseal(paths().vault.read_bytes(), vault.key)
    assert json.loads(plaintext)["schema"] == schema.CURRENT
