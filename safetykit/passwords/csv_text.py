"""Turning the bytes of an export into rows of cells, whatever wrote them.

Exports arrive as UTF-8 with or without a byte-order mark, UTF-16 (a spreadsheet's "Unicode
text"), or a Windows code page after a spreadsheet re-saved them; with ``,`` or, in many
European locales, ``;`` (or a tab) between cells; with LF, CRLF or even CR CR LF line ends; with
quotes doubled (RFC 4180) or escaped with a backslash (KeePass 2, 1Password 7 for Mac). Pure: text
in, rows out. Cells are never trimmed here: a password's spaces are part of it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    lossy: bool
    """True when the file was not Unicode: characters outside that code page were lost before
    safetykit saw them (a spreadsheet's save), so some passwords may not be what was stored."""


def decode(data: bytes) -> Decoded:
    """The text of an export: UTF-8 (byte-order mark or not), UTF-16 with its mark, or else the
    Windows code page a spreadsheet re-save uses (reported as lossy)."""
    if data.startswith(UTF8_BOM):
        return Decoded(data[len(UTF8_BOM):].decode("utf-8", errors="strict"), "utf-8", False)
    if data.startswith(UTF16_BOMS):
        return Decoded(data.decode("utf-16"), "utf-16", False)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False)
    except UnicodeDecodeError:
        return Decoded(data.decode("cp1252", errors="replace"), "cp1252", True)


def first_line(text: str) -> str:
    """The first non-blank physical line (for sniffing the delimiter)."""
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


def sniff_delimiter(line: str) -> str:
    """The separator a header or first row uses: whichever of ``,`` ``;`` tab appears most often
    outside quotes (a comma when none does)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def rows(text: str, *, delimiter: str = ",", backslash_escapes: bool = False) -> Iterator[
    tuple[int, list[str]]
]:
    """``(line, cells)`` for every record that is not blank; ``line`` is where it starts.

    In a file whose lines end CR CR LF (some LastPass exports), the stray carriage return left at
    the end of each record's last cell is removed; nothing else in a cell is ever changed.
    Raises ``csv.Error`` on text that is not CSV.
    """
    stray_cr = "\r\r\n" in text
    options: dict[str, object] = {"delimiter": delimiter, "strict": True}
    if backslash_escapes:
        options.update(doublequote=False, escapechar="\\")
    reader = csv.reader(io.StringIO(text, newline=""), **options)  # type: ignore[arg-type]
    start = 1
    for record in reader:
        line, start = start, reader.line_num + 1
        cells = record
        if stray_cr and cells and cells[-1].endswith("\r"):
            cells = [*cells[:-1], cells[-1][:-1]]
        if any(cell.strip() for cell in cells):
            yield line, cells


_BACKSLASH_QUOTE = re.compile(r'(?<!\\)\\"(?!,|\r|\n|$)')


def uses_backslash_escapes(text: str) -> bool:
    """Whether quotes inside cells are written ``\\"`` (KeePass 2, 1Password 7 for Mac) rather
    than doubled: a backslash-quote that does not end a cell is only written by those."""
    return bool(_BACKSLASH_QUOTE.search(text))
