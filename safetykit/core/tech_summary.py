"""The "my technology" part of the plan: where the checklist and password audit stand. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from safetykit.content.checklist import Checklist
from safetykit.core import checklist as core_checklist
from safetykit.i18n import _, ngettext

MAX_DONE_LISTED = 12


def tech_summary(checklist: Checklist, state: Mapping[str, Any]) -> list[str] | None:
    """Lines for the plan, or None when neither the checklist nor the audit has been used."""
    lines: list[str] = []
    raw = state.get("checklist")
    if isinstance(raw, Mapping) and raw.get("items"):
        progress = core_checklist.Progress.from_state(raw)
        summary = core_checklist.summary(checklist, progress)
        lines.append(_("Tech-safety checklist: {progress}.").format(progress=summary["line"]))
        done = [i.title for i in checklist.items if progress.states.get(i.id) == "done"]
        if done:
            shown = done[:MAX_DONE_LISTED]
            more = len(done) - len(shown)
            if more:
                lines.append(
                    ngettext(
                        "Done: {items} (and {count} more).",
                        "Done: {items} (and {count} more).",
                        more,
                    ).format(items="; ".join(shown), count=more)
                )
            else:
                lines.append(_("Done: {items}.").format(items="; ".join(shown)))
        open_sections = [
            s.title
            for s in core_checklist.section_order(checklist, progress.behaviours)
            if not core_checklist.section_progress(checklist, progress, s.id).complete
        ]
        if open_sections:
            lines.append(
                _("Still to look at: {sections}.").format(sections="; ".join(open_sections[:5]))
            )
    passwords = state.get("passwords")
    if isinstance(passwords, Mapping):
        accounts = passwords.get("accounts")
        if isinstance(accounts, list) and accounts:
            rotated = sum(1 for a in accounts if isinstance(a, Mapping) and a.get("rotated"))
            lines.append(
                ngettext(
                    "Passwords: {changed} of {total} account changed.",
                    "Passwords: {changed} of {total} accounts changed.",
                    len(accounts),
                ).format(changed=rotated, total=len(accounts))
            )
    return lines or None
