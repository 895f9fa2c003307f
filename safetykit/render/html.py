"""The plan as one self-contained, print-friendly HTML page.

No scripts, no fonts, images or style sheets from elsewhere: the page works offline and asks
nothing of the network (a Content-Security-Policy says so to the browser as well). Every
piece of text is HTML-escaped after control characters are removed.

Ticks are text, not form controls: a solid "✔" for ticked and an empty "☐" to tick by hand,
with the state also said in words for screen readers. Hotline numbers are links to tap:
``tel:`` for numbers to call, ``sms:`` for text codes, ``https:`` for web addresses; a number
typed into the people table becomes a ``tel:`` link only when all of it is plainly a phone
number. No other kind of link is ever made. Printed, links are plain black text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from urllib.parse import quote

from safetykit.core.plan import (
    QUICK_WAYS,
    AnswerBlock,
    BlankLines,
    Block,
    BulletList,
    Checkbox,
    CheckboxList,
    ContactWay,
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
from safetykit.i18n import _

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 1rem; line-height: 1.5; color: #1b1b1b; background: #fff;
  max-width: 46rem; margin: 2rem auto; padding: 0 1rem; overflow-wrap: break-word;
}
h1 { font-size: 1.8rem; margin: 0 0 .2rem; }
h2 { font-size: 1.35rem; margin: 0 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1.3rem 0 .35rem; }
p { margin: .4rem 0; }
a { color: #0a4a8f; text-decoration: underline; text-underline-offset: .15em; }
a:focus-visible { outline: 3px solid #0a4a8f; outline-offset: 2px; }
.created { color: #555; margin: 0 0 1rem; }
.preface { font-size: 1.05rem; }
section { border-top: 1px solid #c8c8c8; margin-top: 2rem; padding-top: 1rem; }
.guidance { background: #f3f5f8; border-left: 4px solid #5a7ca3; margin: .8rem 0;
  padding: .5rem 1rem .5rem 2rem; }
.guidance li { margin: .2rem 0; }
.note { color: #555; font-style: italic; }
.ruled { border-bottom: 1px solid #8a8a8a; height: 2rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; table-layout: fixed; }
th:first-child { width: 28%; }
th:nth-child(2) { width: 36%; }
th, td { border: 1px solid #8a8a8a; padding: .35rem .5rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #f3f5f8; }
tr { break-inside: avoid; }
tr.blank td { height: 2rem; }
ul.checks { list-style: none; padding-left: 0; }
ul.checks li { display: flex; gap: .5rem; align-items: baseline; margin: .25rem 0;
  break-inside: avoid; }
.box { flex: none; width: 1.1em; font-size: 1.3em; line-height: 1; color: #000;
  font-family: "DejaVu Sans", "Segoe UI Symbol", "Apple Symbols", "Noto Sans Symbols 2",
  system-ui, sans-serif; }
li.ticked { font-weight: 600; }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }
.hotline { margin: 1rem 0; break-inside: avoid; }
.hotline h3 { margin-bottom: .2rem; }
.hotline ul { margin: .3rem 0; padding-left: 1.2rem; }
.hotline li { margin: .45rem 0; overflow-wrap: anywhere; }
.hotline li a { padding: .3rem 0; }  /* a taller place to tap; the lines do not move */
.small { color: #555; font-size: .88rem; margin: .15rem 0; overflow-wrap: anywhere; }
.help { border: 2px solid #1b1b1b; border-radius: .4rem; padding: .6rem 1rem; margin: 1rem 0;
  break-inside: avoid; }
.help h2 { font-size: 1.2rem; margin: 0 0 .3rem; }
.help h3 { margin: .6rem 0 .2rem; }
ul.quick { margin: .2rem 0; padding-left: 1.2rem; }
ul.quick li { margin: .3rem 0; }
@page { margin: 1.6cm 1.6cm 1.8cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; color: #000; }
  a { color: #000; text-decoration: none; }
  .hotline li { margin: .1rem 0; }
  .vh { display: none; }
  section { border-top: 1px solid #000; }
  h2, h3 { break-after: avoid; }
  p, li { orphans: 2; widows: 2; }
  .guidance { background: none; border-left: 2px solid #000; }
  th { background: none; }
  .note, .small, .created { color: #333; }
  .ruled, th, td { border-color: #000; }
}
""".strip()

