"""Settings that must be known before the vault is unlocked: where the person is.

``settings.json`` in the data folder, 0600, written atomically. It holds only the place chosen
(a code such as ``GB-SCT``), never an answer: the hotline key, the start menu and ``--help`` need
it before any passphrase is asked, and a place is something the ex already knows. A damaged or
odd file is read as "nothing chosen" and replaced on the next choice.
"""

from __future__ import annotations

import json
from typing import Any

from safetykit.errors import StorageError
from safetykit.storage.atomic import write_atomic
from safetykit.storage.paths import DataPaths

SETTINGS_NAME = "settings.json"
MAX_BYTES = 4096


def read_settings(paths: DataPaths) -> dict[str, Any]:
    path = paths.root / SETTINGS_NAME
    try:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def stored_region(paths: DataPaths) -> str | None:
    value = read_settings(paths).get("region")
    return value if isinstance(value, str) and 0 < len(value) <= 10 else None


def store_region(paths: DataPaths, code: str) -> None:
    """Remember the place (creating the private data folder if needed)."""
    settings = {**read_settings(paths), "region": code}
    paths.ensure_root()
    try:
        write_atomic(paths.root / SETTINGS_NAME, json.dumps(settings).encode("utf-8"))
    except OSError as exc:
        raise StorageError(
            f"safetykit could not save where you are ({exc.strerror or exc}).",
            hint="Check that the data folder can be written, or use --region each time.",
        ) from exc
