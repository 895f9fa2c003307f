"""Making text safe to show in a terminal (the rules live in ``safetykit.core.text``)."""

from __future__ import annotations

from safetykit.core.text import one_line, strip_controls


def clean(text: str) -> str:
    """Remove escape sequences and control characters so no text can drive the terminal."""
    return strip_controls(text)


__all__ = ["clean", "one_line"]
