"""``passwords import``, ``remove`` and ``check`` as scripts and people use them: one account per
real account, counts that agree, and output that names what it found."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from safetykit.cli.app import run
from safetykit.errors import ExitStatus
from safetykit.flows.passwords import run_passwords
from safetykit.passwords.records import AccountRecord, PasswordsState
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import create_vault
from tests.doubles import Queue
from tests.test_passwords_flow import ALL_NO, flow, stored

EXPORTS = Path(__file__).parent / "fixtures" / "exports"

CHROME = """name,url,username,password,note
Gmail,https://mail.google.com/,sam@gmail.com,Rex2019!,
accounts.google.com,https://accounts.google.com/,sam@gmail.com,Rex2019!,
Instagram,https://www.instagram.com/,sam.lee,Rex2019!,
Dropbox,https://www.dropbox.com/,sam@gmail.com,dropbox-only-Kx81-vq,
Netflix,https://www.netflix.com/,sam@gmail.com,correct horse battery staple,
T-Mobile,https://account.t-mobile.com/,5551234567,0042,
"""
"""Gmail and accounts.google.com are one sign-in: the same password there is not reuse."""

FIREFOX_LATER = (
    '"url","username","password","httpRealm","formActionOrigin","guid","timeCreated",'
    '"timeLastUsed","timePasswordChanged"\n'
    """"https://accounts.google.com","sam@gmail.com","a-new-Gmail-pass-93x",,"https://accounts.google.com","{a}","1","1","1"
