"""Crash safety: a killed save, a full disk and a read-only data folder never lose saved data.

* More than 200 times, a real process that is marking checklist items through the command line
  (``safetykit.cli.app.run(["checklist", "mark", ...])`` in a loop) is killed with SIGKILL at a
  random moment. After every kill the vault must open and hold exactly the state before the
  interrupted mark or the state after it. The process announces each mark in a log file before
  and after the call (``os.write`` to an append-only file survives SIGKILL), so the test knows
  which mark was in flight.

  Starting a fresh interpreter for every kill would spend most of the time importing, and the
  kill would rarely land inside a save. So a small "fork server" imports safetykit once and
  forks one worker per kill; each worker is a real process killed by a real SIGKILL.

* The installed entry point ``python -m safetykit checklist mark`` is killed at random points too
  (fewer times: each run pays for interpreter start-up).

* A full disk (ENOSPC at each step of the atomic write) and a read-only data folder (a read-only
  bind mount in a private mount namespace, and a folder the user may read but not write) leave
  the old data intact, with a calm message and exit code 7.

The vaults here are passphrase vaults with scrypt N = 2**10, written by the test itself: the
header records N, so every process opens them at that cost, and no keyring is needed in the
child processes.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import pwd
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from safetykit.cli.app import run
from safetykit.content.checklist import load_checklist
from safetykit.errors import ExitStatus
from safetykit.storage import schema, sealed
from safetykit.storage.paths import DataPaths, default_paths
from safetykit.storage.removal import wipe
from safetykit.storage.vault import create_vault, open_vault
from tests import vaults

REPO = Path(__file__).resolve().parents[1]
PASSPHRASE = "crash test passphrase"
FAST_N = 2**10  # the smallest N the header parser accepts
ITEMS = [item.id for item in load_checklist().items]
STATES = ("done", "todo", "not_applicable")

FORK_KILLS = 210
FORK_MAX_DELAY = 0.06  # seconds; a mark takes a few tens of milliseconds here
ENTRY_POINT_KILLS = 12

Items = dict[str, str]


# ── helpers ───────────────────────────────────────────────────────────────────────────────────


def make_passphrase_vault(root: Path, items: Items | None = None) -> None:
    """A passphrase vault with a cheap scrypt cost, holding ``items`` as checklist progress."""
    vaults.passphrase_vault(root, {"checklist": {"items": dict(items or {})}}, PASSPHRASE)


def stored_items(root: Path, *, backup: bool = False) -> Items:
    """The checklist items stored in the vault (or its backup copy); fails if it cannot open."""
    paths = DataPaths(root)
    if backup:
        blob = paths.backup.read_bytes()
        plaintext = sealed.unseal(blob, sealed.derive_key(PASSPHRASE, _kdf(blob)))
        state = schema.migrate(json.loads(plaintext.decode("utf-8")))
    else:
        vault = open_vault(paths, PASSPHRASE)
        assert vault is not None, "the vault disappeared"
        state = vault.state
    items = state["checklist"].get("items", {})
    assert isinstance(items, dict)
    return dict(items)


def _kdf(blob: bytes) -> sealed.KdfParams:
    kdf = sealed.read_header(blob).kdf
    assert kdf is not None
    return kdf


def child_env(root: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", os.defpath),
        "LANG": "C.UTF-8",
        "HOME": str(root.parent),
        "SAFETYKIT_HOME": str(root),
        "PYTHONPATH": str(REPO),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def flat(text: str) -> str:
    """Text with line wrapping undone (messages are wrapped to the terminal's width)."""
    return " ".join(text.split())


def temp_files(root: Path) -> list[Path]:
    return sorted(root.glob(".*.tmp"))


# ── the fork server ───────────────────────────────────────────────────────────────────────────

# Reads "<seed> <log path>" lines; for each, forks a worker that marks random checklist items
# through the real command line for ever, prints the worker's pid, waits for it to die and prints
# its wait status. The worker logs "B <n> <item> <state>" before each mark and "E <n>" after it.
FORK_SERVER = r"""
import io, os, random, sys
from safetykit.cli.app import run
import safetykit.cli.checklist, safetykit.core.checklist, safetykit.flows.access  # noqa: F401
from safetykit.content.checklist import load_checklist
from safetykit.storage.paths import default_paths
from safetykit.storage.vault import open_vault

PASSPHRASE = sys.argv[1]
ITEMS = [item.id for item in load_checklist().items]
STATES = ("done", "todo", "not_applicable")


def work(seed, log_path):
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    rng = random.Random(seed)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    vault = open_vault(default_paths(), PASSPHRASE)
    current = dict(vault.state["checklist"].get("items", {}))
    n = 0
    while True:
        item = rng.choice(ITEMS)
        state = rng.choice([s for s in STATES if s != current.get(item)])
        os.write(log, f"B {n} {item} {state}\n".encode())
        sys.stdin = io.StringIO(PASSPHRASE + "\n")
        code = run(["checklist", "mark", item, state])
        if code != 0:
            os.write(log, f"X {n} {code}\n".encode())
            os._exit(3)
        current[item] = state
        os.write(log, f"E {n}\n".encode())
        n += 1


# Warm up (lazy imports, building the command) on a scratch vault, so that the workers spend
# their time marking and saving.
commands = sys.stdin
home = os.environ["SAFETYKIT_HOME"]
os.environ["SAFETYKIT_HOME"] = sys.argv[2]
null = os.open(os.devnull, os.O_WRONLY)
saved = os.dup(1)
os.dup2(null, 1)
sys.stdin = io.StringIO(PASSPHRASE + "\n")
assert run(["checklist", "mark", ITEMS[0], "done"]) == 0
os.dup2(saved, 1)
os.environ["SAFETYKIT_HOME"] = home

out = sys.stdout
for line in commands:
    seed, log_path = line.split()
    pid = os.fork()
    if pid == 0:
        try:
            work(int(seed), log_path)
        finally:
            os._exit(4)
    out.write(f"{pid}\n")
    out.flush()
    _, status = os.waitpid(pid, 0)
    out.write(f"{status}\n")
    out.flush()
"""


class LineReader:
    """Lines from a pipe, with a deadline, so a stuck child fails the test instead of hanging."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""

    def line(self, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("the fork server did not answer in time")
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.fd, 4096)
            if not chunk:
                raise AssertionError("the fork server stopped")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()


@contextlib.contextmanager
def fork_server(root: Path) -> Iterator[tuple[subprocess.Popen[bytes], LineReader]]:
    errors = root.parent / "fork-server.err"
    scratch = root.parent / "warm-up"
    make_passphrase_vault(scratch)
    with errors.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", FORK_SERVER, PASSPHRASE, str(scratch)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            env=child_env(root),
        )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        yield proc, LineReader(proc.stdout.fileno())
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


def parse_log(text: str) -> tuple[list[tuple[str, str]], tuple[str, str] | None]:
    """The marks that finished, in order, and the mark that was in flight (if any)."""
    begun: dict[int, tuple[str, str]] = {}
    finished: list[int] = []
    for line in text.splitlines():
        kind, number, *rest = line.split()
        if kind == "B":
            begun[int(number)] = (rest[0], rest[1])
        elif kind == "E":
            finished.append(int(number))
        else:
            raise AssertionError(f"the worker failed: {line}")
    assert finished == list(range(len(finished))), "marks finished out of order"
    pending = begun.get(len(finished))
    assert len(begun) - len(finished) in (0, 1)
    return [begun[n] for n in finished], pending


def applied(items: Items, marks: list[tuple[str, str]]) -> Items:
    out = dict(items)
    for item, state in marks:
        out[item] = state
    return out


# ── SIGKILL at random moments ───────────────────────────────────────────────────────────────


def test_sigkill_during_saves_never_loses_a_state(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    root = tmp_path / "data"
    make_passphrase_vault(root)
    rng = random.Random(20261124)
    model: Items = {}
    history = {json.dumps(model, sort_keys=True)}  # every state that was ever complete on disk
    outcomes = {"idle": 0, "before": 0, "after": 0}
    orphans_seen = 0
    marks_done = 0
    started = time.monotonic()
    with fork_server(root) as (server, reader):
        assert server.stdin is not None
        for kill in range(FORK_KILLS):
            log = tmp_path / f"log-{kill}"
            server.stdin.write(f"{rng.randrange(2**32)} {log}\n".encode())
            server.stdin.flush()
            pid = int(reader.line())
            time.sleep(rng.uniform(0, FORK_MAX_DELAY))
            os.kill(pid, signal.SIGKILL)  # the server has not reaped it: the pid is still ours
            status = int(reader.line())
            log_text = log.read_text() if log.exists() else ""
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
                f"worker ended by itself (status {status}); log:\n{log_text}"
            )

            finished, pending = parse_log(log_text)
            marks_done += len(finished)
            before = applied(model, finished)
            after = applied(before, [pending]) if pending else before
            orphans_seen += len(temp_files(root))  # left by this kill, before the next save
            found = stored_items(root)  # opens, or the test fails here
            assert found in (before, after), (
                f"kill {kill}: the vault holds neither the state before nor after the "
                f"interrupted mark {pending}"
            )
            if pending is None:
                outcomes["idle"] += 1
            else:
                outcomes["before" if found == before else "after"] += 1
            for done in range(len(finished) + 1):
                history.add(json.dumps(applied(model, finished[:done]), sort_keys=True))
            history.add(json.dumps(found, sort_keys=True))
            model = found
            if DataPaths(root).backup.exists():
                backup = stored_items(root, backup=True)
                assert json.dumps(backup, sort_keys=True) in history, (
                    f"kill {kill}: the earlier copy holds a state that was never saved"
                )

    elapsed = time.monotonic() - started
    summary = (
        f"{FORK_KILLS} kills in {elapsed:.1f} s, {marks_done} marks completed; "
        f"kill landed inside a mark {outcomes['before'] + outcomes['after']} times "
        f"(old state kept {outcomes['before']}, new state already written {outcomes['after']}), "
        f"between marks {outcomes['idle']} times; {orphans_seen} temp files left by kills "
        "(each swept by the next save)"
    )
    print(summary)
    record_property("sigkill_summary", summary)
    # Most kills really did land inside a mark (whether the rename had already happened is
    # down to timing; both outcomes are correct, and both are counted above), and some landed
    # in the middle of writing a file: their temp files were left behind until the next save.
    assert outcomes["before"] + outcomes["after"] >= FORK_KILLS // 2
    assert orphans_seen

    # Afterwards the data is fully usable; the next save sweeps the temp files that killed saves
    # left behind (they hold ciphertext only, but should not linger), and so does 'wipe'.
    result = subprocess.run(
        [sys.executable, "-m", "safetykit", "checklist", "mark", ITEMS[0], "done"],
        input=PASSPHRASE + "\n", capture_output=True, text=True, env=child_env(root),
        timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert stored_items(root)[ITEMS[0]] == "done"
    assert not temp_files(root)
    wipe(DataPaths(root))
    assert not root.exists()  # every file gone, and then the emptied folder itself


def test_sigkill_of_the_installed_command(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    """``python -m safetykit checklist mark`` killed at random points of its whole run."""
    root = tmp_path / "data"
    make_passphrase_vault(root)
    env = child_env(root)
    rng = random.Random(7)

    def start(item: str, state: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "safetykit", "checklist", "mark", item, state],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env=env, text=True,
        )
        assert proc.stdin is not None
        proc.stdin.write(PASSPHRASE + "\n")
        proc.stdin.close()
        proc.stdin = None  # written and closed: communicate() must not touch it again
        return proc

    durations = []
    model: Items = {}
    for item in ITEMS[:2]:  # how long a whole run takes here
        began = time.monotonic()
        proc = start(item, "done")
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        durations.append(time.monotonic() - began)
        model[item] = "done"
    full = max(durations)

    outcomes = {"before": 0, "after": 0, "finished": 0}
    for _ in range(ENTRY_POINT_KILLS):
        item = rng.choice(ITEMS)
        state = rng.choice([s for s in STATES if s != model.get(item)])
        after = {**model, item: state}
        proc = start(item, state)
        time.sleep(rng.uniform(0.4 * full, 1.05 * full))
        proc.kill()
        proc.communicate(timeout=60)
        found = stored_items(root)
        assert found in (model, after)
        if proc.returncode != -signal.SIGKILL:
            outcomes["finished"] += 1
            assert proc.returncode == 0 and found == after
        else:
            outcomes["before" if found == model else "after"] += 1
        model = found
    summary = f"run takes {full:.2f} s; outcomes of {ENTRY_POINT_KILLS} kills: {outcomes}"
    print(summary)
    record_property("entry_point_kills", summary)


# ── a full disk ───────────────────────────────────────────────────────────────────────────────


class FullDisk:
    """Makes the atomic writer's temp files fail with ENOSPC at one chosen step.

    Only file descriptors of safetykit's temp files are affected, so pytest and everything else
    keep writing normally.
    """

    def __init__(self, step: str, target: str) -> None:
        self.step = step  # "create", "write", "partial", "fsync"
        self.target = target  # "vault" or "backup"
        self.fds: set[int] = set()
        self.triggered = False
        self.real_open = os.open
        self.real_write = os.write
        self.real_fsync = os.fsync

    def _is_target(self, path: object) -> bool:
        name = Path(str(path)).name
        if not name.endswith(".tmp"):
            return False
        is_backup = name.startswith(".vault.bin.previous.")
        return is_backup == (self.target == "backup")

    def _fail(self) -> OSError:
        self.triggered = True
        return OSError(errno.ENOSPC, "No space left on device")

    def open(self, path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
        if self._is_target(path) and self.step == "create":
            raise self._fail()
        fd = self.real_open(path, flags, mode, **kw)
        if self._is_target(path):
            self.fds.add(fd)
        return fd

    def write(self, fd: int, data: Any) -> int:
        if fd in self.fds:
            if self.step == "write":
                raise self._fail()
            if self.step == "partial":
                self.step = "write"  # half of it fits, then the disk is full
                return self.real_write(fd, bytes(data)[: max(1, len(data) // 2)])
        return self.real_write(fd, data)

    def fsync(self, fd: int) -> None:
        if fd in self.fds and self.step == "fsync":
            raise self._fail()
        self.real_fsync(fd)


@pytest.mark.parametrize("target", ["vault", "backup"])
@pytest.mark.parametrize("step", ["create", "write", "partial", "fsync"])
def test_full_disk_through_the_command_line(
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    step: str,
    target: str,
) -> None:
    create_vault(default_paths(), "keyring")
    assert run(["checklist", "mark", ITEMS[0], "done"]) == 0
    assert run(["checklist", "mark", ITEMS[1], "todo"]) == 0  # now there is a backup copy too
    paths = default_paths()
    vault_before, backup_before = paths.vault.read_bytes(), paths.backup.read_bytes()
    capsys.readouterr()

    disk = FullDisk(step, target)
    with monkeypatch.context() as patched:
        patched.setattr(os, "open", disk.open)
        patched.setattr(os, "write", disk.write)
        patched.setattr(os, "fsync", disk.fsync)
        code = run(["checklist", "mark", ITEMS[2], "not_applicable"])
    captured = capsys.readouterr()
    err = flat(captured.err)

    assert disk.triggered
    assert code == ExitStatus.STORAGE_FAILED
    assert "disk is full" in err and "Everything saved before it is safe" in err
    assert "Free some space" in err
    assert "Traceback" not in err and "Errno" not in err
    assert paths.vault.read_bytes() == vault_before
    # When the vault itself could not be written, the earlier copy had already been refreshed
    # with the current (old) state; otherwise it is untouched.
    assert paths.backup.read_bytes() == (vault_before if target == "vault" else backup_before)
    assert not temp_files(data_dir)
    vault = open_vault(paths)
    assert vault is not None
    assert vault.state["checklist"]["items"] == {ITEMS[0]: "done", ITEMS[1]: "todo"}

    # Once there is space again the same command works.
    assert run(["checklist", "mark", ITEMS[2], "not_applicable"]) == 0
    again = open_vault(paths)
    assert again is not None and again.state["checklist"]["items"][ITEMS[2]] == "not_applicable"


# ── a read-only data folder ───────────────────────────────────────────────────────────────────


def _can_unshare_mounts() -> str | None:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return "unshare or mount is not installed"
    probe = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "true"],
        capture_output=True, text=True, timeout=30, check=False,
    )
    if probe.returncode != 0:
        return f"no private mount namespace here: {probe.stderr.strip()}"
    return None


def _can_drop_to_nobody() -> str | None:
    if os.geteuid() != 0:
        return None  # not root: chmod alone makes a folder read-only
    if shutil.which("setpriv") is None:
        return "setpriv is not installed"
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        return "there is no 'nobody' user"
    return None


def _read_only_by_mount(folder: Path, argv: list[str]) -> list[str]:
    """Run ``argv`` with ``folder`` bind-mounted read-only in a private mount namespace."""
    script = (
        'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    )
    return ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh",
            str(folder), *argv]


def _read_only_by_permissions(folder: Path, argv: list[str]) -> list[str]:
    """Run ``argv`` as a user who owns ``folder`` and its files but has no write permission on
    the folder (as root, permissions alone do not stop writes)."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        return argv
    user = pwd.getpwnam("nobody")
    for path in [folder, *folder.iterdir()]:
        os.chown(path, user.pw_uid, user.pw_gid)
    folder.chmod(0o500)
    return ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups",
            *argv]


