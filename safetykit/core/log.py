"""The incident log as data: entries, their versions, attachments' records, exports. Pure.

Saved in the vault section ``log``::

    {"next_number": 7,
     "entries": [{"id": 3, "recorded_at": "2026-03-04T08:12:00+00:00",
                  "versions": [{"saved_at": "...", "fields": {...}}, ...],
                  "attachments": [{...}, ...]}],
     "exports": [{"at": "...", "format": "pdf", "from": null, "to": null, "kinds": [],
                  "private": false, "entries": 12}],
     "notice_seen": true}

An entry is never rewritten in place: a change adds a version with its time, so an export can
show that an entry was changed and when. Numbers are never reused, even after a removal.

Times are ISO 8601. When something happened is a date-time with its UTC offset, or a date alone
when the time is not known; ``approximate`` marks "about then", with an optional end of the
range and a note in the person's words ("evening of 3 March").
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Self

from safetykit.core.text import one_line, strip_controls
from safetykit.errors import BadInputError
from safetykit.i18n import _

MAX_TEXT: Final = 20_000
"""Characters in one long text field (what happened, their words, notes)."""
MAX_SHORT: Final = 500
"""Characters in a short field (where, the sender, an officer's name)."""
MAX_ITEMS: Final = 50
"""Entries in a list field (witnesses, actions, tags)."""
MAX_ENTRIES: Final = 20_000

PRIVATE_FIELDS: Final = ("effect", "private_note")
"""Left out of every export unless the person chooses to include them."""

TEXT_FIELDS: Final = ("what_happened", "their_words", "effect", "private_note")
SHORT_FIELDS: Final = (
    "summary", "location", "platform", "sender", "others_present", "vehicle", "technology",
    "originals_kept_at", "when_note",
)
LIST_FIELDS: Final = ("actions", "tags")
FIELDS: Final = (
    "occurred_at", "approximate", "occurred_until", "when_note", "kind", "summary", "location",
    "platform", "sender", "what_happened", "their_words", "witnesses", "others_present",
    "police", "protective_order", "vehicle", "technology", "actions", "originals_kept_at",
    "tags", "effect", "private_note",
)
"""Every field of an entry, in the order they are shown and exported."""
POLICE_KEYS: Final = ("called", "agency", "officer", "badge", "report_number")
ORDER_KEYS: Final = ("in_place", "number")
WITNESS_KEYS: Final = ("name", "contact")

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class LogEntryError(BadInputError):
    """An entry that cannot be saved as given. The message never repeats what was typed."""


def _fail(name: str, message: str, **values: object) -> LogEntryError:
    """``message`` (translated, with ``{field}`` where the field's name goes) as the error.

    The field is named by its key, as scripts write it ("occurred at" for ``occurred_at``)."""
    return LogEntryError(message.format(field=name.replace("_", " "), **values),
                         hint=_("Nothing was saved. Fix it and try again."))


# ── times ───────────────────────────────────────────────────────────────────────────────────


def now() -> datetime.datetime:
    """This moment, in the computer's time zone, to the second."""
    return datetime.datetime.now().astimezone().replace(microsecond=0)


def parse_when(value: str, name: str = "occurred_at") -> str:
    """An ISO 8601 date (``2026-03-03``) or date-time with offset, normalised; a date-time with
    no offset is taken as this computer's local time on that day."""
    text = value.strip()
    if _DATE.match(text):
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            # TRANSLATORS: {field} is the name of one of the entry's keys, in English, such
            # as "occurred at" or "police called", as scripts write them.
            raise _fail(name, _("The entry's {field} is not a real date.")) from None
        return text
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _fail(name, _("The entry's {field} should be a date like 2026-03-03 or a time "
                            "like 2026-03-03T21:15:00-05:00.")) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # local time on that day, with its offset then
    return moment.replace(microsecond=0).isoformat()


def sort_key(when: str) -> tuple[datetime.datetime, int]:
    """Orders dates and date-times together (a date alone sorts at the start of its day, in
    UTC, before any time that day)."""
    if _DATE.match(when):
        day = datetime.date.fromisoformat(when)
        return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC), 0
    return datetime.datetime.fromisoformat(when).astimezone(datetime.UTC), 1


def _within(when: str, start: datetime.date | None, end: datetime.date | None) -> bool:
    day = datetime.date.fromisoformat(when[:10])
    return (start is None or day >= start) and (end is None or day <= end)


# ── one entry's fields ────────────────────────────────────────────────────────────────────────


