"""Every name survives: the PDF plan draws names in many scripts (issue 12).

Noto Sans ships with safetykit (Latin with Vietnamese, Greek, Cyrillic). Arabic, Hebrew,
Devanagari, Chinese, Japanese and Korean come from fonts installed on the computer (on Debian
fonts-noto-core and fonts-noto-cjk, which ./scripts/test installs when run as root). Tests that
need those fonts are skipped, with the reason, where they are missing; with
``SAFETYKIT_REQUIRE_FONTS=1`` (as CI sets it) that is a failure instead.

What is checked, honestly: text is read back with pypdf, which gives the Unicode text that the
PDF maps its glyphs to, so a name that is found was drawn with real glyphs, not question marks.
It does not show that the glyphs look right; for Arabic joining and Devanagari conjuncts
``test_arabic_is_joined_and_devanagari_is_shaped`` looks at the glyphs the PDF uses, and the
pages were also looked at as pictures (pdftoppm) when this was written.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import subprocess
import sys
import tomllib
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any, Final

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from safetykit.content.plan import load_plan
from safetykit.core.plan import Answers, PlanDocument, build_document
from safetykit.render.pdf import (
    FONT_DIR,
    FONT_FILES,
    SystemFonts,
    render_pdf,
    system_fonts,
    undrawable,
)

REQUIRE_ENV_VAR: Final = "SAFETYKIT_REQUIRE_FONTS"
ROOT: Final = Path(__file__).resolve().parent.parent
CREATED: Final = datetime.date(2026, 11, 24)
_GLYPH_CODES: Final = re.compile(r"[\x00-\x08\x0b-\x1f]")

NAMES: Final = {
    "Vietnamese": "Nguyễn Thị Lan",
    "Greek": "Ελένη Παπαδοπούλου",
    "Cyrillic": "Анна Кузнецова",
    "Arabic": "محمد عبد الله",
    "Hebrew": "דוד כהן",
    "Devanagari": "प्रिया शर्मा",
    "Chinese": "李小龙",
    "Japanese": "山田花子（やまだ はなこ）",
    "Korean": "김민준",
}
SHIPPED: Final = ("Vietnamese", "Greek", "Cyrillic")  # Noto Sans alone draws these
TITLE: Final = "Kế hoạch — خطتي — 我的计划"  # in bold: bold faces come from installed fonts too


def _plan(names: dict[str, str], *, title: str = "My plan", **answers: Any) -> PlanDocument:
    people = [
        {"name": name, "contact": f"555-01{number:02d}", "knows": script}
        for number, (script, name) in enumerate(names.items())
    ]
    given: Answers = {
        "people.trusted": people,
        **{key.replace("_", "."): value for key, value in answers.items()},
    }
    return build_document(load_plan(), given, (), tech_summary=None, title=title, created=CREATED)


def _text(data: bytes, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        assert reader.decrypt(password)
    text = "\n".join(page.extract_text() for page in reader.pages)
    # A glyph with no text of its own (the second glyph of a Devanagari cluster whose text the
    # first glyph carries) comes back from pypdf as its raw code, a control character; and
    # pypdf puts NULs between CJK glyphs. Neither is text in the PDF.
    return unicodedata.normalize("NFKC", _GLYPH_CODES.sub("", text))


def _found(name: str, text: str) -> bool:
    """Whether ``name`` is in text read back from a PDF.

    Everything is NFKC-normalised first, so Arabic read back as presentation forms compares
    equal to the letters typed. Right-to-left names: fpdf2 writes a line's words in visual
    order (the first word rightmost) and pypdf reads them from the left, so the words may come
    back in reverse order; each word's letters come back in reading order. Such a name counts
    as found when its words stand together on one line in either order. CJK names: pypdf puts
    spaces between ideographs, so spaces are ignored there. Other names must appear as typed.
    """
    name = unicodedata.normalize("NFKC", name)
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in name):
        words = name.split()
        return any(
            " ".join(words) in line or " ".join(reversed(words)) in line
            for line in text.splitlines()
        )
    if any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in name):
        return "".join(name.split()) in "".join(text.split())
    return name in " ".join(text.split())


def _font_names(data: bytes) -> set[str]:
    """The fonts embedded in the PDF, without their subset prefix."""
    reader = PdfReader(io.BytesIO(data))
    names: set[str] = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


@pytest.fixture(scope="module")
def installed() -> SystemFonts:
    """This computer's fonts, if they draw every script of NAMES and TITLE (else skip/fail)."""
    fonts = system_fonts()
    lacking = [script for script, name in NAMES.items() if undrawable(name, fonts)]
    if lacking or undrawable(TITLE, fonts):
        reason = (
            f"no installed font draws {', '.join(lacking) or 'the bold title'};"
            " on Debian: apt-get install fonts-noto-core fonts-noto-cjk"
        )
        if os.environ.get(REQUIRE_ENV_VAR) == "1":
            pytest.fail(f"{reason} ({REQUIRE_ENV_VAR}=1)")
        pytest.skip(reason)
    return fonts


