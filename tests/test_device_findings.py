"""From recorded phones to findings: what each phone shows, in order, with the words for each,
what is kept in the vault (and what never is), and the result for scripts."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from safetykit.content.device import KINDS, ROOT_SIGNS, load_raw_device
from safetykit.content.indicators import bundled
from safetykit.device.collect import STEPS, Snapshot, collect
from safetykit.device.findings import SIGN_WEIGHT, Finding, find, look_closer, order
from safetykit.device.records import MAX_CHECKS, Check, DeviceState
from safetykit.flows import device_commands as ops
from safetykit.storage import schema
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import create_vault, open_vault
from tests.fake_adb import FIXTURES, file_name
from tests.test_device_parse import IDENTIFIERS


class Recorded:
    """A phone answering from its recorded output, noting every command."""

    def __init__(self, phone: str) -> None:
        self.folder = FIXTURES / phone
        self.sent: list[tuple[str, ...]] = []

    def __call__(self, command: Sequence[str]) -> str:
        self.sent.append(tuple(command))
        path = self.folder / file_name(list(command))
        return path.read_bytes().decode("utf-8", errors="replace") if path.exists() else ""


def check(phone: str) -> tuple[Snapshot, list[Finding], Recorded]:
    content, indicators = load_raw_device(), bundled()
    shell = Recorded(phone)
    steps: list[str] = []
    snapshot = collect(shell, steps.append,
                       lambda snap: look_closer(snap, indicators, content))
    assert steps == list(STEPS)
    return snapshot, find(snapshot, indicators, content), shell


def kinds(findings: list[Finding]) -> list[tuple[str, str, str | None]]:
    return [(f.severity, f.kind, f.package) for f in findings]


def test_a_phone_with_known_stalkerware() -> None:
    _, findings, shell = check("stalkerware-android13")
    assert kinds(findings) == [
        ("high", "stalkerware", "com.mxspy"),
        ("medium", "monitoring_app", "com.wondershare.famisafe.kids"),
        ("medium", "device_admin", "com.mxspy"),
        ("medium", "accessibility_service", "com.mxspy"),
        ("medium", "notification_listener", "com.mxspy"),
        ("medium", "sideloaded", "org.fdroid.fdroid"),  # it may install apps: a closer look
        ("medium", "play_protect_off", None),
        ("low", "unknown_sources", "com.mxspy"),
        ("low", "unknown_sources", "org.mozilla.firefox"),
        ("info", "developer_options", None),
        ("info", "usb_debugging", None),
    ]
    spy = findings[0]
    assert spy.app == "TheTruthSpy"
    assert spy.fact("installer_type") == "package_installer"
    assert spy.fact("installed") == "2024-03-02 21:13:40"
    assert "android.permission.READ_SMS" in (spy.fact("permissions") or "")
    assert findings[6].all("setting") == ["package_verifier_enable=0",
                                          "verifier_verify_adb_installs=0"]
    # The matched app was looked at closely first; a store app never was.
    dumped = [c[2] for c in shell.sent if c[:2] == ("dumpsys", "package")]
    assert dumped[0] == "com.mxspy" and "com.whatsapp" not in dumped


def test_a_clean_phone() -> None:
    _, findings, _ = check("clean-android14")
    assert kinds(findings) == [
        ("low", "notification_listener", "com.garmin.android.apps.connectmobile"),  # from Play
        ("info", "accessibility_service", "com.google.android.marvin.talkback"),
        ("info", "developer_options", None),
        ("info", "usb_debugging", None),
    ]


def test_an_old_rooted_android() -> None:
    snapshot, findings, shell = check("old-android5")
    assert snapshot.sdk == 22 and snapshot.setting("secure", "install_non_market_apps") == "1"
    assert ("settings", "get", "secure", "install_non_market_apps") in shell.sent
    assert not any(c[:2] == ("cmd", "appops") for c in shell.sent)  # not before Android 8
    assert kinds(findings)[:3] == [
        ("high", "stalkerware", "com.android.core.monitor.debug"),
        ("high", "device_owner", "com.tracker.mdm.agent"),
        ("high", "root", None),
    ]
    root = findings[2]
    assert root.all("sign") == ["su_binary:/system/xbin/su", "root_manager:eu.chainfire.supersu"]
    assert ("low", "unknown_sources", None) in kinds(findings)
    assert ("medium", "monitoring_app", "com.life360.android.safetymapd") in kinds(findings)


def test_damaged_and_empty_phones_say_what_could_not_be_read() -> None:
    snapshot, findings, _ = check("empty")
    assert snapshot.unread == ["phone", "apps", "settings", "admins", "accessibility"]
    assert findings == []
    damaged, found, _ = check("malformed")
    assert damaged.props == {"ro.build.version.release": "14"}  # escape sequence removed
    assert {f.package for f in found} == {"com.ok.app"}


def test_unlocked_bootloader_and_wireless_debugging() -> None:
    content, indicators = load_raw_device(), bundled()
    snapshot = Snapshot(
        props={"ro.build.version.sdk": "34", "ro.boot.flash.locked": "0",
               "ro.boot.verifiedbootstate": "orange", "ro.debuggable": "1",
               "ro.build.tags": "test-keys", "ro.secure": "0", "service.adb.tcp.port": "5555"},
        settings={"global:adb_enabled": "1", "global:adb_wifi_enabled": "1"},
        selinux="Permissive",
    )
    found = find(snapshot, indicators, content)
    root = next(f for f in found if f.kind == "root")
    assert root.severity == "medium"
    assert root.all("sign") == ["bootloader_unlocked", "debuggable", "adb_root", "test_keys",
                                "selinux_permissive"]  # orange is the unlocked bootloader
    usb = next(f for f in found if f.kind == "usb_debugging")
    assert usb.severity == "medium" and usb.fact("wireless") == "on"


def test_every_sign_has_a_weight_and_words_and_every_step_its_words() -> None:
    assert set(SIGN_WEIGHT) == set(ROOT_SIGNS) == set(load_raw_device().root_signs)
    assert set(ops.STEP_WORDS) == set(STEPS) == set(ops.UNREAD_WORDS)


def test_order_is_severity_then_kind() -> None:
    shuffled = [Finding("usb_debugging", "info"), Finding("root", "high"),
                Finding("sideloaded", "low", "com.b.c"), Finding("stalkerware", "high", "com.a.b")]
    assert [f.kind for f in order(shuffled)] == ["stalkerware", "root", "sideloaded",
                                                 "usb_debugging"]


# ── what a script gets, and what is kept ──────────────────────────────────────────────────────


def result_of(phone: str) -> ops.Result:
    snapshot, findings, _ = check(phone)
    return ops.Result(ops.phone_of(snapshot.props), findings, bundled(), list(snapshot.unread))


def test_the_json_for_scripts() -> None:
    data = ops.result_json(result_of("stalkerware-android13"), load_raw_device())
    assert data["phone"] == {"make": "samsung", "model": "SM-A525F", "android": "13", "sdk": 33,
                             "security_patch": "2024-05-01"}
    assert data["indicators"]["date"] == "2026-06-21"
    assert data["indicators"]["licence"] == "CC BY 4.0"
    first = data["findings"][0]
    assert set(first) >= {"kind", "package", "app", "severity", "why", "what_you_can_do"}
    assert first["kind"] == "stalkerware" and first["severity"] == "high"
    assert all(f["kind"] in KINDS for f in data["findings"])
    assert data["summary"] == {"high": 1, "medium": 6, "low": 2, "info": 2}
    text = json.dumps(data)
    for identifier in IDENTIFIERS:
        assert identifier not in text


def test_the_words_for_every_fact() -> None:
    content = load_raw_device()
    result = result_of("old-android5")
    said = {f.kind: ops.describe(f, content) for f in result.findings}
    assert any("su" in line and "/system/xbin/su" in line for line in said["root"])
    assert "It manages the whole phone." in said["device_owner"]
    assert any("installed from a computer" in line for line in said["stalkerware"])


def test_a_check_is_kept_only_as_findings(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    vault = open_vault(default_paths())
    assert vault is not None
    result = result_of("stalkerware-android13")
    ops.save_check(vault, result)
    again = open_vault(default_paths())
    assert again is not None
    (kept,) = again.read(DeviceState).checks
    assert kept.phone == {"make": "samsung", "model": "SM-A525F", "android": "13"}
    assert kept.findings == result.findings
    raw = json.dumps(again.state)
    for identifier in IDENTIFIERS:
        assert identifier not in raw
    assert "[ro.build" not in raw and "Enabled services" not in raw  # no dump kept


def test_the_record_tolerates_odd_saved_data() -> None:
    state = DeviceState.from_state({"checks": [
        {"at": "2026-11-26T10:00:00+00:00", "phone": {"make": "x", "serial": "R58"},
         "findings": [{"kind": "stalkerware", "severity": "high", "package": "com.a.b",
                       "facts": [["installed", "2024"], ["bogus", "x"], ["user"]]},
                      {"kind": "not-a-kind", "severity": "high"}, "junk"]},
        "junk", {"no": "time"},
    ]})
    (one,) = state.checks
    assert one.phone == {"make": "x"}
    assert one.findings == [Finding("stalkerware", "high", "com.a.b", None,
                                    (("installed", "2024"),))]
    for n in range(MAX_CHECKS + 5):
        state.add(Check(f"t{n}", {}, "", []))
    assert len(state.checks) == MAX_CHECKS and state.checks[-1].at == f"t{MAX_CHECKS + 4}"


@pytest.mark.parametrize("name", ["vault-schema1.bin", "vault-schema2.bin"])
def test_released_vaults_gain_an_empty_device_section(data_dir: Path, name: str) -> None:
    """Adding the section needs no new schema: older versions keep sections they do not know
    when they save, and a vault without one reads as no checks."""
    data_dir.mkdir(mode=0o700)
    shutil.copy(Path(__file__).parent / "fixtures" / name, default_paths().vault)
    passphrase = "fixture passphrase v1" if "1" in name else "fixture passphrase v2"
    vault = open_vault(default_paths(), passphrase)
    assert vault is not None and vault.state["schema"] == schema.CURRENT
    assert vault.read(DeviceState).checks == []
    ops.save_check(vault, result_of("clean-android14"))
    again = open_vault(default_paths(), passphrase)
    assert again is not None and len(again.read(DeviceState).checks) == 1
    assert again.state["plan"]["answers"]["people.code-word"] == "pineapple"


def test_an_incident_log_entry_from_a_check(data_dir: Path) -> None:
    from safetykit.core.log import LogState

    create_vault(default_paths(), "keyring")
    vault = open_vault(default_paths())
    assert vault is not None
    number = ops.log_check(vault, result_of("stalkerware-android13"), load_raw_device())
    entry = vault.read(LogState).find(number)
    assert entry.fields["kind"] == "account-tracking"
    assert entry.fields["summary"] == "Phone check: 9 things found"
    assert ("Known stalkerware: TheTruthSpy (com.mxspy) (serious), installed 2024-03-02 "
            "21:13:40") in entry.fields["what_happened"]
    assert entry.fields["technology"] == "Android phone: samsung SM-A525F"
    for identifier in IDENTIFIERS:
        assert identifier not in json.dumps(entry.fields)


def test_a_findings_caution_comes_before_what_to_do() -> None:
    import io

    from safetykit.content.device import load_device
    from safetykit.ui.screen import Screen

    content = load_device()
    _, findings, _ = check("stalkerware-android13")
    with_caution = [f for f in findings if content.kind(f.kind).caution]
    assert with_caution
    for finding in with_caution:
        out = io.StringIO()
        ops.show_finding(Screen(plain=True, file=out), finding, content)
        text = out.getvalue()
        assert text.index("Before you do this: ") < text.index("What you can do:")
