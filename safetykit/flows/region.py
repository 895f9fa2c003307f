"""Where the person is: chosen once (asked at first use), changed with ``safetykit region``, and
given for one run with ``--region`` or ``SAFETYKIT_REGION``, in that order of precedence.

The system's language setting may suggest an answer; it never decides it, and nothing is looked
up on the network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from safetykit.content._validate import NotInContentError
from safetykit.content.regions import DEFAULT, Place, load_places, use_region
from safetykit.errors import UsageError
from safetykit.flows.session import Session
from safetykit.storage.paths import DataPaths
from safetykit.storage.settings import store_region, stored_region
from safetykit.ui.prompts import Option

ENV = "SAFETYKIT_REGION"


@dataclass(frozen=True)
class Chosen:
    code: str
    origin: str
    """Where it came from: "option", "environment", "stored", or "none" (nothing chosen yet)."""


def check_code(code: str, origin: str) -> str:
    """A usable place code, or a usage error listing them."""
    places = load_places()
    try:
        place = places.get(code)
    except NotInContentError:
        raise UsageError(
            f"{code[:20]!r} ({origin}) is not a place safetykit knows.",
            hint=f"Places: {', '.join(places.codes())}.",
        ) from None
    parts = places.parts(place.code)
    if parts:
        raise UsageError(
            f"{place.name} has parts with their own services: choose one.",
            hint=f"{', '.join(f'{p.code} ({p.name})' for p in parts)}.",
        )
    return place.code


def resolve(paths: DataPaths, option: str | None) -> Chosen:
    if option:
        return Chosen(check_code(option, "--region"), "option")
    env = os.environ.get(ENV, "").strip()
    if env:
        return Chosen(check_code(env, ENV), "environment")
    stored = stored_region(paths)
    if stored:
        try:
            return Chosen(check_code(stored, "the saved choice"), "stored")
        except UsageError:
            pass  # a code an older or newer version saved: asked again
    return Chosen(DEFAULT, "none")


def suggestion() -> str | None:
    """What the system's language setting suggests (``en_GB`` → the United Kingdom)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return load_places().suggest(value)
    return None


def ask_region(session: Session) -> str:
    """Ask where the person is: the country, then the part where it has parts."""
    places = load_places()
    session.screen.say(
        "Where are you? safetykit shows the hotlines, emergency number and legal words for that "
        "place. You can change it any time ('safetykit region')."
    )
    suggested = suggestion()
    top = list(places.top())
    default = next((p.code for p in top if suggested and suggested.startswith(p.code)), None)
    chosen = session.prompter.select(
        "region", "Where are you?", [Option(p.code, p.name) for p in top], default
    )
    parts = places.parts(chosen)
    if parts:
        country = places.get(chosen)
        chosen = session.prompter.select(
            "region.part", country.ask or f"Which part of {country.name}?",
            [Option(p.code, p.name) for p in parts],
        )
    return chosen


def settle(session: Session, chosen: Chosen, *, ask: bool) -> None:
    """Use the place for this run; in a walk-through with nothing chosen yet, ask once (and
    remember the answer if there is a data folder to keep it in)."""
    code = chosen.code
    session.region_origin = chosen.origin
    if chosen.origin == "none" and ask and session.can_ask:
        code = ask_region(session)
        session.region_origin = "asked"
        if session.paths.root.exists():
            store_region(session.paths, code)
        else:
            session.pending_region = code  # kept once the person decides to store anything
    session.region = code
    use_region(code)


NO_PLACE_NOTE = (
    "No place is chosen yet, so this shows help that works anywhere. 'safetykit region CODE' "
    "(for example US, GB-ENG, CA-ON) or --region CODE shows the lines and numbers where you are."
)


def note_if_no_place(session: Session) -> None:
    """For a command whose output depends on the place: say when none was chosen."""
    if session.region_origin == "none":
        session.warn.muted(NO_PLACE_NOTE)


def describe(place: Place) -> str:
    return f"{place.name} ({place.code})"


def region_command(session: Session, *, code: str | None, chosen: Chosen) -> None:
    """``safetykit region [CODE]``: say where safetykit thinks the person is, or change it."""
    places = load_places()
    if code is None:
        place = places.get(chosen.code)
        if chosen.origin == "none":
            session.screen.say(
                "No place chosen yet, so safetykit shows help that works anywhere. Choose one "
                "with 'safetykit region CODE', for example 'safetykit region GB-ENG'."
            )
        else:
            via = {"option": "for this run, from --region",
                   "environment": f"for this run, from {ENV}",
                   "stored": "your saved choice"}[chosen.origin]
            session.screen.say(f"{describe(place)}: {via}.")
        session.screen.muted(f"Places: {', '.join(places.codes())}.")
        return
    new = check_code(code, "the place given")
    store_region(session.paths, new)
    session.screen.say(
        f"Saved: {describe(places.get(new))}. Hotlines and legal words now follow it."
    )
    if chosen.origin in ("option", "environment"):
        session.warn.say(f"For this run, {chosen.code} ({chosen.origin}) still wins over it.")


def help_lines(option: str | None) -> list[str]:
    """What ``--help`` opens with: how to reach emergency help where the person is, and the
    first two lines to talk to someone (help that works anywhere if no place is chosen)."""
    from safetykit.content.resources import urgent_resources
    from safetykit.storage.paths import default_paths

    code = resolve(default_paths(), option).code
    lines = [load_places().get(code).terms["emergency_help"]]
    for resource in [r for r in urgent_resources(code) if r.kind != "emergency"][:2]:
        ways = [w for w in (resource.phone, resource.text) if w]
        if ways:
            lines.append(f"{resource.name}: {', or '.join(ways)}.")
    return lines
