"""The stalkerware indicators: the shipped copy (its date, source and licence, and a test that
fails once it is more than six months old), the tolerant reader, and a newer copy given with
``safetykit device update-indicators``, checked before use."""

from __future__ import annotations

import datetime
import io
import json
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from safetykit.cli.app import run
from safetykit.cli.device import CREDIT
from safetykit.content import indicators
from safetykit.content.indicators import (
    STALE_AFTER,
    IndicatorError,
    attribution,
    bundled,
    from_json,
    merge,
    parse_yaml,
)
from safetykit.errors import ExitStatus
from safetykit.flows.device_commands import indicators_in_use
from safetykit.storage import indicators as stored
from safetykit.storage.paths import default_paths

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "safetykit" / "content" / "indicator_data"


def test_the_shipped_lists_are_less_than_six_months_old() -> None:
    """Refresh safetykit/content/indicator_data (its SOURCE.toml says how) when this fails."""
    age = datetime.date.today() - attribution().date
    assert age <= STALE_AFTER, (
        f"the bundled stalkerware indicators are {age.days} days old: copy the newest ioc.yaml "
        "and watchware.yaml from AssoEchap/stalkerware-indicators and update SOURCE.toml"
    )


def test_the_shipped_lists_and_their_credit() -> None:
    shipped = bundled()
    assert shipped.count("stalkerware") == (147, 613)
    assert shipped.count("watchware") == (27, 30)
    assert shipped.origin == "bundled" and shipped.date == attribution().date
    assert attribution().licence == "CC BY 4.0"
    # The same date in --help, the README and the licence note.
    date = attribution().date.isoformat()
    assert date in CREDIT
    assert date in (DATA / "LICENSE.txt").read_text()
    assert attribution().commit in (DATA / "LICENSE.txt").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "AssoEchap/stalkerware-indicators" in readme and "CC BY 4.0" in readme
    assert date in readme


def test_matching_is_exact_and_stalkerware_wins() -> None:
    shipped = bundled()
    app = shipped.match("com.mxspy")
    assert app is not None and app.name == "TheTruthSpy" and app.type == "stalkerware"
    assert shipped.match("com.MXSPY") is None  # package names are case-sensitive
    both = shipped.match("com.wisemo.host.v10")  # on both lists
    assert both is not None and both.type == "stalkerware"
    watch = shipped.match("com.life360.android.safetymapd")
    assert watch is not None and watch.type == "watchware"
    assert shipped.match("com.whatsapp") is None


def test_a_tolerant_reader() -> None:
    text = b"""
- name: One
  type: stalkerware
  packages: com.one.app
  names: [One, Uno]
  c2:
    ip: [1.2.3.4]
- name: Two
  packages:
  - com.two.app
  -
  - "  com.two.other  "
  - 42
  certificates: null
  ios_bundles: [x]
  new_field_from_the_future: {a: b}
- {type: stalkerware, packages: [com.nameless]}
- just a string
- name: Three
  type: somethingelse
  packages: [com.three]
"""
    apps = parse_yaml(text, "ioc.yaml")
    assert [(a.name, a.type, a.packages, a.names) for a in apps] == [
        ("One", "stalkerware", ("com.one.app",), ("Uno",)),
        ("Two", "stalkerware", ("com.two.app", "com.two.other", "42"), ()),
        ("Three", "somethingelse", ("com.three",), ()),
    ]
    watch = parse_yaml(b"- name: W\n  packages: [com.w]\n", "watchware.yaml")
    assert watch[0].type == "watchware"  # no type: the file says which list it is


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"name: not a list\n", "not a list"),
        (b"- name: [unclosed\n", "not valid YAML"),
        (b"\xff\xfe\x00junk", "not a text file"),
        (b"- name: A\n  packages: []\n", "no app with a package name"),
        (b"", "not a list"),
        (b"- !!python/object/apply:os.system ['true']\n", "no app with a package name"),
    ],
)
def test_files_that_are_not_the_lists_are_refused(data: bytes, problem: str) -> None:
    with pytest.raises(IndicatorError) as caught:
        parse_yaml(data, "ioc.yaml")
    assert problem in caught.value.message


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_mutated_real_entries_never_crash_the_reader(data: st.DataObject) -> None:
    raw = yaml.safe_load((DATA / "watchware.yaml").read_text())
    values = st.one_of(st.none(), st.text(max_size=10), st.integers(),
                       st.lists(st.one_of(st.text(max_size=10), st.none()), max_size=3),
                       st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2))
    for _ in range(data.draw(st.integers(0, 8))):
        entry = raw[data.draw(st.integers(0, len(raw) - 1))]
        entry[data.draw(st.sampled_from(["name", "type", "packages", "names", "c2", "extra"]))] \
            = data.draw(values)
    text = yaml.safe_dump(raw).encode()
    try:
        apps = parse_yaml(text, "watchware.yaml")
    except IndicatorError:
        return
    assert all(isinstance(a.name, str) and a.name for a in apps)
    assert all(isinstance(p, str) for a in apps for p in a.packages)


