"""The plan as one self-contained, print-friendly HTML page.

No scripts, no fonts, images or style sheets from elsewhere: the page works offline and asks
nothing of the network (a Content-Security-Policy says so to the browser as well). Every
piece of text is HTML-escaped after control characters are removed.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

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

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 1rem; line-height: 1.5; color: #1b1b1b; background: #fff;
  max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
}
h1 { font-size: 1.8rem; margin: 0 0 .2rem; }
h2 { font-size: 1.35rem; margin: 0 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1.3rem 0 .35rem; }
p { margin: .4rem 0; }
.created { color: #555; margin: 0 0 1rem; }
.preface { font-size: 1.05rem; }
section { border-top: 1px solid #c8c8c8; margin-top: 2rem; padding-top: 1rem; }
.guidance { background: #f3f5f8; border-left: 4px solid #5a7ca3; margin: .8rem 0;
  padding: .5rem 1rem .5rem 2rem; }
.guidance li { margin: .2rem 0; }
.note { color: #555; font-style: italic; }
.ruled { border-bottom: 1px solid #8a8a8a; height: 2rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid #8a8a8a; padding: .35rem .5rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #f3f5f8; }
tr.blank td { height: 2rem; }
ul.checks { list-style: none; padding-left: .2rem; }
ul.checks li { margin: .2rem 0; }
ul.checks label { display: flex; gap: .5rem; align-items: baseline; }
ul.checks input { margin: 0; flex: none; }
.hotline { margin: 1rem 0; break-inside: avoid; }
.hotline h3 { margin-bottom: .2rem; }
.hotline ul { margin: .3rem 0; }
.small { color: #555; font-size: .88rem; margin: .15rem 0; overflow-wrap: anywhere; }
@media print {
  @page { margin: 1.6cm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; color: #000; }
  section { border-top: 1px solid #000; }
  h2, h3 { break-after: avoid; }
  .guidance { background: none; border-left: 2px solid #000; }
  th { background: none; }
  .note, .small, .created { color: #333; }
  .ruled { border-bottom-color: #000; }
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


def _people(table: PeopleTable) -> Iterator[str]:
    yield "<table>"
    yield "<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in table.headers)
    yield "</tr></thead>"
    yield "<tbody>"
    for row in table.rows:
        cells = (row.name, row.contact, row.knows)
        yield "<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in cells) + "</tr>"
    for _ in range(table.blank_rows):
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
                yield f"<li>{label}{esc(way.value)}</li>"
            yield "</ul>"
        if hotline.note:
            yield f'<p class="small">{esc(hotline.note)}</p>'
        yield f'<p class="small">{esc(hotline.provenance)}</p>'
        yield "</div>"


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
        for item in block.items:
            checked = " checked" if item.checked else ""
            yield (
                f'<li><label><input type="checkbox" disabled{checked}> '
                f"{esc_lines(item.label)}</label></li>"
            )
        yield "</ul>"
    elif isinstance(block, BlankLines):
        yield from ('<div class="ruled" aria-hidden="true"></div>' for _ in range(block.count))
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
    if doc.preface:
        parts.append(f'<p class="preface">{esc_lines(doc.preface)}</p>')
    parts.append("</header>")
    parts.append("<main>")
    for section in doc.sections:
        parts.extend(_section(section))
    parts.extend(["</main>", "</body>", "</html>"])
    return "\n".join(parts) + "\n"
