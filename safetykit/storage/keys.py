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
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import keyring
from keyring import errors
from keyring.backends import chainer, fail, null

from safetykit.errors import KeyringUnavailableError, LockedError
from safetykit.i18n import N_, _

SERVICE_ENV = "SAFETYKIT_KEYRING_SERVICE"
TIMEOUT_ENV = "SAFETYKIT_KEYRING_TIMEOUT"
# Neutral on purpose: the keyring's item list should not announce a safety plan.
DEFAULT_SERVICE = "local-notes-store"
DEFAULT_TIMEOUT = 15.0
NO_KEYRING = N_("This computer has no keyring service that safetykit can use.")

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
        return KeyringInfo(
            False, "unknown", _("The keyring could not be started on this computer.")
        )
    name = _backend_name(backend)
    if isinstance(backend, fail.Keyring | null.Keyring):
        return KeyringInfo(False, name, _(NO_KEYRING))
    if not _trusted(backend):
        return KeyringInfo(
            False,
            name,
            _(
                "The keyring here keeps secrets in a file without the system's protection, "
                "so safetykit will not use it."
            ),
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
            _("The keyring did not answer within {seconds} seconds.").format(
                seconds=f"{limit:g}"
            ),
            hint=_(
                "It may be waiting to be unlocked. Unlock it and try again, "
                "or choose a passphrase instead."
            ),
        )
    if "error" in box:
        raise _translate(box["error"]) from None
    return box["value"]  # type: ignore[no-any-return]


def _translate(exc: BaseException) -> Exception:
    if isinstance(exc, errors.KeyringLocked | errors.InitError):
        return LockedError(
            _("The keyring is locked, so safetykit cannot reach its key."),
            hint=_("Unlock your keyring (usually by logging in to the desktop) and try again."),
        )
    if isinstance(exc, errors.NoKeyringError):
        return KeyringUnavailableError(_(NO_KEYRING))
    return KeyringUnavailableError(
        _("The keyring did not work just now."),
        hint=_("Try again, or choose a passphrase instead."),
    )


def _require_usable() -> None:
    info = keyring_info()
    if not info.usable:
        raise KeyringUnavailableError(info.reason or _("No usable keyring."))


def _account(vault_id: str, kind: str = "key") -> str:
    return f"{kind}-{vault_id}"


def store_vault_key(vault_id: str, key: bytes) -> None:
    _require_usable()
    encoded = base64.b64encode(key).decode("ascii")
    _with_timeout(keyring.set_password, service_name(), _account(vault_id), encoded)
    if _with_timeout(keyring.get_password, service_name(), _account(vault_id)) != encoded:
        raise KeyringUnavailableError(_("The keyring did not keep the key when asked to."))


def load_vault_key(vault_id: str) -> bytes:
    _require_usable()
    encoded = _with_timeout(keyring.get_password, service_name(), _account(vault_id))
    if encoded is None:
        raise LockedError(
            _("The key to your saved data is not in this computer's keyring any more."),
            hint=_(
                "Without it the saved data cannot be opened. If this is another login or "
                "computer, use the one where you started. 'safetykit wipe' starts again from "
                "nothing."
            ),
        )
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise LockedError(
            _("The key in the keyring has been changed and no longer fits.")
        ) from None


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


# Secrets kept for a vault (passwords safetykit made, until the person has them somewhere safe)
# live in ONE entry, ``notes-<vault id>``, as a JSON object {label: secret}. A keyring's list of
# items then shows one neutral entry beside the key: not that passwords are kept, not how many,
# and not (by each entry's own dates) when each one was made.
KEPT_LABEL = "notes"
# Earlier versions gave each secret its own entry, ``pw-<account id>-<vault id>``, listed by
# ``index-<vault id>``. Those are still read, and moved into the one entry whenever the kept
# secrets are used (``_kept``); ``wipe`` removes either layout (``legacy_labels``).
INDEX_LABEL = "index"


def legacy_labels(vault_id: str, *, service: str | None = None) -> list[str]:
    """Labels of the secrets kept one entry each by an earlier version (its index entry)."""
    _require_usable()
    raw = _with_timeout(
        keyring.get_password, service or service_name(), _account(vault_id, INDEX_LABEL)
    )
    return [label for label in (raw or "").split(",") if label]


def _read_kept(vault_id: str) -> dict[str, str]:
    raw = _with_timeout(keyring.get_password, service_name(), _account(vault_id, KEPT_LABEL))
    if not raw:
        return {}
    try:
        doc = json.loads(raw)
    except ValueError:
        doc = None
    if not isinstance(doc, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in doc.items()
    ):
        raise LockedError(
            _("The keyring entry that holds what safetykit kept has been changed and no longer "
              "fits.")
        )
    return doc


def _write_kept(vault_id: str, kept: dict[str, str]) -> None:
    if not kept:
        delete_entry(vault_id, KEPT_LABEL)
        return
    encoded = json.dumps(kept, sort_keys=True)
    _with_timeout(keyring.set_password, service_name(), _account(vault_id, KEPT_LABEL), encoded)
    if _with_timeout(
        keyring.get_password, service_name(), _account(vault_id, KEPT_LABEL)
    ) != encoded:
        raise KeyringUnavailableError(_("The keyring did not keep what it was given."))


def _kept(vault_id: str) -> dict[str, str]:
    """Every secret kept for this vault. Entries an earlier version made one per secret are moved
    into the one entry on the way: all of them written there first, then the old entries removed,
    their index last (so an interruption anywhere loses nothing and the next call finishes)."""
    _require_usable()
    kept = _read_kept(vault_id)
    legacy = legacy_labels(vault_id)
    if not legacy:
        return kept
    for label in legacy:
        if label not in kept:
            value = _with_timeout(
                keyring.get_password, service_name(), _account(vault_id, label)
            )
            if isinstance(value, str):
                kept[label] = value
    _write_kept(vault_id, kept)
    for label in legacy:
        delete_entry(vault_id, label)
    delete_entry(vault_id, INDEX_LABEL)
    return kept


def load_secret(vault_id: str, label: str) -> str | None:
    return _kept(vault_id).get(label)


def kept_labels(vault_id: str) -> list[str]:
    """Labels of the secrets kept for this vault."""
    return sorted(_kept(vault_id))


def move_kept_secrets(old_id: str, new_id: str) -> list[str]:
    """Copy every secret kept for ``old_id`` to ``new_id`` (the old entry stays until removed);
    the labels copied."""
    kept = _kept(old_id)
    if kept:
        _write_kept(new_id, {**_read_kept(new_id), **kept})
    return sorted(kept)


def keep_secret(vault_id: str, label: str, secret: str) -> None:
    """Keep a secret (a newly made password) until the person says it is safe elsewhere."""
    kept = _kept(vault_id)
    kept[label] = secret
    _write_kept(vault_id, kept)


def forget_secret(vault_id: str, label: str) -> None:
    kept = _kept(vault_id)
    if kept.pop(label, None) is not None:
        _write_kept(vault_id, kept)
