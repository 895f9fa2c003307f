"""Issue 16, the wording a person notices: each point checked where it is said (the screens
themselves are read in tests/test_wording_e2e.py), and the new-account steps of the social
media walk-throughs in ``safetykit passwords``."""

from __future__ import annotations

import copy
import datetime
import io
import re
from pathlib import Path
from typing import Any

import pytest

from safetykit.content import _files
from safetykit.content._files import ContentError
from safetykit.content.accounts import ACCOUNTS_FILE, account_kind, parse_catalogue
from safetykit.content.checklist import load_checklist
from safetykit.content.plan import PLAN_FILE, Question, load_plan, parse_plan
from safetykit.core.plan import Field, PlanState, build_document, is_asked, progress
from safetykit.core.tech_summary import tech_summary
from safetykit.flows import terminal as terminal_module
from safetykit.flows.checklist import ChecklistFlow
from safetykit.flows.log_commands import size_phrase
from safetykit.flows.password_commands import offer_to_delete, order_lines
from safetykit.flows.passwords import (
    PasswordsFlow,
    add_accounts,
    checklist_pointers,
    keep_made_password,
    run_passwords,
    set_answer,
)
from safetykit.flows.plan import run_plan
from safetykit.flows.session import Session
from safetykit.flows.terminal import Terminal
from safetykit.passwords.records import RISK_WORDS, AccountRecord, PasswordsState
from safetykit.storage import sealed
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import Vault, create_vault
from safetykit.ui.prompts import Option, PlainPrompter, QuestionaryPrompter
from safetykit.ui.screen import Screen
from tests.doubles import Queue, ScriptedPrompter

SOURCE = Path(__file__).resolve().parents[1] / "safetykit"
PASSPHRASE = "maple ribbon quartz lantern bison"
SOCIAL = ("instagram", "facebook", "tiktok", "snapchat", "x_twitter")


class Recording(ScriptedPrompter):
    """A scripted prompter that also keeps the labels each list question offered."""

    def __init__(self, answers: dict[str, object]) -> None:
        super().__init__(answers, on_help=lambda: None)
        self.offered: dict[str, list[str]] = {}
        self.prefilled: dict[str, str] = {}

    def _ask_select(
        self, qid: str, message: str, options: list[Option], default: str | None
    ) -> str:
        self.offered[qid] = [o.label for o in options]
        return super()._ask_select(qid, message, options, default)

    def _ask_text(self, qid: str, message: str, default: str) -> str:
        self.prefilled[qid] = default
        return super()._ask_text(qid, message, default)


def session(answers: dict[str, object]) -> tuple[Session, Recording, io.StringIO]:
    """A session whose screen and notices both write to ``out``."""
    out = io.StringIO()
    prompter = Recording(answers)
    screen = Screen(plain=True, file=out)
    return Session(default_paths(), screen, prompter, notices=screen), prompter, out


def said(out: io.StringIO) -> str:
    return " ".join(out.getvalue().split())


def asked(prompter: Recording, qid: str) -> list[str]:
    return [message for question, message in prompter.asked if question == qid]


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**12)


@pytest.fixture(autouse=True)
def home_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest's tmp_path lives in /tmp, a shared folder; a home there is treated as private."""
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture
def vault(data_dir: Path) -> Vault:
    return create_vault(default_paths(), "keyring")


def with_accounts(vault: Vault, *kinds: str) -> list[AccountRecord]:
    records = [AccountRecord.new(account_kind(k).name, k) for k in kinds]
    add_accounts(vault, records)
    return records


def plan_answers(vault: Vault, answers: dict[str, Any]) -> None:
    content = load_plan()
    for question_id, value in answers.items():
        question = content.question(question_id)

        def change(plan: PlanState, q: Question = question, v: Any = value) -> None:
            plan.set_answer(q, v)

        vault.update(PlanState, change)


# ── a break before "You wrote:" on list questions ─────────────────────────────────────────


