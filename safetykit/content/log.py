"""The incident log's content, read from ``log.toml`` and validated: the kinds of incident, the
usual actions, what is said before the first entry and at every export, and the exports' words
and field labels."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from safetykit.content import _validate as check
from safetykit.content._files import read_toml
from safetykit.content._validate import NotInContentError

FILE_NAME = "log.toml"
SCHEMA = 1
LABEL_WORDS: Final = (
    "made", "covers", "whole_log", "first_entry", "last_entry", "to", "incidents", "kinds_only",
    "private_included", "private_left_out", "notices", "summary", "col_number", "col_when",
    "col_kind", "col_where", "col_summary", "col_files", "col_changed", "changed_mark", "about",
    "entries", "entry", "written_down", "changed_at", "changed_hidden", "time_unknown",
    "attachments", "added", "type", "note", "size", "bytes", "status", "intact", "not_intact",
    "left_out", "in_zip", "manifest", "manifest_note", "col_entry", "col_file", "col_size",
    "col_sha256", "col_status", "no_entries", "no_attachments", "yes", "no", "police_called",
    "police_agency", "police_officer", "police_badge", "police_report_number", "order_in_place",
    "order_number", "pdf_fallback",
)
"""The words of the exports, in ``[labels]`` (every one needed); ``[labels.fields]`` labels each
field of an entry (a test keeps its keys equal to ``safetykit.core.log.FIELDS``)."""


@dataclass(frozen=True)
class IncidentKind:
    id: str
    label: str


@dataclass(frozen=True)
class LogContent:
    kinds: tuple[IncidentKind, ...]
    actions: tuple[str, ...]
    before_first: tuple[str, ...]
    at_export: tuple[str, ...]
    screenshots: str
    title: str
    cover_note: str
    labels: Mapping[str, str] = field(default_factory=dict)
    """The exports' words (``LABEL_WORDS``)."""
    field_labels: Mapping[str, str] = field(default_factory=dict)
    """Each entry field's label, by field name."""

    def for_region(self, region: str) -> LogContent:
        """The words for one place ("{Protective_order}" becomes that place's name for it)."""
        from safetykit.content.regions import fill_checked, terms_for
        from safetykit.i18n import content

        terms = terms_for(region)

        def f(context: str, text: str) -> str:
            return fill_checked(content(f"log:{context}", text), terms, f"{FILE_NAME} ({region})")

        return dataclasses.replace(
            self,
            kinds=tuple(IncidentKind(k.id, f(f"kind.{k.id}:label", k.label)) for k in self.kinds),
            actions=tuple(f("actions", a) for a in self.actions),
            before_first=tuple(f("notices:before_first", t) for t in self.before_first),
            at_export=tuple(f("notices:at_export", t) for t in self.at_export),
            screenshots=f("notices:screenshots", self.screenshots),
            title=f("export:title", self.title),
            cover_note=f("export:cover_note", self.cover_note),
            labels={k: f(f"labels.{k}", v) for k, v in self.labels.items()},
            field_labels={k: f(f"fields.{k}", v) for k, v in self.field_labels.items()},
        )

    def word(self, key: str) -> str:
        """One of the exports' words; ``NotInContentError`` if the file has none by that key."""
        try:
            return self.labels[key]
        except KeyError:
            raise NotInContentError(f"{FILE_NAME}: no label {key!r} in [labels]") from None

    def field_label(self, name: str) -> str:
        """A field's label (its name in plain words if the file has none)."""
        return self.field_labels.get(name) or name.replace("_", " ").capitalize()

    def kind(self, kind_id: str) -> IncidentKind:
        """The kind with this id; ``NotInContentError`` if there is none."""
        for kind in self.kinds:
            if kind.id == kind_id:
                return kind
        raise NotInContentError(f"{FILE_NAME}: no incident kind {kind_id!r}")

    def label(self, kind_id: str) -> str:
        """The kind's label, or the id itself for a kind this version does not know."""
        try:
            return self.kind(kind_id).label
        except NotInContentError:
            return kind_id


def parse_log(data: Mapping[str, Any]) -> LogContent:
    where = FILE_NAME
    top = check.table(data, where, {"schema", "kinds", "actions", "notices", "export", "labels"},
                      ("schema", "kinds", "actions", "notices", "export", "labels"))
    if top["schema"] != SCHEMA or isinstance(top["schema"], bool):
        raise check.fail(where, f"'schema' must be {SCHEMA}")
    kinds = []
    for index, raw in enumerate(check.array(top["kinds"], where, "kinds")):
        here = f"{where}: kinds[{index}]"
        entry = check.table(raw, here, {"id", "label"}, ("id", "label"))
        kinds.append(IncidentKind(check.slug(entry["id"], here), check.text(entry["label"], here,
                                                                             "label")))
    check.unique([k.id for k in kinds], where, "kind")
    if "other" not in {k.id for k in kinds}:
        raise check.fail(where, "a kind with id 'other' is needed")
    notices = check.table(top["notices"], f"{where}: [notices]",
                          {"before_first", "at_export", "screenshots"},
                          ("before_first", "at_export", "screenshots"))
    export = check.table(top["export"], f"{where}: [export]", {"title", "cover_note"},
                         ("title", "cover_note"))
    return LogContent(
        kinds=tuple(kinds),
        actions=check.texts(top["actions"], where, "actions"),
        before_first=check.texts(notices["before_first"], f"{where}: [notices]", "before_first"),
        at_export=check.texts(notices["at_export"], f"{where}: [notices]", "at_export"),
        screenshots=check.text(notices["screenshots"], f"{where}: [notices]", "screenshots"),
        title=check.text(export["title"], f"{where}: [export]", "title"),
        cover_note=check.text(export["cover_note"], f"{where}: [export]", "cover_note"),
        **_parse_labels(top["labels"], f"{where}: [labels]"),
    )


_FIELD_NAME = re.compile(r"^[a-z]+(?:_[a-z]+)*$")


def _parse_labels(data: object, where: str) -> dict[str, dict[str, str]]:
    labels = check.table(data, where, {*LABEL_WORDS, "fields"}, (*LABEL_WORDS, "fields"))
    fields = check.table(labels["fields"], f"{where[:-1]}.fields]")
    for name in fields:
        if not _FIELD_NAME.fullmatch(str(name)):
            raise check.fail(f"{where[:-1]}.fields]", f"{name!r} is not a field name")
    return {
        "labels": {key: check.text(labels[key], where, key) for key in LABEL_WORDS},
        "field_labels": {
            str(name): check.text(value, f"{where[:-1]}.fields]", str(name))
            for name, value in fields.items()
        },
    }


@functools.cache
def load_raw_log() -> LogContent:
    """The shipped log content as written, validated once and cached."""
    return parse_log(read_toml(FILE_NAME))


@functools.cache
def _for_region(region: str, language: str) -> LogContent:
    return load_raw_log().for_region(region)


def load_log(region: str | None = None) -> LogContent:
    """The log's words for ``region`` (the place in use by default), in the language in use."""
    from safetykit.content.regions import current_region
    from safetykit.i18n import current_language

    return _for_region(region or current_region(), current_language())
