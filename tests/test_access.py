"""First run and unlocking, through scripted answers."""

from __future__ import annotations

import io
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from safetykit.errors import LockedError, NotATerminalError, NotSetUpError
from safetykit.flows.access import open_existing, open_for_script, open_or_create
from safetykit.flows.session import Session
from safetykit.storage import sealed
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import create_vault, open_vault, protection_of
from safetykit.ui.prompts import NoQuestions, Option
from safetykit.ui.screen import Screen
from tests.doubles import HELP, INTERRUPT, Queue, RecordingTerminal, ScriptedPrompter


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**12)


def session(answers: dict[str, object] | None = None, stdin: str | None = None) -> tuple[
    Session, io.StringIO, ScriptedPrompter | None
]:
    """A terminal session answering from a script, or (``answers`` None) a script's session that
    can ask nothing and reads ``stdin``."""
    out = io.StringIO()
    helped: list[int] = []
    scripted = (
        ScriptedPrompter(answers, on_help=lambda: helped.append(1)) if answers is not None else None
    )
    s = Session(
        default_paths(),
        Screen(plain=True, file=out),
        scripted or NoQuestions("Run it in a terminal, or give the passphrase on standard input."),
        stdin=io.StringIO(stdin) if stdin is not None else None,
        can_ask=scripted is not None,
    )
    return s, out, scripted


def test_first_run_welcomes_then_uses_the_keyring(data_dir: Path) -> None:
    s, out, _ = session({"setup.protection": "keyring"})
    vault = open_or_create(s)
    assert vault is not None and vault.protection == "keyring"
    text = out.getvalue()
    assert "Ctrl-C" in text and str(default_paths().vault) in text
    assert "login" in text  # says plainly who else could open a keyring
    assert protection_of(default_paths()) == "keyring"


def test_first_run_with_a_passphrase(data_dir: Path) -> None:
    s, _, _ = session(
        {
            "setup.protection": "passphrase",
            "setup.passphrase": Queue(
                ["short", "a good long passphrase", "a good long passphrase"]
            ),
            "setup.passphrase_again": Queue(["different one here", "a good long passphrase"]),
        }
    )
    vault = open_or_create(s)
    assert vault is not None and vault.protection == "passphrase"
    s2, _, _ = session({"unlock.passphrase": "a good long passphrase"})
    assert open_existing(s2) is not None


