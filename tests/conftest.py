"""Every test gets its own data folder, its own keyring namespace and an in-memory keyring.

Tests that need the real Secret Service use the ``secret_service`` fixtures
(tests/secret_service.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from safetykit import i18n
from safetykit.content import regions
from safetykit.flows import terminal as terminal_module
from safetykit.storage import keys
from tests.doubles import MemoryKeyring
from tests.e2e import Program, program
from tests.secret_service import SecretServiceSession

pytest_plugins = ["tests.secret_service"]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "data"
    monkeypatch.setenv("SAFETYKIT_HOME", str(home))
    monkeypatch.setenv("SAFETYKIT_KEYRING_SERVICE", f"sk-test-{uuid.uuid4().hex[:12]}")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("SAFETYKIT_PLAIN", raising=False)
    monkeypatch.setenv("SAFETYKIT_LOCK_TIMEOUT", "2")
    # Tests run in the United States unless they choose a place (tests/test_regions.py does).
    monkeypatch.setenv("SAFETYKIT_REGION", "US")
    # ...and in English unless they choose a language (tests/test_language.py does).
    monkeypatch.setenv("SAFETYKIT_LANG", "en")
    monkeypatch.delenv("LANGUAGE", raising=False)
    token = regions._current.set("US")
    spoken = i18n._current.set("en")
    yield home
    i18n._current.reset(spoken)
    regions._current.reset(token)


@pytest.fixture(autouse=True)
def no_controlling_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process runs write questions and warnings to (captured) standard error, never to the
    terminal the tests were started from; each run detects its terminal afresh."""
    monkeypatch.setattr(terminal_module, "_open_controlling_terminal", lambda: None)
    monkeypatch.setattr(terminal_module, "_current", None)


@pytest.fixture(autouse=True)
def memory_keyring(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MemoryKeyring | None]:
    """Pin an in-memory backend (trusted for the test) unless the test uses the real one."""
    if "secret_service_keyring" in request.fixturenames:
        yield None
        return
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.setattr(
        keys, "TRUSTED_BACKEND_MODULES", (*keys.TRUSTED_BACKEND_MODULES, MemoryKeyring.__module__)
    )
    try:
        yield backend
    finally:
        backend.hanging = False
        backend.hang.set()
        keyring.set_keyring(previous)


@pytest.fixture
def data_dir(isolated: Path) -> Path:
    return isolated


@pytest.fixture
def prog(secret_service: SecretServiceSession, tmp_path: Path) -> Program:
    """The real program, its own data folder and keyring namespace, a throw-away Secret Service."""
    return program(secret_service, tmp_path)
