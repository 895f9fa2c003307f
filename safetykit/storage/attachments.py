"""Files kept with log entries (screenshots, voicemails, videos): each one its own encrypted file.

An attachment never goes inside the vault (a video can be several GB). It is copied, unchanged
and streaming, into ``<data folder>/f/`` (0700) under a neutral random name, encrypted with its
own random 256-bit key. The key, the SHA-256 and the size of the original, and the stored file's
name are kept only in the vault's log entry, so the stored file alone says nothing but its size
bucket: its length is padded (Padmé) so that it never gives the original's exact size.

File format (version 2; version 1, which was never released, is refused as damaged)::

    header (17 bytes):  b"SKAT" | version (1 byte, = 2) | chunk size (4 bytes, big-endian)
                        | nonce prefix (8 random bytes, fresh for every file)
    then chunk 0, chunk 1, ..., chunk n-1, each AES-256-GCM ciphertext + 16-byte tag

- The plaintext that is encrypted is ``size (8 bytes, big-endian) || the original bytes || zero
  bytes`` up to ``padded = padme(8 + size)`` bytes in all. Padmé (Nikitin et al., "Reducing
  Metadata Leakage from Encrypted Files and Communication with PURBs", PETS 2019) rounds a length
  ``L`` up so that only its top ``floor(log2(floor(log2 L))) + 1`` bits may be non-zero: at most
  11.7% more (under 1/16 from 256 bytes, under 1/32 from 64 KiB), and the padded length reveals
  O(log log L) bits. The real size is inside the authenticated plaintext of chunk 0, so it is
  never visible and cannot be changed; the padding is zeros under the encryption.
- That plaintext is cut into chunks: every chunk but the last holds exactly ``chunk size`` bytes
  (``CHUNK``, 1 MiB); the last holds 1 to ``chunk size``. So there are ``n = ceil(padded /
  chunk size)`` chunks (at least one: ``padded`` is at least 8) and the stored file is
  ``17 + padded + 16 * n`` bytes, which depends on the original size only through its bucket.
- Chunk ``i`` is encrypted with nonce ``prefix || i`` (i as 4 bytes, big-endian: at most 2**32
  chunks, 4 PiB) and associated data ``header || i (4 bytes) || last (1 byte: 1 for the last
  chunk, else 0)``. So a changed header byte, a chunk moved, repeated or dropped, a file cut at a
  chunk boundary (its new last chunk was not sealed as last), a chunk of one file put into
  another (another key) and a wrong key all fail to authenticate. This is the STREAM construction
  (Hoang, Reyhanitabar, Rogaway, Vizár, 2015) with the header bound to every chunk.
- A reader reads one chunk ahead, so it knows which chunk is the last without trusting the file's
  size, and authenticates each chunk before a byte of it is handed on. It hands on only the
  ``size`` bytes after the length, and refuses as damaged a padding byte that is not zero, or a
  plaintext whose length is not exactly ``padme(8 + size)`` (checked before the last chunk's
  bytes are handed on).

Writing is crash-safe: a temp file (``.<random>.tmp``, 0600 from its creation) in the same
folder, fsync, rename to the neutral name (32 hex digits, no extension), fsync the folder. A kill,
crash or full disk leaves no file or a whole one, plus at most a temp file ``sweep`` removes.
Reading the source is checked: it must be an ordinary file (a FIFO or device is never read), and
if its size, modification time or identity change while it is copied, or it yields more or fewer
bytes than its size, nothing is kept (``SourceChangedError``). The size written at the start of
chunk 0 is the one from ``fstat`` before the copy, so the same checks also guard it.

Memory stays at a few MB whatever the size (a chunk read, its ciphertext, one chunk of lookahead).
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import os
import re
import secrets
import stat
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from safetykit.errors import BadInputError, ExitStatus, StorageError
from safetykit.i18n import N_, _
from safetykit.storage.atomic import fsync_dir
from safetykit.storage.paths import DataPaths

ATTACHMENTS_DIR: Final = "f"
"""The neutral sub-folder of the data folder that holds the encrypted files (0700)."""
CHUNK: Final = 1024 * 1024
"""Plaintext bytes per encrypted chunk."""

MAGIC: Final = b"SKAT"
VERSION: Final = 2
LENGTH_BYTES: Final = 8
"""The original size, big-endian, at the start of chunk 0's plaintext."""
KEY_BYTES: Final = 32
PREFIX_BYTES: Final = 8
TAG_BYTES: Final = 16
HEADER_BYTES: Final = len(MAGIC) + 1 + 4 + PREFIX_BYTES
MIN_CHUNK: Final = 4 * 1024
MAX_CHUNK: Final = 16 * 1024 * 1024
MAX_CHUNKS: Final = 2**32