def test_a_newer_copy_is_checked_merged_and_kept() -> None:
    shipped = bundled()
    ioc = parse_yaml((DATA / "ioc.yaml").read_bytes(), "ioc.yaml")
    extra = parse_yaml(b"- name: NewSpy\n  type: stalkerware\n  packages: [com.newspy.app]\n",
                       "ioc.yaml")
    later = shipped.date + datetime.timedelta(days=30)
    fresh = merge(shipped, [ioc + extra], later)
    assert fresh.match("com.newspy.app") is not None
    assert fresh.count("watchware") == shipped.count("watchware")  # kept: not given
    assert fresh.origin == "updated" and fresh.date == later
    again = from_json(json.loads(json.dumps(fresh.to_json())))
    assert again is not None and again.apps == fresh.apps and again.date == later
    # A copy that lost many apps is refused, unless forced.
    with pytest.raises(IndicatorError) as caught:
        merge(shipped, [extra], later)
    assert "lacks 613 of the 613 stalkerware package names" in caught.value.message
    assert merge(shipped, [extra], later, force=True).count("stalkerware") == (1, 1)


@pytest.mark.parametrize("raw", [None, "x", {"format": 2}, {"format": 1, "date": "soon"},
                                 {"format": 1, "date": "2030-01-01", "apps": "x"}])
def test_a_damaged_stored_copy_is_ignored(raw: object) -> None:
    assert from_json(raw) is None


def test_update_indicators_command_and_wipe(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    newer = tmp_path / "ioc.yaml"
    newer.write_bytes((DATA / "ioc.yaml").read_bytes()
                      + b"- name: NewSpy\n  type: stalkerware\n  packages: [com.newspy.app]\n")
    day = (attribution().date + datetime.timedelta(days=40)).isoformat()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run(["device", "update-indicators", str(newer), "--date", day]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "148 stalkerware apps (614 package names) and 27 monitoring apps" in out
    kept = default_paths().root / stored.NAME
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    in_use = indicators_in_use(default_paths())
    assert in_use.origin == "updated" and in_use.match("com.newspy.app") is not None

    # Not newer than the shipped copy: refused (exit 8), nothing changed.
    old_day = (attribution().date - datetime.timedelta(days=1)).isoformat()
    assert run(["device", "update-indicators", str(newer), "--date", old_day]) == \
        ExitStatus.BAD_INPUT
    assert "not newer" in capsys.readouterr().err
    # A cut-short copy: refused.
    short = tmp_path / "short" / "ioc.yaml"
    short.parent.mkdir()
    short.write_bytes(b"- name: A\n  packages: [com.a.b]\n")
    os.utime(short)
    assert run(["device", "update-indicators", str(short)]) == ExitStatus.BAD_INPUT
    assert "--force" in capsys.readouterr().err
    assert run(["device", "update-indicators", str(tmp_path / "missing.yaml")]) == \
        ExitStatus.BAD_INPUT
    assert indicators_in_use(default_paths()).match("com.newspy.app") is not None

    # wipe removes it with everything else.
    from safetykit.storage.removal import wipe

    wipe(default_paths())
    assert not kept.exists()
    assert indicators_in_use(default_paths()).origin == "bundled"


def test_stale_lists_are_said(data_dir: Path) -> None:
    shipped = bundled()
    assert not shipped.is_stale(shipped.date + datetime.timedelta(days=100))
    assert shipped.is_stale(shipped.date + datetime.timedelta(days=200))
    assert "this copy is from " + shipped.date.isoformat() in indicators.credit_line(shipped)
