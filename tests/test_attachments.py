"""Attached files: stored whole or not at all, encrypted under neutral names, every chunk checked.

Covers ``safetykit.storage.attachments``: round trips at the chunk edges and for a 20 MB file in
little memory; nothing of the plaintext in the stored file; stored sizes padded to Padmé buckets
(the size of a file gives only its bucket, at most 1/16 more from 4 KiB); tampering, truncation,
reordering, swapped files, wrong keys and a changed length or padding refused; a source that
changes while it is copied, a FIFO, a folder and a device refused; a full disk and a SIGKILL
leaving no named file; sweep and wipe.
"""

from __future__ import annotations

import base64
import bisect
import contextlib
import errno
import hashlib
import io
import math
import os
import re
import signal
import stat
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetykit.errors import BadInputError, ExitStatus, StorageError
from safetykit.storage import attachments
from safetykit.storage.attachments import (
    ATTACHMENTS_DIR,
    CHUNK,
    HEADER_BYTES,
    LENGTH_BYTES,
    TAG_BYTES,
    AttachmentError,
    DamagedAttachmentError,
    SourceChangedError,
    Stored,
)
from safetykit.storage.paths import DataPaths
from safetykit.storage.removal import wipe
from safetykit.storage.vault import create_vault

REPO = Path(__file__).resolve().parents[1]
MARKER = b"MARKER-safetykit-evidence-7f3a"
NEUTRAL = re.compile(r"[0-9a-f]{32}")
MiB = 1024 * 1024


# ── helpers ───────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def paths(data_dir: Path) -> DataPaths:
    return DataPaths(data_dir)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "originals"
    folder.mkdir()
    return folder


def pattern(size: int, seed: int = 1) -> bytes:
    """``size`` bytes that differ from chunk to chunk (so a moved chunk is a different one)."""
    block = hashlib.sha256(seed.to_bytes(4, "big")).digest() + MARKER
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += counter.to_bytes(4, "big") + block
        counter += 1
    return bytes(out[:size])


def source_file(folder: Path, data: bytes, name: str = "screenshot.png") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def folder_of(paths: DataPaths) -> Path:
    return paths.root / ATTACHMENTS_DIR


def stored_path(paths: DataPaths, stored: Stored) -> Path:
    return folder_of(paths) / stored.blob


def contents(paths: DataPaths, stored: Stored) -> bytes:
    with attachments.open_plain(paths, stored.blob, stored.key) as chunks:
        return b"".join(chunks)


def files_in(paths: DataPaths) -> list[str]:
    folder = folder_of(paths)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def padme(length: int) -> int:
    """Padmé as the paper writes it (Nikitin et al., PETS 2019, with floating-point log2: exact
    for the lengths used here), apart from the module's bit arithmetic so each checks the other."""
    e = math.floor(math.log2(length))
    s = math.floor(math.log2(e)) + 1
    last_bits = e - s
    bit_mask = (1 << last_bits) - 1
    return (length + bit_mask) & ~bit_mask


def padded_plain(size: int) -> int:
    """The plaintext encrypted for ``size`` original bytes: length prefix, bytes, zero padding."""
    return padme(LENGTH_BYTES + size)


