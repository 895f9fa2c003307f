"""The plan questionnaire: section by section, every question skippable, saved after each answer.

Coming back shows every answer as it stands and lets the person keep or change it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safetykit.content.plan import PlanContent, PlanSection, Question, load_plan
from safetykit.core.checklist import Progress
from safetykit.core.plan import (
    PlanAnswerError,
    PlanState,
    current_answers,
    is_answered,
    is_asked,
    progress,
    validate_answer,
)
from safetykit.flows import plan_export
from safetykit.flows.access import open_or_create
from safetykit.flows.exporting import ask_destination, write_or_choose_again
from safetykit.flows.protection import choose_pdf_password
from safetykit.flows.session import Session
from safetykit.i18n import _, ngettext
from safetykit.storage.vault import Vault
from safetykit.ui.prompts import Option, Prompter

SKIP = "_skip"


def set_answer(vault: Vault, question: Question, value: Any) -> PlanState:
    """Record one answer (or forget it, if empty): the one way a plan answer is saved.

    What is happening is kept once, where the checklist keeps it, so changing it here changes it
    there too (and an answer the plan kept on its own before is let go).
    """
    if question.shared == "behaviours":
        from safetykit.flows.checklist import set_behaviours

        checked = validate_answer(question, value)
        set_behaviours(vault, [str(b) for b in checked])
        return vault.read(PlanState)
    return vault.update(PlanState, lambda plan: plan.set_answer(question, value))


class PlanFlow:
    def __init__(self, session: Session, vault: Vault, content: PlanContent) -> None:
        self.session = session
        self.ask: Prompter = session.prompter
        self.screen = session.screen
        self.vault = vault
        self.content = content
        self.plan = vault.read(PlanState)
        self.answers: dict[str, Any] = {}
        self._read_answers()

    def _read_answers(self) -> None:
        self.answers = current_answers(self.content, self.plan, self.vault.read(Progress))

    def refresh(self) -> None:
        """Show what another window saved meanwhile."""
        self.vault.refresh()
        self.plan = self.vault.read(PlanState)
        self._read_answers()

    # -- saving ------------------------------------------------------------------------------
    def set_answer(self, question: Question, value: Any) -> None:
        self.plan = set_answer(self.vault, question, value)
        self._read_answers()

    # -- the questionnaire -------------------------------------------------------------------
    def run(self) -> None:
        self.screen.title(_("Your plan"))
        self.screen.say(
            _(
                "A plan is a few notes to yourself about who to call, where to go and what to "
                "do if things get worse. Skip anything you like and come back later; every "
                "answer is saved as you go."
            )
        )
        self.menu()

    def answered(self, question: Question) -> bool:
        return is_answered(question, self.answers.get(question.id))

    def asked(self, section: PlanSection) -> list[Question]:
        """The part's questions that the answers so far leave in ("Details of my order" is
        not asked after "I am thinking about it")."""
        return [q for q in section.questions if is_asked(self.content, q, self.answers)]

    def section_note(self, section: PlanSection) -> str:
        questions = self.asked(section)
        total = len(questions)
        done = sum(1 for q in questions if self.answered(q))
        if done == total:
            return _("all answered")
        if done == 0 and section.id not in self.plan.opened:
            return _("not started")
        return ngettext(
            "{answered} of {total} answered", "{answered} of {total} answered", done
        ).format(answered=done, total=total)

    def suggested(self) -> str:
        """The next part not yet opened (after the last one opened), else the first with a
        question left, else saving the plan."""
        parts = [s for s in self.content.sections if s.questions]
        opened = self.plan.opened
        last = max((n for n, s in enumerate(parts) if s.id in opened), default=-1)
        for section in [*parts[last + 1:], *parts[: last + 1]]:
            if section.id not in opened:
                return section.id
        for section in parts:
            if not all(self.answered(q) for q in self.asked(section)):
                return section.id
        return "_export"

    def menu(self) -> None:
        while True:
            self.refresh()
            answered, total = progress(self.content, self.answers)
            options = [
                # TRANSLATORS: a part of the plan and how far it is, as "Who can help (not
                # started)".
                Option(s.id, _("{part} ({progress})").format(
                    part=s.title, progress=self.section_note(s)
                ))
                for s in self.content.sections
                if s.questions
            ]
            options += [
                Option("_export", _("Save my plan to a file I can print"), "s"),
                Option("_leave", self.session.leave_label(_("your answers are saved")), "q"),
            ]
            self.screen.title(
                ngettext(
                    "Your plan: {answered} of {total} question answered",
                    "Your plan: {answered} of {total} questions answered",
                    total,
                ).format(answered=answered, total=total)
            )
            choice = self.ask.select(
                "plan.section", _("Which part would you like to work on?"), options,
                self.suggested(),
            )
            if choice == "_leave":
                self.screen.say(_("Your answers are saved. Come back whenever you are ready."))
                return
            if choice == "_export":
                self.export()
            else:
                self.open_part(self.content.section(choice))

    def open_part(self, section: PlanSection) -> None:
        """A part: straight through its questions the first time; after that, a list of its
        questions to pick from, going on from the first one not answered."""
        self.plan = self.vault.update(PlanState, lambda plan: plan.open_section(section.id))
        self._read_answers()
        self.screen.title(section.title)
        self.screen.say(section.intro)
        if section.guidance:
            self.screen.bullets(section.guidance)
        if not any(self.answered(q) for q in section.questions):
            self.walk(section.questions)
            self.offer_log(section)
            return
        while True:
            self.refresh()
            questions = self.asked(section)
            waiting = [q for q in questions if not self.answered(q)]
            options = []
            if waiting:
                options.append(
                    Option("_next", _("Go on from the first question not answered"), "n")
                )
            options += [
                Option(q.id, (_("{question} (answered)") if self.answered(q)
                              else _("{question} (not answered)")).format(question=q.prompt))
                for q in questions
            ]
            if section.offers_log:
                options.append(Option("_log", _("Write in my incident log"), "l"))
            options.append(Option("_parts", _("Back to the parts"), "b"))
            choice = self.ask.select(
                f"plan.part.{section.id}",
                _("{part}: which question?").format(part=section.title),
                options,
                "_next" if waiting else "_parts",
            )
            if choice == "_parts":
                return
            if choice == "_next":
                self.walk(waiting)
                return
            if choice == "_log":
                self.open_log()
                continue
            self.screen.blank()
            self.ask_question(self.content.question(choice))

    def offer_log(self, section: PlanSection) -> None:
        if not section.offers_log:
            return
        self.screen.say(section.offers_log)
        if self.ask.confirm("plan.offer_log", _("Open the incident log now?"), default=False):
            self.open_log()

    def open_log(self) -> None:
        from safetykit.content.log import load_log
        from safetykit.flows.log import LogFlow

        LogFlow(self.session, self.vault, load_log()).add()

    def walk(self, questions: tuple[Question, ...] | list[Question]) -> None:
        for question in questions:
            if not is_asked(self.content, question, self.answers):  # as answered a moment ago
                continue
            self.screen.blank()
            if question.help:
                self.screen.muted(question.help)
            self.ask_question(question)

    def ask_question(self, question: Question) -> None:
        kind = question.kind
        current = self.answers.get(question.id)
        if kind == "text":
            before = current if isinstance(current, str) else ""
            hint = (
                # An answer already there is shown ready to edit: Enter keeps it.
                _("{question} (Enter to keep it, ? for hotlines)")
                if before
                else _("{question} (Enter to skip, ? for hotlines)")
            )
            value = self.ask.text(
                f"plan.{question.id}", hint.format(question=question.prompt), before
            )
            self.set_answer(question, value.strip())
        elif kind == "choice":
            options = [Option(o.id, o.label) for o in question.options]
            options.append(Option(SKIP, _("Skip for now"), "k"))
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

    # -- list answers: never deleted without asking -------------------------------------------
    def list_action(self, question: Question, shown: list[str], *, again: bool = False) -> str:
        """What to do with a list answer; ``again`` when the list was just shown and changed,
        so a blank line sets it apart from the questions before it."""
        if again:
            self.screen.blank()
        self.screen.say(question.prompt)
        self.screen.say(_("You wrote:"))
        self.screen.bullets(shown, numbered=True)
        return self.ask.select(
            f"plan.{question.id}.keep",
            _("What would you like to do?"),
            [
                Option("keep", _("Keep them as they are"), "k"),
                Option("add", _("Add one"), "a"),
                Option("change", _("Change one"), "c"),
                Option("remove", _("Remove one"), "r"),
                Option("clear", _("Remove them all"), "x"),
            ],
            "keep",
        )

    def pick_entry(self, question: Question, shown: list[str], action: str) -> int | None:
        options = [Option(str(n), entry) for n, entry in enumerate(shown)]
        options.append(Option("_back", _("Back"), "b"))
        which = _("Which one to change?") if action == "change" else _("Which one to remove?")
        chosen = self.ask.select(f"plan.{question.id}.pick", which, options)
        return None if chosen == "_back" else int(chosen)

    def confirm_removal(self, question: Question, message: str) -> bool:
        removed = self.ask.confirm(f"plan.{question.id}.remove", message, default=False)
        if not removed:
            self.screen.say(_("Nothing was removed."))
        return removed

    def edit_list(self, question: Question, entries: list[Any], shown: list[str]) -> bool:
        """Keep, change or remove entries of a list answer, saving each change; True when the
        person wants to add more."""
        again = False
        while entries:
            action = self.list_action(question, shown, again=again)
            again = True
            if action == "keep":
                return False
            if action == "add":
                return True
            if action == "clear":
                if self.confirm_removal(question, _remove_all_question(len(entries))):
                    entries.clear()
                    self.set_answer(question, entries)
                    self.screen.say(_("Removed."))
                continue
            index = self.pick_entry(question, shown, action)
            if index is None:
                continue
            if action == "remove":
                if self.confirm_removal(
                    question,
                    _("Remove \u201c{entry}\u201d? It cannot be brought back.").format(
                        entry=shown[index]
                    ),
                ):
                    del entries[index]
                    self.set_answer(question, entries)
                    self.screen.say(_("Removed."))
            else:
                entries[index] = self.changed_entry(question, entries[index])
                self.set_answer(question, entries)
            shown[:] = self.shown(question, entries)
        return True

    def shown(self, question: Question, entries: list[Any]) -> list[str]:
        if question.kind == "people":
            return [" - ".join(v for v in p.values() if v) for p in entries]
        return [str(e) for e in entries]

    def changed_entry(self, question: Question, entry: Any) -> Any:
        if question.kind == "people":
            person = dict(entry)
            for field, label, kept in (
                ("name", _("Name"), _("Name (Enter to keep it)")),
                ("contact", _("How to reach them"), _("How to reach them (Enter to keep it)")),
                ("knows", _("What they know, or how they can help"),
                 _("What they know, or how they can help (Enter to keep it)")),
            ):
                before = str(person.get(field, ""))
                typed = self.ask.text(
                    f"plan.{question.id}.{field}", kept if before else label, before
                ).strip()
                if typed or field != "name":
                    person[field] = typed
            return person
        typed = self.ask.text(
            f"plan.{question.id}", _("Change it to (Enter to keep it)"), str(entry)
        ).strip()
        if not typed:
            # TRANSLATORS: "Remove one" is the choice of that name in the list above.
            self.screen.say(_("Kept as it was (to remove it, choose Remove one)."))
            return entry
        return typed

    def ask_lines(self, question: Question, current: list[Any]) -> None:
        entries = [str(e) for e in current]
        if entries and not self.edit_list(question, entries, self.shown(question, entries)):
            return
        while True:
            prompt = (
                _("{question} (Enter when done, ? for hotlines)").format(question=question.prompt)
                if not entries
                else _("Another one? (Enter when done, ? for hotlines)")
            )
            line = self.ask.text(f"plan.{question.id}", prompt).strip()
            if not line:
                return
            entries.append(line)
            self.set_answer(question, entries)

    def ask_people(self, question: Question, current: list[Any]) -> None:
        people = [dict(p) for p in current if isinstance(p, dict)]
        if people and not self.edit_list(question, people, self.shown(question, people)):
            return
        self.screen.say(question.prompt)
        while True:
            lead = (
                _("Name (Enter when done, ? for hotlines)")
                if not people
                else _("Someone else? Their name (Enter when done, ? for hotlines)")
            )
            name = self.ask.text(f"plan.{question.id}.name", lead).strip()
            if not name:
                return
            contact = self.ask.text(f"plan.{question.id}.contact", _("How to reach them")).strip()
            knows = self.ask.text(
                f"plan.{question.id}.knows", _("What they know, or how they can help")
            ).strip()
            people.append({"name": name, "contact": contact, "knows": knows})
            self.set_answer(question, people)

    # -- saving to a file --------------------------------------------------------------------
    def export(self) -> None:
        fmt = self.ask.select(
            "plan.export.format",
            _("Which kind of file?"),
            [
                Option("pdf", _("PDF, to print or keep on a phone"), "p"),
                Option("html", _("A web page, to print or to read with a screen reader"), "w"),
                Option("md", _("Plain text (Markdown)"), "t"),
                Option("_back", _("Back"), "b"),
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
            _("Protect the PDF with a password? (Anyone opening it will need it.)"),
            default=True,
        ):
            password = choose_pdf_password(
                self.session, self.screen, self.vault, "plan.export.password"
            )
        self.refresh()
        data = plan_export.export_plan(self.vault.state, fmt, password)
        written = write_or_choose_again(self.session, dest, fmt, data)
        if written is None:
            self.screen.say(_("Nothing was written."))
            return
        self.screen.say(_("Your plan is saved in {path}.").format(path=written.path))
        if fmt == "pdf":
            self.screen.say(
                _(
                    "With a screen reader, the web page is easier to find your way in: the PDF "
                    "does not mark its headings and lists. Save it again as a web page to have "
                    "one."
                )
            )
        self.screen.say(
            _(
                "Keep it somewhere your ex can't see it, such as printed in a safe place or on "
                "a device only you use. Other logins on this computer cannot open it."
            )
        )


def _remove_all_question(count: int) -> str:
    """The question before every entry of a list answer is removed ("Remove both of them?")."""
    if count == 1:
        return _("Remove it? It cannot be brought back.")
    if count == 2:
        return _("Remove both of them? It cannot be brought back.")
    return ngettext(
        "Remove all {count} of them? It cannot be brought back.",
        "Remove all {count} of them? It cannot be brought back.",
        count,
    ).format(count=count)


def run_plan(session: Session) -> None:
    content = load_plan()
    vault = open_or_create(session)
    if vault is None:
        session.screen.say(
            _(
                "Nothing was stored. 'safetykit plan export --blank' prints a blank plan to "
                "fill in by hand."
            )
        )
        return
    PlanFlow(session, vault, content).run()
