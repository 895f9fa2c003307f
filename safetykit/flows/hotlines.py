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
    lines: list[str] = []
    for resource in resources:
        lines.append(f"{resource.name}: {'; '.join(ways_to_reach(resource))}")
    return lines


def show_hotlines(screen: Screen) -> None:
    lines = [
        "You do not have to go through this alone. These services are free and confidential,",
        "and the people there talk with people in your situation every day.",
        "",
        *hotline_lines(urgent_resources()),
        "",
        "If you are in danger right now, call 911 (in the US) or your local emergency number.",
    ]
    screen.box("Talk to someone now", lines, style="green")
