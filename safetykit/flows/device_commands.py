"""``safetykit device check`` and ``device update-indicators``: the phone check for scripts and
clinics, and the operations the walk-through (``flows/device.py``) shares with them.

This is the only module that starts adb (``safetykit.device.adb``, through ``open_adb``): the
walk-through asks here. A check reads, parses and forgets; what it found is kept only when the
person asks (``save_check`` in the vault, ``log_check`` as an incident-log entry).
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safetykit.content.device import DeviceContent, load_device, load_raw_device
from safetykit.content.indicators import (
    STALKERWARE,
    WATCHWARE,
    IndicatorError,
    Indicators,
    attribution,
    bundled,
    credit_line,
    from_json,
    merge,
    newest,
    parse_yaml,
)
from safetykit.device.collect import STEPS, collect
from safetykit.device.findings import SEVERITIES, Finding, counts, find, look_closer
from safetykit.device.parse import Attached
from safetykit.device.records import Check, DeviceState
from safetykit.errors import (
    BadInputError,
    NoAdbError,
    NoPhoneError,
    PhoneNotAllowedError,
    SeveralPhonesError,
    UsageError,
)
from safetykit.flows.session import Session
from safetykit.i18n import N_, _, ngettext
from safetykit.storage import indicators as stored_indicators
from safetykit.storage.paths import DataPaths
from safetykit.storage.vault import Vault
from safetykit.ui.prompts import Option
from safetykit.ui.screen import Screen

LOG_KIND = "account-tracking"
"""The incident-log kind for a phone check ("Getting into my accounts, or tracking me")."""
MAX_FILE = 8 * 1024 * 1024

SEVERITY_WORDS = {
    "high": N_("Serious"),
    "medium": N_("Worth checking"),
    "low": N_("Minor"),
    "info": N_("For information"),
}
STEP_WORDS = {
    "phone": N_("Reading which phone this is"),
    "apps": N_("Listing the apps and how each was installed"),
    "settings": N_("Reading the security settings"),
    "admins": N_("Looking for device management and administrator apps"),
    "accessibility": N_("Looking for apps that can read the screen or notifications"),
    "details": N_("Looking closer at the apps worth a second look"),
    "root": N_("Looking for signs of root"),
}
UNREAD_WORDS = {
    "phone": N_("which phone this is"),
    "apps": N_("the list of apps"),
    "settings": N_("the security settings"),
    "admins": N_("device management and administrator apps"),
    "accessibility": N_("apps that can read the screen"),
    "details": N_("details of single apps"),
    "root": N_("signs of root"),
}


# ── the indicators in use ────────────────────────────────────────────────────────────────────


def indicators_in_use(paths: DataPaths) -> Indicators:
    """The newer of the shipped lists and a copy given with update-indicators."""
    return newest(from_json(stored_indicators.read_stored(paths)))


# ── the phone ────────────────────────────────────────────────────────────────────────────────


@dataclass
class Result:
    """One check: the phone (make, model, version), what was found, and what could not be
    read. Nothing here identifies the phone itself."""

    phone: dict[str, Any]
    findings: list[Finding]
    indicators: Indicators
    unread: list[str] = field(default_factory=list)
    at: str = field(default_factory=lambda: datetime.datetime.now().astimezone()
                    .replace(microsecond=0).isoformat())


def open_adb() -> Any:
    """adb, ready to use (``NoAdbError`` if it is missing or is not adb)."""
    from safetykit.device.adb import Adb

    adb = Adb()
    adb.version()
    return adb


def this_system() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def show_get_adb(screen: Screen, content: DeviceContent) -> None:
    """How to get adb, for this computer's system first."""
    screen.title(content.get_adb_title)
    screen.say(content.get_adb_intro)
    mine = this_system()
    names = {"windows": "Windows", "macos": "macOS", "linux": "Linux"}
    for system in [mine, *(s for s in ("windows", "macos", "linux") if s != mine)]:
        screen.say(f"{names[system]}:")
        screen.bullets(content.get_adb[system])