# The page may not load or run anything; only its own inline style applies.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def esc(text: str) -> str:
    """``text`` with control characters removed and everything HTML-escaped (quotes too)."""
    return html.escape(strip_controls(text), quote=True)


def esc_lines(text: str) -> str:
    """Escaped text with its line breaks kept as ``<br>``."""
    return "<br>\n".join(esc(line) for line in strip_controls(text).split("\n"))


# ── links: numbers to tap, addresses to open ───────────────────────────────────────────────
# Every href is built here from digits, a plus sign, one upper-case keyword or a checked web
# address; nothing else typed or stored reaches an href. These schemes are the only ones made.
LINK_SCHEMES = ("tel:", "sms:", "https:", "http:")

_SEP = r"[ .\-]?"
# A North American (NANP) number: area code and exchange never start with 0 or 1. With a
# leading 1 the country is known, so the link is E.164 (+1...). Letters (1-800-THE-LOST) are
# only read in the last seven places, and only in hotline numbers, never in typed ones.
_NANP = re.compile(
    rf"(?P<country>\+?1{_SEP})?(?:\((?P<area_p>[2-9]\d\d)\)\ ?|(?P<area>[2-9]\d\d){_SEP})"
    rf"(?P<exchange>[2-9]\d\d){_SEP}(?P<line>\d{{4}})"
)
_NANP_VANITY = re.compile(
    rf"(?P<country>\+?1{_SEP})?(?:\((?P<area_p>[2-9]\d\d)\)\ ?|(?P<area>[2-9]\d\d){_SEP})"
    rf"(?P<exchange>[2-9A-Z][0-9A-Z]{{2}}){_SEP}(?P<line>[0-9A-Z]{{4}})"
)
_KEYPAD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "22233344455566677778889999")
_LOCAL_NANP = re.compile(r"[2-9]\d\d[ .\-]\d{4}")  # 555-0142: dialled as written
_INTERNATIONAL = re.compile(r"\+[1-9](?:[ .\-]?(?:\(0\)|\(\d{1,4}\)|\d))+")  # +44 (0)20 7946 0958
_NATIONAL = re.compile(r"(?:\(0\d{1,4}\)|0\d{1,4})(?:[ .\-]?\d{2,4}){1,4}")  # 020 7946 0958
_SHORT_CODE = re.compile(r"\d{2,6}")  # 988, 911, 112, 116123: hotlines only
# Hotline numbers written in groups as their own country writes them: "1800 341 900" (Ireland),
# "13 11 14" (Australia), "116 123" (UK and Ireland), "9-8-8" (Canada). Hotlines only.
_GROUPED = re.compile(r"\d{2,4}(?: \d{2,4}){1,3}|\d(?:-\d){2,3}")
_DASHES = re.compile(r"[\u00a0\u2009\u202f]|[\u2010-\u2015\u2212]")
# A phone number or short code inside a sentence ("Text START to 88788").
_NUMBER_IN_TEXT = re.compile(r"(?<![\w+(])[+(]?\d(?:[\d().\-]|\s(?=[\d(]))*(?<=\d)(?!\w)")
_KEYWORD = re.compile(r"(?<![\w])[A-Z][A-Z0-9]{1,19}(?![\w])")
_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
_WEB = re.compile(
    rf"(?P<scheme>https?)://{_HOST}(?::\d{{1,5}})?(?:[/?#][A-Za-z0-9\-._~!$&()*+,;=:@/?#%]*)?",
    re.IGNORECASE,
)


