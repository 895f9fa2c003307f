"""The command line in-process: exit codes, JSON, calm errors, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from safetykit.cli.app import run
from safetykit.errors import ExitStatus
from safetykit.storage import sealed
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import create_vault
from tests.doubles import MemoryKeyring


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed, "SCRYPT_N", 2**12)


def status_json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert run(["status", "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from safetykit import __version__

    assert run(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_status_json_with_nothing_stored(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = status_json(capsys)
    assert report["data_dir"] == str(data_dir)
    assert report["protection"] is None
    assert report["stored"] is False
    for key in ("checklist", "plan", "passwords"):
        assert key in report
    assert not data_dir.exists()  # looking creates nothing


def test_status_json_with_a_keyring_vault(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_vault(default_paths(), "keyring")
    report = status_json(capsys)
    assert report["protection"] == "keyring"
    assert report["stored"] is True


def test_status_text(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--plain", "status"]) == 0
    out = capsys.readouterr().out
    assert str(data_dir) in out and "nothing is stored yet" in out


def test_status_with_a_piped_passphrase(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    create_vault(default_paths(), "passphrase", "a good long passphrase")
    monkeypatch.setattr("sys.stdin", io.StringIO("a good long passphrase\n"))
    report = status_json(capsys)
    assert report["protection"] == "passphrase"


def test_wipe_yes_removes_everything(
    data_dir: Path, capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring
) -> None:
    create_vault(default_paths(), "keyring")
    assert run(["wipe", "--yes"]) == 0
    assert "removed" in capsys.readouterr().out
    assert not memory_keyring.store
    assert status_json(capsys)["protection"] is None


def test_wipe_without_a_terminal_asks_for_yes(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    create_vault(default_paths(), "keyring")
    assert run(["wipe"]) == ExitStatus.NOT_A_TERMINAL
    assert "--yes" in capsys.readouterr().err
    assert default_paths().vault.exists()


@pytest.mark.parametrize("args", [["bogus"], ["status", "--nope"], ["wipe", "extra"]])
def test_usage_errors(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(args) == ExitStatus.USAGE


def test_corrupt_vault_exit_code_and_message(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_vault(default_paths(), "keyring")
    default_paths().vault.write_bytes(b"SKV1 garbage")
    assert run(["status"]) == ExitStatus.VAULT_UNREADABLE
    err = capsys.readouterr().err
    assert "cannot be read" in err and "Traceback" not in err
    assert default_paths().vault.read_bytes() == b"SKV1 garbage"


def test_locked_keyring_exit_code(
    data_dir: Path, capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring
) -> None:
    create_vault(default_paths(), "keyring")
    memory_keyring.locked = True
    assert run(["checklist", "show"]) == ExitStatus.LOCKED
    assert "locked" in capsys.readouterr().err


def test_status_with_a_locked_keyring_still_says_where_and_how(
    data_dir: Path, capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring
) -> None:
    create_vault(default_paths(), "keyring")
    memory_keyring.locked = True
    assert run(["--plain", "status"]) == ExitStatus.OK
    out = " ".join(capsys.readouterr().out.split())
    assert str(data_dir) in out and "keyring" in out
    assert "Summaries: locked" in out and "The keyring is locked" in out


def test_no_keyring_exit_code(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    create_vault(default_paths(), "keyring")
    keyring.set_keyring(fail.Keyring())
    assert run(["checklist", "show"]) == ExitStatus.KEYRING_UNAVAILABLE


def test_unexpected_errors_show_no_traceback_or_locals(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object) -> None:
        secret = "MARKER-LOCAL-SECRET"
        raise RuntimeError(secret)

    monkeypatch.setattr("safetykit.flows.data.summarise", boom)
    assert run(["status"]) == ExitStatus.ERROR
    captured = capsys.readouterr()
    assert "MARKER-LOCAL-SECRET" not in captured.out + captured.err
    assert "Traceback" not in captured.err
    assert "Something went wrong" in captured.err


def test_restore_without_a_copy(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["restore"]) == ExitStatus.STORAGE_FAILED
    assert "no earlier copy" in capsys.readouterr().err


def test_ctrl_c_is_a_quick_exit(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("safetykit.flows.data.summarise", interrupt)
    assert run(["status"]) == ExitStatus.INTERRUPTED
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Aborted" not in captured.err
