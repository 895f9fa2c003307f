"""Checklist progress: what has been answered, what comes next, and summaries. Pure.

The vault keeps the checklist's part of the state as plain JSON::

    {"items": {"contact.block-number": "done", ...},   # only answered items
     "behaviours": ["calls-texts", ...],                 # what is happening, in the person's words
     "behaviours_answered": true,
     "phone": "iphone" | "android" | null, "apps": ["instagram", ...],
     "last_item": "contact.block-number"}

An item never answered and one answered "not yet" are both ``todo`` to the outside world; the
difference only decides where the walk-through resumes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Self, get_args

from safetykit.content.checklist import Checklist, Item, Section
from safetykit.i18n import ngettext

ItemState = Literal["todo", "done", "not_applicable"]
STATES: tuple[str, ...] = get_args(ItemState)
LAST_SECTIONS = ("letting-go",)  # always at the end: a different track, not a priority


class UnknownStateError(ValueError):
    pass


class UnknownItemError(ValueError):
    pass


@dataclass
class Progress:
    """The checklist's part of the saved state (the vault section ``checklist``)."""

    SECTION: ClassVar[str] = "checklist"

    states: dict[str, str] = field(default_factory=dict)
    behaviours: list[str] = field(default_factory=list)
    behaviours_answered: bool = False
    phone: str | None = None
    apps: list[str] = field(default_factory=list)
    last_item: str | None = None

    @classmethod
    def from_state(cls, raw: Mapping[str, Any]) -> Self:
        """Read the stored part, tolerating anything odd (it is replaced on the next save)."""
        items = raw.get("items")
        states = (
            {str(k): str(v) for k, v in items.items() if v in STATES}
            if isinstance(items, Mapping)
            else {}
        )
        behaviours = raw.get("behaviours")
        apps = raw.get("apps")
        phone = raw.get("phone")
        last = raw.get("last_item")
        return cls(
            states=states,
            behaviours=[str(b) for b in behaviours] if isinstance(behaviours, list) else [],
            behaviours_answered=raw.get("behaviours_answered") is True,
            phone=phone if isinstance(phone, str) else None,
            apps=[str(a) for a in apps] if isinstance(apps, list) else [],
            last_item=last if isinstance(last, str) else None,
        )

    def to_state(self) -> dict[str, Any]:
        return {
            "items": dict(self.states),
            "behaviours": list(self.behaviours),
            "behaviours_answered": self.behaviours_answered,
            "phone": self.phone,
            "apps": list(self.apps),
            "last_item": self.last_item,
        }

    def state_of(self, item_id: str) -> ItemState:
        value = self.states.get(item_id, "todo")
        return value if value in STATES else "todo"  # type: ignore[return-value]

    def answered(self, item_id: str) -> bool:
        return item_id in self.states

    def platforms(self) -> set[str]:
        chosen = set(self.apps)
        if self.phone:
            chosen.add(self.phone)
        return chosen


def parse_state(value: str) -> ItemState:
    """A state as typed by a script: ``done``, ``todo`` or ``not_applicable`` (also ``n/a``)."""
    normalised = value.strip().lower().replace("-", "_")
    aliases = {"n/a": "not_applicable", "na": "not_applicable", "not_yet": "todo"}
    normalised = aliases.get(normalised, normalised)
    if normalised not in STATES:
        raise UnknownStateError(value)
    return normalised  # type: ignore[return-value]


def mark(checklist: Checklist, progress: Progress, item_id: str, state: ItemState) -> None:
    if item_id not in {item.id for item in checklist.items}:
        raise UnknownItemError(item_id)
    if state not in STATES:
        raise UnknownStateError(state)
    progress.states[item_id] = state
    progress.last_item = item_id


def section_order(checklist: Checklist, behaviours: Iterable[str]) -> list[Section]:
    """Sections that help with what is happening come first; the rest keep their file order."""
    weight: dict[str, int] = {}
    chosen = set(behaviours)
    for behaviour in checklist.behaviours:
        if behaviour.id in chosen:
            for rank, section_id in enumerate(behaviour.sections):
                weight[section_id] = weight.get(section_id, 0) + (3 if rank == 0 else 1)
    position = {s.id: n for n, s in enumerate(checklist.sections)}

    def key(section: Section) -> tuple[int, int, int]:
        last = 1 if section.id in LAST_SECTIONS else 0
        return (last, -weight.get(section.id, 0), position[section.id])

    return sorted(checklist.sections, key=key)


@dataclass(frozen=True)
class SectionProgress:
    done: int
    not_applicable: int
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered == self.total and self.done + self.not_applicable == self.total


def section_progress(checklist: Checklist, progress: Progress, section_id: str) -> SectionProgress:
    items = checklist.items_in(section_id)
    states = [progress.states.get(i.id) for i in items]
    return SectionProgress(
        done=states.count("done"),
        not_applicable=states.count("not_applicable"),
        answered=sum(1 for s in states if s is not None),
        total=len(items),
    )


def walk_from(checklist: Checklist, progress: Progress, section_id: str) -> list[Item]:
    """The items to go through in a section: those never answered, then those left "not yet";
    if everything has an answer, the whole section again (to review)."""
    items = list(checklist.items_in(section_id))
    unseen = [i for i in items if not progress.answered(i.id)]
    later = [i for i in items if progress.states.get(i.id) == "todo"]
    return unseen + later or items


def suggested_section(checklist: Checklist, progress: Progress) -> str:
    """Where to start: the section last worked in if unfinished, else the first open one."""
    order = section_order(checklist, progress.behaviours)
    if progress.last_item:
        for item in checklist.items:
            if item.id == progress.last_item:
                if not section_progress(checklist, progress, item.section).complete:
                    return item.section
                break
    for section in order:
        if not section_progress(checklist, progress, section.id).complete:
            return section.id
    return order[0].id


def summary(checklist: Checklist, progress: Progress) -> dict[str, Any]:
    ids = [item.id for item in checklist.items]
    done = sum(1 for i in ids if progress.states.get(i) == "done")
    not_applicable = sum(1 for i in ids if progress.states.get(i) == "not_applicable")
    total = len(ids)
    return {
        "done": done,
        "not_applicable": not_applicable,
        "todo": total - done - not_applicable,
        "total": total,
        # Only ids the checklist knows: whatever else is stored is never copied into output.
        "behaviours": [b.id for b in checklist.behaviours if b.id in progress.behaviours],
        "line": _summary_line(done, not_applicable, total),
    }


def _summary_line(done: int, not_applicable: int, total: int) -> str:
    if not_applicable:
        return ngettext(
            "{done} of {total} done, {not_applicable} not for you",
            "{done} of {total} done, {not_applicable} not for you",
            done,
        ).format(done=done, total=total, not_applicable=not_applicable)
    return ngettext("{done} of {total} done", "{done} of {total} done", done).format(
        done=done, total=total
    )


def rows(checklist: Checklist, progress: Progress) -> list[dict[str, str]]:
    """One row per item in section order, for ``checklist show --json``."""
    titles = {s.id: s.title for s in checklist.sections}
    out: list[dict[str, str]] = []
    for section in section_order(checklist, progress.behaviours):
        for item in checklist.items_in(section.id):
            out.append(
                {
                    "id": item.id,
                    "section": item.section,
                    "section_title": titles[item.section],
                    "title": item.title,
                    "state": progress.state_of(item.id),
                }
            )
    return out
