"""The incident log as Markdown (CommonMark with GitHub's tables).

Escaped as the plan is (``safetykit.render.markdown``): nothing a person typed can become a
heading, a list, a table cell boundary, emphasis, a link or raw HTML. Typed text is never put
inside emphasis markers either; only the document's own labels are bold.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from safetykit.core.log_document import AttachmentLine, EntryPage, LogDocument
from safetykit.render.markdown import escape_inline, escape_lines


def _cell(text: str) -> str:
    """One table cell: on one line, every active character escaped (pipes too)."""
    return escape_inline(text) or " "


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = [
        "| " + " | ".join(_cell(h) for h in headers) + " |",
        "| " + " | ".join("---" for _ in headers) + " |",
    ]
    lines.extend("| " + " | ".join(_cell(text) for text in row) + " |" for row in rows)
    return "\n".join(lines)


def _labelled(label: str, text: str) -> str:
    """``**Label:**`` and the value, the value on lines of its own when it has several."""
    value = escape_lines(text, "")
    if "\n" in text:
        return f"**{escape_inline(label)}:**\\\n{value}"
    return f"**{escape_inline(label)}:** {value}"


def _file(item: AttachmentLine) -> str:
    lines = [f"* {item.position}\\. {escape_inline(item.name)}"]  # "1\." is not a list
    lines.extend(f"  * {escape_inline(label)}: {escape_inline(value)}"
                 for label, value in item.details)
    return "\n".join(lines)


def _entry(page: EntryPage) -> Iterator[str]:
    yield f"### {escape_inline(page.heading)}"
    if page.summary:
        yield escape_inline(page.summary)
    for field in page.fields:
        yield _labelled(field.label, field.text)
    yield "\\\n".join(escape_inline(line) for line in (page.written, *page.changes))
    if page.attachments:
        yield f"#### {escape_inline(page.attachments_title)}"
        yield "\n".join(_file(item) for item in page.attachments)


def render_log_markdown(doc: LogDocument) -> str:
    """The whole log as one Markdown document, ending with a newline."""
    cover = doc.cover
    chunks: list[str] = [
        f"# {escape_inline(cover.title)}",
        "\n".join(f"- **{escape_inline(label)}:** {escape_inline(value)}"
                  for label, value in cover.facts),
        escape_inline(cover.private_line),
        escape_inline(cover.note),
        f"## {escape_inline(cover.notices_title)}",
        "\n".join(f"* {escape_inline(notice)}" for notice in cover.notices),
        f"## {escape_inline(doc.summary_title)}",
    ]
    if doc.rows:
        chunks.append(_table(doc.summary_headers, [row.cells() for row in doc.rows]))
    else:
        chunks.append(escape_inline(doc.no_entries))
    if doc.entries:
        chunks.append(f"## {escape_inline(doc.entries_title)}")
        for page in doc.entries:
            chunks.extend(_entry(page))
    chunks.append(f"## {escape_inline(doc.manifest_title)}")
    if doc.manifest:
        chunks.append(escape_inline(doc.manifest_note))
        chunks.append(_table(
            doc.manifest_headers,
            [(str(a.entry), a.name + (f" ({a.archive_name})" if a.archive_name else ""),
              a.size_text, a.sha256, a.status) for a in doc.manifest],
        ))
    else:
        chunks.append(escape_inline(doc.no_attachments))
    return "\n\n".join(chunk for chunk in chunks if chunk) + "\n"