def test_a_list_answer_is_set_apart_from_the_questions_before_it(vault: Vault) -> None:
    plan_answers(vault, {"people.trusted": [{"name": "Maya", "contact": "555", "knows": "all"}]})
    run, _, out = session({
        "plan.section": Queue(["people", "_leave"]),
        "plan.part.people": Queue(["people.trusted", "_parts"]),
        "plan.people.trusted.keep": Queue(["change", "keep"]),
        "plan.people.trusted.pick": "0",
        "plan.people.trusted.name": "Maya",
        "plan.people.trusted.contact": "555 0100",
        "plan.people.trusted.knows": "all",
    })
    run_plan(run)
    lines = out.getvalue().splitlines()
    shown = [n for n, line in enumerate(lines) if line == "You wrote:"]
    assert len(shown) == 2
    for n in shown:  # the question on its own line, then "You wrote:", never run together
        assert lines[n - 1] == "Who I can turn to"
    assert lines[shown[1] - 2] == ""  # after the change, a blank line first
    assert "Who I can turn to. You wrote:" not in out.getvalue()


# ── "Neither" only when there are two others ──────────────────────────────────────────────


def new_password_choices(vault: Vault) -> list[str]:
    (record,) = with_accounts(vault, "instagram")
    run, prompter, _ = session({"passwords.new.style": "passphrase", "passwords.new.where": "drop"})
    flow = PasswordsFlow(run, vault)
    flow.offer_new_password(record, record.kind_or_other())
    return prompter.offered["passwords.new.where"]


def test_neither_when_the_other_choices_are_two(vault: Vault) -> None:
    choices = new_password_choices(vault)  # a keyring vault: show it, or keep it
    assert choices[:3] == [
        "Show it on screen now",
        "Keep it in safetykit, encrypted with your data, for later",
        "Neither: I will make my own",
    ]


def test_none_of_these_when_the_other_choices_are_three(data_dir: Path) -> None:
    vault = create_vault(default_paths(), "passphrase", PASSPHRASE)
    choices = new_password_choices(vault)  # a passphrase vault may also use the keyring
    assert "Keep it in this computer's keyring" in choices
    assert "None of these: I will make my own" in choices
    assert not any(c.startswith("Neither") for c in choices)


# ── the progress once, not twice ──────────────────────────────────────────────────────────


def test_the_walk_through_does_not_repeat_the_progress_the_menu_just_gave(vault: Vault) -> None:
    with_accounts(vault, "gmail", "instagram")
    run, _, out = session({
        "passwords.menu": Queue(["walk", "leave"]),
        "passwords.walk.*": Queue(["done", "back"]),
    })
    run_passwords(run)
    text = out.getvalue()
    assert text.count("0 of 2 accounts changed") == 1  # the menu's line, then no bar
    assert text.count("] 1 of 2 accounts changed") == 1  # the bar when it has moved on
    assert text.count("Your accounts: 1 of 2 accounts changed") == 1


def test_going_straight_on_from_adding_shows_the_bar_once(vault: Vault) -> None:
    run, _, out = session({
        "passwords.menu": Queue(["add", "leave"]),
        "passwords.add": ["gmail"],
        "passwords.next": "skip",
        "passwords.walk.*": "back",
    })
    run_passwords(run)
    text = out.getvalue()
    assert text.count("] 0 of 1 account changed") == 1  # the bar, where nothing said it before
    assert "Your accounts: no accounts added yet" in text


# ── plurals ───────────────────────────────────────────────────────────────────────────────


def test_one_of_one_is_singular_everywhere(vault: Vault) -> None:
    state = {"passwords": {"accounts": [AccountRecord.new("Gmail", "gmail").to_json()]}}
    assert "Passwords: 0 of 1 account changed." in (tech_summary(load_checklist(), state) or [])
    assert size_phrase(1) == "1 byte" and size_phrase(2048) == "2,048 bytes"
    run, _, out = session({"passwords.menu": "leave"})
    with_accounts(vault, "gmail")
    run_passwords(run)
    assert "Your accounts: 0 of 1 account changed" in out.getvalue()


