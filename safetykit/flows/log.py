"""``safetykit log``: the incident log's walk-through: add, browse, show, change, attach, export.

Everything is saved as soon as it is answered (Ctrl-C keeps it). The essentials come first
(when, what kind, what happened, where), and the entry is saved; more details are offered after.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from safetykit.content.log import LogContent, load_log
from safetykit.core.log import (
    FIELDS,
    Entry,
    LogEntryError,
    LogState,
    clean_fields,
    parse_when,
    summary_of,
)
from safetykit.errors import SafetykitError
from safetykit.flows import log_commands as ops
from safetykit.flows.access import open_or_create
from safetykit.flows.session import Session
from safetykit.storage.vault import Vault
from safetykit.ui.prompts import Option, Prompter
from safetykit.ui.screen import Screen

SKIP = "_skip"


def describe_entry(screen: Screen, content: LogContent, entry: Entry) -> None:
    """An entry on screen, in the same words as the exports: every field that has something,
    then when it was written and changed, then its files."""
    from safetykit.core.log_document import field_text, shown

    unknown = content.word("time_unknown")
    screen.title(f"Entry {entry.id}: {summary_of(entry.fields)}")
    for name in FIELDS:
        text = field_text(content, name, entry.fields.get(name))
        if text:
            screen.say(f"{content.field_label(name)}:")
            screen.bullets(text.split("\n"))
    screen.muted(f"Written down: {shown(entry.recorded_at, unknown)}")
    for version in entry.versions[1:]:
        screen.muted(f"Changed: {shown(version.saved_at, unknown)}")
    for attachment in entry.attachments:
        screen.muted(
            f"File: {attachment.name} ({attachment.size:,} bytes), added "
            f"{shown(attachment.added_at, unknown)}"
            + (f": {attachment.note}" if attachment.note else "")
        )


class LogFlow:
    def __init__(self, session: Session, vault: Vault, content: LogContent) -> None:
        self.session = session
        self.ask: Prompter = session.prompter
        self.screen = session.screen
        self.vault = vault
        self.content = content

    @property
    def log(self) -> LogState:
        self.vault.refresh()
        return self.vault.read(LogState)

    def kinds(self) -> list[str]:
        return [k.id for k in self.content.kinds]

    # -- the notice ---------------------------------------------------------------------------
    def first_notice(self) -> None:
        if self.log.notice_seen:
            return
        self.screen.box("Before the first entry", self.content.before_first)
        self.screen.say(self.content.screenshots)
        ops.mark_notice_seen(self.vault)

    # -- menu ---------------------------------------------------------------------------------
    def run(self) -> None:
        self.screen.title("Incident log")
        self.screen.say(
            "A private record of what your ex does, kept encrypted on this computer, for you, an "
            "advocate or a court. Add things as they happen; everything is saved as you go."
        )
        self.first_notice()
        while True:
            log = self.log
            count = len(log.entries)
            self.screen.title(f"Your log: {count} entr{'y' if count == 1 else 'ies'}")
            options = [Option("add", "Add what happened", "a")]
            if log.entries:
                options += [
                    Option("browse", "Look at, change or add files to an entry", "b"),
                    Option("export", "Export for an advocate or a court", "e"),
                ]
            options.append(Option("leave", self.session.leave_label("everything is saved"), "q"))
            choice = self.ask.select("log.menu", "What would you like to do?", options, "add")
            if choice == "leave":
                return
            if choice == "add":
                self.add()
            elif choice == "browse":
                self.browse()
            else:
                from safetykit.flows.log_export import export_interactively

                export_interactively(self.session, self.vault)

    # -- adding -------------------------------------------------------------------------------
    def ask_day(self) -> str:
        while True:
            typed = self.ask.text(
                "log.day", "What day did it happen? (like 2026-03-03; Enter for today)",
            ).strip().casefold()
            today = datetime.date.today()
            if typed in ("", "today"):
                return today.isoformat()
            if typed == "yesterday":
                return (today - datetime.timedelta(days=1)).isoformat()
            try:
                day = parse_when(typed)
            except LogEntryError:
                self.screen.say("Please write the day like 2026-03-03.")
                continue
            if datetime.date.fromisoformat(day[:10]) > today:
                self.screen.say("That day has not come yet. Please check it.")
                continue
            return day[:10]

    def ask_time(self, day: str) -> str:
        while True:
            typed = self.ask.text(
                "log.time", "What time? (like 21:15; Enter if you don't know)"
            ).strip()
            if not typed:
                return day
            try:
                clock = datetime.time.fromisoformat(typed if len(typed) > 2 else f"{typed}:00")
            except ValueError:
                self.screen.say("Please write the time like 21:15, or press Enter to leave it out.")
                continue
            return parse_when(f"{day}T{clock.isoformat(timespec='minutes')}")

    def add(self) -> None:
        self.first_notice()
        day = self.ask_day()
        when = self.ask_time(day)
        exact = self.ask.confirm(
            "log.exact", "Are you sure of that day and time? (No if it was about then)", True
        )
        raw: dict[str, Any] = {"occurred_at": when, "approximate": not exact}
        if not exact:
            raw["when_note"] = self.ask.text(
                "log.when_note", "Anything to say about when? (like 'evening of 3 March')"
            )
        raw["kind"] = self.ask.select(
            "log.kind", "What kind of thing happened?",
            [Option(k.id, k.label) for k in self.content.kinds], "other",
        )
        while True:
            raw["what_happened"] = self.ask.text(
                "log.what_happened",
                "What happened? Plain facts; their exact words if you have them",
            )
            if raw["what_happened"].strip():
                break
            self.screen.say("A few words are enough. You can add more later.")
        raw["location"] = self.ask.text("log.location", "Where? (Enter to skip)")
        entry = ops.add_entry(self.vault, clean_fields(raw, self.kinds()))
        self.screen.say(f"Saved as entry {entry.id}.")
        more = self.ask.select(
            "log.more", "Add more details now?",
            [Option("more", "Yes: who saw it, the police, their number or account, and more", "y"),
             Option("file", "Attach a file (a screenshot, a voicemail)", "f"),
             Option("done", "No, that's all for now", "n")],
            "done",
        )
        if more == "more":
            self.details(entry.id, first_writing=True)
            more = "file" if self.ask.confirm("log.attach_now", "Attach a file to it?") else "done"
        if more == "file":
            self.attach(entry.id)

    def details(self, entry_id: int, *, first_writing: bool) -> None:
        """The rest of the fields, each skippable, saved as they are answered."""
        entry = self.log.find(entry_id)
        fields = dict(entry.fields)

        def save() -> None:
            checked = clean_fields(fields, self.kinds())
            if first_writing:
                ops.fill_in(self.vault, entry_id, checked)
            else:
                ops.change_entry(self.vault, entry_id, checked)

        for name, prompt in (
            ("summary", "In a few words, for the list (Enter to skip)"),
            ("platform", "Which app or platform? (Enter to skip)"),
            ("sender", "Their number, account, address or link (Enter to skip)"),
            ("their_words", "Their exact words, if you have them (Enter to skip)"),
        ):
            fields[name] = self.ask.text(f"log.{name}", prompt, str(fields.get(name) or ""))
        witnesses = list(fields.get("witnesses") or [])
        while True:
            name = self.ask.text(
                "log.witness.name", "Who saw or heard it? Their name (Enter when done)"
            ).strip()
            if not name:
                break
            contact = self.ask.text("log.witness.contact", "How to reach them (Enter to skip)")
            witnesses.append({"name": name, "contact": contact})
        fields["witnesses"] = witnesses
        fields["others_present"] = self.ask.text(
            "log.others_present", "Who else was there, such as children? (Enter to skip)",
            str(fields.get("others_present") or ""),
        )
        save()
        police = dict(fields.get("police") or {})
        called = self.ask.select(
            "log.police", "Were the police called?",
            [Option("yes", "Yes", "y"), Option("no", "No", "n"), Option(SKIP, "Skip", "k")],
            SKIP,
        )
        police["called"] = {"yes": True, "no": False}.get(called)
        if called == "yes":
            for key, prompt in (("agency", "Which police department or agency?"),
                                ("officer", "Officer's name"), ("badge", "Badge number"),
                                ("report_number", "Report or reference number")):
                police[key] = self.ask.text(f"log.police.{key}", f"{prompt} (Enter to skip)",
                                            str(police.get(key) or ""))
        fields["police"] = police
        order = dict(fields.get("protective_order") or {})
        in_place = self.ask.select(
            "log.order", "Was a protective order in place?",
            [Option("yes", "Yes", "y"), Option("no", "No", "n"), Option(SKIP, "Not sure", "u")],
            SKIP,
        )
        order["in_place"] = {"yes": True, "no": False}.get(in_place)
        if in_place == "yes":
            order["number"] = self.ask.text("log.order.number", "Its number (Enter to skip)",
                                            str(order.get("number") or ""))
        fields["protective_order"] = order
        save()
        picked = self.ask.multiselect(
            "log.actions", "What did you do about it?",
            [Option(a, a) for a in self.content.actions],
            [a for a in fields.get("actions") or [] if a in self.content.actions],
        )
        other = self.ask.text("log.actions.other", "Anything else you did? (Enter to skip)")
        fields["actions"] = [*picked, *([other] if other.strip() else [])]
        for name, prompt in (
            ("originals_kept_at", "Where are the originals kept? (Enter to skip)"),
            ("vehicle", "A vehicle involved? (Enter to skip)"),
            ("technology", "Any technology involved, such as a tracker or an app? (Enter to skip)"),
        ):
            fields[name] = self.ask.text(f"log.{name}", prompt, str(fields.get(name) or ""))
        tags = self.ask.text("log.tags", "Tags, separated by commas (Enter to skip)",
                             ", ".join(fields.get("tags") or []))
        fields["tags"] = [t.strip() for t in tags.split(",") if t.strip()]
        save()
        self.screen.say("The next two are private: they stay out of every export unless you "
                        "choose to include them.")
        fields["effect"] = self.ask.text("log.effect", "How it affected you (Enter to skip)",
                                         str(fields.get("effect") or ""))
        fields["private_note"] = self.ask.text("log.private_note", "A private note (Enter to skip)",
                                               str(fields.get("private_note") or ""))
        save()
        self.screen.say("Saved.")

    # -- one entry ------------------------------------------------------------------------------
    def browse(self) -> None:
        while True:
            log = self.log
            if not log.entries:
                return
            entries = list(reversed(log.in_order()))  # the latest first
            options = [Option(str(e.id), ops.line_for(self.content, e)) for e in entries]
            options.append(Option("_back", "Back", "b"))
            chosen = self.ask.select("log.entry", "Which entry?", options)
            if chosen == "_back":
                return
            self.entry_menu(int(chosen))

    def entry_menu(self, entry_id: int) -> None:
        while True:
            try:
                entry = self.log.find(entry_id)
            except SafetykitError:
                self.screen.say("That entry is no longer in the log.")
                return
            describe_entry(self.screen, self.content, entry)
            choice = self.ask.select(
                "log.entry.action", "What would you like to do with it?",
                [Option("change", "Change or add details", "c"),
                 Option("file", "Attach a file", "f"),
                 Option("remove", "Remove this entry", "x"),
                 Option("back", "Back", "b")],
                "back",
            )
            if choice == "back":
                return
            if choice == "change":
                self.change(entry)
            elif choice == "file":
                self.attach(entry_id)
            elif self.remove(entry):
                return

    def change(self, entry: Entry) -> None:
        self.screen.say("Changes are kept as a new version: the entry will show it was "
                        "changed, and when, and the earlier wording stays in the record.")
        choice = self.ask.select(
            "log.change", "What would you like to change?",
            [Option("when", "When it happened", "w"), Option("kind", "What kind", "k"),
             Option("what", "What happened", "h"), Option("where", "Where", "p"),
             Option("details", "The other details", "d"), Option("_back", "Back", "b")],
        )
        fields = dict(entry.fields)
        if choice == "_back":
            return
        if choice == "details":
            self.details(entry.id, first_writing=False)
            return
        if choice == "when":
            day = self.ask_day()
            fields["occurred_at"] = self.ask_time(day)
            fields["approximate"] = not self.ask.confirm(
                "log.exact", "Are you sure of that day and time? (No if it was about then)", True
            )
        elif choice == "kind":
            fields["kind"] = self.ask.select(
                "log.kind", "What kind of thing happened?",
                [Option(k.id, k.label) for k in self.content.kinds], str(fields["kind"]),
            )
        elif choice == "what":
            fields["what_happened"] = self.ask.text(
                "log.what_happened", "What happened?", str(fields.get("what_happened") or "")
            )
        else:
            fields["location"] = self.ask.text("log.location", "Where?",
                                               str(fields.get("location") or ""))
        try:
            ops.change_entry(self.vault, entry.id, clean_fields(fields, self.kinds()))
        except LogEntryError as exc:
            self.screen.say(exc.message)
            return
        self.screen.say("Saved as a new version.")

    def attach(self, entry_id: int) -> None:
        self.screen.say(self.content.screenshots)
        while True:
            typed = self.ask.text(
                "log.attach.path", "Which file? Its path (Enter to go back)"
            ).strip().strip("'\"")
            if not typed:
                return
            path = Path(typed).expanduser()
            if not path.is_file():
                self.screen.say("There is no file there. Check the path (folders cannot be "
                                "attached).")
                continue
            note = self.ask.text(
                "log.attach.note", "What does it show? (like 'screenshot shows their number')"
            )
            try:
                record = ops.attach_file(self.vault, entry_id, path, note)
            except SafetykitError as exc:
                self.screen.say(exc.message)
                if exc.hint:
                    self.screen.say(exc.hint)
                continue
            self.screen.say(
                f"Kept an exact copy of {record.name} ({record.size:,} bytes), encrypted. Its "
                f"SHA-256 fingerprint is {record.sha256}. Keep the original too, unchanged."
            )
            if not self.ask.confirm("log.attach.another", "Attach another file?", False):
                return

    def remove(self, entry: Entry) -> bool:
        files = len(entry.attachments)
        extra = f" and its {files} attached file{'s' if files != 1 else ''}" if files else ""
        if not self.ask.confirm(
            "log.remove", f"Remove entry {entry.id}{extra}? This cannot be undone.", False
        ):
            self.screen.say("Nothing was removed.")
            return False
        ops.remove_entry(self.vault, entry.id)
        self.screen.say(f"Removed entry {entry.id}.")
        return True


def run_log(session: Session) -> None:
    vault = open_or_create(session)
    if vault is None:
        session.screen.say("Nothing was stored.")
        return
    ops.tidy_files(vault)
    LogFlow(session, vault, load_log()).run()
