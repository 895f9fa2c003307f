"""The phone check's content, read from ``device.toml`` and validated: what the check can and
cannot see, the consent question, the cautions, how to get adb and turn USB debugging on and off,
the words for each kind of finding, and the lists apps are read against (app stores, root
managers, notable permissions).

The stalkerware lists themselves are Echap's indicators (``indicators.py``); this file holds
safetykit's own words. Each text is translated with the context ``device:<part>:<field>`` (a kind
of finding: ``device:<kind>:<field>``).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from safetykit.content import _validate as check
from safetykit.content._files import read_toml
from safetykit.content._validate import NotInContentError, Source

FILE_NAME = "device.toml"
SCHEMA = 1

KINDS: Final = (
    "stalkerware", "monitoring_app", "device_owner", "device_admin", "accessibility_service",
    "notification_listener", "sideloaded", "play_protect_off", "developer_options",
    "usb_debugging", "unknown_sources", "root",
)
"""Every kind of finding, in the order they are explained (JSON ``kind`` values)."""

ROOT_SIGNS: Final = (
    "su_binary", "root_manager", "bootloader_unlocked", "verified_boot", "debuggable", "adb_root",
    "test_keys", "selinux_permissive",
)
INSTALLER_WORDS: Final = ("package_installer", "none", "other")
PACKAGE: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+$")
"""An Android package name (as the lists here write them)."""
PERMISSION: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*\.[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class Kind:
    """The words for one kind of finding."""

    id: str
    label: str
    why: str
    what_you_can_do: tuple[str, ...]
    caution: str | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Steps:
    title: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class DeviceContent:
    limits_title: str
    can_see: tuple[str, ...]
    cannot_see: tuple[str, ...]
    no_match: str
    consent_question: str
    consent_why: str
    consent_refused: str
    evidence_title: str
    evidence: tuple[str, ...]
    get_adb_title: str
    get_adb_intro: str
    get_adb: Mapping[str, tuple[str, ...]]
    """Steps by system: ``windows``, ``macos``, ``linux``."""
    usb_debugging: Steps
    not_allowed: tuple[str, ...]
    no_phone: tuple[str, ...]
    cleanup: Steps
    stores: frozenset[str]
    preinstallers: frozenset[str]
    package_installers: frozenset[str]
    installer_words: Mapping[str, str]
    root_managers: frozenset[str]
    root_signs: Mapping[str, str]
    permissions: Mapping[str, str]
    kinds: tuple[Kind, ...]

    def kind(self, kind_id: str) -> Kind:
        for kind in self.kinds:
            if kind.id == kind_id:
                return kind
        raise NotInContentError(f"{FILE_NAME}: no kind of finding {kind_id!r}")

    def translated(self) -> DeviceContent:
        """The words in the language in use (lists of package names stay as they are)."""
        from safetykit.i18n import content

        def f(context: str, text: str) -> str:
            return content(f"device:{context}", text)

        def many(context: str, texts: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(f(context, text) for text in texts)

        def kind(k: Kind) -> Kind:
            return dataclasses.replace(
                k,
                label=f(f"{k.id}:label", k.label),
                why=f(f"{k.id}:why", k.why),
                what_you_can_do=many(f"{k.id}:what_you_can_do", k.what_you_can_do),
                caution=f(f"{k.id}:caution", k.caution) if k.caution else None,
            )

        return dataclasses.replace(
            self,
            limits_title=f("limits:title", self.limits_title),
            can_see=many("limits:can_see", self.can_see),
            cannot_see=many("limits:cannot_see", self.cannot_see),
            no_match=f("limits:no_match", self.no_match),
            consent_question=f("consent:question", self.consent_question),
            consent_why=f("consent:why", self.consent_why),
            consent_refused=f("consent:refused", self.consent_refused),
            evidence_title=f("evidence:title", self.evidence_title),
            evidence=many("evidence:points", self.evidence),
            get_adb_title=f("get_adb:title", self.get_adb_title),
            get_adb_intro=f("get_adb:intro", self.get_adb_intro),
            get_adb={system: many(f"get_adb:{system}", steps)
                     for system, steps in self.get_adb.items()},
            usb_debugging=Steps(f("usb_debugging:title", self.usb_debugging.title),
                                many("usb_debugging:steps", self.usb_debugging.steps)),
            not_allowed=many("usb_debugging:not_allowed", self.not_allowed),
            no_phone=many("usb_debugging:no_phone", self.no_phone),
            cleanup=Steps(f("cleanup:title", self.cleanup.title),
                          many("cleanup:steps", self.cleanup.steps)),
            installer_words={k: f(f"installer_words:{k}", v)
                             for k, v in self.installer_words.items()},
            root_signs={k: f(f"root_signs:{k}", v) for k, v in self.root_signs.items()},
            permissions={k: f(f"permissions:{k}", v) for k, v in self.permissions.items()},
            kinds=tuple(kind(k) for k in self.kinds),
        )


def _packages(value: object, where: str, name: str) -> frozenset[str]:
    found = check.texts(value, where, name)
    for package in found:
        if not PACKAGE.fullmatch(package):
            raise check.fail(where, f"{package!r} in {name!r} is not an Android package name")
    return frozenset(found)


def _words(value: object, where: str, keys: tuple[str, ...], placeholders: Mapping[str, str]
           ) -> dict[str, str]:
    table = check.table(value, where, set(keys), keys)
    words = {key: check.text(table[key], where, key) for key in keys}
    for key, placeholder in placeholders.items():
        if placeholder not in words[key]:
            raise check.fail(where, f"{key!r} must hold {placeholder}")
    return words


def _steps(value: object, where: str, extra: tuple[str, ...] = ()) -> Mapping[str, Any]:
    return check.table(value, where, {"title", "steps", "sources", *extra},
                       ("title", "steps", "sources", *extra))


def _kind(kind_id: str, value: object, today: datetime.date) -> Kind:
    where = f"{FILE_NAME}: [kinds.{kind_id}]"
    found = check.table(value, where, {"label", "why", "what_you_can_do", "caution", "sources"},
                        ("label", "why", "what_you_can_do", "sources"))
    return Kind(
        id=kind_id,
        label=check.text(found["label"], where, "label"),
        why=check.text(found["why"], where, "why"),
        what_you_can_do=check.texts(found["what_you_can_do"], where, "what_you_can_do"),
        caution=check.optional_text(found, "caution", where),
        sources=check.sources(found["sources"], where, today, allow_empty=False),
    )


def parse_device(data: Mapping[str, Any], *, today: datetime.date | None = None) -> DeviceContent:
    """Validate the parsed TOML completely and build the content (exposed for tests)."""
    today = today or datetime.date.today()
    parts = ("schema", "limits", "consent", "evidence", "get_adb", "usb_debugging", "cleanup",
             "installers", "installer_words", "root", "permissions", "kinds")
    top = check.table(data, FILE_NAME, set(parts), parts)
    if top["schema"] != SCHEMA or isinstance(top["schema"], bool):
        raise check.fail(FILE_NAME, f"'schema' must be {SCHEMA}")

    here = f"{FILE_NAME}: [limits]"
    limits = check.table(top["limits"], here, {"title", "can_see", "cannot_see", "no_match"},
                         ("title", "can_see", "cannot_see", "no_match"))
    here_consent = f"{FILE_NAME}: [consent]"
    consent = check.table(top["consent"], here_consent, {"question", "why", "refused"},
                          ("question", "why", "refused"))
    here_evidence = f"{FILE_NAME}: [evidence]"
    evidence = check.table(top["evidence"], here_evidence, {"title", "points"},
                           ("title", "points"))

    here_adb = f"{FILE_NAME}: [get_adb]"
    systems = ("windows", "macos", "linux")
    get_adb = check.table(top["get_adb"], here_adb, {"title", "intro", "sources", *systems},
                          ("title", "intro", "sources", *systems))
    check.sources(get_adb["sources"], here_adb, today, allow_empty=False)

    here_usb = f"{FILE_NAME}: [usb_debugging]"
    usb_extra = ("not_allowed", "no_phone")
    usb = _steps(top["usb_debugging"], here_usb, usb_extra)
    check.sources(usb["sources"], here_usb, today, allow_empty=False)
    here_cleanup = f"{FILE_NAME}: [cleanup]"
    cleanup = _steps(top["cleanup"], here_cleanup)
    check.sources(cleanup["sources"], here_cleanup, today, allow_empty=False)

    here_inst = f"{FILE_NAME}: [installers]"
    installers = check.table(top["installers"], here_inst,
                             {"stores", "preinstallers", "package_installers"},
                             ("stores", "preinstallers", "package_installers"))
    stores = _packages(installers["stores"], here_inst, "stores")
    preinstallers = _packages(installers["preinstallers"], here_inst, "preinstallers")
    package_installers = _packages(installers["package_installers"], here_inst,
                                   "package_installers")
    if (stores & preinstallers) or (stores & package_installers) or (
        preinstallers & package_installers
    ):
        raise check.fail(here_inst, "an installer is in more than one list")

    here_root = f"{FILE_NAME}: [root]"
    root = check.table(top["root"], here_root, {"manager_apps", "signs"},
                       ("manager_apps", "signs"))
    signs = _words(root["signs"], f"{FILE_NAME}: [root.signs]", ROOT_SIGNS,
                   {"su_binary": "{path}", "root_manager": "{package}",
                    "verified_boot": "{state}"})

    here_perm = f"{FILE_NAME}: [permissions]"
    permissions = check.table(top["permissions"], here_perm)
    for name in permissions:
        if not PERMISSION.fullmatch(str(name)):
            raise check.fail(here_perm, f"{name!r} is not a permission name")

    here_kinds = f"{FILE_NAME}: [kinds]"
    kinds_table = check.table(top["kinds"], here_kinds, set(KINDS), KINDS)
    return DeviceContent(
        limits_title=check.text(limits["title"], here, "title"),
        can_see=check.texts(limits["can_see"], here, "can_see"),
        cannot_see=check.texts(limits["cannot_see"], here, "cannot_see"),
        no_match=check.text(limits["no_match"], here, "no_match"),
        consent_question=check.text(consent["question"], here_consent, "question"),
        consent_why=check.text(consent["why"], here_consent, "why"),
        consent_refused=check.text(consent["refused"], here_consent, "refused"),
        evidence_title=check.text(evidence["title"], here_evidence, "title"),
        evidence=check.texts(evidence["points"], here_evidence, "points"),
        get_adb_title=check.text(get_adb["title"], here_adb, "title"),
        get_adb_intro=check.text(get_adb["intro"], here_adb, "intro"),
        get_adb={system: check.texts(get_adb[system], here_adb, system) for system in systems},
        usb_debugging=Steps(check.text(usb["title"], here_usb, "title"),
                            check.texts(usb["steps"], here_usb, "steps")),
        not_allowed=check.texts(usb["not_allowed"], here_usb, "not_allowed"),
        no_phone=check.texts(usb["no_phone"], here_usb, "no_phone"),
        cleanup=Steps(check.text(cleanup["title"], here_cleanup, "title"),
                      check.texts(cleanup["steps"], here_cleanup, "steps")),
        stores=stores,
        preinstallers=preinstallers,
        package_installers=package_installers,
        installer_words=_words(top["installer_words"], f"{FILE_NAME}: [installer_words]",
                               INSTALLER_WORDS, {"other": "{installer}"}),
        root_managers=_packages(root["manager_apps"], here_root, "manager_apps"),
        root_signs=signs,
        permissions={str(k): check.text(v, here_perm, str(k)) for k, v in permissions.items()},
        kinds=tuple(_kind(kind_id, kinds_table[kind_id], today) for kind_id in KINDS),
    )


@functools.cache
def load_raw_device() -> DeviceContent:
    """The shipped content as written (English), validated once and cached."""
    return parse_device(read_toml(FILE_NAME))


@functools.cache
def _in_language(language: str) -> DeviceContent:
    return load_raw_device().translated()


def load_device() -> DeviceContent:
    """The phone check's words in the language in use."""
    from safetykit.i18n import current_language

    return _in_language(current_language())
