"""Running the real program in a pseudo-terminal, pressing keys like a person.

Shared by the end-to-end tests. The program runs as ``python -m safetykit`` from the interpreter
running the tests, against a throw-away Secret Service, with its own data folder and keyring
namespace.

``Term`` is a pexpect child that behaves like a terminal emulator: it answers cursor-position
requests (``ESC [ 6 n``) at once, as terminals do (without an answer prompt_toolkit waits about a
second after every prompt, which nobody at a real terminal ever sees), and it keeps a screen
(pyte) so tests can read what a person would see and pick choices by their label, not by their
position in a menu.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pexpect
import pyte

from tests.secret_service import SecretServiceSession

KEYS = {
    "up": "\x1b[A",
    "down": "\x1b[B",
    "enter": "\r",
    "space": " ",
    "ctrl-c": "\x03",
    "ctrl-d": "\x04",
}
CLEAR = "\x1b[H\x1b[2J\x1b[3J"
CPR_REQUEST = "\x1b[6n"
CPR_ANSWER = "\x1b[5;1R"
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\x1b\][^\x07]*\x07")
# A questionary menu line ("» c) Label" or "  c) Label"), a plain-mode one ("  3. Label").
MENU_LINE = re.compile(r"^\s*(?:»\s*)?([0-9a-z])\) (.+?)\s*$")
PLAIN_LINE = re.compile(r"^\s*([0-9]+|h)\. (.+?)\s*$")
CHECKBOX_LINE = re.compile(r"^\s*(»)?\s*([○●])\s+(.+?)\s*$")


def visible(text: str) -> str:
    """Text as shown, without escape codes."""
    return ANSI.sub("", text.replace(CLEAR, ""))


def _squash(text: str) -> str:
    return " ".join(text.split())


class Term(pexpect.spawn):  # type: ignore[misc]
    """A program in a pseudo-terminal that answers like a terminal emulator and keeps a screen."""

    def __init__(self, *args: Any, columns: int = 100, rows: int = 40, **kwargs: Any) -> None:
        super().__init__(*args, dimensions=(rows, columns), **kwargs)
        self.columns = columns
        self.screen = pyte.Screen(columns, rows)
        self._stream = pyte.Stream(self.screen)
        self.transcript: list[str] = []
        self._tail = ""

    def read_nonblocking(self, size: int = 1, timeout: float | None = -1) -> Any:
        data = super().read_nonblocking(size, timeout)
        if isinstance(data, str) and data:
            self.transcript.append(data)
            self._stream.feed(data)
            # The tail is shorter than a request, so every request found ends in this chunk.
            window = self._tail + data
            requests = window.count(CPR_REQUEST)
            self._tail = window[-(len(CPR_REQUEST) - 1) :]
            for _ in range(requests):
                self.send(CPR_ANSWER)
        return data

    # -- reading -----------------------------------------------------------------------------
    def text(self) -> str:
        """Everything the program wrote so far (with escape codes)."""
        return "".join(self.transcript)

    def display(self) -> list[str]:
        """The screen as a person sees it now, one string per row."""
        return [line.rstrip() for line in self.screen.display]

    def shown(self) -> str:
        return "\n".join(self.display())

    def wait_for(self, pattern: str, timeout: float = 20) -> str:
        """Wait for ``pattern`` (literal); the visible text shown before it."""
        self.expect_exact(pattern, timeout=timeout)
        before = self.before if isinstance(self.before, str) else ""
        return visible(before)

    def finish(self, timeout: float = 20) -> tuple[int | None, str]:
        """Wait for the program to end: its exit status and the last thing it wrote."""
        self.expect(pexpect.EOF, timeout=timeout)
        tail = self.before if isinstance(self.before, str) else ""
        self.close()
        return self.exitstatus, tail

    # -- answering by meaning ----------------------------------------------------------------
    def _key_for(self, label: str) -> str | None:
        wanted = _squash(label)
        shown_choices: list[tuple[str, str]] = []
        for line in reversed(self.display()):
            for pattern in (MENU_LINE, PLAIN_LINE):
                match = pattern.match(line)
                if match is not None:
                    shown = _squash(match.group(2)).removesuffix(" (current)")
                    shown_choices.append((match.group(1), shown))
        # An exact label wins over a longer one it begins ("No" is not "Not sure").
        for key, shown in shown_choices:
            if shown == wanted:
                return key
        for key, shown in shown_choices:
            if wanted.startswith(shown) or shown.startswith(wanted):
                return key
        return None

    def choose(self, label: str, timeout: float = 20) -> None:
        """Pick the menu choice whose label is ``label`` (or starts with it), then Enter."""
        key = self._key_for(label)
        if key is None:
            self.expect(re.escape(_squash(label).split(" ")[0]), timeout=timeout)
            self.expect([r"\?\s*$", r": $", pexpect.TIMEOUT], timeout=0.5)
            key = self._key_for(label)
        if key is None:
            raise AssertionError(f"no choice {label!r} on screen:\n{self.shown()}")
        self.send(key + KEYS["enter"])

    def tick(self, *labels: str) -> None:
        """Tick these boxes of a checkbox question (by label), then Enter. In plain mode, type
        their numbers."""
        rows: list[tuple[bool, str]] = []
        for line in self.display():
            match = CHECKBOX_LINE.match(line)
            if match:
                rows.append((bool(match.group(1)), _squash(match.group(3))))
        if not rows:
            numbers = [self._key_for(label) for label in labels]
            if None in numbers or not all(n and n.isdigit() for n in numbers):
                raise AssertionError(f"no checkbox question on screen:\n{self.shown()}")
            self.send(" ".join(str(n) for n in numbers) + KEYS["enter"])
            return
        pointer = next((n for n, (here, _) in enumerate(rows) if here), 0)
        for label in labels:
            wanted = _squash(label)
            target = next(
                (n for n, (_, shown) in enumerate(rows) if shown.startswith(wanted[:30])), None
            )
            if target is None:
                raise AssertionError(f"no box {label!r} on screen:\n{self.shown()}")
            step = KEYS["down"] if target > pointer else KEYS["up"]
            self.send(step * abs(target - pointer) + KEYS["space"])
            pointer = target
        self.send(KEYS["enter"])

    def answer(self, text: str) -> None:
        """Type an answer to a text question and press Enter."""
        self.send(text + KEYS["enter"])


@dataclass
class Program:
    env: dict[str, str]
    home: Path

    def spawn(
        self,
        *args: str,
        columns: int = 100,
        rows: int = 40,
        timeout: float = 20,
        env: dict[str, str] | None = None,
    ) -> Term:
        return Term(
            sys.executable,
            ["-m", "safetykit", *args],
            env=env or self.env,
            encoding="utf-8",
            timeout=timeout,
            columns=columns,
            rows=rows,
        )

    def spawn_shell(self, command: str, *, columns: int = 100, timeout: float = 20) -> Term:
        """A shell line in the terminal (for redirections): ``safetykit`` runs this checkout."""
        line = command.replace("safetykit", f"{sys.executable} -m safetykit")
        return Term(
            "/bin/sh",
            ["-c", line],
            env=self.env,
            encoding="utf-8",
            timeout=timeout,
            columns=columns,
            cwd=str(self.home.parent),
        )

    def run(self, *args: str, stdin: str = "") -> tuple[int, str, str]:
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
        "SAFETYKIT_REGION": "US",  # tests/test_regions.py leaves it out to see the question
        "SAFETYKIT_LANG": "en",  # tests/test_language.py leaves it out or says es
        "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }
    return Program(env, home)
