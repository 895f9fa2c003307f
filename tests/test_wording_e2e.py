"""Issue 16's wording, read off the screen of the real program in a pseudo-terminal, as a person
would see it (Ctrl-D at a terminal is read in tests/test_terminals_e2e.py)."""

from __future__ import annotations

import pexpect
import pytest

from tests.e2e import CLEAR, KEYS, Program, Term, visible

pytestmark = [pytest.mark.e2e, pytest.mark.secret_service]


BOX = str.maketrans("", "", "│╭╮╰╯─")


def squash(text: str) -> str:
    return " ".join(text.split())


def since(child: Term, mark: int) -> str:
    """What the program wrote after ``mark`` (a length of its transcript), as read: without the
    boxes' borders, lines joined."""
    return squash(visible(child.text()[mark:]).translate(BOX))


def leave(child: Term) -> None:
    child.send(KEYS["ctrl-c"])
    child.expect_exact(CLEAR)
    child.expect(pexpect.EOF)
    child.close()


def test_the_passwords_screens_read_as_they_should(prog: Program) -> None:
    child = prog.spawn("passwords")
    child.expect("How should your data be protected")
    child.choose("Keep the key in this computer's keyring")
    child.expect("What would you like to do")
    # Nothing is about to happen at the menu: good to know, not "before you do this".
    assert "Good to know: If your ex notices that a password stopped working" in since(child, 0)
    child.send("?")  # the hotline key, in an arrow-key menu too
    child.expect(r"Talk to someone now \(")
    child.expect("What would you like to do")
    child.choose("Add accounts from a list")
    child.expect("Which of these do you have")
    assert "? for hotlines" in child.shown()
    child.tick("Instagram")
    child.expect("Answer a few questions about it")
    assert "questions left for 1 account" in squash(child.shown())
    child.choose("Not this one: change passwords instead")
    child.expect("Where are you with this one")
    walk = since(child, 0)
    assert walk.count("0 of 1 account changed") == 1
    assert "choose the option that also blocks new accounts they may make" in walk
    assert "Turn on Hidden Words" in walk and "Restrict is quieter" in walk
    assert (
        "More in the checklist ('safetykit checklist'), under Social media: "
        "\u201cWhen they message you from new accounts\u201d." in walk
    )
    child.choose("Make me a new password")
    child.expect("What kind")
    child.choose("Six random words")
    child.expect("What should happen to it")
    child.expect("Talk to someone now")  # the whole menu is drawn
    labels = [squash(line) for line in child.display()]
    assert "n) Neither: I will make my own" in labels  # two others: show it, or keep it
    child.choose("Keep it in safetykit")
    child.expect("Show it now as well")
    child.send("n")
    child.expect("Where are you with this one")
    child.choose("Back to the menu")
    child.expect("What would you like to do")
    mark = len(child.text())
    child.choose("Change passwords, most important first")
    child.expect("Where are you with this one")
    # The menu just said "0 of 1 account changed": the walk-through does not say it again.
    assert "account changed" not in since(child, mark)
    child.choose("I have changed it")
    child.expect("What would you like to do")

    child.choose("Words your ex knows")
    child.expect("Names and nicknames")
    child.expect(r"\(separate with commas; Enter to skip\)")
    child.send("Sam" + KEYS["enter"])
    for _ in range(4):
        child.expect("separate with commas")
        child.send(KEYS["enter"])
    child.expect("Saved: 1 word. Passwords you check from now on are compared with it.")
    child.expect("What would you like to do")
    child.choose("Words your ex knows")
    child.expect(r"\(separate with commas; Enter to keep it\)")  # "Sam" is there already
    for _ in range(5):
        child.send(KEYS["enter"])
        child.expect("Saved: |separate with commas")
    child.expect("What would you like to do")

    child.choose("Show a password safetykit is keeping")
    child.expect("Which one")
    child.choose("Instagram")
    child.expect("I have it")
    child.choose("I have it: clear the screen")
    child.expect("Forget it here")
    child.send("y")
    child.expect("Forgotten: safetykit no longer keeps it.")
    child.expect("What would you like to do")
    leave(child)
    assert child.exitstatus == 130


def test_the_plan_screens_read_as_they_should(prog: Program) -> None:
    child = prog.spawn("plan")
    child.expect("How should your data be protected")
    child.choose("Keep the key in this computer's keyring")
    child.expect("Which part would you like to work on")
    child.choose("People I trust")
    child.expect("Name")
    child.send("Maya" + KEYS["enter"])
    child.expect("How to reach them")
    child.send("555 0100" + KEYS["enter"])
    child.expect("What they know")
    child.send("all" + KEYS["enter"])
    child.expect("Someone else")
    child.send(KEYS["enter"])
    child.expect("code word or phrase")
    child.send("blue umbrella" + KEYS["enter"])
    child.expect("What I want the people I trust to do when they hear my code word")
    child.send(KEYS["enter"])
    child.expect("Which part would you like to work on")
    text = since(child, 0)
    assert "Agree on a code word or phrase with the people you trust" in text
    assert "with them that means" not in text

    child.choose("People I trust")
    child.expect("which question")
    child.choose("My code word or phrase")
    child.expect(r"\(Enter to keep it, \? for hotlines\)")
    child.send(KEYS["enter"])
    child.expect("which question")
    child.choose("Who I can turn to")
    child.expect("What would you like to do")
    child.choose("Change one")
    child.expect("Which one to change")
    child.choose("Maya")
    child.expect(r"Name \(Enter to keep it\)")
    child.send(KEYS["enter"])
    child.expect(r"How to reach them \(Enter to keep it\)")
    child.send(KEYS["enter"])
    child.expect(r"What they know, or how they can help \(Enter to keep it\)")
    child.send(KEYS["enter"])
    child.expect("What would you like to do")
    child.expect("Talk to someone now")
    rows = child.display()
    wrote = [n for n, row in enumerate(rows) if row == "You wrote:"]
    assert wrote, child.shown()
    last = wrote[-1]
    assert rows[last - 1] == "Who I can turn to"  # the question on its own line
    assert rows[last - 2] == ""  # and a break before it, after the answers just asked
    child.choose("Keep them as they are")
    child.expect("which question")
    child.choose("Back to the parts")

    child.expect("Which part would you like to work on")
    child.choose("Legal options")
    child.expect("Do I have a protective order")
    child.choose("I am thinking about it")
    mark = len(child.text())
    child.expect("Advocates or lawyers who can help")
    assert "Details of my order" not in since(child, mark)
    leave(child)
    assert child.exitstatus == 130


def test_plain_mode_names_the_same_hotline_key(prog: Program) -> None:
    child = prog.spawn("--plain", "passwords")
    child.expect("How should your data be protected")
    child.choose("Keep the key in this computer's keyring")
    child.expect("What would you like to do")
    child.choose("Add accounts from a list")
    child.expect(r"or press Enter for none \(\? for hotlines\):")
    child.send("?" + KEYS["enter"])
    child.expect(r"Talk to someone now \(")
    child.expect(r"\(\? for hotlines\):")
    leave(child)
    assert child.exitstatus == 130
