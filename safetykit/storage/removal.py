"""Removing everything: the keyring entries first, then every file, and a record of what could
not be removed so that the next ``wipe`` finishes the job.

Which keyring entries exist is read from the (unencrypted, authenticated) headers of every copy,
so nothing needs unlocking: a keyring vault has its key; any vault whose header says secrets are
kept in the keyring has the one entry holding them (or, made by an earlier version, one entry per
secret named in a keyring index). A passphrase vault with neither has nothing in the keyring, and
no keyring is touched at all.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from safetykit.errors import LockedError, SafetykitError, StorageError
from safetykit.i18n import _
from safetykit.storage import attachments, indicators, keys, leftovers, sealed
from safetykit.storage.copies import all_copies
from safetykit.storage.leftovers import Entry
from safetykit.storage.lock import data_lock
from safetykit.storage.paths import DataPaths
from safetykit.storage.vault import read_vault_file


@dataclass(frozen=True)
class WipeResult:
    removed: tuple[str, ...]
    """Files and keyring entries removed."""
    left_behind: tuple[str, ...]
    """Keyring entries that could not be removed (recorded for the next ``wipe``)."""
    locked: bool
    """True when what was left behind was left because the keyring is locked."""


def _headers(paths: DataPaths) -> list[sealed.Header]:
    found: list[sealed.Header] = []
    for path in all_copies(paths):
        with contextlib.suppress(OSError, sealed.SealedFormatError, SafetykitError):
            blob = read_vault_file(paths, path)
            if blob is not None:
                found.append(sealed.read_header(blob))
    return found


def keyring_entries(paths: DataPaths) -> list[Entry]:
    """The keyring entries the vault files here name (before their indexes are read)."""
    service = keys.service_name()
    entries: list[Entry] = []
    by_id: dict[str, list[sealed.Header]] = {}
    for header in _headers(paths):
        by_id.setdefault(header.vault_id, []).append(header)
    for vault_id, headers in sorted(by_id.items()):
        if any(h.protection == "keyring" for h in headers):
            entries.append(Entry(service, vault_id, "key"))
        if any(h.protection == "keyring" or h.kept_in_keyring for h in headers):
            entries.append(Entry(service, vault_id, keys.KEPT_LABEL))
            entries.append(Entry(service, vault_id, keys.INDEX_LABEL))
    return entries


def _with_indexed(entries: list[Entry]) -> tuple[list[Entry], list[Entry], bool]:
    """``entries`` plus the kept secrets each index entry (of earlier versions) names; the index
    entries that could not be read (held back: an index is never removed before what it lists);
    and whether that was because the keyring is locked."""
    expanded = list(entries)
    unread: list[Entry] = []
    locked = False
    for entry in entries:
        if entry.label != keys.INDEX_LABEL:
            continue
        try:
            labels = keys.legacy_labels(entry.vault_id, service=entry.service)
        except SafetykitError as exc:
            unread.append(entry)
            locked = locked or isinstance(exc, LockedError)
            continue
        expanded.extend(Entry(entry.service, entry.vault_id, label) for label in labels)
    return expanded, unread, locked


def remove_keyring_entries(paths: DataPaths, entries: list[Entry]) -> tuple[list[str], bool]:
    """Remove ``entries`` and the secrets their indexes list (missing ones are fine); record what
    could not be removed. What was removed, and whether the keyring was locked."""
    wanted, unread, locked = _with_indexed(entries)
    removed: list[str] = []
    failed: list[Entry] = list(unread)
    # Kept secrets first, their index after, the vault key last.
    order = {keys.INDEX_LABEL: 1, "key": 2}
    for entry in sorted(set(wanted) - set(unread), key=lambda e: (order.get(e.label, 0), e)):
        if entry.label == keys.INDEX_LABEL and any(
            f.vault_id == entry.vault_id and f.label != "key" for f in failed
        ):
            failed.append(entry)  # keep the index while a secret it lists is still there
            continue
        try:
            if keys.delete_entry(entry.vault_id, entry.label, service=entry.service):
                removed.append(f"keyring entry {entry.name}")
        except SafetykitError as exc:
            failed.append(entry)
            locked = locked or isinstance(exc, LockedError)
    done = set(wanted) - set(failed)
    leftovers.remember(paths, [e for e in leftovers.pending(paths) if e not in done] + failed)
    return removed, locked


def wipe(paths: DataPaths) -> WipeResult:
    """Remove the keyring entries the vault names (and any a previous wipe could not), then
    every copy of the vault, the attached files (after the copies that hold their keys), the lock,
    and the data folder itself if nothing else is in it."""
    entries = keyring_entries(paths) + leftovers.pending(paths)
    removed, locked = remove_keyring_entries(paths, entries)
    left = [e.name for e in leftovers.pending(paths)]
    if not paths.root.exists():
        return WipeResult(tuple(removed), tuple(left), locked)
    with data_lock(paths):
        for path in [*all_copies(paths), *attachments.all_files(paths)]:
            try:
                path.unlink()
                removed.append(str(path))
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise StorageError(
                    _("safetykit could not remove {file} ({problem}).").format(
                        file=path, problem=exc.strerror or exc
                    ),
                    hint=_("Check the folder's permissions, then run 'safetykit wipe' again."),
                ) from exc
        for leftover in paths.root.glob(".vault.bin*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()
        with contextlib.suppress(OSError):
            if indicators.remove(paths):  # a newer copy of the public stalkerware lists
                removed.append(str(paths.root / indicators.NAME))
        with contextlib.suppress(OSError):
            (paths.root / attachments.ATTACHMENTS_DIR).rmdir()
        with contextlib.suppress(OSError):
            paths.lock.unlink()  # still held: a window waiting for it finds no vault after
    if not left:
        with contextlib.suppress(OSError):
            paths.root.rmdir()  # only if empty: nothing else of the person's is touched
    return WipeResult(tuple(removed), tuple(left), locked)
