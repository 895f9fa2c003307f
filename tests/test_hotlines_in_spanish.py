"""How to reach the US lines in Spanish (issue 15): a sourced sentence on each line that has one,
shown only to someone using safetykit in Spanish (the hotlines screen, ``--help``, the checklist's
helpers and the printed plan), and always in ``safetykit hotlines --json``."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterator, Sequence

import pytest

from safetykit import i18n
from safetykit.cli.app import run
from safetykit.content.plan import load_plan
from safetykit.content.resources import Resource, resource, urgent_resources
from safetykit.core.plan import HotlineList, build_document
from safetykit.flows.hotlines import hotline_json, hotline_lines, in_spanish
from safetykit.i18n import content
from safetykit.render.html import esc, render_html
from safetykit.render.markdown import escape_inline, render_markdown

ENGLISH = resource("lifeline-988").in_spanish or ""


@pytest.fixture
def spanish() -> Iterator[str]:
    """safetykit speaking Spanish; yields the 988 sentence as the Spanish catalogue has it."""
    token = i18n._current.set("es")
    try:
        yield content("resources:lifeline-988:in_spanish", ENGLISH)
    finally:
        i18n._current.reset(token)


def test_the_sentence_is_there_to_show() -> None:
    assert ENGLISH.startswith("Press 2")


def test_the_hotlines_screen_shows_it_only_in_spanish(spanish: str) -> None:
    shown = "\n".join(hotline_lines(urgent_resources("US")))
    assert spanish in shown
    i18n._current.set("en")
    english = "\n".join(hotline_lines(urgent_resources("US")))
    assert ENGLISH not in english
    assert in_spanish(resource("lifeline-988")) is None


def test_the_hotlines_command_in_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--region", "US", "--plain", "hotlines"]) == 0
    english = capsys.readouterr().out
    assert "988" in english and ENGLISH not in english
    assert run(["--lang", "es", "--region", "US", "--plain", "hotlines"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    token = i18n._current.set("es")
    try:
        expected = content("resources:lifeline-988:in_spanish", ENGLISH)
    finally:
        i18n._current.reset(token)
    assert " ".join(expected.split()) in shown


def test_help_lines_follow_the_language(spanish: str) -> None:
    from safetykit.flows.region import help_lines

    ndvh = resource("ndvh").in_spanish or ""
    assert content("resources:ndvh:in_spanish", ndvh) in help_lines("US")
    i18n._current.set("en")
    assert ndvh not in help_lines("US")


def test_json_always_has_it_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["hotlines", "--json"], ["--lang", "es", "hotlines", "--json"]):
        assert run(["--region", "US", *argv]) == 0
        rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
        assert rows["lifeline-988"]["in_spanish"] == ENGLISH
        assert rows["loveisrespect"]["in_spanish"] is None
    assert run(["--region", "ES", "hotlines", "--json"]) == 0
    assert all("in_spanish" in row for row in json.loads(capsys.readouterr().out))
    assert hotline_json(resource("crisis-text-line"))["in_spanish"] == (
        resource("crisis-text-line").in_spanish
    )


def _plan(resources: Sequence[Resource]) -> tuple[str, str, HotlineList]:
    doc = build_document(load_plan("US"), {}, resources, tech_summary=None, title="Plan",
                         created=datetime.date(2026, 11, 26))
    lists = [b for s in doc.sections for b in s.blocks if isinstance(b, HotlineList)]
    return render_markdown(doc), render_html(doc), lists[0]


def test_the_printed_plan_says_it_only_in_spanish(spanish: str) -> None:
    markdown, html, hotlines = _plan(urgent_resources("US"))
    assert spanish in [h.in_spanish for h in hotlines.hotlines]
    assert f"*{escape_inline(spanish)}*" in markdown
    assert f'<p class="small">{esc(spanish)}</p>' in html
    i18n._current.set("en")
    markdown, html, hotlines = _plan(urgent_resources("US"))
    assert all(h.in_spanish is None for h in hotlines.hotlines)
    assert escape_inline(ENGLISH) not in markdown and esc(ENGLISH) not in html


def test_the_pdf_writer_prints_it(spanish: str) -> None:
    from pypdf import PdfReader

    from safetykit.render.pdf import render_pdf

    doc = build_document(load_plan("US"), {}, urgent_resources("US"), tech_summary=None,
                         title="Plan", created=datetime.date(2026, 11, 26))
    pages = PdfReader(io.BytesIO(render_pdf(doc))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert " ".join(spanish.split()[:4]) in text
