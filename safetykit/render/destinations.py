"""Where a file goes: cloud-synced and shared folders, a neutral name, a private write.

A plan written into Dropbox, OneDrive, iCloud Drive or Google Drive is copied to every device
and web session on that account, which an ex may still be able to reach; a folder that others on
this computer can write to (``/tmp``, a group folder) lets them remove or swap the file.
``is_cloud_synced`` names the service or says "a shared folder" so the command can warn before
writing. Sync folders are recognised by their usual names and markers (a renamed or unusual one
will not be noticed); sharing is judged by permissions, not names: a folder only this user can
enter is private wherever it is. (On Windows, which has no such permission bits here, the public
folders are recognised by name.)

This module touches the file system only where its function names say so: ``is_cloud_synced``,
``describe_place`` and ``check_destination`` look (they never write); ``write_private`` writes.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath, PureWindowsPath
from typing import BinaryIO, Final

from safetykit.errors import BadInputError
from safetykit.i18n import N_, _
from safetykit.storage.atomic import fsync_dir, write_atomic

FORMATS: Final = ("md", "html", "pdf", "csv", "zip")
SHARED_FOLDER: Final = "a shared folder"  # compared in code, never shown: not translated

# Windows folders shared by everyone on the computer, as the parts after the drive.
_WINDOWS_SHARED_ROOTS: Final[tuple[tuple[str, ...], ...]] = (
    ("users", "public"),  # C:\Users\Public
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


class DestinationError(BadInputError):
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
    return provider or _("a cloud storage provider")


def cloud_service_for(path: PurePath, home: PurePath | None = None) -> str | None:
    """The sync service (or, for Windows paths, the public folder) ``path`` lies in, judged by
    folder names alone.

    Pure: nothing on disk is looked at, so any ``PurePath`` (Windows paths too) can be checked.
    The public-folder rule is skipped for paths inside ``home``.
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
    if isinstance(path, PureWindowsPath) and path.drive and not inside_home:
        after_anchor = tuple(folded[1:])
        for root in _WINDOWS_SHARED_ROOTS:
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


def shared_by_permissions(folder: Path) -> bool:
    """Whether others on this computer can add, remove or swap files in ``folder``.

    A folder is private when it, or any folder above it, is one only this user can enter (owned
    by this user, no access for group or others): then nobody else can reach anything inside,
    wherever it is (a private folder inside ``/tmp`` is private). Otherwise it is shared when
    its group or everyone may write to it (``/tmp``, a group folder). Links are followed, as the
    file would be written through them. On systems without these permission bits, False.
    """
    if os.name == "nt" or not hasattr(os, "getuid"):
        return False
    try:
        real = folder.resolve()
        uid = os.getuid()
        for place in (real, *real.parents):
            info = place.stat()
            if info.st_uid == uid and not info.st_mode & 0o077:
                return False
        return bool(real.stat().st_mode & 0o022)
    except (OSError, RuntimeError):
        return False


def _nearest_existing(path: Path) -> Path:
    for folder in _ancestors(path):
        if folder.exists():
            return folder
    return path


def is_cloud_synced(path: Path, home: Path | None = None) -> str | None:
    """The service (or ``"a shared folder"``) that ``path`` lies in, or ``None``.

    Checks the path as written and with links resolved, every folder above it by name
    (Dropbox, OneDrive, iCloud Drive, Google Drive, Box, pCloud, Nextcloud, macOS
    ``~/Library/CloudStorage``), the markers sync tools leave (Syncthing's ``.stfolder``,
    Dropbox's ``.dropbox``, Nextcloud's ``.sync_*.db``), and whether others on this computer can
    write into the folder it goes in (``shared_by_permissions``). ``home`` defaults to the user's
    home folder.
    """
    homes = _forms(Path.home() if home is None else home)
    forms = _forms(path)
    for form in forms:
        for home_form in homes:
            service = cloud_service_for(form, home_form)
            if service:
                return service
    for form in forms:
        for folder in _ancestors(form):
            service = _marker_service(folder)
            if service:
                return service
    if shared_by_permissions(_nearest_existing(forms[0].parent)):
        return SHARED_FOLDER
    return None


