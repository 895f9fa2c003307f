"""The HTML plan printed by a real browser: headless Chromium prints it to PDF, pypdf reads it.

Skipped, with the reason, when no Chromium is installed (``./scripts/test`` installs Debian's
``chromium`` when run as root). Set ``SAFETYKIT_REQUIRE_CHROMIUM=1`` to make that a failure, as
CI does. Two prints, about a second each.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import signal
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from safetykit.content.plan import load_plan
from safetykit.content.resources import resources_for
from safetykit.core.plan import (
    Answers,
    CheckboxList,
    Field,
    HotlineList,
    PlanDocument,
    build_document,
)
from safetykit.render.html import LINK_SCHEMES, contact_href, render_html

REQUIRE_ENV_VAR = "SAFETYKIT_REQUIRE_CHROMIUM"
BROWSERS = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome")
PRINT_TIMEOUT = 60  # seconds for one print; it takes about one
CREATED = datetime.date(2026, 11, 24)
# Measured with Chromium 156 on US Letter (its default page): blank 16 pages, filled 15. The
# ranges leave room for other paper (A4), fonts and a few more hotlines, not for a broken layout.
BLANK_PAGES = range(12, 21)
FILLED_PAGES = range(11, 21)

ANSWERS: Answers = {
    "happening.behaviours": ["shows-up", "calls-texts", "self-harm-threats"],
    "happening.notes": "It started in March, after I ended it.",
    "people.trusted": [
        {"name": "Ana", "contact": "555-0142", "knows": "Everything"},
        {"name": "Mr. Okafor", "contact": "ext. 204", "knows": "Only that my ex may call"},
    ],
    "people.code-word": "Did you feed the goldfish?",
    "contact.approach": "block-some",
    "danger.go-bag": ["phone", "id", "money"],
    "legal.order": "considering",
}


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    reason = (
        "no Chromium found (looked for " + ", ".join(BROWSERS) + "); ./scripts/test installs "
        "Debian's chromium when run as root"
    )
    if os.environ.get(REQUIRE_ENV_VAR) == "1":
        pytest.fail(f"{reason}, and {REQUIRE_ENV_VAR}=1 says it must be there")
    pytest.skip(f"{reason}. Set {REQUIRE_ENV_VAR}=1 to make this a failure.")


def _print_to_pdf(browser: str, page: str, folder: Path) -> bytes:
    """``page`` printed by headless Chromium with the browser's own header and footer off."""
    folder.mkdir(parents=True)
    html_file = folder / "plan.html"
    html_file.write_text(page, encoding="utf-8")
    pdf_file = folder / "plan.pdf"
    home = folder / "home"
    home.mkdir()
    command = [
        browser,
        "--headless",
        "--no-sandbox",  # tests may run as root, where Chromium's sandbox refuses to start
        "--disable-gpu",
        "--no-pdf-header-footer",  # the name since Chromium 111 ...
        "--print-to-pdf-no-header",  # ... and before it (unknown switches are ignored)
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-breakpad",
        f"--user-data-dir={folder / 'profile'}",
        f"--print-to-pdf={pdf_file}",
        html_file.as_uri(),
    ]
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its helper processes share the group: one kill ends all
    ) as process:
        try:
            _, err = process.communicate(timeout=PRINT_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            pytest.fail(f"Chromium did not print within {PRINT_TIMEOUT} s")
    if process.returncode != 0 or not pdf_file.is_file():
        tail = err.decode(errors="replace")[-2000:]
        pytest.fail(f"Chromium could not print (exit {process.returncode}):\n{tail}")
    return pdf_file.read_bytes()


@dataclass(frozen=True)
class Printed:
    doc: PlanDocument
    reader: PdfReader
    text: str  # all pages, ligatures unfolded (NFKC), whitespace squashed to single spaces

    @property
    def pages(self) -> int:
        return len(self.reader.pages)

    def uris(self) -> list[str]:
        """Where the PDF's links go."""
        found: list[str] = []
        for page in self.reader.pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A")
                if action is not None and "/URI" in action:
                    found.append(str(action["/URI"]))
        return found


def _printed(browser: str, doc: PlanDocument, folder: Path) -> Printed:
    reader = PdfReader(io.BytesIO(_print_to_pdf(browser, render_html(doc), folder)))
    raw = "\n".join(page.extract_text() for page in reader.pages)
    text = " ".join(unicodedata.normalize("NFKC", raw).split())
    return Printed(doc, reader, text)


def _document(answers: Answers) -> PlanDocument:
    return build_document(
        load_plan(),
        answers,
        resources_for("US"),
        tech_summary=["Checklist: 7 of 12 steps done."] if answers else None,
        title="",
        created=CREATED,
    )


@pytest.fixture(scope="module")
def browser() -> str:
    return _browser()


@pytest.fixture(scope="module")
def blank(browser: str, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    return _printed(browser, _document({}), tmp_path_factory.mktemp("blank") / "print")


@pytest.fixture(scope="module")
def filled(browser: str, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    return _printed(browser, _document(ANSWERS), tmp_path_factory.mktemp("filled") / "print")


def _ticks(doc: PlanDocument) -> tuple[int, int]:
    """``(ticked, not ticked)`` boxes in the document."""
    boxes = [
        box.checked
        for section in doc.sections
        for block in section.blocks
        if isinstance(block, Field)
        for inner in block.blocks
        if isinstance(inner, CheckboxList)
        for box in inner.items
    ]
    return boxes.count(True), boxes.count(False)


def _no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_page_counts_fit_a_plan(blank: Printed, filled: Printed) -> None:
    assert blank.pages in BLANK_PAGES, blank.pages
    assert filled.pages in FILLED_PAGES, filled.pages


@pytest.mark.parametrize("which", ["blank", "filled"])
def test_printed_text_has_every_heading_and_every_number(
    which: str, request: pytest.FixtureRequest
) -> None:
    printed: Printed = request.getfixturevalue(which)
    for section in printed.doc.sections:
        assert f"{section.number}. {section.title}" in printed.text, section.title
    text = _no_space(printed.text)  # a long entry may wrap anywhere
    ways = [
        way
        for section in printed.doc.sections
        for block in section.blocks
        if isinstance(block, HotlineList)
        for hotline in block.hotlines
        for way in hotline.ways
    ]
    assert ways
    for way in ways:
        if way.kind in ("call", "tty", "text"):
            assert _no_space(way.value) in text, way.value
    # The numbers print as they read: no link targets appended, no browser header or footer.
    for leftover in ("tel:", "sms:", "file:", "plan.html"):
        assert leftover not in printed.text
    assert "ticked:" not in printed.text  # the words for screen readers are not printed


def test_ticks_print_as_text(blank: Printed, filled: Printed) -> None:
    ticked, not_ticked = _ticks(filled.doc)
    assert ticked >= 3
    assert filled.text.count("\u2714") == ticked
    assert filled.text.count("\u2610") == not_ticked
    assert "Did you feed the goldfish?" in filled.text
    # A blank plan: only empty boxes, one for each option.
    assert blank.text.count("\u2714") == 0
    assert blank.text.count("\u2610") == sum(_ticks(blank.doc)) > 20


def test_links_survive_into_the_pdf(filled: Printed) -> None:
    uris = filled.uris()
    assert "tel:+18007997233" in uris
    assert "tel:988" in uris
    assert "sms:88788?&body=START" in uris
    assert "tel:5550142" in uris  # Ana's number, typed into the people table
    assert all(uri.startswith(LINK_SCHEMES) for uri in uris), uris
    expected = {
        href
        for section in filled.doc.sections
        for block in section.blocks
        if isinstance(block, HotlineList)
        for hotline in block.hotlines
        for way in hotline.ways
        if (href := contact_href(way))
    }
    # Chromium writes web addresses in their normal form (https://rainn.org/).
    assert {href.rstrip("/") for href in expected} <= {uri.rstrip("/") for uri in uris}
