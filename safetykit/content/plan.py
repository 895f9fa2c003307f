"""The personal plan's questionnaire, loaded from ``plan.toml`` and checked against its schema.

The plan has numbered sections. Each has an introduction, a few points of guidance printed in
the plan, and questions. Two sections are filled from elsewhere rather than asked: the
technology summary (``fill = "tech_summary"``) and the hotlines (``fill = "resources"``).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Final, Literal, cast, get_args

from safetykit.content import _validate as check
from safetykit.content._files import ContentError, read_toml
from safetykit.content._validate import NotInContentError
from safetykit.content.checklist import load_checklist, load_raw_checklist
from safetykit.content.regions import (
    Text,
    applies,
    current_region,
    fill_checked,
    localize,
    parse_regional_list,
    region_patterns,
    terms_for,
)
from safetykit.i18n import content, current_language

PLAN_FILE: Final = "plan.toml"

QuestionKind = Literal["text", "lines", "people", "choice", "checklist"]
QUESTION_KINDS: Final[tuple[str, ...]] = get_args(QuestionKind)
KINDS_WITH_OPTIONS: Final = frozenset({"choice", "checklist"})

SectionFill = Literal["tech_summary", "resources"]
SECTION_FILLS: Final[tuple[str, ...]] = get_args(SectionFill)

MAX_BLANK_LINES: Final = 20
FILE_NAME = "plan.toml"
SHARED_BEHAVIOURS = "behaviours"
_SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Option:
    """One answer that can be ticked in a choice or checklist question."""

    id: str
    label: str
    regions: tuple[str, ...] = ()
    """Where the option applies (empty: everywhere)."""


@dataclass(frozen=True)
class Question:
    """One question of the plan. ``id`` is ``"<section id>.<slug>"`` and unique in the plan."""

    id: str
    kind: QuestionKind
    prompt: str
    help: str | None
    blank_lines: int
    options: tuple[Option, ...] = ()
    shared: str | None = None
    """``"behaviours"``: the checklist's list of what the ex is doing, asked once in one
    wording for both, with one stored answer."""
    regions: tuple[str, ...] = ()
    """Where the question is asked (empty: everywhere)."""
    only_if: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Earlier choice questions and the options after which this one is asked (empty: always).
    Once one of them is answered with none of its options, the question is left out (see
    ``core.plan.is_asked``). In one place, only the questions asked there count."""

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
    offers_log: str | None = None
    """When set, the part offers the incident log, with this sentence."""
    raw_guidance: tuple[Text, ...] = ()
    """The guidance as written, for every place (``guidance`` is for the place)."""


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


LABEL_NAMES: Final = tuple(f.name for f in fields(Labels))


@dataclass(frozen=True)
class HelpFirst:
    """The strip at the top of every printed plan: who to call, and the person's own people."""

    title: str
    people_title: str
    people_from: str
    """The question whose people are listed (with how to reach them)."""
    code_word_title: str
    code_word_from: str
    """The question holding the code word, shown only when the person wrote one."""
    sources_title: str
    """The appendix heading; ``{date}`` becomes when the numbers were checked."""


