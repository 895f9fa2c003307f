"""The plan as a PDF, written with fpdf2, optionally locked with a password (AES-256).

Every name survives. The text is set in Noto Sans, shipped with safetykit in
``safetykit/fonts`` (SIL Open Font License 1.1; regular, bold and italic, about 1.5 MB), which
covers Latin (Vietnamese too), Greek and Cyrillic. A character it lacks is drawn with a font
already installed on the computer, looked for only when the plan holds such a character: first
by file name in the standard font folders (Noto's fonts for each script as Debian's
fonts-noto-core and fonts-noto-cjk install them, DejaVu Sans, and a few common Windows and macOS
fonts), then, where fontconfig is installed, among the fonts ``fc-list`` says have it. Shipping
one font keeps safetykit small (Noto Sans CJK alone is 19 MB), and the fonts found are the ones
the person's computer already shows their writing in.

fpdf2 switches to those fonts character by character (its fallback fonts). Paragraphs that
need it are shaped with HarfBuzz (uharfbuzz: joined Arabic letters, Devanagari conjuncts and
vowel signs) and their right-to-left runs ordered by fpdf2's bidirectional algorithm; a
paragraph that starts in Arabic or Hebrew is set flush right. Only the glyphs used are
embedded, so an English plan stays small (about 50 KB). A character no font here has is
printed as a question mark, and the plan then says so at the end, naming those characters. The
Markdown and HTML versions keep every character.

No title or author is written into the file's properties, so its metadata does not say what
it is. fpdf2 is imported, and fonts are read, only when a PDF is made, so other commands start
quickly.
"""

from __future__ import annotations

import datetime
import functools
import os
import shutil
import subprocess
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from safetykit.core.plan import (
    QUICK_WAYS,
    AnswerBlock,
    BlankLines,
    Block,
    BulletList,
    CheckboxList,
    DocSection,
    Field,
    HelpStrip,
    HotlineList,
    Note,
    Paragraph,
    PeopleTable,
    PlanDocument,
    SourcesAppendix,
    way_text,
)
from safetykit.core.text import strip_controls

if TYPE_CHECKING:
    from fpdf import FPDF

Paper = Literal["letter", "A4"]

FONT: Final = "notosans"  # fpdf2's name for the shipped font
FONT_DIR: Final = Path(__file__).resolve().parent.parent / "fonts"
FONT_FILES: Final = {
    "": "NotoSans-Regular.ttf",
    "B": "NotoSans-Bold.ttf",
    "I": "NotoSans-Italic.ttf",
}
MARGIN: Final = 18.0  # mm
LINE: Final = 5.2  # mm, body text line height
RULE_GAP: Final = 8.5  # mm between ruled lines to write on
INK: Final = (27, 27, 27)
GREY: Final = (85, 85, 85)
MAX_NAMED_MISSING: Final = 24  # characters no font has, named one by one at the end
_MAX_FONTCONFIG_TRIES: Final = 4  # installed fonts tried per character that fontconfig suggests

# Used only when no font here has the character itself: a close equivalent.
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
}


# ── finding fonts ──────────────────────────────────────────────────────────────────────────

