"""The checklist: the walk-through (what is happening, then section by section, item by item),
and ``show`` / ``mark`` for scripts. Both change progress through the same operations.

Every answer is saved before the next question, so a quick exit never loses anything; every save
merges with what another window saved meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence

from safetykit.content.checklist import Checklist, Item, load_checklist
from safetykit.content.resources import Resource, load_resources
from safetykit.core import checklist as core
from safetykit.errors import UsageError
from safetykit.flows.access import open_existing, open_for_script, open_or_create
from safetykit.flows.hotlines import in_spanish, ways_to_reach
from safetykit.flows.session import Session
from safetykit.i18n import N_, _, ngettext
from safetykit.storage.vault import Vault
from safetykit.ui.prompts import Option, Prompter

HANDOFF_TEXT = {
    "passwords": N_("'safetykit passwords' goes through this account by account."),
    "plan": N_("'safetykit plan' helps you write this down as a plan you can print."),
    "log": N_(
        "safetykit's incident log keeps a dated, private record of each incident, with your "
        "files kept exactly as they were, for you, an advocate or a court."
    ),
}
NO_PHONE = "none"
MARKS = {"done": "[x]", "todo": "[ ]", "not_applicable": "[-]"}


# ── operations: one per action, used by the walk-through and the scriptable commands ──────────


def mark_item(vault: Vault, checklist: Checklist, item_id: str, state: core.ItemState) -> (
    core.Progress
):
    """Record where the person is with one item."""
    return vault.update(core.Progress, lambda p: core.mark(checklist, p, item_id, state))


def set_behaviours(vault: Vault, behaviours: Sequence[str]) -> core.Progress:
    """Record what is happening (the opening question here, and the plan's first question:
    one answer for both, kept here)."""
    from safetykit.content.plan import load_plan
    from safetykit.core.plan import PlanState

    def change(progress: core.Progress) -> None:
        progress.behaviours = list(behaviours)
        progress.behaviours_answered = True

    saved = vault.update(core.Progress, change)
    shared = load_plan().shared_question("behaviours")
    if shared is not None and shared.id in vault.read(PlanState).answers:
        vault.update(PlanState, lambda plan: plan.forget(shared.id))  # the plan's old copy
    return saved


def set_phone(vault: Vault, phone: str | None) -> core.Progress:
    def change(progress: core.Progress) -> None:
        progress.phone = phone

    return vault.update(core.Progress, change)


def set_apps(vault: Vault, apps: Sequence[str]) -> core.Progress:
    def change(progress: core.Progress) -> None:
        progress.apps = list(apps)

    return vault.update(core.Progress, change)


# ── the walk-through ──────────────────────────────────────────────────────────────────────────


class ChecklistFlow:
    def __init__(self, session: Session, vault: Vault, checklist: Checklist) -> None:
        self.session = session
        self.ask: Prompter = session.prompter
        self.screen = session.screen
        self.vault = vault
        self.checklist = checklist
        self.progress = vault.read(core.Progress)

    def refresh(self) -> None:
        """Show what another window saved meanwhile."""
        self.vault.refresh()
        self.progress = self.vault.read(core.Progress)

    # -- the walk-through --------------------------------------------------------------------
    def run(self) -> None:
        if not self.progress.behaviours_answered:
            self.ask_behaviours()
        self.menu()

    def ask_behaviours(self) -> None:
        self.screen.title(_("What is happening to you?"))
        self.screen.say(
            _(
                "Tick anything your ex is doing. It helps safetykit show the most useful steps "
                "first. None of this is your fault, and you can change your answer later."
            )
        )
        options = [Option(b.id, b.label) for b in self.checklist.behaviours]
        chosen = self.ask.multiselect(
            "checklist.behaviours", _("What is your ex doing?"), options, self.shared_behaviours()
        )
        self.progress = set_behaviours(self.vault, chosen)

    def shared_behaviours(self) -> list[str]:
        """What is happening, as last answered here or in the plan (one answer for both)."""
        from safetykit.content.plan import load_plan
        from safetykit.core.plan import answers_in

        question = load_plan().shared_question("behaviours")
        if question is None:
            return list(self.progress.behaviours)
        answer = answers_in(load_plan(), self.vault.state).get(question.id)
        return [str(b) for b in answer] if isinstance(answer, list) else []

    def ask_platforms(self) -> None:
        phones = [p for p in self.checklist.platforms if p.kind == "phone"]
        apps = [p for p in self.checklist.platforms if p.kind == "app"]
        options = [Option(p.id, p.label) for p in phones]
        options.append(Option(NO_PHONE, _("Another phone, or I'd rather not say")))
        phone = self.ask.select(
            "checklist.phone", _("Which phone do you use?"), options, self.progress.phone
        )
        self.progress = set_phone(self.vault, None if phone == NO_PHONE else phone)
        chosen = self.ask.multiselect(
            "checklist.apps",
            _("Which of these apps do you use? Steps for them will be shown."),
            [Option(p.id, p.label) for p in apps],
            self.progress.apps,
        )
        self.progress = set_apps(self.vault, chosen)

    def menu(self) -> None:
        while True:
            self.refresh()
            order = core.section_order(self.checklist, self.progress.behaviours)
            options = []
            for section in order:
                p = core.section_progress(self.checklist, self.progress, section.id)
                note = (
                    _("all done")
                    if p.complete
                    else ngettext(
                        "{done} of {total} done", "{done} of {total} done", p.done
                    ).format(done=p.done, total=p.total)
                )
                options.append(Option(section.id, f"{section.title} ({note})"))
            options += [
                Option("_behaviours", _("Change what is happening to me"), "w"),
                Option("_platforms", _("Change my phone and apps"), "c"),
                Option("_leave", self.session.leave_label(_("your progress is saved")), "q"),
            ]
            total = core.summary(self.checklist, self.progress)
            self.screen.title(_("Your checklist: {progress}").format(progress=total["line"]))
            choice = self.ask.select(
                "checklist.section",
                _("Where would you like to go?"),
                options,
                core.suggested_section(self.checklist, self.progress),
            )
            if choice == "_leave":
                self.screen.say(_("Your progress is saved. Come back whenever you are ready."))
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
            self.screen.say(
                _("You have been through every item here. Well done for taking this on.")
            )
        else:
            self.screen.say(
                _("That's this section for now. Items left for later stay on the list.")
            )

    def ask_item(self, item: Item) -> bool:
        """Ask about one item; False to go back to the sections."""
        self.screen.blank()
        self.screen.title(item.title)
        self.screen.say(item.why)
        if item.caution:  # said in full above the steps, where "Before you do this" is true
            self.screen.muted(
                _("'Show me how' starts with something to know before you do this.")
            )
        if item.handoff:
            self.screen.muted(_(HANDOFF_TEXT[item.handoff]))
        current = self.progress.states.get(item.id)
        options = [
            Option("done", _("Done"), "d"),
            Option("todo", _("Not yet"), "n"),
            Option("not_applicable", _("Doesn't apply to me"), "x"),
            Option("_how", _("Show me how"), "s"),
            Option("_back", _("Back to the sections"), "b"),
        ]
        if item.handoff == "log":
            options.insert(4, Option("_log", _("Write something in my incident log now"), "l"))
        while True:
            answer = self.ask.select(
                f"checklist.item.{item.id}", _("Where are you with this?"), options, current
            )
            if answer == "_back":
                return False
            if answer == "_how":
                self.show_how(item)
                continue
            if answer == "_log":
                from safetykit.content.log import load_log
                from safetykit.flows.log import LogFlow

                LogFlow(self.session, self.vault, load_log()).add()
                continue
            self.progress = mark_item(
                self.vault, self.checklist, item.id, core.parse_state(answer)
            )
            return True

    def show_how(self, item: Item) -> None:
        if self.progress.phone is None and not self.progress.apps and any(
            key != "general" for key, _steps in item.steps
        ):
            self.ask_platforms()
        labels = {p.id: p.label for p in self.checklist.platforms}
        chosen = self.progress.platforms()
        if item.caution:  # "Before you do this:" right above the steps it is about
            self.screen.caution(item.caution)
        for key, steps in item.steps_for(chosen):
            heading = (
                _("How to do it")
                if key == "general"
                else _("On {platform}").format(platform=labels.get(key, key))
            )
            self.screen.box(heading, [f"{n}. {s}" for n, s in enumerate(steps, start=1)])
        others = [labels[k] for k, _steps in item.steps if k != "general" and k not in chosen]
        if others:
            self.screen.muted(
                _(
                    "There are also steps for {platforms}: choose 'Change my phone and apps' to "
                    "see them."
                ).format(platforms=", ".join(others))
            )
        helpers = help_for(item)
        if helpers:
            lines = []
            for r in helpers:
                lines.append(f"{r.name}: {'; '.join(ways_to_reach(r)) or r.url or ''}")
                if how := in_spanish(r):
                    lines.append(f"  {how}")
            self.screen.box(_("People who can help with this"), lines, style="green")


def help_for(item: Item) -> list[Resource]:
    """The lines an item points to, where the person is: named ones that can be reached there,
    then the place's lines for the topics it names ("emergency", "abuse"…), each once."""
    from safetykit.content.resources import on_topics, resources_for

    here = {r.id: r for r in resources_for()}
    found = [here[rid] for rid in item.resources if rid in here]
    topics = tuple(rid for rid in item.resources if rid not in {r.id for r in load_resources()})
    found += [r for r in on_topics(topics) if r not in found]
    return found