_BLOB = re.compile(r"[0-9a-f]{32}")
_TEMP = re.compile(r"\.[0-9a-f]{32}\.tmp")
_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))

# What ``verify`` says about a stored file: kept in English (tests and the export's manifest compare
# them); marked so where they are shown they can be said with ``_()``.
# TRANSLATORS: said of a stored copy of an attached file ("not intact: damaged").
DAMAGED: Final = N_("damaged")
# TRANSLATORS: said of a stored copy of an attached file ("not intact: missing").
MISSING: Final = N_("missing")
CHANGED: Final = N_("changed since it was added")
UNREADABLE: Final = N_("could not be read")


class AttachmentError(StorageError):
    """An attachment could not be stored or read. The message never holds the file's contents."""


class SourceChangedError(BadInputError):
    """The file changed while it was being copied in, so nothing was kept."""


class DamagedAttachmentError(AttachmentError):
    """The stored file is missing, cut short, changed, not ours, or does not match its record.

    ``reason`` is the short plain reason ``verify`` gives: ``"missing"``, ``"damaged"`` or
    ``"changed since it was added"``. Exit 3, as for damaged saved data (it is a StorageError
    through ``AttachmentError``, so callers may catch either).
    """

    status = ExitStatus.VAULT_UNREADABLE

    def __init__(self, message: str, *, hint: str | None = None, reason: str = DAMAGED) -> None:
        super().__init__(message, hint=hint)
        self.reason = reason


@dataclass(frozen=True)
class Stored:
    """A file as stored: what the log entry keeps (``key`` only ever inside the vault)."""

    blob: str
    """Neutral file name inside ``ATTACHMENTS_DIR`` (32 random hex digits, no extension)."""
    key: str
    """Base64 of the file's own random 256-bit key."""
    sha256: str
    """Lowercase hex SHA-256 of the original bytes."""
    size: int
    """Original size in bytes."""


# ── errors a person reads ─────────────────────────────────────────────────────────────────────


def _damaged(reason: str = DAMAGED) -> DamagedAttachmentError:
    if reason == MISSING:
        message = _("The stored copy of this attached file is missing.")
    elif reason == CHANGED:
        message = _("The stored copy of this attached file no longer matches what was added.")
    else:
        message = _("The stored copy of this attached file is damaged or was changed.")
    return DamagedAttachmentError(
        message,
        hint=_(
            "It cannot be shown as the file that was added. The entry itself is not affected."
        ),
        reason=reason,
    )


def _write_failed(folder: Path, exc: OSError) -> AttachmentError:
    if exc.errno in _FULL:
        return AttachmentError(
            _("The disk is full, so the file could not be added. Nothing was added."),
            hint=_("Free some space and try again."),
        )
    return AttachmentError(
        _("safetykit could not save the file in {folder} ({problem}). Nothing was added.").format(
            folder=folder, problem=exc.strerror or exc
        ),
        hint=_(
            "Check that the folder can be written, or set SAFETYKIT_HOME to another folder."
        ),
    )


def _read_failed(exc: OSError) -> AttachmentError:
    return AttachmentError(
        _("safetykit could not read a stored attached file ({problem}).").format(
            problem=exc.strerror or exc
        ),
        hint=_("Check the data folder's permissions."),
    )


def _source_changed(source: Path) -> SourceChangedError:
    return SourceChangedError(
        _("{file} changed while it was being copied in, so it was not added.").format(
            file=source
        ),
        hint=_("Wait until it has finished saving or downloading, then add it again."),
    )


