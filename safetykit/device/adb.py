"""The ONE module that runs ``adb``, and the allowlist of everything it may send to a phone.

Every command is checked against the allowlist (``allowed``) in code, right before the program is
started; anything else is refused with ``CommandRefusedError`` and nothing is started. The list
holds only commands that read: the package list (with installers, and the third-party apps),
one app's package dump, the accessibility dump, the device policy, two settings namespaces (and
single settings by name on phones too old to list them), the system properties, the users, the
apps allowed to install apps, SELinux's mode, and whether a ``su`` program exists (``ls`` of
fixed paths: ``su`` itself is never run). Nothing installs, uninstalls, clears, changes a
setting, starts an app, or restarts adb's server. Every argument is checked too: package names
must be package names, so no text can reach the phone's shell as anything but a name.

adb comes from ``SAFETYKIT_ADB`` (a path), else ``PATH``. Each run has a time limit
(``SAFETYKIT_ADB_TIMEOUT`` seconds, default 30): a command that hangs is killed, with its process
group, and said plainly (``PhoneTimeoutError``). Output is capped (16 MB a command) and never
written anywhere; adb's own error messages become the calm errors of ``safetykit.errors``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

from safetykit.device import parse
from safetykit.errors import (
    NoAdbError,
    PhoneGoneError,
    PhoneNotAllowedError,
    PhoneTimeoutError,
    SafetykitError,
    SeveralPhonesError,
)
from safetykit.i18n import _

ADB_ENV: Final = "SAFETYKIT_ADB"
TIMEOUT_ENV: Final = "SAFETYKIT_ADB_TIMEOUT"
DEFAULT_TIMEOUT: Final = 30.0
MAX_OUTPUT: Final = 16 * 1024 * 1024

# ── the allowlist ────────────────────────────────────────────────────────────────────────────

HOST_COMMANDS: Final = (("version",), ("devices", "-l"))
"""What adb may be asked on this computer (no phone involved)."""

SIMPLE: Final = frozenset({
    ("getprop",),
    ("getenforce",),
    ("pm", "list", "users"),
    ("dumpsys", "device_policy"),
    ("dumpsys", "accessibility"),
    ("cmd", "appops", "query-op", "REQUEST_INSTALL_PACKAGES", "allow"),
})
"""Phone commands allowed exactly as written."""

PM_FLAGS: Final = frozenset({"-i", "-3"})
"""``pm list packages`` flags: show the installer; third-party apps only."""
SETTINGS: Final = parse.SETTINGS
"""``settings list NAMESPACE`` and ``settings get NAMESPACE KEY``, for these only."""
SU_PATHS: Final = parse.SU_PATHS
"""Where a ``su`` program is looked for, with ``ls`` (which never runs it)."""

_TOKEN = re.compile(r"^[A-Za-z0-9_./-]{1,255}$")
_SERIAL = re.compile(r"^[\x21-\x7e]{1,128}$")


class CommandRefusedError(SafetykitError):
    """A command outside the allowlist: refused before anything is started (a bug if seen)."""


def allowed(command: Sequence[str]) -> bool:
    """Whether ``command`` (what runs on the phone, as ``adb shell`` arguments) may be sent."""
    command = tuple(command)
    if not command or not all(isinstance(t, str) and _TOKEN.fullmatch(t) for t in command):
        return False
    if command in SIMPLE:
        return True
    match command:
        case ("pm", "list", "packages", *rest):
            flags = list(rest)
            if len(flags) >= 2 and flags[-2] == "--user":
                if not (flags[-1].isdigit() and len(flags[-1]) <= 5):
                    return False
                flags = flags[:-2]
            return len(set(flags)) == len(flags) and set(flags) <= PM_FLAGS
        case ("settings", "list", namespace):
            return namespace in SETTINGS
        case ("settings", "get", namespace, key):
            return key in SETTINGS.get(namespace, frozenset())
        case ("dumpsys", "package", name):
            return parse.is_package(name)
        case ("ls", *paths):
            return bool(paths) and len(set(paths)) == len(paths) and set(paths) <= set(SU_PATHS)
    return False


def valid_serial(serial: str) -> bool:
    return bool(_SERIAL.fullmatch(serial)) and not serial.startswith("-")


def allowed_invocation(argv: Sequence[str]) -> bool:
    """Whether the whole argument list given to adb is allowed: a host command, or
    ``-s SERIAL shell`` followed by an allowed phone command."""
    argv = tuple(argv)
    if argv in HOST_COMMANDS:
        return True
    return (
        len(argv) > 3 and argv[0] == "-s" and valid_serial(argv[1]) and argv[2] == "shell"
        and allowed(argv[3:])
    )


# ── running it ───────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Completed:
    code: int
    stdout: str
    stderr: str


def _timeout() -> float:
    try:
        value = float(os.environ.get(TIMEOUT_ENV, "") or DEFAULT_TIMEOUT)
    except ValueError:
        return DEFAULT_TIMEOUT
    return min(max(value, 0.5), 600.0)


def find_adb() -> str:
    """adb's path: ``SAFETYKIT_ADB``, else the first ``adb`` on ``PATH``; ``NoAdbError`` if
    there is none."""
    given = os.environ.get(ADB_ENV)
    if given:
        path = str(Path(given).expanduser())
        if Path(path).is_file() and os.access(path, os.X_OK):
            return path
        raise NoAdbError(
            _("{variable} names {path}, which is not a program that can be run.").format(
                variable=ADB_ENV, path=path
            ),
            hint=_("Set it to the full path of adb, or leave it unset to use the adb on PATH."),
        )
    found = shutil.which("adb")
    if found is None:
        raise NoAdbError(
            _("adb, Android's own tool for reading a phone over USB, is not installed here."),
            hint=_("'safetykit device' shows how to get it for this computer; or set "
                   "{variable} to where it is.").format(variable=ADB_ENV),
        )
    return found


def _drain(stream: IO[bytes], into: bytearray, over: threading.Event) -> None:
    while True:
        chunk = stream.read(65536)
        if not chunk:
            return
        if len(into) + len(chunk) > MAX_OUTPUT:
            over.set()
            return
        into.extend(chunk)


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            process.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass
    with contextlib.suppress(subprocess.TimeoutExpired):  # a process that ignores SIGKILL
        process.wait(timeout=5)


def _text(data: bytearray) -> str:
    return bytes(data).decode("utf-8", errors="replace").replace("\x00", "")


class Adb:
    """adb, run for one check. Every run goes through ``run``, which refuses what the allowlist
    does not hold before anything is started."""

    def __init__(self, path: str | None = None, timeout: float | None = None) -> None:
        self.path = path or find_adb()
        self.timeout = timeout or _timeout()

    def run(self, argv: Sequence[str]) -> Completed:
        argv = list(argv)
        if not allowed_invocation(argv):
            raise CommandRefusedError(
                _("safetykit refused to send a command it does not allow to the phone. Nothing "
                  "was sent."),
                hint=_("This is a mistake in safetykit; please tell whoever helps you with it."),
            )
        try:
            process = subprocess.Popen(
                [self.path, *argv],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=os.name == "posix",
            )
        except OSError as exc:
            raise NoAdbError(
                _("adb at {path} could not be started ({problem}).").format(
                    path=self.path, problem=exc.strerror or type(exc).__name__
                ),
                hint=_("Check that it is the adb for this computer, or set {variable}.").format(
                    variable=ADB_ENV
                ),
            ) from None
        out, err = bytearray(), bytearray()
        over = threading.Event()
        assert process.stdout is not None and process.stderr is not None  # noqa: S101
        readers = [
            threading.Thread(target=_drain, args=(process.stdout, out, over), daemon=True),
            threading.Thread(target=_drain, args=(process.stderr, err, over), daemon=True),
        ]
        for reader in readers:
            reader.start()
        deadline = time.monotonic() + self.timeout
        try:
            while True:
                try:
                    code = process.wait(timeout=min(0.2, max(deadline - time.monotonic(), 0.01)))
                    break
                except subprocess.TimeoutExpired:
                    if over.is_set():
                        _kill(process)
                        raise PhoneGoneError(
                            _("The phone sent far more than expected, so the check stopped."),
                            hint=_("Unplug it, plug it in again, and try once more."),
                        ) from None
                    if time.monotonic() >= deadline:
                        _kill(process)
                        raise PhoneTimeoutError(
                            _("The phone did not answer within {seconds} seconds, so the check "
                              "stopped. Nothing was changed on it.").format(
                                seconds=f"{self.timeout:g}"
                            ),
                            hint=_("Unlock the phone, check the cable, and try again. {variable} "
                                   "gives it longer.").format(variable=TIMEOUT_ENV),
                        ) from None
        except BaseException:
            if process.poll() is None:  # Ctrl-C while waiting: never leave adb running
                _kill(process)
            raise
        finally:
            for reader in readers:
                reader.join(timeout=5)
        if over.is_set():
            raise PhoneGoneError(
                _("The phone sent far more than expected, so the check stopped."),
                hint=_("Unplug it, plug it in again, and try once more."),
            )
        return Completed(code, _text(out), _text(err))

    # -- on this computer ------------------------------------------------------------------------
    def version(self) -> str:
        """adb's version ("1.0.41"); ``NoAdbError`` if the program is not adb."""
        done = self.run(["version"])
        match = re.search(r"Android Debug Bridge version (\S+)", done.stdout)
        if done.code != 0 or match is None:
            raise NoAdbError(
                _("The program at {path} did not answer as adb does.").format(path=self.path),
                hint=_("Set {variable} to adb itself, or install adb.").format(variable=ADB_ENV),
            )
        return match[1]

    def devices(self) -> list[parse.Attached]:
        """The phones attached, as ``adb devices -l`` lists them."""
        done = self.run(["devices", "-l"])
        if done.code != 0:
            _raise_for(parse.adb_problem(done.stderr + "\n" + done.stdout) or "no_server")
        return parse.parse_devices(done.stdout)

    # -- on the phone ----------------------------------------------------------------------------
    def shell(self, serial: str, command: Sequence[str]) -> str:
        """What one allowed command printed on the phone (its standard output).

        A problem with the connection (unplugged, not allowed, offline) raises the matching
        error; a command the phone does not know just prints nothing useful, which the parsers
        read as "nothing found"."""
        done = self.run(["-s", serial, "shell", *command])
        problem = parse.adb_problem(done.stderr)
        if problem is not None and (done.code != 0 or not done.stdout.strip()):
            _raise_for(problem)
        return done.stdout


def _raise_for(problem: str) -> None:
    if problem == "unauthorized":
        raise PhoneNotAllowedError(
            _("The phone has not allowed this computer yet."),
            hint=_("Unlock the phone and tap Allow on its \u201cAllow USB debugging?\u201d "
                   "message, then try again."),
        )
    if problem == "no_permissions":
        raise PhoneNotAllowedError(
            _("This computer is not allowed to use the phone's USB connection."),
            hint=_("On Linux, install your system's Android udev rules (on Debian or Ubuntu: "
                   "android-sdk-platform-tools-common), then plug the phone in again."),
        )
    if problem == "several":
        raise SeveralPhonesError(
            _("More than one phone is attached."),
            hint=_("Unplug the others, or name one with --serial."),
        )
    if problem == "no_server":
        raise NoAdbError(
            _("adb is installed but could not start its helper (the adb server)."),
            hint=_("Close other programs that use the phone (Android Studio, phone managers), "
                   "then try again."),
        )
    raise PhoneGoneError(
        _("The phone was unplugged or stopped answering, so the check stopped. Nothing was "
          "changed on it."),
        hint=_("Plug it in again, unlock it, and run the check again."),
    )
