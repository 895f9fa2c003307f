"""Spotting cloud-synced and shared folders, naming the file neutrally, and writing it privately."""

from __future__ import annotations

import datetime
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from safetykit.errors import BadInputError, ExitStatus
from safetykit.render.destinations import (
    SHARED_FOLDER,
    SWEEP_AFTER_SECONDS,
    DestinationError,
    check_destination,
    cloud_service_for,
    default_filename,
    describe_place,
    is_cloud_synced,
    shared_by_permissions,
    write_private,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and links")

# ── detection by folder name, with tmp_path as the home folder ──────────────────────────────

UNDER_HOME = [
    ("Dropbox/notes.md", "Dropbox"),
    ("Dropbox (Personal)/Documents/notes.md", "Dropbox"),
    ("Dropbox (Acme Inc)/notes.md", "Dropbox"),
    ("OneDrive/Documents/notes.md", "OneDrive"),
    ("OneDrive - Contoso/notes.md", "OneDrive"),
    ("OneDrive-Personal/notes.md", "OneDrive"),
    ("Library/Mobile Documents/com~apple~CloudDocs/notes.md", "iCloud Drive"),
    ("Library/Mobile Documents/notes.md", "iCloud Drive"),
    ("iCloudDrive/notes.md", "iCloud Drive"),
    ("iCloud Drive/notes.md", "iCloud Drive"),
    ("Google Drive/notes.md", "Google Drive"),
    ("GoogleDrive/notes.md", "Google Drive"),
    ("My Drive/notes.md", "Google Drive"),
    ("Library/CloudStorage/GoogleDrive-me@example.com/My Drive/notes.md", "Google Drive"),
    ("Library/CloudStorage/OneDrive-Personal/notes.md", "OneDrive"),
    ("Library/CloudStorage/Dropbox/notes.md", "Dropbox"),
    ("Library/CloudStorage/Box-Box/notes.md", "Box"),
    ("Library/CloudStorage/Tresorit-me/notes.md", "Tresorit"),
    ("Box/notes.md", "Box"),
    ("Box Sync/notes.md", "Box"),
    ("pCloudDrive/notes.md", "pCloud"),
    ("pCloud Drive/notes.md", "pCloud"),
    ("Nextcloud/Documents/notes.md", "Nextcloud"),
    ("ownCloud/notes.md", "ownCloud"),
    ("DROPBOX/notes.md", "Dropbox"),
    # Not synced:
    ("Documents/notes.md", None),
    ("notes.md", None),
    ("projects/box/notes.md", None),  # "box" is only Box Drive directly in the home folder
    ("Library/Application Support/notes.md", None),
    ("Dropboxes/notes.md", None),
    ("my-drive-notes/notes.md", None),
]


@pytest.mark.parametrize(("relative", "expected"), UNDER_HOME)
def test_cloud_folders_under_home_are_recognised(
    tmp_path: Path, relative: str, expected: str | None
) -> None:
    home = tmp_path / "home"
    target = home / relative
    target.parent.mkdir(parents=True)
    assert is_cloud_synced(target, home=home) == expected
    # The same answer before the folder exists (the file has not been written yet either).
    assert cloud_service_for(PurePosixPath("/home/me") / relative, PurePosixPath("/home/me")) == (
        expected
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (r"C:\Users\Public\Documents\notes.md", SHARED_FOLDER),
        (r"C:\Users\me\OneDrive - Contoso\notes.md", "OneDrive"),
        (r"C:\Users\me\OneDrive\Desktop\notes.md", "OneDrive"),
        (r"C:\Users\me\iCloudDrive\notes.md", "iCloud Drive"),
        (r"C:\Users\me\Dropbox\notes.md", "Dropbox"),
        (r"G:\My Drive\notes.md", "Google Drive"),
        (r"C:\Users\me\Box\notes.md", "Box"),
        (r"C:\Windows\Temp\notes.md", SHARED_FOLDER),
        (r"C:\Users\me\Documents\notes.md", None),
        (r"D:\Backups\notes.md", None),
    ],
)
def test_windows_paths(path: str, expected: str | None) -> None:
    assert cloud_service_for(PureWindowsPath(path), PureWindowsPath(r"C:\Users\me")) == expected