# ── the folder ────────────────────────────────────────────────────────────────────────────────


def _folder(paths: DataPaths) -> Path:
    return paths.root / ATTACHMENTS_DIR


def _ensure_folder(paths: DataPaths) -> Path:
    """The attachments folder, created 0700 if needed; it must be a real folder, not a link."""
    paths.ensure_root()
    folder = _folder(paths)
    try:
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode):
            raise AttachmentError(
                _(
                    "{folder} is not a folder (or is a link to somewhere else), which safetykit "
                    "never makes, so nothing was added."
                ).format(folder=folder),
                hint=_("Move it out of the way, then try again."),
            )
        if stat.S_IMODE(info.st_mode) != 0o700:
            folder.chmod(0o700)
    except OSError as exc:
        raise _write_failed(folder, exc) from exc
    return folder


def _real_folder(paths: DataPaths) -> Path | None:
    """The attachments folder if it is there and is a folder (never through a link)."""
    folder = _folder(paths)
    try:
        return folder if stat.S_ISDIR(folder.lstat().st_mode) else None
    except OSError:
        return None


def _blob_path(paths: DataPaths, blob: str) -> Path:
    if not _BLOB.fullmatch(blob):
        raise _damaged()  # never a path: a record naming anything else is not one of ours
    return _folder(paths) / blob


# ── the format ────────────────────────────────────────────────────────────────────────────────


def _padme(length: int) -> int:
    """``length`` rounded up to its Padmé bucket (Nikitin et al., PETS 2019).

    With ``E = floor(log2 length)`` and ``S = floor(log2 E) + 1``, the low ``E - S`` bits are
    rounded up to zero: at most 11.7% more, and the result reveals O(log log length) bits.
    Lengths below 2 are returned as they are (this module never pads fewer than 8 bytes).
    """
    if length < 2:
        return length
    exponent = length.bit_length() - 1  # floor(log2 length)
    low_bits = exponent - exponent.bit_length()  # E - (floor(log2 E) + 1)
    mask = (1 << low_bits) - 1
    return (length + mask) & ~mask


def _padded_size(size: int) -> int:
    """How many plaintext bytes are encrypted for an original of ``size`` bytes (length prefix,
    the bytes, zero padding)."""
    return _padme(LENGTH_BYTES + size)


def _header(chunk: int, prefix: bytes) -> bytes:
    return MAGIC + bytes([VERSION]) + chunk.to_bytes(4, "big") + prefix


def _parse_header(header: bytes) -> tuple[int, bytes]:
    """Chunk size and nonce prefix; DamagedAttachmentError for anything version 2 never writes."""
    if len(header) != HEADER_BYTES or header[: len(MAGIC)] != MAGIC:
        raise _damaged()
    if header[len(MAGIC)] != VERSION:
        raise _damaged()
    start = len(MAGIC) + 1
    chunk = int.from_bytes(header[start : start + 4], "big")
    if not MIN_CHUNK <= chunk <= MAX_CHUNK or chunk & (chunk - 1):
        raise _damaged()
    return chunk, header[start + 4 :]


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(4, "big")


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _key_bytes(key: str) -> bytes:
    try:
        raw = base64.b64decode(key, validate=True)
    except (ValueError, TypeError):
        raise _damaged() from None
    if len(raw) != KEY_BYTES:
        raise _damaged()
    return raw


# ── low-level reading and writing ─────────────────────────────────────────────────────────────


def _read_exact(fd: int, n: int) -> bytes:
    """Up to ``n`` bytes: fewer only at the end of the file. Raises OSError."""
    first = os.read(fd, n)
    if len(first) == n or not first:
        return first
    parts = [first]
    have = len(first)
    while have < n:
        more = os.read(fd, n - have)
        if not more:
            break
        parts.append(more)
        have += len(more)
    return b"".join(parts)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# ── storing ───────────────────────────────────────────────────────────────────────────────────


