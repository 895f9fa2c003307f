"""Every place a person can choose gets complete content in its own words, and no place is shown
another country's laws or numbers (issue 14, item 4).

Each place's view comes from the loaders (``load_checklist(code)`` and the others), the same
objects the screens and the printed plan use. The checks below read every piece of text a person
can see there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import fields

import pytest

from safetykit.content.accounts import load_catalogue, load_raw_catalogue
from safetykit.content.checklist import load_checklist, load_raw_checklist
from safetykit.content.log import load_log
from safetykit.content.plan import load_plan, load_raw_plan
from safetykit.content.regions import Regional, applies, every_region, load_places

REGIONS = tuple(every_region())
ELSEWHERE = tuple(code for code in REGIONS if code != "US")

Text = tuple[str, str]
"""Where a piece of text is shown ("checklist item 'unsafe.emergency' title"), and the text."""


def checklist_texts(region: str) -> Iterator[Text]:
    checklist = load_checklist(region)
    for behaviour in checklist.behaviours:
        yield f"checklist behaviour {behaviour.id!r}", behaviour.label
    for section in checklist.sections:
        yield f"checklist section {section.id!r} title", section.title
        yield f"checklist section {section.id!r} intro", section.intro
    for item in checklist.items:
        here = f"checklist item {item.id!r}"
        yield f"{here} title", item.title
        yield f"{here} why", item.why
        if item.caution:
            yield f"{here} caution", item.caution
        for platform, steps in item.steps:
            for number, step in enumerate(steps, start=1):
                yield f"{here} steps.{platform}[{number}]", step


def plan_texts(region: str) -> Iterator[Text]:
    plan = load_plan(region)
    yield "plan default_title", plan.default_title
    yield "plan preface", plan.preface
    for field in fields(plan.labels):
        yield f"plan labels.{field.name}", getattr(plan.labels, field.name)
    for name in ("title", "people_title", "code_word_title"):
        yield f"plan help_first.{name}", getattr(plan.help_first, name)
    for section in plan.sections:
        here = f"plan section {section.id!r}"
        yield f"{here} title", section.title
        yield f"{here} intro", section.intro
        for number, point in enumerate(section.guidance, start=1):
            yield f"{here} guidance[{number}]", point
        if section.empty_note:
            yield f"{here} empty_note", section.empty_note
        if section.offers_log:
            yield f"{here} offers_log", section.offers_log
        for question in section.questions:
            there = f"plan question {question.id!r}"
            yield f"{there} prompt", question.prompt
            if question.help:
                yield f"{there} help", question.help
            for option in question.options:
                yield f"{there} option {option.id!r}", option.label


def accounts_texts(region: str) -> Iterator[Text]:
    for kind in load_catalogue(region).kinds:
        here = f"accounts kind {kind.id!r}"
        yield f"{here} label", kind.label
        yield f"{here} short", kind.short
        for number, step in enumerate(kind.steps, start=1):
            yield f"{here} steps[{number}]", step
        if kind.caution:
            yield f"{here} caution", kind.caution


def log_texts(region: str) -> Iterator[Text]:
    log = load_log(region)
    for kind in log.kinds:
        yield f"log kind {kind.id!r}", kind.label
    for number, action in enumerate(log.actions, start=1):
        yield f"log actions[{number}]", action
    for number, notice in enumerate((*log.before_first, *log.at_export), start=1):
        yield f"log notices[{number}]", notice
    yield "log screenshots", log.screenshots
    yield "log export title", log.title
    yield "log export cover_note", log.cover_note
    for key, label in log.labels.items():
        yield f"log labels.{key}", label
    for key, label in log.field_labels.items():
        yield f"log labels.fields.{key}", label


def every_text(region: str) -> list[Text]:
    return [
        *checklist_texts(region), *plan_texts(region), *accounts_texts(region), *log_texts(region)
    ]


def found(region: str, pattern: str) -> list[str]:
    """Each text shown in ``region`` that matches ``pattern`` (a regular expression, any case)."""
    regex = re.compile(pattern, re.IGNORECASE)
    return [f"{where}: {text}" for where, text in every_text(region) if regex.search(text)]


def joined(region: str) -> str:
    return "\n".join(text for _, text in every_text(region))


# --- every place is complete -------------------------------------------------------------


def test_every_place_is_tested() -> None:
    assert "US" in REGIONS and "ZZ" in REGIONS
    assert {"GB-ENG", "GB-WLS", "GB-SCT", "GB-NIR", "IE", "AU", "NZ", "ES", "MX"} <= set(REGIONS)
    assert sum(1 for code in REGIONS if code.startswith("CA-")) == 13


@pytest.mark.parametrize("region", REGIONS)
def test_every_loader_gives_content_for_the_place(region: str) -> None:
    assert load_checklist(region).items
    assert load_plan(region).sections
    assert load_catalogue(region).kinds
    assert load_log(region).kinds


@pytest.mark.parametrize("region", REGIONS)
def test_no_checklist_section_is_left_empty(region: str) -> None:
    checklist = load_checklist(region)
    assert [s.id for s in checklist.sections] == [s.id for s in load_raw_checklist().sections]
    for section in checklist.sections:
        assert checklist.items_in(section.id), f"{region}: section {section.id!r} has no items"
    for item in checklist.items:
        assert item.steps, f"{region}: item {item.id!r} has no steps"


@pytest.mark.parametrize("region", REGIONS)
def test_every_behaviour_opens_sections_the_place_has(region: str) -> None:
    checklist = load_checklist(region)
    ids = {section.id for section in checklist.sections}
    for behaviour in checklist.behaviours:
        assert set(behaviour.sections) <= ids, behaviour.id


@pytest.mark.parametrize("region", REGIONS)
def test_every_plan_section_keeps_its_questions_and_guidance(region: str) -> None:
    raw = {section.id: section for section in load_raw_plan().sections}
    plan = load_plan(region)
    assert [s.id for s in plan.sections] == list(raw)
    for section in plan.sections:
        if raw[section.id].questions:
            assert section.questions, f"{region}: plan section {section.id!r} asks nothing"
        assert 1 <= len(section.guidance) <= 6, f"{region}: {section.id!r} guidance"
        assert all(len(point) < 250 for point in section.guidance), section.id
        for question in section.questions:
            if question.kind in ("choice", "checklist"):
                assert question.options, f"{region}: {question.id!r} has no options"


@pytest.mark.parametrize("region", REGIONS)
def test_every_account_kind_has_its_own_steps(region: str) -> None:
    for kind in load_catalogue(region).kinds:
        assert kind.steps, f"{region}: {kind.id!r} has no steps"
        assert len(set(kind.steps)) == len(kind.steps), kind.id
        assert not any(step.startswith("@") for step in kind.steps), kind.id


@pytest.mark.parametrize("region", REGIONS)
def test_no_placeholder_is_left_unfilled(region: str) -> None:
    unfilled = [f"{where}: {text}" for where, text in every_text(region) if "{" in text
                or "}" in text]
    assert not unfilled, f"{region}: text with a {{term}} left in it:\n" + "\n".join(unfilled)
    # The one brace kept on purpose: the appendix heading's date, filled in when printing.
    assert "{date}" in load_plan(region).help_first.sources_title


@pytest.mark.parametrize("region", REGIONS)
def test_text_stays_short(region: str) -> None:
    long = [f"{where} ({len(text)})" for where, text in checklist_texts(region)
            if len(text) > 260]
    assert not long, long


# --- no place is shown another country's laws or numbers ---------------------------------


US_ONLY = {
    "988": r"\b988\b",
    "Safe Connections": r"Safe Connections",
    "FTC": r"\bFTC\b|credit (?:freeze|bureau)",
    "your state": r"\byour state\b|\bstate to state\b",
    "WomensLaw": r"WomensLaw",
    "Address Confidentiality Program": r"Address Confidentiality",
    "protective order": r"protective order",
    "NCMEC CyberTipline": r"CyberTipline",
    "CCRI": r"\bCCRI\b",
    "National Domestic Violence Hotline": r"National Domestic Violence Hotline",
}


@pytest.mark.parametrize("region", ELSEWHERE)
@pytest.mark.parametrize("name", sorted(US_ONLY))
def test_us_law_and_numbers_stay_in_the_us(region: str, name: str) -> None:
    assert not found(region, US_ONLY[name]), found(region, US_ONLY[name])


@pytest.mark.parametrize("region", ELSEWHERE)
def test_911_only_where_it_is_dialled(region: str) -> None:
    if region.startswith("CA-") or region == "MX":
        assert found(region, r"\b911\b")
    else:
        assert not found(region, r"\b911\b"), found(region, r"\b911\b")


@pytest.mark.parametrize("region", REGIONS)
def test_999_only_in_the_uk_and_ireland(region: str) -> None:
    if region.startswith("GB-") or region == "IE":
        assert found(region, r"\b999\b")
    else:
        assert not found(region, r"\b999\b"), found(region, r"\b999\b")


@pytest.mark.parametrize("region", REGIONS)
def test_uk_orders_only_where_they_exist(region: str) -> None:
    # Non-molestation orders are family court orders in England, Wales and Northern Ireland;
    # Scotland has non-harassment orders and interdicts instead.
    if region in ("GB-ENG", "GB-WLS", "GB-NIR"):
        assert found(region, r"non-molestation")
    else:
        assert not found(region, r"non-molestation"), found(region, r"non-molestation")
    if region == "GB-SCT":
        assert found(region, r"non-harassment order") and found(region, r"interdict")
    else:
        assert not found(region, r"interdict"), found(region, r"interdict")


@pytest.mark.parametrize(
    ("name", "pattern", "where"),
    [
        ("Clare's Law", r"Clare's Law", ("GB-ENG", "GB-WLS")),
        ("Scotland's disclosure scheme", r"Disclosure Scheme for Domestic Abuse Scotland",
         ("GB-SCT",)),
        ("Northern Ireland's disclosure scheme", r"Domestic Violence and Abuse Disclosure Scheme",
         ("GB-NIR",)),
        ("occupation orders", r"occupation order", ("GB-ENG", "GB-WLS", "GB-NIR")),
        ("Irish orders", r"barring order", ("IE",)),
        ("Coco's Law", r"Coco's Law", ("IE",)),
        ("peace bonds", r"peace bond", tuple(c for c in REGIONS if c.startswith("CA-"))),
        ("Australia's national scheme", r"25 November 2017", ("AU",)),
        ("eSafety", r"eSafety", ("AU",)),
        ("New Zealand's Family Court", r"Family Court", ("NZ",)),
        ("Police Safety Orders", r"Police Safety Order", ("NZ",)),
        ("Spain's restraining order", r"orden de alejamiento", ("ES",)),
        ("Spain's hearing within 72 hours", r"within 72 hours", ("ES",)),
        ("Mexico's law on violence against women",
         r"Ley General de Acceso de las Mujeres", ("MX",)),
        ("Mexico's four-hour orders", r"within four hours", ("MX",)),
    ],
)
def test_each_place_gets_its_own_laws_and_no_one_elses(
    name: str, pattern: str, where: tuple[str, ...]
) -> None:
    for region in REGIONS:
        if region in where:
            assert found(region, pattern), f"{region} should mention {name}"
        else:
            assert not found(region, pattern), f"{region} mentions {name}"


def test_somewhere_else_says_your_local_emergency_number() -> None:
    checklist = load_checklist("ZZ")
    assert checklist.item("unsafe.emergency").title == (
        "In an emergency, call your local emergency number"
    )
    assert found("ZZ", r"call your local emergency number")
    assert found("ZZ", r"court orders that keep someone away")
    assert found("ZZ", r"local advocate or lawyer")
    assert not found("ZZ", r"\b(?:911|999|112|000|111)\b")


@pytest.mark.parametrize(("region", "number", "order"), [("ES", "112", "orden de protección"),
                                                        ("MX", "911", "orden de protección")])
def test_spain_and_mexico_get_their_own_number_and_order(
    region: str, number: str, order: str
) -> None:
    emergency = load_checklist(region).item("unsafe.emergency")
    assert number in emergency.title
    assert found(region, re.escape(order))
    assert bool(found(region, r"\b112\b")) is (region == "ES")
    assert not found(region, r"\b(?:999|000|111)\b|Citizens Information|peace bond")


def test_nunavut_is_told_911_may_not_reach_help() -> None:
    assert found("CA-NU", r"RCMP")
    assert "Nunavut" in load_checklist("CA-NU").item("unsafe.emergency").steps[0][1][0]


@pytest.mark.parametrize("region", ELSEWHERE)
def test_the_phone_company_is_named_as_people_there_say_it(region: str) -> None:
    carrier = next(k for k in load_catalogue(region).kinds if k.id == "phone_carrier")
    word = load_places().get(region).terms["carrier"]
    assert carrier.label == f"Mobile phone {word}"
    assert "port-out" not in " ".join(carrier.steps)
    assert "Safe Connections" not in " ".join(carrier.steps)
    assert any("own" in step for step in carrier.steps), "how to get a line of your own"


@pytest.mark.parametrize("region", REGIONS)
def test_the_log_names_the_place_s_order(region: str) -> None:
    label = load_log(region).field_label("protective_order")
    order = load_places().get(region).terms["protective_order"]
    assert label == order[:1].upper() + order[1:]


# --- the US view is unchanged in meaning -------------------------------------------------


def test_the_us_view_keeps_its_laws_and_numbers() -> None:
    text = joined("US")
    for words in (
        "911", "988", "protective order", "restraining order", "Safe Connections Act",
        "two business days", "WomensLaw.org", "Address Confidentiality Program",
        "Safe at Home", "credit freeze", "port-out", "NCMEC CyberTipline",
        "National Domestic Violence Hotline",
    ):
        assert words in text, words
    assert not found("US", r"\b999\b|non-molestation|peace bond|Clare's Law")


def test_the_us_plan_asks_the_questions_it_always_asked() -> None:
    plan = load_plan("US")
    order = plan.question("legal.order")
    assert order.prompt == "Do I have a protective order?"
    assert [o.id for o in order.options] == ["yes", "applied", "considering", "no"]
    legal = {q.id for q in plan.section("legal").questions}
    assert legal == {"legal.order", "legal.order-details", "legal.advocates", "legal.questions"}
    assert "protective-order" in {o.id for o in plan.question("danger.go-bag").options}
    assert plan.question("danger.order-copies").prompt == (
        "Where the copies of my protective order are"
    )


def test_the_us_accounts_and_log_keep_their_words() -> None:
    carrier = next(k for k in load_catalogue("US").kinds if k.id == "phone_carrier")
    assert carrier.label == "Mobile phone carrier"
    assert "Safe Connections Act" in " ".join(carrier.steps)
    bank = next(k for k in load_catalogue("US").kinds if k.id == "bank")
    assert any("credit freeze" in step for step in bank.steps)
    assert load_log("US").field_label("protective_order") == "Protective order"


# --- the places' own questions -----------------------------------------------------------


@pytest.mark.parametrize("region", REGIONS)
def test_the_legal_section_asks_about_the_place_s_own_order(region: str) -> None:
    questions = {q.id: q for q in load_plan(region).section("legal").questions}
    if region in ("GB-ENG", "GB-WLS", "GB-NIR"):
        assert "legal.order" not in questions
        assert "non-molestation" in questions["legal.family-court-order"].prompt
    else:
        order = load_places().get(region).terms["protective_order"]
        assert questions["legal.order"].prompt == f"Do I have a {order}?"
        assert "legal.family-court-order" not in questions
    assert ("legal.disclosure" in questions) == region.startswith("GB-")


def test_a_new_question_never_reuses_a_stored_id() -> None:
    ids = [q.id for q in load_raw_plan().questions()]
    assert len(ids) == len(set(ids))


# --- every `regions = [...]` in the content names a real place ---------------------------


def _patterns() -> Iterator[tuple[str, tuple[str, ...]]]:
    def regional(where: str, entries: Iterable[object]) -> Iterator[tuple[str, tuple[str, ...]]]:
        for entry in entries:
            if isinstance(entry, Regional):
                yield f"{where}: {entry.text[:50]}", entry.regions

    for item in load_raw_checklist().items:
        if item.regions:
            yield f"checklist {item.id}", item.regions
        for key, steps in item.raw_steps:
            yield from regional(f"checklist {item.id} steps.{key}", steps)
    for section in load_raw_plan().sections:
        yield from regional(f"plan {section.id} guidance", section.raw_guidance)
        for question in section.questions:
            if question.regions:
                yield f"plan {question.id}", question.regions
            for option in question.options:
                if option.regions:
                    yield f"plan {question.id} option {option.id}", option.regions
    for kind in load_raw_catalogue().kinds:
        yield from regional(f"accounts {kind.id}", kind.raw_steps)


PATTERNS = list(_patterns())


def test_the_content_has_regional_text() -> None:
    assert len(PATTERNS) > 40


@pytest.mark.parametrize(("where", "patterns"), PATTERNS, ids=[w for w, _ in PATTERNS])
def test_every_regions_list_names_places_safetykit_knows(
    where: str, patterns: tuple[str, ...]
) -> None:
    for pattern in patterns:
        assert any(applies((pattern,), code) for code in REGIONS), (
            f"{where}: {pattern!r} matches no place in regions.toml"
        )
