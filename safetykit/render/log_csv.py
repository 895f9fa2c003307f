"""The incident log as a spreadsheet: one row per incident (CSV, RFC 4180).

UTF-8 with a byte order mark (so Excel reads the names right), a header row of plain labels,
fields quoted where needed and rows ended with CRLF. Times are exactly as stored: ISO 8601 with
their UTC offset (a date alone when the time is not known).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be taken
as a formula by a spreadsheet (CSV injection), so it gets a leading apostrophe: the text reads
the same and is never run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Final

from safetykit.core.text import strip_controls

BOM: Final = "\ufeff"
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A cell's text, cleaned, that no spreadsheet will run as a formula."""
    cleaned = strip_controls(text)
    return "'" + cleaned if cleaned.startswith(FORMULA_STARTS) else cleaned


def render_log_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """The table as CSV bytes (``safetykit.core.log_document.csv_table`` makes it)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, dialect="excel", lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(cell) for cell in header])
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")
