"""The checklist: progress logic, the scripted walk-through, and show/mark."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safetykit.cli.app import run
from safetykit.content.checklist import load_checklist
from safetykit.core import checklist as core
from safetykit.errors import ExitStatus
from safetykit.flows.checklist import ChecklistFlow, run_checklist
from safetykit.flows.session import Session
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import create_vault, open_vault
from safetykit.ui.screen import Screen
from tests.doubles import HELP, INTERRUPT, Queue, ScriptedPrompter

CONTENT = load_checklist()
FIRST_CONTACT = CONTENT.items_in("contact")[0].id
SECOND_CONTACT = CONTENT.items_in("contact")[1].id
THIRD_CONTACT = CONTENT.items_in("contact")[2].id


def flow_session(answers: dict[str, object]) -> tuple[Session, ScriptedPrompter, io.StringIO]:
    out = io.StringIO()
    helped: list[int] = []
    prompter = ScriptedPrompter(answers, on_help=lambda: helped.append(1))
    return Session(default_paths(), Screen(plain=True, file=out), prompter), prompter, out


def stored() -> core.Progress:
    vault = open_vault(default_paths())
    assert vault is not None
    return core.Progress.from_state(vault.section("checklist"))


# -- pure logic --------------------------------------------------------------------------------


def test_behaviours_put_their_sections_first() -> None:
    order = [s.id for s in core.section_order(CONTENT, ["blackmail"])]
    assert order[0] == "blackmail"
    assert order[-1] == "letting-go"
    plain_order = [s.id for s in core.section_order(CONTENT, [])]
    assert plain_order == [s.id for s in CONTENT.sections]


@given(st.lists(st.sampled_from([b.id for b in CONTENT.behaviours]), unique=True))
def test_section_order_is_always_a_permutation(behaviours: list[str]) -> None:
    order = core.section_order(CONTENT, behaviours)
    assert sorted(s.id for s in order) == sorted(s.id for s in CONTENT.sections)


def test_walk_resumes_at_the_first_unanswered_item() -> None:
    progress = core.Progress(states={FIRST_CONTACT: "done", SECOND_CONTACT: "todo"})
    walk = [i.id for i in core.walk_from(CONTENT, progress, "contact")]
    assert walk[0] == THIRD_CONTACT
    assert walk[-1] == SECOND_CONTACT  # "not yet" comes back at the end
    assert FIRST_CONTACT not in walk


def test_summary_counts() -> None:
    progress = core.Progress(states={FIRST_CONTACT: "done", SECOND_CONTACT: "not_applicable"})
    s = core.summary(CONTENT, progress)
    assert (s["done"], s["not_applicable"], s["total"]) == (1, 1, len(CONTENT.items))
    assert s["todo"] == len(CONTENT.items) - 2


@pytest.mark.parametrize("raw", ["done", "DONE", "todo", "not_applicable", "n/a", "not-applicable"])
def test_parse_state_accepts(raw: str) -> None:
    assert core.parse_state(raw) in core.STATES


@given(st.text())
def test_progress_from_any_stored_junk_never_crashes(junk: str) -> None:
    progress = core.Progress.from_state({"items": {"a": junk}, "behaviours": junk, "phone": 3})
    core.summary(CONTENT, progress)


# -- the walk-through ---------------------------------------------------------------------------


def test_first_visit_asks_what_is_happening_then_saves_each_answer(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    session, prompter, out = flow_session(
        {
            "checklist.behaviours": ["calls-texts", "shows-up"],
            "checklist.section": Queue(["contact", "_leave"]),
            f"checklist.item.{FIRST_CONTACT}": "done",
            f"checklist.item.{SECOND_CONTACT}": "not_applicable",
            f"checklist.item.{THIRD_CONTACT}": "_back",
        }
    )
    run_checklist(session)
    progress = stored()
    assert progress.behaviours == ["calls-texts", "shows-up"]
    assert progress.states == {FIRST_CONTACT: "done", SECOND_CONTACT: "not_applicable"}
    assert prompter.remaining() == {}
    assert "None of this is your fault" in out.getvalue()


def test_ctrl_c_keeps_earlier_answers_and_records_nothing_for_it(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    session, _, _ = flow_session(
        {
            "checklist.behaviours": ["calls-texts"],
            "checklist.section": "contact",
            f"checklist.item.{FIRST_CONTACT}": "done",
            f"checklist.item.{SECOND_CONTACT}": INTERRUPT,
        }
    )
    with pytest.raises(KeyboardInterrupt):
        run_checklist(session)
    assert stored().states == {FIRST_CONTACT: "done"}


@pytest.mark.parametrize("where", ["checklist.behaviours", "checklist.section", "checklist.phone"])
def test_ctrl_c_at_each_kind_of_prompt(data_dir: Path, where: str) -> None:
    create_vault(default_paths(), "keyring")
    answers: dict[str, object] = {
        "checklist.behaviours": ["blackmail"],
        "checklist.section": Queue(["_platforms", "_leave"]),
        "checklist.phone": "android",
        "checklist.apps": ["instagram"],
    }
    answers[where] = INTERRUPT
    session, _, _ = flow_session(answers)
    with pytest.raises(KeyboardInterrupt):
        run_checklist(session)
    progress = stored()
    if where == "checklist.behaviours":
        assert not progress.behaviours_answered
    else:
        assert progress.behaviours == ["blackmail"]
    if where == "checklist.phone":
        assert progress.phone is None


def test_resume_starts_where_they_left_off(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    first, _, _ = flow_session(
        {
            "checklist.behaviours": [],
            "checklist.section": Queue(["contact", "_leave"]),
            f"checklist.item.{FIRST_CONTACT}": "done",
            f"checklist.item.{SECOND_CONTACT}": "_back",
        }
    )
    run_checklist(first)
    second, prompter, _ = flow_session(
        {
            "checklist.section": Queue(["contact", "_leave"]),
            f"checklist.item.{SECOND_CONTACT}": "todo",
            f"checklist.item.{THIRD_CONTACT}": "_back",
        }
    )
    run_checklist(second)
    asked = [qid for qid, _ in prompter.asked]
    assert "checklist.behaviours" not in asked  # remembered
    assert f"checklist.item.{FIRST_CONTACT}" not in asked  # done already: not asked again
    assert stored().states[SECOND_CONTACT] == "todo"


def test_show_me_how_asks_the_platform_once_and_shows_its_steps(data_dir: Path) -> None:
    item = next(i for i in CONTENT.items if any(k == "iphone" for k, _ in i.steps))
    create_vault(default_paths(), "keyring")
    session, prompter, out = flow_session(
        {
            "checklist.behaviours": [],
            "checklist.section": Queue([item.section, "_leave"]),
            "checklist.phone": "iphone",
            "checklist.apps": [],
            **{
                f"checklist.item.{i.id}": "_back"
                for i in core.walk_from(CONTENT, core.Progress(), item.section)
                if i.id != item.id
            },
            f"checklist.item.{item.id}": Queue(["_how", "_how", "done"]),
        }
    )
    vault = open_vault(default_paths())
    assert vault is not None
    flow = ChecklistFlow(session, vault, CONTENT)
    flow.ask_behaviours()
    flow.ask_item(item)
    iphone_steps = dict(item.steps)["iphone"]
    assert " ".join(iphone_steps[0].split()) in " ".join(out.getvalue().split())
    assert [q for q, _ in prompter.asked].count("checklist.phone") == 1
    assert stored().phone == "iphone"


def test_hotlines_from_an_item(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    helped: list[int] = []
    prompter = ScriptedPrompter(
        {f"checklist.item.{FIRST_CONTACT}": Queue([HELP, "done"])},
        on_help=lambda: helped.append(1),
    )
    session = Session(default_paths(), Screen(plain=True, file=io.StringIO()), prompter)
    vault = open_vault(default_paths())
    assert vault is not None
    ChecklistFlow(session, vault, CONTENT).ask_item(CONTENT.item(FIRST_CONTACT))
    assert helped == [1]
    assert stored().states == {FIRST_CONTACT: "done"}


def test_answers_are_not_in_the_file_in_plaintext(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    session, _, _ = flow_session(
        {
            "checklist.behaviours": ["blackmail", "self-harm-threats"],
            "checklist.section": Queue(["blackmail", "_leave"]),
            **{f"checklist.item.{i.id}": "done" for i in CONTENT.items_in("blackmail")},
        }
    )
    run_checklist(session)
    blob = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.is_file())
    for marker in (b"blackmail", b"self-harm", b"done", b"checklist"):
        assert marker not in blob


# -- scriptable surface ------------------------------------------------------------------------


def test_mark_then_show_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    create_vault(default_paths(), "keyring")
    assert run(["checklist", "mark", FIRST_CONTACT, "done"]) == 0
    assert run(["checklist", "mark", SECOND_CONTACT, "not_applicable"]) == 0
    capsys.readouterr()
    assert run(["checklist", "show", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == len(CONTENT.items)
    by_id = {r["id"]: r for r in rows}
    assert by_id[FIRST_CONTACT]["state"] == "done"
    assert by_id[SECOND_CONTACT]["state"] == "not_applicable"
    assert by_id[THIRD_CONTACT]["state"] == "todo"
    assert {"id", "section", "title", "state"} <= set(rows[0])


def test_mark_rejects_unknown_ids_and_states_and_changes_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_vault(default_paths(), "keyring")
    assert run(["checklist", "mark", FIRST_CONTACT, "done"]) == 0
    before = default_paths().vault.read_bytes()
    assert run(["checklist", "mark", "no.such-item", "done"]) == ExitStatus.USAGE
    assert run(["checklist", "mark", FIRST_CONTACT, "finished"]) == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert "no checklist item" in err.lower() and "not a state" in err
    assert default_paths().vault.read_bytes() == before


def test_a_script_never_sets_up_protection(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Marking with nothing set up says how to set up, and creates nothing (exit 11)."""
    assert run(["checklist", "mark", FIRST_CONTACT, "done"]) == ExitStatus.NOT_SET_UP
    err = " ".join(capsys.readouterr().err.split())
    assert "Nothing is set up here yet" in err and "safetykit protect --passphrase" in err
    assert not default_paths().vault.exists()


def test_show_on_paper(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    create_vault(default_paths(), "keyring")
    assert run(["checklist", "mark", FIRST_CONTACT, "done"]) == 0
    capsys.readouterr()
    assert run(["--plain", "checklist", "show"]) == 0
    out = capsys.readouterr().out
    assert f"[x] {CONTENT.item(FIRST_CONTACT).title}" in out
    assert CONTENT.sections[0].title in out
    assert "\x1b[" not in out


def test_status_counts_the_checklist(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    create_vault(default_paths(), "keyring")
    assert run(["checklist", "mark", FIRST_CONTACT, "done"]) == 0
    capsys.readouterr()
    assert run(["status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["checklist"]["done"] == 1
    assert report["checklist"]["total"] == len(CONTENT.items)


def test_interactive_checklist_needs_a_terminal(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run(["checklist"]) == ExitStatus.NOT_A_TERMINAL
    assert "checklist show" in capsys.readouterr().err
