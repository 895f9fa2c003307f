"""Tests for the throw-away Secret Service used by keyring tests (tests/secret_service.py).

The ``secret_service`` and ``secret_service_keyring`` fixtures come from conftest
(``pytest_plugins = ["secret_service"]``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import keyring
import keyring.core
import keyring.errors
import pytest
from keyring.backends import SecretService

from tests.secret_service import (
    SecretServiceError,
    SecretServiceSession,
    secret_service_unavailable_reason,
    start_secret_service,
    use_secret_service_backend,
)

pytestmark = pytest.mark.secret_service


def _unique_service() -> str:
    return f"safetykit-test-{uuid.uuid4().hex}"


def _processes_mentioning(marker: str) -> list[int]:
    """PIDs whose command line or environment mentions ``marker`` (ones we may read)."""
    found = []
    needle = os.fsencode(marker)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        for part in ("cmdline", "environ"):
            try:
                if needle in (entry / part).read_bytes():
                    found.append(int(entry.name))
                    break
            except OSError:
                continue
    return found


def _is_running(pid: int) -> bool:
    """True if ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _subprocess_env(session: SecretServiceSession) -> dict[str, str]:
    """What a pexpect run of the real program would get: a bare environment plus the session."""
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
        **session.env,
    }


def _run_python(
    session: SecretServiceSession, script: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh interpreter with only the session's environment."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        env=_subprocess_env(session),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_round_trip_set_get_delete(secret_service_keyring: object) -> None:
    service = _unique_service()
    assert isinstance(keyring.get_keyring(), SecretService.Keyring)
    assert keyring.get_password(service, "alex") is None

    keyring.set_password(service, "alex", "first value ✓")
    assert keyring.get_password(service, "alex") == "first value ✓"

    keyring.set_password(service, "alex", "second value")
    assert keyring.get_password(service, "alex") == "second value"

    keyring.delete_password(service, "alex")
    assert keyring.get_password(service, "alex") is None
    with pytest.raises(keyring.errors.PasswordDeleteError):
        keyring.delete_password(service, "alex")


def test_services_are_isolated(secret_service_keyring: object) -> None:
    first, second = _unique_service(), _unique_service()
    keyring.set_password(first, "sam", "value for the first service")
    keyring.set_password(second, "sam", "value for the second service")

    assert keyring.get_password(first, "sam") == "value for the first service"
    assert keyring.get_password(second, "sam") == "value for the second service"
    assert keyring.get_password(second, "someone else") is None

    keyring.delete_password(first, "sam")
    assert keyring.get_password(first, "sam") is None
    assert keyring.get_password(second, "sam") == "value for the second service"
    keyring.delete_password(second, "sam")


def test_subprocess_with_session_env_shares_the_store(
    secret_service: SecretServiceSession, secret_service_keyring: object
) -> None:
    service = _unique_service()
    keyring.set_password(service, "robin", "written by the test process")
    script = """
        import sys
        import keyring

        service = sys.argv[1]
        print(type(keyring.get_keyring()).__module__)
        print(keyring.get_password(service, "robin"))
        keyring.set_password(service, "kim", "written by the child")
    """
    result = _run_python(secret_service, script, service)
    assert result.returncode == 0, result.stderr
    backend_module, seen = result.stdout.splitlines()
    assert backend_module == "keyring.backends.SecretService"
    assert seen == "written by the test process"
    assert keyring.get_password(service, "kim") == "written by the child"
    keyring.delete_password(service, "robin")
    keyring.delete_password(service, "kim")


def test_secrets_live_encrypted_in_the_throw_away_home(
    secret_service: SecretServiceSession, secret_service_keyring: object
) -> None:
    service = _unique_service()
    value = f"not-on-disk-in-clear-{uuid.uuid4().hex}"
    keyring.set_password(service, "lee", value)
    keyrings = secret_service.home / ".local" / "share" / "keyrings"
    files = [path for path in keyrings.iterdir() if path.suffix == ".keyring"]
    assert files, f"no keyring file in {keyrings}"
    for path in files:
        assert value.encode() not in path.read_bytes()
    assert secret_service.env["XDG_DATA_HOME"] == str(keyrings.parent)
    assert Path(secret_service.env["HOME"]) == secret_service.home
    keyring.delete_password(service, "lee")


def test_backend_and_environment_are_restored(secret_service: SecretServiceSession) -> None:
    previous_backend = keyring.core._keyring_backend
    previous_bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    with pytest.MonkeyPatch.context() as patch:
        backend = use_secret_service_backend(secret_service, patch)
        assert keyring.get_keyring() is backend
        assert (
            os.environ["DBUS_SESSION_BUS_ADDRESS"] == secret_service.env["DBUS_SESSION_BUS_ADDRESS"]
        )
        assert os.environ["HOME"] == str(secret_service.home)
    assert keyring.core._keyring_backend is previous_backend
    assert os.environ.get("DBUS_SESSION_BUS_ADDRESS") == previous_bus


def test_stop_leaves_no_daemons(tmp_path: Path) -> None:
    reason = secret_service_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    session, stop = start_secret_service(tmp_path)
    assert len(session.daemon_pids) == 2
    assert all(_is_running(pid) for pid in session.daemon_pids)
    assert set(session.daemon_pids) <= set(_processes_mentioning(str(tmp_path)))

    stop()
    stop()  # a second call is harmless

    assert not any(_is_running(pid) for pid in session.daemon_pids)
    assert _processes_mentioning(str(tmp_path)) == []


def test_long_and_odd_root_paths_work(tmp_path: Path) -> None:
    reason = secret_service_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    # Spaces and XML/D-Bus special characters, and a path too long for a unix socket.
    root = tmp_path / "odd & <name> 50%" / ("long" * 30)
    session, stop = start_secret_service(root)
    try:
        script = """
            import keyring
            keyring.set_password("s", "u", "ok")
            print(keyring.get_password("s", "u"))
        """
        result = _run_python(session, script)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "ok"
    finally:
        stop()
    assert not any(_is_running(pid) for pid in session.daemon_pids)


def test_failed_start_cleans_up(tmp_path: Path) -> None:
    reason = secret_service_unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    with pytest.raises(SecretServiceError):
        start_secret_service(tmp_path, timeout=0.0)
    assert _processes_mentioning(str(tmp_path)) == []


def test_unavailable_reason_names_missing_binaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    reason = secret_service_unavailable_reason()
    if sys.platform.startswith("linux"):
        assert reason is not None
        assert "dbus-daemon" in reason
        assert "gnome-keyring-daemon" in reason
    else:
        assert reason is not None
