"""``safetykit passwords``: the scripted walk-through, ``check``, ``report`` and ``status``."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from safetykit.cli.app import run
from safetykit.errors import ExitStatus
from safetykit.flows.passwords import run_passwords
from safetykit.flows.session import Session
from safetykit.passwords.pwned_file import sha1_hex
from safetykit.passwords.records import PasswordsState
from safetykit.storage import keys
from safetykit.storage.paths import default_paths
from safetykit.storage.removal import wipe
from safetykit.storage.vault import create_vault, open_vault
from safetykit.ui.screen import Screen
from tests.doubles import INTERRUPT, MemoryKeyring, Queue, RecordingTerminal, ScriptedPrompter
from tests.passwords.test_pwned_api import FakeService, no_proxy, service  # noqa: F401
from tests.vaults import keep_the_old_way

SECRET = "Rex2019!-MARKER"
ALL_NO = {f"passwords.q.{f}": "no" for f in (
    "ex_knows_password", "ex_used_signed_in_device", "password_reused", "two_factor_on",
    "recovery_theirs_alone", "ex_knows_security_answers", "shared_account",
)}


def flow(answers: dict[str, object]) -> tuple[Session, ScriptedPrompter, io.StringIO]:
    out = io.StringIO()
    prompter = ScriptedPrompter(answers, on_help=lambda: None)
    return Session(default_paths(), Screen(plain=True, file=out), prompter), prompter, out


def stored() -> PasswordsState:
    vault = open_vault(default_paths())
    assert vault is not None
    return PasswordsState.from_state(vault.section("passwords"))


@pytest.fixture
def vault_ready(data_dir: Path) -> Iterator[None]:
    create_vault(default_paths(), "keyring")
    yield


def add_gmail_and_instagram() -> None:
    session, _, _ = flow(
        {
            "passwords.menu": Queue(["add", "words", "leave"]),
            "passwords.add": ["gmail", "instagram"],
            "passwords.next": "menu",
            "passwords.words.names": "Sam Lee, Jo",
            "passwords.words.pets": "Rex",
            "passwords.words.dates": "14/03/2019",
            "passwords.words.places": "",
            "passwords.words.other": "",
        }
    )
    run_passwords(session)


def test_add_accounts_and_known_words(vault_ready: None) -> None:
    add_gmail_and_instagram()
    state = stored()
    assert [a.kind for a in state.accounts] == ["gmail", "instagram"]
    assert state.known_words["pets"] == ["Rex"]
    assert state.known_words["names"] == ["Sam Lee", "Jo"]


def test_check_an_account_flags_known_words_and_never_stores_the_password(
    vault_ready: None, data_dir: Path
) -> None:
    add_gmail_and_instagram()
    gmail = stored().accounts[0]
    session, _, out = flow(
        {
            "passwords.menu": Queue(["check", "leave"]),
            "passwords.check.account": gmail.id,
            **ALL_NO,
            "passwords.q.ex_knows_password": "yes",
            "passwords.check.password": True,
            "passwords.check.secret": SECRET,
            "passwords.online": False,
        }
    )
    run_passwords(session)
    record = stored().accounts[0]
    assert record.answers["ex_knows_password"] is True
    assert record.signals is not None and "rex" in record.signals["known_words"]
    assert "rex" in out.getvalue()
    assert SECRET not in out.getvalue()
    for path in data_dir.iterdir():
        assert b"MARKER" not in path.read_bytes()
    vault = open_vault(default_paths())
    assert vault is not None and SECRET not in json.dumps(vault.state)


def test_reuse_is_counted_in_memory_across_accounts(vault_ready: None) -> None:
    add_gmail_and_instagram()
    gmail, insta = stored().accounts
    session, _, _ = flow(
        {
            "passwords.menu": Queue(["check", "check", "leave"]),
            "passwords.check.account": Queue([gmail.id, insta.id]),
            **{k: Queue(["no", "no"]) for k in ALL_NO},
            "passwords.check.password": Queue([True, True]),
            "passwords.check.secret": Queue(["same-password-twice-1", "same-password-twice-1"]),
            "passwords.online": False,  # asked once per session
        }
    )
    run_passwords(session)
    assert stored().find(insta.id).signals["reused"] == 1  # type: ignore[union-attr,index]


def test_online_breach_check_is_opt_in_and_sends_only_a_prefix(
    vault_ready: None,
    monkeypatch: pytest.MonkeyPatch,
    service: tuple[FakeService, str],  # noqa: F811
) -> None:
    state, url = service
    monkeypatch.setenv("SAFETYKIT_PWNED_API_URL", url)
    add_gmail_and_instagram()
    gmail = stored().accounts[0]
    session, _, out = flow(
        {
            "passwords.menu": Queue(["check", "leave"]),
            "passwords.check.account": gmail.id,
            **ALL_NO,
            "passwords.check.password": True,
            "passwords.check.secret": "Rex2019!",
            "passwords.online": True,
        }
    )
    run_passwords(session)
    assert stored().accounts[0].signals["breached"] == 3  # type: ignore[index]
    assert "3 times in data breaches" in " ".join(out.getvalue().split())
    ((path, headers),) = state.requests
    assert path.endswith("/" + sha1_hex("Rex2019!")[:5]) and headers["add-padding"] == "true"


def test_online_check_when_offline_goes_on_calmly(
    vault_ready: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAFETYKIT_PWNED_API_URL", "http://127.0.0.1:9/range/")
    add_gmail_and_instagram()
    gmail = stored().accounts[0]
    session, _, out = flow(
        {
            "passwords.menu": Queue(["check", "leave"]),
            "passwords.check.account": gmail.id,
            **ALL_NO,
            "passwords.check.password": True,
            "passwords.check.secret": "Rex2019!",
            "passwords.online": True,
        }
    )
    run_passwords(session)
    assert stored().accounts[0].signals["breached"] is None  # type: ignore[index]
    assert "other checks still count" in " ".join(out.getvalue().split())


def test_import_an_export_adds_accounts_without_passwords(
    vault_ready: None, tmp_path: Path, data_dir: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(EXPORT)
    session, _, out = flow(
        {
            "passwords.menu": Queue(["import", "leave"]),
            "passwords.import.path": str(export),
            "passwords.import.delete": True,
            "passwords.next": "menu",
        }
    )
    run_passwords(session)
    accounts = {a.kind: a for a in stored().accounts}
    assert sorted(accounts) == ["bank", "gmail", "other"]
    gmail = accounts["gmail"]
    assert gmail.label == "Gmail (me@x.com)" and gmail.username == "me@x.com"
    assert gmail.signals["reused"] == 1  # type: ignore[index]
    assert gmail.signals["reused_with"] == ["Shop (me)"]  # type: ignore[index]
    said = " ".join(out.getvalue().split())
    assert "Added 3 accounts from the Chrome / Edge export; 2 have a password" in said
    assert not export.exists()
    for path in data_dir.iterdir():
        assert b"Rex2019" not in path.read_bytes()
    assert "Rex2019" not in out.getvalue()


def test_import_a_bad_file_is_explained(vault_ready: None, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("what,is,this\n1,2,3\n")
    session, _, out = flow(
        {"passwords.menu": Queue(["import", "leave"]), "passwords.import.path": str(bad),
         "passwords.import.product": "_back"}
    )
    run_passwords(session)
    assert stored().accounts == []
    assert bad.exists()
    assert "export" in out.getvalue().lower()


def test_walk_goes_in_order_and_marks_rotated_with_the_date(vault_ready: None) -> None:
    add_gmail_and_instagram()
    gmail, insta = stored().accounts
    session, prompter, out = flow(
        {
            "passwords.menu": Queue(["walk", "leave"]),
            f"passwords.walk.{gmail.id}": "done",
            f"passwords.walk.{insta.id}": "skip",
        }
    )
    run_passwords(session)
    asked = [q for q, _ in prompter.asked if q.startswith("passwords.walk")]
    assert asked == [f"passwords.walk.{gmail.id}", f"passwords.walk.{insta.id}"]  # email first
    state = stored()
    assert state.find(gmail.id).rotated == datetime.date.today().isoformat()  # type: ignore[union-attr]
    assert state.find(insta.id).rotated is None  # type: ignore[union-attr]
    assert "1 of 2 accounts changed" in out.getvalue()


def test_new_password_kept_with_the_data_and_shown_only_when_asked(
    vault_ready: None, memory_keyring: MemoryKeyring, data_dir: Path
) -> None:
    add_gmail_and_instagram()
    gmail = stored().accounts[0]
    keyring_before = dict(memory_keyring.store)
    session, _, out = flow(
        {
            "passwords.menu": Queue(["walk", "leave"]),
            f"passwords.walk.{gmail.id}": Queue(["new", "back"]),
            "passwords.new.style": "passphrase",
            "passwords.new.where": "keep",
            "passwords.new.show": False,
        }
    )
    run_passwords(session)
    state = stored()
    assert state.accounts[0].kept and state.accounts[0].kept_in == "vault"
    secret = state.kept_secrets[gmail.id]
    assert len(secret.split("-")) == 6
    assert memory_keyring.store == keyring_before  # nothing new in the keyring
    assert secret not in out.getvalue()  # not printed unless asked
    for path in data_dir.iterdir():
        assert secret.encode() not in path.read_bytes()  # encrypted at rest

    session, _, out = flow(
        {
            "passwords.menu": Queue(["kept", "leave"]),
            "passwords.kept.account": gmail.id,
            "passwords.secret.seen": "seen",
            "passwords.kept.forget": True,
        }
    )
    session.terminal = terminal = RecordingTerminal(out)
    run_passwords(session)
    assert secret in out.getvalue()  # shown because they asked
    # ... and cleared from the screen as soon as they said they had it
    assert len(terminal.cleared_after) == 1 and secret in terminal.cleared_after[0]
    assert secret not in out.getvalue().split(terminal.cleared_after[0], 1)[1]
    assert "Forgotten" in out.getvalue()
    after = stored()
    assert not after.accounts[0].kept and after.kept_secrets == {}


PASSPHRASE = "maple ribbon quartz lantern bison"


def passphrase_flow(answers: dict[str, object]) -> tuple[Session, ScriptedPrompter, io.StringIO]:
    return flow({"unlock.passphrase": PASSPHRASE, **answers})


def test_in_a_passphrase_vault_the_keyring_is_offered_with_who_can_read_it(
    data_dir: Path, memory_keyring: MemoryKeyring
) -> None:
    create_vault(default_paths(), "passphrase", PASSPHRASE)
    session, _, _ = passphrase_flow(
        {"passwords.menu": Queue(["add", "leave"]), "passwords.add": ["gmail"],
         "passwords.next": "menu"}
    )
    run_passwords(session)
    vault = open_vault(default_paths(), PASSPHRASE)
    assert vault is not None
    gmail = vault.read(PasswordsState).accounts[0]
    session, _, out = passphrase_flow(
        {
            "passwords.menu": Queue(["walk", "leave"]),
            f"passwords.walk.{gmail.id}": Queue(["new", "back"]),
            "passwords.new.style": "password",
            "passwords.new.where": "keyring",
            "passwords.new.show": False,
        }
    )
    run_passwords(session)
    said = " ".join(out.getvalue().split())
    told = said.index("anyone who can log in to this computer as you could read it")
    assert told < said.index("Kept.")  # told before it is kept
    reopened = open_vault(default_paths(), PASSPHRASE)
    assert reopened is not None and reopened.header.kept_in_keyring
    assert keys.load_secret(reopened.header.vault_id, f"pw-{gmail.id}")
    result = wipe(default_paths())
    assert memory_keyring.store == {}  # the header told wipe to look in the keyring
    assert result.left_behind == ()


def test_a_passphrase_vault_with_nothing_in_the_keyring_wipes_without_it(
    data_dir: Path, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    create_vault(default_paths(), "passphrase", PASSPHRASE)
    memory_keyring.locked = True  # any keyring call would fail
    assert run(["wipe", "--yes"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == "Everything safetykit stored here has been removed."
    assert not default_paths().vault.exists()


def test_wipe_removes_kept_passwords_from_the_keyring(
    vault_ready: None, memory_keyring: MemoryKeyring
) -> None:
    vault = open_vault(default_paths())
    assert vault is not None
    keys.keep_secret(vault.header.vault_id, "pw-abc", "a kept password")
    assert len(memory_keyring.store) == 2  # the key, and the one entry holding what is kept
    result = wipe(default_paths())
    assert memory_keyring.store == {}
    assert result.left_behind == ()


def test_passwords_kept_by_an_earlier_version_move_when_the_vault_opens(
    vault_ready: None, memory_keyring: MemoryKeyring
) -> None:
    from safetykit.flows.access import open_existing

    vault = open_vault(default_paths())
    assert vault is not None
    vault_id = vault.header.vault_id
    keep_the_old_way(vault, {"pw-abc": "kept by an earlier version"})
    session, _, _ = flow({})
    opened = open_existing(session)
    assert opened is not None
    names = sorted(name for _service, name in memory_keyring.store)
    assert names == [f"key-{vault_id}", f"notes-{vault_id}"]  # no pw-…, no index-…
    assert keys.load_secret(vault_id, "pw-abc") == "kept by an earlier version"
    wipe(default_paths())
    assert memory_keyring.store == {}


def test_ctrl_c_mid_questions_keeps_the_answers_before(vault_ready: None) -> None:
    add_gmail_and_instagram()
    gmail = stored().accounts[0]
    session, _, _ = flow(
        {
            "passwords.menu": "check",
            "passwords.check.account": gmail.id,
            "passwords.q.ex_knows_password": "yes",
            "passwords.q.ex_used_signed_in_device": INTERRUPT,
        }
    )
    with pytest.raises(KeyboardInterrupt):
        run_passwords(session)
    assert stored().accounts[0].answers == {"ex_knows_password": True}


# -- check, report, status ----------------------------------------------------------------------

EXPORT = (
    "name,url,username,password,note\n"
    "Gmail,https://mail.google.com,me@x.com,Rex2019!,\n"
    "Bank,https://bank.example,me,correct-horse-battery-staple-xyz,\n"
    'Shop,https://shop.example,me,Rex2019!,"a note, with\na newline"\n'
)


@pytest.fixture
def export_file(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(EXPORT)
    return path


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    capsys.readouterr()
    assert run(["passwords", "check", *args, "--json"]) == 0
    captured = capsys.readouterr()
    for secret in ("Rex2019!", "correct-horse", sha1_hex("Rex2019!"), sha1_hex("Rex2019!").lower()):
        assert secret not in captured.out and secret not in captured.err
    return json.loads(captured.out)  # type: ignore[no-any-return]


def test_check_json_keys_and_reuse(
    data_dir: Path, export_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = check_json(capsys, "--csv", str(export_file))
    assert [r["title"] for r in rows] == ["Gmail", "Shop", "Bank"]  # worst first
    assert set(rows[0]) >= {"title", "username", "score", "weak", "reused", "reused_with",
                            "breached", "known_words"}
    by_title = {r["title"]: r for r in rows}
    assert by_title["Gmail"]["reused"] == 1 and by_title["Bank"]["reused"] == 0
    assert by_title["Gmail"]["reused_with"] == ["Shop (me)"]
    assert rows[0]["breached"] is None
    assert not data_dir.exists()  # nothing stored
    assert export_file.exists()  # never deleted without asking


def test_check_uses_the_words_your_ex_knows(
    vault_ready: None, export_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_gmail_and_instagram()
    rows = check_json(capsys, "--csv", str(export_file))
    assert "rex" in rows[0]["known_words"]  # type: ignore[operator]


def test_check_offline_pwned_file(
    data_dir: Path, export_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = sorted([f"{sha1_hex('Rex2019!')}:42", f"{'0' * 40}:1", f"{'F' * 40}:7"])
    pwned = tmp_path / "pwned.txt"
    pwned.write_text("\r\n".join(lines) + "\r\n")
    rows = check_json(capsys, "--csv", str(export_file), "--pwned-file", str(pwned))
    assert {r["title"]: r["breached"] for r in rows} == {"Gmail": 42, "Bank": 0, "Shop": 42}


def test_check_online_against_a_local_range_api(
    data_dir: Path,
    export_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    service: tuple[FakeService, str],  # noqa: F811
) -> None:
    state, url = service
    monkeypatch.setenv("SAFETYKIT_PWNED_API_URL", url)
    rows = check_json(capsys, "--csv", str(export_file), "--online")
    by_title = {r["title"]: r for r in rows}
    assert by_title["Gmail"]["breached"] == 3 and by_title["Bank"]["breached"] == 0
    for path, headers in state.requests:
        assert len(path.rsplit("/", 1)[-1]) == 5
        assert headers.get("add-padding") == "true"


def test_check_online_when_offline(
    data_dir: Path, export_file: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SAFETYKIT_PWNED_API_URL", "http://127.0.0.1:9/range/")
    assert run(["passwords", "check", "--csv", str(export_file), "--online"]) == (
        ExitStatus.NETWORK
    )
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "content",
    [b"", b"just,some,columns\n1,2,3\n", b"\xff\xfe\x00bad", b'name,url,username,password\n"open'],
)
def test_check_bad_exports(
    data_dir: Path, tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    assert run(["passwords", "check", "--csv", str(path)]) == ExitStatus.BAD_INPUT
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()
    assert not data_dir.exists()


def test_check_missing_or_unsorted_pwned_file(
    data_dir: Path, export_file: Path, tmp_path: Path
) -> None:
    assert run(["passwords", "check", "--csv", str(export_file), "--pwned-file",
                str(tmp_path / "none.txt")]) == ExitStatus.BAD_INPUT
    unsorted = tmp_path / "unsorted.txt"
    unsorted.write_text("\n".join([f"{'F' * 40}:1", f"{'0' * 40}:2", f"{'8' * 40}:3"]) + "\n")
    assert run(["passwords", "check", "--csv", str(export_file), "--pwned-file",
                str(unsorted)]) == ExitStatus.BAD_INPUT


def test_report_and_status(vault_ready: None, capsys: pytest.CaptureFixture[str]) -> None:
    add_gmail_and_instagram()
    gmail = stored().accounts[0]
    run_passwords(flow({"passwords.menu": Queue(["walk", "leave"]),
                        f"passwords.walk.{gmail.id}": "done",
                        f"passwords.walk.{stored().accounts[1].id}": "back"})[0])
    capsys.readouterr()
    assert run(["passwords", "report", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["kind"] for r in rows] == ["instagram", "gmail"]  # what is done comes last
    assert rows[0]["state"] == "todo" and rows[1]["state"] == "rotated"
    assert {"id", "label", "kind", "risk", "position", "reason", "rotated"} <= set(rows[0])
    assert rows[1]["reason"].startswith("Changed on ")
    assert run(["status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["passwords"]["accounts"] == 2 and report["passwords"]["rotated"] == 1


def test_after_adding_the_walk_through_asks_about_each_account_then_goes_on_to_changing(
    vault_ready: None,
) -> None:
    session, prompter, out = flow({
        "passwords.menu": Queue(["add", "leave"]),
        "passwords.add": ["gmail", "instagram"],
        "passwords.next": Queue(["yes", "yes"]),
        **{key: Queue(["no", "no"]) for key in ALL_NO},
        "passwords.check.password": Queue([False, False]),
        "passwords.walk.*": Queue(["skip", "back"]),
    })
    run_passwords(session)
    state = stored()
    assert all(record.answered for record in state.accounts)
    # Each question is asked once per account, then the walk-through moves on by itself.
    said = out.getvalue()
    first = said.index("Next: Gmail (questions left for 2 accounts)")
    second = said.index("Next: Instagram (questions left for 1 account)")
    assert first < second < said.index("Next: Gmail", second)  # then the first one to change
    asked = [qid for qid, _ in prompter.asked]
    assert asked.count("passwords.next") == 2
    assert sum(1 for qid in asked if qid.startswith("passwords.walk.")) == 2
    assert not prompter.remaining()


def test_a_carrier_can_get_a_number_pin_of_the_length_it_needs(vault_ready: None) -> None:
    session, prompter, out = flow({
        "passwords.menu": Queue(["add", "walk", "leave"]),
        "passwords.add": ["phone_carrier"],
        "passwords.next": "menu",
        "passwords.walk.*": Queue(["new", "back"]),
        "passwords.new.style": "pin",
        "passwords.new.pin_length": "8",
        "passwords.new.where": "keep",
        "passwords.new.show": False,
    })
    run_passwords(session)
    style = next(m for q, m in prompter.asked if q == "passwords.new.style")
    assert style == "What kind?"
    state = stored()
    (record,) = state.accounts
    secret = state.kept_secrets[record.id]
    assert len(secret) == 8 and secret.isdigit()
    assert secret not in out.getvalue()


def test_no_pin_is_offered_for_a_social_network(vault_ready: None) -> None:
    session, _, _ = flow({
        "passwords.menu": Queue(["add", "walk", "leave"]),
        "passwords.add": ["instagram"],
        "passwords.next": "menu",
        "passwords.walk.*": Queue(["new", "back"]),
        "passwords.new.style": "pin",
    })
    with pytest.raises(AssertionError, match="not a choice"):
        run_passwords(session)


def test_accounts_can_be_renamed_given_another_kind_merged_and_removed(vault_ready: None) -> None:
    session, _, out = flow({
        "passwords.menu": Queue(["add_other", "add_other", "add_other", "leave"]),
        "passwords.add_other": Queue(["Dropbox", "My phone company", "dropbox (work)"]),
        "passwords.next": Queue(["menu", "menu", "menu"]),
    })
    run_passwords(session)
    said = " ".join(out.getvalue().split())
    assert "Added Dropbox, as: Cloud storage. If that is wrong, change it" in said
    assert "Added My phone company." in said  # not recognised: "other", and can be changed
    ids = {r.label: r.id for r in stored().accounts}
    session, _, out = flow({
        "passwords.menu": Queue(["manage", "manage", "manage", "manage", "leave"]),
        "passwords.manage.account": Queue([ids["My phone company"], ids["Dropbox"],
                                           ids["Dropbox"], ids["My phone company"]]),
        "passwords.manage.action": Queue(["kind", "merge", "rename", "remove"]),
        "passwords.manage.kind": "phone_carrier",
        "passwords.manage.merge": ids["dropbox (work)"],
        "passwords.manage.name": "Dropbox (photos)",
        "passwords.manage.remove": True,
    })
    run_passwords(session)
    state = stored()
    assert [(r.label, r.kind) for r in state.accounts] == [("Dropbox (photos)", "cloud_storage")]
    said = " ".join(out.getvalue().split())
    assert "My phone company is now listed as: Phone carrier." in said
    assert "Merged: dropbox (work) is now part of Dropbox." in said
    assert "Removed My phone company." in said
    assert "0 of 1 account changed" in said
