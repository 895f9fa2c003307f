"""``safetykit device``: checking a phone for stalkerware and monitoring, as a walk-through.

Android: what the check can and cannot see; the owner's agreement; the caution about removing
anything and keeping evidence first (the incident log is offered); getting adb; turning USB
debugging on and allowing this computer; the check with progress; each finding with why it
matters, what to do and the caution; keeping a record only if the person chooses; and the
clean-up (debugging off, authorisations revoked). iPhone: the guided manual check
(``flows/device_iphone.py``).

Every question goes through ``session.prompter`` and everything shown through ``session.screen``;
adb is reached only through ``flows/device_commands.py``.
"""

from __future__ import annotations

from typing import Any

from safetykit.content.device import DeviceContent, load_device
from safetykit.device.collect import STEPS
from safetykit.device.parse import Attached
from safetykit.errors import (
    NoAdbError,
    NoPhoneError,
    PhoneGoneError,
    PhoneNotAllowedError,
    PhoneTimeoutError,
    SafetykitError,
    SeveralPhonesError,
)
from safetykit.flows import device_commands as ops
from safetykit.flows.session import Session
from safetykit.i18n import _
from safetykit.ui.prompts import Option

PHONE_PROBLEMS = (NoPhoneError, PhoneNotAllowedError, PhoneGoneError, PhoneTimeoutError,
                  SeveralPhonesError)


