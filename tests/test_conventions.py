"""Command-line conventions: ``--plain`` anywhere, ``NO_COLOR`` only removes colour, whole help
lines in the command lists, and usage lines written as ``ITEM_ID STATE``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from safetykit.cli.app import _conventional_usage, app, run
from safetykit.ui.screen import wants_plain
from tests.e2e import Program, visible

EXPORT = Path(__file__).parent / "fixtures" / "exports" / "1password8.csv"
BOX = "\u256d"  # the corner of a box: not in plain mode


def hotlines(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert run(list(args)) == 0
    return capsys.readouterr().out


# ── --plain, SAFETYKIT_PLAIN and NO_COLOR ─────────────────────────────────────────────────────


def test_plain_works_before_or_after_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert BOX in hotlines(capsys, "hotlines")
    before = hotlines(capsys, "--plain", "hotlines")
    after = hotlines(capsys, "hotlines", "--plain")
    assert BOX not in before and before == after
    assert run(["passwords", "check", "--csv", str(EXPORT), "--plain"]) == 0  # the issue's own
    assert "No such option" not in capsys.readouterr().err


def test_plain_after_a_double_dash_is_left_alone() -> None:
    from safetykit.cli.app import _take_flag

    assert _take_flag("--plain", ["log", "--plain", "--", "--plain"]) == (
        ["log", "--", "--plain"], True
    )
    assert _take_flag("--plain", ["status"]) == (["status"], False)


def test_safetykit_plain_is_the_full_plain_mode_and_no_color_is_not(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_plain(False)
    assert BOX in hotlines(capsys, "hotlines")  # colour only; the layout stays
    monkeypatch.setenv("SAFETYKIT_PLAIN", "1")
    assert wants_plain(False)
    assert BOX not in hotlines(capsys, "hotlines")
    monkeypatch.setenv("SAFETYKIT_PLAIN", "0")
    assert not wants_plain(False)


COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|9[0-7]|38;[0-9;]+)m")


def test_no_color_removes_colour_and_nothing_else(prog: Program) -> None:
    coloured = prog.spawn("hotlines")
    coloured.finish()
    assert COLOUR.search(coloured.text())
    term = prog.spawn("hotlines", env={**prog.env, "NO_COLOR": "1"})
    status, _ = term.finish()
    assert status == 0
    assert not COLOUR.search(term.text())
    assert BOX in term.text()  # still boxed: only --plain or SAFETYKIT_PLAIN=1 removes that


def test_no_color_keeps_the_arrow_key_menus(prog: Program) -> None:
    term = prog.spawn("checklist", env={**prog.env, "NO_COLOR": "1"}, columns=60)
    term.wait_for("How should your data be protected")
    term.wait_for("Talk to someone now")
    assert "\u00bb" in term.shown() and "Type a number" not in term.shown()
    term.send("\x03")
    status, _ = term.finish()
    assert status == 130
    assert not COLOUR.search(term.text())


# ── --help ────────────────────────────────────────────────────────────────────────────────────


def _commands(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        found.extend(_commands(sub, (*path, name)))
    return found


def test_every_command_has_a_short_help_of_its_own() -> None:
    command = typer.main.get_command(app)
    missing = [" ".join(path) for path, c in _commands(command)[1:] if not c.short_help]
    assert missing == []


@pytest.mark.parametrize("columns", [40, 80, 200])
def test_command_lists_are_never_cut(
    columns: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    groups = [p for p, c in _commands(typer.main.get_command(app)) if hasattr(c, "commands")]
    assert len(groups) >= 6
    for path in groups:
        assert run([*path, "--help"]) == 0
        out = capsys.readouterr().out
        listed = out.split("Commands:")[1]
        assert "..." not in listed and "\u2026" not in listed, (path, listed)
        assert all(len(line) <= max(columns, 80) for line in listed.splitlines())


def test_usage_lines_name_the_arguments_plainly(capsys: pytest.CaptureFixture[str]) -> None:
    command = typer.main.get_command(app)
    _conventional_usage(command)
    for path, sub in _commands(command)[1:]:
        if hasattr(sub, "commands"):
            continue
        assert run([*path, "--help"]) == 0
        usage = capsys.readouterr().out.split("\n\n")[0]
        assert "{" not in usage and "}" not in usage, usage
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", usage.split("[OPTIONS]")[-1]), usage
    assert run(["checklist", "mark", "--help"]) == 0
    assert "safetykit checklist mark [OPTIONS] ITEM_ID STATE" in capsys.readouterr().out
    assert run(["region", "--help"]) == 0
    assert "[OPTIONS] [CODE]" in capsys.readouterr().out


def test_a_missing_argument_is_named_as_in_the_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["checklist", "mark"]) != 0
    err = visible(capsys.readouterr().err)
    assert "ITEM_ID STATE" in err and "{" not in err
