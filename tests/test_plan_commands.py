"""``safetykit plan show`` and ``plan answer``: the plan for advocates' scripts. Answers come on
standard input, never as arguments; a bad answer changes nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safetykit.cli.app import run
from safetykit.content.plan import load_plan
from safetykit.core.plan import PlanAnswerError, answer_from_text
from safetykit.errors import ExitStatus
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import create_vault, open_vault

CONTENT = load_plan()


@pytest.fixture
def vault_ready(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")


def answer(monkeypatch: pytest.MonkeyPatch, question_id: str, typed: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    return run(["plan", "answer", question_id, *args])


def stored() -> dict[str, Any]:
    vault = open_vault(default_paths())
    assert vault is not None
    return dict(vault.section("plan").get("answers", {}))


def show_json(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert run(["plan", "show", "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_show_lists_every_question_with_the_documented_keys(
    vault_ready: None, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = show_json(capsys)
    assert [row["id"] for row in rows] == [q.id for q in CONTENT.questions()]
    for row in rows:
        assert {"id", "section", "question", "kind", "answer"} <= set(row)
        assert row["answer"] is None
    behaviours = next(row for row in rows if row["id"] == "happening.behaviours")
    assert {"id": "calls-texts", "label": "They keep calling or texting me"} in (
        behaviours["options"]
    )


def test_show_works_with_nothing_set_up(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = show_json(capsys)
    assert all(row["answer"] is None for row in rows)
    assert not data_dir.exists()


def test_each_kind_of_answer_from_standard_input(
    vault_ready: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert answer(monkeypatch, "happening.notes", "It started in May.\nEvery night now.\n") == 0
    assert answer(monkeypatch, "happening.worries", "him at the gym\n\nmy car\n") == 0
    assert answer(monkeypatch, "people.trusted",
                  "Nguyễn Thị Lan\t555-0100\teverything\nمحمد\t\tknows the code word\n") == 0
    assert answer(monkeypatch, "happening.behaviours", "calls-texts\nshows-up, blackmail\n") == 0
    choice = next(q for q in CONTENT.questions() if q.kind == "choice")
    assert answer(monkeypatch, choice.id, choice.options[0].id + "\n") == 0
    answers = stored()
    assert answers["happening.notes"] == "It started in May.\nEvery night now."
    assert answers["happening.worries"] == ["him at the gym", "my car"]
    assert answers["people.trusted"] == [
        {"name": "Nguyễn Thị Lan", "contact": "555-0100", "knows": "everything"},
        {"name": "محمد", "contact": "", "knows": "knows the code word"},
    ]
    # What is happening is kept once, with the checklist's answer to the same question.
    assert "happening.behaviours" not in answers
    vault = open_vault(default_paths())
    assert vault is not None
    assert vault.section("checklist")["behaviours"] == ["calls-texts", "shows-up", "blackmail"]
    assert answers[choice.id] == choice.options[0].id
    rows = {row["id"]: row for row in show_json(capsys)}
    assert rows["happening.worries"]["answer"] == ["him at the gym", "my car"]
    assert rows["happening.behaviours"]["answer"] == ["calls-texts", "shows-up", "blackmail"]


def test_clear_removes_an_answer(
    vault_ready: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert answer(monkeypatch, "people.code-word", "pineapple\n") == 0
    assert stored()["people.code-word"] == "pineapple"
    assert answer(monkeypatch, "people.code-word", "", "--clear") == 0
    assert "people.code-word" not in stored()
    assert "Removed the answer" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("question_id", "typed", "status"),
    [
        ("happening.behaviours", "not-a-behaviour\n", ExitStatus.BAD_INPUT),
        ("people.trusted", "a\tb\tc\td\n", ExitStatus.BAD_INPUT),
        ("no.such-question", "x\n", ExitStatus.USAGE),
        ("people.code-word", "", ExitStatus.USAGE),
        ("people.code-word", "\n  \n", ExitStatus.USAGE),
    ],
)
def test_a_bad_answer_changes_nothing(  # noqa: PLR0917 (fixtures and parameters)
    vault_ready: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    question_id: str,
    typed: str,
    status: int,
) -> None:
    assert answer(monkeypatch, "people.code-word", "kept\n") == 0
    before = (default_paths().vault).read_bytes()
    assert answer(monkeypatch, question_id, typed) == status
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()
    assert default_paths().vault.read_bytes() == before
    assert "not-a-behaviour" not in err  # what was typed is not repeated back


def test_answer_needs_saved_data_and_never_creates_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert answer(monkeypatch, "people.code-word", "pineapple\n") == ExitStatus.NOT_SET_UP
    assert not default_paths().vault.exists()


def test_the_answer_is_never_an_argument() -> None:
    assert run(["plan", "answer", "people.code-word", "pineapple"]) == ExitStatus.USAGE


@given(st.text(max_size=300))
def test_any_typed_text_is_a_valid_answer_or_a_calm_refusal(typed: str) -> None:
    for question in CONTENT.questions():
        try:
            answer_from_text(question, typed)
        except PlanAnswerError as exc:
            # The message names the question and the problem, never what was typed.
            if len(typed.strip()) >= 8:
                assert typed.strip() not in exc.message


def test_with_a_passphrase_it_comes_first_then_the_answer(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.vaults import PASSPHRASE, passphrase_vault

    passphrase_vault(data_dir)
    assert answer(monkeypatch, "happening.worries", f"{PASSPHRASE}\nmy car\nthe gym\n") == 0
    vault = open_vault(default_paths(), PASSPHRASE)
    assert vault is not None
    assert vault.section("plan")["answers"]["happening.worries"] == ["my car", "the gym"]
