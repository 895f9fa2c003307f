"""Cleaning text so nothing stored, imported or typed can steer a terminal or a document. Pure."""

from __future__ import annotations

import re
import unicodedata

# Whole 7-bit terminal escape sequences first (CSI, then OSC/DCS/SOS/PM/APC strings up to their
# terminator or the end of the line, then two-byte escapes), so no "[31m" debris is left behind.
# 8-bit C1 codes are only removed one by one below: in text decoded the wrong way they can be
# ordinary debris, and swallowing what follows them would lose the person's words.
_ESCAPE_SEQUENCE = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]                 # CSI ... final byte
    | \x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?   # OSC, DCS, SOS, PM, APC ... BEL or ST
    | \x1b[ -/]*[0-~]                         # other escapes (ESC c, ESC ( B, ...)
    """,
    re.VERBOSE,
)
# C0 except tab and newline, DEL, C1; and the invisible bidirectional overrides and isolates
# that can make text display in a different order from how it reads.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


def strip_controls(text: str) -> str:
    """``text`` without terminal escape sequences or control characters.

    Line breaks of every kind become ``\\n``; tabs become spaces; everything else invisible
    that could steer a terminal or reorder text on screen is removed.
    """
    text = _NEWLINES.sub("\n", text)
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text).replace("\t", " ")
    return unicodedata.normalize("NFC", text)


def one_line(text: str) -> str:
    """``text`` cleaned and folded onto a single line with single spaces."""
    return " ".join(strip_controls(text).split())