def chunk_count(plain: int, chunk: int = CHUNK) -> int:
    return -(-plain // chunk)


def expected_stored_size(size: int, chunk: int = CHUNK) -> int:
    plain = padded_plain(size)
    return HEADER_BYTES + plain + TAG_BYTES * chunk_count(plain, chunk)


def damaged_reason(paths: DataPaths, stored: Stored) -> str:
    """Reading the whole file fails; the reason verify gives."""
    with pytest.raises(DamagedAttachmentError) as caught:
        contents(paths, stored)
    reason = attachments.verify(paths, stored.blob, stored.key, stored.sha256, stored.size)
    assert reason == caught.value.reason
    return reason


# ── round trips ───────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 5],
    ids=["empty", "one-byte", "chunk-1", "chunk", "chunk+1", "two-chunks", "three-and-a-bit"],
)
def test_round_trip_at_the_chunk_edges(paths: DataPaths, sources: Path, size: int) -> None:
    data = pattern(size)
    stored = attachments.store(paths, source_file(sources, data))
    assert stored.size == size
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert contents(paths, stored) == data
    assert stored_path(paths, stored).stat().st_size == expected_stored_size(size)
    assert attachments.verify(paths, stored.blob, stored.key, stored.sha256, size) is None
    out = io.BytesIO()
    attachments.copy_out(paths, stored.blob, stored.key, stored.sha256, out)
    assert out.getvalue() == data
    with attachments.open_plain(paths, stored.blob, stored.key) as chunks:
        assert all(len(c) <= CHUNK for c in chunks)
    assert files_in(paths) == [stored.blob]  # no temp file left


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=5 * 4096 + 7), flip=st.integers(min_value=0))
def test_any_file_round_trips_and_any_changed_byte_is_refused(
    paths: DataPaths, sources: Path, data: bytes, flip: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(attachments, "CHUNK", 4096)  # the header records it: many small chunks
        stored = attachments.store(paths, source_file(sources, data))
    assert contents(paths, stored) == data
    assert stored_path(paths, stored).stat().st_size == expected_stored_size(len(data), 4096)
    blob = bytearray(stored_path(paths, stored).read_bytes())
    blob[flip % len(blob)] ^= 0x01 << (flip % 8)
    stored_path(paths, stored).write_bytes(bytes(blob))
    assert damaged_reason(paths, stored) == "damaged"


def test_a_20_mb_file_streams_in_little_memory(paths: DataPaths, sources: Path) -> None:
    source = sources / "video.mp4"
    digest = hashlib.sha256()
    with source.open("wb") as handle:
        for i in range(20):
            block = os.urandom(MiB - 7) + MARKER[:7] if i % 2 else pattern(MiB, i)
            digest.update(block)
            handle.write(block)
    size = source.stat().st_size

    tracemalloc.start()
    try:
        stored = attachments.store(paths, source)
        _, peak_store = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        assert attachments.verify(paths, stored.blob, stored.key, stored.sha256, size) is None
        _, peak_verify = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        copy = sources / "copy.mp4"
        with copy.open("wb") as out:
            attachments.copy_out(paths, stored.blob, stored.key, stored.sha256, out)
        _, peak_copy = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stored.sha256 == digest.hexdigest() and stored.size == size == 20 * MiB
    assert max(peak_store, peak_verify, peak_copy) < 8 * MiB, (peak_store, peak_verify, peak_copy)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == stored.sha256


def test_a_link_the_person_chose_is_followed(paths: DataPaths, sources: Path) -> None:
    target = source_file(sources, b"voicemail")
    link = sources / "link.m4a"
    link.symlink_to(target)
    assert contents(paths, attachments.store(paths, link)) == b"voicemail"


# ── sizes padded to Padmé buckets ─────────────────────────────────────────────────────────────


def test_the_module_pads_exactly_as_the_paper_says() -> None:
    for length in range(2, 1 << 16):
        assert attachments._padme(length) == padme(length)
    for exponent in range(16, 41):  # around every power of two up to a TiB
        for length in (2**exponent - 1, 2**exponent, 2**exponent + 1, 3 * 2**exponent - 7):
            assert attachments._padme(length) == padme(length), length
    assert [padme(n) for n in (8, 9, 129, 1008, 4104, 1_000_008)] == [
        8, 10, 144, 1024, 4352, 1_015_808]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.one_of(st.integers(0, 70_000), st.integers(0, 4 * MiB)),
       chunk=st.sampled_from([4096, CHUNK]))
def test_the_stored_size_is_the_padme_bucket_of_the_size(
    paths: DataPaths, sources: Path, size: int, chunk: int
) -> None:
    source = sources / "photo.jpg"
    with source.open("wb") as handle:
        handle.truncate(size)  # zeros, like the padding: only the length tells them apart
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(attachments, "CHUNK", chunk)
        stored = attachments.store(paths, source)
    length = stored_path(paths, stored).stat().st_size
    assert length == expected_stored_size(size, chunk)
    padding = padded_plain(size) - LENGTH_BYTES - size
    assert length == HEADER_BYTES + LENGTH_BYTES + size + padding + TAG_BYTES * chunk_count(
        LENGTH_BYTES + size + padding, chunk)
    if size >= 4096:
        assert padding <= 0.12 * size
    assert attachments.verify(paths, stored.blob, stored.key, stored.sha256, size) is None
    attachments.remove(paths, stored.blob)


def bucket_of(size: int) -> range:
    """Every original size whose stored file has the same length as one of ``size`` bytes."""
    plain = padded_plain(size)
    first = bisect.bisect_left(range(size + 1), plain, key=padded_plain)
    return range(first, plain - LENGTH_BYTES + 1)


@pytest.mark.parametrize("size", [5000, 1_000_000, 3 * CHUNK + 5],
                         ids=["5-kB", "1-MB-photo", "more-than-three-chunks"])
def test_sizes_within_a_bucket_give_stored_files_of_one_length(
    paths: DataPaths, sources: Path, size: int
) -> None:
    bucket = bucket_of(size)
    assert len(bucket) > 1 and size in bucket
    below, above = bucket.start - 1, bucket.stop
    lengths = {}
    for n in (bucket.start, size, bucket.stop - 1, below, above):
        data = pattern(n, seed=n)
        stored = attachments.store(paths, source_file(sources, data, f"{n}.jpg"))
        assert contents(paths, stored) == data
        assert attachments.verify(paths, stored.blob, stored.key, stored.sha256, n) is None
        lengths[n] = stored_path(paths, stored).stat().st_size
    assert lengths[bucket.start] == lengths[size] == lengths[bucket.stop - 1]
    assert lengths[size] == expected_stored_size(size)
    assert lengths[below] < lengths[size] < lengths[above]  # the neighbouring buckets
    if size == 1_000_000:
        assert len(bucket) == 16_384  # a photo hides among 16 KiB of sizes