@dataclass(frozen=True)
class PlanContent:
    """The whole questionnaire, in order."""

    default_title: str
    language: str
    preface: str
    labels: Labels
    sections: tuple[PlanSection, ...]
    help_first: HelpFirst

    def for_region(self, region: str) -> PlanContent:
        """The plan for one place: the questions, options and guidance that apply there, with
        its terms filled in ("{protective_order}")."""
        terms = {**terms_for(region), "date": "{date}"}
        here = {q.id for q in self.questions() if not q.regions or applies(q.regions, region)}

        def f(context: str, text: str) -> str:
            return fill_checked(content(f"plan:{context}", text), terms, f"{FILE_NAME} ({region})")

        def question(q: Question) -> Question:
            if q.shared == SHARED_BEHAVIOURS:
                options = tuple(Option(b.id, b.label) for b in load_checklist(region).behaviours)
            else:
                options = tuple(
                    dataclasses.replace(o, label=f(f"option.{q.id}.{o.id}:label", o.label))
                    for o in q.options if not o.regions or applies(o.regions, region)
                )
            return dataclasses.replace(
                q, prompt=f(f"question.{q.id}:prompt", q.prompt),
                help=f(f"question.{q.id}:help", q.help) if q.help else None,
                options=options,
                only_if=tuple((qid, ids) for qid, ids in q.only_if if qid in here),
            )

        sections = tuple(
            dataclasses.replace(
                s,
                title=f(f"section.{s.id}:title", s.title),
                intro=f(f"section.{s.id}:intro", s.intro),
                guidance=localize(s.raw_guidance, region, terms, "plan:guidance"),
                questions=tuple(question(q) for q in s.questions
                                if not q.regions or applies(q.regions, region)),
                empty_note=f(f"section.{s.id}:empty_note", s.empty_note)
                if s.empty_note else None,
                offers_log=f(f"section.{s.id}:offers_log", s.offers_log)
                if s.offers_log else None,
            )
            for s in self.sections
        )
        first = self.help_first
        return dataclasses.replace(
            self,
            default_title=f("document:default_title", self.default_title),
            preface=f("document:preface", self.preface),
            labels=Labels(**{k: f(f"labels:{k}", getattr(self.labels, k)) for k in LABEL_NAMES}),
            help_first=dataclasses.replace(
                first, title=f("help_first:title", first.title),
                people_title=f("help_first:people_title", first.people_title),
                code_word_title=f("help_first:code_word_title", first.code_word_title),
                sources_title=f("help_first:sources_title", first.sources_title),
            ),
            sections=sections,
        )

    def shared_question(self, name: str) -> Question | None:
        """The question whose answer is shared with the checklist (``"behaviours"``)."""
        return next((q for q in self.questions() if q.shared == name), None)

    def questions(self) -> Iterator[Question]:
        """Every question, in the order they are asked."""
        for section in self.sections:
            yield from section.questions

    def question(self, question_id: str) -> Question:
        """The question with this id; ``NotInContentError`` if there is none."""
        for question in self.questions():
            if question.id == question_id:
                return question
        raise NotInContentError(f"{FILE_NAME}: no question with id {question_id!r}")

    def section(self, section_id: str) -> PlanSection:
        """The section with this id; ``NotInContentError`` if there is none."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise NotInContentError(f"{FILE_NAME}: no section with id {section_id!r}")


# ── parsing helpers ────────────────────────────────────────────────────────────────────────


def _fail(where: str, problem: str) -> ContentError:
    return check.fail(f"{FILE_NAME}: {where}", problem)


def _check_keys(
    where: str, table: Mapping[str, Any], required: set[str], optional: set[str]
) -> None:
    check.table(table, f"{FILE_NAME}: {where}", required | optional, sorted(required))


def _table(where: str, value: object) -> Mapping[str, Any]:
    return check.table(value, f"{FILE_NAME}: {where}")


def _array(where: str, value: object) -> Sequence[Any]:
    return check.array(value, f"{FILE_NAME}: {where}", None, allow_empty=True)


def _text(where: str, value: object) -> str:
    return check.text(value, f"{FILE_NAME}: {where}", None)


def _count(where: str, value: object) -> int:
    return check.whole(value, f"{FILE_NAME}: {where}", "blank_lines", 0, MAX_BLANK_LINES)


def _slug(where: str, value: object) -> str:
    return check.slug(value, f"{FILE_NAME}: {where}", pattern=_SLUG)


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
        _check_keys(here, table, {"id", "label"}, {"regions"})
        option = Option(
            id=_slug(f"{here} id", table["id"]), label=_text(f"{here} label", table["label"]),
            regions=region_patterns(table["regions"], f"{FILE_NAME}: {here}")
            if "regions" in table else (),
        )
        if option.id in seen:
            raise _fail(where, f"option id {option.id!r} is used twice")
        seen.add(option.id)
        options.append(option)
    if not options:
        raise _fail(where, "a choice or checklist needs at least one option")
    return tuple(options)


def _parse_question(section_id: str, index: int, data: object) -> Question:
    where = f"section {section_id!r} question {index + 1}"
    table = _table(where, data)
    _check_keys(where, table, {"id", "kind", "prompt", "blank_lines"},
                {"help", "options", "options_from", "regions", "only_if"})
    question_id = _text(f"{where} id", table["id"])
    prefix, dot, slug = question_id.partition(".")
    if prefix != section_id or not dot or not _SLUG.fullmatch(slug):
        raise ContentError(
            f"{where}: id {question_id!r} must look like '{section_id}.<lower-case-slug>'"
        )
    where = f"question {question_id!r}"
    kind = _text(f"{where} kind", table["kind"])
    if kind not in QUESTION_KINDS:
        raise _fail(where, f"kind {kind!r} is not one of {', '.join(QUESTION_KINDS)}")
    options: tuple[Option, ...] = ()
    shared = None
    if "options_from" in table:
        shared = _text(f"{where} options_from", table["options_from"])
        if shared != SHARED_BEHAVIOURS or kind != "checklist" or "options" in table:
            raise _fail(where, f"options_from can only be {SHARED_BEHAVIOURS!r}, for a "
                        "checklist question with no options of its own")
        options = tuple(Option(b.id, b.label) for b in load_raw_checklist().behaviours)
    elif kind in KINDS_WITH_OPTIONS:
        if "options" not in table:
            raise _fail(where, f"a {kind} question needs options")
        options = _parse_options(where, table["options"])
    elif "options" in table:
        raise _fail(where, "only choice and checklist questions have options")
    help_text = _text(f"{where} help", table["help"]) if "help" in table else None
    return Question(
        id=question_id,
        kind=cast(QuestionKind, kind),
        prompt=_text(f"{where} prompt", table["prompt"]),
        help=help_text,
        shared=shared,
        blank_lines=_count(f"{where} blank_lines", table["blank_lines"]),
        options=options,
        regions=region_patterns(table["regions"], f"{FILE_NAME}: {where}")
        if "regions" in table else (),
        only_if=_parse_only_if(where, table["only_if"]) if "only_if" in table else (),
    )


def _parse_only_if(where: str, data: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``{ "<question id>" = ["<option id>", ...], ... }``: checked against the plan later."""
    table = _table(f"{where} only_if", data)
    if not table:
        raise _fail(where, "only_if needs at least one question")
    found = []
    for question_id, raw in table.items():
        ids = tuple(_slug(f"{where} only_if {question_id!r}", value)
                    for value in _array(f"{where} only_if {question_id!r}", raw))
        if not ids:
            raise _fail(where, f"only_if {question_id!r} needs at least one option")
        found.append((str(question_id), ids))
    return tuple(found)


