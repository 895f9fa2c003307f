"""Reading what ``adb`` and the phone print: pure functions from text to the few facts the check
uses. No I/O; nothing here raises on odd input.

The formats drift between Android versions (and phone makers), so each parser looks for the shape
of what it wants and skips a line that does not fit, rather than guessing. Line endings may be
``\\r\\n`` (older phones, Windows) and stray control bytes are ignored.

Several of these outputs also hold the phone's identifiers: its serial number (getprop), its
Android id and Bluetooth address (settings). They are dropped here, at the first step: the getprop
and settings parsers keep only the keys on their lists, so nothing later can keep or print them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final

PACKAGE: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+$")
"""An Android package name."""
_CLASS = re.compile(r"^\.?[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z0-9_$]+)*$")

PROPS: Final = frozenset({
    "ro.build.version.release", "ro.build.version.release_or_codename", "ro.build.version.sdk",
    "ro.build.version.security_patch", "ro.product.manufacturer", "ro.product.brand",
    "ro.product.model", "ro.product.vendor.manufacturer", "ro.product.vendor.model",
    "ro.boot.verifiedbootstate", "ro.boot.flash.locked", "ro.boot.vbmeta.device_state",
    "ro.debuggable", "ro.secure", "ro.build.tags", "ro.build.type", "service.adb.tcp.port",
    "persist.adb.tcp.port",
})
"""The only properties kept (never ``ro.serialno``, ``ro.boot.serialno`` and the like)."""

SETTINGS: Final = {
    "global": frozenset({
        "package_verifier_enable", "verifier_verify_adb_installs", "development_settings_enabled",
        "adb_enabled", "adb_wifi_enabled", "install_non_market_apps",
    }),
    "secure": frozenset({
        "enabled_accessibility_services", "accessibility_enabled",
        "enabled_notification_listeners", "install_non_market_apps",
    }),
}
"""The only settings kept, by namespace (never ``android_id``, ``bluetooth_address`` and the
like)."""

SU_PATHS: Final = (
    "/system/bin/su", "/system/xbin/su", "/sbin/su", "/su/bin/su", "/system/sbin/su",
    "/vendor/bin/su", "/data/local/su", "/data/local/bin/su", "/data/local/xbin/su",
)
"""Where a ``su`` program is looked for (with ``ls``, which never runs it)."""


_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]?")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def lines(text: str) -> Iterator[str]:
    """The lines of ``text`` whatever their endings, without trailing spaces, escape sequences,
    control characters or bidirectional overrides (nothing a phone prints can drive a terminal
    or reach the JSON)."""
    text = _CONTROL.sub("", _ESCAPE.sub("", text))
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        yield line.rstrip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def is_package(name: str) -> bool:
    return len(name) <= 255 and bool(PACKAGE.fullmatch(name))


# ── adb itself ───────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Attached:
    """One line of ``adb devices -l``."""

    serial: str
    state: str
    """"device" (ready), "unauthorized", "offline", "no permissions", "authorizing",
    "connecting", or another word adb uses ("recovery", "sideload", ...)."""
    model: str = ""
    product: str = ""


_WORD_STATES = ("device", "unauthorized", "offline", "authorizing", "connecting", "bootloader",
                "recovery", "rescue", "sideload", "host", "detached", "unknown")


def parse_devices(text: str) -> list[Attached]:
    """The phones ``adb devices -l`` lists (header, daemon notices and blank lines skipped)."""
    found: list[Attached] = []
    for line in lines(text):
        stripped = line.strip()
        if not stripped or stripped.startswith(("List of devices", "*", "adb server")):
            continue
        if stripped.startswith("(no serial number)"):
            serial, rest = "(no serial number)", stripped[len("(no serial number)"):].strip()
        else:
            parts = stripped.split(None, 1)
            if len(parts) < 2:
                continue
            serial, rest = parts
        if rest.startswith("no permissions"):
            state = "no permissions"
            end = rest.find("]")
            rest = rest[end + 1:] if end >= 0 else ""
        else:
            state, _, rest = rest.partition(" ")
            if state not in _WORD_STATES:
                continue
        details = dict(
            item.split(":", 1) for item in rest.split() if ":" in item
        )
        found.append(Attached(
            serial=serial,
            state=state,
            model=details.get("model", "").replace("_", " "),
            product=details.get("product", ""),
        ))
    return found


_ADB_PROBLEMS: Final = (
    ("unauthorized", "unauthorized"),
    ("still authorizing", "unauthorized"),
    ("insufficient permissions", "no_permissions"),
    ("no permissions", "no_permissions"),
    ("more than one device", "several"),
    ("more than one emulator", "several"),
    ("no devices/emulators found", "gone"),
    ("no devices found", "gone"),
    ("not found", "gone"),
    ("device offline", "gone"),
    ("still connecting", "gone"),
    ("error: closed", "gone"),
    ("protocol fault", "gone"),
    ("connection reset", "gone"),
    ("cannot connect to daemon", "no_server"),
    ("failed to start daemon", "no_server"),
    ("cannot bind", "no_server"),
)


def adb_problem(stderr: str) -> str | None:
    """What an adb error message says, whatever its prefix (``error:``, ``adb:``,
    ``adb.exe:``): "unauthorized", "no_permissions", "several", "gone" or "no_server"; None if
    it is not one of adb's own messages about the connection."""
    low = stderr.lower()
    for line in lines(low):
        if not line.strip().startswith(("error", "adb", "* ", "- ", "failed", "cannot")):
            continue
        for words, problem in _ADB_PROBLEMS:
            if words in line:
                return problem
    return None


