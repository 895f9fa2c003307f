"""The incident log as a PDF: cover, summary table, a page per incident, the files' manifest.

Set with the plan's machinery (``safetykit.render.pdf.PdfWriter``): Noto Sans and the computer's
own fonts for other scripts, shaping only where needed, page numbers, no metadata, an optional
AES-256 password. This module never touches fpdf2 itself.
"""

from __future__ import annotations

from safetykit.core.log_document import AttachmentLine, EntryPage, LogDocument
from safetykit.render.pdf import Paper, PdfWriter, SystemFonts

# mm on a letter page's 180 mm (relative elsewhere): an ISO time and half a SHA-256 fit whole.
SUMMARY_WIDTHS = (8, 40, 27, 27, 53, 10, 15)
MANIFEST_WIDTHS = (11, 44, 29, 58, 38)


def _heading(out: PdfWriter, text: str) -> None:
    out.text(text, size=15, style="B", line=7.5)
    out.space(1)
    out.rule()
    out.space(3)


def _cover(doc: LogDocument, out: PdfWriter) -> None:
    cover = doc.cover
    out.page()
    out.text(cover.title, size=22, style="B", line=10)
    out.space(4)
    for label, value in cover.facts:
        out.text(f"{label}: {value}", size=11, line=6)
    out.text(cover.private_line, size=11, line=6)
    out.space(5)
    out.text(cover.note, size=11, line=5.8)
    out.space(7)
    out.text(cover.notices_title, size=13, style="B", line=6.5)
    out.space(1)
    out.bullets(cover.notices)


def _summary(doc: LogDocument, out: PdfWriter) -> None:
    out.page()
    _heading(out, doc.summary_title)
    if not doc.rows:
        out.text(doc.no_entries)
        return
    out.table(doc.summary_headers, [row.cells() for row in doc.rows], SUMMARY_WIDTHS, size=8)


def _attachment(out: PdfWriter, item: AttachmentLine) -> None:
    out.keep(30)
    out.text(f"{item.position}. {item.name}", size=10.5, style="B", indent=2)
    for label, value in item.details:
        out.text(f"{label}: {value}", size=9.5, indent=7, line=4.8,
                 style="" if item.intact or label != item.details[-1][0] else "B")
    out.space(2)


def _entry(out: PdfWriter, page: EntryPage) -> None:
    out.page()
    out.text(page.heading, size=15, style="B", line=7.5)
    out.text(page.summary, size=11.5, line=6)
    out.space(1)
    out.rule()
    out.space(3)
    for field in page.fields:
        out.keep(14)
        out.text(field.label, size=9, style="B", grey=True, line=4.6)
        out.text(field.text, size=10.5, line=5.2)
        out.space(2.2)
    out.space(1)
    out.text(page.written, size=9.5, grey=True, line=4.8)
    for change in page.changes:
        out.text(change, size=9.5, grey=True, line=4.8)
    if page.attachments:
        out.space(4)
        out.keep(45)  # the heading with its first file
        out.text(page.attachments_title, size=12, style="B", line=6.2)
        out.space(1)
        for item in page.attachments:
            _attachment(out, item)


def _sha_lines(sha: str) -> str:
    return f"{sha[:32]}\n{sha[32:]}" if len(sha) > 32 else sha


def _manifest(doc: LogDocument, out: PdfWriter) -> None:
    out.page()
    _heading(out, doc.manifest_title)
    if not doc.manifest:
        out.text(doc.no_attachments)
        return
    out.text(doc.manifest_note, size=9.5, grey=True, line=4.8)
    out.space(3)
    rows = [
        (str(a.entry), a.name + (f"\n{a.archive_name}" if a.archive_name else ""), a.size_text,
         _sha_lines(a.sha256), a.status)
        for a in doc.manifest
    ]
    out.table(doc.manifest_headers, rows, MANIFEST_WIDTHS, size=8)


def render_log_pdf(
    doc: LogDocument,
    password: str | None = None,
    *,
    paper: Paper = "letter",
    fonts: SystemFonts | None = None,
) -> bytes:
    """The log as PDF bytes; with ``password``, encrypted with AES-256."""
    out = PdfWriter(created=doc.made.date(), paper=paper, fonts=fonts)
    _cover(doc, out)
    _summary(doc, out)
    for page in doc.entries:
        _entry(out, page)
    _manifest(doc, out)
    if out.fit.replaced:
        out.space(6)
        out.text(doc.pdf_fallback_note, size=9, style="I", grey=True, line=4.5)
        out.text(out.fit.missing_line(), size=9, grey=True, line=4.5)
    return out.output(password)
