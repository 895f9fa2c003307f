"""Running the real program in a pseudo-terminal, pressing keys like a person.

Shared by the end-to-end tests. The program runs as ``python -m safetykit`` from the interpreter
running the tests, against a throw-away Secret Service, with its own data folder and keyring
namespace.
"""

from __future__ import annotations

import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pexpect
from secret_service import SecretServiceSession

KEYS = {
    "up": "\x1b[A",
    "down": "\x1b[B",
    "enter": "\r",
    "space": " ",
    "ctrl-c": "\x03",
}
CLEAR = "\x1b[H\x1b[2J\x1b[3J"


@dataclass
class Program:
    env: dict[str, str]
    home: Path

    def spawn(self, *args: str, columns: int = 100, timeout: float = 20) -> pexpect.spawn:
        return pexpect.spawn(
            sys.executable,
            ["-m", "safetykit", *args],
            env=self.env,
            encoding="utf-8",
            timeout=timeout,
            dimensions=(40, columns),
        )

    def run(self, *args: str, stdin: str = "") -> tuple[int, str, str]:
        import subprocess

        done = subprocess.run(
            [sys.executable, "-m", "safetykit", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return done.returncode, done.stdout, done.stderr


def program(session: SecretServiceSession, tmp: Path) -> Program:
    home = tmp / "data"
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        **session.env,
        "SAFETYKIT_HOME": str(home),
        "SAFETYKIT_KEYRING_SERVICE": f"sk-e2e-{uuid.uuid4().hex[:12]}",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }
    return Program(env, home)
