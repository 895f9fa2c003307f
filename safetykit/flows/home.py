"""What ``safetykit`` alone shows in a terminal: the three doors, the hotlines, and the way out.

Leaving a part started from here comes back here; only "Leave" (or Ctrl-C) ends the program.
"""

from __future__ import annotations

from collections.abc import Callable

from safetykit.flows.session import Session
from safetykit.i18n import _
from safetykit.ui.prompts import Option


def _door(name: str) -> Callable[[Session], None]:
    if name == "checklist":
        from safetykit.flows.checklist import run_checklist

        return run_checklist
    if name == "plan":
        from safetykit.flows.plan import run_plan

        return run_plan
    if name == "log":
        from safetykit.flows.log import run_log

        return run_log
    if name == "device":
        from safetykit.flows.device import run_device

        return run_device
    from safetykit.flows.passwords import run_passwords

    return run_passwords


NEXT = {"checklist": "plan", "plan": "passwords", "passwords": "log", "log": "leave",
        "device": "leave"}


def run_home(session: Session) -> None:
    session.screen.title("safetykit")
    session.screen.say(
        _(
            "Private help when an ex will not leave you alone. Everything stays on this "
            "computer, encrypted. Press Ctrl-C at any moment to leave at once."
        )
    )
    session.from_home = True
    suggested = "checklist"
    while True:
        choice = session.prompter.select(
            "home",
            _("Where would you like to start?")
            if suggested == "checklist"
            else _("Where to next?"),
            [
                Option("checklist", _("The tech-safety checklist"), "c"),
                Option("plan", _("My safety plan"), "p"),
                Option("passwords", _("Passwords and accounts"), "w"),
                Option("log", _("My incident log"), "l"),
                Option("device", _("Check a phone for monitoring apps"), "d"),
                Option("leave", _("Leave"), "q"),
            ],
            suggested,
        )
        if choice == "leave":
            return
        _door(choice)(session)
        if not session.can_ask:
            return
        suggested = NEXT[choice]
        session.screen.title("safetykit")
