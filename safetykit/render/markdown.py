"""The plan as Markdown (CommonMark with GitHub's tables and task lists).

Every piece of text is escaped, so nothing a person typed can become a heading, a list, a
table cell boundary, a link or raw HTML: the only structure is the structure written here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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

# A line to write on. A line of underscores alone would be a thematic break, which a screen reader
# announces as a separator between parts and a renderer draws as a rule; after a no-break space it
# is ordinary text (CommonMark allows only spaces and tabs around a break's underscores), each line
# its own paragraph: on paper a ruled line with room to write, to a screen reader no separator.
WRITE_IN = "\u00a0" + "_" * 60

# Characters that can start or end inline structure anywhere in a line: escapes, code,
# emphasis, links and images, raw HTML and autolinks, table cells, strikethrough, headings.
_INLINE = re.compile(r"([\\`*_\[\]<>|~#])")
# An entity reference such as &amp; or &#65; would be decoded; escape its ampersand.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# What can start a block at the beginning of a line: quotes, list markers, setext underlines,
# fences, and ordered-list numbers ("1." or "1)").
_LINE_START = re.compile(r"^([>+\-=:!])|^(\d+)([.)])")


def escape_inline(text: str) -> str:
    """``text`` on one line, with every Markdown-active character escaped."""
    text = " ".join(strip_controls(text).split())
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


def escape_lines(text: str, indent: str = "") -> str:
    """Multi-line ``text`` escaped, with hard line breaks; continuation lines get ``indent``."""
    lines = [escape_inline(line) for line in strip_controls(text).split("\n")]
    lines = [line for line in lines if line]
    return ("\\\n" + indent).join(lines)


def _cell(text: str) -> str:
    return escape_inline(text) or " "


def _people(table: PeopleTable) -> str:
    lines = [
        "| " + " | ".join(_cell(h) for h in table.headers) + " |",
        "| " + " | ".join("---" for _ in table.headers) + " |",
    ]
    lines.extend(
        f"| {_cell(row.name)} | {_cell(row.contact)} | {_cell(row.knows)} |" for row in table.rows
    )
    lines.extend("|   |   |   |" for _ in range(table.blank_rows))
    return "\n".join(lines)


def _hotlines(block: HotlineList) -> Iterator[str]:
    for hotline in block.hotlines:
        yield f"### {escape_inline(hotline.name)}"
        if hotline.description:
            yield escape_inline(hotline.description)
        if hotline.ways:
            yield "\n".join(
                f"* {escape_inline(way.label)}: {escape_inline(way.value)}"
                if way.label
                else f"* {escape_inline(way.value)}"
                for way in hotline.ways
            )
        if hotline.note:
            yield f"*{escape_inline(hotline.note)}*"
        if hotline.in_spanish:
            yield f"*{escape_inline(hotline.in_spanish)}*"


def _blocks(block: Block | AnswerBlock) -> Iterator[str]:
    """Markdown chunks for one block; chunks are joined by blank lines."""
    if isinstance(block, Paragraph):
        if rendered := escape_lines(block.text):
            yield rendered
    elif isinstance(block, Note):
        if rendered := escape_lines(block.text):
            yield f"*{rendered}*"
    elif isinstance(block, BulletList):
        yield "\n".join(f"* {escape_lines(item, '  ')}" for item in block.items)
    elif isinstance(block, CheckboxList):
        yield "\n".join(
            f"- [{'x' if item.checked else ' '}] {escape_lines(item.label, '  ')}"
            for item in block.items
        )
    elif isinstance(block, BlankLines):
        yield "\n\n".join([WRITE_IN] * block.count)
    elif isinstance(block, PeopleTable):
        yield _people(block)
    elif isinstance(block, HotlineList):
        yield from _hotlines(block)
    elif isinstance(block, Field):
        yield f"### {escape_inline(block.prompt)}"
        for inner in block.blocks:
            yield from _blocks(inner)


def _section(section: DocSection) -> Iterator[str]:
    yield f"## {section.number}. {escape_inline(section.title)}"
    if section.intro:
        yield escape_lines(section.intro)
    if section.guidance:
        # "-" here and "*" for answers, so a guidance list never merges with the next list.
        yield "\n".join(f"- {escape_lines(point, '  ')}" for point in section.guidance)
    for block in section.blocks:
        yield from _blocks(block)


def _help_strip(strip: HelpStrip) -> Iterator[str]:
    """Help first: each hotline on one line with how to reach it, then the person's own people
    and code word."""
    yield f"## {escape_inline(strip.title)}"
    lines = []
    for hotline in strip.hotlines:
        ways = " · ".join(escape_inline(way_text(w)) for w in hotline.ways if w.kind in QUICK_WAYS)
        lines.append(f"* **{escape_inline(hotline.name)}**: {ways}")
    if lines:
        yield "\n".join(lines)
    if strip.people:
        yield f"**{escape_inline(strip.people_title)}**"
        yield "\n".join(
            f"* {escape_inline(p.name)}" + (f": {escape_inline(p.contact)}" if p.contact else "")
            for p in strip.people
        )
    if strip.code_word:
        yield f"**{escape_inline(strip.code_word_title)}:** {escape_inline(strip.code_word)}"


def _sources(appendix: SourcesAppendix) -> Iterator[str]:
    yield f"## {escape_inline(appendix.title)}"
    yield "\n".join(f"* {escape_inline(line)}" for line in appendix.lines)


def render_markdown(doc: PlanDocument) -> str:
    """The whole plan as one Markdown document, ending with a newline."""
    chunks: list[str] = [f"# {escape_inline(doc.title)}", f"*{escape_inline(doc.created_line)}*"]
    if doc.help_strip is not None:
        chunks.extend(_help_strip(doc.help_strip))
    if doc.preface:
        chunks.append(escape_lines(doc.preface))
    for section in doc.sections:
        chunks.extend(_section(section))
    if doc.sources is not None:
        chunks.extend(_sources(doc.sources))
    return "\n\n".join(chunk for chunk in chunks if chunk) + "\n"
