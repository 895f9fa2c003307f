"""Benchmark the incident log: unlocking and listing a large log, and exporting all of it.

Makes a passphrase vault in a temporary folder (removed afterwards) holding 2,000 entries of
realistic size (a summary, a few sentences to a few paragraphs of what happened, some of their
words, witnesses and police details on some; one in ten with names in Arabic, Chinese,
Russian, Vietnamese, Hindi or Hebrew; one in seven changed once) and 300 attached files of
50-500 KB of random bytes, stored as ``log attach`` stores them. Prints:

1. unlocking: scrypt alone (the passphrase's cost, fixed by design) and ``open_vault`` with
   the passphrase (scrypt, reading, decrypting, parsing); then listing (the log's model from
   the state, oldest first, one row per entry). Target: unlock + list < 1 s.
2. a PDF of everything (checking the 300 files, building the document, setting the PDF).
   Target: < 15 s on 2 cores.
3. a ZIP of everything (PDF, CSV, the 300 files, SHA256SUMS).
4. the vault file's size next to ``MAX_VAULT_BYTES``.

Everything is generated from a fixed seed, so runs are comparable.

    python benchmarks/log.py [--entries 2000] [--files 300] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safetykit.content.log import load_log
from safetykit.core.log import Attachment, LogState, clean_fields
from safetykit.flows.log_export import (
    Choice,
    attachment_statuses,
    build,
    render,
    write_export,
)
from safetykit.render.destinations import check_destination
from safetykit.storage import attachments, sealed
from safetykit.storage.paths import DataPaths
from safetykit.storage.vault import MAX_VAULT_BYTES, create_vault, open_vault, read_sealed

SEED = 20261126
PASSPHRASE = "lantern orbit velvet canyon thistle 4417"  # noqa: S105 - a throw-away vault
WORDS = " ".join((
    "he came to the door again and would not leave when I asked him to go away he said he",
    "knew where I was working now and that he would wait for me outside the building after my",
    "shift my neighbour saw his car parked across the street for most of the evening I did not",
    "answer the phone but he kept calling from a number I did not recognise the messages said",
    "I would regret ignoring him and that everyone would see the pictures",
)).split(" ")
NAMES = ("Maria López", "Jordan Smith", "Aisha Khan", "Tom Becker", "Priya Patel", "Sam Lee")
FAR_NAMES = ("محمد العلي", "王芳", "Наталья Иванова", "Nguyễn Thị Lan", "अनीता शर्मा", "דנה כהן")
PLACES = ("Outside my flat", "Elm Street car park", "Work reception", "Corner shop",
          "Bus stop on 5th Avenue", "My parents' house", "School gate")
PLATFORMS = ("SMS", "WhatsApp", "Instagram", "Email", "Facebook Messenger", "Snapchat")


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def paragraphs(rng: random.Random) -> str:
    return "\n\n".join(
        " ".join(sentence(rng, 8, 22) for _ in range(rng.randint(1, 5)))
        for _ in range(rng.randint(1, 3))
    )


def make_fields(rng: random.Random, n: int, kinds: list[str]) -> dict[str, Any]:
    day = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))
    when = day + datetime.timedelta(minutes=n * 397 + rng.randint(0, 300))
    far = n % 10 == 3
    raw: dict[str, Any] = {
        "occurred_at": when.date().isoformat() if n % 9 == 0 else when.isoformat(),
        "approximate": n % 5 == 0,
        "kind": rng.choice(kinds),
        "summary": sentence(rng, 4, 10)[:120],
        "location": (rng.choice(FAR_NAMES) + " — " if far else "") + rng.choice(PLACES),
        "platform": rng.choice(PLATFORMS) if n % 3 == 0 else "",
        "what_happened": paragraphs(rng),
        "their_words": sentence(rng, 6, 30) if n % 2 == 0 else "",
        "witnesses": [{"name": rng.choice(FAR_NAMES if far else NAMES), "contact": "555-0142"}]
        if n % 4 == 0 else [],
        "actions": rng.sample(["Blocked them", "Told the police", "Saved screenshots or copies",
                               "Told someone I trust"], k=rng.randint(0, 2)),
        "tags": rng.sample(["car", "home", "work", "night", "phone"], k=rng.randint(0, 2)),
        "effect": sentence(rng, 5, 15) if n % 3 == 1 else "",
    }
    if n % 8 == 0:
        raw["police"] = {"called": True, "agency": "Springfield PD", "officer": "Officer Reyes",
                         "badge": str(4000 + n), "report_number": f"24-{n:05d}"}
    if n % 10 == 0:
        later = when + datetime.timedelta(hours=2, days=0 if "T" in raw["occurred_at"] else 1)
        raw["occurred_until"] = later.isoformat() if "T" in raw["occurred_at"] \
            else later.date().isoformat()
        raw["when_note"] = "evening, after work"
    return clean_fields(raw, kinds)


def fill(vault_root: Path, entries: int, files: int, rng: random.Random) -> DataPaths:
    paths = DataPaths(vault_root)
    vault = create_vault(paths, "passphrase", PASSPHRASE)
    kinds = [k.id for k in load_log().kinds]
    made = [make_fields(rng, n, kinds) for n in range(entries)]

    def add_all(log: LogState) -> None:
        for n, fields in enumerate(made):
            log.add(fields, f"2025-01-01T09:{n % 60:02d}:00+00:00")
        for n in range(0, entries, 7):
            changed = dict(log.entries[n].fields)
            changed["location"] = "Corrected: " + str(changed["location"])
            log.change(log.entries[n].id, changed, "2025-02-01T10:00:00+00:00")

    vault.update(LogState, add_all)
    records: list[tuple[int, Attachment]] = []
    with tempfile.TemporaryDirectory() as sources:
        for n in range(files):
            source = Path(sources) / f"screenshot-{n:03d}.png"
            source.write_bytes(rng.randbytes(rng.randint(50_000, 500_000)))
            stored = attachments.store(paths, source)
            source.unlink()
            records.append((rng.randint(1, entries), Attachment(
                id=f"{n:012x}", name=source.name, size=stored.size, sha256=stored.sha256,
                type="image/png", added_at="2025-01-02T10:00:00+00:00", note="", blob=stored.blob,
                key=stored.key)))

    def attach_all(log: LogState) -> None:
        for entry_id, record in records:
            log.attach(entry_id, record)

    vault.update(LogState, attach_all)
    return paths


def timed(label: str, results: list[tuple[str, float]], action: Any) -> Any:
    start = time.perf_counter()
    value = action()
    results.append((label, time.perf_counter() - start))
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="Profile the PDF export.")
    args = parser.parse_args()
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"Making {args.entries:,} entries and {args.files} attached files...", flush=True)
        paths = fill(root / "data", args.entries, args.files, rng)
        results: list[tuple[str, float]] = []

        found = read_sealed(paths)
        if found is None or found.header.kdf is None:
            raise SystemExit("the benchmark vault was not written")
        kdf = found.header.kdf
        timed("scrypt alone (the passphrase's cost)", results,
              lambda: sealed.derive_key(PASSPHRASE, kdf))
        vault = timed("unlock: open_vault with the passphrase", results,
                      lambda: open_vault(paths, PASSPHRASE))
        if vault is None:
            raise SystemExit("the benchmark vault was not found")

        def listing() -> int:
            log = LogState.from_state(vault.section("log"))
            return len([e.listing() for e in log.in_order()])

        rows = timed("list: model, oldest first, rows", results, listing)
        if rows != args.entries:
            raise SystemExit(f"listed {rows} entries, not {args.entries}")
        unlock = results[1][1] - results[0][1]
        results.append(("unlock without scrypt + list", unlock + results[2][1]))

        out = root / "out"
        out.mkdir(mode=0o700)
        log = vault.read(LogState)
        entries = log.select()
        statuses = timed("PDF: check every attached file", results,
                         lambda: attachment_statuses(paths, entries))
        made = datetime.datetime.now().astimezone()
        doc = timed("PDF: build the document", results,
                    lambda: build(entries, Choice("pdf"), statuses, made=made))
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        pdf = timed("PDF: set the PDF", results, lambda: render(doc, "pdf"))
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        timed("PDF export, whole (write_export)", results, lambda: write_export(
            vault, check_destination(out / "log.pdf", "pdf"), Choice("pdf")))
        timed("ZIP export, whole (write_export)", results, lambda: write_export(
            vault, check_destination(out / "log.zip", "zip"), Choice("zip")))
        vault_size = paths.vault.stat().st_size

        print()
        print(f"{args.entries:,} entries, {args.files} attached files "
              f"({sum(a.size for e in entries for a in e.attachments) / 1e6:.1f} MB), "
              f"{os.cpu_count()} cores")
        for label, seconds in results:
            print(f"  {label:<45} {seconds:8.3f} s")
        print(f"  {'PDF size':<45} {len(pdf) / 1e6:8.2f} MB")
        print(f"  {'ZIP size':<45} {(out / 'log.zip').stat().st_size / 1e6:8.2f} MB")
        print(f"  {'vault file':<45} {vault_size / 1e6:8.2f} MB "
              f"({100 * vault_size / MAX_VAULT_BYTES:.1f}% of MAX_VAULT_BYTES, "
              f"{MAX_VAULT_BYTES / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
