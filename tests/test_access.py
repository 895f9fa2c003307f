"""First run and unlocking, through scripted answers."""

from __future__ import annotations

import io
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from safetykit.errors import KeyringUnavailableError, LockedError, NotATerminalError
from safetykit.flows.access import Session, open_existing, open_or_create
from safetykit.storage import sealed
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import create_vault, protection_of
from safetykit.ui.prompts import HELP, INTERRUPT, Queue, ScriptedPrompter
from safetykit.ui.screen import Screen


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**12)


def session(answers: dict[str, object] | None = None, stdin: str | None = None) -> tuple[
    Session, io.StringIO, ScriptedPrompter | None
]:
    out = io.StringIO()
    helped: list[int] = []
    prompter = (
        ScriptedPrompter(answers, on_help=lambda: helped.append(1)) if answers is not None else None
    )
    s = Session(default_paths(), Screen(plain=True, file=out), prompter)
    if stdin is not None:
        s.stdin = io.StringIO(stdin)
    return s, out, prompter


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


def test_scripts_without_a_keyring_are_told_to_set_up_in_a_terminal(data_dir: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    s, _, _ = session(None, stdin="")
    with pytest.raises(KeyringUnavailableError):
        open_or_create(s)
    assert not default_paths().vault.exists()


def test_piped_passphrase_opens_the_vault(data_dir: Path) -> None:
    create_vault(default_paths(), "passphrase", "a good long passphrase")
    s, _, _ = session(None, stdin="a good long passphrase\n")
    assert open_existing(s) is not None


def test_no_piped_passphrase_is_locked(data_dir: Path) -> None:
    create_vault(default_paths(), "passphrase", "a good long passphrase")
    s, _, _ = session(None, stdin="")
    with pytest.raises(LockedError):
        open_existing(s)


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_passphrase_needed_in_a_terminal_without_a_prompter(data_dir: Path) -> None:
    create_vault(default_paths(), "passphrase", "a good long passphrase")
    s, _, _ = session(None)
    s.stdin = FakeTty()
    with pytest.raises(NotATerminalError):
        open_existing(s)
