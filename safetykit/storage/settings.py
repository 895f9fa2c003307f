"""Settings that must be known before the vault is unlocked: where the person is, and the
language they read.

``settings.json`` in the data folder, 0600, written atomically. It holds only the place chosen
(a code such as ``GB-SCT``) and the language (``es``), never an answer: the hotline key, the start
menu and ``--help`` need them before any passphrase is asked. A damaged or odd file is read as
"nothing chosen" and replaced on the next choice.
"""

from __future__ import annotations

import json
from typing import Any

from safetykit.errors import StorageError
from safetykit.i18n import _
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


def stored_language(paths: DataPaths) -> str | None:
    value = read_settings(paths).get("lang")
    return value if isinstance(value, str) and 0 < len(value) <= 10 else None


def store_language(paths: DataPaths, code: str) -> None:
    _store(paths, "lang", code)


def store_region(paths: DataPaths, code: str) -> None:
    """Remember the place (creating the private data folder if needed)."""
    _store(paths, "region", code)


def _store(paths: DataPaths, key: str, code: str) -> None:
    settings = {**read_settings(paths), key: code}
    paths.ensure_root()
    try:
        write_atomic(paths.root / SETTINGS_NAME, json.dumps(settings).encode("utf-8"))
    except OSError as exc:
        if key == "lang":
            raise StorageError(
                _("safetykit could not save the language ({problem}).").format(
                    problem=exc.strerror or exc
                ),
                hint=_("Check that the data folder can be written, or use --lang each time."),
            ) from exc
        raise StorageError(
            _("safetykit could not save where you are ({problem}).").format(
                problem=exc.strerror or exc
            ),
            hint=_("Check that the data folder can be written, or use --region each time."),
        ) from exc
