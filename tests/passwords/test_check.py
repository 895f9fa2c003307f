"""Auditing entries end to end, and the JSON rows that never carry a password."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from safetykit.passwords import check
from safetykit.passwords.check import AuditRow, audit_entries
from safetykit.passwords.importers import ImportedEntry, parse_export
from safetykit.passwords.pwned_file import PwnedFile, sha1_hex

JSON_KEYS = {
    "title", "url", "username", "score", "weak", "reused", "reused_with", "breached",
    "known_words", "famous", "duplicates", "needs_attention",
}


def entry(title: str, password: str) -> ImportedEntry:
    return ImportedEntry(
        title=title, url=f"https://{title.lower()}.example", username="amy", password=password
    )


def test_audit_marks_known_words_reuse_and_breaches(tmp_path: Path) -> None:
    entries = [
        entry("Mail", "Rex2019!"),
        entry("Bank", "orbit-velvet-canopy-thimble-garnish"),
        entry("Shop", "Rex2019!"),
        entry("Forum", "password1"),
        entry("Passkey", ""),
    ]
    breached = {sha1_hex("password1"): 2_413_945, sha1_hex("Rex2019!"): 3}
    path = tmp_path / "pwned.txt"
    path.write_text("".join(f"{h}:{n}\r\n" for h, n in sorted(breached.items())))
    with PwnedFile(path) as pwned:
        rows = audit_entries(entries, ["Rex", "2019-06-01"], pwned.count)
    by_title = {row.title: row for row in rows}
    mail, bank, shop, forum, passkey = (
        by_title[t] for t in ("Mail", "Bank", "Shop", "Forum", "Passkey")
    )
    assert [row.title for row in rows][-2:] == ["Bank", "Passkey"]  # worst first
    assert mail.reused_with == ("Shop (amy)",) and shop.reused_with == ("Mail (amy)",)
    assert mail.known_words == ("rex", "2019") and mail.weak
    assert mail.reused == 1 and shop.reused == 1
    assert mail.breached == 3
    assert bank.weak is False and bank.breached == 0 and bank.reused == 0
    assert forum.breached == 2_413_945 and forum.weak
    assert passkey.score is None and passkey.breached is None and not passkey.weak
    assert not passkey.has_password


def test_breached_is_none_without_a_lookup() -> None:
    (row,) = audit_entries([entry("Mail", "hunter2")])
    assert row.breached is None
    assert row.to_json()["breached"] is None


def test_each_distinct_password_is_looked_up_once() -> None:
    asked: list[str] = []

    def lookup(sha1: str) -> int:
        asked.append(sha1)
        return 0

    audit_entries([entry("A", "same"), entry("B", "same"), entry("C", "other")], [], lookup)
    assert sorted(asked) == sorted({sha1_hex("same"), sha1_hex("other")})


def test_to_json_has_exactly_the_documented_keys() -> None:
    (row,) = audit_entries([entry("Mail", "Rex2019!")], ["Rex"])
    data = row.to_json()
    assert set(data) == JSON_KEYS
    assert data["known_words"] == ["rex"]
    json.dumps(data)


def test_signals_for_rotation() -> None:
    (row,) = audit_entries([entry("Mail", "Rex2019!")], ["Rex"])
    signals = row.signals()
    assert signals.known_words == ("rex",) and signals.weak


def test_worker_processes_give_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [entry(f"S{i}", f"Pw{i}-Rex!{i * 7919}") for i in range(40)]
    single = audit_entries(entries, ["Rex"], workers=1)
    parallel = audit_entries(entries, ["Rex"], workers=2)
    assert [r.to_json() for r in parallel] == [r.to_json() for r in single]


def test_falls_back_when_worker_processes_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("no processes here")

    monkeypatch.setattr(check, "ProcessPoolExecutor", Broken)
    rows = audit_entries([entry("A", "one"), entry("B", "two")], [], workers=2)
    assert [r.score for r in rows] == [
        r.score for r in audit_entries([entry("A", "one"), entry("B", "two")], [], workers=1)
    ]


def test_default_workers() -> None:
    assert check._worker_count(None, 10) == 1
    assert check._worker_count(None, 10_000) >= 1
    assert check._worker_count(3, 2) == 2


def test_audit_of_a_parsed_export() -> None:
    text = (
        "Title,URL,Username,Password,Notes,OTPAuth\r\n"
        'Mail,https://mail.example,amy,Rex2019!,"note, with comma",\r\n'
        "Bank,https://bank.example,amy,orbit-velvet-canopy-thimble,,\r\n"
    )
    rows = audit_entries(parse_export(text).entries, ["Rex"])
    assert [r.title for r in rows] == ["Mail", "Bank"]  # the guessable one first


# Everything a row's JSON can contain besides the password-derived findings.
VOCABULARY = " ".join(
    [
        *JSON_KEYS,
        "Site 0 Site 1 Site 2 Site 3 Site 4",
        " ".join(f"Site {i} (amy)" for i in range(5)),
        "https://s.example",
        "amy",
        "rex",
        "true false null None True False AuditRow(feedback=)",
        "0 1 2 3 4 5",
        '{"": [], ,}',
    ]
)


@settings(max_examples=80, deadline=None)
@given(passwords=st.lists(st.text(min_size=6, max_size=40), min_size=1, max_size=5))
def test_json_rows_never_contain_the_password_or_its_sha1(passwords: list[str]) -> None:
    assume(all(pw not in VOCABULARY for pw in passwords))
    entries = [
        ImportedEntry(title=f"Site {i}", url="https://s.example", username="amy", password=pw)
        for i, pw in enumerate(passwords)
    ]
    rows = audit_entries(entries, ["Rex"], lambda sha1: 5, workers=1)
    for row in rows:
        for text in (json.dumps(row.to_json()), json.dumps(row.to_json(), ensure_ascii=False)):
            for pw in passwords:
                assert pw not in text
                assert json.dumps(pw)[1:-1] not in text
                digest = sha1_hex(pw)
                assert digest[:12] not in text and digest.lower()[:12] not in text
        shown = repr(row).replace(repr(row.feedback), "")  # feedback is fixed wording
        for pw in passwords:
            assert pw not in shown


def test_row_repr_and_json_for_a_fixed_secret() -> None:
    secret = "S3cret-Value-42"
    (row,) = audit_entries([entry("Mail", secret)], [], lambda sha1: 1)
    assert isinstance(row, AuditRow)
    for shown in (repr(row), json.dumps(row.to_json())):
        assert secret not in shown
        assert sha1_hex(secret) not in shown
