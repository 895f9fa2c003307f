"""Every common export, as each product writes it (tests/fixtures/exports/, sources in its
README), is read right: the product named, only logins audited, other items counted, every
quirk undone, and no password changed on the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from safetykit.passwords.importers import (
    MalformedCsvError,
    decode_export,
    parse_export,
    read_export,
    skipped_phrase,
)

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"
TRICKY = 'Tr1cky,"quoted"pw'
VIET = "Mật-khẩu€9"

# file: (product label, logins, skipped phrase, (title, username, password) of some logins)
EXPECTED: dict[str, tuple[str, int, str, list[tuple[str, str, str]]]] = {
    "chrome-current-linux-mac.csv": (
        "Chrome / Edge", 4, "", [("example.org", "sam@example.org", TRICKY),
                                  ("example.org", "Nguyễn.sam@example.org", VIET)]),
    "chrome-current-windows.csv": ("Chrome / Edge", 4, "", [("example.net", "", TRICKY)]),
    "chrome-legacy-no-note.csv": ("Chrome / Edge", 4, "", [("Example App", "sam@example.org",
                                                            "pinecone-42")]),
    "chrome-excel-resave-csv-utf8-bom-semicolon.csv": (
        "Chrome / Edge", 6, "", [("example.org", "José.Müller@example.org", "Grüße;2024€"),
                                  ("example.org", "Nguyễn.sam@example.org", VIET)]),
    "chrome-excel-resave-de-cp1252-semicolon.csv": (
        "Chrome / Edge", 6, "", [("example.org", "José.Müller@example.org", "Grüße;2024€")]),
    "firefox.csv": ("Firefox", 3, "1 other item skipped",
                    [("mail.example.org", "sam@example.org", TRICKY),
                     ("192.168.1.1", "admin", "router pass ")]),
    "apple-passwords-safari15.4plus.csv": ("Safari / Apple Passwords", 3, "",
                                           [("shop.example.net (Nguyễn)", "Nguyễn", VIET)]),
    "safari-15.0-15.3-early.csv": ("Safari / Apple Passwords", 2, "",
                                   [("mail.example.org (sam@example.org)", "sam@example.org",
                                     TRICKY)]),
    "bitwarden-personal.csv": ("Bitwarden", 3, "1 other item skipped (1 note)",
                               [("Example Bank", "sam@example.org", TRICKY),
                                ("No password yet", "sam", "")]),
    "bitwarden-personal-pre-reprompt-2021.csv": ("Bitwarden", 3,
                                                 "1 other item skipped (1 note)", []),
    "bitwarden-organization.csv": ("Bitwarden", 3, "1 other item skipped (1 note)",
                                   [("Example Mail", "Nguyễn.sam@example.org", VIET)]),
    "1password8.csv": ("1Password 8", 3, "", [("Example Mail", "sam@example.org", TRICKY)]),
    "1password7-mac-allfields-labels.csv": ("1Password 7", 2,
                                            "2 other items skipped (1 card, 1 note)",
                                            [("Example Mail", "sam@example.org", TRICKY)]),
    "1password7-mac-common-labels.csv": ("1Password 7", 2, "",
                                         [("Shop Nguyễn", "Nguyễn", VIET)]),
    "1password7-mac-common-nolabels.csv": ("1Password 7", 2, "",
                                           [("Example Mail", "sam@example.org", TRICKY)]),
    "1password7-windows.csv": ("1Password 7", 2, "1 other item skipped",
                               [("Example Mail", "sam@example.org", TRICKY)]),
    "keepassxc-2.6.3plus.csv": ("KeePassXC", 2,
                                "2 other items skipped (1 deleted item, 1 note)",
                                [("Shop", "Nguyễn", VIET)]),
    "keepassxc-2.6.2-and-older.csv": ("KeePassXC", 2,
                                      "2 other items skipped (1 deleted item, 1 note)", []),
    "keepass2-csv1x.csv": ("KeePass 2", 3, "", [("Example Mail", "sam@example.org", TRICKY)]),
    "lastpass-current.csv": ("LastPass", 3,
                             "3 other items skipped (1 card, 1 note, 1 Wi-Fi network)",
                             [("Example Bank", "sam", "amp&pw<1>"), ("Shop", "Nguyễn", VIET)]),
    "lastpass-current-crcrlf.csv": ("LastPass", 3,
                                    "3 other items skipped (1 card, 1 note, 1 Wi-Fi network)",
                                    [("Example Mail", "sam@example.org", TRICKY)]),
    "lastpass-pre-totp-extension-html-entities.csv": (
        "LastPass", 3, "3 other items skipped (1 card, 1 note, 1 Wi-Fi network)",
        [("Example Bank", "sam", "amp&pw<1>")]),
    "dashlane-2021-2024-credentials.csv": ("Dashlane", 3, "",
                                           [("Example Mail", "sam@example.org", TRICKY)]),
    "dashlane-2024plus-credentials.csv": ("Dashlane", 3, "", [("Shop", "Nguyễn", VIET)]),
    "dashlane-csv-export.zip": ("Dashlane", 3,
                                "5 other items skipped (2 identities, 2 notes, 1 card)", []),
    "dashlane-legacy-pre2019-noheader.csv": ("Dashlane (before 2019)", 2,
                                             "1 other item skipped",
                                             [("Example Mail", "sam@example.org", TRICKY)]),
    "nordpass-2021-2022-notype.csv": (
        "NordPass", 2, "5 other items skipped (2 folders, 1 card, 1 identity, 1 note)",
        [("Example Bank", "sam@example.org", TRICKY)]),
    "nordpass-2023-type.csv": (
        "NordPass", 2, "5 other items skipped (2 folders, 1 card, 1 identity, 1 note)", []),
    "nordpass-current-24col.csv": (
        "NordPass", 2, "5 other items skipped (2 folders, 1 card, 1 identity, 1 note)",
        [("Shop", "Nguyễn", VIET)]),
    "protonpass-2023-before-email-column.csv": (
        "Proton Pass", 2, "4 other items skipped (1 alias, 1 card, 1 note, 1 Wi-Fi network)",
        [("Example Mail", "sam@example.org", TRICKY)]),
    "protonpass-2024-2025.csv": (
        "Proton Pass", 2, "4 other items skipped (1 alias, 1 card, 1 note, 1 Wi-Fi network)",
        [("Example Mail", "sam@example.org", TRICKY)]),
    "protonpass-current-autofillUrls.csv": (
        "Proton Pass", 2, "4 other items skipped (1 alias, 1 card, 1 note, 1 Wi-Fi network)",
        [("Example Mail", "sam@example.org", TRICKY), ("Shop", "Nguyễn", VIET)]),
    "enpass6-noheader.csv": ("Enpass", 2, "2 other items skipped (1 card, 1 note)",
                             [("Example Mail", "sam", TRICKY), ("Shop", "Nguyễn", VIET)]),
    "roboform-v9-rffieldsv2.csv": ("RoboForm", 2, "2 other items skipped (1 bookmark, 1 note)",
                                   [("Example Mail", "sam@example.org", TRICKY),
                                    ("Shop", "@Nguyễn", "'" + VIET)]),
    "roboform-legacy-rf_fields.csv": ("RoboForm", 2, "",
                                      [("Example Mail", "sam@example.org", TRICKY)]),
    "keeper-noheader.csv": ("Keeper", 3, "2 other items skipped",
                            [("Example Mail", "sam@example.org", TRICKY),
                             ("Family router", "admin", "router pass ")]),
}


def test_every_fixture_has_an_expectation() -> None:
    files = {p.name for p in EXPORTS.iterdir() if p.suffix in (".csv", ".zip")}
    assert files - {"lastpass-corrupted-unquoted-multiline.csv"} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_export_is_read_right(name: str) -> None:
    label, logins, skipped, samples = EXPECTED[name]
    result = read_export(EXPORTS / name)
    assert result.layout_label == label
    assert len(result.entries) == logins
    assert skipped_phrase(result) == skipped
    found = {(e.title, e.username, e.password) for e in result.entries}
    for sample in samples:
        assert sample in found, (sample, found)


def _variants(data: bytes) -> dict[str, bytes]:
    """The same export with LF and CRLF line ends, with and without a UTF-8 byte-order mark."""
    body = data.removeprefix(b"\xef\xbb\xbf")
    lf = body.replace(b"\r\n", b"\n")
    crlf = lf.replace(b"\n", b"\r\n")
    bom = b"\xef\xbb\xbf"
    return {"lf": lf, "crlf": crlf, "bom-lf": bom + lf, "bom-crlf": bom + crlf}


@pytest.mark.parametrize(
    "name", sorted(n for n in EXPECTED if n.endswith(".csv") and "cp1252" not in n)
)
def test_line_ends_and_byte_order_marks_do_not_matter(name: str) -> None:
    reference = read_export(EXPORTS / name)

    def significant(entries: object) -> list[tuple[str, str, str, str]]:
        return [
            (e.title, e.url, e.username, e.password.replace("\r\n", "\n"))
            for e in entries  # type: ignore[attr-defined]
        ]

    for variant, data in _variants((EXPORTS / name).read_bytes()).items():
        decoded = decode_export(data)
        result = parse_export(decoded.text)
        assert result.layout == reference.layout, variant
        assert significant(result.entries) == significant(reference.entries), variant
        assert dict(result.skipped_kinds) == dict(reference.skipped_kinds), variant


def test_a_spreadsheet_re_save_is_read_and_said_to_be_lossy() -> None:
    result = read_export(EXPORTS / "chrome-excel-resave-de-cp1252-semicolon.csv")
    assert result.lossy  # Windows-1252: "Nguyễn" could not survive the re-save
    assert any(e.username == "Nguy?n.sam@example.org" for e in result.entries)
    assert not read_export(EXPORTS / "chrome-excel-resave-csv-utf8-bom-semicolon.csv").lossy


def test_utf16_from_a_spreadsheet_with_tabs() -> None:
    text = "name\turl\tusername\tpassword\nMail\thttps://mail.example.org\tsam\tTr1cky pw\n"
    decoded = decode_export("\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))
    result = parse_export(decoded.text)
    assert result.layout_label == "Chrome / Edge"
    assert [(e.username, e.password) for e in result.entries] == [("sam", "Tr1cky pw")]


def test_a_damaged_lastpass_export_is_said_to_be_damaged() -> None:
    with pytest.raises(MalformedCsvError, match="has 5 columns"):
        read_export(EXPORTS / "lastpass-corrupted-unquoted-multiline.csv")


def test_html_entities_only_undone_for_lastpass() -> None:
    chrome = "name,url,username,password\nx,https://x.example,sam,a&amp;b\n"
    assert parse_export(chrome).entries[0].password == "a&amp;b"  # really part of the password


def test_headerless_files_can_be_named() -> None:
    data = (EXPORTS / "keeper-noheader.csv").read_text(encoding="utf-8")
    assert parse_export(data, "keeper").layout_label == "Keeper"
    with pytest.raises(Exception, match="does not know the product"):
        parse_export(data, "notapassword manager")


def test_kind_of_every_skipped_item_is_counted_in_json() -> None:
    from safetykit.passwords.importers import describe

    facts = describe(read_export(EXPORTS / "protonpass-current-autofillUrls.csv"))
    assert facts == {
        "product": "Proton Pass", "logins": 2, "lossy": False,
        "skipped": {"alias": 1, "card": 1, "note": 1, "wifi": 1},
    }
