"""The "my technology" part of the plan: where the checklist and password audit stand. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from safetykit.content.checklist import Checklist
from safetykit.core import checklist as core_checklist

MAX_DONE_LISTED = 12


def tech_summary(checklist: Checklist, state: Mapping[str, Any]) -> list[str] | None:
    """Lines for the plan, or None when neither the checklist nor the audit has been used."""
    lines: list[str] = []
    raw = state.get("checklist")
    if isinstance(raw, Mapping) and raw.get("items"):
        progress = core_checklist.Progress.from_state(raw)
        summary = core_checklist.summary(checklist, progress)
        lines.append(f"Tech-safety checklist: {summary['line']}.")
        done = [i.title for i in checklist.items if progress.states.get(i.id) == "done"]
        if done:
            shown = done[:MAX_DONE_LISTED]
            more = f" (and {len(done) - len(shown)} more)" if len(done) > len(shown) else ""
            lines.append("Done: " + "; ".join(shown) + more + ".")
        open_sections = [
            s.title
            for s in core_checklist.section_order(checklist, progress.behaviours)
            if not core_checklist.section_progress(checklist, progress, s.id).complete
        ]
        if open_sections:
            lines.append("Still to look at: " + "; ".join(open_sections[:5]) + ".")
    passwords = state.get("passwords")
    if isinstance(passwords, Mapping):
        accounts = passwords.get("accounts")
        if isinstance(accounts, list) and accounts:
            rotated = sum(1 for a in accounts if isinstance(a, Mapping) and a.get("rotated"))
            lines.append(f"Passwords: {rotated} of {len(accounts)} accounts changed.")
    return lines or None
