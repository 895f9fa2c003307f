"""Where a plan file goes: cloud-synced and shared folders, a neutral name, a private write.

A plan written into Dropbox, OneDrive, iCloud Drive or Google Drive is copied to every device
and web session on that account, which an ex may still be able to reach; a shared folder such
as ``/tmp`` can be read or cleared by others. ``is_cloud_synced`` names the service so the
command can warn before writing. It can only recognise the usual folder names and markers: a
renamed or unusual sync folder will not be noticed.

This module touches the file system only where its function names say so: ``is_cloud_synced``
looks at folders (it never writes) and ``write_private`` writes the file.
"""

from __future__ import annotations

import datetime
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePath
from typing import Final

from safetykit.errors import StorageError
from safetykit.storage.atomic import write_atomic

FORMATS: Final = ("md", "html", "pdf")
SHARED_FOLDER: Final = "a shared folder"

# Folders shared by everyone on the computer, as the parts after the drive or root.
_SHARED_ROOTS: Final[tuple[tuple[str, ...], ...]] = (
    ("tmp",),
    ("var", "tmp"),
    ("private", "tmp"),  # macOS: /tmp is a link to /private/tmp
    ("private", "var", "tmp"),
    ("dev", "shm"),
    ("users", "shared"),  # macOS
    ("users", "public"),  # Windows: C:\Users\Public
    ("windows", "temp"),
)

# Folder names in ~/Library/CloudStorage (macOS File Provider) are "<Provider>-<account>".
_PROVIDER_PREFIXES: Final = (
    ("dropbox", "Dropbox"),
    ("onedrive", "OneDrive"),
    ("googledrive", "Google Drive"),
    ("icloud", "iCloud Drive"),
    ("box", "Box"),
    ("pcloud", "pCloud"),
    ("nextcloud", "Nextcloud"),
)


class DestinationError(StorageError):
    """The plan file could not be written where the person asked."""


# ── recognising synced and shared folders ──────────────────────────────────────────────────


def _folded(parts: Sequence[str]) -> list[str]:
    return [part.casefold() for part in parts]


def _service_for_name(name: str, before: str | None, in_home: bool) -> str | None:
    """The sync service a folder called ``name`` belongs to (``before`` is its parent's name)."""
    squashed = name.replace(" ", "")
    if name == "dropbox" or name.startswith(("dropbox (", "dropbox-")):
        return "Dropbox"
    if name == "onedrive" or name.startswith(("onedrive - ", "onedrive-")):
        return "OneDrive"
    if squashed in ("iclouddrive", "iclouddrive(archive)", "com~apple~clouddocs") or (
        name == "mobile documents" and before == "library"
    ):
        return "iCloud Drive"
    if squashed in ("googledrive", "mydrive", "shareddrives") or name.startswith("googledrive-"):
        return "Google Drive"
    if squashed.startswith("pcloud"):
        return "pCloud"
    if name in ("nextcloud", "owncloud"):
        return "Nextcloud" if name == "nextcloud" else "ownCloud"
    if in_home and name in ("box", "box sync", "box drive"):
        return "Box"
    return None


def _cloud_storage_provider(name: str) -> str:
    for prefix, service in _PROVIDER_PREFIXES:
        if name.casefold().startswith(prefix):
            return service
    provider = name.split("-", 1)[0].strip()
    return provider or "a cloud storage provider"


def cloud_service_for(path: PurePath, home: PurePath | None = None) -> str | None:
    """The sync service or shared folder ``path`` lies in, judged by folder names alone.

    Pure: nothing on disk is looked at, so any ``PurePath`` (Windows paths too) can be checked.
    The shared-folder rule is skipped for paths inside ``home``.
    """
    parts = path.parts
    folded = _folded(parts)
    home_parts = _folded(home.parts) if home is not None else None
    for index, name in enumerate(folded):
        before = folded[index - 1] if index else None
        if before == "cloudstorage" and index >= 2 and folded[index - 2] == "library":
            return _cloud_storage_provider(parts[index])
        in_home = home_parts is not None and folded[:index] == home_parts
        service = _service_for_name(name, before, in_home)
        if service:
            return service
    inside_home = home is not None and _is_inside(path, home)
    if path.anchor and not inside_home:
        after_anchor = tuple(folded[1:])
        for root in _SHARED_ROOTS:
            if after_anchor[: len(root)] == root:
                return SHARED_FOLDER
    return None


