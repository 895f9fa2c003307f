"""Benchmark the password audit.

Prints three figures:

1. Seconds to audit a generated 10,000-entry export (parse the CSV text, score every password with
   zxcvbn and the known words, count reuse). Target: 10 s or less on a 2-core machine.
2. Seconds to import the same export as accounts into a passphrase vault (``passwords import``:
   read the file, audit it, judge each login's kind, merge with the accounts already there, save),
   the first time and again (every login then merges with its account). Target: as fast as the
   audit; the merge itself must not grow with the square of the count.
3. The time for 1,000 lookups in a generated, sorted 10-million-line Pwned Passwords file
   (about 460 MB, written to a temporary folder and removed afterwards) next to one linear pass
   over the same file, and how many times faster a lookup is. Target: 1,000 times or more.

Everything is generated from a fixed seed, so runs are comparable. Use ``--entries`` and
``--lines`` for a quicker, smaller run.

    python benchmarks/audit.py [--entries 10000] [--lines 10000000] [--workers N]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import string
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykit.flows.password_commands import audit_export, import_logins
from safetykit.passwords.check import audit_entries
from safetykit.passwords.generate import load_wordlist
from safetykit.passwords.importers import parse_export
from safetykit.passwords.pwned_file import PwnedFile
from safetykit.passwords.records import PasswordsState
from safetykit.storage.paths import DataPaths
from safetykit.storage.vault import create_vault

SEED = 20261124
SITES = [
    "mail.example.com",
    "bank.example.com",
    "shop.example.net",
    "social.example.org",
    "video.example.tv",
    "news.example.com",
    "forum.example.io",
    "games.example.gg",
    "travel.example.com",
    "food.example.net",
    "music.example.fm",
    "photos.example.org",
    "health.example.com",
    "school.example.edu",
    "work.example.biz",
]
KNOWN = ["Rex", "Jordan Smith", "14/03/1990", "2019-06-01", "Springfield", "Tigers"]
HUMAN_BASES = [
    "rex",
    "jordan",
    "tigers",
    "springfield",
    "summer",
    "sunshine",
    "football",
    "princess",
    "dragon",
    "monkey",
    "shadow",
    "master",
    "charlie",
    "hello",
]


def _random_password(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#$%^&*-_"
    return "".join(rng.choice(alphabet) for _ in range(rng.choice((12, 14, 16, 16, 20, 24))))


def _human_password(rng: random.Random, words: tuple[str, ...]) -> str:
    base = rng.choice(HUMAN_BASES) if rng.random() < 0.4 else rng.choice(words)
    if rng.random() < 0.6:
        base = base.capitalize()
    tail = rng.choice(("", "1", "123", "!", str(rng.randint(1960, 2025)), str(rng.randint(0, 99))))
    return base + tail + rng.choice(("", "", "!", "?", "#"))


def _password(rng: random.Random, words: tuple[str, ...]) -> str:
    roll = rng.random()
    if roll < 0.40:
        return _random_password(rng)
    if roll < 0.78:
        return _human_password(rng, words)
    if roll < 0.88:
        return "-".join(rng.choice(words) for _ in range(rng.randint(3, 5)))
    if roll < 0.99:
        return "".join(
            rng.choice(string.ascii_lowercase + string.digits) for _ in range(rng.randint(6, 9))
        )
    return ""  # a passkey-only or single-sign-on entry


def make_export(entries: int, seed: int = SEED) -> tuple[str, float]:
    """A Bitwarden-style CSV export as text, and the share of entries reusing a password."""
    rng = random.Random(seed)
    words = load_wordlist()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "folder",
            "favorite",
            "type",
            "name",
            "notes",
            "fields",
            "reprompt",
            "login_uri",
            "login_username",
            "login_password",
            "login_totp",
        ]
    )
    used: list[str] = []
    reused = 0
    for number in range(entries):
        if used and rng.random() < 0.15:
            password = rng.choice(used)
            reused += 1
        else:
            password = _password(rng, words)
            if password:
                used.append(password)
        site = rng.choice(SITES)
        note = rng.choice(("", "", "security answer: blue", "PIN 1234, ask for\nsupervisor"))
        writer.writerow(
            [
                "",
                "",
                "login",
                f"{site} #{number}",
                note,
                "",
                "0",
                f"https://{site}/login",
                f"user{number}@example.org",
                password,
                "",
            ]
        )
    return out.getvalue(), reused / entries


def _cpu_seconds() -> float:
    """User and system CPU time of this process and its finished child processes."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def bench_audit(entries: int, workers: int | None) -> None:
    text, reuse_share = make_export(entries)
    cpu_before = _cpu_seconds()
    start = time.perf_counter()
    result = parse_export(text)
    rows = audit_entries(result.entries, KNOWN, workers=workers)
    seconds = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu_before
    weak = sum(1 for r in rows if r.weak)
    known = sum(1 for r in rows if r.known_words)
    shared = sum(1 for r in rows if r.reused)
    print(
        f"audit: {entries:,} entries ({reuse_share:.0%} reusing an earlier password) "
        f"in {seconds:.2f} s ({seconds / entries * 1000:.2f} ms per entry)"
    )
    print(f"       weak {weak:,}, with known words {known:,}, sharing a password {shared:,}")
    print(
        f"       CPU time {cpu:.2f} s across this process and its workers "
        f"(wall time is higher when other programs share the cores)"
    )