def test_without_a_keyring_only_a_passphrase_is_offered(data_dir: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    s, out, _ = session(
        {
            "setup.protection": "passphrase",
            "setup.passphrase": "a good long passphrase",
            "setup.passphrase_again": "a good long passphrase",
        }
    )
    assert open_or_create(s) is not None
    assert "no keyring" in out.getvalue().lower()
    assert protection_of(default_paths()) == "passphrase"


def test_choosing_to_store_nothing_stores_nothing(data_dir: Path) -> None:
    s, _, _ = session({"setup.protection": "none"})
    assert open_or_create(s) is None
    assert not default_paths().vault.exists()


def test_ctrl_c_during_setup_stores_nothing(data_dir: Path) -> None:
    s, _, _ = session({"setup.protection": INTERRUPT})
    with pytest.raises(KeyboardInterrupt):
        open_or_create(s)
    assert not default_paths().vault.exists()


def test_hotlines_are_one_key_away_during_setup(data_dir: Path) -> None:
    helped: list[int] = []
    prompter = ScriptedPrompter(
        {"setup.protection": Queue([HELP, "keyring"])}, on_help=lambda: helped.append(1)
    )
    s = Session(default_paths(), Screen(plain=True, file=io.StringIO()), prompter)
    assert open_or_create(s) is not None
    assert helped == [1]


def test_scripts_never_set_up_protection(data_dir: Path) -> None:
    s, _, _ = session(None, stdin="")
    with pytest.raises(NotSetUpError, match="Nothing is set up"):
        open_for_script(s)
    assert not default_paths().vault.exists()


def test_setup_has_no_default_on_enter(data_dir: Path) -> None:
    """Enter on the first question picks "Help me choose", which explains and asks again."""
    s, out, prompter = session({"setup.protection": Queue(["help", "passphrase"]),
                                "setup.passphrase": "maple ribbon quartz lantern bison",
                                "setup.passphrase_again": "maple ribbon quartz lantern bison"})
    vault = open_or_create(s)
    assert vault is not None and vault.protection == "passphrase"
    assert "Keyring or passphrase?" in out.getvalue()
    assert prompter is not None
    assert [q for q, _ in prompter.asked].count("setup.protection") == 2


def test_a_weak_passphrase_is_explained_and_asked_again(data_dir: Path) -> None:
    s, out, _ = session({
        "setup.protection": "passphrase",
        "setup.passphrase": Queue(["Biscuit1999", "correct horse battery staple",
                                   "maple ribbon quartz lantern bison"]),
        "setup.passphrase_again": "maple ribbon quartz lantern bison",
    })
    assert open_or_create(s) is not None
    shown = " ".join(out.getvalue().split())
    assert "would be easy to guess" in shown
    assert "recent year" in shown and "well-known example phrase" in shown


def test_a_passphrase_can_be_made_for_the_person(data_dir: Path) -> None:
    """Enter at the passphrase prompt: one is made, shown, typed back once, then cleared."""
    made: list[str] = []

    class TypesWhatIsShown(ScriptedPrompter):
        def _ask_secret(self, qid: str, message: str) -> str:
            if qid == "setup.passphrase_made":
                shown = out.getvalue().split("(make sure nobody is looking)")[-1]
                made.append(next(w for w in shown.split() if w.count("-") == 4))
                return made[-1]
            return super()._ask_secret(qid, message)

    out = io.StringIO()
    prompter = TypesWhatIsShown({"setup.protection": "passphrase", "setup.passphrase": ""})
    terminal = RecordingTerminal(out)
    s = Session(default_paths(), Screen(plain=True, file=out), prompter, terminal=terminal)
    vault = open_or_create(s)
    assert vault is not None and vault.protection == "passphrase"
    assert open_vault(default_paths(), made[0]) is not None
    assert len(terminal.cleared_after) == 1 and made[0] in terminal.cleared_after[0]
    assert made[0] not in out.getvalue().split(terminal.cleared_after[0], 1)[1]


def test_piped_passphrase_opens_the_vault(data_dir: Path) -> None:
    create_vault(default_paths(), "passphrase", "a good long passphrase")
    s, _, _ = session(None, stdin="a good long passphrase\n")
    assert open_existing(s) is not None


@pytest.mark.parametrize("stdin", ["", None])
def test_no_piped_passphrase_is_locked(data_dir: Path, stdin: str | None) -> None:
    """At the end of input, or with standard input closed: exit 4 and a clear sentence."""
    create_vault(default_paths(), "passphrase", "a good long passphrase")
    s, _, _ = session(None, stdin=stdin)
    with pytest.raises(LockedError, match="none was given") as info:
        open_existing(s)
    assert "standard input" in (info.value.hint or "")


def test_wrong_piped_passphrase_says_so(data_dir: Path) -> None:
    create_vault(default_paths(), "passphrase", "a good long passphrase")
    s, _, _ = session(None, stdin="A Good Long Passphrase\na good long passphrase\n")
    with pytest.raises(LockedError) as info:
        open_existing(s)
    assert info.value.message == "That passphrase did not open your data."
    assert "case-sensitive" in (info.value.hint or "")


def test_wrong_passphrase_in_a_terminal_is_answered_at_once(data_dir: Path) -> None:
    create_vault(default_paths(), "passphrase", "a good long passphrase")
    s, out, prompter = session(
        {"unlock.passphrase": Queue(["wrong one", "", "Wrong Two", "a good long passphrase"])}
    )
    assert open_existing(s) is not None
    shown = " ".join(out.getvalue().split())
    assert (
        "That passphrase did not open your data. 2 tries left. Passphrases are case-sensitive."
        in shown
    )
    assert "1 try left." in shown
    assert "press Ctrl-C to leave" in shown  # Enter alone is not counted as a try
    assert prompter is not None and prompter.remaining() == {}


def test_three_wrong_passphrases_in_a_terminal(data_dir: Path) -> None:
    create_vault(default_paths(), "passphrase", "a good long passphrase")
    before = default_paths().vault.read_bytes()
    s, out, _ = session({"unlock.passphrase": Queue(["one", "two", "three"])})
    with pytest.raises(LockedError, match="did not open"):
        open_existing(s)
    assert out.getvalue().count("did not open") == 2  # the third is the error itself
    assert default_paths().vault.read_bytes() == before


def test_a_question_without_a_terminal_names_the_alternative(data_dir: Path) -> None:
    s, _, _ = session(None)
    with pytest.raises(NotATerminalError) as info:
        s.prompter.confirm("x", "Delete it now?")
    assert "Delete it now?" in info.value.message
    assert "standard input" in (info.value.hint or "")


class AnotherWindowSetsUp(ScriptedPrompter):
    """While this window asks how to protect the data, another window sets it up."""

    def _ask_select(
        self, qid: str, message: str, options: list[Option], default: str | None
    ) -> str:
        answer = super()._ask_select(qid, message, options, default)
        if qid == "setup.protection":
            self.other = create_vault(default_paths(), "keyring")
        return answer


def test_two_windows_setting_up_at_once(data_dir: Path) -> None:
    """The window that finishes setting up second opens what the first one made."""
    out = io.StringIO()
    prompter = AnotherWindowSetsUp({"setup.protection": "keyring"})
    vault = open_or_create(Session(default_paths(), Screen(plain=True, file=out), prompter))
    assert vault is not None and vault.header.vault_id == prompter.other.header.vault_id
    assert "another safetykit window" in out.getvalue()
