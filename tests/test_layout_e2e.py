"""What a person sees in a narrow terminal: hidden passphrases show nothing, menus wrap between
words under their labels and say when there is more, plain mode never breaks a word."""

from __future__ import annotations

import re
import time

from safetykit.content.checklist import load_checklist
from tests.e2e import KEYS, Program, visible
from tests.vaults import keyring_vault

PASSPHRASE = "quartz lantern ribbon maple bison"


def _items(lines: list[str], mark: str) -> list[str]:
    """The choices of a menu on screen, each with its continuation lines joined back on."""
    items: list[str] = []
    for line in lines:
        if re.match(rf"^\s*(?:\u00bb\s*)?{mark}", line):
            items.append(re.sub(rf"^\s*(?:\u00bb\s*)?{mark}\s*", "", line))
        elif items and line.startswith(" " * 5) and line.strip() and "more" not in line:
            items[-1] += " " + line.strip()
    return items


def test_a_passphrase_shows_nothing_as_it_is_typed(prog: Program) -> None:
    term = prog.spawn("checklist", columns=40, rows=30)
    term.wait_for("How should your data be protected")
    term.choose("Use a passphrase I type each time")
    term.wait_for("not shown as")
    term.send("h?" + PASSPHRASE[2:])  # h and ? are letters here, not the hotline keys
    time.sleep(0.3)
    screen = term.shown()
    assert "*" not in screen and "quartz" not in screen
    assert "Talk to someone" not in screen.split("New passphrase")[-1]
    term.send(KEYS["enter"])
    term.wait_for("The same passphrase again")
    term.send(KEYS["ctrl-c"])  # the quick exit works at a hidden prompt too
    status, _ = term.finish()
    assert status == 130
    assert "*" * 3 not in visible(term.text()) and "lantern" not in term.text()


def test_menus_wrap_under_their_labels_and_say_there_is_more(prog: Program) -> None:
    keyring_vault(prog.env)
    term = prog.spawn("checklist", columns=40, rows=14)
    term.wait_for("What is your ex doing")
    term.wait_for("more below")
    lines = term.display()
    assert "   \u2193 more below" in lines
    labels = {" ".join(b.label.split()) for b in load_checklist().behaviours}
    shown = _items(lines, "[\u25cb\u25cf]")
    assert len(shown) >= 3
    # Every choice on screen is a whole label, wrapped between words (the last may go on below).
    assert all(item in labels for item in shown[:-1]), shown
    assert any(label.startswith(shown[-1]) for label in labels), shown
    wrapped = [n for n, line in enumerate(lines) if re.match(r"^ {5}\S", line)]
    assert wrapped, lines  # at 40 columns some labels take two lines, indented under the text
    term.send(KEYS["up"])  # to the last choice
    term.wait_for("more above")
    assert "   \u2191 more above" in term.display()
    term.send(KEYS["ctrl-c"])
    status, _ = term.finish()
    assert status == 130


def test_plain_mode_never_breaks_a_word(prog: Program) -> None:
    keyring_vault(prog.env)
    term = prog.spawn("checklist", "--plain", columns=40, rows=40)
    term.wait_for("Type the numbers that apply")
    time.sleep(0.2)
    lines = [line for line in visible(term.text()).replace("\r", "").split("\n") if line]
    assert all(len(line) <= 40 for line in lines), [line for line in lines if len(line) > 40]
    labels = {" ".join(b.label.split()) for b in load_checklist().behaviours}
    shown = _items(lines, r"\d+\.")
    assert shown and all(item in labels for item in shown), shown
    term.send(KEYS["enter"])
    term.wait_for("Type a number or letter")  # h is one of the choices
    term.send(KEYS["ctrl-c"])
    status, _ = term.finish()
    assert status == 130
