"""The vault's byte format: round trips, wrong keys, tampering, truncation."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetykit.storage import sealed

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)


def keyring_header(key: bytes) -> sealed.Header:
    return sealed.make_header("keyring", key)


@settings(max_examples=150, deadline=None)
@given(value=json_values)
def test_any_json_state_round_trips(value: object) -> None:
    key = sealed.new_key()
    plaintext = json.dumps({"schema": 1, "data": value}).encode()
    blob = sealed.seal(keyring_header(key), key, plaintext)
    assert json.loads(sealed.unseal(blob, key)) == {"schema": 1, "data": value}


def test_ciphertext_hides_the_plaintext_and_its_length() -> None:
    key = sealed.new_key()
    header = keyring_header(key)
    short = sealed.seal(header, key, b'{"a":"MARKER-123"}')
    longer = sealed.seal(header, key, b'{"a":"MARKER-123' + b"x" * 300 + b'"}')
    assert b"MARKER-123" not in short
    assert len(short) == len(longer)  # padded to the same block


def test_each_save_uses_a_fresh_nonce() -> None:
    key = sealed.new_key()
    header = keyring_header(key)
    assert sealed.seal(header, key, b"{}") != sealed.seal(header, key, b"{}")


def test_wrong_key_is_told_apart_from_damage() -> None:
    key = sealed.new_key()
    blob = sealed.seal(keyring_header(key), key, b"{}")
    with pytest.raises(sealed.WrongKeyError):
        sealed.unseal(blob, sealed.new_key())
    damaged = bytearray(blob)
    damaged[-5] ^= 0x01
    with pytest.raises(sealed.TamperedError):
        sealed.unseal(bytes(damaged), key)


@settings(max_examples=200, deadline=None)
@given(position=st.integers(min_value=0), flip=st.integers(min_value=1, max_value=255))
def test_any_changed_byte_is_refused(position: int, flip: int) -> None:
    key = sealed.new_key()
    blob = bytearray(sealed.seal(keyring_header(key), key, b'{"schema":1}'))
    blob[position % len(blob)] ^= flip
    with pytest.raises((sealed.SealedFormatError, sealed.WrongKeyError, sealed.TamperedError)):
        sealed.unseal(bytes(blob), key)


@settings(max_examples=100, deadline=None)
@given(cut=st.integers(min_value=0))
def test_truncated_vault_is_refused(cut: int) -> None:
    key = sealed.new_key()
    blob = sealed.seal(keyring_header(key), key, b'{"schema":1}')
    with pytest.raises((sealed.SealedFormatError, sealed.TamperedError)):
        sealed.unseal(blob[: cut % len(blob)], key)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=600))
def test_random_bytes_never_crash_the_reader(data: bytes) -> None:
    with pytest.raises((sealed.SealedFormatError, sealed.WrongKeyError, sealed.TamperedError)):
        sealed.unseal(sealed.MAGIC + data, sealed.new_key())


def test_passphrase_key_derivation_is_salted_and_deterministic() -> None:
    params = sealed.KdfParams(salt=b"s" * 16, n=2**12)
    same = sealed.derive_key("correct horse battery", params)
    assert same == sealed.derive_key("correct horse battery", params)
    assert same != sealed.derive_key("correct horse battery", sealed.KdfParams(b"t" * 16, n=2**12))
    assert len(same) == sealed.KEY_BYTES


def test_header_records_protection_without_secrets() -> None:
    params = sealed.KdfParams.fresh()
    key = sealed.derive_key("a long passphrase", sealed.KdfParams(params.salt, n=2**12))
    header = sealed.make_header("passphrase", key, kdf=sealed.KdfParams(params.salt, n=2**12))
    blob = sealed.seal(header, key, b"{}")
    read = sealed.read_header(blob)
    assert read.protection == "passphrase"
    assert read.kdf is not None and read.kdf.salt == params.salt
    assert b"a long passphrase" not in blob