def _unify(text: str) -> str:
    """``text`` trimmed, with non-breaking spaces as spaces and every kind of dash as ``-``."""
    return _DASHES.sub(lambda m: " " if m.group().isspace() else "-", text).strip()


def phone_href(text: str, *, hotline: bool = False) -> str | None:
    """A ``tel:`` link if the whole of ``text`` is one phone number, else ``None``.

    ``1-800-799-7233`` becomes ``tel:+18007997233`` (a leading 1 says the country, so the
    number is written in E.164), ``+44 (0)20 7946 0958`` becomes ``tel:+442079460958``;
    numbers without a country (``(800) 799-7233``, ``555-0142``, ``020 7946 0958``) keep
    their digits as written, for the phone to dial where it is. ``hotline`` numbers come from
    the content file, so they may also be short codes (``988`` -> ``tel:988``) or spell words
    in their last seven places (``1-800-THE-LOST`` -> ``tel:+18008435678``); anything longer
    (``1-800-FLOWERS-NOW``) is left as text. Typed numbers never have letters or short codes.
    """
    number = _unify(text)
    if hotline and _SHORT_CODE.fullmatch(number):
        return f"tel:{number}"
    nanp = (_NANP_VANITY if hotline else _NANP).fullmatch(number)
    if nanp:
        area = nanp["area"] or nanp["area_p"]
        rest = (nanp["exchange"] + nanp["line"]).translate(_KEYPAD)
        return f"tel:+1{area}{rest}" if nanp["country"] else f"tel:{area}{rest}"
    if _LOCAL_NANP.fullmatch(number):
        return "tel:" + re.sub(r"\D", "", number)
    if _INTERNATIONAL.fullmatch(number):
        digits = re.sub(r"\D", "", number.replace("(0)", ""))
        if digits.startswith("1"):  # +1 numbers that fit North America were read above
            return None
        return f"tel:+{digits}" if 8 <= len(digits) <= 15 else None
    if _NATIONAL.fullmatch(number):
        digits = re.sub(r"\D", "", number)
        return f"tel:{digits}" if 10 <= len(digits) <= 11 else None
    if hotline and _GROUPED.fullmatch(number):
        digits = re.sub(r"\D", "", number)
        return f"tel:{digits}" if 3 <= len(digits) <= 11 else None
    return None


def sms_href(text: str) -> str | None:
    """An ``sms:`` link for a text code such as ``Text START to 88788``, else ``None``.

    The text needs exactly one number (phone number or short code); one upper-case word
    (``START``) becomes the message ready to send, otherwise the message is left empty:
    ``sms:88788?&body=START``, ``sms:988``. The keyword is still written out on the page, as
    not every phone fills it in.

    Why ``?&body=``: RFC 5724 (section 2.2) writes ``sms:<number>?body=<text>``, which Android's
    messaging apps read; iOS 8 and later read only ``&body=`` (``sms:<number>&body=<text>``, see
    https://stackoverflow.com/questions/6480462 and
    http://blog.julianklotz.de/the-sms-uri-scheme/; Apple's own page
    https://developer.apple.com/library/archive/featuredarticles/iPhoneURLScheme_Reference/SMSLinks/SMSLinks.html
    still says no message text at all). ``?&body=`` is the form both accept
    (https://communications.uams.edu/web/kb/creating-an-sms-link): Android sees a query whose
    field is ``body``, iOS finds ``&body=``. Where neither works, the number is still filled in.
    """
    value = _unify(text)
    numbers = _NUMBER_IN_TEXT.findall(value)
    if len(numbers) != 1:
        return None
    tel = phone_href(numbers[0], hotline=True)
    if tel is None:
        return None
    href = "sms:" + tel.removeprefix("tel:")
    keywords = _KEYWORD.findall(value)
    if len(keywords) == 1:
        href += "?&body=" + quote(keywords[0], safe="")
    return href


