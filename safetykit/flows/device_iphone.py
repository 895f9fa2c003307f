"""The iPhone check: a calm walk through the iPhone's own settings, step by step.

safetykit does not read an iPhone (that needs pairing tools whose licence and reliability do not
fit the core), so the person looks, and says for each step whether it is done, something was
found, or they skip it. At the end they see what was found and may write it in the incident log
as one entry. Nothing else is stored: the answers live only as long as the walk-through.

Every question goes through ``session.prompter``, so the hotlines are one key away throughout.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from safetykit.content.iphone import IphoneCheck, IphoneStep, load_iphone
from safetykit.flows.session import Session
from safetykit.i18n import _, ngettext
from safetykit.ui.prompts import Option

DONE = "done"
FOUND = "found"
SKIP = "skip"
STOP = "stop"
NOTE_LIMIT = 500
LOG_KIND = "account-tracking"
"""The incident-log kind for what an iPhone check finds ("Getting into my accounts, or tracking
me"); "other" if a later log content has no such kind."""


@dataclass
class Finding:
    step: IphoneStep
    note: str = ""
    """A few words the person added (the profile's or the device's name, say)."""


@dataclass
class IphoneAnswers:
    """What was answered in this walk-through (kept in memory only)."""

    done: list[str] = field(default_factory=list)
    found: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class IphoneCheckFlow:
    def __init__(self, session: Session, content: IphoneCheck) -> None:
        self.session = session
        self.ask = session.prompter
        self.screen = session.screen
        self.content = content
        self.answers = IphoneAnswers()

    def run(self) -> None:
        self.screen.title(self.content.title)
        self.screen.bullets(self.content.intro)
        start = self.ask.select(
            "iphone.start", _("Would you like to start?"),
            [Option("start", _("Start the check"), "s"),
             Option("leave", _("Not now"), "q")],
            "start",
        )
        if start == "leave":
            self.screen.say(_("Nothing was stored. You can come back at any time."))
            return
        total = len(self.content.steps)
        for number, step in enumerate(self.content.steps, start=1):
            if not self.ask_step(step, number, total):
                break
        self.summary()

    def ask_step(self, step: IphoneStep, number: int, total: int) -> bool:
        """Show one step and ask how it went; False to stop the check here."""
        self.screen.blank()
        self.screen.title(
            _("Step {number} of {total}: {title}").format(
                number=number, total=total, title=step.title
            )
        )
        # The caution is about the steps, so it comes before them ("Before you do this:").
        self.screen.caution(step.caution)
        self.screen.box(_("What to do"), [f"{n}. {s}" for n, s in enumerate(step.steps, 1)])
        answer = self.ask.select(
            f"iphone.step.{step.id}", _("How did it go?"),
            [Option(DONE, _("Done: nothing I did not expect"), "d"),
             Option(FOUND, _("Found something"), "f"),
             Option(SKIP, _("Skip this step"), "s"),
             Option(STOP, _("Stop here and see the summary"), "q")],
            DONE,
        )
        if answer == STOP:
            return False
        if answer == DONE:
            self.answers.done.append(step.id)
        elif answer == SKIP:
            self.answers.skipped.append(step.id)
        else:
            self.screen.note(step.if_found)
            note = self.ask.text(
                f"iphone.note.{step.id}",
                _("A few words about what you found, such as its name (Enter to skip)"),
            )
            self.answers.found.append(Finding(step, note.strip()[:NOTE_LIMIT]))
            self.screen.say(
                _("Noted. Before you remove anything, keep a screenshot or a photo of it.")
            )
        return True

    def summary(self) -> None:
        answers = self.answers
        self.screen.blank()
        self.screen.title(_("What you found"))
        if not answers.found:
            self.screen.say(
                _("You did not mark anything as found. That is good to hear, but no check "
                  "proves a phone is clean: if things still feel wrong, trust that, and talk "
                  "to an advocate.")
            )
        else:
            self.screen.bullets(line_for(f) for f in answers.found)
        done, skipped = len(answers.done) + len(answers.found), len(answers.skipped)
        self.screen.muted(
            ngettext("{count} step looked at", "{count} steps looked at", done).format(count=done)
            + "; "
            + ngettext("{count} skipped", "{count} skipped", skipped).format(count=skipped)
        )
        if answers.found:
            self.offer_log()
        self.screen.say(
            _("Nothing from this check was stored unless you chose to write it in your "
              "incident log.")
        )

    def offer_log(self) -> None:
        write = self.ask.confirm(
            "iphone.log",
            _("Write what you found in your incident log? It keeps a dated, private record."),
            True,
        )
        if not write:
            return
        from safetykit.content.log import load_log
        from safetykit.core.log import clean_fields
        from safetykit.flows import log_commands as ops
        from safetykit.flows.access import open_or_create

        vault = open_or_create(self.session)
        if vault is None:
            self.screen.say(_("Nothing was stored."))
            return
        log = load_log()
        kinds = [k.id for k in log.kinds]
        entry = ops.add_entry(vault, clean_fields(log_fields(self.answers.found, kinds), kinds))
        self.screen.say(
            _("Saved as entry {number} in your incident log. You can add details or "
              "screenshots to it there.").format(number=entry.id)
        )
        if self.ask.confirm("iphone.log.attach", _("Attach a screenshot or photo to it now?"),
                            False):
            from safetykit.flows.log import LogFlow

            LogFlow(self.session, vault, log).attach(entry.id)


def line_for(finding: Finding) -> str:
    """One found thing, as the summary and the log entry say it."""
    if finding.note:
        return _("{found}: {note}").format(found=finding.step.found, note=finding.note)
    return finding.step.found


def log_fields(found: list[Finding], kinds: list[str]) -> dict[str, object]:
    """The incident-log entry for what was found (only that: nothing else from the check)."""
    lines = [line_for(f) for f in found]
    return {
        "occurred_at": datetime.date.today().isoformat(),
        "kind": LOG_KIND if LOG_KIND in kinds else "other",
        "summary": ngettext(
            "iPhone check: {count} thing found", "iPhone check: {count} things found", len(lines)
        ).format(count=len(lines)),
        "what_happened": "\n".join(
            [_("While checking my iPhone's settings, I found:"), *(f"- {line}" for line in lines)]
        ),
        "technology": _("iPhone"),
    }


def run_iphone_check(session: Session) -> None:
    """The iPhone walk-through (``safetykit device``, for an iPhone)."""
    IphoneCheckFlow(session, load_iphone()).run()
