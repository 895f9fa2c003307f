"""The plan questionnaire: section by section, every question skippable, saved after each answer.

Coming back shows every answer as it stands and lets the person keep or change it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safetykit.content.plan import PlanContent, PlanSection, Question, load_plan
from safetykit.core.checklist import Progress
from safetykit.core.plan import PlanAnswerError, PlanState, is_answered, progress
from safetykit.flows import plan_export
from safetykit.flows.access import open_or_create
from safetykit.flows.exporting import ask_destination, write_or_choose_again
from safetykit.flows.protection import choose_secret, known_words
from safetykit.flows.session import Session
from safetykit.storage.vault import Vault
from safetykit.ui.prompts import Option, Prompter

SKIP = "_skip"
BEHAVIOURS_QID = "happening.behaviours"


def set_answer(vault: Vault, question: Question, value: Any) -> PlanState:
    """Record one answer (or forget it, if empty): the one way a plan answer is saved."""
    return vault.update(PlanState, lambda plan: plan.set_answer(question, value))


class PlanFlow:
    def __init__(self, session: Session, vault: Vault, content: PlanContent) -> None:
        self.session = session
        self.ask: Prompter = session.prompter
        self.screen = session.screen
        self.vault = vault
        self.content = content
        self.plan = vault.read(PlanState)

    @property
    def answers(self) -> dict[str, Any]:
        return self.plan.answers

    def refresh(self) -> None:
        """Show what another window saved meanwhile."""
        self.vault.refresh()
        self.plan = self.vault.read(PlanState)

    # -- saving ------------------------------------------------------------------------------
    def set_answer(self, question: Question, value: Any) -> None:
        self.plan = set_answer(self.vault, question, value)

    # -- the questionnaire -------------------------------------------------------------------
    def run(self) -> None:
        self.prefill_from_checklist()
        self.screen.title("Your plan")
        self.screen.say(
            "A plan is a few notes to yourself about who to call, where to go and what to do "
            "if things get worse. Skip anything you like and come back later; every answer is "
            "saved as you go."
        )
        self.menu()

    def prefill_from_checklist(self) -> None:
        """What is happening comes from the checklist's first question, unless changed here."""
        if BEHAVIOURS_QID in self.answers:
            return
        behaviours = self.vault.read(Progress).behaviours
        if behaviours:
            question = self.content.question(BEHAVIOURS_QID)
            known = {o.id for o in question.options}
            picked = [b for b in behaviours if b in known]
            if picked:
                self.set_answer(question, picked)

    def section_note(self, section: PlanSection) -> str:
        total = len(section.questions)
        if total == 0:
            return "filled in for you"
        done = sum(1 for q in section.questions if is_answered(q, self.answers.get(q.id)))
        return "all answered" if done == total else f"{done} of {total} answered"

    def suggested(self) -> str:
        last = self.plan.last_question
        for section in self.content.sections:
            open_question = any(
                not is_answered(q, self.answers.get(q.id)) for q in section.questions
            )
            if open_question and (last is None or any(q.id == last for q in section.questions)):
                return section.id
        for section in self.content.sections:
            if any(not is_answered(q, self.answers.get(q.id)) for q in section.questions):
                return section.id
        return "_export"

    def menu(self) -> None:
        while True:
            self.refresh()
            answered, total = progress(self.content, self.answers)
            options = [
                Option(s.id, f"{s.title} ({self.section_note(s)})")
                for s in self.content.sections
                if s.questions
            ]
            options += [
                Option("_export", "Save my plan to a file I can print", "s"),
                Option("_leave", "Leave for now (your answers are saved)", "q"),
            ]
            self.screen.title(f"Your plan: {answered} of {total} questions answered")
            choice = self.ask.select(
                "plan.section", "Which part would you like to work on?", options, self.suggested()
            )
            if choice == "_leave":
                self.screen.say("Your answers are saved. Come back whenever you are ready.")
                return
            if choice == "_export":
                self.export()
            else:
                self.walk_section(self.content.section(choice))

    def walk_section(self, section: PlanSection) -> None:
        self.screen.title(section.title)
        self.screen.say(section.intro)
        if section.guidance:
            self.screen.bullets(section.guidance)
        for question in section.questions:
            self.screen.blank()
            if question.help:
                self.screen.muted(question.help)
            self.ask_question(question)

    def ask_question(self, question: Question) -> None:
        kind = question.kind
        current = self.answers.get(question.id)
        if kind == "text":
            value = self.ask.text(
                f"plan.{question.id}",
                f"{question.prompt} (Enter to skip, ? for hotlines)",
                current if isinstance(current, str) else "",
            )
            self.set_answer(question, value.strip())
        elif kind == "choice":
            options = [Option(o.id, o.label) for o in question.options]
            options.append(Option(SKIP, "Skip for now", "k"))
            chosen = self.ask.select(
                f"plan.{question.id}",
                question.prompt,
                options,
                current if isinstance(current, str) else SKIP,
            )
            self.set_answer(question, "" if chosen == SKIP else chosen)
        elif kind == "checklist":
            picked = self.ask.multiselect(
                f"plan.{question.id}",
                question.prompt,
                [Option(o.id, o.label) for o in question.options],
                current if isinstance(current, list) else [],
            )
            self.set_answer(question, picked)
        elif kind == "lines":
            self.ask_lines(question, current if isinstance(current, list) else [])
        elif kind == "people":
            self.ask_people(question, current if isinstance(current, list) else [])
        else:  # pragma: no cover - the content loader only allows the kinds above
            raise PlanAnswerError(f"unknown question kind {kind}")

    def keep_or_change(self, question: Question, shown: list[str]) -> str:
        self.screen.say(f"{question.prompt} You wrote:")
        self.screen.bullets(shown)
        return self.ask.select(
            f"plan.{question.id}.keep",
            "Keep these?",
            [
                Option("keep", "Keep them as they are", "k"),
                Option("add", "Add more", "a"),
                Option("redo", "Write them again", "w"),
                Option("clear", "Remove them", "r"),
            ],
            "keep",
        )

    def ask_lines(self, question: Question, current: list[Any]) -> None:
        entries = [str(e) for e in current]
        if entries:
            decision = self.keep_or_change(question, entries)
            if decision == "keep":
                return
            if decision in ("redo", "clear"):
                entries = []
                self.set_answer(question, entries)
            if decision == "clear":
                return
        while True:
            prompt = question.prompt if not entries else "Another one?"
            line = self.ask.text(
                f"plan.{question.id}", f"{prompt} (Enter when done, ? for hotlines)"
            ).strip()
            if not line:
                return
            entries.append(line)
            self.set_answer(question, entries)

    def ask_people(self, question: Question, current: list[Any]) -> None:
        people = [dict(p) for p in current if isinstance(p, dict)]
        if people:
            shown = [" - ".join(v for v in p.values() if v) for p in people]
            decision = self.keep_or_change(question, shown)
            if decision == "keep":
                return
            if decision in ("redo", "clear"):
                people = []
                self.set_answer(question, people)
            if decision == "clear":
                return
        self.screen.say(question.prompt)
        while True:
            lead = "Name" if not people else "Someone else? Their name"
            name = self.ask.text(
                f"plan.{question.id}.name", f"{lead} (Enter when done, ? for hotlines)"
            ).strip()
            if not name:
                return
            contact = self.ask.text(f"plan.{question.id}.contact", "How to reach them").strip()
            knows = self.ask.text(
                f"plan.{question.id}.knows", "What they know, or how they can help"
            ).strip()
            people.append({"name": name, "contact": contact, "knows": knows})
            self.set_answer(question, people)

    # -- saving to a file --------------------------------------------------------------------
    def export(self) -> None:
        fmt = self.ask.select(
            "plan.export.format",
            "Which kind of file?",
            [
                Option("pdf", "PDF, to print or keep on a phone", "p"),
                Option("html", "A web page, to print from a browser", "w"),
                Option("md", "Plain text (Markdown)", "t"),
                Option("_back", "Back", "b"),
            ],
            "pdf",
        )
        if fmt == "_back":
            return
        dest = ask_destination(self.session, plan_export.default_path(fmt, Path.home()), fmt)
        if dest is None:
            return
        password = None
        if fmt == "pdf" and self.ask.confirm(
            "plan.export.protect",
            "Protect the PDF with a password? (Anyone opening it will need it.)",
            default=True,
        ):
            password = choose_secret(
                self.session, self.screen, known=known_words(self.vault),
                qid="plan.export.password", what="password for the PDF",
            )
        self.refresh()
        data = plan_export.export_plan(self.vault.state, fmt, password)
        written = write_or_choose_again(self.session, dest, fmt, data)
        if written is None:
            self.screen.say("Nothing was written.")
            return
        self.screen.say(f"Your plan is saved in {written.path}.")
        self.screen.say(
            "Keep it somewhere your ex can't see it, such as printed in a safe place or on a "
            "device only you use. Other logins on this computer cannot open it."
        )


def run_plan(session: Session) -> None:
    content = load_plan()
    vault = open_or_create(session)
    if vault is None:
        session.screen.say(
            "Nothing was stored. 'safetykit plan export --blank' prints a blank plan to fill "
            "in by hand."
        )
        return
    PlanFlow(session, vault, content).run()
