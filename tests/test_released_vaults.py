"""Vaults written by released versions still open, and migrate to the current schema.

``tests/fixtures/vault-schema1.bin`` was written by safetykit 0.1.0 (schema 1) and
``vault-schema2.bin`` by the version that added the incident log (schema 2), each protected by
the passphrase below with scrypt n=2**12 (kept low so the test is quick). Add a fixture for every
schema that reaches main; never change an old one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from safetykit.content.checklist import load_checklist
from safetykit.core import checklist as core
from safetykit.passwords.records import PasswordsState, report_rows
from safetykit.storage import schema
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import open_vault, write_state

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("name", "passphrase"),
    [
        ("vault-schema1.bin", "fixture passphrase v1"),
        ("vault-schema2.bin", "fixture passphrase v2"),
    ],
)
def test_released_vault_opens_and_is_usable(data_dir: Path, name: str, passphrase: str) -> None:
    data_dir.mkdir(mode=0o700)
    shutil.copy(FIXTURES / name, default_paths().vault)
    vault = open_vault(default_paths(), passphrase)
    assert vault is not None
    assert vault.state["schema"] == schema.CURRENT
    progress = core.Progress.from_state(vault.section("checklist"))
    assert progress.state_of("contact.block-number") == "done"
    assert core.summary(load_checklist(), progress)["done"] == 1
    assert vault.section("plan")["answers"]["people.code-word"] == "pineapple"
    rows = report_rows(PasswordsState.from_state(vault.section("passwords")))
    assert rows[0]["state"] == "rotated"
    write_state(vault, vault.state)  # and it can be written back in the current format
    again = open_vault(default_paths(), passphrase)
    assert again is not None and again.state == vault.state


def test_a_schema_1_vault_gains_an_empty_log_and_a_schema_2_one_keeps_its_entries(
    data_dir: Path,
) -> None:
    from safetykit.core.log import LogState

    data_dir.mkdir(mode=0o700)
    shutil.copy(FIXTURES / "vault-schema1.bin", default_paths().vault)
    old = open_vault(default_paths(), "fixture passphrase v1")
    assert old is not None and old.state["log"] == {}
    shutil.copy(FIXTURES / "vault-schema2.bin", default_paths().vault)
    vault = open_vault(default_paths(), "fixture passphrase v2")
    assert vault is not None
    (entry,) = vault.read(LogState).entries
    assert entry.fields["location"] == "home" and len(entry.versions) == 2
    assert entry.versions[0].fields["location"] == ""
    assert vault.read(LogState).exports[0].format == "pdf"