def run_checklist(session: Session) -> None:
    checklist = load_checklist()
    vault = open_or_create(session)
    if vault is None:
        session.screen.say(_("Nothing was stored. You can come back at any time."))
        return
    ChecklistFlow(session, vault, checklist).run()


# ── the scriptable commands ───────────────────────────────────────────────────────────────────


def show_checklist(session: Session, *, as_json: bool) -> None:
    """``checklist show``: every item with where the person is on it, grouped by section."""
    vault = open_existing(session)
    content = load_checklist()
    progress = vault.read(core.Progress) if vault else core.Progress()
    rows = core.rows(content, progress)
    if as_json:
        session.screen.print_json(rows)
        return
    screen = session.screen
    line = core.summary(content, progress)["line"]
    screen.title(_("Checklist: {progress}").format(progress=line))
    screen.say(_("[x] done   [ ] not yet   [-] doesn't apply"))
    section = None
    for row in rows:
        if row["section"] != section:
            section = row["section"]
            screen.blank()
            screen.title(row["section_title"])
        screen.say(f"{MARKS[row['state']]} {row['title']}  ({row['id']})")


def mark_command(session: Session, item_id: str, state: str) -> None:
    """``checklist mark ITEM_ID STATE``: the same operation as answering in the walk-through."""
    content = load_checklist()
    try:
        parsed = core.parse_state(state)
    except core.UnknownStateError:
        raise UsageError(
            _("'{state}' is not a state. Use one of: {states}.").format(
                state=state, states=", ".join(core.STATES)
            )
        ) from None
    if item_id not in {item.id for item in content.items}:
        raise UsageError(
            _("There is no checklist item '{id}'.").format(id=item_id),
            hint=_("'safetykit checklist show' lists every item with its id."),
        )
    vault = open_for_script(session)
    mark_item(vault, content, item_id, parsed)
    session.screen.say(f"{item_id}: {parsed}")