def test_padding_costs_at_most_12_percent_from_4_kib() -> None:
    def padding(size: int) -> int:
        return padded_plain(size) - LENGTH_BYTES - size

    sizes = [*range(4096, 1 << 17), *(2**e + d for e in range(17, 41) for d in (-8, -7, 1, 9))]
    for size in sizes:
        assert padding(size) <= 0.12 * size, size
        assert padding(size) < size / 16, size  # Padmé: under 1/16 once L is 256 or more
        if size >= 64 * 1024:
            assert padding(size) < size / 32, size
        # the whole stored file: the padding plus fixed costs (header, length, a tag a chunk)
        fixed = HEADER_BYTES + LENGTH_BYTES + TAG_BYTES * chunk_count(padded_plain(size))
        assert expected_stored_size(size) - size <= 0.12 * size + fixed


def resealed(paths: DataPaths, stored: Stored, change: Callable[[bytearray], bytes]) -> None:
    """Decrypt a one-chunk stored file with its own key, change its plaintext and encrypt it
    again, as only someone holding the key could."""
    path = stored_path(paths, stored)
    raw = path.read_bytes()
    header = raw[:HEADER_BYTES]
    aead = AESGCM(base64.b64decode(stored.key))
    nonce = header[-8:] + bytes(4)
    aad = header + bytes(4) + b"\x01"
    plain = aead.decrypt(nonce, raw[HEADER_BYTES:], aad)
    path.write_bytes(header + aead.encrypt(nonce, change(bytearray(plain)), aad))


def length_set_to(size: int) -> Callable[[bytearray], bytes]:
    def change(plain: bytearray) -> bytes:
        plain[:LENGTH_BYTES] = size.to_bytes(LENGTH_BYTES, "big")
        return bytes(plain)

    return change


@pytest.mark.parametrize(
    "change",
    [length_set_to(0), length_set_to(999), length_set_to(2000), length_set_to(2**64 - 1),
     lambda plain: bytes(plain[:-1]) + b"\x01",  # a padding byte that is not zero
     lambda plain: bytes(plain) + bytes(1024),  # more padding than the bucket
     lambda plain: bytes(plain[:-1])],  # less
    ids=["length-0", "length-999", "length-2000", "length-huge", "padding-not-zero",
         "padding-longer", "padding-shorter"],
)
def test_an_authentic_but_wrong_length_or_padding_is_refused(
    paths: DataPaths, sources: Path, change: Callable[[bytearray], bytes]
) -> None:
    stored = attachments.store(paths, source_file(sources, pattern(1000)))
    assert padded_plain(1000) == 1024  # 8 + 1000 + 16 zeros
    resealed(paths, stored, change)
    assert damaged_reason(paths, stored) == "damaged"


def test_a_length_moved_within_its_bucket_is_never_shown_as_the_file(
    paths: DataPaths, sources: Path
) -> None:
    stored = attachments.store(paths, source_file(sources, pattern(1000)))
    resealed(paths, stored, length_set_to(1016))  # same bucket: takes in the 16 padding zeros
    assert contents(paths, stored) == pattern(1000) + bytes(16)
    assert attachments.verify(paths, stored.blob, stored.key, stored.sha256, 1000) == (
        "changed since it was added")
    with pytest.raises(DamagedAttachmentError) as caught:
        attachments.copy_out(paths, stored.blob, stored.key, stored.sha256, io.BytesIO())
    assert caught.value.reason == "changed since it was added"


# ── privacy at rest ───────────────────────────────────────────────────────────────────────────


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_stored_files_hide_the_plaintext_and_are_private(
    paths: DataPaths, sources: Path, open_umask: None
) -> None:
    data = (MARKER * 70_000)[: 2 * CHUNK + 100]  # the marker also spans the chunk boundaries
    source = source_file(sources, data, "threat-from-him.png")
    first = attachments.store(paths, source)
    second = attachments.store(paths, source)
    for stored in (first, second):
        raw = stored_path(paths, stored).read_bytes()
        assert MARKER not in raw and MARKER[:12] not in raw
        assert NEUTRAL.fullmatch(stored.blob)
        assert "threat" not in stored.blob and "." not in stored.blob
        assert stat.S_IMODE(stored_path(paths, stored).stat().st_mode) == 0o600
        assert len(base64.b64decode(stored.key)) == 32
    assert stat.S_IMODE(folder_of(paths).stat().st_mode) == 0o700
    assert stat.S_IMODE(paths.root.stat().st_mode) == 0o700
    # the same file twice: different names, keys and bytes (nothing links the two copies)
    assert first.blob != second.blob and first.key != second.key
    assert stored_path(paths, first).read_bytes() != stored_path(paths, second).read_bytes()
    assert first.sha256 == second.sha256


