"""The one encrypted file that holds everything safetykit remembers.

``Vault`` is the only way state reaches the disk. It opens (unlocks) with the key from the OS
keyring or a passphrase, saves atomically after keeping the previous good copy, and never
overwrites a file it could not read.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from safetykit.errors import (
    LockedError,
    SafetykitError,
    StorageError,
    VaultUnreadableError,
)
from safetykit.storage import keys, schema, sealed
from safetykit.storage.atomic import interrupts_deferred, write_atomic
from safetykit.storage.paths import DataPaths

# Asked for a passphrase; the flag is True when a new one is being chosen (ask twice).
PassphraseSource = Callable[[bool], str]

MAX_VAULT_BYTES = 64 * 1024 * 1024
PASSPHRASE_TRIES = 3


def _storage_error(paths: DataPaths, exc: OSError) -> StorageError:
    if exc.errno == errno.ENOSPC:
        return StorageError(
            "The disk is full, so your latest answer could not be saved. "
            "Everything saved before it is safe.",
            hint="Free some space and try again.",
        )
    return StorageError(
        f"safetykit could not save to {paths.root} ({exc.strerror or exc}). "
        "Everything saved before is safe.",
        hint="Check that the folder can be written, or set SAFETYKIT_HOME to another folder.",
    )


def _unreadable(paths: DataPaths, what: str) -> VaultUnreadableError:
    hint = "Nothing has been changed or overwritten."
    if paths.backup.exists():
        hint += (
            f" A copy from before the last change is kept at {paths.backup}; "
            "'safetykit restore' puts it back."
        )
    message = f"Your saved data in {paths.vault} cannot be read: {what}."
    return VaultUnreadableError(message, hint=hint)


def _read_bytes(paths: DataPaths, which: str = "vault") -> bytes | None:
    path = paths.vault if which == "vault" else paths.backup
    try:
        size = path.stat().st_size
        if size > MAX_VAULT_BYTES:
            raise _unreadable(paths, "the file is far larger than safetykit ever writes")
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(
            f"safetykit could not read {path} ({exc.strerror or exc}).",
            hint="Check the folder's permissions.",
        ) from exc


def protection_of(paths: DataPaths) -> sealed.Protection | None:
    """How the vault is protected, read from its header without unlocking; None if no vault."""
    blob = _read_bytes(paths)
    if blob is None:
        return None
    try:
        return sealed.read_header(blob).protection
    except sealed.SealedFormatError as exc:
        raise _unreadable(paths, "it is damaged or is not a safetykit file") from exc


def _decode_state(paths: DataPaths, plaintext: bytes) -> schema.State:
    try:
        return schema.migrate(json.loads(plaintext.decode("utf-8")))
    except schema.SchemaError as exc:
        if "newer" in str(exc):
            raise VaultUnreadableError(
                "Your saved data was written by a newer version of safetykit.",
                hint="Update safetykit to open it. Nothing has been changed.",
            ) from exc
        raise _unreadable(paths, "its contents are not in a form safetykit knows") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _unreadable(paths, "its contents are damaged") from exc


@dataclass
class Vault:
    """An unlocked vault: the state, and how to save it."""

    paths: DataPaths
    header: sealed.Header
    key: bytes = field(repr=False)
    state: schema.State

    @property
    def protection(self) -> sealed.Protection:
        return self.header.protection

    def section(self, name: str) -> dict[str, Any]:
        value = self.state.setdefault(name, {})
        if not isinstance(value, dict):
            value = self.state[name] = {}
        return value

    def save(self) -> None:
        """Write the state: the current file becomes the backup, then the new one replaces it."""
        payload = json.dumps(self.state, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        blob = sealed.seal(self.header, self.key, payload)
        with interrupts_deferred(), _locked(self.paths):
            try:
                self.paths.ensure_root()
                current = _read_bytes(self.paths)
                if current is not None and _same_vault(current, self.header) and current != blob:
                    write_atomic(self.paths.backup, current)
                write_atomic(self.paths.vault, blob)
                _sweep_temp_files(self.paths)
            except OSError as exc:
                raise _storage_error(self.paths, exc) from exc


def _same_vault(blob: bytes, header: sealed.Header) -> bool:
    try:
        return sealed.read_header(blob).vault_id == header.vault_id
    except sealed.SealedFormatError:
        return False


def _sweep_temp_files(paths: DataPaths) -> None:
    """Remove temp files a killed save left behind (only ciphertext; called under the lock)."""
    for leftover in paths.root.glob(".vault.bin*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


@contextlib.contextmanager
def _locked(paths: DataPaths) -> Iterator[None]:
    """One writer at a time (advisory lock where the platform has fcntl)."""
    try:
        import fcntl
    except ImportError:  # Windows: writes are still atomic
        yield
        return
    paths.ensure_root()
    try:
        fd = os.open(paths.lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise _storage_error(paths, exc) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _unlock_blob(paths: DataPaths, blob: bytes, ask: PassphraseSource | None) -> Vault:
    try:
        header = sealed.read_header(blob)
    except sealed.SealedFormatError as exc:
        raise _unreadable(paths, "it is damaged or is not a safetykit file") from exc
    if header.protection == "keyring":
        key = keys.load_vault_key(header.vault_id)
        plaintext = _unseal(paths, blob, key, wrong_key=LockedError(
            "The key in this computer's keyring does not open your saved data.",
            hint="It may have been replaced. If you have the old key, nothing is lost yet.",
        ))
        return Vault(paths, header, key, _decode_state(paths, plaintext))
    if ask is None:
        raise LockedError("Your saved data is protected by a passphrase, and none was given.")
    assert header.kdf is not None  # noqa: S101 - guaranteed by the header parser
    for attempt in range(PASSPHRASE_TRIES):
        try:
            key = sealed.derive_key(ask(False), header.kdf)
        except ValueError as exc:  # parameters scrypt refuses (memory): not a vault we made
            raise _unreadable(paths, "it has been damaged or changed") from exc
        try:
            plaintext = sealed.unseal(blob, key)
        except sealed.WrongKeyError:
            if attempt == PASSPHRASE_TRIES - 1:
                break
            continue
        except (sealed.TamperedError, sealed.SealedFormatError) as exc:
            raise _unreadable(paths, "it has been damaged or changed") from exc
        return Vault(paths, header, key, _decode_state(paths, plaintext))
    raise LockedError(
        "That passphrase does not open your saved data.",
        hint="Passphrases are case-sensitive. Nothing has been changed.",
    )


def _unseal(paths: DataPaths, blob: bytes, key: bytes, *, wrong_key: Exception) -> bytes:
    try:
        return sealed.unseal(blob, key)
    except sealed.WrongKeyError:
        raise wrong_key from None
    except (sealed.TamperedError, sealed.SealedFormatError) as exc:
        raise _unreadable(paths, "it has been damaged or changed") from exc


def open_vault(paths: DataPaths, ask: PassphraseSource | None = None) -> Vault | None:
    """The unlocked vault, or None when nothing has been stored yet."""
    blob = _read_bytes(paths)
    if blob is None:
        return None
    return _unlock_blob(paths, blob, ask)


def create_vault(
    paths: DataPaths, protection: sealed.Protection, passphrase: str | None = None
) -> Vault:
    """Make a new, empty vault and write it. The keyring entry is written before the file."""
    if paths.vault.exists():
        raise StorageError(f"There is already saved data in {paths.root}; it was left as it is.")
    paths.ensure_root()
    if protection == "keyring":
        key = sealed.new_key()
        header = sealed.make_header("keyring", key)
        keys.store_vault_key(header.vault_id, key)
    else:
        if not passphrase:
            raise LockedError("A passphrase is needed to protect your saved data.")
        kdf = sealed.KdfParams.fresh()
        key = sealed.derive_key(passphrase, kdf)
        header = sealed.make_header("passphrase", key, kdf=kdf)
    vault = Vault(paths, header, key, schema.empty_state())
    vault.save()
    return vault


def restore_backup(paths: DataPaths, ask: PassphraseSource | None = None) -> Vault:
    """Put the copy from before the last change back in place, after checking that it opens."""
    blob = _read_bytes(paths, "backup")
    if blob is None:
        raise StorageError("There is no earlier copy to restore.")
    vault = _unlock_blob(DataPaths(paths.root), blob, ask)
    with interrupts_deferred(), _locked(paths):
        try:
            current = _read_bytes(paths)
            if current is not None:
                write_atomic(paths.root / (paths.vault.name + ".damaged"), current)
            write_atomic(paths.vault, blob)
        except OSError as exc:
            raise _storage_error(paths, exc) from exc
    return vault


@dataclass(frozen=True)
class WipeResult:
    removed: tuple[str, ...]
    left_behind: tuple[str, ...]


def wipe(paths: DataPaths, extra_labels: Iterable[str] = ()) -> WipeResult:
    """Remove the vault, its copies and the keyring entries they name.

    ``extra_labels`` are further keyring entries of this vault (kept passwords). Keyring entries
    that could not be removed are reported, never silently left.
    """
    removed: list[str] = []
    left: list[str] = []
    vault_ids: set[str] = set()
    candidates = [paths.vault, paths.backup, paths.root / (paths.vault.name + ".damaged")]
    for path in candidates:
        with contextlib.suppress(OSError, sealed.SealedFormatError):
            vault_ids.add(sealed.read_header(path.read_bytes()).vault_id)
    for vault_id in sorted(vault_ids):
        labels = ["key", *extra_labels]
        try:
            kept = keys.kept_labels(vault_id)
        except SafetykitError as exc:
            left.append(f"passwords kept in the keyring for this data ({exc.message})")
            kept = []
        labels += [*kept, keys.INDEX_LABEL] if kept else []
        for label in labels:
            name = f"keyring entry {keys.service_name()}/{label}-{vault_id}"
            try:
                if keys.delete_entry(vault_id, label):
                    removed.append(name)
            except SafetykitError as exc:
                left.append(f"{name} ({exc.message})")
    for path in [*candidates, paths.lock]:
        try:
            path.unlink()
            removed.append(str(path))
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise _storage_error(paths, exc) from exc
    if paths.root.exists():
        _sweep_temp_files(paths)
    return WipeResult(tuple(removed), tuple(left))