def _text(value: object, name: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _fail(name, _("The entry's {field} should be text."))
    if len(value) > limit:
        raise _fail(name, _("The entry's {field} is longer than {limit} characters."),
                    limit=f"{limit:,}")
    if limit == MAX_TEXT:
        lines = [line.rstrip() for line in strip_controls(value).split("\n")]
        return "\n".join(lines).strip()
    return one_line(value)


def _texts(value: object, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(name, _("The entry's {field} should be a list."))
    if len(value) > MAX_ITEMS:
        raise _fail(name, _("The entry's {field} has more than {limit} entries."),
                    limit=MAX_ITEMS)
    return [text for text in (_text(v, name, MAX_SHORT) for v in value) if text]


def _flag(value: object, name: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise _fail(name, _("The entry's {field} should be true, false or left out."))


def _table(value: object, name: str, keys: Sequence[str]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _fail(name, _("The entry's {field} should be an object with {keys}."),
                    keys=", ".join(keys))
    unknown = sorted(str(k) for k in value if k not in keys)
    if unknown:
        raise _fail(name, _("The entry's {field} has unknown key(s) {keys}."),
                    keys=", ".join(unknown))
    return dict(value)


def clean_fields(raw: object, kinds: Iterable[str]) -> dict[str, Any]:
    """An entry's fields checked and tidied: the form every entry is saved in.

    ``raw`` uses the keys of ``FIELDS`` (as ``log list --json`` and ``log show --json`` print
    them); unknown keys, wrong types and over-long text are refused with ``LogEntryError``.
    Control characters and bidirectional overrides are removed from all text.
    """
    if not isinstance(raw, Mapping):
        raise LogEntryError(_("An entry should be one JSON object."),
                            hint=_("Nothing was saved. 'safetykit log add --help' shows the "
                                   "keys."))
    unknown = sorted(str(k) for k in raw if k not in FIELDS)
    if unknown:
        raise LogEntryError(
            _("The entry has unknown key(s): {keys}.").format(
                keys=", ".join(k[:40] for k in unknown[:5])
            ),
            hint=_("Nothing was saved. The keys are: {keys}.").format(keys=", ".join(FIELDS)),
        )
    when = raw.get("occurred_at")
    if not isinstance(when, str) or not when.strip():
        raise _fail("occurred_at",
                    _("The entry's {field} is needed: when it happened (a date is enough)."))
    kind = raw.get("kind", "other") or "other"
    if not isinstance(kind, str) or kind not in set(kinds):
        raise _fail("kind", _("The entry's {field} should be one of: {kinds}."),
                    kinds=", ".join(kinds))
    fields: dict[str, Any] = {
        "occurred_at": parse_when(when),
        "approximate": bool(_flag(raw.get("approximate"), "approximate")),
        "occurred_until": None,
        "kind": kind,
    }
    until = raw.get("occurred_until")
    if until not in (None, ""):
        if not isinstance(until, str):
            raise _fail("occurred_until", _("The entry's {field} should be a date or time."))
        fields["occurred_until"] = parse_when(until, "occurred_until")
        if sort_key(fields["occurred_until"]) < sort_key(fields["occurred_at"]):
            raise _fail("occurred_until", _("The entry's {field} is before when it started."))
    for name in SHORT_FIELDS:
        fields[name] = _text(raw.get(name), name, MAX_SHORT)
    for name in TEXT_FIELDS:
        fields[name] = _text(raw.get(name), name, MAX_TEXT)
    for name in LIST_FIELDS:
        fields[name] = _texts(raw.get(name), name)
    witnesses = raw.get("witnesses")
    if witnesses is None:
        witnesses = []
    if not isinstance(witnesses, list) or len(witnesses) > MAX_ITEMS:
        raise _fail("witnesses",
                    _("The entry's {field} should be a list of at most {limit} people."),
                    limit=MAX_ITEMS)
    fields["witnesses"] = [
        person for person in (
            {key: _text(w.get(key), "witnesses", MAX_SHORT) for key in WITNESS_KEYS}
            for w in (_table(item, "witnesses", WITNESS_KEYS) for item in witnesses)
        ) if any(person.values())
    ]
    police = _table(raw.get("police"), "police", POLICE_KEYS)
    fields["police"] = {
        "called": _flag(police.get("called"), "police called"),
        **{key: _text(police.get(key), f"police {key}", MAX_SHORT) for key in POLICE_KEYS[1:]},
    }
    order = _table(raw.get("protective_order"), "protective_order", ORDER_KEYS)
    fields["protective_order"] = {
        "in_place": _flag(order.get("in_place"), "protective order"),
        "number": _text(order.get("number"), "protective order number", MAX_SHORT),
    }
    if not (fields["summary"] or fields["what_happened"] or fields["their_words"]):
        raise _fail("what_happened",
                    _("The entry's {field} is needed: a few words about what happened."))
    return {name: fields[name] for name in FIELDS}


def summary_of(fields: Mapping[str, Any]) -> str:
    """The entry's one-line summary: its own, or the start of what happened."""
    if fields.get("summary"):
        return str(fields["summary"])
    text = one_line(str(fields.get("what_happened") or fields.get("their_words") or ""))
    return text if len(text) <= 80 else text[:79].rstrip() + "…"


# ── the log ──────────────────────────────────────────────────────────────────────────────────


@dataclass
class Attachment:
    """A file kept with an entry, exactly as it was added (stored encrypted elsewhere)."""

    id: str
    name: str
    size: int
    sha256: str
    type: str
    added_at: str
    note: str
    blob: str
    """The neutral name of the encrypted file in the data folder."""
    key: str = field(repr=False)
    """The file's own key (base64), kept only inside the encrypted vault."""

    @classmethod
    def from_json(cls, raw: object) -> Self | None:
        if not isinstance(raw, Mapping):
            return None
        try:
            return cls(
                id=str(raw["id"]), name=str(raw["name"]), size=int(raw["size"]),
                sha256=str(raw["sha256"]), type=str(raw.get("type", "")),
                added_at=str(raw["added_at"]), note=str(raw.get("note", "")),
                blob=str(raw["blob"]), key=str(raw["key"]),
            )
        except (KeyError, TypeError, ValueError):
            return None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "size": self.size, "sha256": self.sha256,
                "type": self.type, "added_at": self.added_at, "note": self.note,
                "blob": self.blob, "key": self.key}

    def public(self) -> dict[str, Any]:
        """What scripts and exports see (never the key or the stored file's name)."""
        return {"id": self.id, "name": self.name, "size": self.size, "sha256": self.sha256,
                "type": self.type, "added_at": self.added_at, "note": self.note}


@dataclass
class Version:
    saved_at: str
    fields: dict[str, Any]


@dataclass
class Entry:
    id: int
    recorded_at: str
    versions: list[Version]
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def fields(self) -> dict[str, Any]:
        return self.versions[-1].fields

    @property
    def edited_at(self) -> str | None:
        return self.versions[-1].saved_at if len(self.versions) > 1 else None

    @property
    def occurred_at(self) -> str:
        return str(self.fields["occurred_at"])

    def listing(self) -> dict[str, Any]:
        """One row of ``log list --json``."""
        f = self.fields
        return {
            "id": self.id,
            "occurred_at": f["occurred_at"],
            "approximate": f["approximate"],
            "recorded_at": self.recorded_at,
            "edited_at": self.edited_at,
            "kind": f["kind"],
            "location": f["location"],
            "summary": summary_of(f),
            "attachments": len(self.attachments),
        }

    def full(self, *, include_private: bool = True) -> dict[str, Any]:
        """``log show --json``: the entry as it is now, its earlier versions and attachments."""
        shown = dict(self.fields)
        if not include_private:
            for name in PRIVATE_FIELDS:
                shown.pop(name, None)
        return {
            "id": self.id,
            "recorded_at": self.recorded_at,
            "edited_at": self.edited_at,
            **shown,
            "versions": [
                {"saved_at": v.saved_at,
                 "changed": [name for name in changed_fields(before, v)
                             if include_private or name not in PRIVATE_FIELDS]}
                for before, v in zip([None, *self.versions], self.versions, strict=False)
            ],
            "attachments": [a.public() for a in self.attachments],
        }

    @classmethod
    def from_json(cls, raw: object) -> Self | None:
        if not isinstance(raw, Mapping):
            return None
        try:
            versions = [
                Version(str(v["saved_at"]), dict(v["fields"]))
                for v in raw["versions"] if isinstance(v, Mapping)
                and isinstance(v.get("fields"), Mapping)
            ]
            if not versions:
                return None
            attachments = [a for a in map(Attachment.from_json, raw.get("attachments", [])) if a]
            return cls(int(raw["id"]), str(raw["recorded_at"]), versions, attachments)
        except (KeyError, TypeError, ValueError):
            return None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "recorded_at": self.recorded_at,
            "versions": [{"saved_at": v.saved_at, "fields": v.fields} for v in self.versions],
            "attachments": [a.to_json() for a in self.attachments],
        }


def changed_fields(before: Version | None, after: Version) -> list[str]:
    """The fields a version changed (every field that has a value, for the first one)."""
    if before is None:
        return [name for name in FIELDS if after.fields.get(name) not in (None, "", [], {})]
    return [name for name in FIELDS if before.fields.get(name) != after.fields.get(name)]


@dataclass
class ExportRecord:
    at: str
    format: str
    start: str | None
    end: str | None
    kinds: list[str]
    private: bool
    entries: int

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at, "format": self.format, "from": self.start, "to": self.end,
                "kinds": list(self.kinds), "private": self.private, "entries": self.entries}

    @classmethod
    def from_json(cls, raw: object) -> Self | None:
        if not isinstance(raw, Mapping):
            return None
        try:
            return cls(str(raw["at"]), str(raw["format"]), raw.get("from"), raw.get("to"),
                       [str(k) for k in raw.get("kinds", [])], bool(raw.get("private")),
                       int(raw.get("entries", 0)))
        except (KeyError, TypeError, ValueError):
            return None


class NoSuchEntryError(BadInputError):
    pass


@dataclass
class LogState:
    """The log's part of the saved state (the vault section ``log``)."""

    SECTION: ClassVar[str] = "log"

    entries: list[Entry] = field(default_factory=list)
    next_number: int = 1
    exports: list[ExportRecord] = field(default_factory=list)
    notice_seen: bool = False

    @classmethod
    def from_state(cls, raw: Mapping[str, Any]) -> Self:
        entries = [e for e in map(Entry.from_json, raw.get("entries") or []) if e is not None]
        number = raw.get("next_number")
        highest = max((e.id for e in entries), default=0)
        return cls(
            entries=entries,
            next_number=max(number if isinstance(number, int) else 1, highest + 1),
            exports=[x for x in map(ExportRecord.from_json, raw.get("exports") or []) if x],
            notice_seen=raw.get("notice_seen") is True,
        )

    def to_state(self) -> dict[str, Any]:
        return {
            "next_number": self.next_number,
            "entries": [e.to_json() for e in self.entries],
            "exports": [x.to_json() for x in self.exports],
            "notice_seen": self.notice_seen,
        }

    def find(self, entry_id: int) -> Entry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise NoSuchEntryError(
            _("There is no entry number {number} in the log.").format(number=entry_id),
            hint=_("'safetykit log list' shows the entries and their numbers."),
        )

    def add(self, fields: dict[str, Any], at: str) -> Entry:
        if len(self.entries) >= MAX_ENTRIES:
            raise LogEntryError(
                _("The log holds {count} entries, as many as it can.").format(
                    count=f"{MAX_ENTRIES:,}"
                )
            )
        entry = Entry(self.next_number, at, [Version(at, fields)])
        self.next_number += 1
        self.entries.append(entry)
        return entry

    def change(self, entry_id: int, fields: dict[str, Any], at: str) -> Entry:
        """A new version of an entry; the earlier ones stay, with their times."""
        entry = self.find(entry_id)
        if fields != entry.fields:
            entry.versions.append(Version(at, fields))
        return entry

    def remove(self, entry_id: int) -> Entry:
        entry = self.find(entry_id)
        self.entries.remove(entry)
        return entry

    def attach(self, entry_id: int, attachment: Attachment) -> None:
        self.find(entry_id).attachments.append(attachment)

    def in_order(self) -> list[Entry]:
        """Oldest first, by when it happened (then by number)."""
        return sorted(self.entries, key=lambda e: (sort_key(e.occurred_at), e.id))

    def select(
        self,
        start: datetime.date | None = None,
        end: datetime.date | None = None,
        kinds: Sequence[str] = (),
    ) -> list[Entry]:
        """The entries an export covers, oldest first."""
        return [
            e for e in self.in_order()
            if _within(e.occurred_at, start, end) and (not kinds or e.fields["kind"] in kinds)
        ]

    def blobs(self) -> set[str]:
        """The neutral names of every attachment file the log refers to."""
        return {a.blob for e in self.entries for a in e.attachments}

    def summary(self) -> dict[str, int]:
        return {"entries": len(self.entries),
                "attachments": sum(len(e.attachments) for e in self.entries)}
