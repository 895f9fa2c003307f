"""Summaries of what is stored, for ``safetykit status``. Pure: state in, plain data out."""

from __future__ import annotations

from typing import Any

from safetykit.i18n import ngettext
from safetykit.storage.schema import State


def summarise(state: State | None) -> dict[str, Any]:
    """One summary per command; None for a part with nothing stored yet."""
    if state is None:
        return {"checklist": None, "plan": None, "passwords": None, "log": None}
    return {
        "checklist": _checklist(state.get("checklist") or {}),
        "plan": _plan(state),
        "passwords": _passwords(state),
        "log": _log(state),
    }


def _log(state: State) -> dict[str, Any]:
    from safetykit.core.log import LogState

    raw = state.get("log")
    counts = LogState.from_state(raw if isinstance(raw, dict) else {}).summary()
    entries = counts["entries"]
    attachments = counts["attachments"]
    files = ngettext(
        "{count} attached file", "{count} attached files", attachments
    ).format(count=attachments)
    # TRANSLATORS: {files} is "3 attached files" (or "1 attached file").
    line = ngettext("{count} entry, {files}", "{count} entries, {files}", entries).format(
        count=entries, files=files
    )
    return {**counts, "line": line}


def _checklist(raw: dict[str, Any]) -> dict[str, Any]:
    from safetykit.content.checklist import load_checklist
    from safetykit.core.checklist import Progress, summary

    return summary(load_checklist(), Progress.from_state(raw))


def _plan(state: State) -> dict[str, Any]:
    from safetykit.content.plan import load_plan
    from safetykit.core.plan import answers_in, progress

    content = load_plan()
    answered, total = progress(content, answers_in(content, state))
    line = ngettext(
        "{answered} of {total} answered", "{answered} of {total} answered", answered
    ).format(answered=answered, total=total)
    return {"answered": answered, "total": total, "line": line}


def _passwords(state: State) -> dict[str, Any]:
    from safetykit.passwords.records import PasswordsState, summary

    raw = state.get("passwords")
    return summary(PasswordsState.from_state(raw if isinstance(raw, dict) else {}))
