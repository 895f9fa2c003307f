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
from safetykit.i18n import _
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
                _(
                    "{file} is a link to somewhere else, which safetykit never makes, so "
                    "nothing was saved."
                ).format(file=paths.lock),
                hint=_("Remove that link, then try again."),
            ) from exc
        raise StorageError(
            _(
                "safetykit could not save to {folder} ({problem}). Everything saved before is "
                "safe."
            ).format(folder=paths.root, problem=exc.strerror or exc),
            hint=_(
                "Check that the folder can be written, or set SAFETYKIT_HOME to another folder."
            ),
        ) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise StorageError(
                _("{file} is not an ordinary file, so nothing was saved.").format(
                    file=paths.lock
                ),
                hint=_("Remove it, then try again."),
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
                        _(
                            "Another safetykit window was saving and did not finish within "
                            "{seconds} seconds, so this change was not saved. Nothing else "
                            "changed."
                        ).format(seconds=f"{limit:g}"),
                        hint=_(
                            "Close the other safetykit window (or let it finish), then try again."
                        ),
                    ) from None
                time.sleep(LOCK_POLL)
        yield
    finally:
        os.close(fd)
