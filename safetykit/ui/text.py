"""Making text safe to show in a terminal."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (which include the 8-bit CSI).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Remove control characters so no stored or imported text can drive the terminal."""
    return _CONTROL.sub("", text)


def one_line(text: str) -> str:
    return " ".join(clean(text).split())
