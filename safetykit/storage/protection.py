"""Changing how the vault is protected: a new passphrase, or a switch between the keyring and a
passphrase. Every change re-keys: a fresh key and a fresh vault id, so the old passphrase or the
old keyring entry opens nothing afterwards.

The order is chosen so that a crash at any point leaves the data readable with the old or the new
protection, and no secret behind unrecorded:

1. the old keyring entries are written to the leftovers record (``storage/leftovers.py``);
2. with the keyring, the new key is stored (and kept secrets are copied to the new id);
3. the vault is rewritten with the new key (one atomic replace);
4. every earlier copy that opens with the old key is re-encrypted with the new one; copies that do
   not (damaged ones) are removed, as they can only be opened with the old protection;
5. the old keyring entries are removed (what fails stays on the record for ``wipe``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os

from safetykit.errors import LockedError, SafetykitError, StorageError
from safetykit.i18n import _
from safetykit.storage import keys, leftovers, sealed
from safetykit.storage.atomic import interrupts_deferred, write_atomic
from safetykit.storage.copies import all_copies
from safetykit.storage.leftovers import Entry
from safetykit.storage.lock import data_lock
from safetykit.storage.removal import remove_keyring_entries
from safetykit.storage.vault import Vault, read_vault_file


@dataclasses.dataclass(frozen=True)
class Rekeyed:
    vault: Vault
    copies_reencrypted: int
    copies_removed: int
    left_in_keyring: tuple[str, ...]


def _old_entries(vault: Vault) -> list[Entry]:
    service = keys.service_name()
    old_id = vault.header.vault_id
    entries: list[Entry] = []
    if vault.protection == "keyring":
        entries.append(Entry(service, old_id, "key"))
    if vault.protection == "keyring" or vault.header.kept_in_keyring:
        entries.append(Entry(service, old_id, keys.KEPT_LABEL))
        entries.append(Entry(service, old_id, keys.INDEX_LABEL))
    return entries


def change_protection(
    vault: Vault, protection: sealed.Protection, passphrase: str | None = None
) -> Rekeyed:
    """Re-key ``vault`` to ``protection`` (with ``passphrase`` for a passphrase); the new vault."""
    if protection == "passphrase" and not passphrase:
        raise LockedError(_("A passphrase is needed to protect your saved data."))
    paths = vault.paths
    old_header, old_key = vault.header, vault.key
    if protection == "keyring":
        key = sealed.new_key()
        kdf = None
    else:
        kdf = sealed.KdfParams.fresh()
        key = sealed.derive_key(passphrase or "", kdf)
    old_entries = _old_entries(vault)
    with data_lock(paths), interrupts_deferred():
        current, _blob, on_disk = vault._read_current()
        keeps = on_disk.kept_in_keyring or on_disk.protection == "keyring"
        header = sealed.make_header(
            protection, key, kdf=kdf, created=on_disk.created or sealed.now_stamp()
        )
        leftovers.add(paths, old_entries)
        moved: list[str] = []
        if protection == "keyring":
            keys.store_vault_key(header.vault_id, key)
        if keeps:
            moved = keys.move_kept_secrets(old_header.vault_id, header.vault_id)
        header = dataclasses.replace(header, kept_in_keyring=bool(moved))
        fresh = Vault(paths, header, key, current)
        fresh._write(current, None)
        reencrypted, removed = _reencrypt_copies(old_header, old_key, fresh)
    if protection == "passphrase":
        fresh.passphrase = passphrase
    remove_keyring_entries(paths, old_entries)
    left = tuple(e.name for e in leftovers.pending(paths))
    return Rekeyed(fresh, reencrypted, removed, left)


def _reencrypt_copies(old: sealed.Header, old_key: bytes, fresh: Vault) -> tuple[int, int]:
    """Every earlier copy re-encrypted with the new key, or removed if the old key cannot open
    it. Called under the lock, after the vault itself was rewritten."""
    reencrypted = removed = 0
    paths = fresh.paths
    for path in all_copies(paths):
        if path == paths.vault:
            continue
        try:
            blob = read_vault_file(paths, path)
        except (OSError, SafetykitError):  # not an ordinary file, or unreadable: removed below
            blob = b""
        if blob is None:
            continue
        try:
            header = sealed.read_header(blob)
            if header.vault_id != old.vault_id:
                raise sealed.SealedFormatError("another vault")
            plaintext = sealed.unseal(blob, old_key)
            state = json.loads(plaintext.decode("utf-8"))
        except (sealed.SealedFormatError, sealed.WrongKeyError, sealed.TamperedError, ValueError):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
            continue
        payload = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            saved = path.stat()
            write_atomic(path, sealed.seal(fresh.header, fresh.key, payload))
            # The same copy, only locked differently: keep the time it was saved.
            os.utime(path, ns=(saved.st_atime_ns, saved.st_mtime_ns))
        except OSError as exc:
            raise StorageError(
                _("safetykit could not re-encrypt {file} ({problem}).").format(
                    file=path, problem=exc.strerror or exc
                ),
                hint=_(
                    "Your data itself is protected the new way. Run 'safetykit protect' again "
                    "to finish the earlier copies."
                ),
            ) from exc
        reencrypted += 1
    return reencrypted, removed
