"""A stand-in for ``adb``, for the end-to-end tests: it answers from recorded output.

Put on ``PATH`` as ``adb`` (or named by ``SAFETYKIT_ADB``) through a small launcher
(``install``). It reads, on every call:

- ``FAKE_ADB_DEVICES``: a file holding what ``adb devices -l`` prints (read afresh each time,
  so a test can plug a phone in, or let it allow this computer, between two questions);
- ``FAKE_ADB_PHONE``: a folder under ``tests/fixtures/adb/`` with a file per phone command;
- ``FAKE_ADB_LOG``: where every argument list it was given is appended, one JSON list a line;
- ``FAKE_ADB_HANG``: a phone command (words joined by spaces) that never answers;
- ``FAKE_ADB_GONE_AFTER``: after this many phone commands, the phone is "unplugged".

Errors are worded and coded as adb's own (``error: device 'X' not found``, exit 1).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "adb"


def file_name(command: list[str]) -> str:
    if command and command[0] == "ls":
        return "ls_su.txt"
    return "_".join(part.replace("/", "") for part in command) + ".txt"


def _state(devices: str, serial: str) -> str | None:
    for line in devices.splitlines()[1:]:
        parts = line.split()
        if parts and parts[0] == serial:
            return parts[1] if len(parts) > 1 else None
    return None


def _count(log: str | None) -> int:
    if not log or not Path(log).exists():
        return 0
    return sum(1 for line in Path(log).read_text().splitlines() if '"shell"' in line)


def main(argv: list[str]) -> int:
    log = os.environ.get("FAKE_ADB_LOG")
    if log:
        with Path(log).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(argv) + "\n")
    devices_file = os.environ.get("FAKE_ADB_DEVICES")
    devices = Path(devices_file).read_text() if devices_file else "List of devices attached\n\n"
    if argv == ["version"]:
        print("Android Debug Bridge version 1.0.41\nVersion 35.0.2-12147458\n"
              "Installed as /usr/lib/android-sdk/platform-tools/adb")
        return 0
    if argv == ["devices", "-l"]:
        sys.stdout.write(devices)
        return 0
    if len(argv) < 4 or argv[0] != "-s" or argv[2] != "shell":
        print(f"adb: unknown command {argv[0] if argv else ''}", file=sys.stderr)
        return 1
    serial, command = argv[1], argv[3:]
    state = _state(devices, serial)
    gone_after = os.environ.get("FAKE_ADB_GONE_AFTER")
    if gone_after and _count(log) > int(gone_after):
        state = None
    if state is None:
        print(f"adb: device '{serial}' not found", file=sys.stderr)
        return 1
    if state == "unauthorized":
        print("error: device unauthorized.\nThis adb server's $ADB_VENDOR_KEYS is not set\n"
              "Try 'adb kill-server' if that seems wrong.\n"
              "Otherwise check for a confirmation dialog on your device.", file=sys.stderr)
        return 1
    if state == "offline":
        print("error: device offline", file=sys.stderr)
        return 1
    if " ".join(command) == os.environ.get("FAKE_ADB_HANG"):
        time.sleep(120)
    phone = FIXTURES / os.environ.get("FAKE_ADB_PHONE", "empty")
    answer = phone / file_name(command)
    if answer.is_file():
        sys.stdout.buffer.write(answer.read_bytes())
    return 0


def install(folder: Path, name: str = "adb") -> Path:
    """An executable ``folder/name`` that runs this stand-in with the tests' Python."""
    folder.mkdir(parents=True, exist_ok=True)
    launcher = folder / name
    launcher.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, "
                        f"{str(Path(__file__).resolve().parents[1])!r})\n"
                        "from tests.fake_adb import main\nsys.exit(main(sys.argv[1:]))\n")
    launcher.chmod(0o755)
    return launcher


def devices_text(*phones: tuple[str, str, str]) -> str:
    """``adb devices -l`` output for (serial, state, model) triples."""
    rows: list[str] = []
    for serial, state, model in phones:
        extra = f" product:x model:{model.replace(' ', '_')} device:x" if state == "device" else ""
        rows.append(f"{serial:<22} {state} usb:1-4{extra} transport_id:{len(rows) + 1}")
    return "List of devices attached\n" + "".join(r + "\n" for r in rows) + "\n"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
