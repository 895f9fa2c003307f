"""An in-memory keyring backend for unit tests (the real Secret Service is tested separately)."""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.locked = False
        self.hang = threading.Event()
        self.hanging = False

    def _gate(self) -> None:
        if self.hanging:
            self.hang.wait(60)
        if self.locked:
            raise KeyringLocked("locked")

    def get_password(self, service: str, username: str) -> str | None:
        self._gate()
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._gate()
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._gate()
        try:
            del self.store[(service, username)]
        except KeyError:
            raise PasswordDeleteError("not found") from None
