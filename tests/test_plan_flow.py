"""The plan questionnaire with scripted answers, and ``plan export`` from the command line."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from safetykit.cli.app import run
from safetykit.content.plan import load_plan
from safetykit.errors import ExitStatus
from safetykit.flows.plan import run_plan
from safetykit.flows.session import Session
from safetykit.storage import sealed
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import create_vault, open_vault, write_state
from safetykit.ui.prompts import Option
from safetykit.ui.screen import Screen
from tests.doubles import HELP, INTERRUPT, Queue, ScriptedPrompter

BEHAVIOURS = "happening.behaviours"
CONTENT = load_plan()


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**12)


@pytest.fixture(autouse=True)
def home_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest's tmp_path lives in /tmp, a shared folder; a home there is treated as private."""
    monkeypatch.setenv("HOME", str(tmp_path))


def flow(answers: dict[str, object]) -> tuple[Session, ScriptedPrompter, io.StringIO]:
    out = io.StringIO()
    prompter = ScriptedPrompter(answers, on_help=lambda: None)
    return Session(default_paths(), Screen(plain=True, file=out), prompter), prompter, out


def stored_answers() -> dict[str, object]:
    vault = open_vault(default_paths())
    assert vault is not None
    return dict(vault.section("plan").get("answers", {}))


PEOPLE_ANSWERS: dict[str, object] = {
    "plan.section": Queue(["people", "_leave"]),
    "plan.people.trusted.name": Queue(["MARKER-Robin", ""]),
    "plan.people.trusted.contact": "555-0100",
    "plan.people.trusted.knows": "everything",
    "plan.people.code-word": "pineapple-MARKER",
    "plan.people.code-word-action": "",  # skipped
}


