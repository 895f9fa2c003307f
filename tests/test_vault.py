"""The vault on disk: atomic saves, the backup copy, modes, never overwriting unreadable data."""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from safetykit.errors import (
    LockedError,
    StorageError,
    VaultUnreadableError,
)
from safetykit.storage import keys, schema, sealed
from safetykit.storage.copies import swap_with_previous
from safetykit.storage.paths import DataPaths, default_paths
from safetykit.storage.removal import wipe
from safetykit.storage.vault import (
    WrongPassphraseError,
    create_vault,
    open_vault,
    protection_of,
    write_state,
)
from tests.doubles import MemoryKeyring


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**12)


def paths() -> DataPaths:
    return default_paths()


def save_answer(value: str) -> None:
    vault = open_vault(paths())
    assert vault is not None
    vault.state["checklist"] = {**vault.state.get("checklist", {}), "note": value}
    write_state(vault, vault.state)


def test_round_trip_with_keyring(data_dir: Path) -> None:
    vault = create_vault(paths(), "keyring")
    vault.state["checklist"] = {**vault.state.get("checklist", {}), "answer": "MARKER-RT"}
    write_state(vault, vault.state)
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
    swap_with_previous(paths(), paths().backup.read_bytes())
    reopened = open_vault(paths())
    assert reopened is not None and reopened.state["checklist"]["note"] == "first"


def test_passphrase_vault(data_dir: Path) -> None:
    create_vault(paths(), "passphrase", "correct horse battery staple")
    assert protection_of(paths()) == "passphrase"
    vault = open_vault(paths(), "correct horse battery staple")
    assert vault is not None and vault.protection == "passphrase"


def test_wrong_passphrase_is_locked_and_changes_nothing(data_dir: Path) -> None:
    create_vault(paths(), "passphrase", "correct horse battery staple")
    before = paths().vault.read_bytes()
    with pytest.raises(WrongPassphraseError, match="did not open"):
        open_vault(paths(), "not it at all")
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
    write_state(vault, vault.state)
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
    vault.state["checklist"] = {**vault.state.get("checklist", {}), "note": "after"}
    with monkeypatch.context() as patched:
        patched.setattr(os, "write", half_then_full_disk)
        with pytest.raises(StorageError, match="disk is full"):
            write_state(vault, vault.state)
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
            write_state(vault, vault.state)
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


# ── every save merges ─────────────────────────────────────────────────────────────────────────


def test_two_windows_each_save_on_top_of_the_other(data_dir: Path) -> None:
    from safetykit.core.checklist import Progress

    create_vault(paths(), "keyring")
    first = open_vault(paths())
    second = open_vault(paths())
    assert first is not None and second is not None

    def mark(item: str, state: str) -> Callable[[Progress], None]:
        return lambda p: p.states.__setitem__(item, state)

    first.update(Progress, mark("a", "done"))
    second.update(Progress, mark("b", "todo"))  # second never saw "a"
    fresh = first.update(Progress, mark("c", "not_applicable"))
    assert fresh.states == {"a": "done", "b": "todo", "c": "not_applicable"}
    second.update(Progress, mark("a", "todo"))  # the same answer: the later one wins
    again = open_vault(paths())
    assert again is not None
    assert again.read(Progress).states == {"a": "todo", "b": "todo", "c": "not_applicable"}


def test_an_update_keeps_other_sections_as_they_are_on_disk(data_dir: Path) -> None:
    from safetykit.core.checklist import Progress
    from safetykit.core.plan import PlanState

    create_vault(paths(), "keyring")
    plan_window = open_vault(paths())
    checklist_window = open_vault(paths())
    assert plan_window is not None and checklist_window is not None
    plan_window.update(PlanState, lambda plan: plan.answers.__setitem__("people.code-word", "kiwi"))
    checklist_window.update(Progress, lambda p: p.states.__setitem__("x", "done"))
    final = open_vault(paths())
    assert final is not None
    assert final.read(PlanState).answers == {"people.code-word": "kiwi"}
    assert final.read(Progress).states == {"x": "done"}


