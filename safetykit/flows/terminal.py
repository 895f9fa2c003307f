"""What this process is connected to: found once per run, and cleared on the way out.

Kept apart from ``safetykit.flows.session`` so the command line can reset and clear it without
importing anything heavy.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from safetykit.ui.screen import CLEAR_SCREEN_AND_SCROLLBACK


def _isatty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _open_controlling_terminal() -> TextIO | None:
    """The controlling terminal, opened for writing; None where there is none."""
    name = Path("CONOUT$" if os.name == "nt" else "/dev/tty")
    try:
        stream = name.open("w", encoding="utf-8", errors="replace")
    except OSError:
        return None
    if not _isatty(stream):
        stream.close()
        return None
    return stream


@dataclass
class Terminal:
    """What this process is connected to, found once."""

    stdin: TextIO | None
    stdin_is_tty: bool
    stdout_is_tty: bool
    tty: TextIO | None  # the controlling terminal, for questions and warnings

    @staticmethod
    def detect() -> Terminal:
        stdin = sys.stdin  # None when the program was started with standard input closed
        return Terminal(
            stdin=stdin,
            stdin_is_tty=_isatty(stdin),
            stdout_is_tty=_isatty(sys.stdout),
            tty=_open_controlling_terminal(),
        )

    @property
    def questions(self) -> TextIO:
        """Where questions, warnings and the hotlines are written."""
        return self.tty or sys.stderr

    @property
    def can_ask(self) -> bool:
        return self.stdin_is_tty

    def clear(self) -> None:
        """Clear the screen and its scrollback; never writes escape codes into a file."""
        for stream in (self.tty, sys.stdout):
            if stream is not None and _isatty(stream):
                with contextlib.suppress(OSError, ValueError):
                    stream.write(CLEAR_SCREEN_AND_SCROLLBACK)
                    stream.flush()
                return


_current: Terminal | None = None


def terminal() -> Terminal:
    """This process's terminal, detected on first use."""
    global _current  # noqa: PLW0603 - one per process, by design
    if _current is None:
        _current = Terminal.detect()
    return _current


def reset_terminal() -> None:
    """Forget what was found (each run of the command line looks afresh)."""
    global _current  # noqa: PLW0603 - one per process, by design
    if _current is not None and _current.tty is not None:
        with contextlib.suppress(OSError):
            _current.tty.close()
    _current = None


def clear_screen() -> None:
    """The quick exit's clearing (Ctrl-C from anywhere)."""
    terminal().clear()