def phone_label(device: Attached) -> str:
    model = device.model or _("a phone")
    return _("{model} (serial number {serial})").format(model=model, serial=device.serial)


def choose_phone(session: Session, devices: list[Attached], serial: str | None) -> Attached:
    """The phone to check: the one ``serial`` names, the only one, or the one the person picks.
    Its state must be "device" (ready); anything else is said calmly, each with its own code."""
    if serial is not None:
        chosen = [d for d in devices if d.serial == serial]
        if not chosen:
            raise NoPhoneError(
                _("No phone with the serial number you gave is attached."),
                hint=_("'adb devices -l' lists the phones attached and their serial numbers."),
            )
        device = chosen[0]
    elif not devices:
        raise NoPhoneError(
            _("No phone is attached, or it does not have USB debugging on."),
            hint=_("Connect it with a USB cable and turn USB debugging on: 'safetykit device' "
                   "shows how."),
        )
    elif len(devices) == 1:
        device = devices[0]
    else:
        if not session.can_ask:
            raise SeveralPhonesError(
                ngettext("{count} phone is attached", "{count} phones are attached",
                         len(devices)).format(count=len(devices))
                + _(", and there is no terminal to ask which one to check."),
                hint=_("Name one with --serial ('adb devices -l' lists them), or unplug the "
                       "others."),
            )
        picked = session.prompter.select(
            "device.which", _("More than one phone is attached. Which one should be checked?"),
            [Option(d.serial, phone_label(d)) for d in devices],
        )
        device = next(d for d in devices if d.serial == picked)
    return ready(device)


def ready(device: Attached) -> Attached:
    if device.state == "device":
        return device
    if device.state in ("unauthorized", "authorizing"):
        raise PhoneNotAllowedError(
            _("The phone has not allowed this computer yet."),
            hint=_("Unlock the phone and tap Allow on its \u201cAllow USB debugging?\u201d "
                   "message, then try again."),
        )
    if device.state == "no permissions":
        raise PhoneNotAllowedError(
            _("This computer is not allowed to use the phone's USB connection."),
            hint=_("On Linux, install your system's Android udev rules (on Debian or Ubuntu: "
                   "android-sdk-platform-tools-common), then plug the phone in again."),
        )
    if device.state in ("offline", "connecting"):
        raise PhoneNotAllowedError(
            _("The phone is attached but not answering yet."),
            hint=_("Unlock it, unplug the cable and plug it in again, then try again."),
        )
    raise NoPhoneError(
        _("The phone is attached in \u201c{state}\u201d mode, not started normally.").format(
            state=device.state
        ),
        hint=_("Restart the phone normally, unlock it, and try again."),
    )


def phone_of(props: dict[str, str]) -> dict[str, Any]:
    sdk = props.get("ro.build.version.sdk", "")
    return {
        "make": props.get("ro.product.manufacturer") or props.get("ro.product.brand")
        or props.get("ro.product.vendor.manufacturer") or None,
        "model": props.get("ro.product.model") or props.get("ro.product.vendor.model") or None,
        "android": props.get("ro.build.version.release_or_codename")
        or props.get("ro.build.version.release") or None,
        "sdk": int(sdk) if sdk.isdigit() and len(sdk) < 4 else None,
        "security_patch": props.get("ro.build.version.security_patch") or None,
    }


def run_check(adb: Any, serial: str, indicators: Indicators,
              progress: Callable[[str], None] = lambda step: None) -> Result:
    """Read the phone and work out what it shows (nothing is kept)."""
    content = load_raw_device()

    def shell(command: Any) -> str:
        return str(adb.shell(serial, command))

    snapshot = collect(shell, progress,
                       look_closer=lambda snap: look_closer(snap, indicators, content))
    return Result(
        phone=phone_of(snapshot.props),
        findings=find(snapshot, indicators, content),
        indicators=indicators,
        unread=list(snapshot.unread),
    )


# ── saying what was found ────────────────────────────────────────────────────────────────────


