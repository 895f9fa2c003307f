"""What the check reads from a phone, in order, through any ``Shell`` (adb for a real phone,
recorded outputs in tests), and what it keeps of it: a ``Snapshot`` of parsed facts.

No raw output leaves this module: each command's text is parsed as soon as it arrives and then
dropped. Where a phone is too old (or too new) for a command, the next best one is asked, and a
part that gave nothing usable is named in ``Snapshot.unread`` so the person is told what could not
be checked, rather than shown a clean result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol

from safetykit.device import parse
from safetykit.device.parse import SU_PATHS

STEPS: Final = ("phone", "apps", "settings", "admins", "accessibility", "details", "root")
"""The parts of the check, in order (``progress`` is told each one as it starts)."""
MAX_USERS: Final = 8
MAX_DETAILS: Final = 40
"""Apps looked at one by one (``dumpsys package``), the most worrying first."""


class Shell(Protocol):
    def __call__(self, command: Sequence[str]) -> str: ...


@dataclass
class Snapshot:
    """What was read from one phone (parsed: no raw output, no identifiers)."""

    props: dict[str, str] = field(default_factory=dict)
    users: list[int] = field(default_factory=lambda: [0])
    packages: dict[str, str | None] = field(default_factory=dict)
    """Every app on the phone (all users) → the installer Android recorded (None: none)."""
    third_party: set[str] = field(default_factory=set)
    """Apps that are not part of the phone's system."""
    installers_known: bool = True
    """False when the phone could not say who installed its apps."""
    settings: dict[str, str] = field(default_factory=dict)
    """``namespace:key`` → value, for the settings in ``parse.SETTINGS``."""
    policy: parse.Policy = field(default_factory=parse.Policy)
    accessibility: list[parse.Component] = field(default_factory=list)
    listeners: list[parse.Component] = field(default_factory=list)
    install_allowed: list[str] = field(default_factory=list)
    """Apps allowed to install other apps (Android 8 and later)."""
    details: dict[str, parse.PackageInfo] = field(default_factory=dict)
    su_paths: list[str] = field(default_factory=list)
    selinux: str | None = None
    unread: list[str] = field(default_factory=list)
    """Parts (``STEPS``) that gave nothing usable."""

    @property
    def sdk(self) -> int:
        return parse.sdk_level(self.props)

    def setting(self, namespace: str, key: str) -> str | None:
        return self.settings.get(f"{namespace}:{key}")

    def is_system(self, package: str) -> bool:
        """Part of the phone's system (as far as the phone said)."""
        return package in self.packages and package not in self.third_party


def collect(
    shell: Shell,
    progress: Callable[[str], None] = lambda step: None,
    look_closer: Callable[[Snapshot], list[str]] = lambda snapshot: [],
) -> Snapshot:
    """Read one phone. ``look_closer`` names the apps worth a package dump (the findings module
    decides: matched, sideloaded, holding powerful permissions), at most ``MAX_DETAILS``."""
    snap = Snapshot()

    progress("phone")
    snap.props = parse.parse_getprop(shell(["getprop"]))
    if not snap.props:
        snap.unread.append("phone")

    progress("apps")
    _apps(shell, snap)

    progress("settings")
    _settings(shell, snap)

    progress("admins")
    policy = shell(["dumpsys", "device_policy"])
    snap.policy = parse.parse_device_policy(policy)
    if "Device Admins" not in policy and "Device Policy" not in policy:
        snap.unread.append("admins")
    if snap.sdk >= 26:
        allowed = shell(["cmd", "appops", "query-op", "REQUEST_INSTALL_PACKAGES", "allow"])
        snap.install_allowed = parse.parse_package_lines(allowed)

    progress("accessibility")
    dump = shell(["dumpsys", "accessibility"])
    from_dump = parse.parse_accessibility(dump)
    if "ervices" not in dump and "secure:accessibility_enabled" not in snap.settings:
        snap.unread.append("accessibility")
    from_setting = parse.parse_components(snap.setting("secure", "enabled_accessibility_services"))
    snap.accessibility = sorted(set(from_dump) | set(from_setting))
    snap.listeners = parse.parse_components(
        snap.setting("secure", "enabled_notification_listeners")
    )

    progress("details")
    for package in look_closer(snap)[:MAX_DETAILS]:
        info = parse.parse_package_dump(shell(["dumpsys", "package", package]), package)
        if info is not None:
            snap.details[package] = info

    progress("root")
    snap.su_paths = parse.parse_existing(shell(["ls", *SU_PATHS]), SU_PATHS)
    snap.selinux = parse.parse_getenforce(shell(["getenforce"]))
    return snap


def _apps(shell: Shell, snap: Snapshot) -> None:
    snap.users = parse.parse_users(shell(["pm", "list", "users"]))[:MAX_USERS]
    for user in snap.users:
        extra = [] if user == 0 else ["--user", str(user)]
        listed = parse.parse_packages(shell(["pm", "list", "packages", "-i", *extra]))
        if not listed and user == 0:
            # A phone whose pm does not take -i: the names alone, without installers.
            listed = parse.parse_packages(shell(["pm", "list", "packages"]))
            if listed:
                snap.installers_known = False
        for package, installer in listed.items():
            if package not in snap.packages or snap.packages[package] is None:
                snap.packages[package] = installer
        snap.third_party |= set(parse.parse_packages(
            shell(["pm", "list", "packages", "-3", *extra])
        ))
    if not snap.packages:
        snap.unread.append("apps")


def _settings(shell: Shell, snap: Snapshot) -> None:
    for namespace, keys in sorted(parse.SETTINGS.items()):
        listed = parse.parse_settings_list(shell(["settings", "list", namespace]), namespace)
        if listed is None:  # too old to list them: ask for each by name
            listed = {}
            for key in sorted(keys):
                value = parse.setting_value(shell(["settings", "get", namespace, key]))
                if value is not None:
                    listed[key] = value
        for key, value in listed.items():
            snap.settings[f"{namespace}:{key}"] = value
    if not snap.settings:
        snap.unread.append("settings")