def test_one_login_is_one_login(tmp_path: Path) -> None:
    from safetykit.flows.password_commands import audit_export

    export = tmp_path / "one.csv"
    export.write_text("name,url,username,password\nMail,https://mail.example,me,hunter2hunter\n")
    assert audit_export(export, []).headline().startswith("1 login from a ")


def test_the_plan_menu_counts_one_question_as_one() -> None:
    text = (SOURCE / "flows" / "plan.py").read_text(encoding="utf-8")
    assert '"Your plan: {answered} of {total} question answered"' in text


# ── one term: "high risk" ─────────────────────────────────────────────────────────────────


def test_risk_is_said_one_way(vault: Vault) -> None:
    assert RISK_WORDS["high"] == "high risk"
    (record,) = with_accounts(vault, "gmail")
    for field in ("ex_knows_password", "ex_used_signed_in_device", "codes_reach_ex"):
        set_answer(vault, record.id, field, True)
    set_answer(vault, record.id, "two_factor_on", True)
    state = vault.read(PasswordsState)
    assert order_lines(state)[0].startswith("Gmail (high risk): ")
    variants = re.compile(r"high-risk|High risk|higher-risk|highest risk|riskiest account")
    for path in [*SOURCE.rglob("*.py"), *SOURCE.glob("content/*.toml")]:
        assert not variants.search(path.read_text(encoding="utf-8")), path


# ── one hotline key hint, true in each mode ───────────────────────────────────────────────


def test_question_mark_is_the_hotline_key_in_an_arrow_key_menu() -> None:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    helped: list[int] = []
    with create_pipe_input() as pipe:
        pipe.send_text("?")
        pipe.send_text("d\r")
        prompter = QuestionaryPrompter(lambda: helped.append(1), input=pipe, output=DummyOutput())
        options = [Option("done", "Done", "d"), Option("todo", "Not yet", "n")]
        assert prompter.select("q", "Where?", options) == "done"
    assert helped == [1]


def test_the_plain_checkbox_prompt_names_the_hotline_key() -> None:
    helped: list[int] = []
    out = io.StringIO()
    prompter = PlainPrompter(lambda: helped.append(1), stdin=io.StringIO("?\n1\n"), stdout=out)
    assert prompter.multiselect("q", "Which?", [Option("a", "A"), Option("b", "B")]) == ["a"]
    assert helped == [1]
    assert "(? for hotlines):" in out.getvalue()


def test_no_hint_names_a_key_that_does_not_work_everywhere() -> None:
    for path in SOURCE.rglob("*.py"):
        assert "h for hotlines" not in path.read_text(encoding="utf-8"), path


# ── "(Enter to keep it)" on a pre-filled answer ───────────────────────────────────────────


def test_a_text_answer_already_there_says_enter_keeps_it(vault: Vault) -> None:
    plan_answers(vault, {"people.code-word": "blue umbrella"})
    run, prompter, _ = session({
        "plan.section": Queue(["people", "_leave"]),
        "plan.part.people": Queue(["people.code-word", "people.code-word-action", "_parts"]),
        "plan.people.code-word": "blue umbrella",
        "plan.people.code-word-action": "",
    })
    run_plan(run)
    (kept,) = asked(prompter, "plan.people.code-word")
    assert kept.endswith("(Enter to keep it, ? for hotlines)")
    assert prompter.prefilled["plan.people.code-word"] == "blue umbrella"
    (empty,) = asked(prompter, "plan.people.code-word-action")
    assert empty.endswith("(Enter to skip, ? for hotlines)")


def test_changing_a_person_says_enter_keeps_each_detail(vault: Vault) -> None:
    plan_answers(vault, {"people.trusted": [{"name": "Maya", "contact": "555", "knows": ""}]})
    run, prompter, _ = session({
        "plan.section": Queue(["people", "_leave"]),
        "plan.part.people": Queue(["people.trusted", "_parts"]),
        "plan.people.trusted.keep": Queue(["change", "keep"]),
        "plan.people.trusted.pick": "0",
        "plan.people.trusted.name": "Maya",
        "plan.people.trusted.contact": "555",
        "plan.people.trusted.knows": "",
    })
    run_plan(run)
    assert asked(prompter, "plan.people.trusted.name") == ["Name (Enter to keep it)"]
    assert asked(prompter, "plan.people.trusted.contact") == [
        "How to reach them (Enter to keep it)"
    ]
    assert asked(prompter, "plan.people.trusted.knows") == [
        "What they know, or how they can help"  # nothing there to keep
    ]