def test_answers_are_saved_and_skips_stay_empty(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    session, prompter, _ = flow(PEOPLE_ANSWERS)
    run_plan(session)
    answers = stored_answers()
    assert answers["people.trusted"] == [
        {"name": "MARKER-Robin", "contact": "555-0100", "knows": "everything"}
    ]
    assert answers["people.code-word"] == "pineapple-MARKER"
    assert "people.code-word-action" not in answers
    assert prompter.remaining() == {}


def test_resume_shows_answers_and_lets_them_change(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    run_plan(flow(PEOPLE_ANSWERS)[0])
    session, prompter, out = flow(
        {
            "plan.section": Queue(["people", "_leave"]),
            # The part lists its questions: look at one, change one, then go on from the first
            # one not answered (only that one is asked).
            "plan.part.people": Queue(["people.trusted", "people.code-word", "_next"]),
            "plan.people.trusted.keep": "keep",
            "plan.people.code-word": "mango",  # changed
            "plan.people.code-word-action": "call 911",
        }
    )
    run_plan(session)
    assert prompter.remaining() == {}
    assert [q for q, _ in prompter.asked].count("plan.people.code-word") == 1
    answers = stored_answers()
    assert answers["people.code-word"] == "mango"
    assert answers["people.code-word-action"] == "call 911"
    assert answers["people.trusted"][0]["name"] == "MARKER-Robin"  # type: ignore[index]
    assert "MARKER-Robin" in out.getvalue()  # shown for review


def test_ctrl_c_keeps_earlier_answers_and_nothing_for_the_interrupted_one(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    session, _, _ = flow(
        {
            "plan.section": "people",
            "plan.people.trusted.name": "Sam",
            "plan.people.trusted.contact": INTERRUPT,
        }
    )
    with pytest.raises(KeyboardInterrupt):
        run_plan(session)
    assert "people.trusted" not in stored_answers()


def test_lines_choice_and_checklist_questions(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    danger = CONTENT.section("danger")
    go_bag = CONTENT.question("danger.go-bag")
    answers: dict[str, object] = {"plan.section": Queue(["danger", "legal", "_leave"])}
    for q in danger.questions:
        if q.kind == "text":
            answers[f"plan.{q.id}"] = ""
        elif q.kind == "lines":
            answers[f"plan.{q.id}"] = Queue(["a copy at work", HELP, "one with my sister", ""])
        elif q.kind == "checklist":
            answers[f"plan.{q.id}"] = [go_bag.options[0].id, go_bag.options[2].id]
    for q in CONTENT.section("legal").questions:
        if q.kind == "choice":
            answers[f"plan.{q.id}"] = q.options[0].id
        elif q.kind == "people":
            answers[f"plan.{q.id}.name"] = ""
        elif q.kind == "lines":
            answers[f"plan.{q.id}"] = ""
        else:
            answers[f"plan.{q.id}"] = ""
    session, prompter, _ = flow(answers)
    run_plan(session)
    stored = stored_answers()
    assert stored["danger.go-bag"] == [go_bag.options[0].id, go_bag.options[2].id]
    assert stored["danger.order-copies"] == ["a copy at work", "one with my sister"]
    assert stored["legal.order"] == CONTENT.question("legal.order").options[0].id
    assert prompter.remaining() == {}


def checklist_part() -> dict[str, object]:
    vault = open_vault(default_paths())
    assert vault is not None
    return vault.section("checklist")


def test_what_is_happening_is_one_answer_for_the_checklist_and_the_plan(data_dir: Path) -> None:
    from safetykit.flows.checklist import run_checklist

    vault = create_vault(default_paths(), "keyring")
    vault.state["checklist"] = {"behaviours": ["calls-texts", "blackmail"],
                                "behaviours_answered": True}
    write_state(vault, vault.state)
    # The plan shows the checklist's answer, in the checklist's words, and changes it there.
    seen: list[list[str]] = []

    class Watching(ScriptedPrompter):
        def _ask_multiselect(
            self, qid: str, message: str, options: list[Option], default: list[str]
        ) -> list[str] | str:
            seen.append(list(default))
            assert options[0].label == "They keep calling or texting me"
            return super()._ask_multiselect(qid, message, options, default)

    prompter = Watching({
        "plan.section": Queue(["happening", "_leave"]),
        "plan.part.happening": Queue([BEHAVIOURS, "_parts"]),
        f"plan.{BEHAVIOURS}": ["shows-up"],
    }, on_help=lambda: None)
    run_plan(Session(default_paths(), Screen(plain=True, file=io.StringIO()), prompter))
    assert seen == [["calls-texts", "blackmail"]]
    assert checklist_part()["behaviours"] == ["shows-up"]
    assert BEHAVIOURS not in stored_answers()  # kept once, not twice
    # The checklist does not ask again, and shows the plan's change.
    session, prompter2, _ = flow({"checklist.section": "_leave"})
    run_checklist(session)
    assert "checklist.behaviours" not in [q for q, _ in prompter2.asked]


def test_an_answer_the_plan_kept_before_it_was_shared_is_not_lost(data_dir: Path) -> None:
    from safetykit.flows.plan_export import plan_answers

    vault = create_vault(default_paths(), "keyring")
    vault.state["plan"] = {"answers": {BEHAVIOURS: ["promises", "blame"]}}
    write_state(vault, vault.state)
    opened = open_vault(default_paths())
    assert opened is not None
    assert plan_answers(opened.state)[BEHAVIOURS] == ["promises", "blame"]
    # The checklist, asking for the first time, starts from it.
    from safetykit.flows.checklist import run_checklist

    defaults: list[list[str]] = []

    class Watching(ScriptedPrompter):
        def _ask_multiselect(
            self, qid: str, message: str, options: list[Option], default: list[str]
        ) -> list[str] | str:
            defaults.append(list(default))
            return super()._ask_multiselect(qid, message, options, default)

    prompter = Watching({"checklist.behaviours": ["promises", "blame", "calls-texts"],
                         "checklist.section": "_leave"}, on_help=lambda: None)
    run_checklist(Session(default_paths(), Screen(plain=True, file=io.StringIO()), prompter))
    assert defaults == [["promises", "blame"]]
    assert checklist_part()["behaviours"] == ["promises", "blame", "calls-texts"]
    assert BEHAVIOURS not in stored_answers()


def test_no_answer_in_plaintext_in_the_data_folder(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    run_plan(flow(PEOPLE_ANSWERS)[0])
    for path in data_dir.iterdir():
        assert b"MARKER" not in path.read_bytes()
        assert b"555-0100" not in path.read_bytes()


def test_export_from_the_questionnaire(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    create_vault(default_paths(), "keyring")
    run_plan(flow(PEOPLE_ANSWERS)[0])
    target = tmp_path / "home" / "mine.pdf"
    session, _, out = flow(
        {
            "plan.section": Queue(["_export", "_leave"]),
            "plan.export.format": "pdf",
            "export.path": str(target),
            "plan.export.protect": True,
            "plan.export.password": "tulip tomato river sky meadow",
            "plan.export.password_again": "tulip tomato river sky meadow",
        }
    )
    run_plan(session)
    said = " ".join(out.getvalue().split())
    assert "With a screen reader, the web page is easier" in said  # the PDF has no tags
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    reader = PdfReader(str(target))
    assert reader.is_encrypted
    reader.decrypt("tulip tomato river sky meadow")
    text = "".join(page.extract_text() for page in reader.pages)
    assert "MARKER-Robin" in text


def test_export_warns_about_synced_folders_and_lets_them_choose_again(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / "Dropbox").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    create_vault(default_paths(), "keyring")
    session, _, out = flow(
        {
            "plan.section": Queue(["_export", "_leave"]),
            "plan.export.format": "md",
            "export.path": Queue([str(home / "Dropbox" / "p.md"), str(home / "p.md")]),
            "export.shared": False,
        }
    )
    run_plan(session)
    assert "Dropbox" in out.getvalue()
    assert not (home / "Dropbox" / "p.md").exists()
    assert (home / "p.md").exists()


# -- the command line ---------------------------------------------------------------------------


def test_a_pdf_export_offers_the_web_page_for_screen_readers(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """fpdf2 cannot tag headings and lists, so the export says where a screen reader does better."""
    for fmt in ("pdf", "html"):
        target = tmp_path / f"plan.{fmt}"
        assert run(["plan", "export", "--blank", "--format", fmt, "--output", str(target)]) == 0
        said = " ".join(capsys.readouterr().out.split())
        assert ("'safetykit plan export --format html'" in said) == (fmt == "pdf"), said


def test_blank_export_stores_nothing(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["plan", "export"]) == 0
    out = capsys.readouterr().out
    for section in CONTENT.sections:
        assert section.title in out
    assert "1-800-799-7233" in out
    assert not data_dir.exists()


def test_export_html_file_is_private_and_filled(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_vault(default_paths(), "keyring")
    run_plan(flow(PEOPLE_ANSWERS)[0])
    target = tmp_path / "out" / "x.html"
    target.parent.mkdir()
    assert run(["plan", "export", "--format", "html", "--output", str(target)]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "MARKER-Robin" in target.read_text()
    # A file already there is never replaced without saying so: a script needs --force.
    blank = ["plan", "export", "--format", "html", "--output", str(target), "--blank"]
    assert run(blank) == ExitStatus.BAD_INPUT
    assert "already exists" in capsys.readouterr().err
    assert "MARKER-Robin" in target.read_text()
    assert run([*blank, "--force"]) == 0
    assert "MARKER-Robin" not in target.read_text()


def test_export_protected_pdf_with_a_piped_password(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("tulip tomato river sky meadow\n"))
    target = tmp_path / "p.pdf"
    assert run(["plan", "export", "--format", "pdf", "--output", str(target), "--protect"]) == 0
    reader = PdfReader(str(target))
    assert reader.is_encrypted
    assert reader.decrypt("wrong") == 0
    assert reader.decrypt("tulip tomato river sky meadow") != 0


def test_default_file_name_is_neutral(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["plan", "export", "--format", "html"]) == 0
    (written,) = [p for p in tmp_path.iterdir() if p.suffix == ".html"]
    assert "safety" not in written.name and "plan" not in written.name


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["plan", "export", "--format", "docx"], ExitStatus.USAGE),
        (["plan", "export", "--format", "md", "--protect"], ExitStatus.BAD_INPUT),
    ],
)
def test_export_bad_options(args: list[str], code: int, data_dir: Path) -> None:
    assert run(args) == code


def test_export_into_a_synced_folder_is_refused_in_scripts(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    target = tmp_path / "OneDrive" / "p.md"
    target.parent.mkdir()
    assert run(["plan", "export", "--output", str(target)]) == ExitStatus.BAD_INPUT
    assert "OneDrive" in capsys.readouterr().err
    assert not target.exists()
    assert run(["plan", "export", "--output", str(target), "--allow-synced"]) == 0
    assert target.exists()


def test_status_counts_the_plan(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    create_vault(default_paths(), "keyring")
    run_plan(flow(PEOPLE_ANSWERS)[0])
    capsys.readouterr()
    assert run(["status", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)["plan"]
    assert plan["answered"] == 2
    assert plan["total"] == len(list(CONTENT.questions()))


def test_a_missing_folder_is_found_before_any_password_is_read(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    piped = io.StringIO("tulip tomato river sky meadow\n")
    monkeypatch.setattr("sys.stdin", piped)
    target = tmp_path / "missing" / "plan.pdf"
    code = run(["plan", "export", "--format", "pdf", "--output", str(target), "--protect"])
    assert code == ExitStatus.BAD_INPUT
    assert "that folder does not exist" in capsys.readouterr().err
    assert piped.tell() == 0  # the password was never read


class Defaults(ScriptedPrompter):
    """Also records the choice each menu suggested."""

    def __init__(self, answers: dict[str, object]) -> None:
        super().__init__(answers, on_help=lambda: None)
        self.defaults: list[tuple[str, object]] = []

    def _ask_select(
        self, qid: str, message: str, options: list[Option], default: str | None
    ) -> str:
        self.defaults.append((qid, default))
        return super()._ask_select(qid, message, options, default)


def test_after_a_part_the_next_part_not_yet_opened_is_suggested(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    answers = {**PEOPLE_ANSWERS, "plan.section": Queue(["people", "_leave"])}
    prompter = Defaults(answers)
    run_plan(Session(default_paths(), Screen(plain=True, file=io.StringIO()), prompter))
    parts = [d for q, d in prompter.defaults if q == "plan.section"]
    order = [s.id for s in CONTENT.sections if s.questions]
    assert parts[0] == order[0]  # nothing opened yet: the first part
    assert parts[1] == order[order.index("people") + 1]  # not back to an earlier part


def test_list_answers_are_changed_or_removed_one_at_a_time_and_only_when_confirmed(
    data_dir: Path,
) -> None:
    create_vault(default_paths(), "keyring")
    worries = CONTENT.question("happening.worries")
    run_plan(flow({
        "plan.section": Queue(["happening", "_leave"]),
        "plan.happening.behaviours": [],
        "plan.happening.notes": "",
        "plan.happening.worries": Queue(["him at the gym", "my car", "the kids' school", ""]),
        "plan.offer_log": False,
    })[0])
    assert stored_answers()["happening.worries"] == ["him at the gym", "my car", "the kids' school"]
    session, prompter, out = flow({
        "plan.section": Queue(["happening", "_leave"]),
        "plan.part.happening": Queue([worries.id, worries.id, "_parts"]),
        "plan.happening.worries.keep": Queue(["change", "remove", "clear", "remove", "keep",
                                              "keep"]),
        "plan.happening.worries.pick": Queue(["0", "1", "1"]),
        "plan.happening.worries": "him outside class",
        "plan.happening.worries.remove": Queue([False, False, True]),
    })
    run_plan(session)
    assert prompter.remaining() == {}
    assert stored_answers()["happening.worries"] == ["him outside class", "the kids' school"]
    said = " ".join(out.getvalue().split())
    assert said.count("Nothing was removed.") == 2


def test_changing_a_person_keeps_what_is_not_retyped(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")
    run_plan(flow(PEOPLE_ANSWERS)[0])
    session, _, _ = flow({
        "plan.section": Queue(["people", "_leave"]),
        "plan.part.people": Queue(["people.trusted", "_parts"]),
        "plan.people.trusted.keep": Queue(["change", "keep"]),
        "plan.people.trusted.pick": "0",
        "plan.people.trusted.name": "Robin (sister)",
        "plan.people.trusted.contact": "555-0100",
        "plan.people.trusted.knows": "everything, and the code word",
    })
    run_plan(session)
    assert stored_answers()["people.trusted"] == [
        {"name": "Robin (sister)", "contact": "555-0100", "knows": "everything, and the code word"}
    ]
