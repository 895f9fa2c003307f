"""The phone check's parsers, on recorded output of several Android versions, damaged and empty
output, and anything hypothesis makes up: they keep what the check needs, drop the phone's
identifiers, and never raise."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetykit.device import parse
from safetykit.device.parse import Component

FIXTURES = Path(__file__).parent / "fixtures" / "adb"
PHONES = ("stalkerware-android13", "clean-android14", "old-android5", "malformed", "empty")
PARSERS = {
    "getprop.txt": parse.parse_getprop,
    "pm_list_users.txt": parse.parse_users,
    "pm_list_packages_-i.txt": parse.parse_packages,
    "pm_list_packages_-3.txt": parse.parse_packages,
    "dumpsys_device_policy.txt": parse.parse_device_policy,
    "dumpsys_accessibility.txt": parse.parse_accessibility,
    "getenforce.txt": parse.parse_getenforce,
    "cmd_appops_query-op_REQUEST_INSTALL_PACKAGES_allow.txt": parse.parse_package_lines,
}
IDENTIFIERS = ("R58N12ABCDE", "38161FDJH009XY", "ZX1G22ABCD", "8f2c1e0b9a7d6c5e",
               "1a2b3c4d5e6f7081", "F8:1A:2B:3C:4D:5E", "Ana Example", "Ana's Galaxy")


def text(phone: str, name: str) -> str:
    path = FIXTURES / phone / name
    return path.read_bytes().decode("utf-8", errors="replace") if path.exists() else ""


# ── the recorded phones ───────────────────────────────────────────────────────────────────────


def test_getprop_keeps_only_its_list_and_never_the_serial() -> None:
    props = parse.parse_getprop(text("stalkerware-android13", "getprop.txt"))
    assert props["ro.build.version.sdk"] == "33"
    assert props["ro.product.model"] == "SM-A525F"
    assert props["service.adb.tcp.port"] == ""
    assert set(props) <= parse.PROPS
    assert "R58N12ABCDE" not in repr(props) and "F8:1A" not in repr(props)
    old = parse.parse_getprop(text("old-android5", "getprop.txt"))  # \r\n line endings
    assert old["ro.build.version.release"] == "5.1" and parse.sdk_level(old) == 22
    assert old["ro.build.version.security_patch"] == ""


def test_packages_with_installers_across_versions() -> None:
    new = parse.parse_packages(text("stalkerware-android13", "pm_list_packages_-i.txt"))
    assert new["com.mxspy"] == "com.google.android.packageinstaller"
    assert new["com.android.settings"] is None  # installer=null
    assert new["com.termux"] == "org.fdroid.fdroid"
    old = parse.parse_packages(text("old-android5", "pm_list_packages_-i.txt"))
    assert old["com.android.core.monitor.debug"] is None
    assert old["com.life360.android.safetymapd"] == "com.android.vending"
    third = parse.parse_packages(text("old-android5", "pm_list_packages_-3.txt"))
    assert set(third) >= {"eu.chainfire.supersu", "com.whatsapp"}
    assert all(v is None for v in third.values())


@pytest.mark.parametrize(
    ("line", "package", "installer"),
    [
        ("package:com.example.notes", "com.example.notes", None),
        ("package:com.example.notes  installer=com.android.vending", "com.example.notes",
         "com.android.vending"),
        # -f: the code path and "=" first; Android 11+ paths hold "==" themselves.
        ("package:/data/app/~~Qm1x0AbC==/com.example.notes-Zx9y==/base.apk=com.example.notes"
         "  installer=com.android.vending uid:10187", "com.example.notes", "com.android.vending"),
        ("package:/data/app/com.example.notes-1/base.apk=com.example.notes", "com.example.notes",
         None),
        ("package:com.example.notes versionCode:31  installer=null uid:10211,10212",
         "com.example.notes", None),
        ("package:Aktualizacja.apps  installer=null", "Aktualizacja.apps", None),
    ],
)
def test_package_lines_of_every_shape(line: str, package: str, installer: str | None) -> None:
    assert parse.parse_packages(line) == {package: installer}


def test_users_never_keep_names() -> None:
    assert parse.parse_users(text("stalkerware-android13", "pm_list_users.txt")) == [0]
    assert parse.parse_users("Users:\n\tUserInfo{0:Ana:c13} running\n"
                             "\tUserInfo{10:Work profile:1030} running\n") == [0, 10]
    assert parse.parse_users("") == [0]


def test_settings_list_keeps_only_its_list() -> None:
    secure = parse.parse_settings_list(text("stalkerware-android13", "settings_list_secure.txt"),
                                       "secure")
    assert secure is not None
    assert secure["enabled_accessibility_services"] == "com.mxspy/com.mxspy.services.AccService"
    assert "android_id" not in secure and "bluetooth_address" not in secure
    assert "8f2c1e0b9a7d6c5e" not in repr(secure)
    glob = parse.parse_settings_list(text("stalkerware-android13", "settings_list_global.txt"),
                                     "global")
    assert glob == {"adb_enabled": "1", "adb_wifi_enabled": "0",
                    "development_settings_enabled": "1", "install_non_market_apps": "1",
                    "package_verifier_enable": "0", "verifier_verify_adb_installs": "0"}
    # Android 5 has no "settings list": its usage text is not a listing.
    assert parse.parse_settings_list(text("old-android5", "settings_list_global.txt"),
                                     "global") is None
    assert parse.parse_settings_list("", "global") is None


@pytest.mark.parametrize(
    ("printed", "value"),
    [("1\n", "1"), ("1\r\n", "1"), ("null\n", None), ("\n", None), ("", None),
     ("com.a/.B:com.c/d.E\n", "com.a/.B:com.c/d.E"),
     ("usage:  settings [--user NUM] get namespace key\n", None),
     ("Exception occurred while executing 'get':\njava.lang.SecurityException\n", None)],
)
def test_setting_values(printed: str, value: str | None) -> None:
    assert parse.setting_value(printed) == value


def test_components() -> None:
    assert parse.parse_components(
        "com.a.b/.Svc:com.c.d/com.c.d.x.Y:broken::/x:com.e.f/"
    ) == [Component("com.a.b", "com.a.b.Svc"), Component("com.c.d", "com.c.d.x.Y")]
    assert parse.component("ComponentInfo{com.a.b/com.a.b.C}") == Component("com.a.b", "com.a.b.C")
    assert parse.parse_components(None) == [] and parse.parse_components("") == []


def test_device_policy_of_android_13_and_5() -> None:
    new = parse.parse_device_policy(text("stalkerware-android13", "dumpsys_device_policy.txt"))
    assert new.device_owner is None and new.profile_owners == ()
    assert [(u, str(c)) for u, c in new.admins] == [
        (0, "com.google.android.gms/com.google.android.gms.mdm.receivers.MdmDeviceAdminReceiver"),
        (0, "com.mxspy/com.mxspy.receiver.AdminReceiver"),
    ]
    old = parse.parse_device_policy(text("old-android5", "dumpsys_device_policy.txt"))
    assert old.device_owner == "com.tracker.mdm.agent"
    assert {c.package for _, c in old.admins} == {"com.tracker.mdm.agent",
                                                  "com.android.core.monitor.debug"}


def test_profile_owner_of_a_work_profile() -> None:
    dump = (
        "Current Device Policy Manager state:\n"
        "  Profile Owner (User 10): \n"
        "    admin=ComponentInfo{com.example.work/com.example.work.ProfileAdmin}\n"
        "    name=Work\n"
        "    package=com.example.work\n"
        "    isOrganizationOwnedDevice=false\n"
        "\n"
        "  User 10:\n"
        "    Enabled Device Admins (User 10, provisioningState: 3):\n"
        "      com.example.work/.ProfileAdmin:\n"
        "        uid=1010211\n"
    )
    policy = parse.parse_device_policy(dump)
    assert policy.device_owner is None
    assert policy.profile_owners == ((10, "com.example.work"),)
    assert policy.admins == ((10, Component("com.example.work", "com.example.work.ProfileAdmin")),)


def test_accessibility_in_every_shape() -> None:
    assert parse.parse_accessibility(text("stalkerware-android13", "dumpsys_accessibility.txt")) \
        == [Component("com.mxspy", "com.mxspy.services.AccService")]
    assert parse.parse_accessibility(text("old-android5", "dumpsys_accessibility.txt")) == [
        Component("com.android.core.monitor.debug", "com.android.core.monitor.debug.AccessService")
    ]  # the installed services are not the enabled ones
    several = "     Enabled services:{{com.a.b/.One}, {com.c.d/com.c.d.Two}}\n"
    assert [str(c) for c in parse.parse_accessibility(several)] == [
        "com.a.b/com.a.b.One", "com.c.d/com.c.d.Two"
    ]
    none = "User state[attributes:{id=0}\n     Bound services:{}\n     Enabled services:{}\n"
    assert parse.parse_accessibility(none) == []


def test_one_package_dump_new_and_old() -> None:
    info = parse.parse_package_dump(
        text("stalkerware-android13", "dumpsys_package_com.mxspy.txt"), "com.mxspy"
    )
    assert info is not None
    assert info.installer == "com.google.android.packageinstaller"
    assert info.first_installed == "2024-03-02 21:13:40"  # per user on Android 13
    assert info.last_updated == "2024-03-02 21:14:05"
    assert not info.system
    assert {"android.permission.READ_SMS", "android.permission.RECORD_AUDIO"} <= info.requested
    assert "android.permission.INTERNET" in info.requested
    old = parse.parse_package_dump(
        text("old-android5", "dumpsys_package_com.android.core.monitor.debug.txt"),
        "com.android.core.monitor.debug",
    )
    assert old is not None and old.first_installed == "2019-11-08 23:02:15"
    assert old.installer is None
    assert "android.permission.READ_SMS" in old.requested  # grantedPermissions on Android 5
    assert parse.parse_package_dump("Packages:\n", "com.mxspy") is None


def test_su_selinux_and_install_permission() -> None:
    assert parse.parse_existing(text("old-android5", "ls_su.txt"), parse.SU_PATHS) == [
        "/system/xbin/su"
    ]
    assert parse.parse_existing(text("malformed", "ls_su.txt"), parse.SU_PATHS) == []
    assert parse.parse_getenforce("Permissive\r\n") == "Permissive"
    assert parse.parse_getenforce("maybe") is None
    assert parse.parse_package_lines("No operations.\n") == []
    assert parse.parse_package_lines(
        text("stalkerware-android13", "cmd_appops_query-op_REQUEST_INSTALL_PACKAGES_allow.txt")
    ) == ["com.mxspy", "org.fdroid.fdroid", "org.mozilla.firefox"]


def test_devices_in_every_state() -> None:
    listing = (
        "* daemon not running; starting now at tcp:5037\n"
        "* daemon started successfully\n"
        "List of devices attached\n"
        "R58N12ABCDE            device usb:1-2 product:a52qnsxx model:SM_A525F device:a52q "
        "transport_id:3\n"
        "0A1B2C3D4E5F           unauthorized usb:1-4 transport_id:5\n"
        "0B1B2C3D4E5F           no permissions (user alice is not in the plugdev group); see "
        "[http://developer.android.com/tools/device.html] usb:1-5 transport_id:7\n"
        "emulator-5554\toffline\n"
        "192.168.1.20:5555      device product:oriole model:Pixel_6 device:oriole transport_id:8\n"
        "\n"
    )
    found = parse.parse_devices(listing)
    assert [(d.serial, d.state, d.model) for d in found] == [
        ("R58N12ABCDE", "device", "SM A525F"),
        ("0A1B2C3D4E5F", "unauthorized", ""),
        ("0B1B2C3D4E5F", "no permissions", ""),
        ("emulator-5554", "offline", ""),
        ("192.168.1.20:5555", "device", "Pixel 6"),
    ]
    assert parse.parse_devices("List of devices attached\n\n") == []


@pytest.mark.parametrize(
    ("stderr", "problem"),
    [
        ("error: device unauthorized.\nThis adb server's $ADB_VENDOR_KEYS is not set\n",
         "unauthorized"),
        ("adb: device 'R58' not found\n", "gone"),
        ("error: no devices/emulators found\n", "gone"),
        ("adb.exe: device offline\n", "gone"),
        ("error: closed\n", "gone"),
        ("adb: error: more than one device/emulator\n", "several"),
        ("error: insufficient permissions for device: user in plugdev group\n",
         "no_permissions"),
        ("* cannot connect to daemon at tcp:5037: Connection refused\n", "no_server"),
        ("ls: /sbin/su: No such file or directory\n", None),
        ("cmd: Can't find service: appops\n", None),
        ("", None),
    ],
)
def test_adb_problems_whatever_the_prefix(stderr: str, problem: str | None) -> None:
    assert parse.adb_problem(stderr) == problem


def test_escape_sequences_and_controls_never_survive() -> None:
    props = parse.parse_getprop("[ro.product.model]: [Pixel\x1b[2J\x1b]0;owned\x07 \u202e7]\n")
    assert props["ro.product.model"] == "Pixel0;owned 7"
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in props["ro.product.model"])


# ── every recorded phone, and the damaged and empty ones: no crash, nothing kept raw ─────────


@pytest.mark.parametrize("phone", PHONES)
@pytest.mark.parametrize("name", sorted(PARSERS))
def test_every_parser_on_every_recorded_phone(phone: str, name: str) -> None:
    found = PARSERS[name](text(phone, name))
    for identifier in IDENTIFIERS:
        assert identifier not in repr(found)


def test_empty_output_is_nothing_found() -> None:
    assert parse.parse_getprop("") == {}
    assert parse.parse_packages("") == {}
    assert parse.parse_device_policy("") == parse.Policy()
    assert parse.parse_accessibility("") == []
    assert parse.parse_getenforce("") is None


def test_damaged_output_keeps_only_what_fits() -> None:
    listed = parse.parse_packages(text("malformed", "pm_list_packages_-i.txt"))
    assert listed == {"com.ok.app": None, "com.valid.one": "com.android.vending"}
    policy = parse.parse_device_policy(text("malformed", "dumpsys_device_policy.txt"))
    assert policy.device_owner is None
    assert [str(c) for _, c in policy.admins] == ["com.ok.app/com.ok.app.Admin"]
    info = parse.parse_package_dump(text("malformed", "dumpsys_package_com.mxspy.txt"),
                                    "com.mxspy")
    assert info is not None
    assert info.first_installed is None and info.installer is None
    assert info.requested == frozenset({"android.permission.READ_SMS"})


PACKAGE_NAMES = st.from_regex(r"\A[a-z][a-z0-9_]{0,8}(\.[a-zA-Z0-9_]{1,8}){1,4}\Z")


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_no_parser_raises_on_anything(junk: str) -> None:
    for parser in PARSERS.values():
        parser(junk)
    parse.parse_settings_list(junk, "secure")
    parse.setting_value(junk)
    parse.parse_components(junk)
    parse.parse_package_dump(junk, "com.mxspy")
    parse.parse_devices(junk)
    parse.adb_problem(junk)


@settings(max_examples=200)
@given(
    st.lists(st.tuples(PACKAGE_NAMES, st.one_of(st.none(), PACKAGE_NAMES)), max_size=20,
             unique_by=lambda pair: pair[0]),
    st.booleans(), st.booleans(), st.sampled_from(["\n", "\r\n"]),
)
def test_package_lines_round_trip(
    apps: list[tuple[str, str | None]], with_path: bool, with_uid: bool, newline: str
) -> None:
    printed = []
    for number, (package, installer) in enumerate(apps):
        line = "package:"
        if with_path:
            line += f"/data/app/~~x{number}==/{package}-y==/base.apk="
        line += package + f"  installer={installer or 'null'}"
        if with_uid:
            line += f" uid:{10000 + number}"
        printed.append(line)
    assert parse.parse_packages(newline.join(printed)) == dict(apps)


@settings(max_examples=100)
@given(st.dictionaries(st.text(alphabet=string.ascii_lowercase + "_.", min_size=1, max_size=30),
                       st.text(alphabet=string.printable.strip(), max_size=30), max_size=30))
def test_settings_lists_never_keep_other_keys(values: dict[str, str]) -> None:
    listing = "\n".join(f"{k}={v}" for k, v in values.items())
    for namespace in ("global", "secure"):
        kept = parse.parse_settings_list(listing, namespace) or {}
        assert set(kept) <= parse.SETTINGS[namespace]
