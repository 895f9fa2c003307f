"""The iPhone check's walk-through, with scripted answers: each step, the summary, and the offer
to write what was found in the incident log (and nothing else stored)."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest

from safetykit.content.iphone import load_iphone
from safetykit.core.log import Entry, LogState
from safetykit.flows.device_iphone import run_iphone_check
from safetykit.flows.session import Session
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import create_vault, open_vault, read_sealed
from safetykit.ui.screen import Screen
from tests.doubles import HELP, INTERRUPT, ScriptedPrompter

STEPS = [s.id for s in load_iphone().steps]


@pytest.fixture
def vault_ready(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")


def flow(answers: dict[str, object]) -> tuple[Session, ScriptedPrompter, io.StringIO, list[int]]:
    out = io.StringIO()
    helped: list[int] = []
    prompter = ScriptedPrompter(answers, on_help=lambda: helped.append(1))
    return Session(default_paths(), Screen(plain=True, file=out), prompter), prompter, out, helped


def every_step(answer: str, **others: str) -> dict[str, object]:
    return {f"iphone.step.{step}": others.get(step.replace("-", "_"), answer) for step in STEPS}


def said(out: io.StringIO) -> str:
    return " ".join(out.getvalue().split())


def entries() -> list[Entry]:
    vault = open_vault(default_paths())
    return [] if vault is None else list(vault.read(LogState).entries)


def test_every_step_is_shown_with_its_caution_and_nothing_found_stores_nothing(
    data_dir: Path,
) -> None:
    session, prompter, out, _ = flow({"iphone.start": "start", **every_step("done")})
    run_iphone_check(session)
    text = said(out)
    for step in load_iphone().steps:
        assert step.title in text
        assert " ".join(step.caution.split()) in text
    assert "Step 1 of 7" in text and "Step 7 of 7" in text
    assert "did not mark anything as found" in text and "no check proves a phone is clean" in text
    assert [qid for qid, _ in prompter.asked if qid == "iphone.log"] == []
    assert not prompter.remaining()
    assert read_sealed(default_paths()) is None  # no vault was even made


def test_each_caution_comes_before_the_steps_it_is_about(data_dir: Path) -> None:
    session, _, out, _ = flow({"iphone.start": "start", **every_step("done")})
    run_iphone_check(session)
    text = said(out)
    for step in load_iphone().steps:
        caution = text.index("Before you do this: " + " ".join(step.caution.split()))
        assert caution < text.index(" ".join(step.steps[0].split()), caution)


def test_what_was_found_is_summed_up_and_written_as_one_log_entry(vault_ready: None) -> None:
    session, prompter, out, _ = flow({
        "iphone.start": "start",
        **every_step("skip", profiles="found", account_devices="found", safety_check="done"),
        "iphone.note.profiles": "MARKER-profile 'Family Helper'",
        "iphone.note.account-devices": "",
        "iphone.log": True,
        "iphone.log.attach": False,
    })
    run_iphone_check(session)
    assert not prompter.remaining()
    text = said(out)
    check = load_iphone()
    profiles, devices = check.step("profiles"), check.step("account-devices")
    assert " ".join(profiles.if_found.split()) in text  # what it can mean, once found
    assert "What you found" in text
    assert f"{profiles.found}: MARKER-profile 'Family Helper'" in text
    assert "Saved as entry 1" in text
    (entry,) = entries()
    fields = entry.fields
    assert fields["kind"] == "account-tracking"
    assert fields["occurred_at"] == datetime.date.today().isoformat()
    assert fields["summary"] == "iPhone check: 2 things found"
    assert profiles.found in fields["what_happened"] and devices.found in fields["what_happened"]
    assert "MARKER-profile" in fields["what_happened"]
    # Only what was found: not the steps done or skipped, nothing private.
    assert check.step("safety-check").found not in fields["what_happened"]
    assert check.step("passcode").found not in fields["what_happened"]
    assert fields["effect"] == "" and fields["private_note"] == ""
    assert fields["technology"] == "iPhone"


def test_saying_no_to_the_log_stores_nothing(data_dir: Path) -> None:
    session, prompter, out, _ = flow({
        "iphone.start": "start",
        **every_step("done", passcode="found"),
        "iphone.note.passcode": "MARKER-note",
        "iphone.log": False,
    })
    run_iphone_check(session)
    assert not prompter.remaining()
    assert read_sealed(default_paths()) is None
    assert "Nothing from this check was stored" in said(out)


def test_with_no_saved_data_the_log_offer_asks_how_to_protect_it(data_dir: Path) -> None:
    session, prompter, out, _ = flow({
        "iphone.start": "start",
        **every_step("done", apps_jailbreak="found"),
        "iphone.note.apps-jailbreak": "",
        "iphone.log": True,
        "setup.protection": "none",
    })
    run_iphone_check(session)
    assert not prompter.remaining()
    assert read_sealed(default_paths()) is None
    assert "Nothing was stored." in said(out)


def test_stopping_part_way_shows_the_summary_and_asks_no_more(vault_ready: None) -> None:
    session, prompter, out, _ = flow({
        "iphone.start": "start",
        f"iphone.step.{STEPS[0]}": "found",
        f"iphone.note.{STEPS[0]}": "",
        f"iphone.step.{STEPS[1]}": "stop",
        "iphone.log": False,
    })
    run_iphone_check(session)
    asked = [qid for qid, _ in prompter.asked]
    assert f"iphone.step.{STEPS[2]}" not in asked
    assert "What you found" in said(out)
    assert entries() == []


def test_not_now_leaves_at_once(data_dir: Path) -> None:
    session, prompter, out, _ = flow({"iphone.start": "leave"})
    run_iphone_check(session)
    assert [qid for qid, _ in prompter.asked] == ["iphone.start"]
    assert "Nothing was stored" in said(out)


def test_the_hotlines_are_one_key_away_at_every_step(data_dir: Path) -> None:
    from tests.doubles import Queue

    answers = every_step("done")
    answers[f"iphone.step.{STEPS[3]}"] = Queue([HELP, "done"])
    session, prompter, _, helped = flow({"iphone.start": Queue([HELP, "start"]), **answers})
    run_iphone_check(session)
    assert helped == [1, 1]
    assert not prompter.remaining()


def test_question_ids_and_answers_are_english_ids(data_dir: Path) -> None:
    session, prompter, out, _ = flow({"iphone.start": "start", **every_step("skip")})
    run_iphone_check(session)
    assert all(qid.startswith("iphone.") and qid.isascii() for qid, _ in prompter.asked)
    assert "0 steps looked at; 7 skipped" in said(out)


def test_ctrl_c_is_never_an_answer(data_dir: Path) -> None:
    session, _, _, _ = flow({"iphone.start": "start", f"iphone.step.{STEPS[0]}": INTERRUPT})
    with pytest.raises(KeyboardInterrupt):
        run_iphone_check(session)
    assert read_sealed(default_paths()) is None
