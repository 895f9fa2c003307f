"""The one module that runs adb: only the allowlisted, read-only commands can be sent (anything
else is refused before a program is started), hangs are cut off, and adb's own errors become
calm errors with their own exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetykit.device import adb as adb_module
from safetykit.device.adb import Adb, CommandRefusedError, allowed, allowed_invocation
from safetykit.errors import (
    ExitStatus,
    NoAdbError,
    PhoneGoneError,
    PhoneNotAllowedError,
    PhoneTimeoutError,
)
from tests.fake_adb import devices_text, install

SERIAL = "R58N12ABCDE"

# Every phone command the allowlist takes, with its parameters filled in.
ALLOWED_FORMS: list[tuple[str, ...]] = [
    *sorted(adb_module.SIMPLE),
    *[("pm", "list", "packages", *flags) for flags in
      ((), ("-i",), ("-3",), ("-i", "-3"), ("-3", "-i"), ("-i", "--user", "10"),
       ("-3", "--user", "10"), ("--user", "0"))],
    *[("settings", "list", ns) for ns in adb_module.SETTINGS],
    *[("settings", "get", ns, key) for ns, keys in adb_module.SETTINGS.items() for key in keys],
    ("dumpsys", "package", "com.mxspy"),
    ("ls", *adb_module.SU_PATHS),
    ("ls", "/system/xbin/su"),
]
MUTATING = {
    "put", "delete", "reset", "clear", "uninstall", "install", "install-existing", "disable",
    "disable-user", "enable", "grant", "revoke", "set", "set-active-admin", "remove-active-admin",
    "set-device-owner", "kill", "kill-all", "force-stop", "reboot", "su", "rm", "am", "input",
    "setprop", "start", "broadcast", "push", "pull", "root", "remount", "tcpip", "sideload",
    "shell", "sh", "-c", "--reset", "reset-permissions", "suspend", "hide",
}
NEVER = [
    ("settings", "put", "global", "package_verifier_enable", "1"),
    ("settings", "delete", "secure", "enabled_accessibility_services"),
    ("settings", "get", "secure", "android_id"),
    ("settings", "get", "secure", "bluetooth_address"),
    ("settings", "list", "system"),
    ("pm", "uninstall", "com.mxspy"),
    ("pm", "clear", "com.android.settings"),
    ("pm", "disable-user", "com.mxspy"),
    ("pm", "list", "packages", "-f"),
    ("pm", "list", "packages", "-i", "-i"),
    ("pm", "list", "packages", "--user", "all"),
    ("pm", "grant", "com.mxspy", "android.permission.READ_SMS"),
    ("am", "start", "-n", "com.android.settings/.Settings"),
    ("input", "tap", "100", "200"),
    ("su", "-c", "true"),
    ("command", "-v", "su"),
    ("which", "su"),
    ("reboot",),
    ("setprop", "persist.sys.usb.config", "mtp"),
    ("dpm", "remove-active-admin", "com.mxspy/.Admin"),
    ("dumpsys", "batterystats", "--reset"),
    ("dumpsys", "notification"),
    ("dumpsys", "package", "com.mxspy;reboot"),
    ("dumpsys", "package", "$(reboot)"),
    ("dumpsys", "package", "com.mxspy", "&&", "reboot"),
    ("dumpsys", "package", "`reboot`"),
    ("dumpsys", "package", "com.mxspy reboot"),
    ("ls", "/sdcard"),
    ("ls", "/system/xbin/su", "/system/xbin/su"),
    ("ls",),
    ("getprop", "ro.serialno"),
    ("cmd", "appops", "set", "com.mxspy", "REQUEST_INSTALL_PACKAGES", "deny"),
    ("sh", "-c", "getprop"),
    ("getprop;reboot",),
    (),
]


def test_every_allowed_form_is_allowed_and_reads_only() -> None:
    for form in ALLOWED_FORMS:
        assert allowed(form), form
        assert not (set(form) & MUTATING), form


@pytest.mark.parametrize("command", NEVER, ids=[" ".join(c) or "nothing" for c in NEVER])
def test_commands_that_change_or_leak_are_refused(command: tuple[str, ...]) -> None:
    assert not allowed(command)


def test_host_commands_are_only_version_and_devices() -> None:
    for argv in (["version"], ["devices", "-l"]):
        assert allowed_invocation(argv)
    for argv in (["kill-server"], ["start-server"], ["install", "x.apk"], ["uninstall", "x"],
                 ["reboot"], ["root"], ["tcpip", "5555"], ["devices"], ["pull", "/sdcard"],
                 ["-s", SERIAL, "install", "x.apk"], ["-s", SERIAL, "shell"],
                 ["-s", "-x", "shell", "getprop"], ["-s", "", "shell", "getprop"],
                 ["shell", "getprop"], ["-d", "shell", "getprop"]):
        assert not allowed_invocation(argv), argv
    assert allowed_invocation(["-s", SERIAL, "shell", "getprop"])
    assert allowed_invocation(["-s", "192.168.1.20:5555", "shell", "getprop"])


class NoProgram:
    """Stands in for subprocess.Popen: a refused command must never get this far."""

    started: ClassVar[list[list[str]]] = []

    def __init__(self, argv: list[str], **_: object) -> None:
        NoProgram.started.append(argv)
        raise AssertionError(f"a program was started for {argv}")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=30), min_size=0, max_size=8))
def test_no_command_outside_the_list_can_be_sent(command: list[str]) -> None:
    """Whatever is asked, either it is one of the allowed forms or nothing is started."""
    runner = Adb(path="/nonexistent/adb", timeout=1)
    original = subprocess.Popen
    subprocess.Popen = NoProgram  # type: ignore[assignment,misc]
    try:
        if allowed(command):
            shape = (*command[:2], command[2] if len(command) > 2 else "")
            assert any(tuple(f[:3]) == shape[: len(f[:3])] for f in ALLOWED_FORMS), command
            assert not (set(command) & MUTATING)
        else:
            with pytest.raises(CommandRefusedError):
                runner.shell(SERIAL, command)
            with pytest.raises(CommandRefusedError):
                runner.run(command)
    finally:
        subprocess.Popen = original  # type: ignore[misc]
    assert NoProgram.started == []


def test_a_refused_command_says_so_calmly() -> None:
    with pytest.raises(CommandRefusedError) as caught:
        Adb(path="/nonexistent/adb", timeout=1).shell(SERIAL, ["pm", "uninstall", "com.mxspy"])
    assert "Nothing was sent" in caught.value.message


# ── running the stand-in adb ──────────────────────────────────────────────────────────────────


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    install(folder)
    devices = tmp_path / "devices"
    devices.write_text(devices_text((SERIAL, "device", "SM A525F")))
    monkeypatch.setenv("FAKE_ADB_DEVICES", str(devices))
    monkeypatch.setenv("FAKE_ADB_PHONE", "stalkerware-android13")
    monkeypatch.setenv("FAKE_ADB_LOG", str(tmp_path / "log"))
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    monkeypatch.delenv("SAFETYKIT_ADB", raising=False)
    return tmp_path


def test_adb_from_path_then_safetykit_adb(fake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert adb_module.find_adb() == str(fake / "bin" / "adb")
    other = install(fake / "elsewhere", "my-adb")
    monkeypatch.setenv("SAFETYKIT_ADB", str(other))
    assert adb_module.find_adb() == str(other)
    monkeypatch.setenv("SAFETYKIT_ADB", str(fake / "devices"))  # not a program
    with pytest.raises(NoAdbError) as caught:
        adb_module.find_adb()
    assert caught.value.status == ExitStatus.NO_ADB


def test_no_adb_anywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SAFETYKIT_ADB", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(NoAdbError) as caught:
        Adb()
    assert "not installed" in caught.value.message
    assert caught.value.status == ExitStatus.NO_ADB


def test_a_program_that_is_not_adb(tmp_path: Path) -> None:
    liar = tmp_path / "adb"
    liar.write_text("#!/bin/sh\necho hello\n")
    liar.chmod(0o755)
    with pytest.raises(NoAdbError):
        Adb(path=str(liar)).version()


def test_version_devices_and_a_command(fake: Path) -> None:
    runner = Adb()
    assert runner.version() == "1.0.41"
    (phone,) = runner.devices()
    assert phone.serial == SERIAL and phone.state == "device"
    assert "[ro.build.version.sdk]: [33]" in runner.shell(SERIAL, ["getprop"])


def test_unauthorized_and_unplugged(fake: Path) -> None:
    (fake / "devices").write_text(devices_text((SERIAL, "unauthorized", "")))
    with pytest.raises(PhoneNotAllowedError) as caught:
        Adb().shell(SERIAL, ["getprop"])
    assert caught.value.status == ExitStatus.PHONE_NOT_ALLOWED
    (fake / "devices").write_text(devices_text())
    with pytest.raises(PhoneGoneError) as gone:
        Adb().shell(SERIAL, ["getprop"])
    assert gone.value.status == ExitStatus.PHONE_GONE


def test_a_hanging_command_is_killed_in_time(fake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("FAKE_ADB_HANG", "dumpsys accessibility")
    monkeypatch.setenv("SAFETYKIT_ADB_TIMEOUT", "1")
    started = time.monotonic()
    with pytest.raises(PhoneTimeoutError) as caught:
        Adb().shell(SERIAL, ["dumpsys", "accessibility"])
    assert time.monotonic() - started < 5
    assert caught.value.status == ExitStatus.PHONE_TIMEOUT
    assert "1 seconds" in caught.value.message


def test_output_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flood = tmp_path / "adb"
    flood.write_text(f"#!{sys.executable}\nimport sys\nwhile True:\n"
                     "    sys.stdout.write('x' * 65536)\n")
    flood.chmod(0o755)
    monkeypatch.setattr(adb_module, "MAX_OUTPUT", 1024 * 1024)
    with pytest.raises(PhoneGoneError):
        Adb(path=str(flood), timeout=20).shell(SERIAL, ["getprop"])


def test_only_version_devices_and_allowed_phone_commands_reach_adb(fake: Path) -> None:
    """Everything the whole check sends, as the stand-in recorded it, is on the list."""
    from safetykit.content.indicators import bundled
    from safetykit.flows.device_commands import run_check

    runner = Adb()
    runner.version()
    runner.devices()
    run_check(runner, SERIAL, bundled())
    import json

    sent = [json.loads(line) for line in (fake / "log").read_text().splitlines()]
    assert len(sent) > 12
    for argv in sent:
        assert allowed_invocation(argv), argv
        assert not (set(argv[3:]) & MUTATING), argv
