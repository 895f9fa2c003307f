"""Offline Pwned Passwords lookups: binary search over a sorted file, checked against the data."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetykit.errors import ExitStatus
from safetykit.passwords.pwned_file import PwnedFile, PwnedFileError, sha1_hex

hex40 = st.text(alphabet="0123456789ABCDEF", min_size=40, max_size=40)


def write(
    path: Path,
    pairs: dict[str, int],
    *,
    newline: str = "\r\n",
    lower: bool = False,
    trailing: bool = True,
) -> None:
    lines = [f"{(h.lower() if lower else h)}:{n}" for h, n in sorted(pairs.items())]
    path.write_text(newline.join(lines) + (newline if trailing else ""), encoding="ascii")


def test_sha1_hex_matches_the_published_format() -> None:
    assert sha1_hex("password") == "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"
    assert (
        sha1_hex("pässwörd")
        == hashlib.sha1("pässwörd".encode(), usedforsecurity=False).hexdigest().upper()
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pairs=st.dictionaries(
        hex40, st.integers(min_value=1, max_value=10**9), min_size=1, max_size=300
    ),
    absent=st.lists(hex40, max_size=30),
    newline=st.sampled_from(["\r\n", "\n"]),
    lower=st.booleans(),
    trailing=st.booleans(),
)
def test_every_hash_found_and_absent_ones_zero(  # noqa: PLR0917 - hypothesis arguments
    tmp_path_factory: pytest.TempPathFactory,
    pairs: dict[str, int],
    absent: list[str],
    newline: str,
    lower: bool,
    trailing: bool,
) -> None:
    path = tmp_path_factory.mktemp("pwned") / "pwned.txt"
    write(path, pairs, newline=newline, lower=lower, trailing=trailing)
    ordered = sorted(pairs)
    with PwnedFile(path) as pwned:
        for sha1, count in pairs.items():
            assert pwned.count(sha1) == count
            assert pwned.count(sha1.lower()) == count
        assert pwned.count(ordered[0]) == pairs[ordered[0]]
        assert pwned.count(ordered[-1]) == pairs[ordered[-1]]
        for sha1 in absent:
            assert pwned.count(sha1) == pairs.get(sha1, 0)
        assert pwned.count("0" * 40) == pairs.get("0" * 40, 0)
        assert pwned.count("F" * 40) == pairs.get("F" * 40, 0)


def test_count_password(tmp_path: Path) -> None:
    path = tmp_path / "pwned.txt"
    write(path, {sha1_hex("password"): 9_545_824, sha1_hex("letmein"): 12})
    with PwnedFile(path) as pwned:
        assert pwned.count_password("password") == 9_545_824
        assert pwned.count_password("correct horse battery staple") == 0


def test_lookup_reads_only_a_few_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    pairs = {f"{rng.getrandbits(160):040X}": rng.randint(1, 99) for _ in range(50_000)}
    path = tmp_path / "pwned.txt"
    write(path, pairs)
    with PwnedFile(path) as pwned:
        reads: list[int] = []
        real: Callable[[int], tuple[bytes, int, int]] = pwned._read_line

        def counting(start: int) -> tuple[bytes, int, int]:
            reads.append(start)
            return real(start)

        monkeypatch.setattr(pwned, "_read_line", counting)
        some = sorted(pairs)[12_345]
        assert pwned.count(some) == pairs[some]
    assert len(reads) <= 25  # log2(50,000) is about 16: a search, never a scan


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PwnedFileError) as caught, PwnedFile(tmp_path / "nope.txt"):
        pass
    assert caught.value.reason == "missing"
    assert caught.value.status == ExitStatus.BAD_INPUT


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(PwnedFileError) as caught, PwnedFile(tmp_path):
        pass
    assert caught.value.reason == "missing"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\r\n\r\n",
        b"not a pwned file\r\n",
        b"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8\r\n",
        b"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:12\r\nZZZ\r\n",
        b"5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8:12 extra\r\n",
    ],
)
def test_malformed_ends_are_refused_on_open(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "pwned.txt"
    path.write_bytes(content)
    with pytest.raises(PwnedFileError) as caught, PwnedFile(path):
        pass
    assert caught.value.reason == "malformed"


def test_ntlm_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "pwned.txt"
    path.write_bytes(b"8846F7EAEE8FB117AD06BDD830B7586C:12\r\n")
    with pytest.raises(PwnedFileError, match="NTLM"), PwnedFile(path):
        pass


def test_malformed_line_in_the_middle_is_found_during_search(tmp_path: Path) -> None:
    hashes = [f"{i:040X}" for i in range(0, 2000, 2)]
    lines = [f"{h}:1" for h in hashes]
    lines[500] = "this line is broken"
    path = tmp_path / "pwned.txt"
    path.write_text("\r\n".join(lines) + "\r\n")
    with PwnedFile(path) as pwned, pytest.raises(PwnedFileError) as caught:
        for h in hashes:
            pwned.count(h)
    assert caught.value.reason == "malformed"


def test_first_after_last_is_unsorted_on_open(tmp_path: Path) -> None:
    path = tmp_path / "pwned.txt"
    path.write_text(f"{'F' * 40}:1\r\n{'0' * 40}:2\r\n")
    with pytest.raises(PwnedFileError) as caught, PwnedFile(path):
        pass
    assert caught.value.reason == "unsorted"


def test_unsorted_middle_is_detected_during_search(tmp_path: Path) -> None:
    # Ordered by prevalence, as older downloads offered: ends look fine, the middle does not.
    rng = random.Random(3)
    hashes = sorted(f"{rng.getrandbits(160):040X}" for _ in range(4000))
    middle = hashes[1:-1]
    rng.shuffle(middle)
    lines = [hashes[0], *middle, hashes[-1]]
    path = tmp_path / "pwned.txt"
    path.write_text("".join(f"{h}:1\r\n" for h in lines))
    with PwnedFile(path) as pwned, pytest.raises(PwnedFileError) as caught:
        for h in hashes:
            pwned.count(h)
    assert caught.value.reason == "unsorted"


def test_bad_argument_and_closed_use(tmp_path: Path) -> None:
    path = tmp_path / "pwned.txt"
    write(path, {"A" * 40: 1})
    with PwnedFile(path) as pwned:
        with pytest.raises(ValueError):
            pwned.count("xyz")
        assert "open" in repr(pwned)
    with pytest.raises(RuntimeError):
        pwned.count("A" * 40)


def test_single_line_file_without_newline(tmp_path: Path) -> None:
    path = tmp_path / "pwned.txt"
    path.write_text("A" * 40 + ":7")
    with PwnedFile(path) as pwned:
        assert pwned.count("A" * 40) == 7
        assert pwned.count("B" * 40) == 0
        assert pwned.count("0" * 40) == 0
