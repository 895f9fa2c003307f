"""The vault's byte format: a small authenticated header, then AES-256-GCM ciphertext.

Layout::

    b"SKV1" | header length (2 bytes, big-endian) | header (JSON) | nonce (12) | ciphertext+tag

The header says how the key is protected (``keyring`` or ``passphrase``), carries the vault id
(which names the keyring entry), the key-derivation parameters for a passphrase, and a short key
check so a wrong key can be told apart from damaged data. The whole header is authenticated as
associated data, so changing any byte of it makes the vault refuse to open.

Pure functions only: no files, no keyring, no prompts.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from typing import Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"SKV1"
FORMAT = 1
KEY_BYTES = 32
NONCE_BYTES = 12
PAD_TO = 1024
MAX_HEADER = 4096

Protection = Literal["keyring", "passphrase"]

# scrypt 2**17 x 8 x 1: 128 MiB and about 0.3-0.5 s here; an attacker pays the same per guess.
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
KDF_MAXMEM = 256 * 1024 * 1024  # what derive_key lets scrypt use
MAX_KDF_WORK = 8 * SCRYPT_N * SCRYPT_R * SCRYPT_P  # a header may ask for 8x today's cost at most


_HEX = re.compile(r"[0-9a-f]{8,64}")


class SealedFormatError(Exception):
    """The bytes are not a vault this version can read (damaged, truncated, or not ours)."""


class WrongKeyError(Exception):
    """The key does not belong to this vault (wrong passphrase or a replaced keyring entry)."""


class TamperedError(Exception):
    """The key is right but the data does not authenticate: it was damaged or changed."""


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    @staticmethod
    def fresh() -> KdfParams:
        # Read the module's settings now, not when the class was defined (tests lower them).
        return KdfParams(salt=secrets.token_bytes(16), n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)


@dataclass(frozen=True)
class Header:
    protection: Protection
    vault_id: str
    key_check: str
    kdf: KdfParams | None = None
    format: int = FORMAT
    created: str | None = None  # when the vault was set up (UTC, to the minute); None before 0.2
    kept_in_keyring: bool = False  # secrets other than the key are kept in the OS keyring

    def to_bytes(self) -> bytes:
        doc: dict[str, object] = {
            "format": self.format,
            "protection": self.protection,
            "vault_id": self.vault_id,
            "key_check": self.key_check,
        }
        if self.created is not None:
            doc["created"] = self.created
        if self.kept_in_keyring:
            doc["kept_in_keyring"] = True
        if self.kdf is not None:
            doc["kdf"] = {
                "name": "scrypt",
                "salt": base64.b64encode(self.kdf.salt).decode("ascii"),
                "n": self.kdf.n,
                "r": self.kdf.r,
                "p": self.kdf.p,
            }
        return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")


def now_stamp() -> str:
    """The current time for a header: UTC, to the minute (no finer than the file's own times)."""
    now = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)
    return now.isoformat().replace("+00:00", "Z")


def new_vault_id() -> str:
    return secrets.token_hex(8)


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_check(key: bytes) -> str:
    return hmac.new(key, b"safetykit key check v1", hashlib.sha256).hexdigest()[:32]


def derive_key(passphrase: str, params: KdfParams) -> bytes:
    """A 256-bit key from a passphrase with scrypt."""
    return hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=params.salt,
        n=params.n,
        r=params.r,
        p=params.p,
        maxmem=KDF_MAXMEM,
        dklen=KEY_BYTES,
    )


def make_header(protection: Protection, key: bytes, *, vault_id: str | None = None,
                kdf: KdfParams | None = None, created: str | None = None) -> Header:
    if (protection == "passphrase") != (kdf is not None):
        raise ValueError("a passphrase vault needs KDF parameters, a keyring vault none")
    return Header(protection=protection, vault_id=vault_id or new_vault_id(),
                  key_check=key_check(key), kdf=kdf, created=created)