def _is_inside(path: PurePath, folder: PurePath) -> bool:
    return _folded(path.parts)[: len(folder.parts)] == _folded(folder.parts)


def _forms(path: Path) -> list[Path]:
    """``path`` as written (made absolute) and with every link resolved, without repeats."""
    # Lexical on purpose: this is the path as the person wrote it, before links are followed.
    literal = Path(os.path.abspath(path.expanduser()))  # noqa: PTH100
    forms = [literal]
    try:
        resolved = literal.resolve()
    except (OSError, RuntimeError):  # a loop of links, or a folder that cannot be read
        resolved = literal
    if resolved != literal:
        forms.append(resolved)
    return forms


def _ancestors(path: Path) -> Iterator[Path]:
    yield path
    yield from path.parents


def _marker_service(folder: Path) -> str | None:
    """The sync tool whose marker file sits in ``folder``, if any."""
    try:
        if not folder.is_dir():
            return None
        if (folder / ".stfolder").exists():
            return "Syncthing"
        if (folder / ".dropbox").exists():
            return "Dropbox"
        for pattern in (".sync_*.db", "._sync_*.db"):
            if next(folder.glob(pattern), None) is not None:
                return "Nextcloud"
    except OSError:
        return None
    return None


def is_cloud_synced(path: Path, home: Path | None = None) -> str | None:
    """The service (or ``"a shared folder"``) that ``path`` lies in, or ``None``.

    Checks the path as written and with links resolved, every folder above it by name
    (Dropbox, OneDrive, iCloud Drive, Google Drive, Box, pCloud, Nextcloud, macOS
    ``~/Library/CloudStorage``), the markers sync tools leave (Syncthing's ``.stfolder``,
    Dropbox's ``.dropbox``, Nextcloud's ``.sync_*.db``), and shared folders such as ``/tmp``,
    ``/Users/Shared`` and ``C:\\Users\\Public``. ``home`` defaults to the user's home folder.
    """
    homes = _forms(Path.home() if home is None else home)
    forms = _forms(path)
    for form in forms:
        for home_form in homes:
            service = cloud_service_for(form, home_form)
            if service == SHARED_FOLDER and any(_is_inside(form, h) for h in homes):
                continue
            if service:
                return service
    for form in forms:
        for folder in _ancestors(form):
            service = _marker_service(folder)
            if service:
                return service
    return None


# ── naming and writing the file ────────────────────────────────────────────────────────────


def default_filename(fmt: str, today: datetime.date) -> str:
    """A name that does not say what the file is, such as ``notes-2026-11-24.md``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return f"notes-{today.isoformat()}.{fmt}"


def _fail(path: Path, why: str, hint: str | None = None) -> DestinationError:
    return DestinationError(
        f"The file could not be saved as {path}: {why}.",
        hint=hint or "Nothing was written. You can choose another folder or name.",
    )


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).rstrip(".").lower()


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` as a file only its owner can read (mode 0600).

    The bytes go to a temporary file in the same folder, are flushed to disk, and then
    replace ``path`` in one step: a crash or a full disk leaves either the old file or the new
    one, never half of it. A link at ``path`` is refused rather than followed. Any failure
    raises ``DestinationError`` and leaves no temporary file behind.
    """
    path = path.expanduser()
    folder = path.parent
    try:
        existing = os.lstat(path)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise _fail(path, _reason(exc)) from exc
    if existing is not None and stat.S_ISLNK(existing.st_mode):
        raise _fail(
            path, "it is a link to another place, and safetykit does not write through links"
        )
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise _fail(path, "something that is not a file is already there")
    if not folder.is_dir():
        raise _fail(path, "that folder does not exist")

    try:
        write_atomic(path, data)
    except OSError as exc:
        raise _fail(path, _reason(exc)) from exc
