"""A newer copy of the stalkerware indicators, given with ``safetykit device update-indicators``:
``indicators.json`` in the data folder, 0600, written atomically.

It is public data (the lists Echap publishes), kept unencrypted so a phone check needs no
passphrase; it holds nothing about the person or any phone. ``wipe`` removes it. A damaged or odd
file reads as "none", and the shipped copy is used.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any, Final

from safetykit.errors import StorageError
from safetykit.i18n import _
from safetykit.storage.atomic import write_atomic
from safetykit.storage.paths import DataPaths

NAME: Final = "indicators.json"
MAX_BYTES: Final = 16 * 1024 * 1024


def read_stored(paths: DataPaths) -> Any:
    """The stored copy as parsed JSON, or None."""
    path = paths.root / NAME
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_BYTES:
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store(paths: DataPaths, data: dict[str, Any]) -> None:
    paths.ensure_root()
    try:
        write_atomic(paths.root / NAME,
                     json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    except OSError as exc:
        raise StorageError(
            _("safetykit could not keep the new lists ({problem}).").format(
                problem=exc.strerror or exc
            ),
            hint=_("Check that the data folder can be written."),
        ) from exc


def remove(paths: DataPaths) -> bool:
    with contextlib.suppress(FileNotFoundError):
        (paths.root / NAME).unlink()
        return True
    return False
