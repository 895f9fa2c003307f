"""The incident log as one self-contained, print-friendly HTML page.

As the plan's page (``safetykit.render.html``): nothing loaded from elsewhere, no scripts, the
same Content-Security-Policy, and every piece of text escaped after control characters are
removed. What the person typed sits in ``<bdi>``, so a name in Arabic or Hebrew cannot reorder
the words around it. No links are made at all. Printed, each incident starts a new page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from safetykit.core.log_document import AttachmentLine, EntryPage, LogDocument
from safetykit.render.html import CSP, esc, esc_lines

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 1rem; line-height: 1.5; color: #1b1b1b; background: #fff;
  max-width: 52rem; margin: 2rem auto; padding: 0 1rem; overflow-wrap: break-word;
}
h1 { font-size: 1.8rem; margin: 0 0 .6rem; }
h2 { font-size: 1.35rem; margin: 0 0 .5rem; }
h3 { font-size: 1.05rem; margin: 1rem 0 .3rem; }
p { margin: .4rem 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  margin: .5rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.notices { border: 2px solid #1b1b1b; border-radius: .4rem; padding: .5rem 1rem; margin: 1rem 0; }
.notices h2 { font-size: 1.15rem; margin: 0 0 .3rem; }
section { border-top: 1px solid #c8c8c8; margin-top: 2rem; padding-top: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid #8a8a8a; padding: .3rem .45rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; font-size: .9rem; }
th { background: #f3f5f8; }
tr { break-inside: avoid; }
td.num { white-space: nowrap; }
.summary-table table, .manifest table { table-layout: fixed; }
.summary-table th:nth-child(1) { width: 2.8rem; }
.summary-table th:nth-child(2) { width: 27%; }
.summary-table th:nth-child(3) { width: 15%; }
.summary-table th:nth-child(4) { width: 14%; }
.t { white-space: nowrap; }
.summary-table th:nth-child(6) { width: 3.6rem; }
.summary-table th:nth-child(7) { width: 5.2rem; }
.manifest th:nth-child(1) { width: 3.6rem; }
.manifest th:nth-child(3) { width: 16%; }
.manifest th:nth-child(4) { width: 30%; }
.sha { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: .85rem; overflow-wrap: anywhere; }
article.entry { border-top: 1px solid #8a8a8a; margin-top: 2rem; padding-top: .8rem; }
article.entry h3 { font-size: 1.25rem; margin: 0; }
.summary { font-size: 1.05rem; margin: .1rem 0 .6rem; }
dl.fields { margin: .4rem 0; }
dl.fields dt { font-weight: 600; color: #444; font-size: .9rem; margin-top: .55rem; }
dl.fields dd { margin: .1rem 0 0; }
.history { color: #555; font-size: .92rem; margin: .8rem 0; }
.history p { margin: .1rem 0; }
.file { margin: .6rem 0; break-inside: avoid; }
.file h5 { font-size: 1rem; margin: 0; }
.file ul { margin: .2rem 0; padding-left: 1.2rem; }
.bad { font-weight: 700; }
.small { color: #555; font-size: .9rem; }
@page { margin: 1.6cm 1.6cm 1.8cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; color: #000; }
  section.summary-table, section.entries, section.manifest, article.entry { break-before: page; }
  section.entries > article.entry:first-of-type { break-before: auto; }
  th, td { font-size: 8.5pt; }
  section { border-top: none; margin-top: 0; }
  h2, h3, dt { break-after: avoid; }
  p, li, dd { orphans: 2; widows: 2; }
  th { background: none; }
  thead { display: table-header-group; }
  .history, .small, dl.fields dt { color: #333; }
  th, td { border-color: #000; }
}
""".strip()


def _typed(text: str) -> str:
    """What the person typed, escaped and kept in its own direction."""
    return f"<bdi>{esc_lines(text)}</bdi>" if text else ""


_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2}|Z)?)?")


def _times(escaped: str) -> str:
    """ISO 8601 times in escaped text kept whole on one line (not broken at their hyphens)."""
    return _TIME.sub(lambda m: f'<span class="t">{m[0]}</span>', escaped)


def _table(headers: Sequence[str], rows: Iterator[str]) -> Iterator[str]:
    yield "<table>"
    yield "<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    yield "</tr></thead>"
    yield "<tbody>"
    yield from rows
    yield "</tbody>"
    yield "</table>"


