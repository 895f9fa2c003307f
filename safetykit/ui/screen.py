"""What a person reads: one ``Screen`` over a rich console, with a plain mode for screen readers.

In plain mode there is no colour, no boxes and no spinners: just lines of text in reading order.
Every string that may come from a person or a file passes through ``clean`` and is escaped for rich
markup, so stored answers can never drive the terminal.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from safetykit.i18n import _
from safetykit.ui.text import clean

CLEAR_SCREEN_AND_SCROLLBACK = "\x1b[H\x1b[2J\x1b[3J"


PLAIN_ENV = "SAFETYKIT_PLAIN"


def wants_plain(flag: bool) -> bool:
    """The full plain mode (no colour, no boxes, numbered choices typed as text): ``--plain`` or
    ``SAFETYKIT_PLAIN=1``. ``NO_COLOR`` only removes colour, as its convention says
    (https://no-color.org); rich and prompt_toolkit read it themselves."""
    return flag or os.environ.get(PLAIN_ENV, "").strip() not in ("", "0")


def clear_terminal(stream: TextIO | None = None) -> None:
    """Clear the screen and the scrollback, if ``stream`` is a terminal."""
    out = stream or sys.stdout
    try:
        if out.isatty():
            out.write(CLEAR_SCREEN_AND_SCROLLBACK)
            out.flush()
    except (OSError, ValueError):
        pass


class Screen:
    def __init__(self, *, plain: bool = False, file: TextIO | None = None) -> None:
        self.plain = plain
        self.console = Console(
            file=file,
            # None (not False) leaves NO_COLOR to rich: colour off, everything else as it is.
            no_color=True if plain else None,
            color_system=None if plain else "auto",
            highlight=False,
            emoji=False,
            markup=True,
            soft_wrap=False,
        )

    # -- building blocks ---------------------------------------------------------------------
    def print_json(self, data: Any) -> None:
        """Machine-readable output, exactly as JSON (no markup, no wrapping)."""
        out = self.console.file
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        out.flush()

    def write(self, text: str) -> None:
        """A document exactly as rendered (the Markdown plan): its writer has cleaned it."""
        out = self.console.file
        out.write(text)
        out.flush()

    def blank(self) -> None:
        self.console.print()

    def title(self, text: str) -> None:
        text = clean(text)
        if self.plain:
            self.console.print(text, markup=False)
            return
        self.console.print()
        self.console.print(f"[bold]{escape(text)}[/bold]")

    def say(self, text: str, *, style: str | None = None) -> None:
        body = clean(text)
        if self.plain or style is None:
            self.console.print(body, markup=False)
        else:
            self.console.print(Text(body, style=style))

    def muted(self, text: str) -> None:
        self.say(text, style="dim")

    def bullets(self, items: Iterable[str], *, numbered: bool = False) -> None:
        """A list whose long items wrap under their own text, not under the mark (wrapped by
        the cells each letter takes, so wide scripts line up too)."""
        width = max(self.console.width, 20)
        for n, item in enumerate(items, start=1):
            mark = f" {n}. " if numbered else " - "
            lines = Text(clean(item)).wrap(self.console, width - len(mark))
            for index, line in enumerate(lines):
                lead = mark if index == 0 else " " * len(mark)
                line.rstrip()
                self.console.print(Text(lead) + line, markup=False, soft_wrap=True)

    def box(self, heading: str, lines: Iterable[str], *, style: str = "cyan") -> None:
        body = [clean(line) for line in lines]
        if self.plain:
            self.console.print(clean(heading), markup=False)
            for line in body:
                self.console.print(line, markup=False)
            return
        self.console.print(
            Panel(
                Text("\n".join(body)),
                title=Text(clean(heading), style="bold"),
                title_align="left",
                border_style=style,
                expand=False,
            )
        )

    def secret_line(self, secret: str) -> None:
        """A password on a line of its own: never boxed and never broken by safetykit, whatever
        the width, so it reads (and copies) whole."""
        if self.plain:
            self.console.print(clean(secret), markup=False, soft_wrap=True)
        else:
            self.console.print(Text(clean(secret), style="bold"), soft_wrap=True)

    def caution(self, text: str) -> None:
        label = _("Before you do this:")
        if self.plain:
            self.console.print(f"{label} {clean(text)}", markup=False)
        else:
            self.console.print(Text.assemble((label + " ", "bold yellow"), clean(text)))

    def note(self, text: str) -> None:
        """Something worth knowing that is not about a step about to be taken."""
        label = _("Good to know:")
        if self.plain:
            self.console.print(f"{label} {clean(text)}", markup=False)
        else:
            self.console.print(Text.assemble((label + " ", "bold"), clean(text)))

    def problem(self, message: str, hint: str | None = None) -> None:
        """An error: one calm sentence, and what to do, on standard error."""
        # soft_wrap: one line per sentence, whatever the width (the terminal wraps by itself,
        # and a script reading standard error gets whole lines). In plain mode on a terminal the
        # lines are broken between words instead: a screen reader reading the screen line by
        # line would otherwise read half words.
        try:
            broken = self.plain and sys.stderr.isatty()
        except (AttributeError, ValueError):
            broken = False
        err = Console(
            stderr=True,
            no_color=True if self.plain else None,
            highlight=False,
            emoji=False,
            soft_wrap=not broken,
        )
        err.print(clean(message), markup=False)
        if hint:
            err.print(clean(hint), markup=False)