# ── getprop ──────────────────────────────────────────────────────────────────────────────────

_PROP = re.compile(r"^\[([^\]]*)\]:\s*\[(.*)\]$")


def parse_getprop(text: str) -> dict[str, str]:
    """``[name]: [value]`` lines, kept only for the properties in ``PROPS``."""
    found: dict[str, str] = {}
    for line in lines(text):
        match = _PROP.match(line.strip())
        if match and match[1] in PROPS and match[1] not in found:
            found[match[1]] = match[2].strip()[:200]
    return found


def sdk_level(props: dict[str, str]) -> int:
    """The API level (0 when unknown)."""
    value = props.get("ro.build.version.sdk", "")
    return int(value) if value.isdigit() and len(value) < 4 else 0


# ── packages ─────────────────────────────────────────────────────────────────────────────────

_TAIL_UID = re.compile(r"\s+uid:[0-9,]+$")
_TAIL_INSTALLER = re.compile(r"\s+installer=(\S*)$")
_TAIL_VERSION = re.compile(r"\s+versionCode:[0-9]+$")


def parse_packages(text: str) -> dict[str, str | None]:
    """``pm list packages`` (with or without ``-f``, ``-i``, ``-U``, ``--show-versioncode``):
    package name → its installer (None when none was recorded or not asked for)."""
    found: dict[str, str | None] = {}
    for raw in lines(text):
        line = raw.strip()
        if not line.startswith("package:"):
            continue
        rest = line[len("package:"):]
        rest = _TAIL_UID.sub("", rest)
        installer: str | None = None
        match = _TAIL_INSTALLER.search(rest)
        if match:
            installer = match[1] if is_package(match[1]) else None
            rest = rest[: match.start()]
        rest = _TAIL_VERSION.sub("", rest).strip()
        if "=" in rest:  # -f: the code path, then "=", then the name (paths may hold "==")
            rest = rest.rsplit("=", 1)[1]
        if is_package(rest) and (rest not in found or found[rest] is None):
            found[rest] = installer
    return found


def parse_users(text: str) -> list[int]:
    """The user ids ``pm list users`` shows (``UserInfo{10:Work profile:1030}``); user 0 is
    always there. Their names (a person's name, often) are never kept."""
    users = {0}
    for match in re.finditer(r"UserInfo\{(\d{1,5}):", text):
        users.add(int(match[1]))
    return sorted(users)


# ── settings ─────────────────────────────────────────────────────────────────────────────────

_SETTING = re.compile(r"^([A-Za-z0-9_.:\-]+)=(.*)$")