def test_known_words_and_a_new_name_say_what_enter_does(vault: Vault) -> None:
    (record,) = with_accounts(vault, "gmail")
    groups = ("names", "pets", "dates", "places", "other")
    first = {f"passwords.words.{g}": "" for g in groups}
    run, prompter, out = session({
        "passwords.menu": Queue(["words", "words", "manage", "leave"]),
        **{key: Queue([value, value]) for key, value in first.items()},
        "passwords.words.names": Queue(["Sam, Jo", "Sam, Jo"]),
        "passwords.manage.account": record.id,
        "passwords.manage.action": "rename",
        "passwords.manage.name": "Gmail",  # Enter on the name already there
    })
    run_passwords(run)
    names = asked(prompter, "passwords.words.names")
    assert names[0].endswith("(separate with commas; Enter to skip)")
    assert names[1].endswith("(separate with commas; Enter to keep it)")
    assert asked(prompter, "passwords.manage.name") == ["New name (Enter to keep it)"]
    assert "Renamed" not in out.getvalue()  # nothing changed, so nothing to confirm


# ── "Details of my order" not asked after "I am thinking about it" ────────────────────────


def test_order_details_follow_the_answer_about_the_order() -> None:
    content = load_plan()
    details = content.question("legal.order-details")
    assert is_asked(content, details, {})  # not answered yet: asked, and printed to fill in
    for having in ("yes", "applied"):
        assert is_asked(content, details, {"legal.order": having})
    for not_yet in ("considering", "no"):
        assert not is_asked(content, details, {"legal.order": not_yet})
    assert is_asked(content, details, {"legal.order": "retired-option"})  # not a real answer
    # What the person wrote is never hidden.
    assert is_asked(content, details, {"legal.order": "no", "legal.order-details": "Court 4"})
    total = progress(content, {})[1]
    assert progress(content, {"legal.order": "considering"}) == (1, total - 1)


def test_the_order_details_follow_the_family_court_question_where_that_is_asked() -> None:
    content = load_plan("GB-ENG")
    details = content.question("legal.order-details")
    assert [qid for qid, _ in details.only_if] == ["legal.family-court-order"]
    assert not is_asked(content, details, {"legal.family-court-order": "considering"})
    assert is_asked(content, details, {"legal.family-court-order": "both"})


def test_the_walk_through_does_not_ask_for_order_details_while_thinking_about_it(
    vault: Vault,
) -> None:
    run, prompter, _ = session({
        "plan.section": Queue(["legal", "_leave"]),
        "plan.legal.order": "considering",
        "plan.legal.advocates.name": "",
        "plan.legal.questions": "",
    })
    run_plan(run)
    assert not asked(prompter, "plan.legal.order-details")


def test_a_printed_plan_leaves_out_order_details_only_when_ruled_out() -> None:
    content = load_plan()

    def prompts(answers: dict[str, Any]) -> list[str]:
        doc = build_document(content, answers, [], tech_summary=None, title="",
                             created=datetime.date(2026, 11, 26))
        return [b.prompt for s in doc.sections for b in s.blocks if isinstance(b, Field)]

    assert "Details of my order" in prompts({})  # the blank plan, to fill in by hand
    assert "Details of my order" not in prompts({"legal.order": "considering"})
    assert "Details of my order" in prompts({"legal.order": "applied"})


def test_only_if_must_name_an_earlier_choice_and_its_options() -> None:
    data = _files.read_toml(PLAN_FILE)

    def details(change: dict[str, Any]) -> dict[str, Any]:
        changed = copy.deepcopy(data)
        for section in changed["sections"]:
            for question in section.get("questions", []):
                if question["id"] == "legal.order-details":
                    question["only_if"] = change
        return changed

    parse_plan(details({"legal.order": ["yes"]}))
    bad_ones: list[dict[str, Any]] = [
        {"legal.questions": ["yes"]}, {"legal.order": ["maybe"]}, {"legal.order": []}, {},
    ]
    for bad in bad_ones:
        with pytest.raises(ContentError):
            parse_plan(details(bad))


