"""What ``safetykit`` alone shows in a terminal: the three doors, the hotlines, and the way out."""

from __future__ import annotations

from safetykit.flows.session import Session
from safetykit.ui.prompts import Option


def run_home(session: Session) -> None:
    session.screen.title("safetykit")
    session.screen.say(
        "Private help when an ex will not leave you alone. Everything stays on this computer, "
        "encrypted. Press Ctrl-C at any moment to leave at once."
    )
    choice = session.prompter.select(
        "home",
        "Where would you like to start?",
        [
            Option("checklist", "The tech-safety checklist", "c"),
            Option("plan", "My safety plan", "p"),
            Option("passwords", "Passwords and accounts", "w"),
            Option("leave", "Leave", "q"),
        ],
        "checklist",
    )
    if choice == "checklist":
        from safetykit.flows.checklist import run_checklist

        run_checklist(session)
    elif choice == "plan":
        from safetykit.flows.plan import run_plan

        run_plan(session)
    elif choice == "passwords":
        from safetykit.flows.passwords import run_passwords

        run_passwords(session)
