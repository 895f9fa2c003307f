"""Vaults with known contents, made directly (not through the program) for tests to start from."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from safetykit.storage import schema, sealed
from safetykit.storage.paths import DataPaths
from safetykit.storage.vault import Vault, write_state

FAST_N = 2**10  # the smallest scrypt cost the header parser accepts: quick tests
PASSPHRASE = "terminal test passphrase"


def passphrase_vault(
    root: Path, state: dict[str, Any] | None = None, passphrase: str = PASSPHRASE
) -> Vault:
    """A passphrase vault in ``root`` holding ``state`` (merged into an empty state)."""
    kdf = sealed.KdfParams(salt=os.urandom(16), n=FAST_N)
    key = sealed.derive_key(passphrase, kdf)
    header = sealed.make_header("passphrase", key, kdf=kdf, created=sealed.now_stamp())
    full = {**schema.empty_state(), **(state or {})}
    vault = Vault(DataPaths(root), header, key, full)
    write_state(vault, full)
    return vault


def keyring_vault(env: dict[str, str], state: dict[str, Any] | None = None) -> None:
    """A keyring vault made by another process with ``env`` (its keyring and data folder)."""
    code = (
        "import json, sys\n"
        "from safetykit.storage.paths import default_paths\n"
        "from safetykit.storage.vault import create_vault, write_state\n"
        "vault = create_vault(default_paths(), 'keyring')\n"
        "write_state(vault, {**vault.state, **json.loads(sys.stdin.read())})\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(state or {}), text=True, env=env,
        check=True, timeout=60,
    )


def keep_the_old_way(vault: Vault, kept: dict[str, str]) -> None:
    """Keep passwords in the keyring as earlier versions did: one entry each,
    ``pw-<account>-<vault id>``, listed by ``index-<vault id>`` (and the header says so)."""
    import keyring

    from safetykit.storage import keys

    vault_id = vault.header.vault_id
    for label, secret in kept.items():
        keyring.set_password(keys.service_name(), f"{label}-{vault_id}", secret)
    keyring.set_password(keys.service_name(), f"index-{vault_id}", ",".join(kept))
    vault.note_keyring_secrets()