# ── no ambiguous "them" in the code-word instructions ─────────────────────────────────────


def test_the_code_word_words_say_who_they_mean() -> None:
    section = load_plan().section("people")
    action = load_plan().question("people.code-word-action")
    assert action.prompt == "What I want the people I trust to do when they hear my code word"
    code_word = [g for g in section.guidance if "code word" in g]
    assert code_word and all("the people you trust" in g for g in code_word)
    assert not any(re.search(r"\bhear from them\b|\bwith them that\b", g) for g in section.guidance)


# ── "Before you do this:" before its steps, "Good to know:" where nothing is about to happen ─


def test_the_passwords_opening_note_is_good_to_know(vault: Vault) -> None:
    run, _, out = session({"passwords.menu": "leave"})
    run_passwords(run)
    assert "Good to know: If your ex notices that a password stopped working" in said(out)
    assert "Before you do this: If your ex notices" not in said(out)


def test_a_checklist_caution_comes_right_before_the_steps(vault: Vault) -> None:
    checklist = load_checklist()
    item = checklist.item("accounts.list-accounts")
    assert item.caution
    run, _, out = session({f"checklist.item.{item.id}": Queue(["_how", "todo"])})
    ChecklistFlow(run, vault, checklist).ask_item(item)
    text = out.getvalue()
    pointer = text.index("'Show me how' starts with something to know before you do this.")
    caution = text.index("Before you do this: ")
    steps = text.index("How to do it")
    assert pointer < caution < steps
    assert text.count("Before you do this: ") == 1


# ── "Deleted" without "empty the bin" when safetykit deleted the file itself ──────────────


