"""``device.toml``: complete, validated (every rule rejects a crafted bad document), every kind of
finding with its words and pages, and every page official or marked as a third party with why."""

from __future__ import annotations

import copy
import datetime
import tomllib
from importlib import resources
from typing import Any

import pytest

from safetykit.content._files import ContentError
from safetykit.content._validate import is_official
from safetykit.content.device import (
    KINDS,
    DeviceContent,
    load_device,
    load_raw_device,
    parse_device,
)
from safetykit.i18n import recording


def raw() -> dict[str, Any]:
    text = resources.files("safetykit.content").joinpath("device.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_it_loads_with_every_kind() -> None:
    content = load_raw_device()
    assert [k.id for k in content.kinds] == list(KINDS)
    for kind in content.kinds:
        assert kind.label and kind.why and kind.what_you_can_do and kind.sources
    assert "com.android.vending" in content.stores
    assert "com.topjohnwu.magisk" in content.root_managers
    assert content.permissions["android.permission.READ_SMS"] == "read your text messages"
    assert set(content.get_adb) == {"windows", "macos", "linux"}


def every_source(content: DeviceContent) -> list[tuple[str, Any]]:
    found = [(k.id, s) for k in content.kinds for s in k.sources]
    data = raw()
    today = datetime.date.today()
    from safetykit.content._validate import sources

    for part in ("get_adb", "usb_debugging", "cleanup"):
        found += [(part, s) for s in sources(data[part]["sources"], part, today)]
    return found


def test_every_page_is_official_or_says_why() -> None:
    for where, source in every_source(load_raw_device()):
        if source.third_party:
            assert source.why and len(source.why) > 20, where
        else:
            assert is_official(source.host), f"{where}: {source.url}"
        assert datetime.date(2026, 1, 1) <= source.checked <= datetime.date.today(), where


def mutate(path: tuple[str, ...], value: object) -> dict[str, Any]:
    data = copy.deepcopy(raw())
    here: Any = data
    for key in path[:-1]:
        here = here[key]
    if value is DELETE:
        del here[path[-1]]
    else:
        here[path[-1]] = value
    return data


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (("schema",), 2, "'schema' must be 1"),
        (("surprise",), "x", "unknown field(s) surprise"),
        (("kinds", "root"), DELETE, "missing 'root'"),
        (("kinds", "rooted"), {}, "unknown field(s) rooted"),
        (("kinds", "root", "why"), "", "'why' must be a non-empty string"),
        (("kinds", "root", "what_you_can_do"), [], "non-empty list"),
        (("kinds", "root", "sources"), [], "non-empty list"),
        (("kinds", "root", "sources"), [{"url": "http://example.org", "checked":
                                         datetime.date(2026, 1, 1)}], "https://"),
        (("kinds", "root", "sources"), [{"url": "https://example.org", "checked":
                                         datetime.date(2999, 1, 1)}], "in the future"),
        (("kinds", "root", "colour"), "red", "unknown field(s) colour"),
        (("installers", "stores"), ["not a package"], "not an Android package name"),
        (("installers", "preinstallers"), ["com.android.vending"], "more than one list"),
        (("root", "signs", "su_binary"), "A su program is there.", "must hold {path}"),
        (("root", "signs", "cosmic_rays"), "x", "unknown field(s) cosmic_rays"),
        (("installer_words", "other"), "Installed elsewhere.", "must hold {installer}"),
        (("permissions", "READ_SMS"), "x", "not a permission name"),
        (("limits", "can_see"), ["same", "same"], "repeated entry"),
        (("consent", "question"), DELETE, "missing 'question'"),
        (("usb_debugging", "steps"), "one step", "must be a non-empty list"),
        (("get_adb", "linux"), DELETE, "missing 'linux'"),
    ],
)
def test_every_rule_rejects_a_bad_document(path: tuple[str, ...], value: object,
                                           problem: str) -> None:
    with pytest.raises(ContentError) as caught:
        parse_device(mutate(path, value))
    assert problem in str(caught.value)
    assert str(caught.value).startswith("device.toml")


def test_every_text_is_offered_for_translation_with_its_context() -> None:
    with recording() as found:
        load_raw_device().translated()
    contexts = {context for context, _ in found}
    assert "device:stalkerware:why" in contexts
    assert "device:root:what_you_can_do" in contexts
    assert "device:consent:question" in contexts
    assert "device:root_signs:su_binary" in contexts
    assert not any(text == "com.android.vending" for _, text in found)  # lists stay as written
    assert load_device() == load_raw_device()  # English: the words as written
