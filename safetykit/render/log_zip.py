"""The incident log as a ZIP: the PDF, the CSV, the attached files as they were added, and
``SHA256SUMS`` over every other file in it.

Written as it is made, one member after another, so a 2 GB video passes through in chunks and
needs little memory. ``SHA256SUMS`` is in the format ``sha256sum -c`` reads (run it in the
unpacked folder); it lists the SHA-256 of the bytes actually written into the ZIP. Files are
marked readable only by their owner (0600) for unpackers that keep permissions.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import stat
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Final, cast

SUMS_NAME: Final = "SHA256SUMS"
ZIP64_FROM: Final = 1 << 30
"""Members this large (or larger) are written with ZIP64 sizes from the start."""


@dataclass(frozen=True)
class Member:
    """One file in the ZIP: its name, how to write its bytes, whether to compress it."""

    name: str
    write: Callable[[BinaryIO], None]
    compress: bool = True
    size_hint: int = 0
    """Its size if known: a large one gets ZIP64 sizes."""


class _Hashing(io.RawIOBase):
    """Passes bytes on to a ZIP member and keeps their SHA-256."""

    def __init__(self, out: BinaryIO) -> None:
        super().__init__()
        self._out = out
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self.digest.update(data)
        self._out.write(data)
        return len(data)


def _info(name: str, when: datetime.datetime, compress: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = (stat.S_IFREG | 0o600) << 16
    return info


def write_log_zip(out: BinaryIO, members: Sequence[Member], when: datetime.datetime) -> None:
    """Write the ZIP into ``out``: ``members`` in order, then ``SHA256SUMS``. An exception a
    member's ``write`` raises is raised as it is (the file is then not to be kept)."""
    sums: list[str] = []
    stamp = max(when, datetime.datetime(1980, 1, 1, tzinfo=when.tzinfo))
    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
        for member in members:
            info = _info(member.name, stamp, member.compress)
            with archive.open(info, "w", force_zip64=member.size_hint >= ZIP64_FROM) as target:
                tee = _Hashing(cast(BinaryIO, target))
                member.write(cast(BinaryIO, tee))
            sums.append(f"{tee.digest.hexdigest()}  {member.name}\n")
        archive.writestr(_info(SUMS_NAME, stamp, True), "".join(sums).encode("utf-8"))


def bytes_member(name: str, data: bytes, *, compress: bool = True) -> Member:
    """A member whose bytes are already made (the PDF, the CSV)."""

    def write(out: BinaryIO) -> None:
        out.write(data)

    return Member(name, write, compress, len(data))