_SUFFIXES: Final = (".ttf", ".otf", ".ttc", ".otc")
_CJK: Final = frozenset({"HAN", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"})
_ARABIC: Final = frozenset({"ARABIC"})
_HEBREW: Final = frozenset({"HEBREW"})
_DEVANAGARI: Final = frozenset({"DEVANAGARI"})
_UNSPECIFIC: Final = frozenset({"COMMON", "INHERITED", "UNKNOWN"})
_FC_FORMAT: Final = "%{file}\t%{index}\t%{style[0]}\t%{variable}\t%{color}\t%{charset}\n"


@dataclass(frozen=True)
class _Wanted:
    """An installed font to look for by file name (in any case), and what it is wanted for."""

    regular: str
    bold: str = ""
    scripts: frozenset[str] = frozenset()  # fpdf2's UnicodeScript names; empty: any character
    face: str = ""  # in a collection (.ttc), the face whose name has this in it; else the first


# Best first. Script fonts come before the broad ones, so that Arabic is drawn with an Arabic
# font even where DejaVu Sans (which has some Arabic too) is installed. Chinese characters are
# drawn with the Simplified Chinese face of Noto Sans CJK; Japanese kana and Korean hangul are
# in the same face. The Windows and macOS names are those systems' usual fonts for these
# scripts (not tested here).
_WANTED: Final = (
    _Wanted("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", _ARABIC),
    _Wanted("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf", _ARABIC),
    _Wanted("NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf", _HEBREW),
    _Wanted("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf", _DEVANAGARI),
    _Wanted("Lohit-Devanagari.ttf", "", _DEVANAGARI),
    _Wanted("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", _CJK, face="CJK SC"),
    _Wanted("NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf", _CJK),
    _Wanted("NotoSansSC-Regular.otf", "NotoSansSC-Bold.otf", _CJK),
    _Wanted("DroidSansFallbackFull.ttf", "", _CJK),
    _Wanted("wqy-microhei.ttc", "", _CJK),
    _Wanted("arial.ttf", "arialbd.ttf", _ARABIC | _HEBREW),  # Windows
    _Wanted("Nirmala.ttf", "NirmalaB.ttf", _DEVANAGARI),
    _Wanted("msyh.ttc", "msyhbd.ttc", _CJK),
    _Wanted("YuGothR.ttc", "YuGothB.ttc", _CJK),
    _Wanted("malgun.ttf", "malgunbd.ttf", _CJK),
    _Wanted("Arial Unicode.ttf", "", _ARABIC | _HEBREW | _DEVANAGARI | _CJK),  # macOS
)
# For any character (after the script's own fonts): broad fonts with symbols and arrows too.
_BROAD: Final = (
    _Wanted("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    _Wanted("NotoSansSymbols2-Regular.ttf"),
    _Wanted("NotoSansSymbols-Regular.ttf", "NotoSansSymbols-Bold.ttf"),
    _Wanted("NotoSansMath-Regular.ttf"),
    _Wanted("seguisym.ttf"),  # Windows
)


def _noto_for(script: str) -> tuple[_Wanted, ...]:
    """Noto's own fonts for a script by their usual names (NotoSansThai-Regular.ttf, ...)."""
    name = "".join(part.capitalize() for part in script.split("_"))
    return tuple(
        _Wanted(f"Noto{kind}{name}-Regular.ttf", f"Noto{kind}{name}-Bold.ttf", frozenset({script}))
        for kind in ("Sans", "Serif")
    )


def _font_dirs() -> list[Path]:
    """The standard font folders of Linux and other Unix systems, macOS and Windows."""
    home = Path(os.path.expanduser("~"))  # noqa: PTH111 - never raises where HOME is unset
    data_home = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    dirs = [
        Path(data_home) / "fonts",
        home / ".fonts",
        Path("/usr/local/share/fonts"),
        Path("/usr/share/fonts"),
        home / "Library" / "Fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
    ]
    windows = (("LOCALAPPDATA", ("Microsoft", "Windows", "Fonts")), ("WINDIR", ("Fonts",)))
    for variable, below in windows:
        if value := os.environ.get(variable):
            dirs.append(Path(value).joinpath(*below))
    return dirs


@dataclass(frozen=True)
class _FcFont:
    path: Path
    index: int
    ranges: tuple[tuple[int, int], ...]  # sorted, inclusive

    def has(self, codepoint: int) -> bool:
        at = bisect_right(self.ranges, (codepoint, 0x10FFFF)) - 1
        return at >= 0 and self.ranges[at][0] <= codepoint <= self.ranges[at][1]


class SystemFonts:
    """The fonts installed on this computer: by file name under ``dirs``, and, if ``fontconfig``
    and ``fc-list`` is there, by the characters fontconfig says each has. Each is read once,
    when first needed."""

    def __init__(self, dirs: Sequence[Path], *, fontconfig: bool = True) -> None:
        self._dirs = tuple(dirs)
        self._use_fontconfig = fontconfig

    @classmethod
    def none(cls) -> SystemFonts:
        """No installed fonts: only the shipped one is used."""
        return cls((), fontconfig=False)

    @functools.cached_property
    def _files(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for top in self._dirs:
            for folder, _subfolders, names in os.walk(top):
                for name in names:
                    if name.lower().endswith(_SUFFIXES):
                        found.setdefault(name.lower(), Path(folder) / name)
        return found

    def find(self, name: str) -> Path | None:
        return self._files.get(name.lower()) if name else None

    @functools.cached_property
    def _fontconfig(self) -> tuple[_FcFont, ...]:
        fc_list = shutil.which("fc-list") if self._use_fontconfig else None
        if fc_list is None:
            return ()
        # Nothing of the plan is on this command line: it lists every font once.
        try:
            listing = subprocess.run(
                [fc_list, "--format", _FC_FORMAT],
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return ()
        fonts: list[tuple[tuple[bool, bool, str], _FcFont]] = []
        for line in listing.splitlines():
            parts = line.split("\t")
            if len(parts) != 6 or not parts[0].lower().endswith(_SUFFIXES):
                continue
            file, index, style, variable, colour, charset = parts
            if variable == "True" or colour == "True" or not index.isdigit():
                continue  # variable and colour fonts are not drawn as they should be
            try:
                ranges = tuple(sorted(_hex_range(item) for item in charset.split()))
            except ValueError:
                continue
            plain = style.casefold() in ("regular", "book", "normal", "roman", "medium")
            rank = (not plain, "sans" not in file.casefold(), file)
            fonts.append((rank, _FcFont(Path(file), int(index), ranges)))
        return tuple(font for _key, font in sorted(fonts, key=lambda item: item[0]))

    def covering(self, codepoint: int) -> Iterator[tuple[Path, int]]:
        """Installed fonts that fontconfig says have ``codepoint``, regular sans-serif first."""
        for font in self._fontconfig:
            if font.has(codepoint):
                yield font.path, font.index


def _hex_range(item: str) -> tuple[int, int]:
    low, _, high = item.partition("-")
    return int(low, 16), int(high or low, 16)


@functools.cache
def system_fonts() -> SystemFonts:
    """This computer's fonts (looked at once per run, when the first PDF needs one)."""
    return SystemFonts(_font_dirs())


@functools.cache
def _cmap(path: Path, index: int) -> frozenset[int]:
    """The characters a font (face ``index`` of a collection) has a glyph for."""
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap() or ())


@functools.cache
def _face_index(path: Path, face: str) -> int:
    """Which face of a font collection has ``face`` in its name (0 if none or not a collection)."""
    if not face or path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    from fontTools.ttLib import TTCollection

    try:
        with TTCollection(path, lazy=True) as collection:
            for index, font in enumerate(collection.fonts):
                if face in (font["name"].getDebugName(4) or ""):
                    return index
    except Exception:  # a damaged collection: its first face, which fails later if it must
        return 0
    return 0


@dataclass
class _Loaded:
    family: str
    priority: int
    cmap: frozenset[int]
    bold: tuple[Path, int] | None
    bold_tried: bool = False


class FontBook:
    """The fonts of one PDF: the shipped Noto Sans, and installed fonts added when the text
    holds a character it lacks (each font at most once, whatever it was first needed for)."""

    def __init__(self, pdf: FPDF, system: SystemFonts) -> None:
        self._pdf = pdf
        self._system = system
        for style, name in FONT_FILES.items():
            pdf.add_font(FONT, style, FONT_DIR / name)
        self._base = _cmap(FONT_DIR / FONT_FILES[""], 0)
        self._loaded: dict[tuple[Path, int], _Loaded] = {}
        self._broken: set[tuple[Path, int]] = set()
        self._known: dict[tuple[str, bool], bool] = {}

    def covers(self, char: str, style: str = "") -> bool:
        """Whether ``char`` can be drawn (in bold when ``style`` has B), adding a font if needed."""
        bold = "B" in style
        known = self._known.get((char, bold))
        if known is None:
            known = self._known[char, bold] = self._find(char, bold)
        return known

    def _find(self, char: str, bold: bool) -> bool:
        codepoint = ord(char)
        if codepoint in self._base:
            return True
        for priority, path, index, bold_file in self._candidates(char):
            font = self._font(priority, path, index, bold_file, codepoint)
            if font is not None:
                if bold and not font.bold_tried:
                    self._add_bold(font)
                return True
        return False

    def _candidates(self, char: str) -> Iterator[tuple[int, Path, int, tuple[Path, int] | None]]:
        """Installed fonts that may have ``char``, best first, with their priority as fallbacks
        and their bold file."""
        from fpdf.unicode_script import get_unicode_script

        script = get_unicode_script(char).name
        # CJK punctuation and full-width forms belong to no one script but are CJK fonts' to draw.
        cjk_sign = script in _UNSPECIFIC and unicodedata.east_asian_width(char) in ("W", "F")
        ranked = [
            *(
                (rank, wanted)
                for rank, wanted in enumerate(_WANTED)
                if script in wanted.scripts or (cjk_sign and wanted.scripts >= _CJK)
            ),
            *((100 + rank, wanted) for rank, wanted in enumerate(_noto_for(script))),
            *((200 + rank, wanted) for rank, wanted in enumerate(_BROAD)),
        ]
        for priority, wanted in ranked:
            path = self._system.find(wanted.regular)
            if path is not None:
                bold = self._system.find(wanted.bold)
                bold_face = None if bold is None else (bold, _face_index(bold, wanted.face))
                yield priority, path, _face_index(path, wanted.face), bold_face
        for tried, (path, index) in enumerate(self._system.covering(ord(char))):
            if tried == _MAX_FONTCONFIG_TRIES:
                break
            yield 1000 + len(self._loaded), path, index, None

    def _font(
        self,
        priority: int,
        path: Path,
        index: int,
        bold: tuple[Path, int] | None,
        codepoint: int,
    ) -> _Loaded | None:
        """The font at ``path`` if it has ``codepoint``, added to the PDF if it was not yet."""
        key = (path, index)
        font = self._loaded.get(key)
        if font is None:
            if key in self._broken:
                return None
            try:
                cmap = _cmap(path, index)
            except Exception:  # a damaged or unusual font file: any error of the font reader
                self._broken.add(key)
                return None
            if codepoint not in cmap:
                return None
            family = f"extra{len(self._loaded) + 1}"
            try:
                self._pdf.add_font(family, "", path, collection_font_number=index)
            except Exception:  # as above: fpdf2 reads the font again, more deeply
                self._broken.add(key)
                return None
            font = self._loaded[key] = _Loaded(family, priority, cmap, bold)
            self._use_fallbacks()
        return font if codepoint in font.cmap else None

    def _add_bold(self, font: _Loaded) -> None:
        font.bold_tried = True
        if font.bold is None:
            return
        path, index = font.bold
        try:
            self._pdf.add_font(font.family, "B", path, collection_font_number=index)
        except Exception:  # the regular face serves bold text too
            return
        self._use_fallbacks()

    def _use_fallbacks(self) -> None:
        ranked = sorted(self._loaded.values(), key=lambda font: font.priority)
        # Without an exact match fpdf2 uses a regular face for bold or italic text.
        self._pdf.set_fallback_fonts([font.family for font in ranked], exact_match=False)


class TextFitter:
    """Keeps what the PDF's fonts can draw and replaces the rest, remembering what it replaced.

    ``covers(char, style)`` says whether a character can be drawn in that style (``FontBook``
    first adds an installed font that has it). A character no font has becomes a close
    equivalent where there is one, its letter without the accent where that is drawable, or
    else a question mark, and is then listed in ``missing``.
    """

    def __init__(self, covers: Callable[[str, str], bool]) -> None:
        self._covers = covers
        self.missing: dict[str, None] = {}  # characters no font has, in order of appearance

    @property
    def replaced(self) -> bool:
        return bool(self.missing)

    def __call__(self, text: str, style: str = "") -> str:
        return "".join(self._char(ch, style) for ch in strip_controls(text))

    def _char(self, ch: str, style: str) -> str:
        if ch == "\n" or self._covers(ch, style):
            return ch
        near = _NEAR.get(ch)
        if near is not None and all(self._covers(c, style) for c in near):
            return near
        decomposed = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base and all(self._covers(c, style) for c in base):
            return base
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            return ""  # invisible marks and format characters: nothing is lost by dropping them
        if ch.isspace():
            return " "
        self.missing[ch] = None
        return "?"

    def missing_line(self) -> str:
        """The characters that became question marks, by code point and Unicode name."""
        named = [
            f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()
            for ch in list(self.missing)[:MAX_NAMED_MISSING]
        ]
        if len(self.missing) > MAX_NAMED_MISSING:
            named.append("\u2026")
        return ", ".join(named)


def _starts_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left: its first strong letter is Hebrew, Arabic, ...
    (rules P2 and P3 of the Unicode bidirectional algorithm; isolates are stripped before)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _align(text: str) -> Literal["L", "R"]:
    return "R" if _starts_rtl(text) else "L"


def _needs_shaping(text: str) -> bool:
    """Whether ``text`` needs HarfBuzz and the bidirectional algorithm to come out right:
    right-to-left or joining scripts, Indic and other complex scripts, combining marks.

    Shaping measures each candidate line break again, which makes an English plan take almost
    three times as long, and Latin, Greek, Cyrillic and CJK text does not need it (kerning aside).
    """
    for ch in text:
        codepoint = ord(ch)
        if (
            0x0590 <= codepoint < 0x1E00  # Hebrew, Arabic, ... Indic, ... Mongolian
            or 0xA800 <= codepoint < 0xAC00  # more Indic and South-East Asian scripts
            or 0xFB1D <= codepoint < 0xFF00  # Hebrew and Arabic presentation forms
            or 0x10800 <= codepoint < 0x1F000  # historic and minority scripts (Adlam, ...)
            or unicodedata.category(ch) in ("Mn", "Mc", "Me")
        ):
            return True
    return False


def _make_pdf(paper: Paper) -> FPDF:
    from fpdf import FPDF

    class _PlanPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, "", 8)
            self.set_text_color(*GREY)
            self.cell(0, 5, str(self.page_no()), align="C")

        def _render_styled_text_line(self, *args: Any, **kwargs: Any) -> Any:
            # Works around a bug in fpdf2 (2.8.9): when a paragraph's first line starts with a
            # fallback font (an Arabic or Chinese name first) before the current font was
            # written to the page, fpdf2 takes the current font for written although it set it
            # only inside that line's q/Q, so the paragraph's next lines were drawn in the
            # page's previous font: "Ana" after an Arabic line came out as other letters in
            # bold. Writing the current font to the page first keeps fpdf2 off that path.
            if self.page and self.current_font is not None and not self.current_font_is_set_on_page:
                self._out(self._set_font_for_page(self.current_font, self.font_size_pt))
            return super()._render_styled_text_line(*args, **kwargs)

    pdf = _PlanPDF(orientation="portrait", unit="mm", format=paper)
    pdf.str_alias_nb_pages = ""  # "{nb}" in someone's notes stays "{nb}", not the page count
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

    fitted = fit(text, style)
    rtl = _starts_rtl(fitted)  # then flush right, and indented from the right
    pdf.set_text_shaping(_needs_shaping(fitted))
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*colour)
    pdf.set_x(pdf.l_margin + (0 if rtl else indent))
    pdf.multi_cell(
        pdf.epw - indent,
        line,
        fitted,
        align="R" if rtl else "L",
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
        if _starts_rtl(item):  # the bullet goes where the line starts: on the right
            pdf.set_xy(pdf.w - pdf.r_margin - 5.5, y)
            pdf.cell(4, LINE, "\u2022", align="R")
        else:
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
    pdf.set_text_shaping(any(_needs_shaping(text) for row in rows for text in row))
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
            fitted = fit(text, "B")
            heading.cell(fitted, align=_align(fitted))
        for values in rows:
            row = table.row()
            for text in values:
                fitted = fit(text)
                # An empty cell would be one thin line; a line break gives room to write.
                row.cell(fitted or "\n", align=_align(fitted))
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
        if hotline.in_spanish:
            _text(pdf, fit, hotline.in_spanish, size=8.5, colour=GREY, line=4.2)
        pdf.ln(3)


def _help_strip(pdf: FPDF, fit: TextFitter, strip: HelpStrip) -> None:
    """Help first: the hotlines (the ways any phone can use), then the person's own people and
    code word, in a box on the first page."""
    pad = 3.0
    top = pdf.get_y()
    pdf.ln(pad)
    inner = pdf.l_margin + pad
    old_margin = pdf.l_margin
    pdf.set_left_margin(inner)
    pdf.set_right_margin(pdf.r_margin + pad)
    try:
        _text(pdf, fit, strip.title, size=13, style="B", line=6.5)
        pdf.ln(0.5)
        for hotline in strip.hotlines:
            ways = [way_text(w) for w in hotline.ways if w.kind in QUICK_WAYS]
            _text(pdf, fit, hotline.name, size=10.5, style="B", line=5.2)
            _text(pdf, fit, "  \u00b7  ".join(ways), size=10.5, indent=4, line=5.2)
        if strip.people:
            pdf.ln(1.5)
            _text(pdf, fit, strip.people_title, size=10.5, style="B", line=5.4)
            for person in strip.people:
                # Name and number on lines of their own: fpdf2 orders only one level of mixed
                # directions, and "محمد: 555-0142" on one line would come out as "0142-555".
                _bullets(pdf, fit, (person.name,))
                if person.contact:
                    _text(pdf, fit, person.contact, indent=6, line=5.0)
        if strip.code_word:
            pdf.ln(1)
            _text(pdf, fit, f"{strip.code_word_title}: {strip.code_word}", size=10.5,
                  style="B", line=5.4)
    finally:
        pdf.set_left_margin(old_margin)
        pdf.set_right_margin(pdf.r_margin - pad)
    pdf.ln(pad)
    bottom = pdf.get_y()
    if pdf.page == 1 and bottom > top:
        pdf.set_line_width(0.6)
        pdf.set_draw_color(*INK)
        pdf.rect(pdf.l_margin, top, pdf.epw, bottom - top)
    pdf.ln(4)


def _sources(pdf: FPDF, fit: TextFitter, appendix: SourcesAppendix) -> None:
    _keep(pdf, 30)
    pdf.ln(8)
    _text(pdf, fit, appendix.title, size=11, style="B", line=6)
    for line in appendix.lines:
        _text(pdf, fit, line, size=8.5, colour=GREY, line=4.4)


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
    # A bookmark per part (the viewer's outline), so the parts can be reached from a list.
    pdf.start_section(strip_controls(f"{section.number}. {section.title}"))
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
    if doc.help_strip is not None:
        _help_strip(pdf, fit, doc.help_strip)
    if doc.preface:
        _text(pdf, fit, doc.preface, size=11, line=5.6)
    for section in doc.sections:
        _section(pdf, fit, section)
    if doc.sources is not None:
        _sources(pdf, fit, doc.sources)
    if fit.replaced:
        pdf.ln(6)
        _text(pdf, fit, doc.pdf_fallback_note, size=9, style="I", colour=GREY, line=4.5)
        _text(pdf, fit, fit.missing_line(), size=9, colour=GREY, line=4.5)


def undrawable(text: str, fonts: SystemFonts | None = None) -> str:
    """The characters of ``text`` that the PDF would print as question marks: those neither
    Noto Sans nor any of ``fonts`` (by default this computer's) has, nor a close equivalent."""
    fit = TextFitter(FontBook(_make_pdf("A4"), system_fonts() if fonts is None else fonts).covers)
    fit(text)
    return "".join(fit.missing)


def render_pdf(
    doc: PlanDocument,
    password: str | None = None,
    *,
    paper: Paper = "letter",
    fonts: SystemFonts | None = None,
) -> bytes:
    """The plan as PDF bytes. With ``password`` the file is encrypted with AES-256 and will
    not open without it. ``ValueError`` for an empty password (it would protect nothing).
    ``fonts`` are the installed fonts to draw what Noto Sans lacks (by default this computer's).
    """
    if password is not None and not password:
        raise ValueError("an empty password would not protect the PDF")
    pdf = _make_pdf(paper)
    # Midnight UTC of the plan's date: the file does not record when exactly it was made.
    pdf.set_creation_date(datetime.datetime.combine(doc.created, datetime.time(), datetime.UTC))
    # The language, so a screen reader speaks it with the right voice. fpdf2 cannot tag
    # headings and lists (its structure tree is internal and holds only images and links): the
    # export says the web page is the one for a screen reader.
    pdf.set_lang(doc.language)
    fit = TextFitter(FontBook(pdf, system_fonts() if fonts is None else fonts).covers)
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


# ── the same machinery for other documents (the incident log) ──────────────────────────────


class PdfWriter:
    """A PDF set the way the plan is: Noto Sans with the computer's fonts for what it lacks,
    shaping only where a paragraph needs it, page numbers, no title or author in the file's
    properties, and an optional AES-256 password. For documents other than the plan (the
    incident log), so that only this module uses fpdf2.

    Long documents are set quickly: a paragraph that Noto Sans alone can draw and that needs no
    shaping is broken into lines here (from the font's own widths, at spaces, as fpdf2 does)
    and each line written as one cell, which is about ten times faster than fpdf2's
    ``multi_cell`` (whose line breaking measures the line again for every character). Anything
    else (other scripts, right to left, combining marks) goes through ``multi_cell`` as in the
    plan. Tables are drawn row by row the same way, shaping switched on only for a cell that
    needs it, with the headings repeated on every page.
    """

    def __init__(
        self,
        *,
        created: datetime.date,
        paper: Paper = "letter",
        fonts: SystemFonts | None = None,
    ) -> None:
        self._pdf = _make_pdf(paper)
        # Midnight UTC of the day: the file does not record when exactly it was made.
        self._pdf.set_creation_date(datetime.datetime.combine(created, datetime.time(),
                                                              datetime.UTC))
        self._book = FontBook(self._pdf, system_fonts() if fonts is None else fonts)
        self.fit = TextFitter(self._book.covers)

    @property
    def width(self) -> float:
        """The width text may take on a page, in mm."""
        return float(self._pdf.epw)

    def page(self) -> None:
        self._pdf.add_page()

    @functools.cached_property
    def _base_chars(self) -> frozenset[str]:
        return frozenset(chr(codepoint) for codepoint in self._book._base) | {"\n"}

    def _fitted(self, text: str, style: str = "") -> str:
        """``self.fit(text, style)``, quicker when Noto Sans has every character already."""
        cleaned = strip_controls(text)
        if set(cleaned) <= self._base_chars:
            return cleaned
        return self.fit(cleaned, style)

    def _lines(self, text: str, width: float, size: float, style: str) -> list[str] | None:
        """``text`` (already fitted) broken into lines ``width`` mm wide, or None when it
        needs fpdf2's own line breaking (a fallback font, shaping or right to left)."""
        if not set(text) <= self._base_chars or _needs_shaping(text) or _starts_rtl(text):
            return None
        pdf = self._pdf
        pdf.set_font(FONT, style, size)
        font: Any = pdf.current_font
        widths: Mapping[int, float] = font.cw
        limit = width / (size * 0.001 / pdf.k)  # in the font's units

        def wide(word: str) -> float:
            return float(sum(widths[ord(ch)] for ch in word))

        space = widths[32]
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line: list[str] = []
            used = 0.0
            for word in paragraph.split(" "):
                rest, size_of = word, wide(word)
                if line and used + space + size_of > limit:
                    lines.append(" ".join(line).rstrip())
                    line, used = [], 0.0
                while size_of > limit and len(rest) > 1:  # wider than the line: cut it
                    cut, taken = 1, float(widths[ord(rest[0])])
                    while cut < len(rest) - 1 and taken + widths[ord(rest[cut])] <= limit:
                        taken += widths[ord(rest[cut])]
                        cut += 1
                    lines.append(rest[:cut])
                    rest = rest[cut:]
                    size_of = wide(rest)
                used += (space if line else 0.0) + size_of
                line.append(rest)
            lines.append(" ".join(line).rstrip())
        return lines

    def text(
        self,
        text: str,
        *,
        size: float = 10.5,
        style: str = "",
        grey: bool = False,
        indent: float = 0.0,
        line: float = LINE,
    ) -> None:
        """A paragraph (its line breaks kept), flush right if it starts right to left."""
        from fpdf.enums import XPos, YPos

        pdf = self._pdf
        fitted = self._fitted(text, style)
        lines = self._lines(fitted, pdf.epw - indent - 2 * pdf.c_margin, size, style)
        if lines is None:
            _text(pdf, self.fit, fitted, size=size, style=style,
                  colour=GREY if grey else INK, indent=indent, line=line)
            return
        pdf.set_text_shaping(False)
        pdf.set_text_color(*(GREY if grey else INK))
        for part in lines:
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(pdf.epw - indent, line, part, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullets(self, items: Sequence[str], *, size: float = 10.5) -> None:
        _bullets(self._pdf, self.fit, tuple(items), size=size)

    def space(self, height: float) -> None:
        _space(self._pdf, height)

    def keep(self, height: float) -> None:
        """A new page unless ``height`` mm are left on this one."""
        _keep(self._pdf, height)

    def rule(self, width: float = 0.4) -> None:
        y = self._pdf.get_y()
        self._pdf.set_line_width(width)
        self._pdf.set_draw_color(*INK)
        self._pdf.line(self._pdf.l_margin, y, self._pdf.w - self._pdf.r_margin, y)

    _PAD: Final = 1.2  # mm inside a table cell

    def _cells(
        self, texts: Sequence[str], cols: Sequence[float], size: float, style: str, line: float
    ) -> tuple[list[list[str] | None], float]:
        """Each cell's lines (None: set by fpdf2) and the row's height."""
        pdf = self._pdf
        found: list[list[str] | None] = []
        most = 1
        for text, width in zip(texts, cols, strict=True):
            lines = self._lines(text, width - 2 * self._PAD, size, style)
            found.append(lines)
            if lines is None:
                pdf.set_font(FONT, style, size)
                pdf.set_text_shaping(_needs_shaping(text))
                found_lines: Any = pdf.multi_cell(
                    width - 2 * self._PAD, line, text, dry_run=True, output="LINES",
                    align=_align(text), markdown=False,
                )
                count = len(found_lines)
            else:
                count = len(lines)
            most = max(most, count)
        return found, most * line + 2 * self._PAD

    def _row(
        self,
        texts: Sequence[str],
        cols: Sequence[float],
        cells: tuple[list[list[str] | None], float],
        *,
        size: float,
        line: float,
        style: str = "",
        heading: bool = False,
    ) -> None:
        """Draw one row of bordered cells at the current position."""
        from fpdf.enums import XPos, YPos

        pdf = self._pdf
        pad = self._PAD
        found, height = cells
        x, y = pdf.l_margin, pdf.get_y()
        pdf.set_line_width(0.2)
        pdf.set_draw_color(*INK)
        pdf.set_text_color(*INK)
        pdf.set_font(FONT, style, size)
        if heading:
            pdf.set_fill_color(238, 241, 245)
        for text, width, lines in zip(texts, cols, found, strict=True):
            pdf.rect(x, y, width, height, style="DF" if heading else "D")
            if lines is None:
                pdf.set_font(FONT, style, size)
                pdf.set_text_shaping(_needs_shaping(text))
                pdf.set_xy(x + pad, y + pad)
                pdf.multi_cell(width - 2 * pad, line, text, align=_align(text), markdown=False,
                               new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            else:
                pdf.set_font(FONT, style, size)
                pdf.set_text_shaping(False)
                for number, part in enumerate(lines):
                    if part:
                        pdf.set_xy(x + pad, y + pad + number * line)
                        pdf.cell(width - 2 * pad, line, part)
            x += width
        pdf.set_xy(pdf.l_margin, y + height)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        size: float = 8.5,
        line: float = 4.0,
        longest: int = 400,
    ) -> None:
        """A table with bordered cells that wrap, its headings repeated on every page it
        spans; ``widths`` are relative. A row is never split across pages (a cell's text is
        cut at ``longest`` characters, with "…", so a row always fits on a page)."""
        pdf = self._pdf
        total = sum(widths)
        cols = [w * pdf.epw / total for w in widths]
        names = [self._fitted(text, "B") for text in headers]
        margin, auto = pdf.b_margin, pdf.auto_page_break
        old_c_margin = pdf.c_margin
        pdf.c_margin = 0  # the cells' padding is drawn here
        pdf.set_auto_page_break(False, margin)  # rows are placed here, never split
        try:
            heading = self._cells(names, cols, size, "B", line)
            self._row(names, cols, heading, size=size, line=line, style="B", heading=True)
            for values in rows:
                texts = [self._fitted(t if len(t) <= longest else t[: longest - 1] + "\u2026")
                         for t in values]
                cells = self._cells(texts, cols, size, "", line)
                if pdf.get_y() + cells[1] > pdf.page_break_trigger:
                    pdf.add_page()
                    self._row(names, cols, heading, size=size, line=line, style="B",
                              heading=True)
                self._row(texts, cols, cells, size=size, line=line)
        finally:
            pdf.c_margin = old_c_margin
            pdf.set_auto_page_break(auto, margin)
        pdf.ln(2)

    def output(self, password: str | None = None) -> bytes:
        """The PDF's bytes; with ``password`` encrypted with AES-256 (ValueError if empty)."""
        if password is not None and not password:
            raise ValueError("an empty password would not protect the PDF")
        if password is not None:
            from fpdf.enums import EncryptionMethod

            self._pdf.set_encryption(
                owner_password=password,
                user_password=password,
                encryption_method=EncryptionMethod.AES_256,
                encrypt_metadata=True,
            )
        return bytes(self._pdf.output())
