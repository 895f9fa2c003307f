"""Summaries of what is stored, for ``safetykit status``. Pure: state in, plain data out."""

from __future__ import annotations

from typing import Any

from safetykit.storage.schema import State


def summarise(state: State | None) -> dict[str, Any]:
    """One summary per command; None for a part with nothing to summarise yet."""
    return {"checklist": None, "plan": None, "passwords": None}