def describe_place(folder: Path) -> str | None:
    """Where the folder ``folder`` lies, if that is not private: a sync service's name, or "a
    folder others on this computer can change" (judged by the folder it sits in, so the answer is
    the same before and after ``folder`` is created); None if it looks private."""
    service = is_cloud_synced(folder)
    if service == SHARED_FOLDER:
        return _("a folder others on this computer can change")
    return service


# ── naming and writing the file ────────────────────────────────────────────────────────────


def default_filename(fmt: str, today: datetime.date) -> str:
    """A name that does not say what the file is, such as ``notes-2026-11-24.md``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return f"notes-{today.isoformat()}.{fmt}"


# What each format is called in a sentence (translated where shown: ``_(FORMAT_NAMES[fmt])``).
FORMAT_NAMES: Final = {"md": N_("Markdown"), "html": N_("a web page (HTML)"), "pdf": N_("a PDF"),
                       "csv": N_("a spreadsheet (CSV)"), "zip": N_("a ZIP archive")}
_TEMP_NAME = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")
SWEEP_AFTER_SECONDS = 600
"""A temp file this old, with safetykit's name pattern and mode, was left by a killed export."""


def _fail(path: Path, why: str, hint: str | None = None) -> DestinationError:
    return DestinationError(
        # TRANSLATORS: {reason} is one of the reasons below ("that folder does not exist"), or
        # the operating system's own words.
        _("The file could not be saved as {path}: {reason}.").format(path=path, reason=why),
        hint=hint or _("Nothing was written. You can choose another folder or name."),
    )


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).rstrip(".").lower()


@dataclass(frozen=True)
class Destination:
    """Where a file is about to go, as checked before anything is asked or written."""

    path: Path
    exists: bool
    """A file is already there: replacing it needs the person's yes (or ``--force``)."""
    place: str | None
    """The sync service, or ``SHARED_FOLDER``, it lies in; None if it looks private."""
    extension_matches: bool


def check_destination(path: Path, fmt: str) -> Destination:
    """Check a destination before anything is asked or written: the folder exists and can be
    written, and what is at the path (nothing, or an ordinary file) can be written over.
    ``DestinationError`` says what is wrong."""
    path = path.expanduser()
    folder = path.parent
    if not folder.is_dir():
        raise _fail(path, _("that folder does not exist"))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _fail(path, _("that folder cannot be written to"))
    try:
        existing = os.lstat(path)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise _fail(path, _reason(exc)) from exc
    if existing is not None and stat.S_ISLNK(existing.st_mode):
        raise _fail(
            path, _("it is a link to another place, and safetykit does not write through links")
        )
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise _fail(path, _("something that is not a file is already there"))
    return Destination(
        path=path,
        exists=existing is not None,
        place=is_cloud_synced(path),
        extension_matches=path.suffix.lower().lstrip(".") == fmt
        or (fmt == "html" and path.suffix.lower() == ".htm")
        or (fmt == "md" and path.suffix.lower() in (".markdown", ".txt")),
    )


def sweep_killed_exports(folder: Path, now: float | None = None) -> int:
    """Remove temp files that killed exports left in ``folder``: safetykit's name pattern, an
    ordinary file of this user's, mode 0600, and older than ``SWEEP_AFTER_SECONDS``."""
    removed = 0
    moment = time.time() if now is None else now
    try:
        candidates = [p for p in folder.iterdir() if _TEMP_NAME.match(p.name)]
    except OSError:
        return 0
    uid = os.getuid() if hasattr(os, "getuid") else None
    for candidate in candidates:
        try:
            info = candidate.lstat()
        except OSError:
            continue
        ours = uid is None or info.st_uid == uid
        if (
            stat.S_ISREG(info.st_mode)
            and ours
            and stat.S_IMODE(info.st_mode) == 0o600
            and moment - info.st_mtime > SWEEP_AFTER_SECONDS
        ):
            with contextlib.suppress(OSError):
                candidate.unlink()
                removed += 1
    return removed


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# Where naming an unnamed file through /proc is not allowed (some sandboxes and file systems).
_NO_UNNAMED_LINK: Final = frozenset({errno.EXDEV, errno.EPERM, errno.ENOENT, errno.EINVAL,
                                     errno.EOPNOTSUPP, errno.EACCES})