@pytest.fixture(scope="module")
def every_script(installed: SystemFonts) -> bytes:
    return render_pdf(
        _plan(NAMES, title=TITLE, places_night=["بيت أختي سارة", "אצל דוד", "दीदी का घर"]),
        fonts=installed,
    )


# ── the shipped font ──────────────────────────────────────────────────────────────────────


def test_the_shipped_font_comes_with_its_licence_and_is_packaged() -> None:
    for name in FONT_FILES.values():
        assert (FONT_DIR / name).is_file(), name
    licence = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Copyright" in licence.splitlines()[0]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = pyproject["tool"]["setuptools"]["package-data"]["safetykit.fonts"]
    assert "*.ttf" in package_data and "*.txt" in package_data
    assert any(dep.startswith("uharfbuzz") for dep in pyproject["project"]["dependencies"])


def test_latin_greek_and_cyrillic_names_need_only_the_shipped_font() -> None:
    names = {script: NAMES[script] for script in SHIPPED}
    data = render_pdf(_plan(names, title="Kế hoạch của tôi"), fonts=SystemFonts.none())
    text = _text(data)
    for script, name in names.items():
        assert _found(name, text), script
    assert _found("Kế hoạch của tôi", text)
    assert load_plan().labels.pdf_fallback not in text
    assert _font_names(data) <= {"NotoSans", "NotoSansBold", "NotoSansItalic"}


def test_an_english_plan_stays_small_and_embeds_only_the_shipped_font() -> None:
    # Whatever is installed here: fonts are added only for characters Noto Sans lacks.
    data = render_pdf(_plan({"English": "Ana Lee"}, happening_notes="Most evenings — ten calls."))
    assert len(data) < 150_000, len(data)
    assert _font_names(data) <= {"NotoSans", "NotoSansBold", "NotoSansItalic"}
    assert "Most evenings — ten calls." in " ".join(_text(data).split())


# ── every script ───────────────────────────────────────────────────────────────────────────


def test_names_in_every_script_survive(every_script: bytes) -> None:
    text = _text(every_script)
    for script, name in NAMES.items():
        assert _found(name, text), script
    assert _found(TITLE.split(" — ")[0], text)
    for part in TITLE.split(" — ")[1:]:
        assert _found(part, text), part
    for place in ("بيت أختي سارة", "אצל דוד", "दीदी का घर"):
        assert _found(place, text), place
    assert "?" not in text.split("Who I can turn to")[1].split("My code word")[0]
    assert load_plan().labels.pdf_fallback not in text


def _glyphs_for(data: bytes, font_part: str) -> dict[str, set[str]]:
    """For the embedded font whose name has ``font_part``: each Unicode text its glyphs stand
    for (from the font's ToUnicode map, which fpdf2 writes as bfchar lines) and the glyph codes
    that stand for it."""
    reader = PdfReader(io.BytesIO(data))
    glyphs: dict[str, set[str]] = defaultdict(set)
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for reference in resources.get("/Font", {}).values():
            font = reference.get_object()
            if font_part not in str(font["/BaseFont"]) or "/ToUnicode" not in font:
                continue
            cmap = font["/ToUnicode"].get_object().get_data().decode("ascii")
            for code, target in re.findall(r"<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>", cmap):
                glyphs[bytes.fromhex(target).decode("utf-16-be")].add(code)
    return glyphs


def test_arabic_is_joined_and_devanagari_is_shaped(every_script: bytes) -> None:
    # Joined Arabic: the two meems of محمد (one starts the word, one is in its middle) are
    # different glyphs; without shaping both would be the same isolated glyph.
    arabic = _glyphs_for(every_script, "Arabic")
    assert len(arabic["\u0645"]) >= 2, dict(arabic)
    # Devanagari: प्रि and र्मा are each drawn as a cluster (a conjunct, a vowel sign moved in
    # front, a reph above), so some glyph stands for several characters with a virama in them.
    devanagari = _glyphs_for(every_script, "Devanagari")
    assert any(len(text) > 1 and "\u094d" in text for text in devanagari), dict(devanagari)


