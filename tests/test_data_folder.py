"""The default data folder has a neutral name; a folder of an earlier version is moved to it.

``SAFETYKIT_HOME`` is unset here (the autouse fixture sets it for every other test), and the
platform's folder is pointed at a temporary one with ``XDG_DATA_HOME``.
"""

from __future__ import annotations

import io
import json
import shutil
import threading
from pathlib import Path

import pytest

from safetykit.cli.app import run
from safetykit.storage.paths import BACKUP_NAME, VAULT_NAME, data_dir, settled_default

FIXTURES = Path(__file__).parent / "fixtures"
PASSPHRASE = "fixture passphrase v2"


@pytest.fixture
def platform_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    base = tmp_path / "share"
    base.mkdir()
    monkeypatch.delenv("SAFETYKIT_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(base))
    return base


def released_vault_in(folder: Path) -> bytes:
    folder.mkdir(mode=0o700)
    shutil.copy(FIXTURES / "vault-schema2.bin", folder / VAULT_NAME)
    return (folder / VAULT_NAME).read_bytes()


def status(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, object]:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    assert run(["status", "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""  # nothing said about folders, alarming or not
    report = json.loads(captured.out)
    assert isinstance(report, dict)
    return report


def test_the_default_folder_has_a_neutral_name(platform_data: Path) -> None:
    assert data_dir() == platform_data / "local-notes-store"
    assert "safetykit" not in str(data_dir().relative_to(platform_data))
    assert not data_dir().exists()  # finding it creates nothing


def test_safetykit_home_still_wins(platform_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = platform_data / "safetykit"
    released_vault_in(old)
    monkeypatch.setenv("SAFETYKIT_HOME", str(platform_data / "elsewhere"))
    assert data_dir() == platform_data / "elsewhere"
    assert (old / VAULT_NAME).exists()  # nothing moved when the folder was chosen


def test_an_earlier_versions_folder_is_moved_on_first_use_and_opens(
    platform_data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = platform_data / "safetykit", platform_data / "local-notes-store"
    before = released_vault_in(old)
    (old / "settings.json").write_text('{"region": "US"}')
    report = status(capsys, monkeypatch)
    assert report["data_dir"] == str(new) and report["unlocked"] is True
    assert not old.exists()
    assert (new / VAULT_NAME).read_bytes() == before
    assert (new / "settings.json").exists()
    assert report == status(capsys, monkeypatch)  # the next run finds it where it is now


def test_when_both_exist_the_old_one_is_used_and_nothing_is_touched(
    platform_data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = platform_data / "safetykit", platform_data / "local-notes-store"
    released_vault_in(old)
    new.mkdir()
    (new / "someone else's.txt").write_text("a folder that happens to have this name")
    report = status(capsys, monkeypatch)
    assert report["data_dir"] == str(old) and report["unlocked"] is True
    assert sorted(p.name for p in new.iterdir()) == ["someone else's.txt"]
    assert (old / VAULT_NAME).exists()


def test_when_both_exist_and_only_the_new_one_holds_a_vault_it_is_used(tmp_path: Path) -> None:
    """An old window still open during the upgrade, or an empty folder made under the old name,
    must not make the data seem gone."""
    old, new = tmp_path / "safetykit", tmp_path / "local-notes-store"
    released_vault_in(new)
    old.mkdir()
    assert settled_default(new, old) == new
    assert not old.exists()  # an empty folder under the old name is tidied away
    old.mkdir()
    (old / "vault.lock").write_bytes(b"")
    assert settled_default(new, old) == new and old.exists()  # anything in it is left alone
    (old / BACKUP_NAME).write_bytes(b"an earlier copy")
    assert settled_default(new, old) == old  # it holds a vault: the old one, as above


def test_neither_folder_is_the_new_name(tmp_path: Path) -> None:
    old, new = tmp_path / "safetykit", tmp_path / "local-notes-store"
    assert settled_default(new, old) == new
    assert not new.exists() and not old.exists()


def test_a_rename_that_fails_keeps_the_old_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = tmp_path / "safetykit", tmp_path / "local-notes-store"
    released_vault_in(old)

    def refused(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "rename", refused)
    assert settled_default(new, old) == old
    assert (old / VAULT_NAME).exists() and not new.exists()


def test_two_windows_starting_at_once_agree(tmp_path: Path) -> None:
    old, new = tmp_path / "safetykit", tmp_path / "local-notes-store"
    before = released_vault_in(old)
    found: list[Path] = []
    start = threading.Barrier(8)

    def one() -> None:
        start.wait()
        found.append(settled_default(new, old))

    workers = [threading.Thread(target=one) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert found == [new] * 8
    assert (new / VAULT_NAME).read_bytes() == before and not old.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["local-notes-store"]
