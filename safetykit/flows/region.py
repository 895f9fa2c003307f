"""Where the person is: chosen once (asked at first use), changed with ``safetykit region``, and
given for one run with ``--region`` or ``SAFETYKIT_REGION``, in that order of precedence.

The system's language setting may suggest an answer; it never decides it, and nothing is looked
up on the network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from safetykit.content._validate import NotInContentError
from safetykit.content.regions import (
    DEFAULT,
    Place,
    load_places,
    place_name,
    place_question,
    terms_for,
    use_region,
)
from safetykit.errors import UsageError
from safetykit.i18n import N_, _
from safetykit.storage.paths import DataPaths
from safetykit.storage.settings import store_region, stored_region
from safetykit.ui.prompts import Option

if TYPE_CHECKING:  # --help reads the place without the session (and the keyring behind it)
    from safetykit.flows.session import Session

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
            # TRANSLATORS: {origin} is where the code came from: --region, SAFETYKIT_REGION,
            # "the saved choice" or "the place given".
            _("{code} ({origin}) is not a place safetykit knows.").format(
                code=repr(code[:20]), origin=origin
            ),
            hint=_("Places: {codes}.").format(codes=", ".join(places.codes())),
        ) from None
    parts = places.parts(place.code)
    if parts:
        raise UsageError(
            _("{place} has parts with their own services: choose one.").format(
                place=place_name(place)
            ),
            hint=f"{', '.join(f'{p.code} ({place_name(p)})' for p in parts)}.",
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
            return Chosen(check_code(stored, _("the saved choice")), "stored")
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
        _(
            "Where are you? safetykit shows the hotlines, emergency number and legal words for "
            "that place. You can change it any time ('safetykit region')."
        )
    )
    suggested = suggestion()
    top = list(places.top())
    default = next((p.code for p in top if suggested and suggested.startswith(p.code)), None)
    chosen = session.prompter.select(
        "region", _("Where are you?"), [Option(p.code, place_name(p)) for p in top], default
    )
    parts = places.parts(chosen)
    if parts:
        country = places.get(chosen)
        chosen = session.prompter.select(
            "region.part",
            place_question(country) or _("Which part of {country}?").format(
                country=place_name(country)),
            [Option(p.code, place_name(p)) for p in parts],
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


NO_PLACE_NOTE = N_(
    "No place is chosen yet, so this shows help that works anywhere. 'safetykit region CODE' "
    "(for example US, GB-ENG, CA-ON) or --region CODE shows the lines and numbers where you are."
)


def note_if_no_place(session: Session) -> None:
    """For a command whose output depends on the place: say when none was chosen."""
    if session.region_origin == "none":
        session.warn.muted(_(NO_PLACE_NOTE))


def describe(place: Place) -> str:
    return f"{place_name(place)} ({place.code})"


def region_command(session: Session, *, code: str | None, chosen: Chosen) -> None:
    """``safetykit region [CODE]``: say where safetykit thinks the person is, or change it."""
    places = load_places()
    if code is None:
        place = places.get(chosen.code)
        if chosen.origin == "none":
            session.screen.say(
                _(
                    "No place chosen yet, so safetykit shows help that works anywhere. Choose "
                    "one with 'safetykit region CODE', for example 'safetykit region GB-ENG'."
                )
            )
        else:
            said = {
                "option": _("{place}: for this run, from --region."),
                "environment": _("{place}: for this run, from {variable}."),
                "stored": _("{place}: your saved choice."),
            }[chosen.origin]
            session.screen.say(said.format(place=describe(place), variable=ENV))
        session.screen.muted(_("Places: {codes}.").format(codes=", ".join(places.codes())))
        return
    new = check_code(code, _("the place given"))
    store_region(session.paths, new)
    session.screen.say(
        _("Saved: {place}. Hotlines and legal words now follow it.").format(
            place=describe(places.get(new))
        )
    )
    if chosen.origin in ("option", "environment"):
        still = {
            # TRANSLATORS: "option" is --region, given on the command line.
            "option": _("For this run, {code} (option) still wins over it."),
            # TRANSLATORS: "environment" is the SAFETYKIT_REGION environment variable.
            "environment": _("For this run, {code} (environment) still wins over it."),
        }[chosen.origin]
        session.warn.say(still.format(code=chosen.code))


def help_lines(option: str | None) -> list[str]:
    """What ``--help`` opens with: how to reach emergency help where the person is, and the
    first two lines to talk to someone (help that works anywhere if no place is chosen)."""
    from safetykit.content.resources import urgent_resources
    from safetykit.flows.hotlines import in_spanish
    from safetykit.storage.paths import default_paths

    code = resolve(default_paths(), option).code
    lines = [terms_for(code)["emergency_help"]]
    for resource in [r for r in urgent_resources(code) if r.kind != "emergency"][:2]:
        ways = [w for w in (resource.phone, resource.text) if w]
        if len(ways) == 2:
            # TRANSLATORS: a hotline in --help: "<name>: <number to call>, or <how to text>."
            lines.append(
                _("{name}: {call}, or {text}.").format(
                    name=resource.name, call=ways[0], text=ways[1]
                )
            )
        elif ways:
            lines.append(f"{resource.name}: {ways[0]}.")
        if how := in_spanish(resource):
            lines.append(how)
    return lines
