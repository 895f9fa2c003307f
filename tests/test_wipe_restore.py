"""Wipe leaves no secret behind and says the truth; restore shows, asks, swaps and can be undone;
the data folder and the online check are hardened."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from safetykit.cli.app import run
from safetykit.core.checklist import Progress
from safetykit.errors import ExitStatus
from safetykit.passwords.pwned_api import PwnedApiClient, PwnedApiError
from safetykit.storage import keys, leftovers, sealed
from safetykit.storage.copies import KEEP_REPLACED, replaced_copies
from safetykit.storage.paths import DataPaths, default_paths
from safetykit.storage.removal import wipe
from safetykit.storage.vault import Vault, create_vault, open_vault
from tests.doubles import MemoryKeyring
from tests.secret_service import SecretServiceSession
from tests.vaults import keep_the_old_way

PASSPHRASE = "maple ribbon quartz lantern bison"
FIRST, SECOND = "contact.block-number", "contact.save-evidence"


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**12)


def keyring_vault_with_kept_password(*, legacy: bool = False) -> Vault:
    """A keyring vault keeping two passwords: in one neutral entry, or (``legacy``) one entry each
    with an index, as earlier versions kept them."""
    vault = create_vault(default_paths(), "keyring")
    kept = {"pw-a1": "kept one", "pw-b2": "kept two"}
    if legacy:
        keep_the_old_way(vault, kept)
    else:
        for label, secret in kept.items():
            keys.keep_secret(vault.header.vault_id, label, secret)
    return vault


# ── wipe ──────────────────────────────────────────────────────────────────────────────────────


def test_a_wipe_cut_short_by_a_locked_keyring_is_finished_by_the_next(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    backend = memory_keyring
    keyring_vault_with_kept_password(legacy=True)
    backend.lock_after_a_delete = True
    assert len(backend.store) == 4  # key, two kept passwords, the index
    assert run(["wipe", "--yes"]) == ExitStatus.LOCKED
    out = " ".join(capsys.readouterr().out.split())
    assert "Your data files were removed" in out and "still there" in out
    assert not default_paths().vault.exists()  # the files are gone...
    assert backend.store  # ...but not every keyring entry: some are left, and remembered
    assert leftovers.pending(default_paths())
    backend.locked = backend.lock_after_a_delete = False
    assert run(["wipe", "--yes"]) == 0  # with no vault file left to name them
    assert backend.store == {}
    assert "Everything safetykit stored here has been removed." in capsys.readouterr().out
    assert not data_dir.exists()  # the emptied data folder too


def test_an_index_is_never_removed_before_what_it_lists(
    data_dir: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = keyring_vault_with_kept_password(legacy=True)
    real = keys.legacy_labels

    def unreadable(*args: object, **kwargs: object) -> list[str]:
        from safetykit.errors import KeyringUnavailableError

        raise KeyringUnavailableError("The keyring did not answer within 2 seconds.")

    monkeypatch.setattr(keys, "legacy_labels", unreadable)
    result = wipe(default_paths())
    index = (keys.service_name(), f"index-{vault.header.vault_id}")
    assert index in memory_keyring.store and result.left_behind
    monkeypatch.setattr(keys, "legacy_labels", real)
    assert wipe(default_paths()).left_behind == ()
    assert memory_keyring.store == {}


def test_wipe_with_no_keyring_at_all_records_the_key(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from keyring.backends import fail

    create_vault(default_paths(), "keyring")
    keyring.set_keyring(fail.Keyring())
    assert run(["wipe", "--yes"]) == ExitStatus.KEYRING_UNAVAILABLE
    assert [e.label for e in leftovers.pending(default_paths())] == ["index", "key", "notes"]


@pytest.mark.secret_service
def test_real_keyring_locked_mid_way_then_a_second_wipe(
    secret_service_keyring: object,
    secret_service: SecretServiceSession,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vault = keyring_vault_with_kept_password()
    vault_id = vault.header.vault_id
    real_delete = keys.delete_entry
    calls = {"n": 0}

    def lock_after_the_first(*args: object, **kwargs: object) -> bool:
        calls["n"] += 1
        removed = real_delete(*args, **kwargs)  # type: ignore[arg-type]
        if calls["n"] == 1:
            secret_service.lock()  # the collection locks in the middle of the wipe
        return removed

    monkeypatch.setattr(keys, "delete_entry", lock_after_the_first)
    first = wipe(default_paths())
    assert first.left_behind and first.locked
    assert not default_paths().vault.exists()
    secret_service.unlock()
    monkeypatch.setattr(keys, "delete_entry", real_delete)
    second = wipe(default_paths())
    assert second.left_behind == ()
    service = keys.service_name()
    for label in ("key", "index", "pw-a1", "pw-b2"):
        assert keyring.get_password(service, f"{label}-{vault_id}") is None


# ── restore ───────────────────────────────────────────────────────────────────────────────────


def two_saves() -> Vault:
    vault = create_vault(default_paths(), "keyring")
    vault.update(Progress, lambda p: p.states.__setitem__(FIRST, "done"))
    vault.update(Progress, lambda p: p.states.__setitem__(SECOND, "done"))
    return vault


def stored_items() -> dict[str, str]:
    vault = open_vault(default_paths())
    assert vault is not None
    return vault.read(Progress).states


def test_restore_shows_both_asks_and_can_be_undone(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    two_saves()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run(["restore"]) == ExitStatus.NOT_A_TERMINAL  # a script must say --yes
    assert "--yes" in capsys.readouterr().err
    assert stored_items() == {FIRST: "done", SECOND: "done"}
    assert run(["--plain", "restore", "--yes"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Now (saved" in out and "Earlier copy (saved" in out and "checklist 2 of" in out
    assert stored_items() == {FIRST: "done"}
    assert run(["restore", "--yes"]) == 0  # again: undone
    assert stored_items() == {FIRST: "done", SECOND: "done"}
    assert len(replaced_copies(default_paths())) == 2  # nothing earlier overwritten


def test_only_the_newest_replaced_copies_are_kept(data_dir: Path) -> None:
    two_saves()
    for _ in range(KEEP_REPLACED + 3):
        assert run(["restore", "--yes"]) == 0
    assert len(replaced_copies(default_paths())) == KEEP_REPLACED


def test_wipe_removes_every_copy(data_dir: Path) -> None:
    two_saves()
    assert run(["restore", "--yes"]) == 0
    (data_dir / "vault.bin.damaged").write_bytes(default_paths().vault.read_bytes())  # 0.1 name
    assert run(["wipe", "--yes"]) == 0
    assert not data_dir.exists()


# ── the data folder and the online check ─────────────────────────────────────────────────────


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_missing_parent_folders_are_made_private_whatever_the_umask(
    tmp_path: Path, open_umask: None
) -> None:
    root = tmp_path / "home" / ".local" / "share" / "notes"
    DataPaths(root).ensure_root()
    for folder in (tmp_path / "home", tmp_path / "home" / ".local", root):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_status_warns_about_a_shared_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="sk-shared-", dir="/tmp"))
    try:
        shared.chmod(0o777)
        monkeypatch.setenv("SAFETYKIT_HOME", str(shared / "data"))
        assert run(["status", "--json"]) == 0
        import json

        warning = json.loads(capsys.readouterr().out)["location_warning"]
        assert warning and "others on this computer can change" in warning
    finally:
        shutil.rmtree(shared, ignore_errors=True)


@pytest.mark.parametrize(
    "url", ["http://api.example.org/range/", "ftp://example.org/", "file:///etc/passwd"]
)
def test_the_online_check_refuses_anything_but_https(url: str) -> None:
    with pytest.raises(PwnedApiError, match="https://"):
        PwnedApiClient(url)


def test_the_online_check_allows_a_local_mirror_over_http() -> None:
    PwnedApiClient("http://127.0.0.1:9/range/")
    PwnedApiClient("https://api.pwnedpasswords.com/range/")
