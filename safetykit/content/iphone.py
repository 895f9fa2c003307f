"""The iPhone check's content, read from ``iphone.toml`` and validated: what is said before the
check, and each step (where to look, what a finding can mean, what to be careful of, and the
Apple pages it rests on).

safetykit does not read an iPhone (that needs pairing tools whose licence and reliability do not
fit the core), so this is a guided manual check: ``safetykit.flows.device_iphone`` walks the
person through it. Every source must be on the allow-list of official domains, and every step
needs at least one page on apple.com.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from safetykit.content import _validate as check
from safetykit.content._files import read_toml
from safetykit.content._validate import NotInContentError, Source

FILE_NAME = "iphone.toml"
SCHEMA = 1
STEP_KEYS = ("id", "title", "steps", "found", "if_found", "caution", "sources")
APPLE = "apple.com"


@dataclass(frozen=True)
class IphoneStep:
    """One place on the iPhone to look."""

    id: str
    title: str
    steps: tuple[str, ...]
    """What to do, in order."""
    found: str
    """One short line for the summary and the incident log: what was found."""
    if_found: str
    """What it can mean if something is found."""
    caution: str
    """What to think about before removing anything."""
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class IphoneCheck:
    title: str
    intro: tuple[str, ...]
    steps: tuple[IphoneStep, ...]

    def step(self, step_id: str) -> IphoneStep:
        """The step with this id; ``NotInContentError`` if there is none."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise NotInContentError(f"{FILE_NAME}: no step {step_id!r}")

    def translated(self) -> IphoneCheck:
        """The words in the language in use (each text's context is ``iphone:<id>:<field>``)."""
        from safetykit.i18n import content

        def one(step: IphoneStep) -> IphoneStep:
            def f(name: str, text: str) -> str:
                return content(f"iphone:{step.id}:{name}", text)

            return dataclasses.replace(
                step,
                title=f("title", step.title),
                steps=tuple(f("steps", s) for s in step.steps),
                found=f("found", step.found),
                if_found=f("if_found", step.if_found),
                caution=f("caution", step.caution),
            )

        return IphoneCheck(
            title=content("iphone:intro:title", self.title),
            intro=tuple(content("iphone:intro:lines", line) for line in self.intro),
            steps=tuple(one(step) for step in self.steps),
        )


def is_apple(source: Source) -> bool:
    """Whether the page is Apple's own (apple.com or a subdomain of it)."""
    host = source.host.rstrip(".")
    return host == APPLE or host.endswith("." + APPLE)


def _parse_step(raw: object, index: int, today: datetime.date) -> IphoneStep:
    here = f"{FILE_NAME}: steps[{index}]"
    found = check.table(raw, here, STEP_KEYS, STEP_KEYS)
    step_id = check.slug(found["id"], here)
    where = f"{FILE_NAME}: step {step_id!r}"
    sources = check.sources(found["sources"], where, today, allow_empty=False)
    for source in sources:
        if source.third_party or not check.is_official(source.host):
            raise check.fail(
                where, f"source {source.url!r} is not on the allow-list of official domains"
            )
    if not any(is_apple(source) for source in sources):
        raise check.fail(where, "needs at least one source on apple.com")
    return IphoneStep(
        id=step_id,
        title=check.text(found["title"], where, "title"),
        steps=check.texts(found["steps"], where, "steps"),
        found=check.text(found["found"], where, "found"),
        if_found=check.text(found["if_found"], where, "if_found"),
        caution=check.text(found["caution"], where, "caution"),
        sources=sources,
    )


def parse_iphone(data: Mapping[str, Any], *, today: datetime.date | None = None) -> IphoneCheck:
    """Validate the parsed TOML and build the check (exposed for tests of bad data)."""
    today = today or datetime.date.today()
    top = check.table(data, FILE_NAME, {"schema", "intro", "steps"}, ("schema", "intro", "steps"))
    if top["schema"] != SCHEMA or isinstance(top["schema"], bool):
        raise check.fail(FILE_NAME, f"'schema' must be {SCHEMA}")
    intro = check.table(top["intro"], f"{FILE_NAME}: [intro]", {"title", "lines"},
                        ("title", "lines"))
    steps = tuple(
        _parse_step(raw, index, today)
        for index, raw in enumerate(check.array(top["steps"], FILE_NAME, "steps"))
    )
    check.unique([s.id for s in steps], FILE_NAME, "step")
    return IphoneCheck(
        title=check.text(intro["title"], f"{FILE_NAME}: [intro]", "title"),
        intro=check.texts(intro["lines"], f"{FILE_NAME}: [intro]", "lines"),
        steps=steps,
    )


@functools.cache
def load_raw_iphone() -> IphoneCheck:
    """The shipped check as written (English), validated once and cached."""
    return parse_iphone(read_toml(FILE_NAME))


@functools.cache
def _in_language(language: str) -> IphoneCheck:
    return load_raw_iphone().translated()


def load_iphone() -> IphoneCheck:
    """The iPhone check in the language in use."""
    from safetykit.i18n import current_language

    return _in_language(current_language())
