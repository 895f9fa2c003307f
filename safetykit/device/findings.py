"""From what was read on a phone to findings: which apps match the stalkerware lists, which came
from outside an app store, what can read the screen or notifications or manage the phone, and
which settings make spying easier. Pure.

A finding is a kind (``content.device.KINDS``), a severity, the app it is about (if any) and a
few facts as plain values (``installer_type``, ``installed``, ``component``, ``sign``...), never
raw output and never an identifier of the phone. Its words (why it matters, what to do, the
caution) come from ``device.toml``; the facts are said in words by the flow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Self

from safetykit.content.device import KINDS, DeviceContent
from safetykit.content.indicators import STALKERWARE, Indicators
from safetykit.device.collect import Snapshot
from safetykit.device.parse import is_package

SEVERITIES: Final = ("high", "medium", "low", "info")
FACT_KEYS: Final = frozenset({
    "installer_type", "installer", "installed", "component", "user", "role", "permissions",
    "setting", "wireless", "sign", "system", "names",
})
_NO_PORT = ("", "-1", "0")
SIGN_WEIGHT: Final = {
    "su_binary": "high", "root_manager": "high", "bootloader_unlocked": "medium",
    "verified_boot": "medium", "adb_root": "medium", "selinux_permissive": "medium",
    "debuggable": "low", "test_keys": "low",
}
"""How much each sign of root weighs (every one in ``ROOT_SIGNS``: a test checks)."""


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str
    package: str | None = None
    app: str | None = None
    """A human name, where the lists know one."""
    facts: tuple[tuple[str, str], ...] = ()

    def fact(self, key: str) -> str | None:
        return next((value for name, value in self.facts if name == key), None)

    def all(self, key: str) -> list[str]:
        return [value for name, value in self.facts if name == key]

    def to_state(self) -> dict[str, Any]:
        return {"kind": self.kind, "severity": self.severity, "package": self.package,
                "app": self.app, "facts": [list(pair) for pair in self.facts]}

    @classmethod
    def from_state(cls, raw: object) -> Self | None:
        """A saved finding, or None if it is not one this version can read."""
        if not isinstance(raw, Mapping):
            return None
        kind, severity = raw.get("kind"), raw.get("severity")
        if kind not in KINDS or severity not in SEVERITIES:
            return None
        package = raw.get("package")
        app = raw.get("app")
        facts: list[tuple[str, str]] = []
        for pair in raw.get("facts") or []:
            if (isinstance(pair, list) and len(pair) == 2 and pair[0] in FACT_KEYS
                    and isinstance(pair[1], str)):
                facts.append((pair[0], pair[1][:500]))
        return cls(
            kind=str(kind),
            severity=str(severity),
            package=package if isinstance(package, str) and is_package(package) else None,
            app=app[:200] if isinstance(app, str) else None,
            facts=tuple(facts),
        )


def _worst(severities: Iterable[str]) -> str:
    found = set(severities)
    return next((s for s in SEVERITIES if s in found), "info")


def order(findings: Iterable[Finding]) -> list[Finding]:
    """Most serious first; then in the order kinds are explained; then by app."""
    return sorted(findings, key=lambda f: (SEVERITIES.index(f.severity), KINDS.index(f.kind),
                                           f.package or "", f.facts))


def installer_type(installer: str | None, content: DeviceContent) -> str | None:
    """How an app came onto the phone, when that is worth saying: "package_installer" (an app
    file), "none" (a computer over USB, or another app), "other" (an installer that is not a
    store); None for an app store or the phone maker's own installer."""
    if installer in content.stores or installer in content.preinstallers:
        return None
    if installer is None:
        return "none"
    if installer in content.package_installers:
        return "package_installer"
    return "other"


def _powerful(snapshot: Snapshot) -> set[str]:
    """Apps holding a power worth a closer look (admin, accessibility, notifications, owner,
    installing apps)."""
    found = {c.package for c in snapshot.accessibility} | {c.package for c in snapshot.listeners}
    found |= {c.package for _, c in snapshot.policy.admins}
    found |= {p for _, p in snapshot.policy.profile_owners} | set(snapshot.install_allowed)
    if snapshot.policy.device_owner:
        found.add(snapshot.policy.device_owner)
    return found


