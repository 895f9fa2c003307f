"""Keyring entries that still have to be removed, remembered until they are.

When ``wipe`` (or a change of protection) cannot reach the keyring — it is locked, or did not
answer — the entries it could not remove are written here, in the data folder, so that the next
``wipe`` finds and finishes them even when no vault file is left to name them. The file holds only
the names of keyring entries (a neutral service name and opaque labels such as ``key-3f9a…``),
never a secret; it is removed as soon as the list is empty.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass

from safetykit.storage.atomic import write_atomic
from safetykit.storage.paths import DataPaths

FILE_NAME = "pending-removal.json"
MAX_BYTES = 256 * 1024


@dataclass(frozen=True, order=True)
class Entry:
    """One keyring entry: ``service`` / ``label-vault_id``."""

    service: str
    vault_id: str
    label: str

    @property
    def name(self) -> str:
        return f"{self.service}/{self.label}-{self.vault_id}"


def _path(paths: DataPaths) -> str:
    return str(paths.root / FILE_NAME)


def pending(paths: DataPaths) -> list[Entry]:
    """The entries still to remove (an unreadable record counts as empty: it holds no secret)."""
    try:
        with open(_path(paths), "rb") as handle:  # noqa: PTH123
            raw = handle.read(MAX_BYTES + 1)
    except OSError:
        return []
    if len(raw) > MAX_BYTES:
        return []
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return []
    entries: list[Entry] = []
    for item in doc.get("entries", []) if isinstance(doc, dict) else []:
        if isinstance(item, dict):
            fields = [item.get(k) for k in ("service", "vault_id", "label")]
            if all(isinstance(f, str) and f and "," not in f for f in fields):
                entries.append(Entry(*fields))  # type: ignore[arg-type]
    return sorted(set(entries))


def remember(paths: DataPaths, entries: list[Entry]) -> None:
    """Set the record to exactly ``entries`` (removed when empty)."""
    unique = sorted(set(entries))
    if not unique:
        with contextlib.suppress(FileNotFoundError):
            (paths.root / FILE_NAME).unlink()
        return
    paths.ensure_root()
    doc = {
        "note": "keyring entries safetykit still has to remove; no secrets",
        "entries": [
            {"service": e.service, "vault_id": e.vault_id, "label": e.label} for e in unique
        ],
    }
    write_atomic(paths.root / FILE_NAME, json.dumps(doc, indent=1).encode("utf-8"))


def add(paths: DataPaths, entries: list[Entry]) -> None:
    remember(paths, [*pending(paths), *entries])
