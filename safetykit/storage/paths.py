"""Where safetykit keeps its files: ``$SAFETYKIT_HOME``, else the platform's user data folder."""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from safetykit.errors import StorageError
from safetykit.i18n import _

HOME_ENV = "SAFETYKIT_HOME"
# Neutral on purpose, like the keyring's service name (storage/keys.py): a list of folders should
# not announce a safety plan.
FOLDER_NAME = "local-notes-store"
OLD_FOLDER_NAME = "safetykit"
"""The default folder's name in earlier versions (moved to ``FOLDER_NAME`` on first use)."""
VAULT_NAME = "vault.bin"
BACKUP_NAME = "vault.bin.previous"
LOCK_NAME = "vault.lock"


def data_dir() -> Path:
    """The data folder, not created. ``$SAFETYKIT_HOME`` wins over the platform default."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return settled_default(
        user_data_path(FOLDER_NAME, appauthor=False),
        user_data_path(OLD_FOLDER_NAME, appauthor=False),
    )


def _holds_a_vault(folder: Path) -> bool:
    return any((folder / name).exists() for name in (VAULT_NAME, BACKUP_NAME))


def settled_default(new: Path, old: Path) -> Path:
    """The default folder, after moving a folder of an earlier version to its neutral name.

    - Only the old folder: renamed to the new name (one atomic rename beside it, so a crash
      leaves one folder or the other, never half of each). If the rename fails (another window
      did it a moment ago, permissions, a file held open on Windows), whichever exists is used.
    - Both: the old one is used, unless only the new one holds a vault. A folder with the new
      name may be someone else's (the name is deliberately ordinary), so nothing is merged,
      moved or removed and nothing is said; the person's data stays where it was found.
    - Otherwise: the new name.
    """
    try:
        if old.is_dir() and not new.exists():
            old.rename(new)
    except OSError:
        pass  # moved by another window a moment ago, or it cannot be moved: decided below
    return _in_use(new, old)


def _in_use(new: Path, old: Path) -> Path:
    if not old.is_dir():
        return new
    if not new.exists():
        return old  # it could not be moved: used where it is
    if _holds_a_vault(new) and not _holds_a_vault(old):
        # An old window still open during the upgrade, or a folder made under the old name:
        # the data is in the new one. An empty old folder is removed (its name is a sign).
        with contextlib.suppress(OSError):
            old.rmdir()
        return new
    return old


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
                _("safetykit cannot use the folder {folder} ({problem}).").format(
                    folder=self.root, problem=exc.strerror or exc
                ),
                hint=_(
                    "Check that you can write there, or set {variable} to another folder."
                ).format(variable=HOME_ENV),
            ) from exc
        return self.root


def default_paths() -> DataPaths:
    return DataPaths(data_dir())
