"""The earlier copies of the vault: the one from before the last change, and the ones a restore
set aside.

- ``vault.bin.previous``: written by every save (the file as it was before that save).
- ``vault.bin.replaced-<time>``: what ``restore`` put aside, the newest few kept.
- ``vault.bin.damaged``: the name 0.1 used for what ``restore`` put aside (still found, and
  removed by ``wipe``).

``swap_with_previous`` is the restore itself: the earlier copy becomes the vault and the vault
becomes the earlier copy, so a second restore undoes the first; the file replaced is also kept
under a ``replaced-`` name. Nothing is overwritten that was not just copied.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from pathlib import Path

from safetykit.errors import StorageError
from safetykit.i18n import _
from safetykit.storage.atomic import interrupts_deferred, write_atomic
from safetykit.storage.lock import data_lock
from safetykit.storage.paths import DataPaths
from safetykit.storage.vault import read_vault_file

REPLACED_PREFIX = "vault.bin.replaced-"
LEGACY_DAMAGED = "vault.bin.damaged"
KEEP_REPLACED = 3
_STAMP = re.compile(r"^\d{8}T\d{6}(?:\.\d+)?Z$")


def replaced_copies(paths: DataPaths) -> list[Path]:
    """The copies a restore set aside, oldest first."""
    if not paths.root.is_dir():
        return []
    found = [
        p for p in paths.root.iterdir()
        if p.name.startswith(REPLACED_PREFIX) and _STAMP.match(p.name[len(REPLACED_PREFIX):])
    ]
    return sorted(found, key=lambda p: p.name)


def all_copies(paths: DataPaths) -> list[Path]:
    """Every file that holds (or held) a vault: the vault, its earlier copy, and set-aside ones."""
    return [
        paths.vault,
        paths.backup,
        paths.root / LEGACY_DAMAGED,
        *replaced_copies(paths),
    ]


def _stamp(now: datetime.datetime | None = None) -> str:
    when = now or datetime.datetime.now(datetime.UTC)
    return when.strftime("%Y%m%dT%H%M%S.%f") + "Z"


def swap_with_previous(paths: DataPaths, expected_previous: bytes) -> Path | None:
    """Put the earlier copy in place and keep the current file as the earlier copy.

    ``expected_previous`` is the earlier copy as it was shown to the person: if another window
    saved in between, nothing is done and a ``StorageError`` says so. Returns the name the
    current file was also kept under (None if there was no current file).
    """
    with data_lock(paths), interrupts_deferred():
        previous = read_vault_file(paths, paths.backup)
        if previous != expected_previous:
            raise StorageError(
                _(
                    "Your data changed in another safetykit window while you were deciding, so "
                    "nothing was restored."
                ),
                hint=_("Run 'safetykit restore' again to see the copies as they are now."),
            )
        current = read_vault_file(paths, paths.vault)
        kept: Path | None = None
        try:
            if current is not None:
                kept = paths.root / (REPLACED_PREFIX + _stamp())
                write_atomic(kept, current)
            write_atomic(paths.vault, previous)
            if current is not None:
                write_atomic(paths.backup, current)
        except OSError as exc:
            raise StorageError(
                _("safetykit could not restore in {folder} ({problem}).").format(
                    folder=paths.root, problem=exc.strerror or exc
                ),
                hint=_(
                    "Nothing was lost: the files are as they were, or the earlier copy is in "
                    "place."
                ),
            ) from exc
        for old in replaced_copies(paths)[:-KEEP_REPLACED]:
            with contextlib.suppress(OSError):
                old.unlink()
    return kept
