"""``safetykit device`` in a real pseudo-terminal, against the stand-in adb: keys pressed like a
person does, the phone's "Allow USB debugging?" accepted half-way, the results read off the
screen, Ctrl-C during the check, and the plain mode a screen reader uses."""

from __future__ import annotations

import json
from pathlib import Path

import pexpect
import pytest

from tests.e2e import CLEAR, KEYS, Program, Term, visible
from tests.fake_adb import devices_text, install
from tests.test_device_parse import IDENTIFIERS
from tests.vaults import keyring_vault

pytestmark = [pytest.mark.e2e, pytest.mark.secret_service]
SERIAL = "R58N12ABCDE"


@pytest.fixture
def phone(prog: Program, tmp_path: Path) -> Path:
    install(tmp_path / "bin")
    devices = tmp_path / "devices"
    devices.write_text(devices_text((SERIAL, "unauthorized", "")))
    prog.env.update({
        "PATH": f"{tmp_path / 'bin'}:{prog.env['PATH']}",
        "FAKE_ADB_DEVICES": str(devices),
        "FAKE_ADB_PHONE": "stalkerware-android13",
        "FAKE_ADB_LOG": str(tmp_path / "adb.log"),
    })
    return devices


def start(child: Term) -> None:
    child.wait_for("Which phone is it?")
    child.choose("An Android phone")
    child.wait_for("do they agree to this check?")
    child.send("y")
    child.wait_for("What would you like to do?")
    child.choose("Go on to the check")


def test_allow_half_way_check_keep_and_clean_up(prog: Program, phone: Path) -> None:
    keyring_vault(prog.env)
    child = prog.spawn("device", timeout=60)
    start(child)
    steps = child.wait_for("Is the phone plugged in, unlocked, with USB debugging on?")
    assert "Build number" in steps and "seven times" in steps
    child.choose("Yes, look for it")
    child.wait_for("The phone has not allowed this computer yet.")
    child.wait_for("Is the phone plugged in")
    phone.write_text(devices_text((SERIAL, "device", "SM A525F")))  # Allow was tapped
    child.choose("Yes, look for it")
    child.wait_for("(7/7) Looking for signs of root")
    child.wait_for("Go through what each one means")
    child.choose("Yes, one at a time")
    child.wait_for("1 of 11 shown.")
    child.choose("Next")
    child.wait_for("2 of 11 shown.")
    child.choose("Skip to the end")
    child.wait_for("Keep a record of what was found?")
    shown = " ".join(visible(child.text()).split())
    assert "[Serious] Known stalkerware: TheTruthSpy (com.mxspy)" in shown
    assert "Before you do this: Removing it, or even opening it" in shown
    assert shown.index("[Serious]") < shown.index("[Worth checking]")
    child.choose("Yes, keep it in my encrypted safetykit data")
    child.wait_for("Kept, encrypted.")
    child.wait_for("Done?")
    child.send("y")
    status, tail = child.finish()
    assert status == 0 and tail.endswith(CLEAR)
    code, out, _ = prog.run("status", "--json")
    assert code == 0
    for path in prog.home.rglob("*"):
        if path.is_file():
            for identifier in IDENTIFIERS:
                assert identifier.encode() not in path.read_bytes()
    assert json.loads(out)


def test_ctrl_c_during_the_check_leaves_at_once_and_keeps_nothing(
    prog: Program, phone: Path
) -> None:
    phone.write_text(devices_text((SERIAL, "device", "SM A525F")))
    prog.env["FAKE_ADB_HANG"] = "dumpsys accessibility"
    child = prog.spawn("device", timeout=60)
    start(child)
    child.wait_for("Is the phone plugged in")
    child.choose("Yes, look for it")
    child.wait_for("(5/7)")
    child.send(KEYS["ctrl-c"])
    child.expect_exact(CLEAR)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert not prog.home.exists() or not any(prog.home.rglob("vault.bin"))


def test_plain_mode_reads_in_order(prog: Program, phone: Path) -> None:
    phone.write_text(devices_text((SERIAL, "device", "Pixel 8")))
    prog.env["FAKE_ADB_PHONE"] = "clean-android14"
    child = prog.spawn("--plain", "device", timeout=60)
    child.wait_for("Which phone is it?")
    child.choose("An Android phone")
    child.wait_for("do they agree to this check?")
    child.answer("y")
    child.wait_for("Type a number")
    child.choose("Go on to the check")
    child.wait_for("Type a number")
    child.choose("Yes, look for it")
    child.wait_for("Go through what each one means")
    child.wait_for("Type a number")
    child.choose("Show them all at once")
    child.wait_for("Keep a record of what was found?")
    child.wait_for("Type a number")
    child.choose("No, don't keep it")
    child.wait_for("Done?")
    child.answer("y")
    status, _ = child.finish()
    assert status == 0
    text = " ".join(visible(child.text()).split())
    assert "\x1b[1m" not in child.text()  # no bold, no colour
    assert "Nothing on the lists was found on this phone." in text
    assert "Minor: 1" in text and "[Minor] App that can read your notifications" in text
    assert "[For information] Developer options are on" in text