def web_href(text: str) -> str | None:
    """``text`` itself if all of it is an ``http(s)://`` address with a plain host name.

    No other scheme, no user name or password in it, no spaces, quotes or angle brackets.
    """
    address = strip_controls(text).strip()
    match = _WEB.fullmatch(address)
    if match is None:
        return None
    return match["scheme"].lower() + address[len(match["scheme"]) :]


def contact_href(way: ContactWay) -> str | None:
    """Where tapping a hotline's way of contact should lead, or ``None`` to leave it as text."""
    match way.kind:
        case "call" | "tty":
            return phone_href(way.value, hotline=True)
        case "text":
            return sms_href(way.value)
        case "chat" | "web":
            return web_href(way.value)
        case None:
            return web_href(way.value) or phone_href(way.value, hotline=True)
    return None  # pragma: no cover


def link(href: str | None, text: str) -> str:
    """``text`` escaped, inside a link to ``href`` when there is one with an allowed scheme."""
    shown = esc(text)
    if href is None or not href.startswith(LINK_SCHEMES):
        return shown
    if href.startswith(("https:", "http:")):
        return f'<a href="{esc(href)}" rel="noopener noreferrer">{shown}</a>'
    return f'<a href="{esc(href)}">{shown}</a>'


def _people(table: PeopleTable) -> Iterator[str]:
    yield "<table>"
    yield "<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in table.headers)
    yield "</tr></thead>"
    yield "<tbody>"
    for row in table.rows:
        # A typed contact is a link only when all of it is plainly a phone number.
        contact = link(phone_href(row.contact), row.contact)
        cells = (esc(row.name), contact, esc(row.knows))
        yield "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
    for _blank in range(table.blank_rows):
        yield '<tr class="blank"><td></td><td></td><td></td></tr>'
    yield "</tbody>"
    yield "</table>"


def _hotlines(block: HotlineList) -> Iterator[str]:
    for hotline in block.hotlines:
        yield '<div class="hotline">'
        yield f"<h3>{esc(hotline.name)}</h3>"
        if hotline.description:
            yield f"<p>{esc(hotline.description)}</p>"
        if hotline.ways:
            yield "<ul>"
            for way in hotline.ways:
                label = f"<strong>{esc(way.label)}:</strong> " if way.label else ""
                yield f"<li>{label}{link(contact_href(way), way.value)}</li>"
            yield "</ul>"
        if hotline.note:
            yield f'<p class="small">{esc(hotline.note)}</p>'
        if hotline.in_spanish:
            yield f'<p class="small">{esc(hotline.in_spanish)}</p>'
        yield "</div>"


def _help_strip(strip: HelpStrip) -> Iterator[str]:
    """Help first: every hotline with the ways that work from any phone, then the person's own
    people and code word. Kept together on the first page."""
    yield '<aside class="help" aria-labelledby="help-title">'
    yield f'<h2 id="help-title">{esc(strip.title)}</h2>'
    yield '<ul class="quick">'
    for hotline in strip.hotlines:
        ways = [
            (esc(way_text(w).removesuffix(w.value)) if w.label else "")
            + link(contact_href(w), w.value)
            for w in hotline.ways if w.kind in QUICK_WAYS
        ]
        yield f"<li><strong>{esc(hotline.name)}</strong>: {' · '.join(ways)}</li>"
    yield "</ul>"
    if strip.people:
        yield f"<h3>{esc(strip.people_title)}</h3>"
        yield '<ul class="quick">'
        for person in strip.people:
            contact = (": <bdi>" + link(phone_href(person.contact), person.contact) + "</bdi>"
                       if person.contact else "")
            # <bdi>: a name in Arabic or Hebrew must not pull the number after it into its
            # right-to-left run ("0142-555 :محمد").
            yield f"<li><bdi>{esc(person.name)}</bdi>{contact}</li>"
        yield "</ul>"
    if strip.code_word:
        yield (f'<p><strong>{esc(strip.code_word_title)}:</strong> '
               f"<bdi>{esc(strip.code_word)}</bdi></p>")
    yield "</aside>"


