"""The plan questionnaire loads, follows the issue's outline, and bad content is refused."""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Callable
from importlib import resources as package_files
from typing import Any

import pytest

from safetykit.content._files import ContentError
from safetykit.content._validate import NotInContentError
from safetykit.content.plan import QUESTION_KINDS, load_plan, parse_plan

SECTION_IDS = [
    "happening",
    "people",
    "places",
    "home",
    "out",
    "contact",
    "self-harm",
    "blackmail",
    "danger",
    "legal",
    "technology",
    "self-care",
    "hotlines",
]
BEHAVIOUR_IDS = [
    "calls-texts",
    "promises",
    "blame",
    "no-one-better",
    "shows-up",
    "friends-family",
    "social-messages",
    "grand-gestures",
    "self-harm-threats",
    "blackmail",
]


def _raw() -> dict[str, Any]:
    text = package_files.files("safetykit.content").joinpath("plan.toml").read_text("utf-8")
    return tomllib.loads(text)


# ── the shipped content ────────────────────────────────────────────────────────────────────


def test_thirteen_sections_in_the_order_of_the_issue() -> None:
    plan = load_plan()
    assert [section.id for section in plan.sections] == SECTION_IDS
    titles = [section.title.casefold() for section in plan.sections]
    for number, words in enumerate(
        [
            "what is happening",
            "people i trust",
            "places i can go",
            "at home",
            "school",
            "keep contacting",
            "hurt themselves",
            "blackmail",
            "in danger",
            "legal",
            "technology",
            "looking after myself",
            "hotlines",
        ]
    ):
        assert words in titles[number]


def test_load_plan_is_cached() -> None:
    assert load_plan() is load_plan()


def test_every_section_has_words_and_every_question_a_unique_prefixed_id() -> None:
    plan = load_plan()
    ids = [q.id for q in plan.questions()]
    assert len(ids) == len(set(ids))
    for section in plan.sections:
        assert section.intro
        assert 1 <= len(section.guidance) <= 6
        assert all(len(point) < 250 for point in section.guidance)
        for question in section.questions:
            assert question.id.startswith(section.id + ".")
            assert question.kind in QUESTION_KINDS
            assert question.prompt
            assert 0 <= question.blank_lines <= 20
            if question.kind in ("choice", "checklist"):
                assert question.options
            else:
                assert not question.options
            # A printed blank plan needs somewhere to write for free-text questions.
            if question.kind in ("text", "lines", "people"):
                assert question.blank_lines >= 1


def test_what_is_happening_lists_the_ten_behaviours() -> None:
    section = load_plan().section("happening")
    checklist = [q for q in section.questions if q.kind == "checklist"]
    assert len(checklist) == 1
    assert [option.id for option in checklist[0].options] == BEHAVIOUR_IDS
    assert all(option.label for option in checklist[0].options)


def test_technology_is_filled_from_the_summary_and_asks_nothing() -> None:
    section = load_plan().section("technology")
    assert section.fill == "tech_summary"
    assert section.questions == ()
    assert section.empty_note
    assert section.blank_lines > 0


def test_hotlines_section_takes_resources_and_has_room_for_local_numbers() -> None:
    section = load_plan().section("hotlines")
    assert section.fill == "resources"
    assert [(q.id, q.kind) for q in section.questions] == [("hotlines.local", "lines")]


def test_people_section_asks_for_people_and_a_code_word() -> None:
    section = load_plan().section("people")
    kinds = {q.id: q.kind for q in section.questions}
    assert kinds["people.trusted"] == "people"
    assert "people.code-word" in kinds


def test_danger_section_has_a_go_bag_with_the_essentials() -> None:
    plan = load_plan()
    go_bag = plan.question("danger.go-bag")
    assert go_bag.kind == "checklist"
    option_ids = {option.id for option in go_bag.options}
    essentials = {"id", "documents", "keys", "money", "medicines", "phone", "children", "pets"}
    assert essentials <= option_ids
    assert "protective-order" in option_ids
    assert any("protective order" in q.prompt for q in plan.section("danger").questions)


def test_legal_section_says_it_is_not_legal_advice() -> None:
    assert "not legal advice" in load_plan().section("legal").intro


def test_self_harm_section_names_988_and_says_it_is_not_their_responsibility() -> None:
    section = load_plan().section("self-harm")
    text = " ".join([section.intro, *section.guidance])
    assert "988" in text
    assert "not your responsibility" in text


def test_lookups_fail_clearly_for_unknown_ids() -> None:
    plan = load_plan()
    with pytest.raises(NotInContentError, match=r"no question with id 'nope\.nothing'"):
        plan.question("nope.nothing")
    with pytest.raises(NotInContentError, match="no section with id 'nothing'"):
        plan.section("nothing")


def test_labels_are_all_present() -> None:
    labels = load_plan().labels
    assert labels.call and labels.source and labels.checked and labels.pdf_fallback


