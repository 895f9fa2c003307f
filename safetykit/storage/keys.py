"""The vault key in the OS keyring. The ONLY module that imports ``keyring``.

Every call runs with a timeout (a locked desktop keyring can wait for ever for an unlock dialog),
and every failure becomes a calm ``SafetykitError``. Only keyrings that keep secrets encrypted by
the operating system count as usable: plaintext or weakly encrypted file backends (the "alt"
keyring packages), the ``fail`` and ``null`` backends, and anything unknown are refused, never
used silently.
"""

from __future__ import annotations

import base64
import binascii
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import keyring
from keyring import errors
from keyring.backends import chainer, fail, null

from safetykit.errors import KeyringUnavailableError, LockedError

SERVICE_ENV = "SAFETYKIT_KEYRING_SERVICE"
TIMEOUT_ENV = "SAFETYKIT_KEYRING_TIMEOUT"
# Neutral on purpose: the keyring's item list should not announce a safety plan.
DEFAULT_SERVICE = "local-notes-store"
DEFAULT_TIMEOUT = 15.0
NO_KEYRING = "This computer has no keyring service that safetykit can use."

# Backends that keep secrets with the operating system's own protection.
TRUSTED_BACKEND_MODULES: tuple[str, ...] = (
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
    "keyring.backends.kwallet",
)

T = TypeVar("T")


def service_name() -> str:
    return os.environ.get(SERVICE_ENV) or DEFAULT_SERVICE


def timeout_seconds() -> float:
    try:
        value = float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


@dataclass(frozen=True)
class KeyringInfo:
    usable: bool
    backend: str
    reason: str | None = None


def _backend_name(backend: Any) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _trusted(backend: Any) -> bool:
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends) and all(_trusted(b) for b in backend.backends)
    module = type(backend).__module__
    return any(module == m or module.startswith(m + ".") for m in TRUSTED_BACKEND_MODULES)


def keyring_info() -> KeyringInfo:
    """Whether the keyring here can hold the vault key safely; if not, why not (plain words)."""
    try:
        backend = _with_timeout(keyring.get_keyring)
    except KeyringUnavailableError as exc:
        return KeyringInfo(False, "unknown", exc.message)
    except Exception:
        return KeyringInfo(False, "unknown", "The keyring could not be started on this computer.")
    name = _backend_name(backend)
    if isinstance(backend, fail.Keyring | null.Keyring):
        return KeyringInfo(False, name, NO_KEYRING)
    if not _trusted(backend):
        return KeyringInfo(
            False,
            name,
            "The keyring here keeps secrets in a file without the system's protection, "
            "so safetykit will not use it.",
        )
    return KeyringInfo(True, name)


def _with_timeout(fn: Callable[..., T], *args: Any) -> T:
    """Run one keyring call in a daemon thread; give up after the timeout."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # handed back to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, name="keyring-call", daemon=True)
    worker.start()
    limit = timeout_seconds()
    worker.join(limit)
    if worker.is_alive():
        raise KeyringUnavailableError(
            f"The keyring did not answer within {limit:g} seconds.",
            hint="It may be waiting to be unlocked. Unlock it and try again, "
            "or choose a passphrase instead.",
        )
    if "error" in box:
        raise _translate(box["error"]) from None
    return box["value"]  # type: ignore[no-any-return]


def _translate(exc: BaseException) -> Exception:
    if isinstance(exc, errors.KeyringLocked | errors.InitError):
        return LockedError(
            "The keyring is locked, so safetykit cannot reach its key.",
            hint="Unlock your keyring (usually by logging in to the desktop) and try again.",
        )
    if isinstance(exc, errors.NoKeyringError):
        return KeyringUnavailableError(NO_KEYRING)
    return KeyringUnavailableError(
        "The keyring did not work just now.",
        hint="Try again, or choose a passphrase instead.",
    )


def _require_usable() -> None:
    info = keyring_info()
    if not info.usable:
        raise KeyringUnavailableError(info.reason or "No usable keyring.")


def _account(vault_id: str, kind: str = "key") -> str:
    return f"{kind}-{vault_id}"


def store_vault_key(vault_id: str, key: bytes) -> None:
    _require_usable()
    encoded = base64.b64encode(key).decode("ascii")
    _with_timeout(keyring.set_password, service_name(), _account(vault_id), encoded)
    if _with_timeout(keyring.get_password, service_name(), _account(vault_id)) != encoded:
        raise KeyringUnavailableError("The keyring did not keep the key when asked to.")


def load_vault_key(vault_id: str) -> bytes:
    _require_usable()
    encoded = _with_timeout(keyring.get_password, service_name(), _account(vault_id))
    if encoded is None:
        raise LockedError(
            "The key to your saved data is not in this computer's keyring any more.",
            hint="Without it the saved data cannot be opened. If this is another login or "
            "computer, use the one where you started. 'safetykit wipe' starts again from nothing.",
        )
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise LockedError("The key in the keyring has been changed and no longer fits.") from None


def delete_entry(vault_id: str, kind: str = "key", *, service: str | None = None) -> bool:
    """Remove one entry; True if something was removed. Missing entries are not an error."""

    def delete() -> bool:
        try:
            keyring.delete_password(service or service_name(), _account(vault_id, kind))
        except errors.PasswordDeleteError:
            return False
        return True

    _require_usable()
    return _with_timeout(delete)


def store_secret(vault_id: str, label: str, secret: str) -> None:
    """Keep a secret (a newly made password) in the keyring under an opaque label."""
    _require_usable()
    _with_timeout(keyring.set_password, service_name(), _account(vault_id, label), secret)


def load_secret(vault_id: str, label: str) -> str | None:
    _require_usable()
    value = _with_timeout(keyring.get_password, service_name(), _account(vault_id, label))
    return value if isinstance(value, str) else None


INDEX_LABEL = "index"


def kept_labels(vault_id: str, *, service: str | None = None) -> list[str]:
    """Labels of the secrets kept for this vault (an index entry, so ``wipe`` finds them all)."""
    _require_usable()
    raw = _with_timeout(
        keyring.get_password, service or service_name(), _account(vault_id, INDEX_LABEL)
    )
    return [label for label in (raw or "").split(",") if label]


def move_kept_secrets(old_id: str, new_id: str) -> list[str]:
    """Copy every secret kept for ``old_id`` to ``new_id`` (the old entries stay until removed);
    the labels copied."""
    labels = kept_labels(old_id)
    for label in labels:
        secret = load_secret(old_id, label)
        if secret is not None:
            store_secret(new_id, label, secret)
    if labels:
        _write_index(new_id, labels)
    return labels


def _write_index(vault_id: str, labels: list[str]) -> None:
    if labels:
        _with_timeout(
            keyring.set_password, service_name(), _account(vault_id, INDEX_LABEL), ",".join(labels)
        )
    else:
        delete_entry(vault_id, INDEX_LABEL)


def keep_secret(vault_id: str, label: str, secret: str) -> None:
    """Keep a secret (a newly made password) until the person says it is safe elsewhere."""
    if "," in label:
        raise ValueError("labels cannot contain commas")
    store_secret(vault_id, label, secret)
    labels = kept_labels(vault_id)
    if label not in labels:
        _write_index(vault_id, [*labels, label])


def forget_secret(vault_id: str, label: str) -> None:
    delete_entry(vault_id, label)
    _write_index(vault_id, [x for x in kept_labels(vault_id) if x != label])
