"""Test doubles, in one place: scripted answers for the prompter contract, an in-memory keyring.

``ScriptedPrompter`` answers from a script keyed by question id and fails loudly on a question it
has no answer for; ``MemoryKeyring`` is a keyring backend kept in a dict that can be locked or made
to hang like a real one.
"""

from __future__ import annotations

import io
import threading
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError

from safetykit.flows.terminal import Terminal
from safetykit.ui.prompts import HELP_TEXT, HELP_VALUE, Option, Prompter

INTERRUPT = object()
"""A scripted answer that presses Ctrl-C at that question."""

HELP = object()
"""A scripted answer that asks for the hotlines at that question."""


class UnexpectedQuestion(AssertionError):
    """A test script had no answer for a question the flow asked."""


class Queue(list[Any]):
    """Several answers, in order, for a question asked more than once."""


class ScriptedPrompter(Prompter):
    """Answers from a script keyed by question id; each id may hold a ``Queue`` of answers.

    Records every question asked in ``asked`` (id, message) so tests can check what was shown.
    A key ending in ``.*`` answers every question whose id begins with what comes before it
    (for ids that hold a record id, like ``passwords.walk.<id>``), when no exact key does.
    """

    def __init__(
        self,
        answers: Mapping[str, Any],
        on_help: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(on_help)
        self._answers: dict[str, deque[Any]] = {
            qid: deque(value if isinstance(value, Queue) else [value])
            for qid, value in answers.items()
        }
        self.asked: list[tuple[str, str]] = []

    def remaining(self) -> dict[str, list[Any]]:
        return {qid: list(q) for qid, q in self._answers.items() if q}

    def _next(self, qid: str, message: str) -> Any:
        self.asked.append((qid, message))
        queue = self._answers.get(qid)
        if queue is None:
            queue = next(
                (q for key, q in self._answers.items()
                 if key.endswith(".*") and qid.startswith(key[:-1])),
                None,
            )
        if not queue:
            raise UnexpectedQuestion(f"no scripted answer for question {qid!r}: {message!r}")
        answer = queue.popleft()
        if answer is INTERRUPT:
            raise KeyboardInterrupt
        return answer

    def _ask_select(
        self, qid: str, message: str, options: list[Option], default: str | None
    ) -> str:
        answer = self._next(qid, message)
        if answer is HELP:
            return HELP_VALUE
        if answer not in {o.value for o in options}:
            raise UnexpectedQuestion(f"{answer!r} is not a choice for {qid!r}")
        return str(answer)

    def _ask_multiselect(
        self, qid: str, message: str, options: list[Option], default: list[str]
    ) -> list[str] | str:
        answer = self._next(qid, message)
        if answer is HELP:
            return HELP_VALUE
        return [str(a) for a in answer]

    def _ask_text(self, qid: str, message: str, default: str) -> str:
        answer = self._next(qid, message)
        return HELP_TEXT if answer is HELP else str(answer)

    def _ask_confirm(self, qid: str, message: str, default: bool) -> bool | str:
        answer = self._next(qid, message)
        return HELP_VALUE if answer is HELP else bool(answer)

    def _ask_secret(self, qid: str, message: str) -> str:
        return str(self._next(qid, message))


class MemoryKeyring(KeyringBackend):
    """A keyring kept in memory; ``locked`` raises like a locked collection, ``hanging`` blocks."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.locked = False
        self.lock_after_a_delete = False  # like a screen lock arriving in the middle of a wipe
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
        if self.lock_after_a_delete:
            self.locked = True


class RecordingTerminal(Terminal):
    """A terminal that records when the screen is cleared, and what had been shown by then."""

    def __init__(self, shown: io.StringIO | None = None) -> None:
        super().__init__(stdin=None, stdin_is_tty=True, stdout_is_tty=True, tty=None)
        self.shown = shown
        self.cleared_after: list[str] = []

    def clear(self) -> None:
        self.cleared_after.append(self.shown.getvalue() if self.shown is not None else "")
