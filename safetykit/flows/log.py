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
from safetykit.i18n import _, ngettext
from safetykit.storage.vault import Vault
from safetykit.ui.prompts import Option, Prompter
from safetykit.ui.screen import Screen

SKIP = "_skip"


def describe_entry(screen: Screen, content: LogContent, entry: Entry) -> None:
    """An entry on screen, in the same words as the exports: every field that has something,
    then when it was written and changed, then its files."""
    from safetykit.core.log_document import field_text, shown

    unknown = content.word("time_unknown")
    screen.title(
        _("Entry {number}: {summary}").format(number=entry.id, summary=summary_of(entry.fields))
    )
    for name in FIELDS:
        text = field_text(content, name, entry.fields.get(name))
        if text:
            screen.say(f"{content.field_label(name)}:")
            screen.bullets(text.split("\n"))
    screen.muted(_("Written down: {when}").format(when=shown(entry.recorded_at, unknown)))
    for version in entry.versions[1:]:
        screen.muted(_("Changed: {when}").format(when=shown(version.saved_at, unknown)))
    for attachment in entry.attachments:
        values = {
            "name": attachment.name,
            "size": ops.size_phrase(attachment.size),
            "when": shown(attachment.added_at, unknown),
            "note": attachment.note,
        }
        if attachment.note:
            screen.muted(_("File: {name} ({size}), added {when}: {note}").format(**values))
        else:
            screen.muted(_("File: {name} ({size}), added {when}").format(**values))


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
        self.screen.box(_("Before the first entry"), self.content.before_first)
        self.screen.say(self.content.screenshots)
        ops.mark_notice_seen(self.vault)

    # -- menu ---------------------------------------------------------------------------------
    def run(self) -> None:
        self.screen.title(_("Incident log"))
        self.screen.say(
            _(
                "A private record of what your ex does, kept encrypted on this computer, for "
                "you, an advocate or a court. Add things as they happen; everything is saved as "
                "you go."
            )
        )
        self.first_notice()
        while True:
            log = self.log
            count = len(log.entries)
            self.screen.title(
                ngettext("Your log: {count} entry", "Your log: {count} entries", count).format(
                    count=count
                )
            )
            options = [Option("add", _("Add what happened"), "a")]
            if log.entries:
                options += [
                    Option("browse", _("Look at, change or add files to an entry"), "b"),
                    Option("export", _("Export for an advocate or a court"), "e"),
                ]
            options.append(
                Option("leave", self.session.leave_label(_("everything is saved")), "q")
            )
            choice = self.ask.select("log.menu", _("What would you like to do?"), options, "add")
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
                "log.day", _("What day did it happen? (like 2026-03-03; Enter for today)"),
            ).strip().casefold()
            today = datetime.date.today()
            # TRANSLATORS: words the person may type for the day (the English ones work too).
            if typed in ("", "today", _("today").casefold()):
                return today.isoformat()
            if typed in ("yesterday", _("yesterday").casefold()):
                return (today - datetime.timedelta(days=1)).isoformat()
            try:
                day = parse_when(typed)
            except LogEntryError:
                self.screen.say(_("Please write the day like 2026-03-03."))
                continue
            if datetime.date.fromisoformat(day[:10]) > today:
                self.screen.say(_("That day has not come yet. Please check it."))
                continue
            return day[:10]

    def ask_time(self, day: str) -> str:
        while True:
            typed = self.ask.text(
                "log.time", _("What time? (like 21:15; Enter if you don't know)")
            ).strip()
            if not typed:
                return day
            try:
                clock = datetime.time.fromisoformat(typed if len(typed) > 2 else f"{typed}:00")
            except ValueError:
                self.screen.say(
                    _("Please write the time like 21:15, or press Enter to leave it out.")
                )
                continue
            return parse_when(f"{day}T{clock.isoformat(timespec='minutes')}")

    def add(self) -> None:
        self.first_notice()
        day = self.ask_day()
        when = self.ask_time(day)
        exact = self.ask.confirm(
            "log.exact", _("Are you sure of that day and time? (No if it was about then)"), True
        )
        raw: dict[str, Any] = {"occurred_at": when, "approximate": not exact}
        if not exact:
            raw["when_note"] = self.ask.text(
                "log.when_note", _("Anything to say about when? (like 'evening of 3 March')")
            )
        raw["kind"] = self.ask.select(
            "log.kind", _("What kind of thing happened?"),
            [Option(k.id, k.label) for k in self.content.kinds], "other",
        )
        while True:
            raw["what_happened"] = self.ask.text(
                "log.what_happened",
                _("What happened? Plain facts; their exact words if you have them"),
            )
            if raw["what_happened"].strip():
                break
            self.screen.say(_("A few words are enough. You can add more later."))
        raw["location"] = self.ask.text("log.location", _("Where? (Enter to skip)"))
        entry = ops.add_entry(self.vault, clean_fields(raw, self.kinds()))
        self.screen.say(_("Saved as entry {number}.").format(number=entry.id))
        more = self.ask.select(
            "log.more", _("Add more details now?"),
            [Option("more",
                    _("Yes: who saw it, the police, their number or account, and more"), "y"),
             Option("file", _("Attach a file (a screenshot, a voicemail)"), "f"),
             Option("done", _("No, that's all for now"), "n")],
            "done",
        )
        if more == "more":
            self.details(entry.id, first_writing=True)
            attach = self.ask.confirm("log.attach_now", _("Attach a file to it?"))
            more = "file" if attach else "done"
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
            ("summary", _("In a few words, for the list (Enter to skip)")),
            ("platform", _("Which app or platform? (Enter to skip)")),
            ("sender", _("Their number, account, address or link (Enter to skip)")),
            ("their_words", _("Their exact words, if you have them (Enter to skip)")),
        ):
            fields[name] = self.ask.text(f"log.{name}", prompt, str(fields.get(name) or ""))
        witnesses = list(fields.get("witnesses") or [])
        while True:
            name = self.ask.text(
                "log.witness.name", _("Who saw or heard it? Their name (Enter when done)")
            ).strip()
            if not name:
                break
            contact = self.ask.text("log.witness.contact", _("How to reach them (Enter to skip)"))
            witnesses.append({"name": name, "contact": contact})
        fields["witnesses"] = witnesses
        fields["others_present"] = self.ask.text(
            "log.others_present", _("Who else was there, such as children? (Enter to skip)"),
            str(fields.get("others_present") or ""),
        )
        save()
        police = dict(fields.get("police") or {})
        called = self.ask.select(
            "log.police", _("Were the police called?"),
            [Option("yes", _("Yes"), "y"), Option("no", _("No"), "n"),
             Option(SKIP, _("Skip"), "k")],
            SKIP,
        )
        police["called"] = {"yes": True, "no": False}.get(called)
        if called == "yes":
            for key, prompt in (
                ("agency", _("Which police department or agency? (Enter to skip)")),
                ("officer", _("Officer's name (Enter to skip)")),
                ("badge", _("Badge number (Enter to skip)")),
                ("report_number", _("Report or reference number (Enter to skip)")),
            ):
                police[key] = self.ask.text(f"log.police.{key}", prompt,
                                            str(police.get(key) or ""))
        fields["police"] = police
        order = dict(fields.get("protective_order") or {})
        in_place = self.ask.select(
            "log.order", _("Was a protective order in place?"),
            [Option("yes", _("Yes"), "y"), Option("no", _("No"), "n"),
             Option(SKIP, _("Not sure"), "u")],
            SKIP,
        )
        order["in_place"] = {"yes": True, "no": False}.get(in_place)
        if in_place == "yes":
            order["number"] = self.ask.text("log.order.number", _("Its number (Enter to skip)"),
                                            str(order.get("number") or ""))
        fields["protective_order"] = order
        save()
        picked = self.ask.multiselect(
            "log.actions", _("What did you do about it?"),
            [Option(a, a) for a in self.content.actions],
            [a for a in fields.get("actions") or [] if a in self.content.actions],
        )
        other = self.ask.text("log.actions.other", _("Anything else you did? (Enter to skip)"))
        fields["actions"] = [*picked, *([other] if other.strip() else [])]
        for name, prompt in (
            ("originals_kept_at", _("Where are the originals kept? (Enter to skip)")),
            ("vehicle", _("A vehicle involved? (Enter to skip)")),
            ("technology",
             _("Any technology involved, such as a tracker or an app? (Enter to skip)")),
        ):
            fields[name] = self.ask.text(f"log.{name}", prompt, str(fields.get(name) or ""))
        tags = self.ask.text("log.tags", _("Tags, separated by commas (Enter to skip)"),
                             ", ".join(fields.get("tags") or []))
        fields["tags"] = [t.strip() for t in tags.split(",") if t.strip()]
        save()
        self.screen.say(_("The next two are private: they stay out of every export unless you "
                          "choose to include them."))
        fields["effect"] = self.ask.text("log.effect", _("How it affected you (Enter to skip)"),
                                         str(fields.get("effect") or ""))
        fields["private_note"] = self.ask.text(
            "log.private_note", _("A private note (Enter to skip)"),
            str(fields.get("private_note") or ""),
        )
        save()
        self.screen.say(_("Saved."))

    # -- one entry ------------------------------------------------------------------------------
    def browse(self) -> None:
        while True:
            log = self.log
            if not log.entries:
                return
            entries = list(reversed(log.in_order()))  # the latest first
            options = [Option(str(e.id), ops.line_for(self.content, e)) for e in entries]
            options.append(Option("_back", _("Back"), "b"))
            chosen = self.ask.select("log.entry", _("Which entry?"), options)
            if chosen == "_back":
                return
            self.entry_menu(int(chosen))

    def entry_menu(self, entry_id: int) -> None:
        while True:
            try:
                entry = self.log.find(entry_id)
            except SafetykitError:
                self.screen.say(_("That entry is no longer in the log."))
                return
            describe_entry(self.screen, self.content, entry)
            choice = self.ask.select(
                "log.entry.action", _("What would you like to do with it?"),
                [Option("change", _("Change or add details"), "c"),
                 Option("file", _("Attach a file"), "f"),
                 Option("remove", _("Remove this entry"), "x"),
                 Option("back", _("Back"), "b")],
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
        self.screen.say(_("Changes are kept as a new version: the entry will show it was "
                          "changed, and when, and the earlier wording stays in the record."))
        choice = self.ask.select(
            "log.change", _("What would you like to change?"),
            [Option("when", _("When it happened"), "w"), Option("kind", _("What kind"), "k"),
             Option("what", _("What happened"), "h"), Option("where", _("Where"), "p"),
             Option("details", _("The other details"), "d"), Option("_back", _("Back"), "b")],
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
                "log.exact", _("Are you sure of that day and time? (No if it was about then)"),
                True,
            )
        elif choice == "kind":
            fields["kind"] = self.ask.select(
                "log.kind", _("What kind of thing happened?"),
                [Option(k.id, k.label) for k in self.content.kinds], str(fields["kind"]),
            )
        elif choice == "what":
            fields["what_happened"] = self.ask.text(
                "log.what_happened", _("What happened?"), str(fields.get("what_happened") or "")
            )
        else:
            fields["location"] = self.ask.text("log.location", _("Where?"),
                                               str(fields.get("location") or ""))
        try:
            ops.change_entry(self.vault, entry.id, clean_fields(fields, self.kinds()))
        except LogEntryError as exc:
            self.screen.say(exc.message)
            return
        self.screen.say(_("Saved as a new version."))

    def attach(self, entry_id: int) -> None:
        self.screen.say(self.content.screenshots)
        while True:
            typed = self.ask.text(
                "log.attach.path", _("Which file? Its path (Enter to go back)")
            ).strip().strip("'\"")
            if not typed:
                return
            path = Path(typed).expanduser()
            if not path.is_file():
                self.screen.say(_("There is no file there. Check the path (folders cannot be "
                                  "attached)."))
                continue
            note = self.ask.text(
                "log.attach.note", _("What does it show? (like 'screenshot shows their number')")
            )
            try:
                record = ops.attach_file(self.vault, entry_id, path, note)
            except SafetykitError as exc:
                self.screen.say(exc.message)
                if exc.hint:
                    self.screen.say(exc.hint)
                continue
            self.screen.say(
                _(
                    "Kept an exact copy of {name} ({size}), encrypted. Its SHA-256 "
                    "fingerprint is {fingerprint}. Keep the original too, unchanged."
                ).format(
                    name=record.name, size=ops.size_phrase(record.size),
                    fingerprint=record.sha256,
                )
            )
            if not self.ask.confirm("log.attach.another", _("Attach another file?"), False):
                return

    def remove(self, entry: Entry) -> bool:
        files = len(entry.attachments)
        if files:
            question = ngettext(
                "Remove entry {number} and its {count} attached file? This cannot be undone.",
                "Remove entry {number} and its {count} attached files? This cannot be undone.",
                files,
            ).format(number=entry.id, count=files)
        else:
            question = _("Remove entry {number}? This cannot be undone.").format(number=entry.id)
        if not self.ask.confirm("log.remove", question, False):
            self.screen.say(_("Nothing was removed."))
            return False
        ops.remove_entry(self.vault, entry.id)
        self.screen.say(_("Removed entry {number}.").format(number=entry.id))
        return True


def run_log(session: Session) -> None:
    vault = open_or_create(session)
    if vault is None:
        session.screen.say(_("Nothing was stored."))
        return
    ops.tidy_files(vault)
    LogFlow(session, vault, load_log()).run()
