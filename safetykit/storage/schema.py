"""The shape of the saved state, its version, and the migrations between versions.

The state is one JSON object. ``schema`` says which version wrote it; ``migrate`` brings an older
state up to ``CURRENT`` one step at a time, so a vault written by any released version still opens.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

CURRENT = 2
SECTIONS = ("checklist", "plan", "passwords", "log", "device")

State = dict[str, Any]


class SchemaError(Exception):
    """The state cannot be understood by this version."""


def empty_state() -> State:
    return {"schema": CURRENT, **{section: {} for section in SECTIONS}}


def _add_the_log(state: State) -> State:
    """1 → 2: the incident log (its attachments live beside the vault, not in it)."""
    return {**state, "schema": 2, "log": {}}


# MIGRATIONS[n] turns a version-n state into a version-(n+1) state.
MIGRATIONS: dict[int, Callable[[State], State]] = {1: _add_the_log}


def migrate(state: Any) -> State:
    if not isinstance(state, dict):
        raise SchemaError("the saved state is not an object")
    version = state.get("schema")
    if not isinstance(version, int) or version < 1:
        raise SchemaError("the saved state has no schema version")
    if version > CURRENT:
        raise SchemaError(f"the saved state comes from a newer safetykit (schema {version})")
    out: State = copy.deepcopy(state)
    while out["schema"] < CURRENT:
        step = MIGRATIONS[out["schema"]]
        out = step(out)
    for section in SECTIONS:
        if not isinstance(out.get(section), dict):
            out[section] = {}
    return out
