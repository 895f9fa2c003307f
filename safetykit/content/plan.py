"""The personal plan's questionnaire, loaded from ``plan.toml`` and checked against its schema.

The plan has numbered sections. Each has an introduction, a few points of guidance printed in
the plan, and questions. Two sections are filled from elsewhere rather than asked: the
technology summary (``fill = "tech_summary"``) and the hotlines (``fill = "resources"``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Final, Literal, cast, get_args

from safetykit.content._files import ContentError, read_toml

PLAN_FILE: Final = "plan.toml"

QuestionKind = Literal["text", "lines", "people", "choice", "checklist"]
QUESTION_KINDS: Final[tuple[str, ...]] = get_args(QuestionKind)
KINDS_WITH_OPTIONS: Final = frozenset({"choice", "checklist"})

SectionFill = Literal["tech_summary", "resources"]
SECTION_FILLS: Final[tuple[str, ...]] = get_args(SectionFill)

MAX_BLANK_LINES: Final = 20
_SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Option:
    """One answer that can be ticked in a choice or checklist question."""

    id: str
    label: str


@dataclass(frozen=True)
class Question:
    """One question of the plan. ``id`` is ``"<section id>.<slug>"`` and unique in the plan."""

    id: str
    kind: QuestionKind
    prompt: str
    help: str | None
    blank_lines: int
    options: tuple[Option, ...] = ()

    def option(self, option_id: str) -> Option | None:
        """The option with this id, if the question has one."""
        for option in self.options:
            if option.id == option_id:
                return option
        return None


@dataclass(frozen=True)
class PlanSection:
    """One numbered section of the plan."""

    id: str
    title: str
    intro: str
    guidance: tuple[str, ...]
    questions: tuple[Question, ...]
    fill: SectionFill | None = None
    empty_note: str | None = None
    blank_lines: int = 0


@dataclass(frozen=True)
class Labels:
    """Short words the plan writers print around the answers."""

    created: str
    name: str
    contact: str
    knows: str
    call: str
    text: str
    tty: str
    chat: str
    web: str
    source: str
    checked: str
    tick_one: str
    tick_any: str
    no_resources: str
    pdf_fallback: str


@dataclass(frozen=True)
class PlanContent:
    """The whole questionnaire, in order."""

    default_title: str
    language: str
    preface: str
    labels: Labels
    sections: tuple[PlanSection, ...]

    def questions(self) -> Iterator[Question]:
        """Every question, in the order they are asked."""
        for section in self.sections:
            yield from section.questions

    def question(self, question_id: str) -> Question:
        """The question with this id; ``KeyError`` if there is none."""
        for question in self.questions():
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def section(self, section_id: str) -> PlanSection:
        """The section with this id; ``KeyError`` if there is none."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)


# ── parsing helpers ────────────────────────────────────────────────────────────────────────


def _check_keys(
    where: str, table: Mapping[str, Any], required: set[str], optional: set[str]
) -> None:
    missing = sorted(required - table.keys())
    if missing:
        raise ContentError(f"{where}: missing {', '.join(missing)}")
    unknown = sorted(table.keys() - required - optional)
    if unknown:
        raise ContentError(f"{where}: unknown key(s) {', '.join(unknown)}")


