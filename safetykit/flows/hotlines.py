"""The "talk to someone now" screen, reachable from every question."""

from __future__ import annotations

from collections.abc import Iterable

from safetykit.content.resources import Resource, urgent_resources
from safetykit.ui.screen import Screen


def ways_to_reach(resource: Resource) -> list[str]:
    ways: list[str] = []
    if resource.phone:
        ways.append(f"Call {resource.phone}")
    if resource.text:
        ways.append(resource.text)
    if resource.tty:
        ways.append(f"TTY {resource.tty}")
    if resource.chat:
        ways.append(f"Chat: {resource.chat}")
    if resource.url and not (resource.phone or resource.text or resource.chat):
        ways.append(resource.url)
    return ways


def hotline_lines(resources: Iterable[Resource]) -> list[str]:
    return [f"{r.name}: {' · '.join(ways_to_reach(r))}" for r in resources]


def show_hotlines(screen: Screen) -> None:
    lines = [
        "You don't have to face this alone. These lines are free and confidential.",
        "",
        *hotline_lines(urgent_resources()),
        "",
        "If you are in danger right now, call 911 (in the US) or your local emergency number.",
    ]
    screen.box("Talk to someone now", lines, style="green")
