"""``safetykit device``: the walk-through with scripted answers, against the stand-in adb."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from safetykit.content.device import load_raw_device
from safetykit.core.log import LogState
from safetykit.device.records import DeviceState
from safetykit.flows import device_commands as ops
from safetykit.flows.device import DeviceFlow, run_device
from safetykit.flows.session import Session
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import create_vault, open_vault
from safetykit.ui.screen import Screen
from tests.doubles import Queue, ScriptedPrompter
from tests.fake_adb import devices_text, install
from tests.test_device_parse import IDENTIFIERS

SERIAL = "R58N12ABCDE"


@pytest.fixture
def phone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    install(tmp_path / "bin")
    devices = tmp_path / "devices"
    devices.write_text(devices_text((SERIAL, "device", "SM A525F")))
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    monkeypatch.delenv("SAFETYKIT_ADB", raising=False)
    monkeypatch.setenv("FAKE_ADB_DEVICES", str(devices))
    monkeypatch.setenv("FAKE_ADB_PHONE", "stalkerware-android13")
    monkeypatch.setenv("FAKE_ADB_LOG", str(tmp_path / "adb.log"))
    return devices


def flow(answers: dict[str, object]) -> tuple[Session, ScriptedPrompter, io.StringIO]:
    out = io.StringIO()
    prompter = ScriptedPrompter(answers, on_help=lambda: None)
    return Session(default_paths(), Screen(plain=True, file=out), prompter), prompter, out


def said(out: io.StringIO) -> str:
    return " ".join(out.getvalue().split())


START = {"device.kind": "android", "device.consent": True, "device.evidence": "go",
         "device.connect": "look"}


def test_consent_comes_first_and_no_is_respected(phone: Path, data_dir: Path) -> None:
    session, prompter, out = flow({"device.kind": "android", "device.consent": False})
    run_device(session)
    text = said(out)
    assert "No scan proves a phone is clean" in text
    assert "Then this check stops here. Nothing was read from any phone." in text
    assert not (phone.parent / "adb.log").exists()
    assert [q for q, _ in prompter.asked] == ["device.kind", "device.consent"]


def test_a_whole_check_kept_in_the_vault_and_the_log(phone: Path, data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    session, _, out = flow({**START, "device.explain": "one",
                                   "device.next": Queue(["one"] * 10),
                                   "device.keep": "log", "device.cleanup": True})
    run_device(session)
    text = said(out)
    # The order a person meets: what it can see, consent, the caution, the steps, the check.
    order = ["What this check can and cannot see", "owner", "Before you change anything",
             "Tap \"Build number\" seven times", "(1/7) Reading which phone this is",
             "[Serious] Known stalkerware: TheTruthSpy (com.mxspy)",
             "Kept, and written in your incident log as entry 1",
             "Revoke USB debugging authorisations"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    vault = open_vault(default_paths())
    assert vault is not None
    (kept,) = vault.read(DeviceState).checks
    assert kept.findings[0].kind == "stalkerware"
    (entry,) = vault.read(LogState).entries
    assert "TheTruthSpy" in entry.fields["what_happened"]
    state = json.dumps(vault.state)
    for identifier in IDENTIFIERS:
        assert identifier not in state and identifier not in text.replace(SERIAL, "")


def test_nothing_is_kept_when_the_person_says_no(phone: Path, data_dir: Path) -> None:
    session, _, out = flow({**START, "device.explain": "skip", "device.keep": "no",
                            "device.cleanup": False})
    run_device(session)
    assert "Nothing was kept." in said(out)
    assert "[Serious] Known stalkerware: TheTruthSpy (com.mxspy)" in said(out)  # the summary
    assert "What you can do:" not in said(out)  # skipped
    assert "while USB debugging stays on" in said(out)
    assert not data_dir.exists()  # no vault, no data folder


def test_not_allowed_yet_then_allowed(phone: Path, data_dir: Path) -> None:
    phone.write_text(devices_text((SERIAL, "unauthorized", "")))
    session, _, out = flow({**START, "device.connect": Queue(["look", "look"]),
                            "device.explain": "all", "device.keep": "no",
                            "device.cleanup": True})
    flow_object = DeviceFlow(session, load_raw_device())
    original = ops.choose_phone
    calls = 0

    def allow_after_first(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 2:  # the person tapped Allow
            phone.write_text(devices_text((SERIAL, "device", "SM A525F")))
            args = (args[0], ops.open_adb().devices(), *args[2:])
        return original(*args, **kwargs)  # type: ignore[arg-type]

    ops.choose_phone = allow_after_first  # type: ignore[assignment]
    try:
        flow_object.run()
    finally:
        ops.choose_phone = original
    text = said(out)
    assert "The phone has not allowed this computer yet." in text
    assert "Leave \"Always allow from this computer\" unticked" in text
    assert "[Serious] Known stalkerware" in text


def test_no_adb_shows_how_to_get_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    data_dir: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("SAFETYKIT_ADB", raising=False)
    session, _, out = flow({"device.kind": "android", "device.consent": True,
                            "device.evidence": "go", "device.adb": "leave"})
    run_device(session)
    text = said(out)
    assert "is not installed here" in text
    assert "sudo apt install adb" in text and "brew install --cask android-platform-tools" in text


def test_unplugged_mid_check_offers_to_try_again(phone: Path, data_dir: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_ADB_GONE_AFTER", "4")
    session, _, out = flow({**START, "device.connect": Queue(["look", "leave"]),
                            "device.cleanup": True})
    run_device(session)
    text = said(out)
    assert "unplugged or stopped answering" in text
    assert "Nothing was kept from the part that was read." in text
    assert "Revoke USB debugging authorisations" in text  # the clean-up still comes


def test_several_phones_are_chosen_by_name(phone: Path, data_dir: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    phone.write_text(devices_text((SERIAL, "device", "SM A525F"),
                                  ("38161FDJH009XY", "device", "Pixel 8")))
    monkeypatch.setenv("FAKE_ADB_PHONE", "clean-android14")
    session, prompter, out = flow({**START, "device.which": "38161FDJH009XY",
                                   "device.explain": "one", "device.next": "skip",
                                   "device.keep": "no", "device.cleanup": True})
    run_device(session)
    question = next(m for q, m in prompter.asked if q == "device.which")
    assert "Which one" in question
    assert "What the check found on Google Pixel 8 (Android 14)" in said(out)


def test_the_log_can_come_first(phone: Path, data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    session, _, out = flow({
        "device.kind": "android", "device.consent": True,
        "device.evidence": Queue(["log", "leave"]),
        "log.day": "2026-03-03", "log.time": "", "log.exact": True, "log.kind": "other",
        "log.what_happened": "He knew where I was", "log.location": "", "log.more": "done",
    })
    run_device(session)
    assert "Back to the phone check." in said(out)
    vault = open_vault(default_paths())
    assert vault is not None and len(vault.read(LogState).entries) == 1


def test_iphone_goes_to_the_guided_check(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    called: list[Session] = []
    import safetykit.flows.device_iphone as iphone

    monkeypatch.setattr(iphone, "run_iphone_check", called.append)
    session, _, _ = flow({"device.kind": "iphone"})
    run_device(session)
    assert called == [session]


def test_the_start_menu_has_the_phone_check(phone: Path, data_dir: Path) -> None:
    from safetykit.flows.home import run_home

    session, _, out = flow({"home": Queue(["device", "leave"]), "device.kind": "leave"})
    run_home(session)
    assert "Is someone watching through a phone?" in said(out)