def _table(where: str, value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ContentError(f"{where}: expected a table, got {type(value).__name__}")
    return cast(Mapping[str, Any], value)


def _array(where: str, value: object) -> Sequence[Any]:
    if not isinstance(value, list):
        raise ContentError(f"{where}: expected an array, got {type(value).__name__}")
    return cast(Sequence[Any], value)


def _text(where: str, value: object) -> str:
    if not isinstance(value, str):
        raise ContentError(f"{where}: expected a string, got {type(value).__name__}")
    text = value.strip()
    if not text:
        raise ContentError(f"{where}: must not be empty")
    return text


def _count(where: str, value: object) -> int:
    # bool is an int in Python; a count of True lines is a mistake in the file.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ContentError(f"{where}: expected a whole number, got {type(value).__name__}")
    if not 0 <= value <= MAX_BLANK_LINES:
        raise ContentError(f"{where}: must be between 0 and {MAX_BLANK_LINES}, got {value}")
    return value


def _slug(where: str, value: object) -> str:
    text = _text(where, value)
    if not _SLUG.fullmatch(text):
        raise ContentError(f"{where}: {text!r} is not a lower-case id like 'go-bag'")
    return text


# ── the parts of the file ──────────────────────────────────────────────────────────────────


def _parse_labels(data: object) -> Labels:
    table = _table("[labels]", data)
    names = {f.name for f in fields(Labels)}
    _check_keys("[labels]", table, names, set())
    return Labels(**{name: _text(f"[labels] {name}", table[name]) for name in names})


def _parse_options(where: str, data: object) -> tuple[Option, ...]:
    options: list[Option] = []
    seen: set[str] = set()
    for index, raw in enumerate(_array(f"{where} options", data)):
        here = f"{where} option {index + 1}"
        table = _table(here, raw)
        _check_keys(here, table, {"id", "label"}, set())
        option = Option(
            id=_slug(f"{here} id", table["id"]), label=_text(f"{here} label", table["label"])
        )
        if option.id in seen:
            raise ContentError(f"{where}: option id {option.id!r} is used twice")
        seen.add(option.id)
        options.append(option)
    if not options:
        raise ContentError(f"{where}: a choice or checklist needs at least one option")
    return tuple(options)


def _parse_question(section_id: str, index: int, data: object) -> Question:
    where = f"section {section_id!r} question {index + 1}"
    table = _table(where, data)
    _check_keys(where, table, {"id", "kind", "prompt", "blank_lines"}, {"help", "options"})
    question_id = _text(f"{where} id", table["id"])
    prefix, dot, slug = question_id.partition(".")
    if prefix != section_id or not dot or not _SLUG.fullmatch(slug):
        raise ContentError(
            f"{where}: id {question_id!r} must look like '{section_id}.<lower-case-slug>'"
        )
    where = f"question {question_id!r}"
    kind = _text(f"{where} kind", table["kind"])
    if kind not in QUESTION_KINDS:
        raise ContentError(f"{where}: kind {kind!r} is not one of {', '.join(QUESTION_KINDS)}")
    options: tuple[Option, ...] = ()
    if kind in KINDS_WITH_OPTIONS:
        if "options" not in table:
            raise ContentError(f"{where}: a {kind} question needs options")
        options = _parse_options(where, table["options"])
    elif "options" in table:
        raise ContentError(f"{where}: only choice and checklist questions have options")
    help_text = _text(f"{where} help", table["help"]) if "help" in table else None
    return Question(
        id=question_id,
        kind=cast(QuestionKind, kind),
        prompt=_text(f"{where} prompt", table["prompt"]),
        help=help_text,
        blank_lines=_count(f"{where} blank_lines", table["blank_lines"]),
        options=options,
    )


def _parse_section(index: int, data: object) -> PlanSection:
    where = f"section {index + 1}"
    table = _table(where, data)
    _check_keys(
        where,
        table,
        {"id", "title", "intro", "guidance"},
        {"questions", "fill", "empty_note", "blank_lines"},
    )
    section_id = _slug(f"{where} id", table["id"])
    where = f"section {section_id!r}"
    fill: str | None = None
    if "fill" in table:
        fill = _text(f"{where} fill", table["fill"])
        if fill not in SECTION_FILLS:
            raise ContentError(f"{where}: fill {fill!r} is not one of {', '.join(SECTION_FILLS)}")
    guidance = tuple(
        _text(f"{where} guidance {n + 1}", item)
        for n, item in enumerate(_array(f"{where} guidance", table["guidance"]))
    )
    questions = tuple(
        _parse_question(section_id, n, item)
        for n, item in enumerate(_array(f"{where} questions", table.get("questions", [])))
    )
    empty_note: str | None = None
    blank_lines = 0
    if fill == "tech_summary":
        if questions:
            raise ContentError(f"{where}: the technology summary section has no questions")
        if "empty_note" not in table or "blank_lines" not in table:
            raise ContentError(f"{where}: a tech_summary section needs empty_note and blank_lines")
        empty_note = _text(f"{where} empty_note", table["empty_note"])
        blank_lines = _count(f"{where} blank_lines", table["blank_lines"])
    elif "empty_note" in table or "blank_lines" in table:
        raise ContentError(f"{where}: empty_note and blank_lines belong to a tech_summary section")
    elif not questions and fill is None:
        raise ContentError(f"{where}: a section needs at least one question")
    return PlanSection(
        id=section_id,
        title=_text(f"{where} title", table["title"]),
        intro=_text(f"{where} intro", table["intro"]),
        guidance=guidance,
        questions=questions,
        fill=cast(SectionFill | None, fill),
        empty_note=empty_note,
        blank_lines=blank_lines,
    )


def parse_plan(data: Mapping[str, Any]) -> PlanContent:
    """Build and check the plan content from parsed TOML; ``ContentError`` on any problem."""
    _check_keys("plan", data, {"document", "labels", "sections"}, set())
    document = _table("[document]", data["document"])
    _check_keys("[document]", document, {"default_title", "language", "preface"}, set())
    sections = tuple(
        _parse_section(n, item) for n, item in enumerate(_array("sections", data["sections"]))
    )
    if not sections:
        raise ContentError("plan: there are no sections")
    section_ids = [section.id for section in sections]
    for section_id in section_ids:
        if section_ids.count(section_id) > 1:
            raise ContentError(f"plan: section id {section_id!r} is used more than once")
    question_ids = [q.id for section in sections for q in section.questions]
    for question_id in question_ids:
        if question_ids.count(question_id) > 1:
            raise ContentError(f"plan: question id {question_id!r} is used more than once")
    for fill in SECTION_FILLS:
        count = sum(1 for section in sections if section.fill == fill)
        if count != 1:
            raise ContentError(
                f"plan: expected exactly one section with fill = {fill!r}, found {count}"
            )
    return PlanContent(
        default_title=_text("[document] default_title", document["default_title"]),
        language=_slug("[document] language", document["language"]),
        preface=_text("[document] preface", document["preface"]),
        labels=_parse_labels(data["labels"]),
        sections=sections,
    )


@functools.cache
def load_plan() -> PlanContent:
    """The plan content shipped with safetykit, read once and checked."""
    return parse_plan(read_toml(PLAN_FILE))
