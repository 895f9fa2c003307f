"""The interactive checklist: what is happening, then section by section, item by item.

Every answer is saved before the next question, so a quick exit never loses anything.
"""

from __future__ import annotations

from safetykit.content.checklist import Checklist, Item, load_checklist
from safetykit.content.resources import resource
from safetykit.core import checklist as core
from safetykit.flows.access import Session, open_or_create
from safetykit.flows.hotlines import ways_to_reach
from safetykit.storage.vault import Vault
from safetykit.ui.prompts import Option, Prompter

HANDOFF_TEXT = {
    "passwords": "'safetykit passwords' goes through this account by account.",
    "plan": "'safetykit plan' helps you write this down as a plan you can print.",
}
NO_PHONE = "none"


class ChecklistFlow:
    def __init__(self, session: Session, vault: Vault, checklist: Checklist) -> None:
        if session.prompter is None:
            raise ValueError("the checklist flow needs a prompter")
        self.session = session
        self.ask: Prompter = session.prompter
        self.screen = session.screen
        self.vault = vault
        self.checklist = checklist
        self.progress = core.Progress.from_state(vault.section("checklist"))

    # -- saving ------------------------------------------------------------------------------
    def save(self) -> None:
        self.vault.state["checklist"] = self.progress.to_state()
        self.vault.save()

    # -- the walk-through --------------------------------------------------------------------
    def run(self) -> None:
        if not self.progress.behaviours_answered:
            self.ask_behaviours()
        self.menu()

    def ask_behaviours(self) -> None:
        self.screen.title("What is happening to you?")
        self.screen.say(
            "Tick anything your ex is doing. It helps safetykit show the most useful steps "
            "first. None of this is your fault, and you can change your answer later."
        )
        options = [Option(b.id, b.label) for b in self.checklist.behaviours]
        chosen = self.ask.multiselect(
            "checklist.behaviours", "What is your ex doing?", options, self.progress.behaviours
        )
        self.progress.behaviours = chosen
        self.progress.behaviours_answered = True
        self.save()

    def ask_platforms(self) -> None:
        phones = [p for p in self.checklist.platforms if p.kind == "phone"]
        apps = [p for p in self.checklist.platforms if p.kind == "app"]
        options = [Option(p.id, p.label) for p in phones]
        options.append(Option(NO_PHONE, "Another phone, or I'd rather not say"))
        phone = self.ask.select(
            "checklist.phone", "Which phone do you use?", options, self.progress.phone
        )
        self.progress.phone = None if phone == NO_PHONE else phone
        self.save()
        self.progress.apps = self.ask.multiselect(
            "checklist.apps",
            "Which of these apps do you use? Steps for them will be shown.",
            [Option(p.id, p.label) for p in apps],
            self.progress.apps,
        )
        self.save()

    def menu(self) -> None:
        while True:
            order = core.section_order(self.checklist, self.progress.behaviours)
            options = []
            for section in order:
                p = core.section_progress(self.checklist, self.progress, section.id)
                note = "all done" if p.complete else f"{p.done} of {p.total} done"
                options.append(Option(section.id, f"{section.title} ({note})"))
            options += [
                Option("_behaviours", "Change what is happening to me", "w"),
                Option("_platforms", "Change my phone and apps", "c"),
                Option("_leave", "Leave for now (your progress is saved)", "q"),
            ]
            total = core.summary(self.checklist, self.progress)
            self.screen.title(f"Your checklist: {total['line']}")
            choice = self.ask.select(
                "checklist.section",
                "Where would you like to go?",
                options,
                core.suggested_section(self.checklist, self.progress),
            )
            if choice == "_leave":
                self.screen.say("Your progress is saved. Come back whenever you are ready.")
                return
            if choice == "_behaviours":
                self.ask_behaviours()
            elif choice == "_platforms":
                self.ask_platforms()
            else:
                self.walk_section(choice)

    def walk_section(self, section_id: str) -> None:
        section = self.checklist.section(section_id)
        self.screen.title(section.title)
        self.screen.say(section.intro)
        items = core.walk_from(self.checklist, self.progress, section_id)
        for item in items:
            if not self.ask_item(item):
                return
        p = core.section_progress(self.checklist, self.progress, section_id)
        if p.complete:
            self.screen.say("You have been through every item here. Well done for taking this on.")
        else:
            self.screen.say("That's this section for now. Items left for later stay on the list.")

    def ask_item(self, item: Item) -> bool:
        """Ask about one item; False to go back to the sections."""
        self.screen.blank()
        self.screen.title(item.title)
        self.screen.say(item.why)
        if item.caution:
            self.screen.caution(item.caution)
        if item.handoff:
            self.screen.muted(HANDOFF_TEXT[item.handoff])
        current = self.progress.states.get(item.id)
        options = [
            Option("done", "Done", "d"),
            Option("todo", "Not yet", "n"),
            Option("not_applicable", "Doesn't apply to me", "x"),
            Option("_how", "Show me how", "s"),
            Option("_back", "Back to the sections", "b"),
        ]
        while True:
            answer = self.ask.select(
                f"checklist.item.{item.id}", "Where are you with this?", options, current
            )
            if answer == "_back":
                return False
            if answer == "_how":
                self.show_how(item)
                continue
            core.mark(self.checklist, self.progress, item.id, core.parse_state(answer))
            self.save()
            return True

    def show_how(self, item: Item) -> None:
        if self.progress.phone is None and not self.progress.apps and any(
            key != "general" for key, _ in item.steps
        ):
            self.ask_platforms()
        labels = {p.id: p.label for p in self.checklist.platforms}
        chosen = self.progress.platforms()
        for key, steps in item.steps_for(chosen):
            heading = "How to do it" if key == "general" else f"On {labels.get(key, key)}"
            self.screen.box(heading, [f"{n}. {s}" for n, s in enumerate(steps, start=1)])
        others = [labels[k] for k, _ in item.steps if k != "general" and k not in chosen]
        if others:
            self.screen.muted(
                f"There are also steps for {', '.join(others)}: "
                "choose 'Change my phone and apps' to see them."
            )
        if item.resources:
            lines = []
            for rid in item.resources:
                r = resource(rid)
                lines.append(f"{r.name}: {'; '.join(ways_to_reach(r)) or r.url or ''}")
            self.screen.box("People who can help with this", lines, style="green")


def run_checklist(session: Session) -> None:
    checklist = load_checklist()
    vault = open_or_create(session)
    if vault is None:
        session.screen.say("Nothing was stored. You can come back at any time.")
        return
    ChecklistFlow(session, vault, checklist).run()