def severity_word(severity: str) -> str:
    return _(SEVERITY_WORDS[severity])


def title_of(finding: Finding, content: DeviceContent) -> str:
    label = content.kind(finding.kind).label
    subject = finding.app or finding.package
    if finding.app and finding.package:
        subject = f"{finding.app} ({finding.package})"
    return f"{label}: {subject}" if subject else label


def describe(finding: Finding, content: DeviceContent) -> list[str]:
    """The facts of one finding in plain words."""
    said: list[str] = []
    for key, value in finding.facts:
        if key == "installer_type":
            said.append(content.installer_words[value].format(
                installer=finding.fact("installer") or "?"))
        elif key == "installed":
            said.append(_("Installed on {when} (by the phone's own clock).").format(when=value))
        elif key == "permissions":
            things = [content.permissions[p] for p in value.split(",") if p in content.permissions]
            if things:
                said.append(_("It asks to: {things}.").format(things="; ".join(things)))
        elif key == "component":
            said.append(_("Its part doing this: {component}").format(component=value))
        elif key == "user" and value != "0":
            said.append(_("In another user or a work profile on the phone (user {user}).").format(
                user=value))
        elif key == "role":
            said.append(_("It manages the whole phone.") if value == "device_owner"
                        else _("It manages a work profile or another user on the phone."))
        elif key == "setting":
            said.append(_setting_words(value))
        elif key == "wireless":
            said.append(_("Wireless debugging is on: a computer on the same network can connect "
                          "without a cable."))
        elif key == "sign":
            sign, _colon, detail = value.partition(":")
            if sign in content.root_signs:
                said.append(content.root_signs[sign].format(path=detail, package=detail,
                                                            state=detail))
        elif key == "system":
            said.append(_("It is part of the phone's own system software."))
        elif key == "names":
            said.append(_("Also sold as: {names}.").format(names=value))
    return said


def _setting_words(value: str) -> str:
    if value.startswith("package_verifier_enable"):
        return _("Play Protect's check of apps is switched off.")
    if value.startswith("verifier_verify_adb_installs"):
        return _("Apps installed from a computer over USB are not checked.")
    return _("The phone allows apps from unknown sources.")


def facts_json(finding: Finding) -> dict[str, Any]:
    """The facts as JSON: one value per key; ``signs`` and ``settings`` (which may be several)
    as lists."""
    facts: dict[str, Any] = {}
    for key, value in finding.facts:
        if key in ("sign", "setting"):
            facts.setdefault(key + "s", []).append(value)
        else:
            facts[key] = value
    return facts


def result_json(result: Result, content: DeviceContent) -> dict[str, Any]:
    """What ``device check --json`` prints: English keys and ids, the person's language for the
    words. No serial number, Android id or Bluetooth address (they are never read into it)."""
    source = attribution()
    return {
        "checked_at": result.at,
        "phone": result.phone,
        "indicators": {
            "date": result.indicators.date.isoformat(),
            "origin": result.indicators.origin,
            "name": source.name,
            "by": source.creator,
            "url": source.url,
            "licence": source.licence,
            "licence_url": source.licence_url,
        },
        "could_not_read": result.unread,
        "summary": counts(result.findings),
        "findings": [
            {
                "kind": f.kind,
                "severity": f.severity,
                "package": f.package,
                "app": f.app,
                "label": content.kind(f.kind).label,
                "why": content.kind(f.kind).why,
                "what_you_can_do": list(content.kind(f.kind).what_you_can_do),
                "caution": content.kind(f.kind).caution,
                "details": describe(f, content),
                "facts": facts_json(f),
            }
            for f in result.findings
        ],
        "limits": list(content.cannot_see),
    }


