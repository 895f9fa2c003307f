"""``safetykit plan show`` and ``plan answer``: the plan for advocates' scripts.

``show`` lists every question with its answer; ``answer`` saves one answer read from standard
input (never from an argument, so nothing a person wrote ends up in shell history or a process
list), merged with what another window saved meanwhile.
"""

from __future__ import annotations

import contextlib
from typing import Any

from safetykit.content._validate import NotInContentError
from safetykit.content.plan import PlanContent, Question, load_plan
from safetykit.core.plan import PlanAnswerError, answer_from_text, answers_in, validate_answer
from safetykit.errors import UsageError
from safetykit.flows.access import open_existing, open_for_script
from safetykit.flows.plan import set_answer
from safetykit.flows.session import Session
from safetykit.i18n import N_, _

LIST_HINT = N_("'safetykit plan show --json' lists every question with its id.")


def question_rows(content: PlanContent, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Every question in order: ``id``, ``section``, ``question``, ``kind``, ``answer`` (None when
    not answered), and ``options`` (id and label) for choices."""
    rows: list[dict[str, Any]] = []
    for section in content.sections:
        for question in section.questions:
            value = answers.get(question.id)
            if value is not None:
                with contextlib.suppress(PlanAnswerError):  # else shown as stored, never dropped
                    value = validate_answer(question, value)
            row: dict[str, Any] = {
                "id": question.id,
                "section": section.id,
                "section_title": section.title,
                "question": question.prompt,
                "kind": question.kind,
                "answer": value if value else None,
            }
            if question.options:
                row["options"] = [{"id": o.id, "label": o.label} for o in question.options]
            rows.append(row)
    return rows


def _shown(question: Question, value: Any) -> list[str]:
    if not value:
        return [_("(not answered)")]
    if question.kind == "people":
        return [" - ".join(part for part in person.values() if part) for person in value]
    if question.kind in ("choice", "checklist"):
        ids = [value] if isinstance(value, str) else value
        return [option.label for option in question.options if option.id in ids]
    if isinstance(value, str):
        return value.split("\n")
    return [str(v) for v in value]


def show_command(session: Session, *, as_json: bool) -> None:
    content = load_plan()
    vault = open_existing(session)
    answers = answers_in(content, vault.state) if vault else {}
    rows = question_rows(content, answers)
    if as_json:
        session.screen.print_json(rows)
        return
    screen = session.screen
    current = None
    for row in rows:
        if row["section"] != current:
            current = row["section"]
            screen.title(row["section_title"])
        question = content.question(row["id"])
        screen.say(f"{row['question']} [{row['id']}]")
        screen.bullets(_shown(question, row["answer"]))


def answer_command(session: Session, *, question_id: str, clear: bool) -> None:
    """Save (or with ``clear`` remove) one answer, read whole from standard input."""
    content = load_plan()
    try:
        question = content.question(question_id)
    except NotInContentError:
        raise UsageError(
            _("There is no plan question with the id {id}.").format(id=repr(question_id)),
            hint=_(LIST_HINT),
        ) from None
    vault = open_for_script(session)
    if clear:
        value: Any = ""
    else:
        typed = _read_rest(session)
        value = answer_from_text(question, typed)  # a bad answer stops here: nothing saved
        if not value:
            raise UsageError(
                _("No answer was given on standard input, so nothing was changed."),
                hint=_("To remove an answer, use --clear."),
            )
    set_answer(vault, question, value)
    if clear:
        session.screen.say(
            _("Removed the answer to \u201c{question}\u201d.").format(question=question.prompt)
        )
    else:
        session.screen.say(
            _("Saved the answer to \u201c{question}\u201d.").format(question=question.prompt)
        )


def _read_rest(session: Session) -> str:
    if session.stdin is None:
        return ""
    if session.terminal is not None and session.terminal.stdin_is_tty:
        session.warn.say(_("Type the answer, then press Ctrl-D on a line of its own."))
    try:
        return session.stdin.read()
    except (OSError, ValueError):
        return ""