"https://www.instagram.com","sam.lee","insta-only-Qz4-new",,"https://www.instagram.com","{b}","1","1","1"
"""
)


@pytest.fixture
def vault_ready(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    assert run(list(args)) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def by_kind(state: PasswordsState) -> dict[str, list[AccountRecord]]:
    found: dict[str, list[AccountRecord]] = {}
    for record in state.accounts:
        found.setdefault(record.kind, []).append(record)
    return found


# ── passwords import ──────────────────────────────────────────────────────────────────────────


def test_import_json_adds_accounts_by_host_and_keeps_no_password(
    vault_ready: None, tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write(tmp_path, "chrome.csv", CHROME)
    report = run_json(capsys, "passwords", "import", "--csv", str(export), "--json")
    assert report["product"] == "Chrome / Edge" and report["logins"] == 6
    # Gmail and the Google Account row are one account: five accounts, not six.
    assert report["accounts_added"] == 5 and report["accounts_merged"] == 0
    kinds = by_kind(stored())
    assert sorted(kinds) == ["cloud_storage", "gmail", "instagram", "other", "phone_carrier"]
    assert kinds["cloud_storage"][0].label == "Dropbox (sam@gmail.com)"
    assert kinds["phone_carrier"][0].label == "T-Mobile (5551234567)"
    gmail = kinds["gmail"][0]
    assert gmail.signals is not None
    assert gmail.signals["reused_with"] == ["Instagram (sam.lee)"]  # not Google Account
    assert {row["kind"] for row in report["accounts"]} == set(kinds)
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert b"Rex2019" not in path.read_bytes()
    assert export.exists()  # a script's file is never deleted


def test_importing_twice_and_after_adding_by_hand_gives_one_account_each(
    vault_ready: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session, _, _ = flow({
        "passwords.menu": Queue(["add", "leave"]),
        "passwords.add": ["gmail", "instagram", "phone_carrier"],
        "passwords.next": "menu",
    })
    run_passwords(session)
    hand_made = {r.kind: r.id for r in stored().accounts}
    first = run_json(capsys, "passwords", "import", "--csv",
                     str(write(tmp_path, "chrome.csv", CHROME)), "--json")
    assert first["accounts_merged"] == 3 and first["accounts_added"] == 2
    second = run_json(capsys, "passwords", "import", "--csv",
                      str(write(tmp_path, "firefox.csv", FIREFOX_LATER)), "--json")
    assert second["product"] == "Firefox"
    assert second["accounts_added"] == 0 and second["accounts_merged"] == 2
    kinds = by_kind(stored())
    assert all(len(records) == 1 for records in kinds.values()), kinds
    # The accounts added by hand took the logins' user names; their ids did not change.
    assert kinds["gmail"][0].id == hand_made["gmail"]
    assert kinds["gmail"][0].username == "sam@gmail.com"
    assert kinds["gmail"][0].label == "Gmail (sam@gmail.com)"
    # Findings are combined, never counted twice: the old reuse is still known.
    signals = kinds["instagram"][0].signals
    assert signals is not None and signals["reused"] == 1
    assert run(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["passwords"]["accounts"] == 5
    assert status["passwords"]["line"] == "0 of 5 accounts changed"


def test_a_second_user_on_one_site_is_a_second_account(
    vault_ready: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write(tmp_path, "two.csv", "name,url,username,password\n"
                   "Gmail,https://mail.google.com/,sam@gmail.com,aaaa-bbbb-1\n"
                   "Gmail,https://mail.google.com/,work.sam@gmail.com,aaaa-bbbb-2\n"
                   "Chase,https://www.chase.com/,sam,aaaa-bbbb-3\n"
                   "Citi,https://online.citi.com/,sam,aaaa-bbbb-4\n")
    report = run_json(capsys, "passwords", "import", "--csv", str(export), "--json")
    assert report["accounts_added"] == 4
    assert len(by_kind(stored())["bank"]) == 2


@pytest.mark.parametrize(
    ("name", "checked", "imported"),
    [
        ("chrome.csv", "6 logins (5 accounts) from a Chrome / Edge export; 4 need attention",
         "Added 5 accounts from the Chrome / Edge export; 4 have a password that needs attention"),
        ("bitwarden-personal.csv",
         "3 logins from a Bitwarden export; 0 need attention; 1 other item skipped (1 note)",
         "Added 3 accounts from the Bitwarden export; 0 have a password that needs attention"),
    ],
)
def test_import_text_counts_agree_with_check(  # noqa: PLR0917 (pytest fixtures and parameters)
    vault_ready: None, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    name: str, checked: str, imported: str,
) -> None:
    export = EXPORTS / name if (EXPORTS / name).exists() else write(tmp_path, name, CHROME)
    assert run(["passwords", "check", "--csv", str(export), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert run(["passwords", "check", "--csv", str(export)]) == 0
    assert checked in " ".join(capsys.readouterr().out.split())
    assert run(["passwords", "import", "--csv", str(export)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert imported in said
    report = run_json(capsys, "passwords", "import", "--csv", str(export), "--json")
    assert report["logins"] == sum(1 + row["duplicates"] for row in rows)
    assert report["need_attention"] == sum(1 for row in rows if row["needs_attention"])


def test_import_never_creates_the_data_and_refuses_bad_files_without_changes(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write(tmp_path, "chrome.csv", CHROME)
    assert run(["passwords", "import", "--csv", str(export)]) == ExitStatus.NOT_SET_UP
    assert not (data_dir / "vault.bin").exists()
    create_vault(default_paths(), "keyring")
    run_json(capsys, "passwords", "import", "--csv", str(export), "--json")
    before = (data_dir / "vault.bin").read_bytes()
    bad = write(tmp_path, "bad.csv", "what,is,this\n1,2,3\n")
    assert run(["passwords", "import", "--csv", str(bad)]) == ExitStatus.BAD_INPUT
    assert "Traceback" not in capsys.readouterr().err
    assert (data_dir / "vault.bin").read_bytes() == before


def test_headerless_exports_are_recognised_or_named_with_product(
    vault_ready: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keeper = EXPORTS / "keeper-noheader.csv"
    report = run_json(capsys, "passwords", "import", "--csv", str(keeper), "--json")
    assert report["product"] == "Keeper" and report["logins"] == 3
    # A file with no header that could be anything: refused, with the way to name it.
    unclear = write(tmp_path, "unclear.csv", "Mail,sam@example.org,Secret-pw-1,"
                    "https://mail.example.org,notes\nShop,sam,Other-pw-2,https://shop.example,\n")
    assert run(["passwords", "import", "--csv", str(unclear)]) == ExitStatus.BAD_INPUT
    assert "--product keeper" in " ".join(capsys.readouterr().err.split())
    assert run(["passwords", "import", "--csv", str(unclear), "--product", "nosuch"]) == (
        ExitStatus.BAD_INPUT
    )
    assert "does not know the product" in capsys.readouterr().err


# ── passwords remove ──────────────────────────────────────────────────────────────────────────


def test_remove_by_id_from_the_report(
    vault_ready: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "passwords", "import", "--csv", str(write(tmp_path, "c.csv", CHROME)),
             "--json")
    rows = run_json(capsys, "passwords", "report", "--json")
    netflix = next(row for row in rows if row["label"].startswith("Netflix"))
    assert run(["passwords", "remove", netflix["id"]]) == 0
    assert "Removed Netflix (sam@gmail.com)." in capsys.readouterr().out
    assert [r for r in stored().accounts if r.id == netflix["id"]] == []
    assert len(stored().accounts) == len(rows) - 1
    assert run(["passwords", "remove", netflix["id"]]) == ExitStatus.USAGE
    assert "passwords report --json" in capsys.readouterr().err


def test_remove_with_nothing_set_up_says_so(data_dir: Path) -> None:
    assert run(["passwords", "remove", "abc123"]) == ExitStatus.NOT_SET_UP
    assert not data_dir.exists() or not (data_dir / "vault.bin").exists()


# ── passwords check: what a person reads ──────────────────────────────────────────────────────


def test_check_names_each_problem_worst_first_with_plurals(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write(tmp_path, "chrome.csv", CHROME)
    assert run(["passwords", "check", "--csv", str(export)]) == 0
    out = capsys.readouterr().out
    text = " ".join(out.split())
    lines = ["- " + item for item in text.split(" - ")[1:]]
    assert "6 logins (5 accounts) from a Chrome / Edge export; 4 need attention" in text
    netflix = next(line for line in lines if line.startswith("- Netflix"))
    assert "well-known phrase: published as an example" in netflix
    assert "looks fine" not in netflix
    instagram = next(line for line in lines if line.startswith("- Instagram"))
    assert "reused: same password as Gmail (sam@gmail.com)" in instagram
    gmail = next(line for line in lines if line.startswith("- Gmail"))
    assert "listed twice" in gmail and "Google Account" not in gmail
    carrier = next(line for line in lines if line.startswith("- T-Mobile"))
    assert "weak: easy to guess" in carrier
    assert lines[-1].startswith("- Dropbox (sam@gmail.com): looks fine")
    assert "(4 of 4)" not in text and "1 logins" not in text and "login(s)" not in text
    assert "Rex2019" not in out and "0042" not in out


def test_check_json_names_the_reused_logins_and_the_famous_phrase(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = run_json(capsys, "passwords", "check", "--csv",
                    str(write(tmp_path, "chrome.csv", CHROME)), "--json")
    by_title = {row["title"]: row for row in rows}
    assert by_title["Netflix"]["famous"] is True and by_title["Netflix"]["weak"] is True
    assert by_title["Instagram"]["reused_with"] == ["Gmail (sam@gmail.com)"]
    assert by_title["Gmail"]["duplicates"] == 1
    assert by_title["Dropbox"]["reused"] == 0
    assert [row["title"] for row in rows][-1] == "Dropbox"


def test_one_login_is_singular(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write(tmp_path, "one.csv", "name,url,username,password\n"
                   "Shop,https://shop.example/,sam,Zq8-long-and-unusual-93\n")
    assert run(["passwords", "check", "--csv", str(export)]) == 0
    assert "1 login from a Chrome / Edge export; 0 need attention" in " ".join(
        capsys.readouterr().out.split()
    )


def test_answered_questions_then_a_changed_password_read_honestly(vault_ready: None) -> None:
    session, _, _ = flow({
        "passwords.menu": Queue(["add", "leave"]),
        "passwords.add": ["instagram"],
        "passwords.next": "menu",
    })
    run_passwords(session)
    [(row, step)] = stored().order()
    assert step.reason.startswith("Not answered yet")
    session, _, _ = flow({
        "passwords.menu": Queue(["check", "walk", "leave"]),
        "passwords.check.account": row.id,
        **ALL_NO,
        "passwords.q.ex_knows_password": "yes",
        "passwords.check.password": False,
        f"passwords.walk.{row.id}": "done",
    })
    run_passwords(session)
    state = stored()
    record, step = state.order()[0]
    assert record.rotated and step.reason.startswith("Changed on ")
    assert "might know" not in step.reason
