"""Interactive speed: launch to the first checklist prompt, and Ctrl-C to exit.

Runs ``safetykit checklist`` in a pseudo-terminal (pexpect) against an existing keyring vault kept
in a throw-away Secret Service (gnome-keyring in a private D-Bus session, from
tests/secret_service.py), so the figures include unlocking through the keyring.

(a) launch -> first prompt: from starting the process until the section menu is fully drawn.
    Target: <= 0.5 s (median).
(b) Ctrl-C -> exit: from sending Ctrl-C at that menu until the process has ended (screen and
    scrollback cleared). Target: <= 0.2 s (median).

The pseudo-terminal answers cursor-position requests (ESC [ 6 n) the way terminal emulators do;
prompt_toolkit otherwise waits up to a second for the answer when a prompt ends, which nobody at
a real terminal ever sees. ``--ignore-cpr`` shows that artefact.

Usage: python benchmarks/interactive.py [--runs N] [--ignore-cpr]
Needs: gnome-keyring, dbus-daemon, pexpect (see tests/secret_service.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pexpect

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.secret_service import (  # noqa: E402 - needs the repository on the path first
    secret_service_unavailable_reason,
    start_secret_service,
)

CPR_REQUEST = re.escape("\x1b[6n")
CPR_ANSWER = "\x1b[5;1R"
MENU_QUESTION = "Where would you like to go"
MENU_LAST_CHOICE = "Talk to someone now"
CLEAR = "\x1b[H\x1b[2J\x1b[3J"
TARGET_FIRST_PROMPT = 0.5
TARGET_CTRL_C = 0.2


def safetykit_command() -> list[str]:
    script = Path(sys.executable).with_name("safetykit")
    if script.exists():
        return [str(script)]
    found = shutil.which("safetykit")
    return [found] if found else [sys.executable, "-m", "safetykit"]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()} ({platform.python_implementation()})"
    )


def wait_for(child: pexpect.spawn, pattern: object, answer_cpr: bool) -> None:
    """Read until ``pattern``, answering cursor-position requests like a terminal would."""
    patterns = [pattern, CPR_REQUEST] if answer_cpr else [pattern]
    while child.expect(patterns, timeout=30) == 1:
        child.send(CPR_ANSWER)


def one_run(command: list[str], env: dict[str, str], answer_cpr: bool) -> tuple[float, float]:
    started = time.perf_counter()
    child = pexpect.spawn(
        command[0], command[1:], env=env, encoding="utf-8", dimensions=(40, 100), timeout=30
    )
    wait_for(child, re.escape(MENU_QUESTION), answer_cpr)
    wait_for(child, re.escape(MENU_LAST_CHOICE), answer_cpr)  # the whole menu is on screen
    shown = time.perf_counter()
    child.send("\x03")
    wait_for(child, pexpect.EOF, answer_cpr)
    ended = time.perf_counter()
    child.close()
    if child.exitstatus != 130 or CLEAR not in (child.before or ""):
        raise RuntimeError(f"unexpected end: exit {child.exitstatus}")
    return shown - started, ended - shown


def describe(name: str, values: list[float], target: float) -> str:
    median = statistics.median(values)
    verdict = "within target" if median <= target else "OVER TARGET"
    return (
        f"{name}: median {median:.3f} s (min {min(values):.3f}, max {max(values):.3f}, "
        f"n={len(values)}); target <= {target} s: {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--ignore-cpr", action="store_true",
        help="do not answer cursor-position requests (shows prompt_toolkit's 1 s wait)",
    )
    args = parser.parse_args()
    reason = secret_service_unavailable_reason()
    if reason is not None:
        sys.exit(f"Cannot run: {reason}")

    with tempfile.TemporaryDirectory(prefix="sk-bench-") as tmp:
        root = Path(tmp)
        session, stop = start_secret_service(root / "secret-service")
        try:
            env = {
                "PATH": os.environ.get("PATH", os.defpath),
                "LANG": "C.UTF-8",
                "TERM": "xterm-256color",
                **session.env,
                "SAFETYKIT_HOME": str(root / "data"),
                "SAFETYKIT_KEYRING_SERVICE": f"sk-bench-{uuid.uuid4().hex[:12]}",
                "SAFETYKIT_LANG": "en",  # the first-use language question is not what is timed
                "SAFETYKIT_REGION": "US",
                "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
                "PYTHONPATH": str(REPO),
            }
            make_vault = (
                "import json, sys\n"
                "from safetykit.storage.paths import default_paths\n"
                "from safetykit.storage.vault import create_vault, write_state\n"
                "vault = create_vault(default_paths(), 'keyring')\n"
                "vault.state['checklist'] = json.loads(sys.stdin.read())\n"
                "write_state(vault, vault.state)\n"
            )
            progress = {"behaviours": ["calls-texts"], "behaviours_answered": True}
            subprocess.run(
                [sys.executable, "-c", make_vault], input=json.dumps(progress), text=True,
                env=env, check=True, timeout=60,
            )
            command = [*safetykit_command(), "checklist"]
            answer_cpr = not args.ignore_cpr
            one_run(command, env, answer_cpr)  # warm the file cache once
            first, ctrl_c = [], []
            for _ in range(args.runs):
                a, b = one_run(command, env, answer_cpr)
                first.append(a)
                ctrl_c.append(b)
        finally:
            stop()

    print(f"Machine: {machine()}")
    print(f"Command: {' '.join(Path(c).name for c in command)} (existing keyring vault)")
    if args.ignore_cpr:
        print("Cursor-position requests left unanswered (not what a real terminal does).")
    print(describe("Launch to first checklist prompt", first, TARGET_FIRST_PROMPT))
    print(describe("Ctrl-C to exit", ctrl_c, TARGET_CTRL_C))


if __name__ == "__main__":
    main()