def _check_only_if(sections: tuple[PlanSection, ...]) -> None:
    """Each question named in ``only_if`` is an earlier choice question, with those options."""
    earlier: dict[str, Question] = {}
    for section in sections:
        for question in section.questions:
            for question_id, ids in question.only_if:
                before = earlier.get(question_id)
                if before is None or before.kind != "choice":
                    raise _fail(f"question {question.id!r}",
                                f"only_if {question_id!r} must be an earlier choice question")
                missing = [i for i in ids if before.option(i) is None]
                if missing:
                    raise _fail(f"question {question.id!r}",
                                f"only_if {question_id!r} has no option {missing[0]!r}")
            earlier[question.id] = question


def _parse_section(index: int, data: object) -> PlanSection:
    where = f"section {index + 1}"
    table = _table(where, data)
    _check_keys(
        where,
        table,
        {"id", "title", "intro", "guidance"},
        {"questions", "fill", "empty_note", "blank_lines", "offers_log"},
    )
    section_id = _slug(f"{where} id", table["id"])
    where = f"section {section_id!r}"
    fill: str | None = None
    if "fill" in table:
        fill = _text(f"{where} fill", table["fill"])
        if fill not in SECTION_FILLS:
            raise _fail(where, f"fill {fill!r} is not one of {', '.join(SECTION_FILLS)}")
    raw_guidance = parse_regional_list(table["guidance"], f"{FILE_NAME}: {where}", "guidance",
                                       allow_empty=True)
    guidance = tuple(e if isinstance(e, str) else e.text for e in raw_guidance)
    questions = tuple(
        _parse_question(section_id, n, item)
        for n, item in enumerate(_array(f"{where} questions", table.get("questions", [])))
    )
    empty_note: str | None = None
    blank_lines = 0
    if fill == "tech_summary":
        if questions:
            raise _fail(where, "the technology summary section has no questions")
        if "empty_note" not in table or "blank_lines" not in table:
            raise _fail(where, "a tech_summary section needs empty_note and blank_lines")
        empty_note = _text(f"{where} empty_note", table["empty_note"])
        blank_lines = _count(f"{where} blank_lines", table["blank_lines"])
    elif "empty_note" in table or "blank_lines" in table:
        raise _fail(where, "empty_note and blank_lines belong to a tech_summary section")
    elif not questions and fill is None:
        raise _fail(where, "a section needs at least one question")
    return PlanSection(
        id=section_id,
        title=_text(f"{where} title", table["title"]),
        intro=_text(f"{where} intro", table["intro"]),
        guidance=guidance,
        raw_guidance=raw_guidance,
        questions=questions,
        fill=cast(SectionFill | None, fill),
        empty_note=empty_note,
        blank_lines=blank_lines,
        offers_log=_text(f"{where} offers_log", table["offers_log"])
        if "offers_log" in table else None,
    )