def test_right_to_left_paragraphs_are_set_flush_right(installed: SystemFonts) -> None:
    data = render_pdf(_plan({}, happening_notes="محمد عبد الله\n\nAna Lee"), fonts=installed)
    page = PdfReader(io.BytesIO(data)).pages[0]
    starts: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        for word in text.split():
            starts.setdefault(word, tm[4] * cm[0] + cm[4])

    page.extract_text(visitor_text=visit)
    width = float(page.mediabox.width)
    assert starts["محمد"] > width / 2  # a short right-to-left line ends at the right margin
    assert starts["Ana"] < width / 4


def test_lines_after_a_line_in_another_script_keep_their_font(installed: SystemFonts) -> None:
    # fpdf2 2.8.9 drew these "Ana Lee" lines in the wrong font (see _PlanPDF in pdf.py).
    notes = "李小龙 和 王秀英\nAna Lee\n\nمحمد عبد الله\nAna Lee\nדוד כהן\nBob"
    data = render_pdf(_plan({}, title="خطتي", happening_notes=notes), fonts=installed)
    lines = [" ".join(line.split()) for line in _text(data).splitlines()]
    assert lines.count("Ana Lee") == 2 and "Bob" in lines


def test_password_protection_works_with_embedded_fonts(installed: SystemFonts) -> None:
    password = "correct horse battery staple ✓"
    data = render_pdf(_plan(NAMES, title=TITLE), password=password, fonts=installed)
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not PdfReader(io.BytesIO(data)).decrypt("wrong password")
    encrypt: Any = reader.trailer["/Encrypt"].get_object()
    assert encrypt["/V"] == 5 and encrypt["/R"] == 6  # AES-256
    for name in NAMES.values():
        assert name.encode("utf-8") not in data and name.encode("utf-16-be") not in data
    text = _text(data, password)
    for script, name in NAMES.items():
        assert _found(name, text), script
    metadata = dict(PdfReader(io.BytesIO(data), password=password).metadata or {})
    assert "/Title" not in metadata and "/Author" not in metadata


# ── what cannot be drawn ───────────────────────────────────────────────────────────────────


def test_characters_no_font_has_are_named_at_the_end() -> None:
    # Only the shipped font: Chinese and a private-use character cannot be drawn.
    answers = {"happening_notes": "Ana 李 \ue000 → done"}
    data = render_pdf(_plan({}, **answers), fonts=SystemFonts.none())
    text = " ".join(_text(data).split())
    assert "Ana ? ? -> done" in text  # the arrow has a close equivalent, so it is not named
    assert load_plan().labels.pdf_fallback in text
    assert "U+674E CJK UNIFIED IDEOGRAPH-674E, U+E000" in text
    assert undrawable("Ana 李 \ue000 →", SystemFonts.none()) == "李\ue000"
    assert undrawable("Nguyễn Ελένη Анна", SystemFonts.none()) == ""


def test_installed_fonts_are_found_by_name_in_any_case(tmp_path: Path) -> None:
    fonts = SystemFonts([FONT_DIR, tmp_path / "missing"], fontconfig=False)
    assert fonts.find("notosans-regular.TTF") == FONT_DIR / "NotoSans-Regular.ttf"
    assert fonts.find("NotoSansArabic-Regular.ttf") is None
    assert list(fonts.covering(ord("a"))) == []  # without fontconfig, nothing by coverage


def test_fontconfig_alone_finds_fonts_for_every_script(installed: SystemFonts) -> None:
    # Where the fonts are not where or as named as on Debian: fc-list says what each font has.
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig (fc-list) is not installed; it is optional")
    assert undrawable("".join(NAMES.values()), SystemFonts((), fontconfig=True)) == ""


def test_page_count_alias_in_someone_s_notes_stays_as_written() -> None:
    data = render_pdf(_plan({}, happening_notes="Page {nb} of my diary"), fonts=SystemFonts.none())
    assert "Page {nb} of my diary" in " ".join(_text(data).split())


def test_importing_the_pdf_writer_loads_no_pdf_or_font_library() -> None:
    code = (
        "import sys, safetykit.render.pdf\n"
        "print(sorted(m for m in ('fpdf', 'fontTools', 'uharfbuzz') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"
