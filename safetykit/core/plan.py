"""The personal plan as data: checking answers, counting progress, building the document.

Pure: nothing here reads or writes files, prints or asks. The writers in ``safetykit.render``
turn a ``PlanDocument`` into Markdown, HTML or PDF; they never look at raw answers.

An answer is stored in the shape its question's kind asks for:

- ``text`` and ``choice``: a string (for a choice, the option id);
- ``lines`` and ``checklist``: a list of strings (for a checklist, option ids);
- ``people``: a list of ``{"name": ..., "contact": ..., "knows": ...}``.

An empty string or empty list means "not answered yet". Unanswered questions appear in the
document with ruled lines or empty boxes, so with no answers at all the document is a blank plan
to fill in by hand.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Literal, Protocol, Self, TypeAlias

from safetykit.content.plan import PlanContent, PlanSection, Question
from safetykit.core.checklist import Progress
from safetykit.core.text import one_line, strip_controls
from safetykit.errors import BadInputError
from safetykit.i18n import _, current_language

Answer: TypeAlias = str | list[str] | list[dict[str, str]]
Answers: TypeAlias = Mapping[str, Answer]

PERSON_FIELDS: Final = ("name", "contact", "knows")
MAX_TEXT: Final = 10_000  # characters in one text answer
MAX_ENTRY: Final = 500  # characters in one line, or one field of a person
MAX_ENTRIES: Final = 100  # lines, people or ticks in one answer


class PlanAnswerError(BadInputError):
    """An answer does not have the shape its question needs. The message never repeats it."""


def _clean_block(text: str) -> str:
    """Cleaned multi-line text: trailing spaces and surrounding blank lines removed."""
    lines = [line.rstrip() for line in strip_controls(text).split("\n")]
    return "\n".join(lines).strip("\n").strip()


# ── answers ────────────────────────────────────────────────────────────────────────────────


def _fail(question: Question, message: str, **values: object) -> PlanAnswerError:
    """``message`` (translated, with ``{question}`` where the question goes) as the error."""
    return PlanAnswerError(
        message.format(question=question.prompt, **values),
        hint=_("You can answer this question again, or leave it blank."),
    )


def _string(question: Question, value: object, limit: int) -> str:
    if not isinstance(value, str):
        raise _fail(question, _("The answer to \u201c{question}\u201d should be written as text."))
    if len(value) > limit:
        raise _fail(
            question,
            _("The answer to \u201c{question}\u201d is longer than {limit} characters."),
            limit=f"{limit:,}",
        )
    return value


def _too_many(question: Question) -> PlanAnswerError:
    return _fail(
        question,
        _("The answer to \u201c{question}\u201d has more than {limit} entries."),
        limit=MAX_ENTRIES,
    )


def _items(question: Question, value: object) -> Sequence[object]:
    if not isinstance(value, list | tuple):
        raise _fail(question, _("The answer to \u201c{question}\u201d should be a list."))
    if len(value) > MAX_ENTRIES:
        raise _too_many(question)
    return value


def _validate_people(question: Question, value: object) -> list[dict[str, str]]:
    people: list[dict[str, str]] = []
    for item in _items(question, value):
        if not isinstance(item, Mapping):
            raise _fail(
                question,
                _(
                    "The answer to \u201c{question}\u201d should list people with a name, how "
                    "to reach them and what they know."
                ),
            )
        unknown = set(item) - set(PERSON_FIELDS)
        if unknown:
            raise _fail(
                question,
                _("The answer to \u201c{question}\u201d has details this question does not "
                  "ask for."),
            )
        person = {
            key: one_line(_string(question, item.get(key, ""), MAX_ENTRY)) for key in PERSON_FIELDS
        }
        if any(person.values()):
            people.append(person)
    return people


def validate_answer(question: Question, value: object) -> Answer:
    """``value`` checked against ``question`` and tidied; ``PlanAnswerError`` if it cannot fit.

    Tidying: surrounding spaces and control characters are removed, empty lines and people with
    no details are dropped, ticked options are put in the order the question lists them. The
    result is what should be stored; an empty result means the question is unanswered.
    """
    match question.kind:
        case "text":
            return _clean_block(_string(question, value, MAX_TEXT))
        case "lines":
            lines: list[str] = []
            for item in _items(question, value):
                entry = _string(question, item, MAX_ENTRY)
                lines.extend(
                    line for line in map(one_line, strip_controls(entry).split("\n")) if line
                )
            if len(lines) > MAX_ENTRIES:
                raise _too_many(question)
            return lines
        case "people":
            return _validate_people(question, value)
        case "choice":
            chosen = _string(question, value, MAX_ENTRY).strip()
            if chosen and question.option(chosen) is None:
                raise _fail(
                    question,
                    _("The answer to \u201c{question}\u201d is not one of the choices offered."),
                )
            return chosen
        case "checklist":
            ticked: set[str] = set()
            for item in _items(question, value):
                option_id = _string(question, item, MAX_ENTRY)
                if question.option(option_id) is None:
                    raise _fail(
                        question,
                        _("The answer to \u201c{question}\u201d includes something that is not "
                          "on the list."),
                    )
                ticked.add(option_id)
            return [option.id for option in question.options if option.id in ticked]
    raise AssertionError(f"unknown question kind {question.kind!r}")  # pragma: no cover


def answer_from_text(question: Question, typed: str) -> Answer:
    """An answer given as text (``safetykit plan answer`` reads it from standard input), checked
    and tidied as ``validate_answer`` does.

    - text: the whole input;
    - lines: one entry per line;
    - people: one person per line, ``name<TAB>how to reach them<TAB>what they know`` (the last
      two may be left out);
    - choice: the option's id;
    - checklist: option ids, one per line (or separated by commas or spaces).
    """
    lines = [line.strip() for line in typed.replace("\r\n", "\n").split("\n")]
    entries = [line for line in lines if line]
    match question.kind:
        case "text":
            return validate_answer(question, typed)
        case "lines":
            return validate_answer(question, entries)
        case "people":
            people = []
            for line in typed.replace("\r\n", "\n").split("\n"):
                if not line.strip():
                    continue
                cells = [cell.strip() for cell in line.split("\t")]
                if len(cells) > len(PERSON_FIELDS):
                    raise _fail(
                        question,
                        _("The answer to \u201c{question}\u201d has a line with more than three "
                          "tab-separated parts."),
                    )
                people.append(dict(zip(PERSON_FIELDS, cells, strict=False)))
            return validate_answer(question, people)
        case "choice":
            if len(entries) > 1:
                raise _fail(
                    question, _("The answer to \u201c{question}\u201d should be one choice.")
                )
            return validate_answer(question, entries[0] if entries else "")
        case "checklist":
            ids = [part for entry in entries for part in re.split(r"[\s,]+", entry) if part]
            return validate_answer(question, ids)
    raise AssertionError(f"unknown question kind {question.kind!r}")  # pragma: no cover


def is_answered(question: Question, value: object) -> bool:
    """Whether ``value`` is a usable, non-empty answer to ``question``."""
    try:
        return bool(validate_answer(question, value))
    except PlanAnswerError:
        return False


@dataclass
class PlanState:
    """The plan's part of the saved state (the vault section ``plan``)::

        {"answers": {question id: answer, ...}, "last_question": question id | null,
         "opened": [section id, ...]}
    """

    SECTION: ClassVar[str] = "plan"

    answers: dict[str, Any] = field(default_factory=dict)
    last_question: str | None = None
    opened: list[str] = field(default_factory=list)
    """The parts the person has opened, in the order first opened."""

    @classmethod
    def from_state(cls, raw: Mapping[str, Any]) -> Self:
        answers = raw.get("answers")
        last = raw.get("last_question")
        opened = raw.get("opened")
        return cls(
            answers={str(k): v for k, v in answers.items()} if isinstance(answers, Mapping) else {},
            last_question=last if isinstance(last, str) else None,
            opened=[str(s) for s in opened if isinstance(s, str)] if isinstance(opened, list)
            else [],
        )

    def to_state(self) -> dict[str, Any]:
        return {"answers": dict(self.answers), "last_question": self.last_question,
                "opened": list(self.opened)}

    def forget(self, question_id: str) -> None:
        self.answers.pop(question_id, None)

    def open_section(self, section_id: str) -> None:
        if section_id not in self.opened:
            self.opened.append(section_id)

    def set_answer(self, question: Question, value: object) -> None:
        """Store ``value`` (checked and tidied), or forget the answer if it is empty."""
        if is_answered(question, value):
            self.answers[question.id] = validate_answer(question, value)
        else:
            self.answers.pop(question.id, None)
        self.last_question = question.id


def current_answers(
    content: PlanContent, plan: PlanState, checklist: Progress
) -> dict[str, Answer]:
    """The plan's answers, with what is happening taken from where the checklist keeps it: one
    answer for both. (An answer the plan kept before it was shared counts until the checklist
    has one.)"""
    answers = dict(plan.answers)
    shared = content.shared_question("behaviours")
    if shared is not None and checklist.behaviours_answered:
        answers.pop(shared.id, None)
        picked = [o.id for o in shared.options if o.id in checklist.behaviours]
        if picked:
            answers[shared.id] = picked
    return answers


def answers_in(content: PlanContent, state: Mapping[str, Any]) -> dict[str, Answer]:
    """``current_answers`` from a whole saved state."""
    plan, checklist = state.get("plan"), state.get("checklist")
    return current_answers(
        content,
        PlanState.from_state(plan if isinstance(plan, Mapping) else {}),
        Progress.from_state(checklist if isinstance(checklist, Mapping) else {}),
    )


def is_asked(content: PlanContent, question: Question, answers: Answers) -> bool:
    """Whether the plan asks ``question``, given the answers so far.

    A question that follows an earlier choice (``only_if``: "Details of my order" after "Do I
    have a protective order?") is left out once that choice is answered with an option not
    listed, such as "I am thinking about it". Before the choice is answered (or while its answer
    is not one of its options) it is asked, and printed to fill in by hand. A question that
    already holds an answer is always asked, so nothing the person wrote is hidden.
    """
    if not question.only_if or is_answered(question, answers.get(question.id)):
        return True
    decided = [
        (qid, ids) for qid, ids in question.only_if
        if any(q.id == qid and is_answered(q, answers.get(qid)) for q in content.questions())
    ]
    return not decided or any(answers[qid] in ids for qid, ids in decided)


def progress(content: PlanContent, answers: Answers) -> tuple[int, int]:
    """``(answered, total)`` questions asked (``is_asked``). Answers that no longer fit their
    question do not count."""
    questions = [q for q in content.questions() if is_asked(content, q, answers)]
    answered = sum(1 for q in questions if q.id in answers and is_answered(q, answers[q.id]))
    return answered, len(questions)


# ── the document ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Paragraph:
    """Text that may run over several lines (``\\n`` marks a line break)."""

    text: str


@dataclass(frozen=True)
class Note:
    """Small print: a hint on how to fill something in, or where a number came from."""

    text: str


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Person:
    name: str
    contact: str
    knows: str


@dataclass(frozen=True)
class PeopleTable:
    """People with how to reach them; ``blank_rows`` empty rows are added to fill in by hand."""

    headers: tuple[str, str, str]
    rows: tuple[Person, ...]
    blank_rows: int = 0


@dataclass(frozen=True)
class Checkbox:
    label: str
    checked: bool


@dataclass(frozen=True)
class CheckboxList:
    items: tuple[Checkbox, ...]


@dataclass(frozen=True)
class BlankLines:
    """Ruled lines to write on by hand."""

    count: int


ContactKind: TypeAlias = Literal["call", "text", "tty", "chat", "web"]


@dataclass(frozen=True)
class ContactWay:
    """One way to reach a service. ``label`` is ``None`` when ``value`` already says it.

    ``kind`` says what ``value`` is (a number to call, a text code, a web address, ...), so a
    writer can make it something to tap without reading ``label``, which may be translated.
    """

    label: str | None
    value: str
    kind: ContactKind | None = None


@dataclass(frozen=True)
class Hotline:
    name: str
    description: str
    ways: tuple[ContactWay, ...]
    note: str | None
    provenance: str  # "Source: <where>, checked <date>"
    in_spanish: str | None = None
    """How to reach it in Spanish, printed beside the note only in a Spanish plan."""


@dataclass(frozen=True)
class HotlineList:
    hotlines: tuple[Hotline, ...]


AnswerBlock: TypeAlias = Paragraph | Note | BulletList | PeopleTable | CheckboxList | BlankLines


@dataclass(frozen=True)
class Field:
    """One question and what was answered; ``answered`` is False when it is left to fill in."""

    prompt: str
    blocks: tuple[AnswerBlock, ...]
    answered: bool


Block: TypeAlias = Paragraph | Note | BulletList | BlankLines | HotlineList | Field


@dataclass(frozen=True)
class DocSection:
    id: str
    number: int
    title: str
    intro: str
    guidance: tuple[str, ...]
    blocks: tuple[Block, ...]


def way_text(way: ContactWay) -> str:
    """One way to reach a hotline on one line: "Call 988", "Text: Send any word to 55566"."""
    if not way.label:
        return way.value
    joiner = " " if way.value[:1].isdigit() or way.value[:1] == "+" else ": "
    return f"{way.label}{joiner}{way.value}"


QUICK_WAYS: Final = frozenset({"call", "text", "tty", None})
"""The ways to reach a hotline shown in the help strip: the ones that work from any phone (and
what to do where there is no one number)."""


@dataclass(frozen=True)
class HelpStrip:
    """What opens the plan, before anything else: the hotlines (name and how to reach them),
    then the person's own people and code word where they wrote them."""

    title: str
    hotlines: tuple[Hotline, ...]
    people_title: str
    people: tuple[Person, ...]
    code_word_title: str
    code_word: str | None


@dataclass(frozen=True)
class SourcesAppendix:
    """Where each number was checked, in plain words, at the very end."""

    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class PlanDocument:
    """A render-neutral plan. Every string in it has had control characters removed."""

    title: str
    created: datetime.date
    created_line: str
    preface: str
    language: str
    sections: tuple[DocSection, ...]
    pdf_fallback_note: str
    help_strip: HelpStrip | None = None
    sources: SourcesAppendix | None = None

    @property
    def answered(self) -> int:
        return sum(
            1
            for section in self.sections
            for block in section.blocks
            if isinstance(block, Field) and block.answered
        )


class ResourceLike(Protocol):
    """What the plan needs from a hotline (``safetykit.content.resources.Resource`` fits)."""

    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def text(self) -> str | None: ...
    @property
    def tty(self) -> str | None: ...
    @property
    def chat(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def source(self) -> str: ...
    @property
    def checked(self) -> datetime.date: ...
    @property
    def note(self) -> str | None: ...


def _paragraphs(text: str) -> tuple[Paragraph, ...]:
    parts = re.split(r"\n[ ]*\n+", text)
    return tuple(Paragraph(part.strip("\n")) for part in parts if part.strip())


def _checkboxes(question: Question, ticked: Sequence[str]) -> CheckboxList:
    return CheckboxList(
        tuple(Checkbox(one_line(option.label), option.id in ticked) for option in question.options)
    )


def _field(content: PlanContent, question: Question, raw: object) -> Field:
    value = validate_answer(question, raw)
    prompt = one_line(question.prompt)
    labels = content.labels
    headers = (one_line(labels.name), one_line(labels.contact), one_line(labels.knows))
    if value:
        answer: tuple[AnswerBlock, ...]
        if isinstance(value, str):
            answer = (
                (_checkboxes(question, [value]),)
                if question.kind == "choice"
                else _paragraphs(value)
            )
        elif question.kind == "people":
            rows = tuple(
                Person(p["name"], p["contact"], p["knows"]) for p in value if isinstance(p, dict)
            )
            answer = (PeopleTable(headers, rows),)
        elif question.kind == "checklist":
            answer = (_checkboxes(question, [str(option) for option in value]),)
        else:
            answer = (BulletList(tuple(str(line) for line in value)),)
        return Field(prompt, answer, answered=True)

    blank: list[AnswerBlock] = []
    if question.help:
        blank.append(Note(one_line(question.help)))
    if question.kind == "people":
        blank.append(PeopleTable(headers, (), blank_rows=max(question.blank_lines, 1)))
    elif question.kind in ("choice", "checklist"):
        if not question.help:
            hint = labels.tick_one if question.kind == "choice" else labels.tick_any
            blank.append(Note(one_line(hint)))
        blank.append(_checkboxes(question, []))
        if question.blank_lines:
            blank.append(BlankLines(question.blank_lines))
    else:
        blank.append(BlankLines(max(question.blank_lines, 1)))
    return Field(prompt, tuple(blank), answered=False)


def _hotline(content: PlanContent, resource: ResourceLike) -> Hotline:
    labels = content.labels
    ways: list[ContactWay] = []
    seen: set[str] = set()
    kinds: tuple[tuple[ContactKind, str, str | None], ...] = (
        ("call", labels.call, resource.phone),
        ("text", labels.text, resource.text),
        ("tty", labels.tty, resource.tty),
        ("chat", labels.chat, resource.chat),
        ("web", labels.web, resource.url),
    )
    for kind, label, value in kinds:
        if not value or not one_line(value) or one_line(value) in seen:
            continue
        clean_value = one_line(value)
        seen.add(clean_value)
        # "Text START to 88788" already says how; "Text: Text START ..." would stutter.
        says_it = clean_value.casefold().startswith(label.casefold() + " ")
        ways.append(ContactWay(None if says_it else one_line(label), clean_value, kind))
    instruction = getattr(resource, "instruction", None)
    if not ways and isinstance(instruction, str) and one_line(instruction):
        # No one number to call (somewhere else; Nunavut): what to do, said as it is.
        ways.append(ContactWay(None, one_line(instruction), None))
    provenance = (
        f"{one_line(labels.source)}: {one_line(resource.source)}, "
        f"{one_line(labels.checked)} {resource.checked.isoformat()}"
    )
    note = one_line(resource.note) if resource.note else None
    # Optional on ResourceLike (a Resource has it): said only to someone reading in Spanish.
    spanish = getattr(resource, "in_spanish", None)
    in_spanish = one_line(spanish) if isinstance(spanish, str) else ""
    return Hotline(
        name=one_line(resource.name),
        description=one_line(resource.description),
        ways=tuple(ways),
        note=note or None,
        provenance=provenance,
        in_spanish=in_spanish if in_spanish and current_language() == "es" else None,
    )


def _section_blocks(
    content: PlanContent,
    section: PlanSection,
    answers: Answers,
    resources: Sequence[ResourceLike],
    tech_summary: Sequence[str] | None,
) -> tuple[Block, ...]:
    blocks: list[Block] = []
    if section.fill == "tech_summary":
        summary = [line for line in map(one_line, tech_summary or ()) if line]
        if summary:
            blocks.append(BulletList(tuple(summary)))
        else:
            blocks.append(Note(one_line(section.empty_note or "")))
            blocks.append(BlankLines(max(section.blank_lines, 1)))
    elif section.fill == "resources":
        if resources:
            blocks.append(HotlineList(tuple(_hotline(content, r) for r in resources)))
        else:
            blocks.append(Paragraph(one_line(content.labels.no_resources)))
    blocks.extend(
        _field(content, q, answers.get(q.id, _EMPTY[q.kind]))
        for q in section.questions
        if is_asked(content, q, answers)
    )
    return tuple(blocks)


_EMPTY: Final[Mapping[str, Answer]] = {
    "text": "",
    "choice": "",
    "lines": [],
    "checklist": [],
    "people": [],
}


def build_document(
    content: PlanContent,
    answers: Answers,
    resources: Sequence[ResourceLike],
    *,
    tech_summary: Sequence[str] | None,
    title: str,
    created: datetime.date,
) -> PlanDocument:
    """The plan as a document, ready for any writer.

    Every section is included, with every question the answers leave in (``is_asked``).
    Unanswered questions get their prompt, any help text, and space to write by hand; with no
    answers at all this is a printable blank plan. The hotlines come from ``resources`` in the
    order given, each with its source and the date it was checked.
    ``tech_summary`` lines fill the technology section. Raises ``PlanAnswerError`` if a stored
    answer no longer fits its question (answers to unknown questions are ignored).
    """
    sections = tuple(
        DocSection(
            id=section.id,
            number=number,
            title=one_line(section.title),
            intro=_clean_block(section.intro),
            guidance=tuple(one_line(point) for point in section.guidance),
            blocks=_section_blocks(content, section, answers, resources, tech_summary),
        )
        for number, section in enumerate(content.sections, start=1)
    )
    return PlanDocument(
        help_strip=_help_strip(content, answers, resources),
        sources=_sources_appendix(content, resources),
        title=one_line(title) or one_line(content.default_title),
        created=created,
        created_line=f"{one_line(content.labels.created)} {created.isoformat()}",
        preface=_clean_block(content.preface),
        language=current_language(),
        sections=sections,
        pdf_fallback_note=one_line(content.labels.pdf_fallback),
    )


def _help_strip(
    content: PlanContent, answers: Answers, resources: Sequence[ResourceLike]
) -> HelpStrip:
    first = content.help_first
    people: tuple[Person, ...] = ()
    raw_people = answers.get(first.people_from)
    if raw_people:
        with contextlib.suppress(PlanAnswerError):
            valid = validate_answer(content.question(first.people_from), raw_people)
            people = tuple(
                Person(p["name"], p["contact"], p["knows"]) for p in valid if isinstance(p, dict)
            )
    code_word = None
    raw_word = answers.get(first.code_word_from)
    if raw_word:
        with contextlib.suppress(PlanAnswerError):
            code_word = one_line(str(validate_answer(content.question(first.code_word_from),
                                                     raw_word))) or None
    hotlines = tuple(
        dataclasses.replace(_hotline(content, r), description="", note=None) for r in resources
    )
    return HelpStrip(
        title=one_line(first.title),
        hotlines=hotlines,
        people_title=one_line(first.people_title),
        people=people,
        code_word_title=one_line(first.code_word_title),
        code_word=code_word,
    )


def _short_address(url: str) -> str:
    """``https://www.thehotline.org/get-help/`` → ``thehotline.org/get-help``."""
    return re.sub(r"^https?://(www\.)?", "", url.strip()).rstrip("/")


def _sources_appendix(
    content: PlanContent, resources: Sequence[ResourceLike]
) -> SourcesAppendix | None:
    if not resources:
        return None
    dates = sorted({r.checked for r in resources})
    # TRANSLATORS: the days the numbers were checked, as "2026-01-05 to 2026-03-03".
    when = dates[-1].isoformat() if len(dates) == 1 else _("{first} to {last}").format(
        first=dates[0].isoformat(), last=dates[-1].isoformat()
    )
    lines = tuple(
        f"{one_line(r.name)}: {_short_address(r.source)}" for r in resources
    )
    return SourcesAppendix(
        title=one_line(content.help_first.sources_title.replace("{date}", when)), lines=lines
    )
