"""The "talk to someone now" screen, reachable from every question, and ``safetykit hotlines``:
the lines for the place the person is in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from safetykit.content.regions import current_place, place_name, terms_for
from safetykit.content.resources import Resource, urgent_resources
from safetykit.content.resources import resource as english_entry
from safetykit.i18n import N_, _, current_language
from safetykit.ui.screen import Screen

if TYPE_CHECKING:
    from safetykit.flows.session import Session

CHECK_FIRST = N_("check before relying on it")


def ways_to_reach(resource: Resource) -> list[str]:
    ways: list[str] = []
    if resource.phone:
        ways.append(_("Call {phone}").format(phone=resource.phone))
    if resource.text:
        ways.append(resource.text)
    if resource.tty:
        ways.append(_("TTY {number}").format(number=resource.tty))
    if resource.chat:
        ways.append(_("Chat: {chat}").format(chat=resource.chat))
    if resource.url and not (resource.phone or resource.text or resource.chat):
        ways.append(resource.url)
    if resource.instruction and not ways:
        ways.append(resource.instruction)
    return ways


def hotline_lines(resources: Iterable[Resource]) -> list[str]:
    lines = []
    for r in resources:
        extra = [r.hours] if r.hours else []
        if r.check_first:
            extra.append(_(CHECK_FIRST))
        tail = f" ({'; '.join(extra)})" if extra else ""
        lines.append(f"{r.name}: {' · '.join(ways_to_reach(r))}{tail}")
        if in_spanish(r):
            lines.append(f"  {r.in_spanish}")
    return lines


def in_spanish(resource: Resource) -> str | None:
    """How to reach ``resource`` in Spanish, shown only while safetykit speaks Spanish."""
    return resource.in_spanish if current_language() == "es" else None


def show_hotlines(screen: Screen) -> None:
    place = current_place()
    lines = [
        _("You don't have to face this alone. These lines are free and confidential."),
        "",
        *hotline_lines(urgent_resources()),
        "",
        terms_for(place.code)["emergency_help"],
    ]
    screen.box(_("Talk to someone now ({place})").format(place=place_name(place)), lines,
               style="green")


def hotline_json(resource: Resource) -> dict[str, Any]:
    return {
        "id": resource.id,
        "name": resource.name,
        "call": resource.phone,
        "text": resource.text,
        "tty": resource.tty,
        "chat": resource.chat,
        "url": resource.url,
        "instruction": resource.instruction,
        "hours": resource.hours,
        "languages": list(resource.languages),
        "region": list(resource.regions),
        "checked": resource.checked.isoformat(),
        "source": resource.source,
        "check_first": resource.check_first,
        "description": resource.description,
        # Always there, in the content's English, for scripts: how to reach it in Spanish.
        "in_spanish": english_entry(resource.id).in_spanish,
    }


def hotlines_command(session: Session, *, as_json: bool) -> None:
    """``safetykit hotlines [--region CODE] [--json]``."""
    from safetykit.flows.region import note_if_no_place

    note_if_no_place(session)
    if as_json:
        session.screen.print_json([hotline_json(r) for r in urgent_resources()])
        return
    show_hotlines(session.screen)