def _sideloaded(snapshot: Snapshot, content: DeviceContent) -> list[str]:
    if not snapshot.installers_known:
        return []
    return sorted(p for p in snapshot.third_party
                  if p in snapshot.packages
                  and installer_type(snapshot.packages[p], content) is not None)


def look_closer(snapshot: Snapshot, indicators: Indicators, content: DeviceContent) -> list[str]:
    """The apps worth a package dump, most worrying first: matched by the lists, then holding a
    power and not from a store, then the rest from outside a store."""
    matched = sorted(p for p in snapshot.packages if indicators.match(p))
    sideloaded = _sideloaded(snapshot, content)
    powerful = _powerful(snapshot)
    both = [p for p in sideloaded if p in powerful]
    rest = [p for p in sideloaded if p not in powerful]
    seen: list[str] = []
    for package in [*matched, *both, *rest]:
        if package not in seen:
            seen.append(package)
    return seen


def _how_installed(package: str, snapshot: Snapshot, content: DeviceContent
                   ) -> list[tuple[str, str]]:
    facts: list[tuple[str, str]] = []
    installer = snapshot.packages.get(package)
    details = snapshot.details.get(package)
    if installer is None and details is not None:
        installer = details.installer
    kind = installer_type(installer, content) if snapshot.installers_known else None
    if kind is not None:
        facts.append(("installer_type", kind))
        if kind == "other" and installer:
            facts.append(("installer", installer))
    if details is not None:
        if details.first_installed:
            facts.append(("installed", details.first_installed))
        notable = [p for p in content.permissions if p in details.requested]
        if notable:
            facts.append(("permissions", ",".join(notable)))
    if snapshot.is_system(package):
        facts.append(("system", "yes"))
    return facts


def _apps(snapshot: Snapshot, indicators: Indicators, content: DeviceContent) -> list[Finding]:
    found: list[Finding] = []
    powerful = _powerful(snapshot)
    sideloaded = set(_sideloaded(snapshot, content))
    for package in sorted(snapshot.packages):
        app = indicators.match(package)
        if app is not None:
            facts = _how_installed(package, snapshot, content)
            if app.names:
                facts.append(("names", ", ".join(app.names[:8])))
            stalker = app.type == STALKERWARE
            found.append(Finding("stalkerware" if stalker else "monitoring_app",
                                 "high" if stalker else "medium", package, app.name,
                                 tuple(facts)))
        elif package in sideloaded:
            found.append(Finding("sideloaded", "medium" if package in powerful else "low",
                                 package, None,
                                 tuple(_how_installed(package, snapshot, content))))
    return found


def _names(indicators: Indicators) -> dict[str, str]:
    return {p: a.name for p, apps in indicators.by_package.items() for a in apps[:1]}


def _power_severity(package: str, snapshot: Snapshot, content: DeviceContent,
                    names: Mapping[str, str]) -> str:
    """A power held by an app from an app store is worth a look ("low"); by an app from
    anywhere else, an unknown one, or one on the lists, worth checking ("medium")."""
    if package in names or package not in snapshot.packages or not snapshot.installers_known:
        return "medium"
    return "medium" if installer_type(snapshot.packages[package], content) else "low"


def _powers(snapshot: Snapshot, names: Mapping[str, str], content: DeviceContent
            ) -> list[Finding]:
    found: list[Finding] = []
    policy = snapshot.policy
    owners = set()
    if policy.device_owner:
        owners.add(policy.device_owner)
        found.append(Finding("device_owner", "high", policy.device_owner,
                             names.get(policy.device_owner), (("role", "device_owner"),)))
    for user, package in policy.profile_owners:
        owners.add(package)
        found.append(Finding("device_owner", "medium", package, names.get(package),
                             (("role", "profile_owner"), ("user", str(user)))))
    for user, part in policy.admins:
        if part.package in owners or snapshot.is_system(part.package):
            continue
        found.append(Finding("device_admin",
                             _power_severity(part.package, snapshot, content, names),
                             part.package, names.get(part.package),
                             (("component", str(part)), ("user", str(user)))))
    for part in snapshot.accessibility:
        system = snapshot.is_system(part.package)
        facts = [("component", str(part))] + ([("system", "yes")] if system else [])
        severity = "info" if system else _power_severity(part.package, snapshot, content, names)
        found.append(Finding("accessibility_service", severity,
                             part.package, names.get(part.package), tuple(facts)))
    for part in snapshot.listeners:
        if snapshot.is_system(part.package):
            continue
        found.append(Finding("notification_listener",
                             _power_severity(part.package, snapshot, content, names),
                             part.package,
                             names.get(part.package), (("component", str(part)),)))
    return found


