"""``safetykit device check`` end to end, as a script runs it: the real program, a stand-in
``adb`` on ``PATH`` (or named by ``SAFETYKIT_ADB``) answering from recorded phones, and every
state a person meets with its own exit code and a calm sentence, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from safetykit.device.records import DeviceState
from safetykit.errors import ExitStatus
from safetykit.storage.paths import DataPaths
from safetykit.storage.vault import open_vault
from tests.fake_adb import devices_text, install
from tests.test_device_parse import IDENTIFIERS
from tests.vaults import PASSPHRASE, passphrase_vault

ROOT = Path(__file__).resolve().parents[1]
SERIAL = "R58N12ABCDE"


class Run:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.home = tmp / "data"
        self.bin = tmp / "bin"
        install(self.bin)
        self.devices = tmp / "devices"
        self.plug((SERIAL, "device", "SM A525F"))
        self.env = {
            "PATH": f"{self.bin}:/usr/bin:/bin",
            "HOME": str(tmp),
            "LANG": "C.UTF-8",
            "SAFETYKIT_HOME": str(self.home),
            "SAFETYKIT_REGION": "US",
            "SAFETYKIT_LANG": "en",
            "SAFETYKIT_KEYRING_SERVICE": "sk-device-test",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "PYTHONPATH": str(ROOT),
            "FAKE_ADB_DEVICES": str(self.devices),
            "FAKE_ADB_PHONE": "stalkerware-android13",
            "FAKE_ADB_LOG": str(tmp / "adb.log"),
        }

    def plug(self, *phones: tuple[str, str, str]) -> None:
        self.devices.write_text(devices_text(*phones))

    def __call__(self, *args: str, stdin: str = "", **env: str) -> tuple[int, str, str]:
        done = subprocess.run(
            [sys.executable, "-m", "safetykit", *args], env={**self.env, **env}, input=stdin,
            capture_output=True, text=True, timeout=120, check=False,
        )
        for stream in (done.stdout, done.stderr):
            assert "Traceback" not in stream
        return done.returncode, done.stdout, " ".join(done.stderr.split())


@pytest.fixture
def run(tmp_path: Path) -> Run:
    return Run(tmp_path)


def test_json_check_prints_only_json_and_keeps_nothing(run: Run) -> None:
    code, out, err = run("device", "check", "--json", "--consent")
    assert code == 0, err
    data = json.loads(out)
    assert data["phone"]["model"] == "SM-A525F" and data["phone"]["android"] == "13"
    assert data["findings"][0]["kind"] == "stalkerware"
    assert data["findings"][0]["app"] == "TheTruthSpy"
    assert data["indicators"]["date"] == "2026-06-21"
    assert "(7/7) Looking for signs of root" in err  # progress goes to standard error
    assert "turn USB debugging off again" in err
    for identifier in IDENTIFIERS:
        assert identifier not in out and identifier not in err
    assert not run.home.exists()  # nothing stored, not even a data folder


def test_the_text_result(run: Run) -> None:
    code, out, _ = run("device", "check", "--consent")
    said = " ".join(out.split())
    assert code == 0
    assert "[Serious] Known stalkerware: TheTruthSpy (com.mxspy)" in said
    assert "Installed on 2024-03-02 21:13:40 (by the phone's own clock)." in said
    assert "Before you do this: Removing it, or even opening it, can alert" in said
    assert "licensed CC BY 4.0" in said and "this copy is from 2026-06-21" in said
    assert SERIAL not in out


@pytest.mark.parametrize("phone", ["clean-android14", "old-android5", "malformed", "empty"])
def test_every_recorded_phone_through_the_program(run: Run, phone: str) -> None:
    code, out, err = run("device", "check", "--json", "--consent", FAKE_ADB_PHONE=phone)
    assert code == 0, err
    data = json.loads(out)
    for identifier in IDENTIFIERS:
        assert identifier not in out
    if phone == "empty":
        assert data["could_not_read"] == ["phone", "apps", "settings", "admins",
                                          "accessibility"]
        assert data["findings"] == []


def test_no_consent_and_no_terminal_is_exit_2_and_why(run: Run) -> None:
    code, out, err = run("device", "check", "--json")
    assert code == ExitStatus.USAGE
    assert "owner must be present and agree" in err and "--consent" in err
    assert out == ""
    assert not (run.tmp / "adb.log").exists()  # adb was never started


def test_no_adb(run: Run) -> None:
    code, _, err = run("device", "check", "--consent", PATH="/usr/bin/none")
    assert code == ExitStatus.NO_ADB
    assert "adb, Android's own tool for reading a phone over USB, is not installed" in err
    assert "Linux:" in err and "sudo apt install adb" in err and "Windows:" in err
    code, _, err = run("device", "check", "--consent", SAFETYKIT_ADB=str(run.tmp / "nothing"))
    assert code == ExitStatus.NO_ADB and "SAFETYKIT_ADB names" in err


def test_safetykit_adb_names_the_program(run: Run) -> None:
    other = install(run.tmp / "tools", "adb-37")
    code, out, _ = run("device", "check", "--json", "--consent", PATH="/usr/bin:/bin",
                       SAFETYKIT_ADB=str(other))
    assert code == 0 and json.loads(out)["phone"]["model"] == "SM-A525F"


def test_no_phone(run: Run) -> None:
    run.plug()
    code, _, err = run("device", "check", "--consent")
    assert code == ExitStatus.NO_PHONE
    assert "No phone is attached" in err
    run.plug((SERIAL, "device", "SM A525F"))
    code, _, err = run("device", "check", "--consent", "--serial", "NOT-THIS-ONE")
    assert code == ExitStatus.NO_PHONE and "serial number you gave" in err


def test_the_phone_has_not_allowed_this_computer(run: Run) -> None:
    run.plug((SERIAL, "unauthorized", ""))
    code, _, err = run("device", "check", "--consent")
    assert code == ExitStatus.PHONE_NOT_ALLOWED
    assert "has not allowed this computer yet" in err and "tap Allow" in err
    run.plug((SERIAL, "no permissions", ""))
    code, _, err = run("device", "check", "--consent")
    assert code == ExitStatus.PHONE_NOT_ALLOWED and "udev" in err


def test_several_phones(run: Run) -> None:
    run.plug((SERIAL, "device", "SM A525F"), ("38161FDJH009XY", "device", "Pixel 8"))
    code, _, err = run("device", "check", "--json", "--consent")
    assert code == ExitStatus.SEVERAL_PHONES
    assert "2 phones are attached" in err and "--serial" in err
    code, out, err = run("device", "check", "--json", "--consent", "--serial", "38161FDJH009XY",
                         FAKE_ADB_PHONE="clean-android14")
    assert code == 0, err
    assert json.loads(out)["phone"]["model"] == "Pixel 8"
    assert "38161FDJH009XY" not in out


def test_unplugged_in_the_middle(run: Run) -> None:
    code, out, err = run("device", "check", "--json", "--consent", FAKE_ADB_GONE_AFTER="5")
    assert code == ExitStatus.PHONE_GONE
    assert "unplugged or stopped answering" in err and "Nothing was changed" in err
    assert out == ""


def test_a_command_that_hangs(run: Run) -> None:
    code, _, err = run("device", "check", "--consent", FAKE_ADB_HANG="dumpsys accessibility",
                       SAFETYKIT_ADB_TIMEOUT="1")
    assert code == ExitStatus.PHONE_TIMEOUT
    assert "did not answer within 1 seconds" in err


def test_save_keeps_only_findings_in_the_vault(run: Run) -> None:
    passphrase_vault(run.home)
    code, out, err = run("device", "check", "--json", "--consent", "--save",
                         stdin=PASSPHRASE + "\n")
    assert code == 0, err
    assert json.loads(out)["findings"]
    vault = open_vault(DataPaths(run.home), PASSPHRASE)
    assert vault is not None
    (kept,) = vault.read(DeviceState).checks
    assert kept.findings[0].package == "com.mxspy"
    stored = json.dumps(vault.state)
    for identifier in IDENTIFIERS:
        assert identifier not in stored
    for path in run.home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for identifier in IDENTIFIERS:
                assert identifier.encode() not in data, path


def test_save_without_a_vault_is_exit_11(run: Run) -> None:
    code, _, _ = run("device", "check", "--consent", "--save")
    assert code == ExitStatus.NOT_SET_UP


def test_help_names_the_lists_their_licence_and_date(run: Run) -> None:
    code, out, _ = run("device", "--help")
    said = " ".join(out.split())
    assert code == 0
    assert "stalkerware-indicators" in said and "CC BY 4.0" in said and "2026-06-21" in said
    code, out, _ = run("device", "check", "--help")
    assert "--consent" in out and "--serial" in out and "2026-06-21" in " ".join(out.split())


def test_the_walkthrough_needs_a_terminal(run: Run) -> None:
    code, _, err = run("device")
    assert code == ExitStatus.NOT_A_TERMINAL
    assert "device check --consent" in err


def test_no_identifier_in_argv_of_anything_but_adb(run: Run) -> None:
    """The serial reaches adb's -s (it must), and nothing else: never a file name, an
    environment variable or the output."""
    code, _, _ = run("device", "check", "--json", "--consent")
    assert code == 0
    for line in (run.tmp / "adb.log").read_text().splitlines():
        argv = json.loads(line)
        assert SERIAL not in argv or argv[:2] == ["-s", SERIAL]
