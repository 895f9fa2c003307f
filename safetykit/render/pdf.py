"""The plan as a PDF, written with fpdf2, optionally locked with a password (AES-256).

fpdf2 ships no TrueType font, and a font found on one computer may be missing on the next, so
the PDF uses the built-in Helvetica. Its Windows-1252 character set covers English and most
Western European text; any other character is replaced (accents dropped where that is enough,
otherwise a question mark), and the plan then says so at the end. The Markdown and HTML
versions keep every character.

No title or author is written into the file's properties, so its metadata does not say what
it is. fpdf2 is imported only when a PDF is made, so other commands start quickly.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

from safetykit.core.plan import (
    AnswerBlock,
    BlankLines,
    Block,
    BulletList,
    CheckboxList,
    DocSection,
    Field,
    HotlineList,
    Note,
    Paragraph,
    PeopleTable,
    PlanDocument,
)
from safetykit.core.text import strip_controls

if TYPE_CHECKING:
    from fpdf import FPDF

Paper = Literal["letter", "A4"]

ENCODING: Final = "cp1252"  # what fpdf2's core fonts can show (WinAnsiEncoding)
FONT: Final = "Helvetica"
MARGIN: Final = 18.0  # mm
LINE: Final = 5.2  # mm, body text line height
RULE_GAP: Final = 8.5  # mm between ruled lines to write on
INK: Final = (27, 27, 27)
GREY: Final = (85, 85, 85)

# Common characters outside Windows-1252 with a close equivalent inside it.
_NEAR: Final = {
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2015": "\u2014",
    "\u2212": "-",
    "\u2032": "'",
    "\u2033": '"',
    "\u2190": "<-",
    "\u2192": "->",
    "\u2194": "<->",
    "\u2713": "x",
    "\u2714": "x",
    "\u2717": "x",
    "\u2610": "[ ]",
    "\u2611": "[x]",
    "\u2612": "[x]",
    "\u25cf": "\u2022",
    "\u25e6": "\u2022",
    "\u2043": "-",
    "\u2024": ".",
    "\u2025": "..",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u200e": "",
    "\u200f": "",
    "\u2060": "",
    "\ufeff": "",
    "\u00ad": "",
    # Latin letters with a stroke or a dotless form do not decompose into base + accent.
    "\u0141": "L",
    "\u0142": "l",
    "\u0110": "D",
    "\u0111": "d",
    "\u0126": "H",
    "\u0127": "h",
    "\u0131": "i",
    "\u0166": "T",
    "\u0167": "t",
}


@dataclass
class TextFitter:
    """Makes text showable in Helvetica, and remembers whether anything had to be replaced."""

    replaced: bool = field(default=False)

    def __call__(self, text: str) -> str:
        return "".join(self._char(ch) for ch in strip_controls(text))

    def _char(self, ch: str) -> str:
        if ch == "\n" or _fits(ch):
            return ch
        if ch in _NEAR:
            return _NEAR[ch]
        decomposed = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base and all(_fits(c) for c in base):
            return base
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            return ""  # invisible marks and format characters: nothing is lost by dropping them
        if ch.isspace():
            return " "
        self.replaced = True
        return "?"


def _fits(ch: str) -> bool:
    try:
        ch.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def _make_pdf(paper: Paper) -> FPDF:
    from fpdf import FPDF

    class _PlanPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, "", 8)
            self.set_text_color(*GREY)
            self.cell(0, 5, str(self.page_no()), align="C")

    pdf = _PlanPDF(orientation="portrait", unit="mm", format=paper)
    pdf.core_fonts_encoding = ENCODING
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*INK)
    return pdf


def _text(
    pdf: FPDF,
    fit: TextFitter,
    text: str,
    *,
    size: float = 10.5,
    style: str = "",
    colour: tuple[int, int, int] = INK,
    indent: float = 0.0,
    line: float = LINE,
) -> None:
    from fpdf.enums import XPos, YPos

    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*colour)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(
        pdf.epw - indent,
        line,
        fit(text),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
        markdown=False,
    )


def _space(pdf: FPDF, height: float) -> None:
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    else:
        pdf.ln(height)


def _keep(pdf: FPDF, height: float) -> None:
    """Start a new page if less than ``height`` is left, so a heading is not left alone."""
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def _bullets(pdf: FPDF, fit: TextFitter, items: tuple[str, ...], *, size: float = 10.5) -> None:
    for item in items:
        _keep(pdf, LINE)
        y = pdf.get_y()
        pdf.set_font(FONT, "", size)
        pdf.set_text_color(*INK)
        pdf.set_xy(pdf.l_margin + 1.5, y)
        pdf.cell(4, LINE, "\u2022")
        _text(pdf, fit, item, size=size, indent=6)
        pdf.ln(0.8)


def _checkboxes(pdf: FPDF, fit: TextFitter, block: CheckboxList) -> None:
    box = 3.4
    for item in block.items:
        _keep(pdf, LINE + 1)
        y = pdf.get_y()
        x = pdf.l_margin + 1.5
        top = y + (LINE - box) / 2
        pdf.set_line_width(0.3)
        pdf.rect(x, top, box, box)
        if item.checked:
            pdf.set_line_width(0.5)
            pdf.line(x + 0.6, top + box * 0.55, x + box * 0.4, top + box - 0.6)
            pdf.line(x + box * 0.4, top + box - 0.6, x + box - 0.4, top + 0.5)
            pdf.set_line_width(0.2)
        pdf.set_y(y)
        _text(pdf, fit, item.label, indent=8)
        pdf.ln(1)


def _ruled(pdf: FPDF, count: int) -> None:
    pdf.set_line_width(0.2)
    pdf.set_draw_color(120, 120, 120)
    for _ in range(count):
        _space(pdf, RULE_GAP)
        y = pdf.get_y()
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_draw_color(*INK)
    pdf.ln(2)


def _people(pdf: FPDF, fit: TextFitter, block: PeopleTable) -> None:
    from fpdf.fonts import FontFace

    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*INK)
    pdf.set_line_width(0.2)
    rows = [(p.name, p.contact, p.knows) for p in block.rows]
    rows.extend(("", "", "") for _ in range(block.blank_rows))
    with pdf.table(
        col_widths=(28, 36, 36),
        line_height=LINE,
        text_align="LEFT",
        v_align="TOP",
        padding=1.5,
        headings_style=FontFace(emphasis="BOLD", fill_color=(238, 241, 245)),
    ) as table:
        heading = table.row()
        for text in block.headers:
            heading.cell(fit(text))
        for values in rows:
            row = table.row()
            for text in values:
                # An empty cell would be one thin line; a line break gives room to write.
                row.cell(fit(text) if text else "\n")
    pdf.ln(2)


def _hotlines(pdf: FPDF, fit: TextFitter, block: HotlineList) -> None:
    for hotline in block.hotlines:
        _keep(pdf, 4 * LINE)
        _text(pdf, fit, hotline.name, size=11.5, style="B", line=6)
        if hotline.description:
            _text(pdf, fit, hotline.description)
        for way in hotline.ways:
            _text(pdf, fit, f"{way.label}: {way.value}" if way.label else way.value, indent=4)
        if hotline.note:
            _text(pdf, fit, hotline.note, size=8.5, colour=GREY, line=4.2)
        _text(pdf, fit, hotline.provenance, size=8.5, colour=GREY, line=4.2)
        pdf.ln(3)


def _field_height(field: Field) -> float:
    """Roughly how tall a field is, to keep its prompt and its lines on one page if possible."""
    height = 3 * LINE
    for inner in field.blocks:
        if isinstance(inner, BlankLines):
            height += inner.count * RULE_GAP
        elif isinstance(inner, PeopleTable):
            height += (1 + len(inner.rows) + inner.blank_rows) * 2 * LINE
        elif isinstance(inner, CheckboxList):
            height += len(inner.items) * (LINE + 1)
        else:
            height += 2 * LINE
    return height


def _block(pdf: FPDF, fit: TextFitter, block: Block | AnswerBlock) -> None:
    if isinstance(block, Paragraph):
        _text(pdf, fit, block.text)
        pdf.ln(1.5)
    elif isinstance(block, Note):
        _text(pdf, fit, block.text, size=9.5, style="I", colour=GREY, line=4.8)
        pdf.ln(1)
    elif isinstance(block, BulletList):
        _bullets(pdf, fit, block.items)
    elif isinstance(block, CheckboxList):
        _checkboxes(pdf, fit, block)
    elif isinstance(block, BlankLines):
        _ruled(pdf, block.count)
    elif isinstance(block, PeopleTable):
        _people(pdf, fit, block)
    elif isinstance(block, HotlineList):
        _hotlines(pdf, fit, block)
    elif isinstance(block, Field):
        _keep(pdf, min(_field_height(block), 90.0))
        pdf.ln(2)
        _text(pdf, fit, block.prompt, size=11, style="B", line=5.8)
        pdf.ln(0.5)
        for inner in block.blocks:
            _block(pdf, fit, inner)


def _section(pdf: FPDF, fit: TextFitter, section: DocSection) -> None:
    _keep(pdf, 40)
    pdf.ln(8)
    y = pdf.get_y()
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.ln(3)
    _text(pdf, fit, f"{section.number}. {section.title}", size=15, style="B", line=7.5)
    pdf.ln(1)
    if section.intro:
        _text(pdf, fit, section.intro)
        pdf.ln(1.5)
    if section.guidance:
        _bullets(pdf, fit, section.guidance, size=10)
        pdf.ln(1)
    for block in section.blocks:
        _block(pdf, fit, block)


def _pages(doc: PlanDocument, pdf: FPDF, fit: TextFitter) -> None:
    pdf.add_page()
    _text(pdf, fit, doc.title, size=22, style="B", line=10)
    _text(pdf, fit, doc.created_line, size=9.5, colour=GREY)
    pdf.ln(3)
    if doc.preface:
        _text(pdf, fit, doc.preface, size=11, line=5.6)
    for section in doc.sections:
        _section(pdf, fit, section)
    if fit.replaced:
        pdf.ln(6)
        _text(pdf, fit, doc.pdf_fallback_note, size=9, style="I", colour=GREY, line=4.5)


def render_pdf(doc: PlanDocument, password: str | None = None, *, paper: Paper = "letter") -> bytes:
    """The plan as PDF bytes. With ``password`` the file is encrypted with AES-256 and will
    not open without it. ``ValueError`` for an empty password (it would protect nothing).
    """
    if password is not None and not password:
        raise ValueError("an empty password would not protect the PDF")
    pdf = _make_pdf(paper)
    # Midnight UTC of the plan's date: the file does not record when exactly it was made.
    pdf.set_creation_date(datetime.datetime.combine(doc.created, datetime.time(), datetime.UTC))
    fit = TextFitter()
    _pages(doc, pdf, fit)
    if password is not None:
        from fpdf.enums import EncryptionMethod

        pdf.set_encryption(
            owner_password=password,
            user_password=password,
            encryption_method=EncryptionMethod.AES_256,
            encrypt_metadata=True,
        )
    return bytes(pdf.output())