def test_deleted_by_safetykit_needs_no_bin(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("x")
    run, _, out = session({"passwords.check.delete": True})
    run.can_ask = True
    offer_to_delete(run, export)
    told = said(out)
    assert not export.exists()
    assert "Deleted." in told and "bin" not in told


def test_deleted_by_the_person_mentions_the_bin(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("x")
    run, _, out = session({})
    run.can_ask = False
    offer_to_delete(run, export)
    told = said(out)
    assert export.exists()
    assert f"When you are done, delete {export}, then empty the bin or trash" in told


# ── Ctrl-D at a terminal is not "run safetykit in a terminal" ─────────────────────────────


@pytest.mark.parametrize("at_a_terminal", [True, False])
def test_the_input_ending_is_said_as_it_happened(
    monkeypatch: pytest.MonkeyPatch, at_a_terminal: bool
) -> None:
    from safetykit.cli.app import _input_ended

    found = Terminal(stdin=None, stdin_is_tty=at_a_terminal, stdout_is_tty=True, tty=None)
    monkeypatch.setattr(terminal_module, "_current", found)
    message, hint = _input_ended()
    if at_a_terminal:
        assert message.startswith("Ctrl-D ended the input")
        assert "terminal" not in hint
    else:
        assert hint == "Run safetykit in a terminal to answer its questions."


# ── a confirmation after saving words, adding an account, forgetting a password ───────────


def test_saving_words_adding_an_account_and_forgetting_say_so(vault: Vault) -> None:
    groups = ("names", "pets", "dates", "places", "other")
    run, _, out = session({
        "passwords.menu": Queue(["words", "add_other", "leave"]),
        **{f"passwords.words.{g}": "" for g in groups},
        "passwords.words.names": "Sam, Jo",
        "passwords.add_other": "Library card",
        "passwords.next": "menu",
    })
    run_passwords(run)
    assert "Saved: 2 words. Passwords you check from now on are compared with them." in said(out)
    assert "Added Library card." in said(out)

    vault.refresh()  # what the walk-through saved
    (record,) = vault.read(PasswordsState).accounts
    keep_made_password(vault, record.id, "kept-secret-words", "vault")
    run, _, out = session({
        "passwords.menu": Queue(["kept", "leave"]),
        "passwords.kept.account": record.id,
        "passwords.secret.seen": "seen",
        "passwords.kept.forget": True,
    })
    run_passwords(run)
    assert "Forgotten: safetykit no longer keeps it." in said(out)


def test_saving_no_words_says_so_too(vault: Vault) -> None:
    groups = ("names", "pets", "dates", "places", "other")
    run, _, out = session({
        "passwords.menu": Queue(["words", "leave"]),
        **{f"passwords.words.{g}": "" for g in groups},
    })
    run_passwords(run)
    assert "Saved: no words for now." in said(out)


# ── "answered" only when every question of an account is ──────────────────────────────────


def test_answered_only_when_every_question_that_applies_is(vault: Vault) -> None:
    (record,) = with_accounts(vault, "gmail")
    for field in ("ex_knows_password", "ex_used_signed_in_device", "password_reused",
                  "recovery_theirs_alone", "ex_knows_security_answers", "shared_account"):
        set_answer(vault, record.id, field, False)
    set_answer(vault, record.id, "two_factor_on", True)  # now "could codes reach your ex?" too
    run, _, _ = session({})
    flow = PasswordsFlow(run, vault)
    line = flow.account_line(vault.read(PasswordsState).accounts[0])
    assert line.endswith("7 of 8 answered") and ": answered" not in line
    set_answer(vault, record.id, "codes_reach_ex", False)
    flow.refresh()
    assert flow.account_line(flow.state.accounts[0]).endswith(": answered")


# ── the social media walk-throughs cover new accounts an ex makes ─────────────────────────


@pytest.mark.parametrize("kind_id", SOCIAL)
def test_social_walk_throughs_cover_new_accounts(kind_id: str) -> None:
    kind = account_kind(kind_id)
    steps = " ".join(kind.steps)
    assert "new account" in steps
    assert kind.checklist == ("social.new-accounts",)
    (pointer,) = checklist_pointers(kind)
    title = load_checklist().item("social.new-accounts").title
    assert f"\u201c{title}\u201d" in pointer and "Social media" in pointer
    checked = [s for s in kind.sources if s.checked >= datetime.date(2026, 11, 26)]
    assert checked and all(s.url.count("/") > 3 for s in checked)  # pages, not help roots


def test_each_platform_names_its_own_controls() -> None:
    def steps(kind_id: str) -> str:
        return " ".join(account_kind(kind_id).steps)

    assert all(word in steps("instagram") for word in ("Hidden Words", "Restrict", "Limits"))
    assert "blocks new accounts they may make" in steps("instagram")
    assert "Message delivery" in steps("facebook") and "Restricted list" in steps("facebook")
    assert "direct messages" in steps("tiktok") and "filter by keywords" in steps("tiktok")
    assert "Find Friends" in steps("snapchat") and "My Friends" in steps("snapchat")
    assert "message requests from no one" in steps("x_twitter")
    assert "muted words" in steps("x_twitter")


def test_a_kind_can_only_point_to_a_checklist_item_that_exists() -> None:
    data = _files.read_toml(ACCOUNTS_FILE)
    changed = copy.deepcopy(data)
    for kind in changed["kind"]:
        if kind["id"] == "instagram":
            kind["checklist"] = ["social.no-such-item"]
    with pytest.raises(ContentError, match=r"social\.no-such-item"):
        parse_catalogue(changed)


def test_the_walk_through_points_to_the_checklist_after_the_steps(vault: Vault) -> None:
    with_accounts(vault, "tiktok")
    run, _, out = session({
        "passwords.menu": Queue(["walk", "leave"]),
        "passwords.walk.*": "back",
    })
    run_passwords(run)
    text = said(out)
    steps = text.index("How to do it")
    pointer = text.index("More in the checklist ('safetykit checklist'), under Social media:")
    assert steps < pointer
    assert "\u201cWhen they message you from new accounts\u201d" in text

