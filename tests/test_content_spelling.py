"""The content is written for people in the US, so the words they read use US spelling.

Every piece of text a person can read is collected through the loaders (the same objects the
screens and the printed plan use), then checked against a list of British spellings. Ids and
enum values that code and saved data depend on (the ``behaviours`` table, ``kind =
"organisation"`` in resources.toml) are not text a person reads, so they are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields

import pytest

from safetykit.content.accounts import load_catalogue
from safetykit.content.checklist import load_checklist
from safetykit.content.plan import load_plan
from safetykit.content.resources import load_resources

# British form → US form. Each key is a regular expression matched on word boundaries, without
# regard to case; it covers the usual endings (recognise, recognised, recognising...).
BRITISH_TO_US: dict[str, str] = {
    r"analys(?:e|es|ed|ing)": "analyze",
    r"apologis\w*": "apologize",
    r"(?:de)?authoris\w*": "authorize",
    r"behaviour\w*": "behavior",
    r"cancell(?:ed|ing)": "canceled, canceling",
    r"carers?": "caregiver",
    r"catalogues?": "catalog",
    r"centres?": "center",
    r"cheques?": "check",
    r"colour\w*": "color",
    r"counsell\w*": "counselor, counseling",
    r"criticis\w*": "criticize",
    r"customis\w*": "customize",
    r"defences?": "defense",
    r"emphasis(?:e|es|ed|ing)": "emphasize",
    r"enrol(?:s|ment|ments)?": "enroll, enrollment",
    r"familiaris\w*": "familiarize",
    r"favour\w*": "favor, favorite",
    r"fulfil(?:s|ment)?": "fulfill",
    r"grey": "gray",
    r"harbour\w*": "harbor",
    r"honour\w*": "honor",
    r"humour\w*": "humor",
    r"jeweller\w*": "jewelry",
    r"judgements?": "judgment",
    r"labell(?:ed|ing)": "labeled, labeling",
    r"labour\w*": "labor",
    r"learnt": "learned",
    r"licences?": "license",
    r"memoris\w*": "memorize",
    r"minimis\w*": "minimize",
    r"modell(?:ed|ing)": "modeled, modeling",
    r"mums?": "mom",
    r"neighbour\w*": "neighbor",
    r"offences?": "offense",
    r"organis\w*": "organize, organization",
    r"personalis\w*": "personalize",
    r"postcodes?": "ZIP code",
    r"practis(?:e|es|ed|ing)": "practice",
    r"prioritis\w*": "prioritize",
    r"programmes?": "program",
    r"realis(?:e|es|ed|ing)": "realize",
    r"recognis\w*": "recognize",
    r"rumour\w*": "rumor",
    r"sceptic\w*": "skeptic",
    r"spelt": "spelled",
    r"summaris\w*": "summarize",
    r"travell\w*": "traveling, traveler",
    r"tyres?": "tire",
    r"utilis\w*": "utilize",
    r"whilst": "while",
}

_DENY = [
    (re.compile(rf"\b{pattern}\b", re.IGNORECASE), us) for pattern, us in BRITISH_TO_US.items()
]

Text = tuple[str, str]
"""Where a piece of text comes from ("checklist.toml item 'contact.block-number' why"), and
the text itself."""


def checklist_texts() -> Iterator[Text]:
    checklist = load_checklist()
    where = "checklist.toml"
    for phone_or_app in checklist.platforms:
        yield f"{where} platform {phone_or_app.id!r} label", phone_or_app.label
    for behaviour in checklist.behaviours:
        yield f"{where} behaviour {behaviour.id!r} label", behaviour.label
    for section in checklist.sections:
        yield f"{where} section {section.id!r} title", section.title
        yield f"{where} section {section.id!r} intro", section.intro
    for item in checklist.items:
        here = f"{where} item {item.id!r}"
        yield f"{here} title", item.title
        yield f"{here} why", item.why
        if item.caution:
            yield f"{here} caution", item.caution
        for platform, steps in item.steps:
            for number, step in enumerate(steps, start=1):
                yield f"{here} steps.{platform}[{number}]", step
        for source in item.sources:
            if source.why:
                yield f"{here} source {source.url} why", source.why


def plan_texts() -> Iterator[Text]:
    plan = load_plan()
    where = "plan.toml"
    yield f"{where} default_title", plan.default_title
    yield f"{where} preface", plan.preface
    for field in fields(plan.labels):
        yield f"{where} labels.{field.name}", getattr(plan.labels, field.name)
    help_first = plan.help_first
    for name in ("title", "people_title", "code_word_title", "sources_title"):
        yield f"{where} help_first.{name}", getattr(help_first, name)
    for section in plan.sections:
        here = f"{where} section {section.id!r}"
        yield f"{here} title", section.title
        yield f"{here} intro", section.intro
        for number, point in enumerate(section.guidance, start=1):
            yield f"{here} guidance[{number}]", point
        if section.empty_note:
            yield f"{here} empty_note", section.empty_note
        for question in section.questions:
            there = f"{where} question {question.id!r}"
            yield f"{there} prompt", question.prompt
            if question.help:
                yield f"{there} help", question.help
            for option in question.options:
                yield f"{there} option {option.id!r}", option.label


def accounts_texts() -> Iterator[Text]:
    catalogue = load_catalogue()
    where = "accounts.toml"
    for kind in catalogue.kinds:
        here = f"{where} kind {kind.id!r}"
        yield f"{here} label", kind.label
        yield f"{here} short", kind.short
        for number, step in enumerate(kind.steps, start=1):
            yield f"{here} steps[{number}]", step
        if kind.caution:
            yield f"{here} caution", kind.caution
        for source in kind.sources:
            if source.why:
                yield f"{here} source {source.url} why", source.why
    for question in catalogue.questions:
        yield f"{where} question {question.id!r}", question.text
    for group in catalogue.known_words:
        yield f"{where} known_words {group.id!r}", group.prompt


def resources_texts() -> Iterator[Text]:
    where = "resources.toml"
    for resource in load_resources():
        here = f"{where} resource {resource.id!r}"
        yield f"{here} name", resource.name
        yield f"{here} description", resource.description
        for name in ("phone", "text", "tty", "note"):
            value = getattr(resource, name)
            if value:
                yield f"{here} {name}", value
        for source in resource.sources:
            if source.why:
                yield f"{here} source {source.url} why", source.why


def every_text() -> list[Text]:
    return [*checklist_texts(), *plan_texts(), *accounts_texts(), *resources_texts()]


TEXTS = every_text()


def british_words(text: str) -> list[str]:
    """Each British spelling in ``text``, with its US form."""
    found = [
        (match.start(), match.group(0), us)
        for pattern, us in _DENY
        for match in pattern.finditer(text)
    ]
    return [f"{word!r} (US: {us})" for _, word, us in sorted(found)]


def test_every_file_gives_text_to_check() -> None:
    files = {where.split(" ", 1)[0] for where, _ in TEXTS}
    assert files == {"checklist.toml", "plan.toml", "accounts.toml", "resources.toml"}
    assert len(TEXTS) > 500


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Recognise them", ["'Recognise'"]),
        ("a school counsellor or counselling", ["'counsellor'", "'counselling'"]),
        ("an address confidentiality programme", ["'programme'"]),
        ("driving licence", ["'licence'"]),
        ("a favourite toy", ["'favourite'"]),
        ("the organisation and its behaviour", ["'organisation'", "'behaviour'"]),
        ("Practise it once", ["'Practise'"]),
        ("travelling to the centre", ["'travelling'", "'centre'"]),
        ("an order was cancelled", ["'cancelled'"]),
        ("a school counselor helps you recognize a program", []),
        ("realistic, practice, organize, license, behavior, cancellation", []),
        ("their schedule changed", []),
    ],
)
def test_the_deny_list_catches_british_forms_only(text: str, found: list[str]) -> None:
    assert [word.split(" (US")[0] for word in british_words(text)] == found


def test_content_uses_us_spelling() -> None:
    problems = [
        f"{where}: {', '.join(words)}" for where, text in TEXTS if (words := british_words(text))
    ]
    assert not problems, "British spelling in text a person reads:\n" + "\n".join(problems)