def test_the_temp_file_is_private_from_its_first_byte(
    paths: DataPaths, sources: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, int]] = []
    real = attachments._read_exact

    def looking(fd: int, n: int) -> bytes:
        for p in folder_of(paths).iterdir():
            seen.append((p.name, stat.S_IMODE(p.lstat().st_mode)))
        return real(fd, n)

    monkeypatch.setattr(attachments, "_read_exact", looking)
    attachments.store(paths, source_file(sources, pattern(2 * CHUNK)))
    assert seen and all(re.fullmatch(r"\.[0-9a-f]{32}\.tmp", n) and m == 0o600 for n, m in seen)


def test_a_loose_attachments_folder_is_tightened(paths: DataPaths, sources: Path) -> None:
    folder_of(paths).mkdir(parents=True)
    folder_of(paths).chmod(0o755)
    attachments.store(paths, source_file(sources, b"x"))
    assert stat.S_IMODE(folder_of(paths).stat().st_mode) == 0o700


def test_a_link_in_place_of_the_folder_is_refused(
    paths: DataPaths, sources: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    paths.ensure_root()
    folder_of(paths).symlink_to(elsewhere)
    with pytest.raises(AttachmentError, match="not a folder"):
        attachments.store(paths, source_file(sources, b"x"))
    assert list(elsewhere.iterdir()) == []


# ── damage of every kind ──────────────────────────────────────────────────────────────────────


@pytest.fixture
def three_chunks(paths: DataPaths, sources: Path) -> Stored:
    """A stored file of two full chunks and a short last one."""
    return attachments.store(paths, source_file(sources, pattern(2 * CHUNK + 1000)))


SPAN = CHUNK + TAG_BYTES


def rewrite(paths: DataPaths, stored: Stored, change: Callable[[bytes], bytes]) -> None:
    path = stored_path(paths, stored)
    path.write_bytes(change(path.read_bytes()))


def flipped(offset: int) -> Callable[[bytes], bytes]:
    def change(raw: bytes) -> bytes:
        out = bytearray(raw)
        out[offset if offset >= 0 else len(out) + offset] ^= 0x80
        return bytes(out)

    return change


@pytest.mark.parametrize(
    "offset",
    [0, 4, 5, 8, 9, HEADER_BYTES - 1,  # magic, version, chunk size, nonce prefix
     HEADER_BYTES, HEADER_BYTES + LENGTH_BYTES - 1,  # chunk 0: the encrypted length
     HEADER_BYTES + LENGTH_BYTES, HEADER_BYTES + CHUNK - 1, HEADER_BYTES + CHUNK,  # data, tag
     HEADER_BYTES + SPAN + 12345,  # chunk 1
     HEADER_BYTES + 2 * SPAN + 100, -TAG_BYTES - 1, -1],  # the last chunk's data, padding, tag
    ids=["magic", "version", "chunk-size-high", "chunk-size-low", "nonce-prefix", "prefix-end",
         "length-high", "length-low", "chunk0-first", "chunk0-last", "chunk0-tag", "chunk1",
         "last-data", "last-padding", "last-tag"],
)
def test_any_flipped_byte_is_refused(paths: DataPaths, three_chunks: Stored, offset: int) -> None:
    rewrite(paths, three_chunks, flipped(offset))
    assert damaged_reason(paths, three_chunks) == "damaged"


def test_a_chunk_is_handed_on_only_once_it_is_authenticated(
    paths: DataPaths, three_chunks: Stored
) -> None:
    original = contents(paths, three_chunks)
    rewrite(paths, three_chunks, flipped(HEADER_BYTES + SPAN + 5))  # damage in chunk 1
    received: list[bytes] = []
    with pytest.raises(DamagedAttachmentError), attachments.open_plain(
        paths, three_chunks.blob, three_chunks.key
    ) as chunks:
        received.extend(chunks)
    assert received == [original[: CHUNK - LENGTH_BYTES]]  # chunk 0 (after the length)


@pytest.mark.parametrize(
    "change",
    [
        lambda raw: raw[: HEADER_BYTES + 2 * SPAN],  # the last chunk dropped
        lambda raw: raw[: HEADER_BYTES + SPAN],  # the last two dropped
        lambda raw: raw[: HEADER_BYTES + SPAN + 500],  # cut in the middle of a chunk
        lambda raw: raw[:-1],  # the last byte of the tag
        lambda raw: raw[: HEADER_BYTES + 10],  # less than a tag
        lambda raw: raw[:HEADER_BYTES],  # the header alone
        lambda raw: raw[:10],  # part of the header
        lambda raw: b"",  # emptied
        lambda raw: raw + b"\x00",  # a byte added
        lambda raw: raw + raw[HEADER_BYTES + 2 * SPAN :],  # the last chunk repeated
        # chunks 0 and 1 swapped
        lambda raw: raw[:HEADER_BYTES] + raw[HEADER_BYTES + SPAN : HEADER_BYTES + 2 * SPAN]
        + raw[HEADER_BYTES : HEADER_BYTES + SPAN] + raw[HEADER_BYTES + 2 * SPAN :],
        # chunk 0 repeated in place of chunk 1
        lambda raw: raw[: HEADER_BYTES + SPAN] + raw[HEADER_BYTES : HEADER_BYTES + SPAN]
        + raw[HEADER_BYTES + 2 * SPAN :],
        # chunk 0 duplicated (one chunk more)
        lambda raw: raw[: HEADER_BYTES + SPAN] + raw[HEADER_BYTES:],
        # a header that claims half-size chunks
        lambda raw: raw[:5] + (CHUNK // 2).to_bytes(4, "big") + raw[9:],
        # version 1 (never released, unpadded) and version 3
        lambda raw: raw[:4] + b"\x01" + raw[5:],
        lambda raw: raw[:4] + b"\x03" + raw[5:],
    ],
    ids=["drop-last", "drop-two", "cut-mid-chunk", "cut-tag", "short-of-a-tag", "header-only",
         "part-header", "empty", "byte-added", "last-repeated", "swap-0-1", "0-in-place-of-1",
         "0-duplicated", "chunk-size", "version-1", "version-3"],
)
def test_truncation_and_reordering_are_refused(
    paths: DataPaths, three_chunks: Stored, change: Callable[[bytes], bytes]
) -> None:
    rewrite(paths, three_chunks, change)
    assert damaged_reason(paths, three_chunks) == "damaged"


def test_an_empty_file_cut_or_extended_is_refused(paths: DataPaths, sources: Path) -> None:
    empty = attachments.store(paths, source_file(sources, b""))
    rewrite(paths, empty, lambda raw: raw[:HEADER_BYTES])
    assert damaged_reason(paths, empty) == "damaged"
    other = attachments.store(paths, source_file(sources, b""))
    rewrite(paths, other, lambda raw: raw + raw[HEADER_BYTES:])  # a second empty chunk
    assert damaged_reason(paths, other) == "damaged"


def test_swapped_files_and_wrong_keys_are_refused(paths: DataPaths, sources: Path) -> None:
    first = attachments.store(paths, source_file(sources, pattern(1000, 1)))
    second = attachments.store(paths, source_file(sources, pattern(1000, 2)))
    a, b = stored_path(paths, first), stored_path(paths, second)
    a_bytes, b_bytes = a.read_bytes(), b.read_bytes()
    a.write_bytes(b_bytes)
    b.write_bytes(a_bytes)
    assert damaged_reason(paths, first) == "damaged"
    assert damaged_reason(paths, second) == "damaged"
    a.write_bytes(a_bytes)
    b.write_bytes(b_bytes)
    assert contents(paths, first) == pattern(1000, 1)
    fresh_key = base64.b64encode(os.urandom(32)).decode()
    for key in (fresh_key, second.key, "not base64!", base64.b64encode(b"short").decode(), ""):
        assert damaged_reason(paths, Stored(first.blob, key, first.sha256, first.size)) == (
            "damaged"
        )


def test_a_missing_file_and_a_record_that_does_not_match(
    paths: DataPaths, sources: Path
) -> None:
    stored = attachments.store(paths, source_file(sources, b"evidence"))
    blob, key, sha = stored.blob, stored.key, stored.sha256
    assert attachments.verify(paths, blob, key, sha.upper(), 8) is None
    assert attachments.verify(paths, blob, key, sha, 9) == "changed since it was added"
    wrong_sha = hashlib.sha256(b"other").hexdigest()
    assert attachments.verify(paths, blob, key, wrong_sha, 8) == "changed since it was added"
    out = io.BytesIO()
    with pytest.raises(DamagedAttachmentError) as caught:
        attachments.copy_out(paths, blob, key, wrong_sha, out)
    assert caught.value.reason == "changed since it was added"
    assert caught.value.status == ExitStatus.VAULT_UNREADABLE
    assert isinstance(caught.value, StorageError)
    attachments.remove(paths, blob)
    assert attachments.verify(paths, blob, key, sha, 8) == "missing"
    assert attachments.verify(paths, blob, "not a key", sha, 8) == "missing"
    with pytest.raises(DamagedAttachmentError, match="missing") as missing:
        attachments.copy_out(paths, blob, key, sha, out)
    assert missing.value.reason == "missing"
    attachments.remove(paths, blob)  # missing is fine


def test_names_that_are_not_ours_are_never_used_as_paths(paths: DataPaths, sources: Path) -> None:
    stored = attachments.store(paths, source_file(sources, b"x"))
    paths.vault.write_bytes(b"pretend vault")
    for name in ("../vault.bin", "/etc/passwd", stored.blob.upper(), "", "..", stored.blob + "/"):
        attachments.remove(paths, name)
        assert attachments.verify(paths, name, stored.key, stored.sha256, 1) == "damaged"
    assert paths.vault.read_bytes() == b"pretend vault"
    assert contents(paths, stored) == b"x"


def test_a_link_or_fifo_in_place_of_a_stored_file_is_refused(
    paths: DataPaths, sources: Path
) -> None:
    stored = attachments.store(paths, source_file(sources, b"x"))
    path = stored_path(paths, stored)
    path.unlink()
    os.mkfifo(path)
    started = time.monotonic()
    assert damaged_reason(paths, stored) == "damaged"
    assert time.monotonic() - started < 2
    path.unlink()
    path.symlink_to(source_file(sources, b"x", "plain.txt"))
    assert damaged_reason(paths, stored) == "damaged"


# ── sources that cannot be used, or change while they are copied ──────────────────────────────


def test_a_fifo_a_folder_a_device_and_a_missing_file_are_refused_at_once(
    paths: DataPaths, sources: Path
) -> None:
    fifo = sources / "pipe"
    os.mkfifo(fifo)
    for source in (fifo, sources, Path("/dev/null"), sources / "not-there.jpg"):
        started = time.monotonic()
        with pytest.raises(BadInputError) as caught:
            attachments.store(paths, source)
        assert time.monotonic() - started < 1
        assert caught.value.status == ExitStatus.BAD_INPUT
        assert not isinstance(caught.value, SourceChangedError)
    assert files_in(paths) == []


def test_a_fifo_swapped_in_after_the_check_is_never_read(
    paths: DataPaths, sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = sources / "pipe"
    os.mkfifo(fifo)
    real_stat = Path.stat
    regular = real_stat(source_file(sources, b"x"))

    def looks_regular(self: Path, **kwargs: Any) -> os.stat_result:
        return regular if self == fifo else real_stat(self, **kwargs)

    monkeypatch.setattr(Path, "stat", looks_regular)  # the FIFO appears after the first look
    old = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the FIFO blocked"))
    signal.alarm(5)
    try:
        with pytest.raises(BadInputError, match="not an ordinary file"):
            attachments.store(paths, fifo)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert files_in(paths) == []


def changing_source(
    monkeypatch: pytest.MonkeyPatch, change: Callable[[], None], on_call: int = 2
) -> None:
    """Make ``change`` happen just before the ``on_call``-th read of the source."""
    real = attachments._read_exact
    calls = {"n": 0}

    def reading(fd: int, n: int) -> bytes:
        calls["n"] += 1
        if calls["n"] == on_call:
            change()
        return real(fd, n)

    monkeypatch.setattr(attachments, "_read_exact", reading)


def appended(path: Path, data: bytes = b"more") -> Callable[[], None]:
    def change() -> None:
        with path.open("ab") as handle:
            handle.write(data)

    return change


def rewritten_in_place(path: Path) -> Callable[[], None]:
    def change() -> None:
        with path.open("r+b") as handle:
            handle.seek(-4, os.SEEK_END)
            handle.write(b"EDIT")

    return change


def shortened(path: Path) -> Callable[[], None]:
    def change() -> None:
        with path.open("r+b") as handle:
            handle.truncate(CHUNK + 10)

    return change


def replaced(path: Path) -> Callable[[], None]:
    def change() -> None:
        fresh = path.with_name("downloading.part")
        fresh.write_bytes(path.read_bytes()[::-1])
        fresh.replace(path)

    return change


@pytest.mark.parametrize("how", [appended, rewritten_in_place, shortened, replaced])
@pytest.mark.parametrize("on_call", [1, 2, 3], ids=["first", "middle", "last"])
def test_a_source_that_changes_while_copied_is_refused_and_nothing_is_left(
    paths: DataPaths,
    sources: Path,
    monkeypatch: pytest.MonkeyPatch,
    how: Callable[[Path], Callable[[], None]],
    on_call: int,
) -> None:
    source = source_file(sources, pattern(3 * CHUNK))
    an_hour_ago = time.time() - 3600
    os.utime(source, (an_hour_ago, an_hour_ago))  # so any write shows in the time
    changing_source(monkeypatch, how(source), on_call)
    with pytest.raises(SourceChangedError) as caught:
        attachments.store(paths, source)
    assert caught.value.status == ExitStatus.BAD_INPUT
    assert "changed while it was being copied" in caught.value.message
    assert files_in(paths) == []


def test_a_source_growing_in_another_thread_is_refused(
    paths: DataPaths, sources: Path
) -> None:
    import threading

    source = source_file(sources, pattern(32 * CHUNK))  # a tenth of a second to copy
    stop = threading.Event()

    def download() -> None:
        with source.open("ab") as handle:
            while not stop.is_set():
                handle.write(b"x" * 4096)
                handle.flush()
                time.sleep(0.001)

    writer = threading.Thread(target=download)
    writer.start()
    try:
        time.sleep(0.01)
        with pytest.raises(SourceChangedError):
            attachments.store(paths, source)
    finally:
        stop.set()
        writer.join()
    assert files_in(paths) == []


def test_ctrl_c_while_copying_leaves_nothing(
    paths: DataPaths, sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt() -> None:
        raise KeyboardInterrupt

    changing_source(monkeypatch, interrupt, 2)
    with pytest.raises(KeyboardInterrupt):
        attachments.store(paths, source_file(sources, pattern(3 * CHUNK)))
    assert files_in(paths) == []


# ── a full disk ───────────────────────────────────────────────────────────────────────────────


class FullDisk:
    """ENOSPC (or EDQUOT) at one step of writing an attachment's temp file; nothing else fails."""

    def __init__(self, step: str, code: int = errno.ENOSPC, after: int = 0) -> None:
        self.step = step  # "create", "write", "partial", "fsync", "rename"
        self.code = code
        self.after = after  # writes that succeed first
        self.fds: set[int] = set()
        self.triggered = False
        self.real_open = os.open
        self.real_write = os.write
        self.real_fsync = os.fsync
        self.real_rename = os.rename

    @staticmethod
    def _ours(path: object) -> bool:
        return bool(re.fullmatch(r"\.[0-9a-f]{32}\.tmp", Path(str(path)).name))

    def _fail(self) -> OSError:
        self.triggered = True
        return OSError(self.code, os.strerror(self.code))

    def open(self, path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
        if self._ours(path) and self.step == "create":
            raise self._fail()
        fd = self.real_open(path, flags, mode, **kw)
        if self._ours(path):
            self.fds.add(fd)
        return fd

    def write(self, fd: int, data: Any) -> int:
        if fd in self.fds and self.step in ("write", "partial"):
            if self.after > 0:
                self.after -= 1
                return self.real_write(fd, data)
            if self.step == "partial" and not self.triggered:
                self.triggered = True
                return self.real_write(fd, bytes(data)[: max(1, len(data) // 2)])
            raise self._fail()
        return self.real_write(fd, data)

    def fsync(self, fd: int) -> None:
        if fd in self.fds and self.step == "fsync":
            raise self._fail()
        self.real_fsync(fd)

    def rename(self, src: Any, dst: Any, **kw: Any) -> None:
        if self._ours(src) and self.step == "rename":
            raise self._fail()
        self.real_rename(src, dst, **kw)


@pytest.mark.parametrize(
    "case",
    [("create", 0, errno.ENOSPC), ("write", 0, errno.ENOSPC), ("write", 2, errno.ENOSPC),
     ("partial", 1, errno.ENOSPC), ("fsync", 0, errno.ENOSPC), ("write", 1, errno.EDQUOT),
     ("rename", 0, errno.ENOSPC)],
    ids=["create", "header", "third-chunk", "half-a-chunk", "fsync", "quota", "rename"],
)
def test_a_full_disk_is_said_plainly_and_leaves_no_file(
    paths: DataPaths, sources: Path, monkeypatch: pytest.MonkeyPatch, case: tuple[str, int, int]
) -> None:
    step, after, code = case
    source = source_file(sources, pattern(3 * CHUNK))
    disk = FullDisk(step, code, after)
    for name in ("open", "write", "fsync", "rename"):
        monkeypatch.setattr(os, name, getattr(disk, name))
    with pytest.raises(AttachmentError) as caught:
        attachments.store(paths, source)
    monkeypatch.undo()
    assert disk.triggered
    assert isinstance(caught.value, StorageError)
    assert caught.value.status == ExitStatus.STORAGE_FAILED
    assert "disk is full" in caught.value.message and "Nothing was added" in caught.value.message
    assert files_in(paths) == []
    assert contents(paths, attachments.store(paths, source)) == source.read_bytes()  # then fine


@pytest.mark.parametrize("step", ["create", "write", "fsync", "rename"])
def test_a_folder_that_cannot_be_written_is_said_plainly(
    paths: DataPaths, sources: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    disk = FullDisk(step, errno.EACCES)  # as root, permissions alone would not stop the write
    for name in ("open", "write", "fsync", "rename"):
        monkeypatch.setattr(os, name, getattr(disk, name))
    with pytest.raises(AttachmentError) as caught:
        attachments.store(paths, source_file(sources, b"x"))
    monkeypatch.undo()
    assert caught.value.status == ExitStatus.STORAGE_FAILED
    assert "could not save the file" in caught.value.message
    assert "Permission denied" in caught.value.message
    assert "disk is full" not in caught.value.message
    assert files_in(paths) == []


# ── a kill mid-way ────────────────────────────────────────────────────────────────────────────

STORE_SCRIPT = """
import sys
from pathlib import Path
from safetykit.storage import attachments
from safetykit.storage.paths import DataPaths
stored = attachments.store(DataPaths(Path(sys.argv[1])), Path(sys.argv[2]))
print(stored.blob, flush=True)
"""


def temp_files(paths: DataPaths) -> list[Path]:
    folder = folder_of(paths)
    return sorted(folder.glob(".*.tmp")) if folder.exists() else []


def test_sigkill_during_store_leaves_only_a_temp_file_that_sweep_removes(
    paths: DataPaths, tmp_path: Path
) -> None:
    big = tmp_path / "big.mov"
    size = 256 * MiB
    with big.open("wb") as handle:
        handle.truncate(size)  # sparse: read fast, nothing on disk
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "PYTHONPATH": str(REPO),
        "PYTHONDONTWRITEBYTECODE": "1",
        "SAFETYKIT_HOME": str(paths.root),
    }
    kills = 0
    for threshold in (1, 8 * MiB, 48 * MiB):
        child = subprocess.Popen(
            [sys.executable, "-c", STORE_SCRIPT, str(paths.root), str(big)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        try:
            while time.monotonic() < deadline and child.poll() is None:
                written = sum(p.stat().st_size for p in temp_files(paths) if p.exists())
                if written >= threshold:
                    child.send_signal(signal.SIGKILL)
                    kills += 1
                    break
                time.sleep(0.0005)
        finally:
            with contextlib.suppress(ProcessLookupError):
                child.kill()
            out, err = child.communicate()
        named = [n for n in files_in(paths) if NEUTRAL.fullmatch(n)]
        if child.returncode == -signal.SIGKILL:
            assert named == [], "a killed copy left a named file"
            assert len(temp_files(paths)) == 1
            assert 0 < temp_files(paths)[0].stat().st_size < expected_stored_size(size)
            # a copy under way in another window (a young temp file) is left alone
            assert attachments.sweep(paths, set()) == 0
            assert attachments.sweep(paths, set(), older_than=0) == 1
        else:  # finished before the kill landed: then it is whole
            assert child.returncode == 0, err.decode()
            assert named == [out.decode().strip()]
            assert stored_path_size(paths, named[0]) == expected_stored_size(size)
            attachments.remove(paths, named[0])
        assert files_in(paths) == []
    assert kills >= 2


def stored_path_size(paths: DataPaths, blob: str) -> int:
    return (folder_of(paths) / blob).stat().st_size


# ── sweep, remove, wipe ───────────────────────────────────────────────────────────────────────


def age(path: Path, seconds: float) -> None:
    when = time.time() - seconds
    os.utime(path, (when, when))


def test_sweep_keeps_referenced_and_young_files_and_foreign_names(
    paths: DataPaths, sources: Path
) -> None:
    kept = attachments.store(paths, source_file(sources, b"kept"))
    orphan = attachments.store(paths, source_file(sources, b"orphan"))
    young = attachments.store(paths, source_file(sources, b"young orphan"))
    folder = folder_of(paths)
    old_temp = folder / f".{'a' * 32}.tmp"
    young_temp = folder / f".{'b' * 32}.tmp"
    foreign = [folder / "notes.txt", folder / ("C" * 32), folder / ("d" * 31)]
    for path in (old_temp, young_temp, *foreign):
        path.write_bytes(b"x")
    (folder / ("e" * 32)).mkdir()  # a folder with one of our names: never touched
    for path in (stored_path(paths, kept), stored_path(paths, orphan), old_temp, *foreign):
        age(path, 7200)
    assert attachments.sweep(paths, {kept.blob}) == 2
    left = set(files_in(paths))
    assert left == {kept.blob, young.blob, young_temp.name, "e" * 32, *(p.name for p in foreign)}
    assert attachments.sweep(paths, [kept.blob], older_than=0) == 2  # young ones, if asked
    assert contents(paths, kept) == b"kept"
    assert attachments.sweep(DataPaths(paths.root / "nowhere"), ()) == 0


def test_all_files_and_remove(paths: DataPaths, sources: Path) -> None:
    assert attachments.all_files(paths) == []
    stored = attachments.store(paths, source_file(sources, b"x"))
    temp = folder_of(paths) / f".{'a' * 32}.tmp"
    temp.write_bytes(b"x")
    assert attachments.all_files(paths) == sorted([stored_path(paths, stored), temp])
    attachments.remove(paths, stored.blob)
    assert attachments.all_files(paths) == [temp]


def test_wipe_removes_every_attached_file_and_the_folder(
    paths: DataPaths, sources: Path
) -> None:
    create_vault(paths, "keyring")
    stored = [attachments.store(paths, source_file(sources, pattern(n))) for n in (0, 10, CHUNK)]
    (folder_of(paths) / f".{'a' * 32}.tmp").write_bytes(b"killed copy")
    (folder_of(paths) / "stray").write_bytes(b"?")
    result = wipe(paths)
    assert all(str(stored_path(paths, s)) in result.removed for s in stored)
    assert not paths.root.exists()


def test_wipe_keeps_the_data_folder_when_something_else_is_in_it(
    paths: DataPaths, sources: Path, tmp_path: Path
) -> None:
    create_vault(paths, "keyring")
    attachments.store(paths, source_file(sources, b"x"))
    (paths.root / "mine.txt").write_bytes(b"the person's own file")
    wipe(paths)
    assert sorted(p.name for p in paths.root.iterdir()) == ["mine.txt"]


def test_wipe_removes_a_link_in_place_of_the_folder_but_nothing_it_points_to(
    paths: DataPaths, tmp_path: Path
) -> None:
    create_vault(paths, "keyring")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ("a" * 32)).write_bytes(b"not safetykit's")
    folder_of(paths).symlink_to(elsewhere)
    wipe(paths)
    assert not paths.root.exists()
    assert (elsewhere / ("a" * 32)).read_bytes() == b"not safetykit's"
