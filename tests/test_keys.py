"""The keyring layer: which backends count as usable, timeouts, and calm errors."""

from __future__ import annotations

import time

import keyring
import pytest
from keyring.backends import fail, null
from keyring.testing.backend import BackendBasicTests

from safetykit.errors import KeyringUnavailableError, LockedError
from safetykit.storage import keys
from tests.doubles import MemoryKeyring


class PlaintextFileKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's plaintext backend: an unknown module is never trusted."""


PlaintextFileKeyring.__module__ = "keyrings.alt.file"


def test_memory_backend_round_trip() -> None:
    keys.store_vault_key("abc", b"k" * 32)
    assert keys.load_vault_key("abc") == b"k" * 32
    assert keys.delete_entry("abc") is True
    assert keys.delete_entry("abc") is False


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()])
def test_fail_and_null_backends_are_unusable(backend: object) -> None:
    keyring.set_keyring(backend)  # type: ignore[arg-type]
    info = keys.keyring_info()
    assert not info.usable
    assert info.reason and "no keyring" in info.reason
    with pytest.raises(KeyringUnavailableError):
        keys.store_vault_key("abc", b"k" * 32)


def test_plaintext_backends_are_refused() -> None:
    keyring.set_keyring(PlaintextFileKeyring())
    info = keys.keyring_info()
    assert not info.usable
    assert "without the system's protection" in (info.reason or "")


def test_known_os_backends_are_trusted() -> None:
    from keyring.backends import SecretService, chainer

    assert keys._trusted(SecretService.Keyring())
    mixed = chainer.ChainerBackend.__new__(chainer.ChainerBackend)
    mixed.__dict__["backends"] = [SecretService.Keyring(), PlaintextFileKeyring()]
    assert not keys._trusted(mixed)


def test_locked_keyring_is_a_locked_error(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.locked = True
    with pytest.raises(LockedError, match="locked"):
        keys.load_vault_key("abc")


def test_a_hanging_keyring_times_out(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(keys.TIMEOUT_ENV, "0.3")
    memory_keyring.hanging = True
    started = time.monotonic()
    with pytest.raises(KeyringUnavailableError, match="did not answer"):
        keys.load_vault_key("abc")
    assert keys.timeout_seconds() == 0.3
    assert time.monotonic() - started < 5  # it gave up instead of waiting for ever


def test_missing_key_is_explained() -> None:
    with pytest.raises(LockedError, match="not in this computer's keyring"):
        keys.load_vault_key("never-stored")


def test_service_name_is_neutral_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(keys.SERVICE_ENV)
    name = keys.service_name().lower()
    assert "safety" not in name and "abuse" not in name and "plan" not in name


def test_bad_timeout_setting_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keys.TIMEOUT_ENV, "soon")
    assert keys.timeout_seconds() == keys.DEFAULT_TIMEOUT


class TestMemoryKeyringSuite(BackendBasicTests):
    """The fake passes keyring's own backend test suite, so it behaves like the real thing."""

    def init_keyring(self) -> MemoryKeyring:
        return MemoryKeyring()


# ── kept passwords: one neutral entry ─────────────────────────────────────────────────────────


def _names(backend: MemoryKeyring) -> list[str]:
    return sorted(name for _service, name in backend.store)


def test_kept_passwords_are_one_neutral_entry(memory_keyring: MemoryKeyring) -> None:
    for n in range(3):
        keys.keep_secret("v1", f"pw-a{n}", f"secret {n}")
    # One entry, named like the store it is in: not "pw", not an index, not one per password
    # (each entry's own dates would tell when each one was made).
    assert _names(memory_keyring) == ["notes-v1"]
    assert keys.load_secret("v1", "pw-a1") == "secret 1"
    assert keys.kept_labels("v1") == ["pw-a0", "pw-a1", "pw-a2"]
    keys.forget_secret("v1", "pw-a1")
    assert keys.load_secret("v1", "pw-a1") is None and keys.kept_labels("v1") == ["pw-a0", "pw-a2"]
    keys.forget_secret("v1", "pw-a0")
    keys.forget_secret("v1", "pw-a2")
    assert memory_keyring.store == {}  # nothing kept, no entry


def test_entries_of_earlier_versions_are_read_and_moved(memory_keyring: MemoryKeyring) -> None:
    service = keys.service_name()
    keyring.set_password(service, "pw-a1-v1", "kept one")
    keyring.set_password(service, "pw-b2-v1", "kept two")
    keyring.set_password(service, "index-v1", "pw-a1,pw-b2")
    assert keys.load_secret("v1", "pw-b2") == "kept two"
    assert _names(memory_keyring) == ["notes-v1"]
    assert keys.load_secret("v1", "pw-a1") == "kept one"


def test_a_move_cut_short_loses_nothing_and_is_finished_later(
    memory_keyring: MemoryKeyring,
) -> None:
    service = keys.service_name()
    keyring.set_password(service, "pw-a1-v1", "kept one")
    keyring.set_password(service, "pw-b2-v1", "kept two")
    keyring.set_password(service, "index-v1", "pw-a1,pw-b2")
    memory_keyring.lock_after_a_delete = True  # locked after the first old entry is removed
    with pytest.raises(LockedError):
        keys.load_secret("v1", "pw-a1")
    assert "index-v1" in _names(memory_keyring)  # the index stays while what it lists does
    memory_keyring.locked = memory_keyring.lock_after_a_delete = False
    assert keys.kept_labels("v1") == ["pw-a1", "pw-b2"]
    assert _names(memory_keyring) == ["notes-v1"]
    assert keys.load_secret("v1", "pw-a1") == "kept one"


def test_a_changed_entry_is_said_plainly(memory_keyring: MemoryKeyring) -> None:
    keyring.set_password(keys.service_name(), "notes-v1", "not what safetykit wrote")
    with pytest.raises(LockedError, match="no longer fits"):
        keys.load_secret("v1", "pw-a1")
