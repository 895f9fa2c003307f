"""A real Secret Service for tests: gnome-keyring inside a private, throw-away D-Bus session.

``start_secret_service`` starts a ``dbus-daemon`` with its own configuration (no service
activation, so nothing can be spawned behind our back), gives it a fresh ``HOME`` and ``XDG_*``
folders, starts ``gnome-keyring-daemon --foreground --unlock --components=secrets`` fed a random
password on stdin, and waits until ``org.freedesktop.secrets`` is owned by that daemon and its
default collection exists and is unlocked. ``stop()`` kills both process groups and reaps them.

This module is not a conftest. ``tests/conftest.py`` loads it as a plugin, which makes its
fixtures available everywhere::

    pytest_plugins = ["tests.secret_service"]

Importing the fixtures into conftest instead works too; the running session is kept in the
pytest config, so however many times the fixture is registered there is one daemon pair.

Fixtures:

* ``secret_service`` (session scope) yields a :class:`SecretServiceSession`, or skips with the
  reason when the binaries are missing. Set ``SAFETYKIT_REQUIRE_SECRET_SERVICE=1`` to turn that
  skip into a failure (useful in CI, where the packages are installed on purpose).
* ``secret_service_keyring`` (function scope) points this process at the session and pins
  ``keyring`` to the SecretService backend for one test, restoring everything afterwards.

PYTEST_DONT_REWRITE: test modules import this module and conftest loads it as a plugin; if the
import comes first, this marker keeps pytest from warning that it cannot rewrite the asserts.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import importlib.util
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape

import pytest

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SECRETS_BUS_NAME = "org.freedesktop.secrets"
REQUIRE_ENV_VAR = "SAFETYKIT_REQUIRE_SECRET_SERVICE"

_SECRETS_PATH = "/org/freedesktop/secrets"
_SERVICE_IFACE = "org.freedesktop.Secret.Service"
_COLLECTION_IFACE = "org.freedesktop.Secret.Collection"
# Longest socket folder we accept under tmp_root; sun_path holds 108 bytes and dbus-daemon
# appends "/dbus-XXXXXXXXXX".
_MAX_SOCKET_DIR_LEN = 80
_POLL_INTERVAL = 0.005
_STOP_GRACE = 3.0
_PR_SET_PDEATHSIG = 1
_BUS_LOG = "dbus-daemon.log"
_KEYRING_LOG = "gnome-keyring-daemon.log"

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>{listen}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class SecretServiceError(RuntimeError):
    """The throw-away Secret Service could not be started."""


@dataclass(frozen=True)
class SecretServiceSession:
    """A running throw-away Secret Service.

    ``env`` holds DBUS_SESSION_BUS_ADDRESS, HOME, XDG_RUNTIME_DIR, XDG_DATA_HOME,
    XDG_CONFIG_HOME and XDG_CACHE_HOME; merge it into a subprocess environment (for example a
    pexpect run of the real program) so that it talks to this session only.
    """

    env: dict[str, str]
    home: Path
    daemon_pids: tuple[int, ...] = ()
    password: str = ""  # what unlocks the login collection (``lock`` / ``unlock`` below)

    def lock(self) -> None:
        """Lock the default collection, as a locked screen or a timeout would."""
        self._collection_call("lock")

    def unlock(self) -> None:
        """Unlock the default collection again with its password (gnome-keyring's own way)."""
        self._collection_call("unlock")

    def _collection_call(self, what: str) -> None:
        from jeepney import DBusAddress, new_method_call  # type: ignore[import-untyped]
        from jeepney.io.blocking import open_dbus_connection  # type: ignore[import-untyped]

        service = DBusAddress(_SECRETS_PATH, bus_name=SECRETS_BUS_NAME, interface=_SERVICE_IFACE)
        with open_dbus_connection(bus=self.env["DBUS_SESSION_BUS_ADDRESS"]) as conn:

            def call(message: Any) -> Any:
                return conn.send_and_get_reply(message, timeout=10).body

            (collection,) = call(new_method_call(service, "ReadAlias", "s", ("default",)))
            if what == "lock":
                call(new_method_call(service, "Lock", "ao", ([collection],)))
                return
            opened = new_method_call(service, "OpenSession", "sv", ("plain", ("s", "")))
            _, session_path = call(opened)
            internal = DBusAddress(
                _SECRETS_PATH,
                bus_name=SECRETS_BUS_NAME,
                interface="org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
            )
            secret = (session_path, b"", self.password.encode("ascii"), "text/plain")
            call(new_method_call(internal, "UnlockWithMasterPassword", "o(oayays)",
                                 (collection, secret)))


def secret_service_unavailable_reason() -> str | None:
    """Say why a throw-away Secret Service cannot run here, or return None if it can."""
    if not sys.platform.startswith("linux"):
        return f"a throw-away Secret Service needs Linux (this is {sys.platform})"
    missing = [
        name for name in ("dbus-daemon", "gnome-keyring-daemon") if shutil.which(name) is None
    ]
    if missing:
        return (
            f"{' and '.join(missing)} not found; install the Debian packages "
            "gnome-keyring dbus dbus-x11 libsecret-tools"
        )
    for module in ("jeepney", "secretstorage"):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {module} is not installed"
    return None


def start_secret_service(
    tmp_root: Path, timeout: float = 10.0
) -> tuple[SecretServiceSession, Callable[[], None]]:
    """Start dbus-daemon and an unlocked gnome-keyring under ``tmp_root``; wait until usable.

    Returns the session and an idempotent ``stop()`` that kills both daemons (process groups)
    and reaps them. Raises :class:`SecretServiceError` (after cleaning up) if the service is not
    ready within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    root = Path(tmp_root).resolve()
    dirs = _make_dirs(root)
    stopper = _Stopper()
    try:
        address = _start_bus(root, dirs, stopper, deadline)
        env = {
            "DBUS_SESSION_BUS_ADDRESS": address,
            "HOME": str(dirs["home"]),
            "XDG_RUNTIME_DIR": str(dirs["runtime"]),
            "XDG_DATA_HOME": str(dirs["data"]),
            "XDG_CONFIG_HOME": str(dirs["config"]),
            "XDG_CACHE_HOME": str(dirs["cache"]),
        }
        password = secrets.token_hex(16)
        keyring_pid = _start_keyring_daemon(root, env, stopper, password)
        _wait_until_ready(address, keyring_pid, stopper, deadline, root / _KEYRING_LOG)
    except BaseException:
        stopper()
        raise
    session = SecretServiceSession(
        env=env, home=dirs["home"], daemon_pids=stopper.pids(), password=password
    )
    return session, stopper


# --- pytest integration -------------------------------------------------------------------

_SESSION_KEY = pytest.StashKey[SecretServiceSession]()


@pytest.fixture(scope="session")
def secret_service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SecretServiceSession]:
    """One throw-away Secret Service for the whole test run (skips if it cannot run here).

    The session lives in the pytest config, so importing this fixture into both conftest and a
    test module still starts a single pair of daemons; it is stopped when pytest shuts down.
    """
    config = request.config
    session = config.stash.get(_SESSION_KEY, None)
    if session is None:
        reason = secret_service_unavailable_reason()
        if reason is not None:
            if os.environ.get(REQUIRE_ENV_VAR, "") not in ("", "0"):
                pytest.fail(f"{REQUIRE_ENV_VAR} is set but {reason}", pytrace=False)
            pytest.skip(reason)
        session, stop = start_secret_service(tmp_path_factory.mktemp("secret-service"))
        config.add_cleanup(stop)
        config.stash[_SESSION_KEY] = session
    yield session


def use_secret_service_backend(
    session: SecretServiceSession, monkeypatch: pytest.MonkeyPatch
) -> KeyringBackend:
    """Point this process at ``session`` and pin keyring to SecretService for one test.

    Sets the session's variables in ``os.environ`` (secretstorage reads
    DBUS_SESSION_BUS_ADDRESS on every connection), sets PYTHON_KEYRING_BACKEND, and installs a
    ``keyring.backends.SecretService.Keyring``. The previously active backend (possibly None,
    meaning "not chosen yet") and the environment come back when ``monkeypatch`` is undone,
    normally at the end of the test. Returns the backend.
    """
    import keyring
    import keyring.core
    from keyring.backends import SecretService

    for name, value in session.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring")
    # Record the current backend so that monkeypatch puts it back; then set ours publicly.
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    backend = SecretService.Keyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def secret_service_keyring(
    secret_service: SecretServiceSession, monkeypatch: pytest.MonkeyPatch
) -> KeyringBackend:
    """The pinned SecretService keyring backend, talking to the throw-away session."""
    return use_secret_service_backend(secret_service, monkeypatch)


# --- internals ----------------------------------------------------------------------------


class _Stopper:
    """Kills the daemons it was given, newest first; safe to call more than once."""

    def __init__(self) -> None:
        self._procs: list[subprocess.Popen[bytes]] = []
        self._files: list[IO[bytes]] = []
        self._cleanup_dirs: list[Path] = []
        self._stopped = False
        atexit.register(self)

    def add(self, proc: subprocess.Popen[bytes]) -> None:
        self._procs.append(proc)

    def add_file(self, handle: IO[bytes]) -> None:
        self._files.append(handle)

    def add_dir(self, path: Path) -> None:
        self._cleanup_dirs.append(path)

    def last(self) -> subprocess.Popen[bytes]:
        return self._procs[-1]

    def pids(self) -> tuple[int, ...]:
        return tuple(proc.pid for proc in self._procs)

    def __call__(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        atexit.unregister(self)
        for proc in reversed(self._procs):
            _kill_group(proc)
        for handle in self._files:
            handle.close()
        for path in self._cleanup_dirs:
            shutil.rmtree(path, ignore_errors=True)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group led by ``proc``, SIGKILL it if it lingers, and reap ``proc``."""
    if proc.poll() is None:
        # The leader is not reaped yet, so its pid (== pgid) cannot have been reused.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=_STOP_GRACE)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def _make_dirs(root: Path) -> dict[str, Path]:
    dirs = {
        "home": root / "home",
        "runtime": root / "runtime",
        "data": root / "home" / ".local" / "share",
        "config": root / "home" / ".config",
        "cache": root / "home" / ".cache",
        "bus": root / "bus",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    for key in ("home", "runtime", "bus"):
        dirs[key].chmod(0o700)
    return dirs


def _die_with_parent() -> None:
    """In the child: get SIGTERM if the test process dies without calling stop() (Linux)."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return
    libc = ctypes.CDLL(libc_name, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _daemon_env(extra: dict[str, str]) -> dict[str, str]:
    """A small environment: no DISPLAY, no desktop session, nothing of the real user."""
    env = {"PATH": os.environ.get("PATH", os.defpath)}
    for name in ("LANG", "LC_ALL"):
        if name in os.environ:
            env[name] = os.environ[name]
    env.update(extra)
    return env


def _dbus_escape(value: str) -> str:
    """Escape a value for a D-Bus address (bytes outside [-0-9A-Za-z_/.\\*] become %XX)."""
    allowed = set(b"-_/.\\*0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return "".join(chr(b) if b in allowed else f"%{b:02x}" for b in os.fsencode(value))


def _start_bus(root: Path, dirs: dict[str, Path], stopper: _Stopper, deadline: float) -> str:
    socket_dir = dirs["bus"]
    if len(os.fsencode(str(socket_dir))) > _MAX_SOCKET_DIR_LEN:
        socket_dir = Path(tempfile.mkdtemp(prefix="sk-bus-"))
        stopper.add_dir(socket_dir)
    config_file = root / "bus.conf"
    listen = xml_escape(f"unix:dir={_dbus_escape(str(socket_dir))}")
    config_file.write_text(_BUS_CONFIG.format(listen=listen), encoding="utf-8")

    log = (root / _BUS_LOG).open("wb")
    stopper.add_file(log)
    proc = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config_file}", "--print-address=1", "--nofork"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=log,
        env=_daemon_env({"HOME": str(dirs["home"]), "XDG_RUNTIME_DIR": str(dirs["runtime"])}),
        cwd=root,
        start_new_session=True,
        preexec_fn=_die_with_parent,  # noqa: PLW1509 - only prctl, no locks taken
    )
    stopper.add(proc)
    assert proc.stdout is not None
    address = _read_line(proc.stdout, deadline)
    if not address:
        raise SecretServiceError(
            "dbus-daemon did not print its address: " + _log_tail(root / _BUS_LOG)
        )
    return address


def _read_line(stream: IO[bytes], deadline: float) -> str:
    """Read one line from a pipe without waiting past ``deadline``."""
    fd = stream.fileno()
    chunks = b""
    while not chunks.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        chunks += chunk
    return chunks.decode("utf-8", "replace").strip()


def _start_keyring_daemon(
    root: Path, env: dict[str, str], stopper: _Stopper, password: str
) -> int:
    log = (root / _KEYRING_LOG).open("wb")
    stopper.add_file(log)
    proc = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=_daemon_env(env),
        cwd=root,
        start_new_session=True,
        preexec_fn=_die_with_parent,  # noqa: PLW1509 - only prctl, no locks taken
    )
    stopper.add(proc)
    assert proc.stdin is not None
    try:
        proc.stdin.write(password.encode("ascii"))
        proc.stdin.close()
    except BrokenPipeError as exc:
        raise SecretServiceError(
            "gnome-keyring-daemon exited before reading its password: "
            + _log_tail(root / _KEYRING_LOG)
        ) from exc
    return proc.pid


def _wait_until_ready(
    address: str, keyring_pid: int, stopper: _Stopper, deadline: float, keyring_log: Path
) -> None:
    """Wait until our gnome-keyring owns the name and its default collection is unlocked."""
    from jeepney import DBusAddress, Properties, new_method_call
    from jeepney.bus_messages import message_bus  # type: ignore[import-untyped]
    from jeepney.io.blocking import open_dbus_connection

    service = DBusAddress(_SECRETS_PATH, bus_name=SECRETS_BUS_NAME, interface=_SERVICE_IFACE)
    keyring_proc = stopper.last()
    state = "waiting for the bus name"
    with open_dbus_connection(bus=address) as conn:

        def call(message: Any) -> Any:
            remaining = max(deadline - time.monotonic(), 0.05)
            return conn.send_and_get_reply(message, timeout=remaining).body

        while True:
            if keyring_proc.poll() is not None:
                raise SecretServiceError(
                    f"gnome-keyring-daemon exited with {keyring_proc.returncode} while "
                    f"{state}: " + _log_tail(keyring_log)
                )
            if time.monotonic() > deadline:
                raise SecretServiceError(f"timed out {state} on {address}")
            if call(message_bus.NameHasOwner(SECRETS_BUS_NAME))[0]:
                owner = call(message_bus.GetConnectionUnixProcessID(SECRETS_BUS_NAME))[0]
                if owner != keyring_pid:
                    raise SecretServiceError(
                        f"{SECRETS_BUS_NAME} is owned by pid {owner}, not by our "
                        f"gnome-keyring-daemon (pid {keyring_pid})"
                    )
                state = "waiting for the default collection"
                (collection_path,) = call(new_method_call(service, "ReadAlias", "s", ("default",)))
                if collection_path != "/":
                    state = "waiting for the default collection to unlock"
                    collection = DBusAddress(
                        collection_path, bus_name=SECRETS_BUS_NAME, interface=_COLLECTION_IFACE
                    )
                    (locked,) = call(Properties(collection).get("Locked"))
                    if not locked[1]:
                        return
            time.sleep(_POLL_INTERVAL)


def _log_tail(path: Path) -> str:
    """The end of a daemon log (for error messages)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return text.strip()[-2000:] or "(empty log)"