@pytest.fixture
def world_readable_tmp() -> Iterator[Path]:
    """A temp folder that another user can reach (pytest's tmp_path is private to root)."""
    top = Path(tempfile.mkdtemp(prefix="sk-readonly-"))
    top.chmod(0o755)
    try:
        yield top
    finally:
        for path in [top, *top.rglob("*")]:
            with contextlib.suppress(OSError):
                path.chmod(0o700)
        shutil.rmtree(top, ignore_errors=True)


@pytest.mark.parametrize("how", ["read-only mount", "no write permission"])
def test_read_only_data_folder(world_readable_tmp: Path, how: str) -> None:
    reason = _can_unshare_mounts() if how == "read-only mount" else _can_drop_to_nobody()
    if reason is not None:
        pytest.skip(reason)
    root = world_readable_tmp / "data"
    make_passphrase_vault(root, {ITEMS[0]: "done"})
    shutil.copyfile(root / "vault.bin", root / "vault.bin.previous")
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    env = child_env(root)
    wrap = _read_only_by_mount if how == "read-only mount" else _read_only_by_permissions
    mark = [sys.executable, "-m", "safetykit", "checklist", "mark", ITEMS[1], "done"]
    command = wrap(root, mark)

    done = subprocess.run(
        command, input=PASSPHRASE + "\n", capture_output=True, text=True, env=env,
        timeout=60, check=False,
    )
    assert done.returncode == ExitStatus.STORAGE_FAILED, done.stderr
    err = flat(done.stderr)
    assert "could not save" in err
    assert str(root) in done.stderr.replace("\n", "")
    assert "Everything saved before is safe" in err
    assert "Traceback" not in err
    root.chmod(0o700)
    after = {p.name: p.read_bytes() for p in root.iterdir()}
    assert after == before, "the read-only folder was changed"
    assert stored_items(root) == {ITEMS[0]: "done"}

    # Reading still works in a folder that cannot be written.
    root.chmod(0o500)
    show = subprocess.run(
        wrap(root, [sys.executable, "-m", "safetykit", "checklist", "show", "--json"]),
        input=PASSPHRASE + "\n", capture_output=True, text=True, env=env, timeout=60,
        check=False,
    )
    assert show.returncode == 0, show.stderr
    states = {row["id"]: row["state"] for row in json.loads(show.stdout)}
    assert states[ITEMS[0]] == "done" and states[ITEMS[1]] == "todo"
