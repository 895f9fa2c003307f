"""Phone checks kept in the vault (section ``device``), only when the person asks. Pure.

Saved::

    {"checks": [{"at": "2026-11-26T17:40:00+00:00",
                 "phone": {"make": "Google", "model": "Pixel 7", "android": "14"},
                 "indicators": "2026-06-21",
                 "findings": [{"kind": "stalkerware", "severity": "high",
                               "package": "com.example", "app": "Example",
                               "facts": [["installed", "2024-03-02 21:13:40"]]}]}]}

What is kept is what the check found, never what the phone printed, and never the phone's serial
number, Android id or Bluetooth address (the parsers drop those before anything else sees them).
The newest ``MAX_CHECKS`` are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Self

from safetykit.device.findings import Finding

MAX_CHECKS: Final = 50
PHONE_KEYS: Final = ("make", "model", "android")


@dataclass
class Check:
    at: str
    phone: dict[str, str]
    indicators: str
    findings: list[Finding]

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at, "phone": dict(self.phone), "indicators": self.indicators,
                "findings": [f.to_state() for f in self.findings]}

    @classmethod
    def from_json(cls, raw: object) -> Self | None:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("at"), str):
            return None
        phone = raw.get("phone")
        phone = phone if isinstance(phone, Mapping) else {}
        findings = [f for f in map(Finding.from_state, raw.get("findings") or []) if f]
        indicators = raw.get("indicators")
        return cls(
            at=str(raw["at"])[:40],
            phone={k: str(phone[k])[:100] for k in PHONE_KEYS if isinstance(phone.get(k), str)},
            indicators=indicators[:20] if isinstance(indicators, str) else "",
            findings=findings,
        )


@dataclass
class DeviceState:
    """The phone checks' part of the saved state (the vault section ``device``)."""

    SECTION: ClassVar[str] = "device"

    checks: list[Check] = field(default_factory=list)

    @classmethod
    def from_state(cls, raw: Mapping[str, Any]) -> Self:
        checks = [c for c in map(Check.from_json, raw.get("checks") or []) if c is not None]
        return cls(checks=checks[-MAX_CHECKS:])

    def to_state(self) -> dict[str, Any]:
        return {"checks": [c.to_json() for c in self.checks[-MAX_CHECKS:]]}

    def add(self, check: Check) -> None:
        self.checks.append(check)
        del self.checks[:-MAX_CHECKS]
