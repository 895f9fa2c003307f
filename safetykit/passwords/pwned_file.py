"""Looking a password up in a downloaded Pwned Passwords file, offline.

The file is the one Have I Been Pwned publishes for download: one ``SHA1HEX:COUNT`` line per
password, sorted by hash (upper- or lowercase hex, CRLF or LF line ends). It is large (tens of
gigabytes), so a lookup is a binary search over byte offsets in a memory map: about thirty short
reads, never a scan of the whole file.

:class:`PwnedFile` is the only thing here that opens a file. Each lookup checks the lines it reads
against each other, so a file that is not sorted by hash is reported as such instead of giving a
wrong answer.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import re
from pathlib import Path
from types import TracebackType

from safetykit.errors import BadInputError
from safetykit.i18n import _

HASH_LENGTH = 40
_LINE = re.compile(rb"^([0-9A-Fa-f]{40}):(\d{1,20})\r?$")
_NTLM_LINE = re.compile(rb"^[0-9A-Fa-f]{32}:\d+\r?$")
_HEX = re.compile(r"^[0-9A-Fa-f]{40}$")
_MAX_LINE = 128
"""No well-formed line is longer than this; a longer one means the file is not what we expect."""


class PwnedFileError(BadInputError):
    """The pwned-passwords file cannot be used. ``reason``: missing, malformed or unsorted."""

    def __init__(self, reason: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.reason = reason


def sha1_hex(password: str) -> str:
    """Uppercase hex SHA-1 of the UTF-8 password, as Pwned Passwords lists it."""
    digest = hashlib.sha1(password.encode("utf-8"), usedforsecurity=False)
    return digest.hexdigest().upper()


def _malformed(offset: int) -> PwnedFileError:
    return PwnedFileError(
        "malformed",
        _("The pwned-passwords file has a line safetykit cannot read (at byte {offset}).").format(
            offset=f"{offset:,}"
        ),
        hint=_("Use the SHA-1 file from the official Pwned Passwords download, sorted by hash."),
    )


def _unsorted() -> PwnedFileError:
    return PwnedFileError(
        "unsorted",
        _("The pwned-passwords file is not sorted by hash, so it cannot be searched quickly."),
        hint=_(
            "Download the version ordered by hash (the official downloader writes it that way)."
        ),
    )


class PwnedFile:
    """A sorted ``SHA1HEX:COUNT`` file, opened for lookups. Use as a context manager.

    Opening checks that the file exists, is not empty, and that its first and last lines are
    well-formed and in order. :meth:`count` raises :class:`PwnedFileError` if a lookup runs into a
    malformed line or lines out of order.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._map: mmap.mmap | None = None
        self._size = 0
        self._end = 0  # just past the last entry: blank lines after it are not entries

    # -- opening and closing -------------------------------------------------------------------

    def open(self) -> PwnedFile:
        try:
            with self.path.open("rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size == 0:
                    raise PwnedFileError(
                        "malformed",
                        _("The pwned-passwords file is empty."),
                        hint=_("The download may not have finished. Download it again."),
                    )
                self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except FileNotFoundError:
            raise PwnedFileError(
                "missing",
                _("There is no pwned-passwords file at that path."),
                hint=_("Check the path, or leave the offline check out."),
            ) from None
        except IsADirectoryError:
            raise PwnedFileError(
                "missing",
                _("That path is a folder, not the pwned-passwords file."),
                hint=_("Give the path of the .txt file itself."),
            ) from None
        except (OSError, ValueError) as exc:
            raise PwnedFileError(
                "missing",
                _("The pwned-passwords file could not be opened ({error}).").format(error=exc),
                hint=_("Check that the file is readable by you."),
            ) from None
        self._size = size
        try:
            self._validate_ends()
        except PwnedFileError:
            self.close()
            raise
        return self

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
            self._map = None

    def __enter__(self) -> PwnedFile:
        return self.open()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "open" if self._map is not None else "closed"
        return f"<PwnedFile {str(self.path)!r} ({state})>"

    # -- reading lines -------------------------------------------------------------------------

    @property
    def _mm(self) -> mmap.mmap:
        if self._map is None:
            raise RuntimeError("PwnedFile is not open; use it in a 'with' block")
        return self._map

    def _line_start(self, position: int) -> int:
        """Offset of the first line starting at or after ``position`` (size if none)."""
        if position <= 0:
            return 0
        newline = self._mm.find(b"\n", position - 1)
        return self._size if newline == -1 else newline + 1

    def _read_line(self, start: int) -> tuple[bytes, int, int]:
        """The hash (uppercase) and count of the line at ``start``, and where the next begins."""
        mm = self._mm
        newline = mm.find(b"\n", start, start + _MAX_LINE)
        end = newline if newline != -1 else min(self._size, start + _MAX_LINE)
        if newline == -1 and end < self._size:
            raise _malformed(start)
        match = _LINE.match(mm[start:end])
        if match is None:
            if _NTLM_LINE.match(mm[start:end]):
                raise PwnedFileError(
                    "malformed",
                    _(
                        "This is the NTLM version of Pwned Passwords; safetykit needs the SHA-1 "
                        "one."
                    ),
                    hint=_("Download the SHA-1 version, ordered by hash."),
                )
            raise _malformed(start)
        return match.group(1).upper(), int(match.group(2)), end + 1

    def _last_line_start(self) -> int:
        mm = self._mm
        end = self._size
        while end > 0 and mm[end - 1 : end] in (b"\n", b"\r"):
            end -= 1
        if end == 0:
            raise _malformed(0)
        self._end = end
        return mm.rfind(b"\n", 0, end) + 1

    def _validate_ends(self) -> None:
        first_hash, _count, _next = self._read_line(0)
        last_start = self._last_line_start()
        last_hash, _count, _next = self._read_line(last_start)
        if last_hash < first_hash:
            raise _unsorted()

    # -- lookups -------------------------------------------------------------------------------

    def count(self, sha1: str) -> int:
        """How many times the password with this SHA-1 (40 hex digits) was seen in breaches.

        0 when it is not in the file. A binary search: lines are compared by hash, and any line
        read out of order with the lines read before it raises ``PwnedFileError("unsorted")``.
        """
        if not _HEX.match(sha1):
            raise ValueError("expected 40 hexadecimal digits")
        target = sha1.upper().encode("ascii")
        lo, hi = 0, self._end
        low_hash: bytes | None = None  # hash of the line that last moved ``lo``
        high_hash: bytes | None = None  # hash of the line that last moved ``hi``
        while lo < hi:
            mid = (lo + hi) // 2
            start = self._line_start(mid)
            if start >= hi:
                hi = mid
                continue
            line_hash, _count, next_start = self._read_line(start)
            if (low_hash is not None and line_hash < low_hash) or (
                high_hash is not None and line_hash > high_hash
            ):
                raise _unsorted()
            if line_hash < target:
                lo, low_hash = next_start, line_hash
            else:
                hi, high_hash = start, line_hash
        start = self._line_start(lo)
        if start >= self._end:
            return 0
        line_hash, seen, _next = self._read_line(start)
        if low_hash is not None and line_hash < low_hash:
            raise _unsorted()
        return seen if line_hash == target else 0

    def count_password(self, password: str) -> int:
        """Shortcut for ``count(sha1_hex(password))``."""
        return self.count(sha1_hex(password))