def bench_import(entries: int) -> None:
    text, _ = make_export(entries)
    with tempfile.TemporaryDirectory(prefix="safetykit-bench-") as folder:
        export = Path(folder) / "export.csv"
        export.write_text(text, encoding="utf-8")
        vault = create_vault(DataPaths(Path(folder) / "data"), "passphrase",
                             "benchmark passphrase only")
        for attempt in ("first", "again"):
            start = time.perf_counter()
            audit = audit_export(export, KNOWN)
            audited = time.perf_counter() - start
            outcome = import_logins(vault, audit)
            seconds = time.perf_counter() - start
            accounts = len(vault.read(PasswordsState).accounts)
            print(
                f"import ({attempt}): {entries:,} rows in {seconds:.2f} s (audit {audited:.2f} s, "
                f"kinds, merge and save {seconds - audited:.2f} s): "
                f"{len(outcome.added):,} added, {len(outcome.merged):,} merged, "
                f"{accounts:,} accounts kept"
            )


def write_pwned_file(path: Path, lines: int, seed: int = SEED) -> list[tuple[str, int]]:
    """Write ``lines`` sorted ``SHA1:COUNT`` lines; return 500 (hash, count) pairs that are in it.

    Hashes are spread evenly over the 160-bit space with a random offset inside each slot, so
    they come out sorted without sorting.
    """
    rng = random.Random(seed)
    step = (1 << 160) // lines
    step_bits = step.bit_length() - 1
    sample = set(rng.sample(range(lines), min(500, lines)))
    present: list[tuple[str, int]] = []
    getrandbits, randint = rng.getrandbits, rng.randint
    with path.open("w", encoding="ascii", newline="") as handle:
        batch: list[str] = []
        for index in range(lines):
            value = index * step + getrandbits(step_bits)
            count = randint(1, 5000)
            line = f"{value:040X}:{count}\r\n"
            batch.append(line)
            if index in sample:
                present.append((line[:40], count))
            if len(batch) == 100_000:
                handle.write("".join(batch))
                batch.clear()
        handle.write("".join(batch))
    return present


def linear_pass(path: Path, target: bytes) -> int:
    """What a scanning checker does: read every line and compare its hash."""
    with path.open("rb") as handle:
        for line in handle:
            if line[:40] == target:
                return int(line[41:])
    return 0


def bench_pwned(lines: int) -> None:
    rng = random.Random(SEED + 1)
    with tempfile.TemporaryDirectory(prefix="safetykit-bench-") as folder:
        path = Path(folder) / "pwned-passwords-sha1-ordered-by-hash.txt"
        start = time.perf_counter()
        present = write_pwned_file(path, lines)
        size = path.stat().st_size
        print(
            f"pwned file: {lines:,} lines, {size / 1e6:,.0f} MB, "
            f"written in {time.perf_counter() - start:.1f} s"
        )
        absent = [f"{rng.getrandbits(160):040X}" for _ in range(1000 - len(present))]
        with PwnedFile(path) as pwned:
            start = time.perf_counter()
            hits = [pwned.count(h) for h, _ in present]
            misses = [pwned.count(h) for h in absent]
            lookups = time.perf_counter() - start
        wrong = sum(1 for (_, want), got in zip(present, hits, strict=True) if got != want)
        wrong += sum(1 for got in misses if got != 0)
        start = time.perf_counter()
        linear_pass(path, absent[0].encode("ascii"))
        scan = time.perf_counter() - start
        per_lookup = lookups / (len(present) + len(absent))
        print(
            f"pwned lookups: {len(present) + len(absent):,} in {lookups:.3f} s "
            f"({per_lookup * 1e6:.1f} µs each, {wrong} wrong answers)"
        )
        print(f"linear pass: {scan:.2f} s for one pass over the file")
        print(
            f"ratio: one lookup is {scan / per_lookup:,.0f}x faster than one linear pass "
            f"(all 1,000 lookups together: {scan / lookups:,.1f}x faster than one pass)"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="scoring processes (default: one per core for large audits)",
    )
    args = parser.parse_args(argv)
    bench_audit(args.entries, args.workers)
    bench_import(args.entries)
    if args.lines > 0:
        bench_pwned(args.lines)


if __name__ == "__main__":
    main()
