"""The incident log as data: entries checked and tidied, never rewritten in place, numbered for
good, ordered by when things happened, and hostile text made harmless."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetykit.content._files import ContentError, read_toml
from safetykit.content.log import load_log, parse_log
from safetykit.core.log import (
    FIELDS,
    MAX_TEXT,
    PRIVATE_FIELDS,
    Attachment,
    LogEntryError,
    LogState,
    NoSuchEntryError,
    clean_fields,
    parse_when,
    sort_key,
    summary_of,
)

KINDS = [k.id for k in load_log().kinds]
AT = "2026-03-04T08:00:00+00:00"


def fields(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {"occurred_at": "2026-03-03T21:15:00-05:00", "kind": "call",
                           "what_happened": "He called 12 times between 9 and 10 pm."}
    raw.update(changes)
    return clean_fields(raw, KINDS)


def test_content_has_every_kind_the_issue_names() -> None:
    assert set(KINDS) >= {
        "call", "message", "email", "social", "showed-up", "through-others", "property",
        "threat", "self-harm-threat", "blackmail", "account-tracking", "gift", "impersonation",
        "other",
    }
    assert load_log().before_first and load_log().at_export
    assert "Snapchat" in load_log().screenshots


def test_content_rules() -> None:
    raw = read_toml("log.toml")
    raw["kinds"] = [k for k in raw["kinds"] if k["id"] != "other"]
    with pytest.raises(ContentError, match="'other'"):
        parse_log(raw)


def test_a_full_entry_is_tidied_into_every_field() -> None:
    entry = fields(
        summary="  Twelve calls  ",
        witnesses=[{"name": "Ana", "contact": "555-0100"}, {"name": "", "contact": ""}],
        police={"called": True, "agency": "Metro PD", "report_number": "24-0113"},
        protective_order={"in_place": True, "number": "PO-7731"},
        actions=["Blocked them", " "],
        tags=["calls", "night"],
        effect="Could not sleep.",
    )
    assert list(entry) == list(FIELDS)
    assert entry["summary"] == "Twelve calls"
    assert entry["witnesses"] == [{"name": "Ana", "contact": "555-0100"}]
    assert entry["police"] == {"called": True, "agency": "Metro PD", "officer": "", "badge": "",
                               "report_number": "24-0113"}
    assert entry["protective_order"] == {"in_place": True, "number": "PO-7731"}
    assert entry["actions"] == ["Blocked them"]
    json.dumps(entry)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"occurred_at": ""}, "is needed"),
        ({"occurred_at": "last tuesday"}, "should be a date"),
        ({"occurred_at": "2026-02-30"}, "not a real date"),
        ({"kind": "haunting"}, "should be one of"),
        ({"what_happened": ""}, "is needed"),
        ({"what_happened": "x" * (MAX_TEXT + 1)}, "longer than"),
        ({"location": 7}, "should be text"),
        ({"witnesses": "Ana"}, "should be a list"),
        ({"witnesses": [{"name": "Ana", "phone": "1"}]}, "unknown key"),
        ({"police": {"called": "yes"}}, "true, false"),
        ({"approximate": "about"}, "true, false"),
        ({"occurred_until": "2026-03-01"}, "before when it started"),
        ({"colour": "red"}, "unknown key"),
        ({"tags": ["x"] * 51}, "more than 50"),
    ],
)
def test_bad_entries_are_refused_without_repeating_them(changes: dict[str, Any],
                                                        message: str) -> None:
    with pytest.raises(LogEntryError, match=message) as caught:
        fields(**changes)
    for value in changes.values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in caught.value.message


def test_times_keep_their_offset_and_a_date_alone_stays_a_date() -> None:
    assert parse_when("2026-03-03") == "2026-03-03"
    assert parse_when("2026-03-03T21:15:00-05:00") == "2026-03-03T21:15:00-05:00"
    assert parse_when("2026-03-03T02:15:00Z") == "2026-03-03T02:15:00+00:00"
    local = parse_when("2026-03-03T21:15")
    assert datetime.datetime.fromisoformat(local).utcoffset() is not None
    assert sort_key("2026-03-03") < sort_key("2026-03-03T00:30:00+00:00")


def test_approximate_with_a_range_and_a_note() -> None:
    entry = fields(occurred_at="2026-03-03", approximate=True, occurred_until="2026-03-04",
                   when_note="evening of 3 March")
    assert entry["approximate"] is True and entry["occurred_until"] == "2026-03-04"
    assert entry["when_note"] == "evening of 3 March"


def test_changes_keep_every_earlier_version_with_its_time() -> None:
    log = LogState()
    entry = log.add(fields(), AT)
    assert entry.id == 1 and entry.recorded_at == AT and entry.edited_at is None
    log.change(1, fields(location="outside my building"), "2026-03-05T10:00:00+00:00")
    log.change(1, fields(location="outside my building"), "2026-03-06T10:00:00+00:00")  # same
    assert len(entry.versions) == 2
    assert entry.edited_at == "2026-03-05T10:00:00+00:00"
    assert entry.versions[0].fields["location"] == ""  # the first writing is still there
    shown = entry.full()
    assert shown["versions"][1] == {"saved_at": "2026-03-05T10:00:00+00:00",
                                    "changed": ["location"]}
    assert entry.recorded_at == AT  # when it was written down never changes


def test_numbers_are_never_reused() -> None:
    log = LogState()
    log.add(fields(), AT)
    log.add(fields(), AT)
    log.remove(2)
    assert log.add(fields(), AT).id == 3
    again = LogState.from_state(log.to_state())
    assert again.next_number == 4 and [e.id for e in again.entries] == [1, 3]
    with pytest.raises(NoSuchEntryError):
        again.find(2)


def test_order_filters_and_listing() -> None:
    log = LogState()
    log.add(fields(occurred_at="2026-03-05", kind="message"), AT)
    log.add(fields(occurred_at="2026-03-01T09:00:00+01:00"), AT)
    log.add(fields(occurred_at="2026-02-20", kind="showed-up", location="school"), AT)
    assert [e.id for e in log.in_order()] == [3, 2, 1]
    chosen = log.select(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), ["call"])
    assert [e.id for e in chosen] == [2]
    row = log.entries[2].listing()
    assert set(row) == {"id", "occurred_at", "approximate", "recorded_at", "edited_at", "kind",
                        "location", "summary", "attachments"}
    assert row["summary"] == "He called 12 times between 9 and 10 pm."


def test_private_fields_stay_out_unless_chosen() -> None:
    log = LogState()
    entry = log.add(fields(effect="scared", private_note="ask Ana"), AT)
    public = entry.full(include_private=False)
    for name in PRIVATE_FIELDS:
        assert name not in public
    assert entry.full()["effect"] == "scared"


def test_attachment_records_never_show_the_key_or_the_stored_name() -> None:
    log = LogState()
    log.add(fields(), AT)
    record = Attachment("a1", "shot.png", 10, "0" * 64, "image/png", AT, "their number",
                        blob="b" * 32, key="SECRETKEY")
    log.attach(1, record)
    again = LogState.from_state(json.loads(json.dumps(log.to_state())))
    stored = again.entries[0].attachments[0]
    assert stored.key == "SECRETKEY" and stored.blob == "b" * 32
    public = json.dumps(again.entries[0].full())
    assert "SECRETKEY" not in public and "b" * 32 not in public
    assert again.blobs() == {"b" * 32}
    assert again.summary() == {"entries": 1, "attachments": 1}


def test_a_damaged_section_loads_what_it_can() -> None:
    log = LogState.from_state({"entries": [{"id": "x"}, "junk", {"id": 5, "recorded_at": AT,
                                                                 "versions": []}],
                               "next_number": "nope", "exports": [None]})
    assert log.entries == [] and log.next_number == 1 and log.exports == []


def test_summary_is_cut_at_a_word() -> None:
    entry = fields(what_happened="word " * 40)
    assert summary_of(entry).endswith("…") and len(summary_of(entry)) <= 80


HOSTILE = st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | st.sampled_from(
    ["\x1b[31mred\x1b[0m", "\u202eevil\u202c", "=HYPERLINK(\"x\")", "a\x00b", "\r\n\r\n"]
)


@settings(max_examples=200)
@given(what=HOSTILE, where=HOSTILE)
def test_hostile_text_is_cleaned_or_refused(what: str, where: str) -> None:
    try:
        entry = fields(what_happened=what, location=where)
    except LogEntryError:
        return
    for value in (entry["what_happened"], entry["location"]):
        assert "\x1b" not in value and "\u202e" not in value and "\x00" not in value
    assert "\n" not in entry["location"]