def _link_unnamed(folder: Path, path: Path, fill: Callable[[int], None], replace: bool) -> bool:
    """Linux: write into an unnamed file (``O_TMPFILE``) and give it its name only when complete,
    so a kill leaves nothing behind. False where the file system cannot do this."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not Path("/proc/self/fd").is_dir():
        return False
    try:
        fd = os.open(folder, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return False
        raise
    try:
        os.fchmod(fd, 0o600)
        fill(fd)
        os.fsync(fd)
        source = f"/proc/self/fd/{fd}"
        if not replace:
            try:
                os.link(source, path, follow_symlinks=True)  # fails if anything is there now
            except OSError as exc:
                if exc.errno in _NO_UNNAMED_LINK:
                    return False  # the unnamed file vanishes when closed
                raise
        else:
            tmp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
            try:
                os.link(source, tmp, follow_symlinks=True)
            except OSError as exc:
                if exc.errno in _NO_UNNAMED_LINK:
                    return False
                raise
            try:
                os.replace(tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise
    finally:
        os.close(fd)
    fsync_dir(folder)
    return True


def write_private(path: Path, data: bytes, *, replace: bool = False) -> None:
    """Write ``data`` to ``path`` as a file only its owner can read (mode 0600).

    The bytes are complete and on disk before the file gets its name, so a crash, a kill or a
    full disk leaves either no file (or the old one) or the whole new one, never part of it. An
    existing file is replaced only with ``replace`` (the person said yes); a link at ``path`` is
    refused rather than followed. Any failure raises ``DestinationError``.
    """
    path = path.expanduser()
    folder = path.parent
    dest = check_destination(path, path.suffix.lstrip(".") or "md")
    if dest.exists and not replace:
        raise _fail(path, _("a file with that name is already there"))
    sweep_killed_exports(folder)
    try:
        if _link_unnamed(folder, path, lambda fd: _write_all(fd, data), replace):
            return
        if replace:
            write_atomic(path, data)
            return
        tmp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
        write_atomic(tmp, data)
        try:
            os.link(tmp, path)  # fails if anything is there now: never replaces
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        fsync_dir(folder)
    except FileExistsError as exc:
        raise _fail(path, _("a file with that name is already there")) from exc
    except OSError as exc:
        raise _fail(path, _reason(exc)) from exc


def _fill_temp(tmp: Path, fill: Callable[[int], None]) -> None:
    """Create ``tmp`` (0600 from the start, never through a link), fill it and sync it; removed
    again if anything fails."""
    flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    fd = os.open(tmp, flags, 0o600)
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)
            fill(fd)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _streamed(write: Callable[[BinaryIO], None]) -> Callable[[int], None]:
    """``write`` given a buffered, seekable file on an open descriptor (left open)."""

    def fill(fd: int) -> None:
        with open(fd, "wb", buffering=1024 * 1024, closefd=False) as out:
            write(out)

    return fill


def write_private_stream(
    path: Path, write: Callable[[BinaryIO], None], *, replace: bool = False
) -> None:
    """``write_private`` for a file too large to hold in memory (a ZIP with videos): ``write``
    is handed the file to write into, and everything ``write_private`` promises still holds:
    0600, complete and on disk before it has its name (a kill leaves no part of it), an
    existing file replaced only with ``replace``, no link followed. An error ``write`` raises
    leaves nothing behind and is raised as it is (an OSError becomes ``DestinationError``).
    """
    path = path.expanduser()
    folder = path.parent
    dest = check_destination(path, path.suffix.lstrip(".") or "zip")
    if dest.exists and not replace:
        raise _fail(path, _("a file with that name is already there"))
    sweep_killed_exports(folder)
    fill = _streamed(write)
    try:
        if _link_unnamed(folder, path, fill, replace):
            return
        tmp = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
        _fill_temp(tmp, fill)
        try:
            if replace:
                os.replace(tmp, path)
            else:
                os.link(tmp, path)  # fails if anything is there now: never replaces
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        fsync_dir(folder)
    except FileExistsError as exc:
        raise _fail(path, _("a file with that name is already there")) from exc
    except OSError as exc:
        raise _fail(path, _reason(exc)) from exc