def _settings(snapshot: Snapshot, content: DeviceContent) -> list[Finding]:
    found: list[Finding] = []
    verifier = snapshot.setting("global", "package_verifier_enable")
    adb_checks = snapshot.setting("global", "verifier_verify_adb_installs")
    facts = []
    if verifier == "0":
        facts.append(("setting", "package_verifier_enable=0"))
    if adb_checks == "0":
        facts.append(("setting", "verifier_verify_adb_installs=0"))
    if facts:
        found.append(Finding("play_protect_off", "medium" if verifier == "0" else "low",
                             facts=tuple(facts)))
    if snapshot.setting("global", "development_settings_enabled") == "1":
        found.append(Finding("developer_options", "info"))
    wireless = snapshot.setting("global", "adb_wifi_enabled") == "1" or any(
        snapshot.props.get(p, "") not in _NO_PORT
        for p in ("service.adb.tcp.port", "persist.adb.tcp.port")
    )
    if snapshot.setting("global", "adb_enabled") == "1" or wireless:
        found.append(Finding("usb_debugging", "medium" if wireless else "info",
                             facts=(("wireless", "on"),) if wireless else ()))
    if snapshot.sdk and snapshot.sdk < 26:
        if "1" in (snapshot.setting("secure", "install_non_market_apps"),
                   snapshot.setting("global", "install_non_market_apps")):
            found.append(Finding("unknown_sources", "low",
                                 facts=(("setting", "install_non_market_apps=1"),)))
    else:
        for package in snapshot.install_allowed:
            if snapshot.is_system(package) or package in content.stores:
                continue
            found.append(Finding("unknown_sources", "low", package))
    return found


def _root(snapshot: Snapshot, content: DeviceContent) -> list[Finding]:
    signs: list[tuple[str, str]] = []
    for path in snapshot.su_paths:
        signs.append(("su_binary", path))
    for package in sorted(snapshot.packages):
        if package in content.root_managers:
            signs.append(("root_manager", package))
    props = snapshot.props
    unlocked = props.get("ro.boot.flash.locked") == "0" or (
        props.get("ro.boot.vbmeta.device_state") == "unlocked"
    )
    if unlocked:
        signs.append(("bootloader_unlocked", ""))
    state = props.get("ro.boot.verifiedbootstate", "")
    if state in ("yellow", "red") or (state == "orange" and not unlocked):
        signs.append(("verified_boot", state))
    if props.get("ro.debuggable") == "1":
        signs.append(("debuggable", ""))
    if props.get("ro.secure") == "0":
        signs.append(("adb_root", ""))
    if "test-keys" in props.get("ro.build.tags", ""):
        signs.append(("test_keys", ""))
    if snapshot.selinux in ("Permissive", "Disabled"):
        signs.append(("selinux_permissive", ""))
    if not signs:
        return []
    return [Finding("root", _worst(SIGN_WEIGHT[s] for s, _ in signs),
                    facts=tuple(("sign", f"{s}:{v}" if v else s) for s, v in signs))]


def find(snapshot: Snapshot, indicators: Indicators, content: DeviceContent) -> list[Finding]:
    """Every finding on this phone, most serious first."""
    names = _names(indicators)
    return order([
        *_apps(snapshot, indicators, content),
        *_powers(snapshot, names, content),
        *_settings(snapshot, content),
        *_root(snapshot, content),
    ])


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    found = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        found[finding.severity] += 1
    return found
