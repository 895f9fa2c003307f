"""The one encrypted file that holds everything safetykit remembers.

Reading: ``read_sealed`` reads the file without unlocking it (enough to say how it is protected);
``unlock_with_keyring`` / ``unlock_with_passphrase`` turn it into a ``Vault``.

Writing: every change is an operation on one typed section model (checklist progress, plan
answers, password records), applied by ``Vault.update`` under the lock to the state *as it is on
disk now*, so two windows and a script working at once lose nothing. Where two changes touch the
same answer, the later one wins. The previous good file is kept beside the new one, and a file
that cannot be read is never overwritten.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol, Self, TypeVar

from safetykit.errors import (
    LockedError,
    SafetykitError,
    StorageError,
    VaultUnreadableError,
)
from safetykit.i18n import _
from safetykit.storage import keys, schema, sealed
from safetykit.storage.atomic import interrupts_deferred, write_atomic
from safetykit.storage.lock import data_lock
from safetykit.storage.paths import DataPaths

MAX_VAULT_BYTES = 64 * 1024 * 1024


class SectionModel(Protocol):
    """One part of the state (``checklist``, ``plan``, ``passwords``) as a typed model."""

    SECTION: ClassVar[str]

    @classmethod
    def from_state(cls, raw: Mapping[str, Any]) -> Self: ...

    def to_state(self) -> dict[str, Any]: ...


M = TypeVar("M", bound=SectionModel)


class WrongPassphraseError(LockedError):
    """The passphrase does not open this vault (the caller decides what to say and whether to
    ask again)."""


# ── errors a person reads ─────────────────────────────────────────────────────────────────────


def _storage_error(paths: DataPaths, exc: OSError) -> StorageError:
    if exc.errno == errno.ENOSPC:
        return StorageError(
            _(
                "The disk is full, so your latest answer could not be saved. "
                "Everything saved before it is safe."
            ),
            hint=_("Free some space and try again."),
        )
    return StorageError(
        _(
            "safetykit could not save to {folder} ({problem}). Everything saved before is "
            "safe."
        ).format(folder=paths.root, problem=exc.strerror or exc),
        hint=_(
            "Check that the folder can be written, or set SAFETYKIT_HOME to another folder."
        ),
    )


def _unreadable(paths: DataPaths, message: str) -> VaultUnreadableError:
    """``message`` is a whole sentence naming the vault file as ``{file}``."""
    hint = _("Nothing has been changed or overwritten.")
    if paths.backup.exists():
        hint += " " + _(
            "A copy from before the last change is kept at {file}; 'safetykit restore' puts it "
            "back."
        ).format(file=paths.backup)
    return VaultUnreadableError(message.format(file=paths.vault), hint=hint)


def _changed_elsewhere(message: str) -> VaultUnreadableError:
    return VaultUnreadableError(
        message, hint=_("Start safetykit again to carry on with the data as it is now.")
    )


# Sentences said from more than one place (each a whole sentence, for translation).


def _too_large() -> str:
    return _(
        "Your saved data in {file} cannot be read: the file is far larger than safetykit ever "
        "writes."
    )


def _not_ours() -> str:
    return _("Your saved data in {file} cannot be read: it is damaged or is not a safetykit file.")


def _damaged() -> str:
    return _("Your saved data in {file} cannot be read: it has been damaged or changed.")


def _replaced_or_rekeyed() -> str:
    return _(
        "Your saved data was replaced, or its protection was changed, while this window was "
        "open, so this last change was not saved."
    )


# ── reading the file ──────────────────────────────────────────────────────────────────────────


def read_vault_file(paths: DataPaths, path: Path) -> bytes | None:
    """The bytes of a regular file (never through a symlink, never a FIFO or device), or None."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _unreadable(
                paths,
                _(
                    "Your saved data in {file} cannot be read: it is a link to somewhere else, "
                    "which safetykit never makes."
                ),
            ) from exc
        raise StorageError(
            _("safetykit could not read {file} ({problem}).").format(
                file=path, problem=exc.strerror or exc
            ),
            hint=_("Check the folder's permissions."),
        ) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _unreadable(
                paths, _("Your saved data in {file} cannot be read: it is not an ordinary file.")
            )
        if info.st_size > MAX_VAULT_BYTES:
            raise _unreadable(paths, _too_large())
        chunks: list[bytes] = []
        remaining = MAX_VAULT_BYTES + 1
        while remaining > 0:
            chunk = os.read(fd, min(1 << 20, remaining))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > MAX_VAULT_BYTES:
            raise _unreadable(paths, _too_large())
        return data
    except OSError as exc:
        raise StorageError(
            _("safetykit could not read {file} ({problem}).").format(
                file=path, problem=exc.strerror or exc
            ),
            hint=_("Check the folder's permissions."),
        ) from exc
    finally:
        os.close(fd)


@dataclass(frozen=True)
class FileStamp:
    """Enough to notice that another window replaced the file."""

    inode: int
    size: int
    mtime_ns: int

    @staticmethod
    def of(path: Path) -> FileStamp | None:
        try:
            info = path.lstat()
        except OSError:
            return None
        return FileStamp(info.st_ino, info.st_size, info.st_mtime_ns)