def _summary_rows(doc: LogDocument) -> Iterator[str]:
    for row in doc.rows:
        cells = (
            f'<td class="num">{row.number}</td>',
            f"<td>{_times(_typed(row.when))}</td>",
            f"<td>{esc(row.kind)}</td>",
            f"<td>{_typed(row.where)}</td>",
            f"<td>{_typed(row.summary)}</td>",
            f'<td class="num">{row.files or ""}</td>',
            f"<td>{esc(row.changed)}</td>",
        )
        yield "<tr>" + "".join(cells) + "</tr>"


def _file(item: AttachmentLine) -> Iterator[str]:
    yield '<div class="file">'
    yield f"<h5>{item.position}. {_typed(item.name)}</h5>"
    yield "<ul>"
    for label, value in item.details:
        shown = f'<span class="sha">{esc(value)}</span>' if value == item.sha256 else _typed(value)
        bad = ' class="bad"' if not item.intact and value == item.status else ""
        yield f"<li{bad}>{esc(label)}: {shown}</li>"
    yield "</ul>"
    yield "</div>"


def _entry(page: EntryPage) -> Iterator[str]:
    yield f'<article class="entry" id="entry-{page.number}">'
    yield f"<h3>{esc(page.heading)}</h3>"
    yield f'<p class="summary">{_typed(page.summary)}</p>'
    yield '<dl class="fields">'
    for field in page.fields:
        yield f"<dt>{esc(field.label)}</dt>"
        yield f"<dd>{_typed(field.text)}</dd>"
    yield "</dl>"
    yield '<div class="history">'
    yield f"<p>{_typed(page.written)}</p>"
    yield from (f"<p>{_typed(change)}</p>" for change in page.changes)
    yield "</div>"
    if page.attachments:
        yield f"<h4>{esc(page.attachments_title)}</h4>"
        for item in page.attachments:
            yield from _file(item)
    yield "</article>"


def _manifest_rows(doc: LogDocument) -> Iterator[str]:
    for a in doc.manifest:
        name = _typed(a.name)
        if a.archive_name:
            name += f'<br><span class="small">{_typed(a.archive_name)}</span>'
        bad = ' class="bad"' if not a.intact else ""
        yield (
            f'<tr><td class="num">{a.entry}</td><td>{name}</td><td>{esc(a.size_text)}</td>'
            f'<td class="sha">{esc(a.sha256)}</td><td{bad}>{esc(a.status)}</td></tr>'
        )


def render_log_html(doc: LogDocument) -> str:
    """The whole log as a single HTML page, ending with a newline."""
    cover = doc.cover
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
        f"<h1>{esc(cover.title)}</h1>",
        '<dl class="facts">',
        *(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>" for label, value in cover.facts),
        "</dl>",
        f"<p>{esc(cover.private_line)}</p>",
        f"<p>{esc(cover.note)}</p>",
        '<aside class="notices">',
        f"<h2>{esc(cover.notices_title)}</h2>",
        "<ul>",
        *(f"<li>{esc(notice)}</li>" for notice in cover.notices),
        "</ul>",
        "</aside>",
        "</header>",
        "<main>",
        '<section class="summary-table">',
        f"<h2>{esc(doc.summary_title)}</h2>",
    ]
    if doc.rows:
        parts.extend(_table(doc.summary_headers, _summary_rows(doc)))
    else:
        parts.append(f"<p>{esc(doc.no_entries)}</p>")
    parts.append("</section>")
    if doc.entries:
        parts.append('<section class="entries">')
        parts.append(f"<h2>{esc(doc.entries_title)}</h2>")
        for page in doc.entries:
            parts.extend(_entry(page))
        parts.append("</section>")
    parts.append('<section class="manifest">')
    parts.append(f"<h2>{esc(doc.manifest_title)}</h2>")
    if doc.manifest:
        parts.append(f'<p class="small">{esc(doc.manifest_note)}</p>')
        parts.extend(_table(doc.manifest_headers, _manifest_rows(doc)))
    else:
        parts.append(f"<p>{esc(doc.no_attachments)}</p>")
    parts.extend(["</section>", "</main>", "</body>", "</html>"])
    return "\n".join(parts) + "\n"
