"""Where safetykit keeps its files: ``$SAFETYKIT_HOME``, else the platform's user data folder."""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from safetykit.errors import StorageError

HOME_ENV = "SAFETYKIT_HOME"
APP_NAME = "safetykit"
VAULT_NAME = "vault.bin"
BACKUP_NAME = "vault.bin.previous"
LOCK_NAME = "vault.lock"


def data_dir() -> Path:
    """The data folder, not created. ``$SAFETYKIT_HOME`` wins over the platform default."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


@dataclass(frozen=True)
class DataPaths:
    """The files inside one data folder."""

    root: Path

    @property
    def vault(self) -> Path:
        return self.root / VAULT_NAME

    @property
    def backup(self) -> Path:
        return self.root / BACKUP_NAME

    @property
    def lock(self) -> Path:
        return self.root / LOCK_NAME

    def ensure_root(self) -> Path:
        """Create the folder (0700) if needed and tighten its mode; a clear error if impossible.

        Missing folders above it are created 0700 too, whatever the umask (``mkdir(parents=True)``
        would make them 0777 under a umask of 000).
        """
        try:
            missing = [p for p in (self.root, *self.root.parents) if not p.exists()]
            for folder in reversed(missing):
                with contextlib.suppress(FileExistsError):
                    folder.mkdir(mode=0o700)
                    folder.chmod(0o700)
            mode = stat.S_IMODE(self.root.stat().st_mode)
            if mode & 0o077:
                self.root.chmod(0o700)
        except OSError as exc:
            raise StorageError(
                f"safetykit cannot use the folder {self.root} ({exc.strerror or exc}).",
                hint=f"Check that you can write there, or set {HOME_ENV} to another folder.",
            ) from exc
        return self.root


def default_paths() -> DataPaths:
    return DataPaths(data_dir())