@dataclass(frozen=True)
class Sealed:
    """A vault file read from disk, not yet unlocked."""

    paths: DataPaths
    blob: bytes = field(repr=False)
    header: sealed.Header

    @property
    def protection(self) -> sealed.Protection:
        return self.header.protection


def read_sealed(paths: DataPaths, which: str = "vault") -> Sealed | None:
    """The vault file (or its earlier copy) with its header checked; None if there is none."""
    blob = read_vault_file(paths, paths.vault if which == "vault" else paths.backup)
    if blob is None:
        return None
    try:
        header = sealed.read_header(blob)
    except sealed.SealedFormatError as exc:
        raise _unreadable(paths, _not_ours()) from exc
    return Sealed(paths, blob, header)


def protection_of(paths: DataPaths) -> sealed.Protection | None:
    """How the vault is protected, read from its header without unlocking; None if no vault."""
    found = read_sealed(paths)
    return found.protection if found else None


def _decode_state(paths: DataPaths, plaintext: bytes) -> schema.State:
    try:
        return schema.migrate(json.loads(plaintext.decode("utf-8")))
    except schema.SchemaError as exc:
        if "newer" in str(exc):
            raise VaultUnreadableError(
                _("Your saved data was written by a newer version of safetykit."),
                hint=_("Update safetykit to open it. Nothing has been changed."),
            ) from exc
        raise _unreadable(
            paths,
            _(
                "Your saved data in {file} cannot be read: its contents are not in a form "
                "safetykit knows."
            ),
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _unreadable(
            paths, _("Your saved data in {file} cannot be read: its contents are damaged.")
        ) from exc


def _open(found: Sealed, key: bytes, wrong_key: SafetykitError) -> Vault:
    try:
        plaintext = sealed.unseal(found.blob, key)
    except sealed.WrongKeyError:
        raise wrong_key from None
    except (sealed.TamperedError, sealed.SealedFormatError) as exc:
        raise _unreadable(found.paths, _damaged()) from exc
    state = _decode_state(found.paths, plaintext)
    return Vault(found.paths, found.header, key, state, _seen=FileStamp.of(found.paths.vault))


def unlock_with_key(found: Sealed, key: bytes) -> Vault:
    """Open ``found`` with a key already in hand (another copy of the same vault's)."""
    return _open(
        found, key, LockedError(_("That copy was not made with the same key as your data."))
    )


def unlock_with_keyring(found: Sealed) -> Vault:
    """Open a keyring-protected vault with the key kept in the OS keyring."""
    if found.protection != "keyring":
        raise LockedError(_("Your saved data is protected by a passphrase."))
    key = keys.load_vault_key(found.header.vault_id)
    return _open(
        found,
        key,
        LockedError(
            _("The key in this computer's keyring does not open your saved data."),
            hint=_("It may have been replaced. If you have the old key, nothing is lost yet."),
        ),
    )


def unlock_with_passphrase(found: Sealed, passphrase: str) -> Vault:
    """Open a passphrase-protected vault; ``WrongPassphraseError`` if it does not fit."""
    if found.protection != "passphrase" or found.header.kdf is None:
        raise LockedError(_("Your saved data is protected by this computer's keyring."))
    try:
        key = sealed.derive_key(passphrase, found.header.kdf)
    except ValueError as exc:  # parameters scrypt refuses (memory): not a vault we made
        raise _unreadable(found.paths, _damaged()) from exc
    vault = _open(
        found,
        key,
        WrongPassphraseError(
            _("That passphrase did not open your data."),
            hint=_("Passphrases are case-sensitive. Nothing has been changed."),
        ),
    )
    vault.passphrase = passphrase
    return vault


def open_vault(paths: DataPaths, passphrase: str | None = None) -> Vault | None:
    """The vault opened with the keyring, or with ``passphrase`` (one try); None if there is
    none. For tools and tests: people unlock through ``safetykit.flows.access``."""
    found = read_sealed(paths)
    if found is None:
        return None
    if found.protection == "keyring":
        return unlock_with_keyring(found)
    if passphrase is None:
        raise LockedError(
            _("Your saved data is protected by a passphrase, and none was given.")
        )
    return unlock_with_passphrase(found, passphrase)


# ── the unlocked vault ────────────────────────────────────────────────────────────────────────


@dataclass
class Vault:
    """An unlocked vault: the state as last read or written, and the way to change it."""

    paths: DataPaths
    header: sealed.Header
    key: bytes = field(repr=False)
    state: schema.State
    _seen: FileStamp | None = field(default=None, repr=False, compare=False)
    # The passphrase this vault was opened with, for this run only: to tell the person when words
    # they add later ("words your ex knows") are in it. Never written anywhere.
    passphrase: str | None = field(default=None, repr=False, compare=False)

    @property
    def protection(self) -> sealed.Protection:
        return self.header.protection

    def section(self, name: str) -> dict[str, Any]:
        """A read-only view of one part of the state as last read (a copy: edit through
        ``update``)."""
        value = self.state.get(name)
        return json.loads(json.dumps(value)) if isinstance(value, dict) else {}

    def read(self, model: type[M]) -> M:
        """One section as its typed model, as last read or written."""
        return model.from_state(self.section(model.SECTION))

    def refresh(self) -> None:
        """Pick up what another window saved since this one last read or wrote."""
        stamp = FileStamp.of(self.paths.vault)
        if stamp is not None and stamp == self._seen:
            return
        current, _blob, header = self._read_current()
        self.state = current
        self.header = header
        self._seen = stamp

    def update(self, model: type[M], change: Callable[[M], object]) -> M:
        """Apply ``change`` to the section as it is on disk now, and save; the fresh model.

        Waits a few seconds at most for another window's save (Ctrl-C leaves at once while
        waiting); once the lock is held, Ctrl-C waits the few milliseconds until the save is done.
        """
        with data_lock(self.paths), interrupts_deferred():
            current, blob, header = self._read_current()
            section = current.get(model.SECTION)
            fresh = model.from_state(section if isinstance(section, dict) else {})
            change(fresh)
            current[model.SECTION] = fresh.to_state()
            self.header = header  # what another window recorded in the header stays
            self._write(current, blob)
            self.state = current
        return fresh

    def note_keyring_secrets(self) -> None:
        """Record in the header that secrets of this vault are kept in the OS keyring, so that
        ``wipe`` knows to look there even for a passphrase vault (and even without unlocking)."""
        if self.header.kept_in_keyring:
            return
        with data_lock(self.paths), interrupts_deferred():
            current, blob, header = self._read_current()
            self.header = dataclasses.replace(header, kept_in_keyring=True)
            self._write(current, blob)
            self.state = current

    def _read_current(self) -> tuple[schema.State, bytes, sealed.Header]:
        blob = read_vault_file(self.paths, self.paths.vault)
        if blob is None:
            raise _changed_elsewhere(
                _(
                    "Your saved data was removed while this window was open, so this last "
                    "change was not saved."
                )
            )
        try:
            header = sealed.read_header(blob)
        except sealed.SealedFormatError as exc:
            raise _unreadable(self.paths, _not_ours()) from exc
        if header.vault_id != self.header.vault_id or header.key_check != self.header.key_check:
            raise _changed_elsewhere(_replaced_or_rekeyed())
        try:
            plaintext = sealed.unseal(blob, self.key)
        except sealed.WrongKeyError:
            raise _changed_elsewhere(_replaced_or_rekeyed()) from None
        except (sealed.TamperedError, sealed.SealedFormatError) as exc:
            raise _unreadable(self.paths, _damaged()) from exc
        return _decode_state(self.paths, plaintext), blob, header

    def _write(self, state: schema.State, current: bytes | None) -> None:
        """Write ``state`` (under the lock): the current file becomes the earlier copy."""
        payload = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        blob = sealed.seal(self.header, self.key, payload)
        try:
            self.paths.ensure_root()
            if current is not None and current != blob:
                write_atomic(self.paths.backup, current)
            write_atomic(self.paths.vault, blob)
            _sweep_temp_files(self.paths)
        except OSError as exc:
            raise _storage_error(self.paths, exc) from exc
        self._seen = FileStamp.of(self.paths.vault)


def write_state(vault: Vault, state: schema.State) -> None:
    """Replace the whole state (a migration, or setting up a vault with known contents).

    Everything a person does goes through ``Vault.update`` instead, which merges.
    """
    with data_lock(vault.paths), interrupts_deferred():
        blob = read_vault_file(vault.paths, vault.paths.vault)
        if blob is not None and not _same_vault(blob, vault.header):
            raise _changed_elsewhere(
                _(
                    "Your saved data was replaced while this window was open, so this last "
                    "change was not saved."
                )
            )
        vault._write(state, blob)
        vault.state = state


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


# ── making, restoring and removing ────────────────────────────────────────────────────────────


class VaultExistsError(StorageError):
    """There is already a vault here (perhaps set up in another window just now)."""


def create_vault(
    paths: DataPaths, protection: sealed.Protection, passphrase: str | None = None
) -> Vault:
    """Make a new, empty vault and write it. The keyring entry is written before the file."""
    existing = _("There is already saved data in {folder}; it was left as it is.").format(
        folder=paths.root
    )
    if paths.vault.exists():
        raise VaultExistsError(existing)
    paths.ensure_root()
    if protection == "keyring":
        key = sealed.new_key()
        header = sealed.make_header("keyring", key, created=sealed.now_stamp())
    else:
        if not passphrase:
            raise LockedError(_("A passphrase is needed to protect your saved data."))
        kdf = sealed.KdfParams.fresh()
        key = sealed.derive_key(passphrase, kdf)
        header = sealed.make_header("passphrase", key, kdf=kdf, created=sealed.now_stamp())
    vault = Vault(paths, header, key, schema.empty_state())
    with data_lock(paths), interrupts_deferred():
        if paths.vault.exists():  # another window set it up while this one was asking
            raise VaultExistsError(existing)
        if protection == "keyring":
            keys.store_vault_key(header.vault_id, key)
        vault._write(vault.state, None)
    return vault
