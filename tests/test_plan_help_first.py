"""Help first: every exported plan opens with the hotlines and the person's own people and code
word; where the numbers were checked is one short appendix at the end, and nothing on the page
reads like an audit note."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from safetykit.content.plan import load_plan
from safetykit.content.resources import urgent_resources
from safetykit.core.plan import PlanDocument, build_document
from safetykit.render.html import render_html
from safetykit.render.markdown import render_markdown

CONTENT = load_plan()
PEOPLE = [
    {"name": "Nguyễn Thị Lan", "contact": "555-0199", "knows": "everything"},
    {"name": "محمد", "contact": "555-0142", "knows": "the code word"},
]


def document(answers: dict[str, Any] | None = None) -> PlanDocument:
    return build_document(
        CONTENT, answers or {}, urgent_resources(), tech_summary=None, title="My plan",
        created=datetime.date(2026, 11, 26),
    )


def test_the_strip_holds_every_urgent_hotline_and_only_ways_any_phone_can_use() -> None:
    strip = document().help_strip
    assert strip is not None
    assert [h.name for h in strip.hotlines] == [r.name for r in urgent_resources()]
    for hotline in strip.hotlines:
        assert hotline.description == "" and hotline.note is None
    assert strip.people == () and strip.code_word is None


def test_the_strip_has_the_persons_people_and_code_word_when_given() -> None:
    strip = document({"people.trusted": PEOPLE, "people.code-word": "pineapple"}).help_strip
    assert strip is not None
    assert [p.name for p in strip.people] == ["Nguyễn Thị Lan", "محمد"]
    assert strip.code_word == "pineapple"


def test_sources_appendix_names_each_hotline_with_its_page_in_plain_words() -> None:
    sources = document().sources
    assert sources is not None
    dates = {r.checked for r in urgent_resources()}
    assert sources.title.startswith("Sources (numbers checked on ")
    assert max(dates).isoformat() in sources.title
    assert len(sources.lines) == len(urgent_resources())
    for line, resource in zip(sources.lines, urgent_resources(), strict=True):
        assert line.startswith(resource.name + ": ")
        assert "https://" not in line


@pytest.mark.parametrize("render", [render_markdown, render_html], ids=["md", "html"])
def test_help_comes_first_and_sources_last(render: Any) -> None:
    text = render(document({"people.trusted": PEOPLE, "people.code-word": "pineapple"}))
    strip_at = text.index("If you need help now")
    first_section = text.index("What is happening")
    assert strip_at < first_section
    assert text.index("1-800-799-7233") < first_section
    assert text.index("Nguyễn Thị Lan") < first_section
    assert text.index("pineapple") < first_section
    assert text.rindex("Sources (numbers checked on") > text.rindex("Local numbers")


@pytest.mark.parametrize("render", [render_markdown, render_html], ids=["md", "html"])
def test_nothing_reads_like_an_audit_note(render: Any) -> None:
    text = render(document())
    for phrase in ("stored copy", "Checked on", "Source:", "checked 20"):
        assert phrase not in text, phrase


def test_the_blank_plan_still_opens_with_the_hotlines() -> None:
    text = render_markdown(document())
    head = text[: text.index("## 1.")]
    assert "If you need help now" in head and "988" in head
    assert "My people" not in head  # nothing to show, nothing shown


def test_html_keeps_right_to_left_names_from_swallowing_the_number() -> None:
    html = render_html(document({"people.trusted": PEOPLE}))
    assert "<bdi>محمد</bdi>" in html
    assert re.search(r'<bdi><a href="tel:5550142">555-0142</a></bdi>', html)