def parse_plan(data: Mapping[str, Any]) -> PlanContent:
    """Build and check the plan content from parsed TOML; ``ContentError`` on any problem."""
    _check_keys("plan", data, {"document", "labels", "sections", "help_first"}, set())
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
            raise ContentError(f"{FILE_NAME}: section id {section_id!r} is used more than once")
    question_ids = [q.id for section in sections for q in section.questions]
    for question_id in question_ids:
        if question_ids.count(question_id) > 1:
            raise ContentError(f"{FILE_NAME}: question id {question_id!r} is used more than once")
    for fill in SECTION_FILLS:
        count = sum(1 for section in sections if section.fill == fill)
        if count != 1:
            raise ContentError(
                f"plan: expected exactly one section with fill = {fill!r}, found {count}"
            )
    _check_only_if(sections)
    shared = [q.id for section in sections for q in section.questions if q.shared]
    if len(shared) > 1:
        raise ContentError(f"{FILE_NAME}: only one question can share the checklist's behaviours")
    return PlanContent(
        default_title=_text("[document] default_title", document["default_title"]),
        language=_slug("[document] language", document["language"]),
        preface=_text("[document] preface", document["preface"]),
        labels=_parse_labels(data["labels"]),
        sections=sections,
        help_first=_parse_help_first(data["help_first"], sections),
    )


def _parse_help_first(data: object, sections: tuple[PlanSection, ...]) -> HelpFirst:
    table = _table("[help_first]", data)
    names = {f.name for f in fields(HelpFirst)}
    _check_keys("[help_first]", table, names, set())
    found = HelpFirst(**{name: _text(f"[help_first] {name}", table[name]) for name in names})
    kinds = {q.id: q.kind for section in sections for q in section.questions}
    if kinds.get(found.people_from) != "people":
        raise _fail("[help_first]", f"people_from {found.people_from!r} must be a people question")
    if kinds.get(found.code_word_from) != "text":
        raise _fail("[help_first]",
                    f"code_word_from {found.code_word_from!r} must be a text question")
    if "{date}" not in found.sources_title:
        raise _fail("[help_first]", "sources_title must say where the {date} goes")
    return found


@functools.cache
def load_raw_plan() -> PlanContent:
    """The plan as written (every place's questions, terms not filled in), read once and
    checked."""
    return parse_plan(read_toml(PLAN_FILE))


@functools.cache
def _for_region(region: str, language: str) -> PlanContent:
    return load_raw_plan().for_region(region)


def load_plan(region: str | None = None) -> PlanContent:
    """The plan for ``region`` (the place in use by default), in the language in use."""
    return _for_region(region or current_region(), current_language())