def parse_settings_list(text: str, namespace: str) -> dict[str, str] | None:
    """``settings list <namespace>`` as the kept settings of that namespace; None when the
    output is not a listing at all (an old phone without ``list``: usage text, an error)."""
    keep = SETTINGS.get(namespace, frozenset())
    found: dict[str, str] = {}
    listing = False
    for line in lines(text):
        match = _SETTING.match(line.strip())
        if not match:
            continue
        listing = True
        if match[1] in keep and match[1] not in found:
            found[match[1]] = match[2].strip()[:4000]
    return found if listing else None


def setting_value(text: str) -> str | None:
    """What ``settings get`` printed: None for ``null`` (never set), or anything that is not a
    value (an error, a usage text)."""
    values = [line.strip() for line in lines(text) if line.strip()]
    if len(values) != 1:
        return None
    value = values[0]
    # The values read are numbers and colon lists: one with a space is a message, not a value.
    if value == "null" or " " in value or "\t" in value:
        return None
    return value[:4000]


@dataclass(frozen=True, order=True)
class Component:
    """An app's part, as Android names it: ``package/class``."""

    package: str
    name: str

    def __str__(self) -> str:
        return f"{self.package}/{self.name}"


def component(text: str) -> Component | None:
    """``pkg/cls`` or ``pkg/.cls`` (relative to the package), or ``ComponentInfo{pkg/cls}``."""
    text = text.strip()
    if text.startswith("ComponentInfo{") and text.endswith("}"):
        text = text[len("ComponentInfo{"):-1]
    package, slash, name = text.partition("/")
    if not slash or not is_package(package) or not _CLASS.fullmatch(name):
        return None
    if name.startswith("."):
        name = package + name
    return Component(package, name)


def parse_components(value: str | None) -> list[Component]:
    """A colon-separated list of components (``enabled_accessibility_services``,
    ``enabled_notification_listeners``)."""
    if not value:
        return []
    found = [component(part) for part in value.split(":")]
    return sorted({c for c in found if c is not None})


# ── device policy ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Policy:
    device_owner: str | None = None
    """The package that owns (manages) the whole phone, if one does."""
    profile_owners: tuple[tuple[int, str], ...] = ()
    """(user, package) for each work profile or user that is managed."""
    admins: tuple[tuple[int, Component], ...] = ()
    """(user, component) for each active device administrator."""


_OWNER_PACKAGE = re.compile(r"^(?:admin=ComponentInfo\{([^/}]+)/|package=(\S+)$)")
_PROFILE_OWNER = re.compile(r"^Profile Owner \(User (\d+)\)")
_ADMINS = re.compile(r"^Enabled Device Admins \(User (\d+)")


def parse_device_policy(text: str) -> Policy:
    """``dumpsys device_policy``: the device owner, profile owners and active admins (the
    header lines of Android 5 to 15; policies, restrictions and the rest are skipped)."""
    owner: str | None = None
    profiles: list[tuple[int, str]] = []
    admins: list[tuple[int, Component]] = []
    mode = ""
    base = 0
    user = 0
    child = -1
    for line in lines(text):
        if not line.strip():
            continue
        stripped = line.strip()
        depth = _indent(line)
        if mode and depth <= base:
            mode = ""
        if not mode:
            if stripped.startswith("Device Owner"):
                mode, base = "owner", depth
            elif match := _PROFILE_OWNER.match(stripped):
                mode, base, user = "profile", depth, int(match[1])
            elif match := _ADMINS.match(stripped):
                mode, base, user, child = "admins", depth, int(match[1]), -1
            continue
        if mode in ("owner", "profile"):
            match = _OWNER_PACKAGE.match(stripped)
            package = (match[1] or match[2]) if match else None
            if package and is_package(package):
                if mode == "owner" and owner is None:
                    owner = package
                elif mode == "profile" and (user, package) not in profiles:
                    profiles.append((user, package))
        elif mode == "admins":
            if child < 0:
                child = depth
            if depth == child and stripped.endswith(":"):
                found = component(stripped[:-1])
                if found is not None and (user, found) not in admins:
                    admins.append((user, found))
    return Policy(owner, tuple(profiles), tuple(admins))


# ── accessibility ────────────────────────────────────────────────────────────────────────────

_ENABLED_ONE_LINE = re.compile(r"Enabled services:\s*\{(.*)\}")
_BRACED = re.compile(r"\{([^{}]+)\}")
_NUMBERED = re.compile(r"^\d+\s*:\s*(\S+)")