def test_refresh_shows_what_another_window_saved(data_dir: Path) -> None:
    from safetykit.core.checklist import Progress

    create_vault(paths(), "keyring")
    mine = open_vault(paths())
    other = open_vault(paths())
    assert mine is not None and other is not None
    other.update(Progress, lambda p: p.states.__setitem__("x", "done"))
    assert mine.read(Progress).states == {}
    mine.refresh()
    assert mine.read(Progress).states == {"x": "done"}


def test_sections_handed_out_are_copies(data_dir: Path) -> None:
    vault = create_vault(paths(), "keyring")
    vault.section("checklist")["items"] = {"x": "done"}  # changes nothing stored
    assert vault.section("checklist") == {}


def test_no_change_is_saved_into_data_that_was_removed_meanwhile(data_dir: Path) -> None:
    from safetykit.core.checklist import Progress

    vault = create_vault(paths(), "keyring")
    wipe(paths())
    with pytest.raises(VaultUnreadableError, match="was removed"):
        vault.update(Progress, lambda p: p.states.__setitem__("x", "done"))
    assert not paths().vault.exists()  # never brought back to life


def test_no_change_is_saved_into_data_replaced_meanwhile(data_dir: Path) -> None:
    from safetykit.core.checklist import Progress

    vault = create_vault(paths(), "keyring")
    paths().vault.unlink()
    create_vault(paths(), "passphrase", "another good passphrase")
    replaced = paths().vault.read_bytes()
    with pytest.raises(VaultUnreadableError, match="replaced"):
        vault.update(Progress, lambda p: p.states.__setitem__("x", "done"))
    assert paths().vault.read_bytes() == replaced


def test_a_held_lock_is_waited_for_a_few_seconds_then_a_clear_error(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    from safetykit.core.checklist import Progress
    from safetykit.errors import BusyError

    vault = create_vault(paths(), "keyring")
    before = paths().vault.read_bytes()
    monkeypatch.setenv("SAFETYKIT_LOCK_TIMEOUT", "0.3")
    fd = os.open(paths().lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(BusyError, match="Another safetykit window"):
            vault.update(Progress, lambda p: p.states.__setitem__("x", "done"))
    finally:
        os.close(fd)
    assert paths().vault.read_bytes() == before


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_the_vault_and_its_lock_must_be_ordinary_files(data_dir: Path, kind: str) -> None:
    from safetykit.core.checklist import Progress

    vault = create_vault(paths(), "keyring")
    target = data_dir.parent / "elsewhere"
    if kind == "symlink":
        target.write_bytes(paths().vault.read_bytes())
        paths().vault.unlink()
        paths().vault.symlink_to(target)
    else:
        paths().vault.unlink()
        os.mkfifo(paths().vault)
    with pytest.raises((VaultUnreadableError, StorageError)):
        open_vault(paths())
    with pytest.raises((VaultUnreadableError, StorageError)):
        vault.update(Progress, lambda p: p.states.__setitem__("x", "done"))


def test_lock_through_a_symlink_is_refused(data_dir: Path) -> None:
    from safetykit.core.checklist import Progress

    vault = create_vault(paths(), "keyring")
    paths().lock.unlink(missing_ok=True)
    paths().lock.symlink_to(data_dir.parent / "planted")
    with pytest.raises(StorageError, match="link"):
        vault.update(Progress, lambda p: p.states.__setitem__("x", "done"))
    assert not (data_dir.parent / "planted").exists()


def test_created_is_recorded_in_the_header(data_dir: Path) -> None:
    vault = create_vault(paths(), "keyring")
    header = sealed.read_header(paths().vault.read_bytes())
    assert header.created is not None and header.created.endswith("Z")
    assert header == vault.header