def show_summary(screen: Screen, result: Result, content: DeviceContent) -> None:
    """What the check found, in one screen: the phone, what could not be read, whether anything
    on the lists was found, and one line per finding, most serious first."""
    phone = result.phone
    name = " ".join(str(p) for p in (phone["make"], phone["model"]) if p) or _("This phone")
    screen.title(_("What the check found on {phone}").format(phone=name)
                 + (f" (Android {phone['android']})" if phone["android"] else ""))
    if result.unread:
        screen.say(_("Some parts could not be read, so the result is incomplete: "
                     "{parts}.").format(parts=", ".join(_(UNREAD_WORDS[u])
                                                        for u in result.unread)))
    if not any(f.kind in ("stalkerware", "monitoring_app") for f in result.findings):
        screen.say(content.no_match)
    tally = counts(result.findings)
    if any(tally[s] for s in SEVERITIES if s != "info"):
        screen.say(", ".join(
            f"{severity_word(s)}: {tally[s]}" for s in SEVERITIES if tally[s] and s != "info"
        ))
    if result.findings:
        screen.bullets([f"[{severity_word(f.severity)}] {title_of(f, content)}"
                        for f in result.findings])


def show_finding(screen: Screen, finding: Finding, content: DeviceContent) -> None:
    """One finding: its facts, why it matters, what to do, and the caution."""
    kind = content.kind(finding.kind)
    screen.blank()
    screen.title(f"[{severity_word(finding.severity)}] {title_of(finding, content)}")
    details = describe(finding, content)
    if details:
        screen.bullets(details)
    screen.say(kind.why)
    if kind.caution:  # about the steps below, so before them ("Before you do this:")
        screen.caution(kind.caution)
    screen.say(_("What you can do:"))
    screen.bullets(kind.what_you_can_do)


def show_credit(screen: Screen, result: Result) -> None:
    screen.blank()
    if result.indicators.is_stale():
        screen.note(_("The stalkerware lists are more than six months old: apps found since "
                      "then are missing. 'safetykit device update-indicators' takes a newer "
                      "copy."))
    screen.muted(credit_line(result.indicators))


def show_result(screen: Screen, result: Result, content: DeviceContent) -> None:
    """Everything at once (``device check`` without ``--json``)."""
    show_summary(screen, result, content)
    for finding in result.findings:
        show_finding(screen, finding, content)
    show_credit(screen, result)


# ── keeping what was found (only when asked) ─────────────────────────────────────────────────


def save_check(vault: Vault, result: Result) -> None:
    phone = {k: str(v) for k, v in (("make", result.phone["make"]),
                                     ("model", result.phone["model"]),
                                     ("android", result.phone["android"])) if v}
    check = Check(result.at, phone, result.indicators.date.isoformat(), list(result.findings))
    vault.update(DeviceState, lambda state: state.add(check))


def log_fields(result: Result, content: DeviceContent, kinds: list[str]) -> dict[str, Any]:
    """An incident-log entry saying what the check found (today, in the person's words)."""
    phone = " ".join(str(p) for p in (result.phone["make"], result.phone["model"]) if p)
    worrying = [f for f in result.findings if f.severity != "info"]
    lines = []
    for f in worrying:
        line = f"{title_of(f, content)} ({severity_word(f.severity).lower()})"
        if f.fact("installed"):
            line += ", " + _("installed {when}").format(when=f.fact("installed"))
        lines.append(line)
    if not lines:
        lines = [content.no_match]
    return {
        "occurred_at": datetime.date.today().isoformat(),
        "kind": LOG_KIND if LOG_KIND in kinds else "other",
        "summary": ngettext("Phone check: {count} thing found",
                            "Phone check: {count} things found", len(worrying)).format(
            count=len(worrying)),
        "what_happened": "\n".join([
            _("safetykit checked my Android phone ({phone}) and found:").format(
                phone=phone or _("make unknown")),
            *lines,
            credit_line(result.indicators),
        ]),
        "technology": (_("Android phone: {phone}").format(phone=phone) if phone
                       else _("Android phone")),
    }