def parse_accessibility(text: str) -> list[Component]:
    """The enabled services in ``dumpsys accessibility``, in the shapes seen so far: one line
    ``Enabled services:{{pkg/cls}, {pkg/cls}}`` (Android 10 to 15), or a block ``enabled
    services: {`` with ``0 : pkg/cls`` lines (Samsung and older)."""
    found: set[Component] = set()
    in_block = False
    for line in lines(text):
        stripped = line.strip()
        if in_block:
            if stripped.startswith("}"):
                in_block = False
                continue
            match = _NUMBERED.match(stripped)
            if match and (c := component(match[1])) is not None:
                found.add(c)
            continue
        if stripped.lower().startswith("enabled services:") and stripped.endswith("{"):
            in_block = True
            continue
        match = _ENABLED_ONE_LINE.search(stripped)
        if match:
            for item in _BRACED.findall(match[1]) or [match[1]]:
                if (c := component(item)) is not None:
                    found.add(c)
    return sorted(found)


# ── one package ──────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class PackageInfo:
    """What ``dumpsys package <name>`` says about one app."""

    installer: str | None = None
    first_installed: str | None = None
    """As the phone prints it: ``2024-03-02 21:13:40``, in the phone's own time zone."""
    last_updated: str | None = None
    system: bool = False
    requested: frozenset[str] = field(default_factory=frozenset)
    """Permissions it asks for."""


_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?$")


def parse_package_dump(text: str, package: str) -> PackageInfo | None:
    """The ``Package [name]`` block of ``dumpsys package`` (None when there is none)."""
    header = re.compile(r"^Package \[" + re.escape(package) + r"\] \(")
    block: list[str] = []
    base = -1
    for line in lines(text):
        if base < 0:
            if header.match(line.strip()):
                base = _indent(line)
            continue
        if line.strip() and _indent(line) <= base:
            break
        block.append(line)
    if base < 0:
        return None
    values: dict[str, str] = {}
    requested: set[str] = set()
    system = False
    section = ""
    section_depth = -1
    for line in block:
        stripped = line.strip()
        if not stripped:
            continue
        depth = _indent(line)
        if section and depth <= section_depth:
            section = ""
        if stripped.endswith(":") and "=" not in stripped and (
            " " in stripped or stripped == "grantedPermissions:"
        ):
            section, section_depth = stripped[:-1], depth
            continue
        if section in ("requested permissions", "grantedPermissions"):
            name = stripped.split(":", 1)[0].strip()
            if re.fullmatch(r"[A-Za-z0-9_.]+", name):
                requested.add(name)
            continue
        if stripped.startswith(("flags=[", "pkgFlags=[")) and " SYSTEM " in f" {stripped} ":
            system = True
        for key in ("installerPackageName", "firstInstallTime", "lastUpdateTime"):
            prefix = key + "="
            if stripped.startswith(prefix) and key not in values:
                values[key] = stripped[len(prefix):].strip()
    installer = values.get("installerPackageName")
    first = values.get("firstInstallTime")
    last = values.get("lastUpdateTime")
    return PackageInfo(
        installer=installer if installer and is_package(installer) else None,
        first_installed=first if first and _STAMP.match(first) else None,
        last_updated=last if last and _STAMP.match(last) else None,
        system=system,
        requested=frozenset(requested),
    )


# ── root, SELinux, install permission ────────────────────────────────────────────────────────


def parse_existing(text: str, candidates: Iterable[str]) -> list[str]:
    """The paths ``ls`` printed back (it prints each one that exists; errors name the others)."""
    wanted = set(candidates)
    return sorted({line.strip() for line in lines(text) if line.strip() in wanted})


def parse_getenforce(text: str) -> str | None:
    for line in lines(text):
        if line.strip() in ("Enforcing", "Permissive", "Disabled"):
            return line.strip()
    return None


def parse_package_lines(text: str) -> list[str]:
    """Package names one per line (``cmd appops query-op``); ``No operations.`` and errors are
    not package names."""
    return sorted({line.strip() for line in lines(text) if is_package(line.strip())})
