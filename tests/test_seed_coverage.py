"""Every point of the seed article is served by checklist items, and none of it is copied.

The keys below are short paraphrases of the seed's points, not its sentences.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from safetykit.content.checklist import Checklist, load_checklist
from safetykit.content.resources import load_resources

SEED_DIR = Path(__file__).parents[2] / "shared" / "seed"

# The ten behaviours the seed lists: paraphrased key → (content behaviour id, item ids).
SEED_BEHAVIOURS: dict[str, tuple[str, tuple[str, ...]]] = {
    "calls-or-texts-again-and-again": (
        "calls-texts",
        (
            "contact.block-number",
            "contact.rename-instead",
            "contact.silence-unknown",
            "contact.no-reply-needed",
            "contact.save-evidence",
        ),
    ),
    "vows-to-be-different": ("promises", ("pressure.promises",)),
    "puts-the-breakup-on-you": ("blame", ("pressure.blame", "selfcare.feelings")),
    "claims-no-one-else-will-want-you": ("no-one-better", ("pressure.no-one-better",)),
    "appears-at-home-school-or-work": (
        "shows-up",
        (
            "show-up.at-home",
            "show-up.school-work",
            "show-up.in-public",
            "show-up.log-visits",
            "show-up.protective-order",
            "people.security-reception",
        ),
    ),
    "recruits-friends-or-family": (
        "friends-family",
        ("pressure.through-others", "people.what-to-share", "social.mutual-friends"),
    ),
    "floods-your-social-inboxes": (
        "social-messages",
        (
            "social.block-or-remove",
            "social.new-accounts",
            "social.report",
            "contact.block-in-apps",
        ),
    ),
    "big-displays-to-win-you-back": ("grand-gestures", ("pressure.grand-gestures",)),
    "self-harm-threat-as-leverage": (
        "self-harm-threats",
        (
            "self-harm.not-your-responsibility",
            "self-harm.get-them-help",
            "self-harm.keep-boundary",
        ),
    ),
    "threatens-blackmail": (
        "blackmail",
        (
            "blackmail.dont-give-in",
            "blackmail.keep-evidence",
            "blackmail.block-images",
            "blackmail.report",
            "blackmail.get-help",
        ),
    ),
}

# The seven suggestions the seed offers.
SEED_SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "block-the-number-or-give-it-a-telling-name": (
        "contact.block-number",
        "contact.rename-instead",
    ),
    "block-delete-or-lock-down-social-accounts": (
        "social.block-or-remove",
        "social.private-account",
        "social.stories",
        "social.new-accounts",
    ),
    "never-alone-at-school-work-or-out": ("people.buddy-system",),
    "let-close-people-know": ("people.tell-close", "people.what-to-share"),
    "new-passwords-where-the-ex-had-access": (
        "accounts.list-accounts",
        "accounts.change-passwords",
        "accounts.phone-passcode",
        "accounts.sign-out-everywhere",
    ),
    "what-to-do-about-suicide-threats": (
        "self-harm.not-your-responsibility",
        "self-harm.get-them-help",
    ),
    "help-with-other-threats-like-blackmail": (
        "blackmail.dont-give-in",
        "blackmail.get-help",
    ),
}

# The seed's two closing points.
SEED_OTHER_POINTS: dict[str, tuple[str, ...]] = {
    "ending-it-can-be-dangerous-so-plan-for-safety": (
        "unsafe.leaving-risk",
        "unsafe.safety-plan",
        "unsafe.emergency",
    ),
    "when-you-are-the-one-holding-on": (
        "letting-go.right-to-leave",
        "letting-go.feelings-ok",
        "letting-go.respect-boundaries",
        "letting-go.look-after-yourself",
    ),
}

ALL_POINTS: dict[str, tuple[str, ...]] = {
    **{key: items for key, (_, items) in SEED_BEHAVIOURS.items()},
    **SEED_SUGGESTIONS,
    **SEED_OTHER_POINTS,
}


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist()


@pytest.mark.parametrize("point", sorted(ALL_POINTS))
def test_every_seed_point_is_served_by_known_items(point: str, checklist: Checklist) -> None:
    item_ids = ALL_POINTS[point]
    assert item_ids, f"{point} maps to no item"
    known = {item.id for item in checklist.items}
    unknown = [item_id for item_id in item_ids if item_id not in known]
    assert not unknown, f"{point} maps to unknown items {unknown}"


def test_the_mapping_has_ten_behaviours_and_seven_suggestions() -> None:
    assert len(SEED_BEHAVIOURS) == 10
    assert len(SEED_SUGGESTIONS) == 7


def test_content_behaviours_match_seed_behaviours_one_to_one(checklist: Checklist) -> None:
    mapped = [behaviour_id for behaviour_id, _ in SEED_BEHAVIOURS.values()]
    assert len(set(mapped)) == len(mapped), "two seed behaviours map to one content behaviour"
    content = [behaviour.id for behaviour in checklist.behaviours]
    assert sorted(mapped) == sorted(content)


@pytest.mark.parametrize("point", sorted(SEED_BEHAVIOURS))
def test_each_behaviour_opens_a_section_that_holds_its_items(
    point: str, checklist: Checklist
) -> None:
    behaviour_id, item_ids = SEED_BEHAVIOURS[point]
    behaviour = next(b for b in checklist.behaviours if b.id == behaviour_id)
    item_sections = {checklist.item(item_id).section for item_id in item_ids}
    assert item_sections & set(behaviour.sections), (
        f"behaviour {behaviour_id!r} opens {behaviour.sections}, "
        f"but its items live in {sorted(item_sections)}"
    )


def _seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(SEED_DIR.glob("*.txt"))]


def test_bullet_count_matches_the_seed_file() -> None:
    if not SEED_DIR.is_dir():
        pytest.skip(f"no seed folder at {SEED_DIR}")
    bullets = sum(
        1 for text in _seed_texts() for line in text.splitlines() if line.strip().startswith("•")
    )
    assert bullets == len(SEED_BEHAVIOURS) + len(SEED_SUGGESTIONS)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def _shingles(text: str, size: int) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_content_does_not_copy_the_seed(checklist: Checklist) -> None:
    if not SEED_DIR.is_dir():
        pytest.skip(f"no seed folder at {SEED_DIR}")
    size = 7
    seed = set().union(*(_shingles(text, size) for text in _seed_texts()))
    texts = [p.label for p in checklist.platforms]
    texts += [b.label for b in checklist.behaviours]
    texts += [s.title + " " + s.intro for s in checklist.sections]
    for item in checklist.items:
        texts += [item.title, item.why, item.caution or ""]
        texts += [step for _, steps in item.steps for step in steps]
    texts += [r.description for r in load_resources()]
    copied = [text for text in texts if _shingles(text, size) & seed]
    assert not copied, f"text repeats a run of {size} words from the seed: {copied}"