def _parse_header(raw: bytes) -> Header:
    try:
        doc = json.loads(raw.decode("utf-8"))
        if not isinstance(doc, dict):
            raise SealedFormatError("header is not an object")
        if doc.get("format") != FORMAT:
            raise SealedFormatError(f"unknown vault format {doc.get('format')!r}")
        protection = doc["protection"]
        if protection not in ("keyring", "passphrase"):
            raise SealedFormatError("unknown protection")
        vault_id = doc["vault_id"]
        check = doc["key_check"]
        created = doc.get("created")
        if not isinstance(vault_id, str) or not isinstance(check, str):
            raise SealedFormatError("bad header fields")
        if not _HEX.fullmatch(vault_id) or not _HEX.fullmatch(check):
            raise SealedFormatError("bad header fields")
        if created is not None and not (isinstance(created, str) and len(created) <= 40):
            raise SealedFormatError("bad header fields")
        kdf = None
        if protection == "passphrase":
            k = doc["kdf"]
            if k.get("name") != "scrypt":
                raise SealedFormatError("unknown key derivation")
            n, r, p = int(k["n"]), int(k["r"]), int(k["p"])
            if not (2**10 <= n <= 2**22 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
                raise SealedFormatError("key derivation parameters out of range")
            if 128 * r * (n + p + 2) > KDF_MAXMEM or n * r * p > MAX_KDF_WORK:
                raise SealedFormatError("key derivation parameters too costly")
            kdf = KdfParams(salt=base64.b64decode(k["salt"], validate=True), n=n, r=r, p=p)
        kept = doc.get("kept_in_keyring", False)
        if not isinstance(kept, bool):
            raise SealedFormatError("bad header fields")
        return Header(
            protection=protection, vault_id=vault_id, key_check=check, kdf=kdf, created=created,
            kept_in_keyring=kept,
        )
    except SealedFormatError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SealedFormatError("the header cannot be read") from exc


def split(blob: bytes) -> tuple[Header, bytes, bytes, bytes]:
    """Header, the authenticated header bytes, nonce and ciphertext, or SealedFormatError."""
    if len(blob) < len(MAGIC) + 2 or blob[: len(MAGIC)] != MAGIC:
        raise SealedFormatError("not a safetykit vault")
    hlen = int.from_bytes(blob[len(MAGIC) : len(MAGIC) + 2], "big")
    start = len(MAGIC) + 2
    if hlen == 0 or hlen > MAX_HEADER or len(blob) < start + hlen + NONCE_BYTES + 16:
        raise SealedFormatError("the vault is truncated")
    header = _parse_header(blob[start : start + hlen])
    aad = blob[: start + hlen]
    nonce = blob[start + hlen : start + hlen + NONCE_BYTES]
    return header, aad, nonce, blob[start + hlen + NONCE_BYTES :]


def read_header(blob: bytes) -> Header:
    return split(blob)[0]


def seal(header: Header, key: bytes, plaintext: bytes) -> bytes:
    if not hmac.compare_digest(key_check(key), header.key_check):
        raise ValueError("key does not match header")
    raw = header.to_bytes()
    aad = MAGIC + len(raw).to_bytes(2, "big") + raw
    padded = plaintext + b" " * (-len(plaintext) % PAD_TO)
    nonce = os.urandom(NONCE_BYTES)
    return aad + nonce + AESGCM(key).encrypt(nonce, padded, aad)


def unseal(blob: bytes, key: bytes) -> bytes:
    """The plaintext (JSON padding included), or SealedFormatError/WrongKeyError/TamperedError."""
    header, aad, nonce, ciphertext = split(blob)
    if len(key) != KEY_BYTES or not hmac.compare_digest(key_check(key), header.key_check):
        raise WrongKeyError("the key does not open this vault")
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag as exc:
        raise TamperedError("the vault does not authenticate") from exc