def _open_source(source: Path) -> tuple[int, os.stat_result]:
    """An open descriptor on an ordinary file and its status; BadInputError for anything else.

    The file is looked at before it is opened (a FIFO or a device is never opened), and opened
    without blocking (a FIFO swapped in meanwhile cannot hold the program) and checked again.
    A link the person chose is followed.
    """
    not_a_file = BadInputError(
        _(
            "{file} is not an ordinary file (it is a folder, a pipe or a device), so it was not "
            "added."
        ).format(file=source),
        hint=_("Choose the file itself."),
    )
    cannot_open = _("safetykit could not open {file} ({problem}), so it was not added.")
    nonblocking = getattr(os, "O_NONBLOCK", 0)
    try:
        if not stat.S_ISREG(source.stat().st_mode):
            raise not_a_file
        flags = os.O_RDONLY | nonblocking | getattr(os, "O_NOCTTY", 0)
        fd = os.open(source, flags | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError as exc:
        raise BadInputError(
            _("There is no file at {file}.").format(file=source),
            hint=_("Check the name, then try again."),
        ) from exc
    except OSError as exc:
        raise BadInputError(
            cannot_open.format(file=source, problem=exc.strerror or exc),
            hint=_("Check that you can read it, then try again."),
        ) from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise not_a_file
        if nonblocking:
            os.set_blocking(fd, True)
    except OSError as exc:
        os.close(fd)
        raise BadInputError(
            cannot_open.format(file=source, problem=exc.strerror or exc),
            hint=_("Check that you can read it, then try again."),
        ) from exc
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def _same_file(before: os.stat_result, after: os.stat_result) -> bool:
    return (
        before.st_size == after.st_size
        and before.st_mtime_ns == after.st_mtime_ns
        and before.st_ino == after.st_ino
        and before.st_dev == after.st_dev
    )


def _copy_in(src: int, out: int, source: Path, size: int, key: bytes) -> str:
    """Encrypt exactly ``size`` bytes of ``src`` into ``out``, after their length and before
    their zero padding; the SHA-256 of what was read.

    ``size`` is the one ``fstat`` gave before the copy: the caller checks afterwards that the
    file did not change, so the length written in chunk 0 is the length that was read.
    SourceChangedError if there are fewer or more bytes; BadInputError if reading fails;
    OSError if writing fails.
    """
    aead = AESGCM(key)
    header = _header(CHUNK, secrets.token_bytes(PREFIX_BYTES))
    padded = _padded_size(size)
    chunks = -(-padded // CHUNK)  # at least 1: padded >= LENGTH_BYTES
    if chunks > MAX_CHUNKS:
        raise BadInputError(_("{file} is too large to be kept.").format(file=source))
    digest = hashlib.sha256()
    _write_all(out, header)
    remaining = size
    for index in range(chunks):
        room = min(CHUNK, padded - index * CHUNK)
        head = size.to_bytes(LENGTH_BYTES, "big") if index == 0 else b""
        want = min(remaining, room - len(head))
        data = b""
        if want:
            try:
                data = _read_exact(src, want)
            except OSError as exc:
                raise BadInputError(
                    _("safetykit could not read {file} ({problem}), so it was not added.").format(
                        file=source, problem=exc.strerror or exc
                    ),
                    hint=_(
                        "Check that the file is still there and can be read, then try again."
                    ),
                ) from exc
            if len(data) != want:
                raise _source_changed(source)  # shorter than it was
            digest.update(data)
            remaining -= want
        zeros = room - len(head) - want
        plain = b"".join((head, data, bytes(zeros))) if head or zeros else data
        last = index == chunks - 1
        _write_all(out, aead.encrypt(_nonce(header[-PREFIX_BYTES:], index), plain,
                                     _aad(header, index, last)))
    try:
        extra = os.read(src, 1)
    except OSError:
        extra = b""
    if extra:
        raise _source_changed(source)  # longer than it was
    return digest.hexdigest()


def store(paths: DataPaths, source: Path) -> Stored:
    """Copy ``source`` in unchanged (encrypted, streaming) and return what the entry keeps.

    BadInputError: not an ordinary file, missing or unreadable; SourceChangedError: it changed
    while it was copied; AttachmentError (exit 7): the data folder cannot be written or the disk
    is full. In every failure no attachment file is left (a kill leaves at most a temp file).
    """
    folder = _ensure_folder(paths)
    src, before = _open_source(source)
    try:
        key = secrets.token_bytes(KEY_BYTES)
        tmp = folder / f".{secrets.token_hex(16)}.tmp"
        blob = secrets.token_hex(16)
        flags = (
            os.O_WRONLY
            | os.O_CREAT
            | os.O_EXCL
            | getattr(os, "O_NOFOLLOW", 0)
            | getattr(os, "O_CLOEXEC", 0)
            | getattr(os, "O_BINARY", 0)
        )
        try:
            out = os.open(tmp, flags, 0o600)
        except OSError as exc:
            raise _write_failed(folder, exc) from exc
        try:
            try:
                if hasattr(os, "fchmod"):
                    os.fchmod(out, 0o600)  # exactly this mode, whatever the umask
                sha256 = _copy_in(src, out, source, before.st_size, key)
                try:
                    now_open = os.fstat(src)
                    now_named = source.stat()
                except OSError:
                    raise _source_changed(source) from None
                if not (_same_file(before, now_open) and _same_file(before, now_named)):
                    raise _source_changed(source)
                os.fsync(out)
            finally:
                os.close(out)
            tmp.rename(folder / blob)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            if isinstance(exc, OSError):
                raise _write_failed(folder, exc) from exc
            raise
    finally:
        os.close(src)
    fsync_dir(folder)
    return Stored(
        blob=blob,
        key=base64.b64encode(key).decode("ascii"),
        sha256=sha256,
        size=before.st_size,
    )


# ── reading ───────────────────────────────────────────────────────────────────────────────────


def _open_blob(path: Path) -> int:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise _damaged(MISSING) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _damaged() from None  # a link: safetykit never makes one
        raise _read_failed(exc) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _damaged()
    except BaseException:
        os.close(fd)
        raise
    return fd


def _chunks(fd: int, aead: AESGCM, header: bytes, chunk: int) -> Iterator[bytes]:
    """The original bytes, chunk by chunk: each chunk authenticated, the length taken from
    chunk 0, the padding checked to be zeros and the padded length to be the length's bucket."""
    prefix = header[-PREFIX_BYTES:]
    span = chunk + TAG_BYTES
    size = -1  # the original size, once chunk 0 is read
    end = 0  # where the original bytes end in the plaintext: LENGTH_BYTES + size
    padded = 0  # the plaintext's whole length: _padded_size(size)
    offset = 0  # where the current chunk starts in the plaintext
    try:
        current = _read_exact(fd, span)
        index = 0
        while True:
            if len(current) < TAG_BYTES or index >= MAX_CHUNKS:
                raise _damaged()  # cut short (no last chunk), or impossibly long
            upcoming = _read_exact(fd, span) if len(current) == span else b""
            last = not upcoming
            try:
                plain = aead.decrypt(_nonce(prefix, index), current, _aad(header, index, last))
            except InvalidTag:
                raise _damaged() from None
            if index == 0:
                if len(plain) < LENGTH_BYTES:
                    raise _damaged()
                size = int.from_bytes(plain[:LENGTH_BYTES], "big")
                end = LENGTH_BYTES + size
                padded = _padded_size(size)
            stop = offset + len(plain)
            if stop > padded or (last and stop != padded):
                raise _damaged()  # more or less plaintext than this size is padded to
            begin = max(offset, LENGTH_BYTES) - offset  # the original bytes in this chunk
            zeros = min(max(end, offset), stop) - offset  # and where its padding starts
            if plain.count(0, zeros) != len(plain) - zeros:
                raise _damaged()  # padding that is not zeros: not written by safetykit
            if begin < zeros:
                yield plain if begin == 0 and zeros == len(plain) else plain[begin:zeros]
            elif index == 0 and last:
                yield b""  # an empty file: one empty piece, as for any other file
            del plain  # a piece cut from it may be held by the reader: not both at once
            if last:
                return
            current = upcoming
            offset = stop
            index += 1
    except OSError as exc:
        raise _read_failed(exc) from exc


@contextlib.contextmanager
def open_plain(paths: DataPaths, blob: str, key: str) -> Iterator[Iterator[bytes]]:
    """The original bytes as chunks, each authenticated before it is handed on.

    ``with open_plain(paths, blob, key) as chunks: for data in chunks: ...``. A missing, cut,
    reordered, swapped or changed file, or a wrong key, raises DamagedAttachmentError (when it is
    opened or at the chunk where it is found); a file that cannot be read, AttachmentError.
    """
    fd = _open_blob(_blob_path(paths, blob))
    try:
        raw_key = _key_bytes(key)
        try:
            header = _read_exact(fd, HEADER_BYTES)
        except OSError as exc:
            raise _read_failed(exc) from exc
        chunk, _prefix = _parse_header(header)
        yield _chunks(fd, AESGCM(raw_key), header, chunk)
    finally:
        os.close(fd)


def verify(paths: DataPaths, blob: str, key: str, sha256: str, size: int) -> str | None:
    """None if the stored file decrypts whole and matches its SHA-256 and size; else a short
    plain reason: "missing", "damaged", "changed since it was added" or "could not be read"."""
    digest = hashlib.sha256()
    seen = 0
    try:
        with open_plain(paths, blob, key) as chunks:
            for data in chunks:
                digest.update(data)
                seen += len(data)
    except DamagedAttachmentError as exc:
        return exc.reason
    except AttachmentError:
        return UNREADABLE
    if seen != size or digest.hexdigest() != sha256.lower():
        return CHANGED
    return None


def copy_out(paths: DataPaths, blob: str, key: str, sha256: str, out: BinaryIO) -> None:
    """Write the original bytes into ``out``, then check their SHA-256.

    DamagedAttachmentError if the stored file is damaged or the SHA-256 does not match: what was
    written must then not be presented as the file that was added. Errors writing to ``out`` are
    the caller's (OSError, as ``out.write`` raised it).
    """
    digest = hashlib.sha256()
    with open_plain(paths, blob, key) as chunks:
        for data in chunks:
            digest.update(data)
            out.write(data)
    if digest.hexdigest() != sha256.lower():
        raise _damaged(CHANGED)


# ── removing ──────────────────────────────────────────────────────────────────────────────────


def remove(paths: DataPaths, blob: str) -> None:
    """Remove one stored file; a missing one is fine (a name that is not ours is left alone)."""
    folder = _real_folder(paths)
    if folder is None or not _BLOB.fullmatch(blob):
        return
    path = folder / blob
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AttachmentError(
            _("safetykit could not remove a stored attached file ({problem}).").format(
                problem=exc.strerror or exc
            ),
            hint=_("Check the data folder's permissions, then try again."),
        ) from exc


def sweep(paths: DataPaths, referenced: Collection[str], older_than: float = 3600.0) -> int:
    """Remove temp files and stored files no entry refers to, once they are ``older_than``
    seconds old (since last written: a copy still under way, or a file another window is about
    to record, is left alone). Only ordinary files with safetykit's names are touched. How many
    were removed."""
    folder = _real_folder(paths)
    if folder is None:
        return 0
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return 0
    keep = set(referenced)
    now = time.time()
    removed = 0
    for name in names:
        if not (_TEMP.fullmatch(name) or (_BLOB.fullmatch(name) and name not in keep)):
            continue
        path = folder / name
        try:
            info = path.lstat()
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and now - info.st_mtime >= older_than:
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
    return removed


def all_files(paths: DataPaths) -> list[Path]:
    """Everything in the attachments folder that is not a folder (for ``wipe``), sorted.

    AttachmentError if the folder is there but cannot be listed."""
    folder = _folder(paths)
    try:
        if not stat.S_ISDIR(folder.lstat().st_mode):
            return [folder]  # a link or file under the folder's name: the name itself goes
        with os.scandir(folder) as found:
            entries = list(found)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise AttachmentError(
            _("safetykit could not list {folder} ({problem}).").format(
                folder=folder, problem=exc.strerror or exc
            ),
            hint=_("Check the data folder's permissions, then try again."),
        ) from exc
    return sorted(folder / e.name for e in entries if not e.is_dir(follow_symlinks=False))
