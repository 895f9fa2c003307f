"""Links in the HTML plan: numbers to call or text, web addresses to open, and nothing else."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetykit.content.plan import load_plan
from safetykit.content.resources import load_resources
from safetykit.core.plan import (
    ContactKind,
    ContactWay,
    HotlineList,
    PlanAnswerError,
    PlanDocument,
    build_document,
)
from safetykit.render.html import (
    LINK_SCHEMES,
    contact_href,
    link,
    phone_href,
    render_html,
    sms_href,
    web_href,
)

TEL = re.compile(r"tel:\+?\d{2,15}")
SMS = re.compile(r"sms:\+?\d{2,15}(?:\?&body=[A-Z][A-Z0-9]{1,19})?")
WEB = re.compile(r"https?://[A-Za-z0-9.\-]+(?::\d+)?(?:[/?#][!#$%&()*+,\-./0-9:;=?@A-Z_a-z~]*)?")


@dataclass(frozen=True)
class FakeResource:
    """Just what the plan reads from a hotline (``core.plan.ResourceLike``)."""

    name: str
    description: str
    phone: str | None
    text: str | None
    tty: str | None
    chat: str | None
    url: str | None
    source: str
    checked: datetime.date
    note: str | None


HOTLINE = FakeResource(
    name="Example Support Line",
    description="Someone to talk to.",
    phone="1-800-555-0100",
    text="Text HELLO to 55555",
    tty="1-800-555-0101",
    chat="https://example.org/chat",
    url="https://example.org",
    source="https://example.org/about",
    checked=datetime.date(2026, 1, 15),
    note=None,
)


def _document(contact: str) -> PlanDocument:
    answers = {"people.trusted": [{"name": "Ana", "contact": contact, "knows": "x"}]}
    return build_document(
        load_plan(),
        answers,
        (HOTLINE,),
        tech_summary=None,
        title="T",
        created=datetime.date(2026, 11, 24),
    )


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs))


def _links(page: str) -> list[dict[str, str | None]]:
    parser = Links()
    parser.feed(page)
    return parser.links


# ── numbers to call ────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "hotline", "typed"),
    [
        # A leading 1 says the country: E.164.
        ("1-800-799-7233", "tel:+18007997233", "tel:+18007997233"),
        ("1 800 799 7233", "tel:+18007997233", "tel:+18007997233"),
        ("+1 (800) 799-7233", "tel:+18007997233", "tel:+18007997233"),
        ("1.800.799.7233", "tel:+18007997233", "tel:+18007997233"),
        ("1\u2011800\u2011799\u20117233", "tel:+18007997233", "tel:+18007997233"),  # odd dashes
        # No country given: the digits as written, for the phone to dial where it is.
        ("(800) 799-7233", "tel:8007997233", "tel:8007997233"),
        ("555-0142", "tel:5550142", "tel:5550142"),
        ("020 7946 0958", "tel:02079460958", "tel:02079460958"),
        ("+44 (0)20 7946 0958", "tel:+442079460958", "tel:+442079460958"),
        ("+49 30 1234567", "tel:+49301234567", "tel:+49301234567"),
        # Short codes: only for hotlines, where the content file says it is a number to call.
        ("988", "tel:988", None),
        ("911", "tel:911", None),
        ("116123", "tel:116123", None),
        # Letters: read on a keypad in a hotline's last seven places, never in typed numbers.
        ("1-800-THE-LOST", "tel:+18008435678", None),
        ("800.656.HOPE", "tel:8006564673", None),
        ("1-800-FLOWERS-NOW", None, None),  # more letters than places: not guessed
        ("1-8OO-799-7233", None, None),  # letter O in the area code
        ("1-800-the-lost", None, None),
        # Not phone numbers.
        ("ext. 204", None, None),
        ("2024-01-15", None, None),
        ("12.03.2024", None, None),
        ("3.14159", None, None),
        ("555-0142 (mobile)", None, None),
        ("call 555-0142", None, None),
        ("+", None, None),
        ("", None, None),
        ("tel:5550142", None, None),
        ("javascript:alert(5550142)", None, None),
        ("+1234567", None, None),  # too short for an international number
        ("+1 555 0142", None, None),  # +1 needs ten more digits
        ("+1234567890123456", None, None),  # longer than E.164 allows
    ],
)
def test_phone_numbers(text: str, hotline: str | None, typed: str | None) -> None:
    assert phone_href(text, hotline=True) == hotline
    assert phone_href(text) == typed


# ── text codes ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("Text START to 88788", "sms:88788?&body=START"),
        ("Text HOME to 741741", "sms:741741?&body=HOME"),
        ("Text LOVEIS to 22522", "sms:22522?&body=LOVEIS"),
        ("Text 988", "sms:988"),
        ("Send any word to 55566", "sms:55566"),
        ("Text 911 if calling is not safe (not available in every area)", "sms:911"),
        ("Text HELP to 1-800-555-0100", "sms:+18005550100?&body=HELP"),
        ("Text HELP to (800) 555-0100.", "sms:8005550100?&body=HELP"),
        ("Text START or HELLO to 88788", "sms:88788"),  # which word is unclear: none
        ("Text 988 or 741741", None),  # which number is unclear: no link
        ("Text us any time", None),
        ("Text START to 1-800-THE-LOST", None),  # letters are for numbers to call only
    ],
)
def test_text_codes(text: str, href: str | None) -> None:
    assert sms_href(text) == href


# ── web addresses ──────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("https://www.thehotline.org", "https://www.thehotline.org"),
        ("https://example.org/a/b?c=d&e=f#g", "https://example.org/a/b?c=d&e=f#g"),
        ("http://example.org:8080/", "http://example.org:8080/"),
        ("HTTPS://Example.ORG/Path", "https://Example.ORG/Path"),
        ("  https://example.org  ", "https://example.org"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox", None),
        ("file:///etc/passwd", None),
        ("ftp://example.org", None),
        ("//example.org", None),
        ("example.org", None),
        ("https://user:secret@example.org", None),
        ("https://example.org/a b", None),
        ('https://example.org/"onmouseover="x', None),
        ("https://example.org/<script>", None),
        ("https://example.org\\@evil.example", None),
        ("https://localhost", None),
        ("https://-bad-.org", None),
        ("https:example.org", None),
        ("https://exa\u043cple.org", None),  # a Cyrillic letter that looks Latin
    ],
)
def test_web_addresses(text: str, href: str | None) -> None:
    assert web_href(text) == href


def test_each_way_of_contact_gets_its_kind_of_link() -> None:
    assert contact_href(ContactWay("Call", "1-800-799-7233", "call")) == "tel:+18007997233"
    assert contact_href(ContactWay("TTY", "1-800-787-3224", "tty")) == "tel:+18007873224"
    assert contact_href(ContactWay(None, "Text START to 88788", "text")) == (
        "sms:88788?&body=START"
    )
    assert contact_href(ContactWay("Chat", "https://x.org", "chat")) == "https://x.org"
    assert contact_href(ContactWay("Web", "https://x.org", "web")) == "https://x.org"
    # A value that is not what its kind says stays text.
    assert contact_href(ContactWay("Call", "https://x.org", "call")) is None
    assert contact_href(ContactWay("Web", "1-800-799-7233", "web")) is None
    assert contact_href(ContactWay("Text", "988", "text")) == "sms:988"
    # A hand-made way without a kind: a web address or a number to call, nothing else.
    assert contact_href(ContactWay("Web", "https://x.org")) == "https://x.org"
    assert contact_href(ContactWay("Call", "988")) == "tel:988"
    assert contact_href(ContactWay(None, "Text START to 88788")) is None


def test_link_escapes_and_only_makes_allowed_links() -> None:
    assert link("tel:988", "988") == '<a href="tel:988">988</a>'
    assert link("sms:88788?&body=START", "Text <START>") == (
        '<a href="sms:88788?&amp;body=START">Text &lt;START&gt;</a>'
    )
    assert link("https://x.org/?a=1&b=2", "x") == (
        '<a href="https://x.org/?a=1&amp;b=2" rel="noopener noreferrer">x</a>'
    )
    assert link(None, "<b>") == "&lt;b&gt;"
    assert link("javascript:alert(1)", "x") == "x"
    assert link("data:text/html,x", "x") == "x"


def test_the_real_hotlines_can_be_called_and_texted() -> None:
    doc = build_document(
        load_plan(),
        {},
        load_resources(),
        tech_summary=None,
        title="",
        created=datetime.date(2026, 11, 24),
    )
    ways = [
        way
        for section in doc.sections
        for block in section.blocks
        if isinstance(block, HotlineList)
        for hotline in block.hotlines
        for way in hotline.ways
    ]
    hrefs = {way.value: contact_href(way) for way in ways}
    assert hrefs["1-800-799-7233"] == "tel:+18007997233"
    assert hrefs["988"] == "tel:988"
    assert hrefs["911"] == "tel:911"
    assert hrefs["Text START to 88788"] == "sms:88788?&body=START"
    assert hrefs["Text HOME to 741741"] == "sms:741741?&body=HOME"
    # Every number to call or text in the content file becomes something to tap.
    for way in ways:
        if way.kind in ("call", "tty", "text"):
            assert contact_href(way), way


# ── nothing typed or stored makes any other kind of link ───────────────────────────────────

_near_misses = st.one_of(
    st.text(),
    st.text(alphabet="+()0123456789 .-\u2011\u00a0ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz:/", max_size=40),
    st.builds(
        "".join,
        st.lists(
            st.sampled_from(
                [
                    "javascript:",
                    "data:",
                    "vbscript:",
                    "tel:",
                    "sms:",
                    "https://",
                    "http://",
                    "//",
                    "1-800-",
                    "+44 ",
                    "555-0142",
                    "988",
                    "Text ",
                    "START",
                    " to ",
                    "example.org",
                    "/",
                    "?",
                    "&",
                    "#",
                    '"',
                    "'",
                    "<",
                    ">",
                    " ",
                    "@",
                    "\\",
                    "%0a",
                    "\n",
                    "\x00",
                ]
            ),
            max_size=8,
        ),
    ),
)


@settings(max_examples=400, deadline=None)
@given(text=_near_misses, kind=st.sampled_from([*get_args(ContactKind), None]))
def test_no_text_makes_a_link_with_another_scheme(text: str, kind: ContactKind | None) -> None:
    href = contact_href(ContactWay(None, text, kind))
    if href is not None:
        assert href.startswith(LINK_SCHEMES)
        assert TEL.fullmatch(href) or SMS.fullmatch(href) or WEB.fullmatch(href), href
    typed = phone_href(text)
    assert typed is None or TEL.fullmatch(typed), typed
    texted = sms_href(text)
    assert texted is None or SMS.fullmatch(texted), texted
    web = web_href(text)
    assert web is None or WEB.fullmatch(web), web


@settings(max_examples=100, deadline=None)
@given(contact=_near_misses)
def test_typed_contacts_only_ever_become_numbers_to_call(contact: str) -> None:
    try:
        doc = _document(contact)
    except PlanAnswerError:
        return
    page = render_html(doc)
    hotline_links = _links(render_html(_document("")))
    links = _links(page)
    extra = [a for a in links if a not in hotline_links]
    # A typed number is a link where the person's people are shown: the help strip and the table.
    assert len(links) - len(hotline_links) in (0, 2)
    for attrs in extra:
        assert TEL.fullmatch(attrs["href"] or ""), attrs
        assert set(attrs) == {"href"}
    for attrs in links:
        href = attrs["href"] or ""
        assert href.startswith(LINK_SCHEMES), href
        if href.startswith(("https:", "http:")):
            assert attrs["rel"] == "noopener noreferrer"


def test_hotlines_in_the_page_are_links_and_typed_numbers_too() -> None:
    page = render_html(_document("555-0142"))
    assert [a["href"] for a in _links(page)] == [
        # The help strip first: the ways any phone can use, then the person's own people.
        "tel:+18005550100",
        "sms:55555?&body=HELLO",
        "tel:+18005550101",
        "tel:5550142",
        # Then the plan: the people table, and the full hotline list.
        "tel:5550142",
        "tel:+18005550100",
        "sms:55555?&body=HELLO",
        "tel:+18005550101",
        "https://example.org/chat",
        "https://example.org",
    ]
    assert '<a href="sms:55555?&amp;body=HELLO">Text HELLO to 55555</a>' in page
    # Links go somewhere when tapped; the page itself still loads nothing.
    assert "default-src 'none'" in page
    for attrs in _links(render_html(_document("javascript:alert(1)"))):
        assert "javascript" not in (attrs["href"] or "")
