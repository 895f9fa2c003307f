"""Reading the TOML data files that ship inside this package."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any


class ContentError(Exception):
    """A content file is missing, unreadable or does not follow its schema."""


def read_text(name: str) -> str:
    """The text of a data file shipped in ``safetykit/content``."""
    try:
        return resources.files("safetykit.content").joinpath(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"content file {name!r} could not be read: {exc}") from exc


def read_toml(name: str) -> dict[str, Any]:
    """Parse a TOML data file shipped in ``safetykit/content``."""
    try:
        return tomllib.loads(read_text(name))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"content file {name!r} is not valid TOML: {exc}") from exc
