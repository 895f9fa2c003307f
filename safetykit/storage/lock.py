"""One writer at a time: an advisory lock on ``vault.lock`` in the data folder.

The wait is bounded (``SAFETYKIT_LOCK_TIMEOUT`` seconds, default 5) and never blocks signals, so
Ctrl-C while another window saves leaves at once. The lock file is opened without following a link
and must be an ordinary file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Iterator

from safetykit.errors import BusyError, StorageError
from safetykit.storage.paths import DataPaths

LOCK_TIMEOUT_ENV = "SAFETYKIT_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 5.0
LOCK_POLL = 0.02


def lock_timeout() -> float:
    try:
        value = float(os.environ.get(LOCK_TIMEOUT_ENV, DEFAULT_LOCK_TIMEOUT))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT
    return value if value > 0 else DEFAULT_LOCK_TIMEOUT


@contextlib.contextmanager
def data_lock(paths: DataPaths) -> Iterator[None]:
    """One writer at a time (an advisory lock where the platform has fcntl).

    The wait is bounded and never blocks signals: Ctrl-C while another window holds the lock
    leaves at once.
    """
    try:
        import fcntl
    except ImportError:  # Windows: writes are still atomic
        yield
        return
    paths.ensure_root()
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(paths.lock, flags | getattr(os, "O_NONBLOCK", 0), 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StorageError(
                f"{paths.lock} is a link to somewhere else, which safetykit never makes, so "
                "nothing was saved.",
                hint="Remove that link, then try again.",
            ) from exc
        raise StorageError(
            f"safetykit could not save to {paths.root} ({exc.strerror or exc}). "
            "Everything saved before is safe.",
            hint="Check that the folder can be written, or set SAFETYKIT_HOME to another folder.",
        ) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise StorageError(
                f"{paths.lock} is not an ordinary file, so nothing was saved.",
                hint="Remove it, then try again.",
            )
        limit = lock_timeout()
        deadline = time.monotonic() + limit
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BusyError(
                        f"Another safetykit window was saving and did not finish within "
                        f"{limit:g} seconds, so this change was not saved. Nothing else changed.",
                        hint="Close the other safetykit window (or let it finish), then try "
                        "again.",
                    ) from None
                time.sleep(LOCK_POLL)
        yield
    finally:
        os.close(fd)