class DeviceFlow:
    def __init__(self, session: Session, content: DeviceContent) -> None:
        self.session = session
        self.ask = session.prompter
        self.screen = session.screen
        self.content = content

    # -- the start ------------------------------------------------------------------------------
    def run(self) -> None:
        self.screen.title(_("Is someone watching through a phone?"))
        self.screen.say(_("safetykit can check an Android phone connected to this computer, or "
                          "walk you through an iPhone's own settings."))
        which = self.ask.select(
            "device.kind", _("Which phone is it?"),
            [Option("android", _("An Android phone (Samsung, Pixel, Motorola, Xiaomi and "
                                 "others)"), "a"),
             Option("iphone", _("An iPhone"), "i"),
             Option("leave", self.session.leave_label(_("nothing was read")), "q")],
            "android",
        )
        if which == "iphone":
            from safetykit.flows.device_iphone import run_iphone_check

            run_iphone_check(self.session)
        elif which == "android":
            self.android()

    def android(self) -> None:
        content = self.content
        self.screen.title(content.limits_title)
        self.screen.say(_("It looks for:"))
        self.screen.bullets(content.can_see)
        self.screen.say(_("What it cannot do:"))
        self.screen.bullets(content.cannot_see)
        self.screen.blank()
        self.screen.say(content.consent_why)
        if not self.ask.confirm("device.consent", content.consent_question, False):
            self.screen.say(content.consent_refused)
            return
        if not self.before_anything():
            return
        adb = self.get_adb()
        if adb is None:
            return
        result = self.check(adb)
        if result is None:
            self.cleanup()
            return
        self.explain(result)
        self.keep(result)
        self.cleanup()

    # -- before the check -------------------------------------------------------------------------
    def before_anything(self) -> bool:
        """The caution about removing apps, and the incident log offered first."""
        self.screen.box(self.content.evidence_title, self.content.evidence)
        while True:
            choice = self.ask.select(
                "device.evidence", _("What would you like to do?"),
                [Option("go", _("Go on to the check"), "g"),
                 Option("log", _("Write something in my incident log first"), "l"),
                 Option("leave", self.session.leave_label(_("nothing was read")), "q")],
                "go",
            )
            if choice == "go":
                return True
            if choice == "leave":
                return False
            self.write_in_log()

    def write_in_log(self) -> None:
        from safetykit.content.log import load_log
        from safetykit.flows.access import open_or_create
        from safetykit.flows.log import LogFlow

        vault = open_or_create(self.session)
        if vault is None:
            self.screen.say(_("Nothing was stored."))
            return
        LogFlow(self.session, vault, load_log()).add()
        self.screen.say(_("Back to the phone check."))

    def get_adb(self) -> Any:
        while True:
            try:
                return ops.open_adb()
            except NoAdbError as exc:
                self.screen.say(exc.message)
                ops.show_get_adb(self.screen, self.content)
            choice = self.ask.select(
                "device.adb", _("When adb is installed:"),
                [Option("again", _("Try again"), "t"),
                 Option("leave", self.session.leave_label(_("nothing was read")), "q")],
                "again",
            )
            if choice == "leave":
                return None

    def find_phone(self, adb: Any) -> Attached | None:
        steps = self.content.usb_debugging
        self.screen.title(steps.title)
        self.screen.bullets(steps.steps, numbered=True)
        while True:
            choice = self.ask.select(
                "device.connect", _("Is the phone plugged in, unlocked, with USB debugging on?"),
                [Option("look", _("Yes, look for it"), "y"),
                 Option("steps", _("Show the steps again"), "s"),
                 Option("leave", self.session.leave_label(_("nothing was read")), "q")],
                "look",
            )
            if choice == "leave":
                return None
            if choice == "steps":
                self.screen.bullets(steps.steps, numbered=True)
                continue
            devices: list[Attached] = []
            try:
                devices = adb.devices()
                return ops.choose_phone(self.session, devices, None)
            except (*PHONE_PROBLEMS, NoAdbError) as exc:
                # Inside the walk-through the steps say what the hint says for scripts.
                if isinstance(exc, NoPhoneError) and not devices:
                    self.screen.say(exc.message)
                    self.screen.bullets(self.content.no_phone)
                elif isinstance(exc, PhoneNotAllowedError) and not any(
                    d.state in ("no permissions", "offline", "connecting") for d in devices
                ):
                    self.screen.say(exc.message)
                    self.screen.bullets(self.content.not_allowed)
                else:
                    self.say_problem(exc)

    def say_problem(self, exc: SafetykitError) -> None:
        self.screen.say(exc.message)
        if exc.hint:
            self.screen.say(exc.hint)

    # -- the check --------------------------------------------------------------------------------
    def check(self, adb: Any) -> ops.Result | None:
        indicators = ops.indicators_in_use(self.session.paths)
        while True:
            device = self.find_phone(adb)
            if device is None:
                return None
            self.screen.say(_("Checking {phone}. It takes a minute or two: keep the phone "
                              "unlocked and plugged in. Nothing on it is changed.").format(
                phone=device.model or _("the phone")))
            progress = self.progress
            try:
                return ops.run_check(adb, device.serial, indicators, progress)
            except (*PHONE_PROBLEMS, NoAdbError) as exc:
                self.say_problem(exc)
                self.screen.say(_("Nothing was kept from the part that was read."))

    def progress(self, step: str) -> None:
        self.screen.muted(f"({STEPS.index(step) + 1}/{len(STEPS)}) {_(ops.STEP_WORDS[step])}…")

    # -- after ------------------------------------------------------------------------------------
    def explain(self, result: ops.Result) -> None:
        """The summary, then each finding at the person's pace."""
        ops.show_summary(self.screen, result, self.content)
        findings = result.findings
        if findings:
            choice = self.ask.select(
                "device.explain", _("Go through what each one means, and what you can do?"),
                [Option("one", _("Yes, one at a time"), "y"),
                 Option("all", _("Show them all at once"), "a"),
                 Option("skip", _("Skip to the end"), "s")],
                "one",
            )
            for number, finding in enumerate(findings, start=1):
                if choice == "skip":
                    break
                ops.show_finding(self.screen, finding, self.content)
                if choice == "one" and number < len(findings):
                    choice = self.ask.select(
                        "device.next", _("{number} of {total} shown.").format(
                            number=number, total=len(findings)),
                        [Option("one", _("Next"), "n"),
                         Option("skip", _("Skip to the end"), "s")],
                        "one",
                    )
        ops.show_credit(self.screen, result)

    def keep(self, result: ops.Result) -> None:
        from safetykit.flows.access import open_or_create

        self.screen.blank()
        self.screen.say(_("Nothing from the phone has been kept so far. You can keep what was "
                          "found (not the phone's data), encrypted with the rest of your "
                          "safetykit notes."))
        choice = self.ask.select(
            "device.keep", _("Keep a record of what was found?"),
            [Option("vault", _("Yes, keep it in my encrypted safetykit data"), "k"),
             Option("log", _("Yes, and add it to my incident log as an entry"), "l"),
             Option("no", _("No, don't keep it"), "n")],
            "vault",
        )
        if choice == "no":
            self.screen.say(_("Nothing was kept."))
            return
        vault = open_or_create(self.session)
        if vault is None:
            self.screen.say(_("Nothing was stored."))
            return
        ops.save_check(vault, result)
        if choice == "log":
            number = ops.log_check(vault, result, self.content)
            self.screen.say(_("Kept, and written in your incident log as entry {number}. You can "
                              "add photos of the screen to it there.").format(number=number))
        else:
            self.screen.say(_("Kept, encrypted."))

    def cleanup(self) -> None:
        steps = self.content.cleanup
        self.screen.blank()
        self.screen.title(steps.title)
        self.screen.bullets(steps.steps, numbered=True)
        if not self.ask.confirm("device.cleanup", _("Done?"), True):
            self.screen.note(_("Please do it before the phone leaves this computer: while USB "
                                  "debugging stays on, any computer the phone trusts can read "
                                  "it."))


def run_device(session: Session) -> None:
    DeviceFlow(session, load_device()).run()