# ── refusing bad content ───────────────────────────────────────────────────────────────────


def _question(data: dict[str, Any], qid: str) -> dict[str, Any]:
    for section in data["sections"]:
        for question in section.get("questions", []):
            if question["id"] == qid:
                found: dict[str, Any] = question
                return found
    raise KeyError(qid)


def _section(data: dict[str, Any], sid: str) -> dict[str, Any]:
    section: dict[str, Any] = next(s for s in data["sections"] if s["id"] == sid)
    return section


Mutation = Callable[[dict[str, Any]], None]

BAD: list[tuple[str, Mutation, str]] = [
    ("no sections", lambda d: d.update(sections=[]), "no sections"),
    ("unknown top key", lambda d: d.update(extra=1), "unknown field"),
    ("no labels", lambda d: d.pop("labels"), "missing 'labels'"),
    ("missing label", lambda d: d["labels"].pop("call"), "missing 'call'"),
    ("extra label", lambda d: d["labels"].update(hello="hi"), "unknown field"),
    ("empty preface", lambda d: d["document"].update(preface="  "), "must be a non-empty string"),
    ("section not a table", lambda d: d["sections"].append("oops"), "must be a table"),
    ("bad section id", lambda d: d["sections"][0].update(id="What Is"), "must be a slug"),
    (
        "duplicate section id",
        lambda d: d["sections"].append(copy.deepcopy(d["sections"][0])),
        "section id 'happening' is used more than once",
    ),
    ("guidance not a list", lambda d: d["sections"][0].update(guidance="x"), "must be a list"),
    ("unknown section key", lambda d: d["sections"][0].update(colour="red"), "unknown field"),
    (
        "question id without section prefix",
        lambda d: _question(d, "places.day").update(id="day"),
        "must look like 'places.",
    ),
    (
        "question id with other section prefix",
        lambda d: _question(d, "places.day").update(id="home.day"),
        "must look like 'places.",
    ),
    (
        "duplicate question id",
        lambda d: _question(d, "places.night").update(id="places.day"),
        "used more than once",
    ),
    ("unknown kind", lambda d: _question(d, "places.day").update(kind="essay"), "not one of"),
    (
        "choice without options",
        lambda d: _question(d, "legal.order").pop("options"),
        "needs options",
    ),
    (
        "options on a text question",
        lambda d: _question(d, "places.getting-there").update(options=[{"id": "a", "label": "A"}]),
        "only choice and checklist",
    ),
    (
        "empty options",
        lambda d: _question(d, "legal.order").update(options=[]),
        "at least one option",
    ),
    (
        "duplicate option id",
        lambda d: _question(d, "legal.order")["options"].append({"id": "yes", "label": "Again"}),
        "used twice",
    ),
    (
        "option without label",
        lambda d: _question(d, "legal.order")["options"].append({"id": "other"}),
        "missing 'label'",
    ),
    (
        "negative blank lines",
        lambda d: _question(d, "places.day").update(blank_lines=-1),
        "between 0 and",
    ),
    (
        "too many blank lines",
        lambda d: _question(d, "places.day").update(blank_lines=500),
        "between 0 and",
    ),
    (
        "boolean blank lines",
        lambda d: _question(d, "places.day").update(blank_lines=True),
        "whole number",
    ),
    (
        "prompt not text",
        lambda d: _question(d, "places.day").update(prompt=3),
        "must be a non-empty string",
    ),
    ("missing prompt", lambda d: _question(d, "places.day").pop("prompt"), "missing 'prompt'"),
    (
        "technology with a question",
        lambda d: _section(d, "technology").update(
            questions=[{"id": "technology.x", "kind": "text", "prompt": "x", "blank_lines": 1}]
        ),
        "has no questions",
    ),
    (
        "technology without an empty note",
        lambda d: _section(d, "technology").pop("empty_note"),
        "needs empty_note",
    ),
    (
        "empty note outside technology",
        lambda d: _section(d, "home").update(empty_note="x"),
        "belong to a tech_summary",
    ),
    ("unknown fill", lambda d: _section(d, "hotlines").update(fill="phonebook"), "not one of"),
    ("no resources section", lambda d: _section(d, "hotlines").pop("fill"), "fill = 'resources'"),
    (
        "two resources sections",
        lambda d: _section(d, "home").update(fill="resources"),
        "found 2",
    ),
    (
        "a section with no questions",
        lambda d: _section(d, "home").update(questions=[]),
        "at least one question",
    ),
]


@pytest.mark.parametrize(("mutate", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_content_is_refused_with_a_precise_message(mutate: Mutation, message: str) -> None:
    data = copy.deepcopy(_raw())
    mutate(data)
    with pytest.raises(ContentError, match=re.escape(message)):
        parse_plan(data)


def test_the_untouched_file_parses() -> None:
    assert parse_plan(_raw()).for_region("US") == load_plan()