def _sources(appendix: SourcesAppendix) -> Iterator[str]:
    yield '<section class="sources">'
    yield f"<h2>{esc(appendix.title)}</h2>"
    yield '<ul class="small">'
    for line in appendix.lines:
        yield f"<li>{esc(line)}</li>"
    yield "</ul>"
    yield "</section>"


TICKED = "\u2714\ufe0e"  # ✔ HEAVY CHECK MARK: solid on screen and paper; text, never a colour emoji
NOT_TICKED = "\u2610"  # ☐ BALLOT BOX: empty, to tick with a pen


def _checkbox(item: Checkbox) -> str:
    # The state of a tick, said to screen readers (the boxes themselves are hidden from them).
    if item.checked:
        # TRANSLATORS: said by a screen reader before a ticked choice in the plan's web page.
        start, box, state = '<li class="ticked">', TICKED, _("ticked")
    else:
        # TRANSLATORS: said by a screen reader before a choice left to tick by hand.
        start, box, state = "<li>", NOT_TICKED, _("not ticked")
    return (
        f'{start}<span class="box" aria-hidden="true">{box}</span> '
        f'<span><span class="vh">{esc(state)}: </span>{esc_lines(item.label)}</span></li>'
    )


def _blocks(block: Block | AnswerBlock) -> Iterator[str]:
    if isinstance(block, Paragraph):
        yield f"<p>{esc_lines(block.text)}</p>"
    elif isinstance(block, Note):
        yield f'<p class="note">{esc_lines(block.text)}</p>'
    elif isinstance(block, BulletList):
        yield "<ul>"
        yield from (f"<li>{esc_lines(item)}</li>" for item in block.items)
        yield "</ul>"
    elif isinstance(block, CheckboxList):
        yield '<ul class="checks">'
        yield from (_checkbox(item) for item in block.items)
        yield "</ul>"
    elif isinstance(block, BlankLines):
        yield from ('<div class="ruled" aria-hidden="true"></div>' for _line in range(block.count))
    elif isinstance(block, PeopleTable):
        yield from _people(block)
    elif isinstance(block, HotlineList):
        yield from _hotlines(block)
    elif isinstance(block, Field):
        state = "answered" if block.answered else "to-fill"
        yield f'<div class="field {state}">'
        yield f"<h3>{esc(block.prompt)}</h3>"
        for inner in block.blocks:
            yield from _blocks(inner)
        yield "</div>"


def _section(section: DocSection) -> Iterator[str]:
    yield f'<section id="{esc(section.id)}">'
    yield f"<h2>{section.number}. {esc(section.title)}</h2>"
    if section.intro:
        yield f'<p class="intro">{esc_lines(section.intro)}</p>'
    if section.guidance:
        yield '<ul class="guidance">'
        yield from (f"<li>{esc(point)}</li>" for point in section.guidance)
        yield "</ul>"
    for block in section.blocks:
        yield from _blocks(block)
    yield "</section>"


def render_html(doc: PlanDocument) -> str:
    """The whole plan as a single HTML page, ending with a newline."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(doc.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="robots" content="noindex, nofollow">',
        f"<title>{esc(doc.title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{esc(doc.title)}</h1>",
        f'<p class="created">{esc(doc.created_line)}</p>',
    ]
    if doc.help_strip is not None:
        parts.extend(_help_strip(doc.help_strip))
    if doc.preface:
        parts.append(f'<p class="preface">{esc_lines(doc.preface)}</p>')
    parts.append("</header>")
    parts.append("<main>")
    for section in doc.sections:
        parts.extend(_section(section))
    if doc.sources is not None:
        parts.extend(_sources(doc.sources))
    parts.extend(["</main>", "</body>", "</html>"])
    return "\n".join(parts) + "\n"