@pytest.mark.parametrize(
    "path", ["/tmp/notes.md", "/var/tmp/notes.md", "/dev/shm/notes.md", "/Users/Shared/x.md"]
)
def test_posix_folders_are_not_judged_by_name(path: str) -> None:
    """On POSIX, sharing is judged by permissions on disk, never by a folder's name."""
    assert cloud_service_for(PurePosixPath(path), PurePosixPath("/home/me")) is None


@pytest.fixture
def outside_private(tmp_path: Path) -> Iterator[Path]:
    """A folder in /tmp itself, not inside the tests' own private folder."""
    folder = Path(tempfile.mkdtemp(prefix="sk-share-", dir="/tmp"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@posix_only
@pytest.mark.parametrize(
    ("mode", "shared"), [(0o700, False), (0o755, False), (0o775, True), (0o777, True),
                         (0o1777, True)]
)
def test_sharing_is_judged_by_permissions(outside_private: Path, mode: int, shared: bool) -> None:
    outside_private.chmod(mode)
    assert shared_by_permissions(outside_private) is shared
    expected = SHARED_FOLDER if shared else None
    assert is_cloud_synced(outside_private / "notes.md") == expected


@posix_only
def test_a_private_folder_inside_tmp_is_private_wherever_it_is(outside_private: Path) -> None:
    outside_private.chmod(0o700)
    inner = outside_private / "inner"
    inner.mkdir(mode=0o777)
    inner.chmod(0o777)  # even a loose folder inside a private one cannot be reached by others
    assert is_cloud_synced(inner / "notes.md") is None
    assert describe_place(inner / "data") is None


@posix_only
def test_describe_place_for_a_shared_data_folder(outside_private: Path) -> None:
    outside_private.chmod(0o777)
    data = outside_private / "data"
    assert describe_place(data) == "a folder others on this computer can change"
    data.mkdir(mode=0o700)
    assert describe_place(data) == "a folder others on this computer can change"  # still


def test_real_tmp_is_shared_when_home_is_elsewhere(tmp_path: Path) -> None:
    assert is_cloud_synced(Path("/tmp/notes.md"), home=tmp_path / "home") == SHARED_FOLDER


def test_a_home_inside_tmp_is_not_itself_called_shared(tmp_path: Path) -> None:
    # Test folders live in /tmp; the person's own home must not be flagged because of that.
    home = tmp_path / "home"
    home.mkdir()
    assert is_cloud_synced(home / "notes.md", home=home) is None


def test_relative_paths_and_tilde_are_understood(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "Dropbox").mkdir(parents=True)
    monkeypatch.chdir(home / "Dropbox")
    assert is_cloud_synced(Path("notes.md"), home=home) == "Dropbox"
    monkeypatch.setenv("HOME", str(home))
    assert is_cloud_synced(Path("~/Dropbox/notes.md"), home=home) == "Dropbox"


# ── links and marker files ─────────────────────────────────────────────────────────────────


@posix_only
def test_a_link_into_a_synced_folder_is_followed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    synced = home / "Dropbox" / "Private"
    synced.mkdir(parents=True)
    (home / "Documents").symlink_to(synced)
    assert is_cloud_synced(home / "Documents" / "notes.md", home=home) == "Dropbox"


@posix_only
def test_a_synced_folder_name_counts_even_when_it_links_elsewhere(tmp_path: Path) -> None:
    home = tmp_path / "home"
    elsewhere = tmp_path / "disk" / "data"
    elsewhere.mkdir(parents=True)
    home.mkdir()
    (home / "OneDrive").symlink_to(elsewhere)
    assert is_cloud_synced(home / "OneDrive" / "notes.md", home=home) == "OneDrive"


@posix_only
def test_a_link_loop_does_not_hang_or_crash(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "a").symlink_to(home / "b")
    (home / "b").symlink_to(home / "a")
    assert is_cloud_synced(home / "a" / "notes.md", home=home) is None


@pytest.mark.parametrize(
    ("marker", "is_dir", "expected"),
    [
        (".stfolder", True, "Syncthing"),
        (".dropbox", False, "Dropbox"),
        (".sync_1a2b3c4d.db", False, "Nextcloud"),
        ("._sync_1a2b3c4d.db", False, "Nextcloud"),
        (".stignore", False, None),
    ],
)
def test_sync_markers_in_any_parent_folder(
    tmp_path: Path, marker: str, is_dir: bool, expected: str | None
) -> None:
    home = tmp_path / "home"
    shared = home / "Shared With Phone"
    deep = shared / "a" / "b"
    deep.mkdir(parents=True)
    if is_dir:
        (shared / marker).mkdir()
    else:
        (shared / marker).write_text("")
    assert is_cloud_synced(deep / "notes.md", home=home) == expected


# ── the file name ──────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_default_filename_is_neutral(fmt: str) -> None:
    name = default_filename(fmt, datetime.date(2026, 11, 24))
    assert name == f"notes-2026-11-24.{fmt}"
    for word in ("safety", "plan", "abuse", "escape", "ex"):
        assert word not in name.removesuffix(f".{fmt}").casefold().split("-")
    assert "safety" not in name and "plan" not in name


def test_default_filename_refuses_unknown_formats() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        default_filename("docx", datetime.date(2026, 11, 24))


# ── writing the file ───────────────────────────────────────────────────────────────────────


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that would leave new files world-readable, to prove the mode is set explicitly."""
    old = os.umask(0o000)
    try:
        yield
    finally:
        os.umask(old)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@posix_only
def test_write_private_creates_a_0600_file(tmp_path: Path, open_umask: None) -> None:
    target = tmp_path / "notes.md"
    write_private(target, b"hello\n")
    assert target.read_bytes() == b"hello\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _leftovers(tmp_path) == []


@posix_only
def test_write_private_replaces_an_existing_file_and_tightens_it(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_bytes(b"old")
    target.chmod(0o644)
    with pytest.raises(DestinationError, match="already there"):
        write_private(target, b"new")  # never replaced without saying so
    assert target.read_bytes() == b"old"
    write_private(target, b"new", replace=True)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@posix_only
def test_write_private_refuses_to_follow_a_link(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"untouched")
    target = tmp_path / "notes.md"
    target.symlink_to(elsewhere)
    with pytest.raises(DestinationError, match="link"):
        write_private(target, b"secret")
    assert elsewhere.read_bytes() == b"untouched"
    assert target.is_symlink()
    assert _leftovers(tmp_path) == []


@posix_only
def test_write_private_refuses_a_dangling_link(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.symlink_to(tmp_path / "not-yet")
    with pytest.raises(DestinationError):
        write_private(target, b"secret")
    assert not (tmp_path / "not-yet").exists()


def test_write_private_refuses_a_folder_at_the_target(tmp_path: Path) -> None:
    (tmp_path / "notes.md").mkdir()
    with pytest.raises(DestinationError, match="not a file"):
        write_private(tmp_path / "notes.md", b"x")


def test_write_private_needs_an_existing_folder(tmp_path: Path) -> None:
    with pytest.raises(DestinationError, match="folder does not exist") as caught:
        write_private(tmp_path / "missing" / "notes.md", b"x")
    assert caught.value.hint
    assert isinstance(caught.value, BadInputError)
    assert caught.value.status is ExitStatus.BAD_INPUT  # the place given cannot be used
    assert not (tmp_path / "missing").exists()


@posix_only
def test_write_private_reports_an_unwritable_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(DestinationError, match="permission denied"):
            write_private(locked / "notes.md", b"x")
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("failing", ["fsync", "write", "replace"])
def test_a_failed_write_leaves_the_old_file_and_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "notes.md"
    target.write_bytes(b"the previous plan")

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, broken)
    with pytest.raises(DestinationError, match="no space left on device"):
        write_private(target, b"the new plan, which never arrives", replace=True)
    monkeypatch.undo()
    assert target.read_bytes() == b"the previous plan"
    assert _leftovers(tmp_path) == []


def test_a_failed_first_write_leaves_nothing_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(DestinationError):
        write_private(tmp_path / "notes.md", b"data")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_mid_write_cleans_up_and_is_not_swallowed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_private(tmp_path / "notes.md", b"data")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_short_writes_are_completed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write

    def dribble(fd: int, data: bytes | memoryview) -> int:
        return real_write(fd, bytes(data[:3]))

    monkeypatch.setattr(os, "write", dribble)
    payload = bytes(range(256)) * 10
    write_private(tmp_path / "notes.pdf", payload)
    monkeypatch.undo()
    assert (tmp_path / "notes.pdf").read_bytes() == payload


# ── checking before asking, and never replacing by surprise ───────────────────────────────


def test_check_destination_before_anything_is_asked(tmp_path: Path) -> None:
    with pytest.raises(DestinationError, match="that folder does not exist"):
        check_destination(tmp_path / "missing" / "plan.pdf", "pdf")
    (tmp_path / "plan.pdf").mkdir()
    with pytest.raises(DestinationError, match="not a file"):
        check_destination(tmp_path / "plan.pdf", "pdf")
    fresh = check_destination(tmp_path / "new.pdf", "pdf")
    assert not fresh.exists and fresh.extension_matches and fresh.place is None
    (tmp_path / "old.pdf").write_bytes(b"x")
    assert check_destination(tmp_path / "old.pdf", "pdf").exists
    assert not check_destination(tmp_path / "plan.txt", "pdf").extension_matches
    assert check_destination(tmp_path / "plan.htm", "html").extension_matches


def test_a_file_that_appears_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    dest = check_destination(target, "md")
    assert not dest.exists
    target.write_bytes(b"made by someone else meanwhile")
    with pytest.raises(DestinationError, match="already there"):
        write_private(target, b"mine")
    assert target.read_bytes() == b"made by someone else meanwhile"
    assert _leftovers(tmp_path) == []


@posix_only
def test_temp_files_of_killed_exports_are_swept_by_the_next_export(tmp_path: Path) -> None:
    old = tmp_path / ".notes.pdf.0123456789ab.tmp"
    old.write_bytes(b"plaintext left by a killed export")
    old.chmod(0o600)
    fresh = tmp_path / ".notes.pdf.ba9876543210.tmp"  # another export, still running
    fresh.write_bytes(b"in progress")
    fresh.chmod(0o600)
    someone_elses = tmp_path / ".draft.txt.aaaaaaaaaaaa.tmp"
    someone_elses.write_bytes(b"not ours: a different mode")
    someone_elses.chmod(0o644)
    long_ago = time.time() - 2 * SWEEP_AFTER_SECONDS
    for path in (old, someone_elses):
        os.utime(path, (long_ago, long_ago))
    write_private(tmp_path / "other.md", b"x")
    assert not old.exists()
    assert fresh.exists() and someone_elses.exists()


@posix_only
def test_a_killed_export_leaves_at_most_a_temp_file_that_is_swept(tmp_path: Path) -> None:
    """SIGKILL in the middle of writing a large export: the target never holds part of it."""
    target = tmp_path / "plan.pdf"
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from safetykit.render.destinations import write_private\n"
        "write_private(Path(sys.argv[1]), b'x' * (256 * 1024 * 1024))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(target)])
    time.sleep(0.4)
    proc.kill()
    proc.wait()
    assert not target.exists() or target.stat().st_size == 256 * 1024 * 1024
    leftover = _leftovers(tmp_path)
    for name in leftover:
        long_ago = time.time() - 2 * SWEEP_AFTER_SECONDS
        os.utime(tmp_path / name, (long_ago, long_ago))
    write_private(tmp_path / "next.md", b"next export")
    assert _leftovers(tmp_path) == []