def log_check(vault: Vault, result: Result, content: DeviceContent) -> int:
    """Write the findings into the incident log as one entry; its number."""
    from safetykit.content.log import load_log
    from safetykit.core.log import clean_fields
    from safetykit.flows import log_commands as ops

    kinds = [k.id for k in load_log().kinds]
    entry = ops.add_entry(vault, clean_fields(log_fields(result, content, kinds), kinds))
    return entry.id


# ── the commands ─────────────────────────────────────────────────────────────────────────────


def ask_consent(session: Session, content: DeviceContent, consent: bool) -> bool:
    """Whether the phone's owner is present and agrees: ``--consent``, or asked in a terminal;
    without either, exit 2 and why."""
    if consent:
        return True
    if not session.can_ask:
        raise UsageError(
            _("The check reads a person's phone, so its owner must be present and agree, and "
              "there is no terminal to ask."),
            hint=_("Add --consent to say that the phone's owner is here and agrees."),
        )
    session.warn.say(content.consent_why)
    return session.prompter.confirm("device.consent", content.consent_question, False)


def check_command(session: Session, *, as_json: bool, serial: str | None, consent: bool,
                  save: bool) -> None:
    content = load_device()
    if not ask_consent(session, content, consent):
        session.warn.say(content.consent_refused)
        return
    try:
        adb = open_adb()
    except NoAdbError:
        show_get_adb(session.warn, content)
        raise
    device = choose_phone(session, adb.devices(), serial)
    indicators = indicators_in_use(session.paths)
    total = len(STEPS)

    def progress(step: str) -> None:
        number = STEPS.index(step) + 1
        session.warn.muted(f"({number}/{total}) {_(STEP_WORDS[step])}…")

    result = run_check(adb, device.serial, indicators, progress)
    if save:
        from safetykit.flows.access import open_for_script

        save_check(open_for_script(session), result)
    if as_json:
        session.screen.print_json(result_json(result, content))
    else:
        show_result(session.screen, result, content)
    session.warn.say(_("When you are done, turn USB debugging off again: 'safetykit device' "
                       "shows the steps."))


def _date(text: str | None, files: list[Path]) -> datetime.date:
    if text:
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise UsageError(_("--date must be a day like 2026-11-26.")) from None
    else:
        day = max(datetime.date.fromtimestamp(f.stat().st_mtime) for f in files)
    if day > datetime.date.today():
        raise UsageError(_("--date is in the future."))
    return day


def update_indicators(paths: DataPaths, files: list[Path], date: str | None, force: bool
                      ) -> Indicators:
    """Read, check and keep a newer copy of the lists (one or both of Echap's files)."""
    given = []
    for given_path in files:
        path = given_path.expanduser()
        if not path.is_file():
            raise BadInputError(_("There is no file at {path}.").format(path=path))
        if path.stat().st_size > MAX_FILE:
            raise IndicatorError(_("{name} is larger than 8 MB, too large for a list of "
                                   "apps.").format(name=path.name))
        given.append(parse_yaml(path.read_bytes(), path.name))
    day = _date(date, [p.expanduser() for p in files])
    current = indicators_in_use(paths)
    if day <= bundled().date and not force:
        raise IndicatorError(
            _("This copy ({date}) is not newer than the lists safetykit already has "
              "({current}), so it would never be used.").format(
                date=day.isoformat(), current=bundled().date.isoformat()),
            hint=_("Give the day it was downloaded with --date."),
        )
    fresh = merge(current, given, day, force=force)
    stored_indicators.store(paths, fresh.to_json())
    return fresh


def update_indicators_command(session: Session, *, files: list[Path], date: str | None,
                              force: bool) -> None:
    fresh = update_indicators(session.paths, files, date, force)
    apps, packages = fresh.count(STALKERWARE)
    watch, _watch_packages = fresh.count(WATCHWARE)
    session.screen.say(
        _("Checked and kept: {apps} stalkerware apps ({packages} package names) and {watch} "
          "monitoring apps, dated {date}. Phone checks use them from now on.").format(
            apps=apps, packages=packages, watch=watch, date=fresh.date.isoformat())
    )
    session.screen.muted(credit_line(fresh))
