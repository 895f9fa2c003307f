"""``safetykit log``: the walk-through (scripted answers) and the commands for scripts."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from typing import Any

import pytest

from safetykit.cli.app import run
from safetykit.content.log import load_log
from safetykit.core.log import LogState
from safetykit.errors import ExitStatus
from safetykit.flows.log import LogFlow, run_log
from safetykit.flows.session import Session
from safetykit.storage import schema
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import create_vault, open_vault
from safetykit.ui.screen import Screen
from tests.doubles import INTERRUPT, Queue, ScriptedPrompter

ENTRY = {
    "occurred_at": "2026-03-03T21:15:00-05:00",
    "kind": "call",
    "what_happened": "MARKER-called twelve times; said 'you will regret this'.",
    "location": "home",
    "witnesses": [{"name": "Ana", "contact": "555-0100"}],
    "police": {"called": False},
    "effect": "MARKER-private could not sleep",
}


@pytest.fixture
def vault_ready(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")


def flow(answers: dict[str, object]) -> tuple[Session, ScriptedPrompter, io.StringIO]:
    out = io.StringIO()
    prompter = ScriptedPrompter(answers, on_help=lambda: None)
    return Session(default_paths(), Screen(plain=True, file=out), prompter), prompter, out


def stored() -> LogState:
    vault = open_vault(default_paths())
    assert vault is not None
    return vault.read(LogState)


def add_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
             entry: object) -> tuple[int, Any]:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(entry)))
    code = run(["log", "add", "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if code == 0 else None


# ── the walk-through ──────────────────────────────────────────────────────────────────────────

ESSENTIALS: dict[str, object] = {
    "log.day": "2026-03-03",
    "log.time": "21:15",
    "log.exact": True,
    "log.kind": "showed-up",
    "log.what_happened": "Waited outside my class, MARKER-walk",
    "log.location": "campus library",
}


def test_the_notice_comes_before_the_first_entry_and_the_essentials_are_saved(
    vault_ready: None,
) -> None:
    session, _, out = flow({
        "log.menu": Queue(["add", "leave"]),
        **ESSENTIALS,
        "log.more": "done",
    })
    run_log(session)
    said = " ".join(out.getvalue().split())
    assert "other side may be allowed to read it" in said
    assert said.index("Before the first entry") < said.index("Saved as entry 1")
    (entry,) = stored().entries
    assert entry.fields["kind"] == "showed-up"
    assert entry.fields["location"] == "campus library"
    assert entry.fields["occurred_at"].startswith("2026-03-03T21:15:00")
    assert stored().notice_seen
    # The second time, no notice.
    session, _, out = flow({"log.menu": "leave"})
    run_log(session)
    assert "Before the first entry" not in out.getvalue()


def test_details_complete_the_first_writing_without_marking_it_changed(vault_ready: None) -> None:
    session, prompter, _ = flow({
        "log.menu": Queue(["add", "leave"]),
        **ESSENTIALS,
        "log.more": "more",
        "log.summary": "Waited outside class",
        "log.platform": "",
        "log.sender": "",
        "log.their_words": "I just want to talk",
        "log.witness.name": Queue(["Jo", ""]),
        "log.witness.contact": "jo@example.org",
        "log.others_present": "",
        "log.police": "yes",
        "log.police.agency": "Campus police",
        "log.police.officer": "",
        "log.police.badge": "",
        "log.police.report_number": "C-118",
        "log.order": "no",
        "log.actions": ["Told my school or work"],
        "log.actions.other": "",
        "log.originals_kept_at": "",
        "log.vehicle": "grey car",
        "log.technology": "",
        "log.tags": "campus, waiting",
        "log.effect": "shaken",
        "log.private_note": "",
        "log.attach_now": False,
    })
    run_log(session)
    assert not prompter.remaining()
    (entry,) = stored().entries
    assert len(entry.versions) == 1 and entry.edited_at is None
    f = entry.fields
    assert f["summary"] == "Waited outside class"
    assert f["witnesses"] == [{"name": "Jo", "contact": "jo@example.org"}]
    assert f["police"]["called"] is True and f["police"]["report_number"] == "C-118"
    assert f["protective_order"]["in_place"] is False
    assert f["tags"] == ["campus", "waiting"] and f["effect"] == "shaken"


def test_about_then_with_a_note(vault_ready: None) -> None:
    session, _, _ = flow({
        "log.menu": Queue(["add", "leave"]),
        **{**ESSENTIALS, "log.time": "", "log.exact": False},
        "log.when_note": "evening of 3 March",
        "log.more": "done",
    })
    run_log(session)
    (entry,) = stored().entries
    assert entry.fields["occurred_at"] == "2026-03-03"
    assert entry.fields["approximate"] is True
    assert entry.fields["when_note"] == "evening of 3 March"


def test_a_day_in_the_future_or_a_bad_time_is_asked_again(vault_ready: None) -> None:
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    session, _, out = flow({
        "log.menu": Queue(["add", "leave"]),
        **ESSENTIALS,
        "log.day": Queue([future, "03/03/2026", "yesterday"]),
        "log.time": Queue(["9pm", ""]),
        "log.more": "done",
    })
    run_log(session)
    said = out.getvalue()
    assert "has not come yet" in said and "like 2026-03-03" in said and "like 21:15" in said
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    assert stored().entries[0].fields["occurred_at"] == yesterday


def test_changing_an_entry_keeps_the_first_wording_and_says_it_changed(
    vault_ready: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add_json(monkeypatch, capsys, ENTRY)
    session, _, out = flow({
        "log.menu": Queue(["browse", "leave"]),
        "log.entry": Queue(["1", "_back"]),
        "log.entry.action": Queue(["change", "back"]),
        "log.change": "where",
        "log.location": "outside my building",
    })
    run_log(session)
    (entry,) = stored().entries
    assert [v.fields["location"] for v in entry.versions] == ["home", "outside my building"]
    assert "Saved as a new version" in out.getvalue()
    assert "Changed:" in out.getvalue() or entry.edited_at is not None


def test_removing_asks_and_no_keeps_it(vault_ready: None, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    add_json(monkeypatch, capsys, ENTRY)
    session, _, out = flow({
        "log.menu": Queue(["browse", "browse", "leave"]),
        "log.entry": Queue(["1", "_back", "1"]),
        "log.entry.action": Queue(["remove", "back", "remove"]),
        "log.remove": Queue([False, True]),
    })
    run_log(session)
    assert "Nothing was removed." in out.getvalue()
    assert stored().entries == []
    assert stored().next_number == 2


def test_ctrl_c_after_the_essentials_keeps_the_entry(vault_ready: None) -> None:
    session, _, _ = flow({"log.menu": "add", **ESSENTIALS, "log.more": INTERRUPT})
    with pytest.raises(KeyboardInterrupt):
        run_log(session)
    assert len(stored().entries) == 1


def test_nothing_in_plaintext_on_disk(vault_ready: None, data_dir: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    add_json(monkeypatch, capsys, ENTRY)
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert b"MARKER" not in path.read_bytes()


# ── commands ──────────────────────────────────────────────────────────────────────────────────


def test_add_json_then_list_and_show(vault_ready: None, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, row = add_json(monkeypatch, capsys, ENTRY)
    assert code == 0 and row["id"] == 1 and row["kind"] == "call"
    assert run(["log", "list", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert set(listed) == {"id", "occurred_at", "approximate", "recorded_at", "edited_at",
                           "kind", "location", "summary", "attachments"}
    assert listed["occurred_at"] == "2026-03-03T21:15:00-05:00" and listed["edited_at"] is None
    assert run(["log", "show", "1", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["witnesses"] == [{"name": "Ana", "contact": "555-0100"}]
    assert shown["versions"][0]["saved_at"] == shown["recorded_at"]
    assert run(["log", "list"]) == 0
    assert "No. 1 · 2026-03-03 21:15 · Phone call or voicemail" in capsys.readouterr().out
    assert run(["log", "show", "1"]) == 0
    assert "Witnesses:" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("given", "status"),
    [
        ("not json", ExitStatus.BAD_INPUT),
        (json.dumps([ENTRY]), ExitStatus.BAD_INPUT),
        (json.dumps({**ENTRY, "colour": "red"}), ExitStatus.BAD_INPUT),
        (json.dumps({**ENTRY, "occurred_at": "soon"}), ExitStatus.BAD_INPUT),
        ("{" + " " * (1024 * 1024 + 10) + "}", ExitStatus.BAD_INPUT),
    ],
)
def test_a_bad_entry_changes_nothing(vault_ready: None, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str], given: str,
                                     status: int) -> None:
    before = default_paths().vault.read_bytes()
    monkeypatch.setattr("sys.stdin", io.StringIO(given))
    assert run(["log", "add", "--json"]) == status
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()
    assert default_paths().vault.read_bytes() == before


def test_nothing_set_up_and_no_text_in_arguments(data_dir: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(ENTRY)))
    assert run(["log", "add", "--json"]) == ExitStatus.NOT_SET_UP
    assert run(["log", "add", "--what", "x"]) == ExitStatus.USAGE
    assert not default_paths().vault.exists()


def test_remove_needs_yes_from_a_script(vault_ready: None, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    add_json(monkeypatch, capsys, ENTRY)
    assert run(["log", "remove", "1"]) == ExitStatus.NOT_A_TERMINAL
    assert len(stored().entries) == 1
    assert run(["log", "remove", "1", "--yes"]) == 0
    assert stored().entries == []
    assert run(["log", "remove", "1", "--yes"]) == ExitStatus.BAD_INPUT
    assert run(["log", "show", "seven"]) == ExitStatus.USAGE


def test_status_counts_the_log(vault_ready: None, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    add_json(monkeypatch, capsys, ENTRY)
    add_json(monkeypatch, capsys, {**ENTRY, "kind": "message"})
    assert run(["status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["log"]["entries"] == 2 and report["log"]["attachments"] == 0


# ── where the log is offered ──────────────────────────────────────────────────────────────────


def test_the_start_menu_the_checklist_and_the_plan_offer_the_log(vault_ready: None) -> None:
    from safetykit.flows.checklist import run_checklist
    from safetykit.flows.home import run_home

    session, prompter, _ = flow({"home": Queue(["log", "leave"]), "log.menu": "leave"})
    run_home(session)
    assert "log.menu" in [q for q, _ in prompter.asked]

    session, prompter, _ = flow({
        "checklist.behaviours": [],
        "checklist.section": Queue(["contact", "_leave"]),
        "checklist.item.contact.save-evidence": Queue(["_log", "_back"]),
        "log.day": "2026-03-03", "log.time": "", "log.exact": True, "log.kind": "message",
        "log.what_happened": "texts all night", "log.location": "", "log.more": "done",
    })
    run_checklist(session)
    assert len(stored().entries) == 1

    from safetykit.flows.plan import run_plan

    session, prompter, _ = flow({
        "plan.section": Queue(["happening", "_leave"]),
        "plan.happening.behaviours": [],
        "plan.happening.notes": "",
        "plan.happening.worries": "",
        "plan.offer_log": False,
    })
    run_plan(session)
    assert ("plan.offer_log", "Open the incident log now?") in prompter.asked


def test_a_schema_1_vault_gains_an_empty_log(data_dir: Path) -> None:
    assert schema.migrate({"schema": 1, "checklist": {}, "plan": {}, "passwords": {}}) == {
        "schema": 2, "checklist": {}, "plan": {}, "passwords": {}, "log": {}, "device": {},
    }


def test_the_flow_uses_content_labels_for_kinds(vault_ready: None) -> None:
    vault = open_vault(default_paths())
    assert vault is not None
    session, prompter, _ = flow({**ESSENTIALS, "log.more": "done"})
    LogFlow(session, vault, load_log()).add()
    kind_question = next(m for q, m in prompter.asked if q == "log.kind")
    assert kind_question == "What kind of thing happened?"


# ── attachments ───────────────────────────────────────────────────────────────────────────────


def test_attach_keeps_an_exact_encrypted_copy_and_records_its_fingerprint(
    vault_ready: None, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import hashlib

    from safetykit.storage import attachments

    add_json(monkeypatch, capsys, ENTRY)
    shot = tmp_path / "Screenshot 2026-03-03 at 21.16.png"
    data = b"\x89PNG MARKER-picture " + bytes(range(256)) * 100
    shot.write_bytes(data)
    assert run(["log", "attach", "1", str(shot), "--note", "shows their number"]) == 0
    out = capsys.readouterr()
    digest = hashlib.sha256(data).hexdigest()
    assert digest in out.out and "Snapchat" in out.err
    (record,) = stored().entries[0].attachments
    assert (record.name, record.size, record.sha256, record.type, record.note) == (
        shot.name, len(data), digest, "image/png", "shows their number"
    )
    assert attachments.verify(default_paths(), record.blob, record.key, digest, len(data)) is None
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert b"MARKER" not in path.read_bytes()
            assert path.stat().st_mode & 0o077 == 0
    assert shot.read_bytes() == data  # the original is untouched
    assert run(["log", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["attachments"] == 1
    assert run(["log", "show", "1", "--json"]) == 0
    shown = capsys.readouterr().out
    assert record.key not in shown and record.blob not in shown


def test_attach_refuses_what_cannot_be_kept(vault_ready: None, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    add_json(monkeypatch, capsys, ENTRY)
    assert run(["log", "attach", "1", str(tmp_path / "none.png")]) == ExitStatus.BAD_INPUT
    assert run(["log", "attach", "1", str(tmp_path)]) == ExitStatus.BAD_INPUT
    real = tmp_path / "a.txt"
    real.write_text("x")
    assert run(["log", "attach", "9", str(real)]) == ExitStatus.BAD_INPUT
    assert stored().entries[0].attachments == []


def test_removing_an_entry_removes_its_files(vault_ready: None, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from safetykit.storage import attachments

    add_json(monkeypatch, capsys, ENTRY)
    (tmp_path / "v.m4a").write_bytes(b"voice" * 1000)
    assert run(["log", "attach", "1", str(tmp_path / "v.m4a")]) == 0
    assert len(attachments.all_files(default_paths())) == 1
    assert run(["log", "remove", "1", "--yes"]) == 0
    assert attachments.all_files(default_paths()) == []


def test_a_file_left_by_a_crash_is_tidied_but_an_earlier_copys_files_are_kept(
    vault_ready: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from safetykit.flows.log_commands import referenced_files
    from safetykit.storage import attachments

    add_json(monkeypatch, capsys, ENTRY)
    (tmp_path / "a.jpg").write_bytes(b"a" * 5000)
    assert run(["log", "attach", "1", str(tmp_path / "a.jpg")]) == 0
    kept = stored().entries[0].attachments[0].blob
    orphan = attachments.store(default_paths(), tmp_path / "a.jpg")  # copied in, never saved
    # Put back the copy from before the file was attached: the file is now named only there.
    assert run(["restore", "--yes"]) == 0
    assert stored().entries[0].attachments == []
    vault = open_vault(default_paths())
    assert vault is not None
    referenced = referenced_files(vault)
    assert kept in referenced and orphan.blob not in referenced
    assert attachments.sweep(default_paths(), referenced, older_than=0.0) == 1
    names = {p.name for p in attachments.all_files(default_paths())}
    assert names == {kept}
    assert run(["restore", "--yes"]) == 0  # and undoing the restore finds its file
    (record,) = stored().entries[0].attachments
    assert attachments.verify(default_paths(), record.blob, record.key, record.sha256,
                              record.size) is None


def test_attach_in_the_walk_through(vault_ready: None, tmp_path: Path) -> None:
    (tmp_path / "shot.png").write_bytes(b"png" * 100)
    session, _, out = flow({
        "log.menu": Queue(["add", "leave"]),
        **ESSENTIALS,
        "log.more": "file",
        "log.attach.path": Queue([str(tmp_path / "missing.png"), f"'{tmp_path / 'shot.png'}'"]),
        "log.attach.note": "whole thread",
        "log.attach.another": False,
    })
    run_log(session)
    said = " ".join(out.getvalue().split())
    assert "There is no file there" in said and "Kept an exact copy of shot.png" in said
    assert stored().entries[0].attachments[0].note == "whole thread"
