"""Where the person is: asked once, changed with ``safetykit region``, given for one run with
``--region`` or ``SAFETYKIT_REGION``; suggested by the system's language, never decided by it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pexpect
import pytest

from safetykit.cli.app import run
from safetykit.content import regions
from safetykit.content._validate import NotInContentError
from safetykit.content.regions import applies, fill, load_places
from safetykit.errors import ExitStatus
from safetykit.flows.region import resolve, suggestion
from safetykit.storage.paths import default_paths
from safetykit.storage.settings import SETTINGS_NAME, stored_region
from safetykit.storage.vault import create_vault
from tests.e2e import CLEAR, KEYS, Program


def test_every_place_the_issue_names_can_be_chosen() -> None:
    codes = set(load_places().codes())
    assert {"US", "GB-ENG", "GB-SCT", "GB-WLS", "GB-NIR", "IE", "AU", "NZ", "ES", "MX",
            "ZZ"} <= codes
    assert {p.code for p in load_places().parts("CA")} == {
        "CA-AB", "CA-BC", "CA-MB", "CA-NB", "CA-NL", "CA-NS", "CA-NT", "CA-NU", "CA-ON",
        "CA-PE", "CA-QC", "CA-SK", "CA-YT",
    }
    assert [p.name for p in load_places().top()] == [
        "United States", "United Kingdom", "Ireland", "Canada", "Australia", "New Zealand",
        "Spain", "Mexico", "Somewhere else",
    ]


def test_patterns_and_terms() -> None:
    assert applies(["GB"], "GB-SCT") and applies(["*"], "ZZ") and applies(["CA-ON"], "CA-ON")
    assert not applies(["US"], "GB-ENG") and not applies(["CA"], "CAN")
    terms = load_places().get("GB-SCT").terms
    assert terms["emergency"] == "999"  # from the United Kingdom
    assert fill("Call {emergency}. {Protective_order}s {{not a term}}", terms) == (
        f"Call 999. {terms['protective_order'][:1].upper()}{terms['protective_order'][1:]}s "
        "{not a term}"
    )


def test_precedence_option_then_environment_then_the_saved_choice(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SAFETYKIT_REGION")
    paths = default_paths()
    assert resolve(paths, None).origin == "none" and resolve(paths, None).code == "ZZ"
    assert run(["region", "IE"]) == 0
    assert stored_region(paths) == "IE"
    assert (data_dir / SETTINGS_NAME).stat().st_mode & 0o077 == 0
    assert resolve(paths, None).code == "IE"
    monkeypatch.setenv("SAFETYKIT_REGION", "nz")
    assert resolve(paths, None).code == "NZ"
    assert resolve(paths, "GB-WLS").code == "GB-WLS"


def test_region_command_shows_sets_and_refuses_calmly(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SAFETYKIT_REGION")
    assert run(["region"]) == 0
    assert "No place chosen yet" in capsys.readouterr().out
    assert run(["region", "GB"]) == ExitStatus.USAGE
    assert "GB-SCT (Scotland)" in capsys.readouterr().err
    assert run(["region", "Narnia"]) == ExitStatus.USAGE
    assert "Places: US, GB-ENG" in capsys.readouterr().err
    assert run(["region", "gb-sct"]) == 0
    assert "Saved: Scotland (GB-SCT)" in capsys.readouterr().out
    assert run(["region"]) == 0
    assert "Scotland (GB-SCT): your saved choice" in capsys.readouterr().out
    assert not (data_dir / "vault.bin").exists()  # a place is not the data


def hotlines(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    capsys.readouterr()
    assert run(list(args)) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_region_anywhere_on_the_command_line(data_dir: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    before = hotlines(capsys, "--region", "GB-SCT", "hotlines", "--json")
    after = hotlines(capsys, "hotlines", "--json", "--region=GB-SCT")
    assert before == after
    us = hotlines(capsys, "hotlines", "--json")
    assert before != us
    assert all(set(row) >= {"name", "call", "text", "chat", "hours", "languages", "region",
                            "checked", "source"} for row in us)
    assert run(["--region", "XX", "hotlines"]) == ExitStatus.USAGE


def test_status_says_where(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    create_vault(default_paths(), "keyring")
    assert run(["--region", "AU", "status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["region"] == {"code": "AU", "name": "Australia", "chosen": "option"}


def test_help_opens_with_the_places_emergency_number(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run(["--region", "AU", "--help"]) == 0
    first = " ".join(capsys.readouterr().out.split()[:40])
    assert "000" in first and "911" not in first
    assert run(["--help"]) == 0
    assert "911" in " ".join(capsys.readouterr().out.split()[:40])


def test_the_locale_suggests_but_never_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert suggestion() == "GB"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert suggestion() is None


def test_the_place_for_this_run_is_a_context_not_a_leftover() -> None:
    regions.use_region("NZ")
    assert regions.current_place().name == "New Zealand"
    with pytest.raises(NotInContentError):
        regions.use_region("CA")  # a country with parts


@pytest.mark.e2e
@pytest.mark.secret_service
def test_first_use_asks_where_and_the_hotline_key_follows(prog: Program) -> None:
    env = {k: v for k, v in prog.env.items() if k != "SAFETYKIT_REGION"}
    env["LANG"] = "en_GB.UTF-8"
    child = prog.spawn("checklist", env=env)
    child.wait_for("Where are you?")
    child.wait_for("Somewhere else")
    shown = child.display()
    assert any(line.startswith(" » ") and "United Kingdom" in line for line in shown)
    child.choose("United Kingdom")
    child.wait_for("Which part of the UK")
    child.choose("Scotland")
    child.wait_for("How should your data be protected")
    child.choose("Talk to someone now")
    child.wait_for("Talk to someone now (Scotland)")
    child.wait_for("How should your data be protected")
    assert "999" in child.text()
    child.choose("Keep the key in this computer's keyring")
    child.wait_for("What is your ex doing")
    child.send(KEYS["ctrl-c"])
    child.expect_exact(CLEAR)
    child.expect(pexpect.EOF)
    child.close()
    again = prog.spawn("checklist", env=env)
    before = again.wait_for("What is your ex doing")
    assert "Where are you" not in before  # not asked twice
    again.send(KEYS["ctrl-c"])
    again.expect(pexpect.EOF)
    assert json.loads((prog.home / SETTINGS_NAME).read_text()) == {"region": "GB-SCT"}


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [("README.md", "| where you are |", "Inside safetykit, the lines"),
     ("README.es.md", "| dónde está |", "Dentro de safetykit, las líneas")],
)
def test_the_readme_numbers_are_the_content_numbers(name: str, start: str, end: str) -> None:
    import re

    from safetykit.content.resources import load_resources

    readme = (Path(__file__).parents[1] / name).read_text(encoding="utf-8")
    table = readme[readme.index(start):readme.index(end)]
    numbers = set(re.findall(r"\*\*([0-9][0-9 \-]{1,14}[0-9])\*\*", table))
    assert len(numbers) >= 5
    known = {
        value
        for r in load_resources()
        for value in (r.phone, r.text, r.tty)
        if value
    }
    for number in numbers:
        assert any(number in value for value in known), number
