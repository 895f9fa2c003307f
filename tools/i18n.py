"""Build and check safetykit's translation catalogues with Babel.

    python -m tools.i18n update    # extract every English text; add new ones to each .po
    python -m tools.i18n compile   # .po -> .mo (what safetykit reads)
    python -m tools.i18n check     # fail on anything untranslated, stale or inconsistent

Three catalogues per language, under ``safetykit/locale/<lang>/LC_MESSAGES``:

- ``safetykit``: the code's words, found by Babel's extractor (``_``, ``N_``, ``ngettext``);
- ``content``: every text the content loaders translate, found by loading every place's view of
  every content file while ``safetykit.i18n.recording`` notes each (context, text) pair, so the
  catalogue holds exactly what is asked for at run time;
- ``messages``: Click's and Typer's own words (extracted from their installed sources).

``check`` is the CI gate: every code and content text has a translation that is not fuzzy, no
obsolete entry is left (English that changed), the ``{placeholders}`` and ``%`` formats match, and
each ``.mo`` matches its ``.po``. (Babel's own statistics are not used as that check: a fuzzy or
stale entry counts as translated there.) Click's words are checked for placeholders only, as a new
Click version may bring words of its own; those are shown in English until translated.
"""

from __future__ import annotations

import io
import re
import string
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "safetykit" / "locale"
LANGUAGES = ("es",)
DOMAINS = ("safetykit", "content", "messages")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
HEADER = "safetykit's words, for people whose ex will not leave them alone"


# ── extraction ───────────────────────────────────────────────────────────────────────────────


Found = tuple[str | tuple[str, ...], str | None, tuple[str, int], list[str]]


def code_messages() -> Iterator[Found]:
    """(msgid or (singular, plural), context, where, translators' comments) for every marked
    text in safetykit's code."""
    for file, line, message, comments, context in extract_from_dir(
        str(ROOT / "safetykit"), keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        yield message, context, (f"safetykit/{file}", line), list(comments)


def content_messages() -> set[tuple[str, str]]:
    """(context, text) for every text any place's view of the content asks to translate."""
    from safetykit.content import (
        accounts,
        checklist,
        device,
        iphone,
        log,
        plan,
        regions,
        resources,
    )
    from safetykit.i18n import recording

    with recording() as found:
        places = regions.load_places()
        for place in places.places:
            regions.place_name(place)
            regions.place_question(place)
        for code in places.codes():
            regions.terms_for(code)
            checklist.load_raw_checklist().for_region(code)
            plan.load_raw_plan().for_region(code)
            accounts._for_region.__wrapped__(code, "en")
            log.load_raw_log().for_region(code)
        for item in resources.load_resources():
            resources.translated(item)
        iphone.load_raw_iphone().translated()
        device.load_raw_device().translated()
    return set(found)


def click_messages() -> Iterator[Found]:
    """Typer's own words read through gettext ("Options", "Commands"…). Its Click is vendored
    without gettext: safetykit rewords those usage errors itself (cli/app.py)."""
    import typer

    folder = Path(typer.__file__ or "").parent
    for file, line, message, _comments, context in extract_from_dir(
        str(folder), keywords={"_": None, "ngettext": (1, 2)},
    ):
        if "_click" not in file:
            yield message, context, (f"typer/{file}", line), []


def template(domain: str) -> Catalog:
    catalog = Catalog(project="safetykit", header_comment=f"# {HEADER}.", fuzzy=False)
    source: Iterable[Found]
    if domain == "content":
        for content_context, text in sorted(content_messages()):
            catalog.add(text, context=content_context)
    else:
        source = code_messages() if domain == "safetykit" else click_messages()
        for message, context, where, comments in source:
            if not message or not (message if isinstance(message, str) else message[0]):
                continue
            known = catalog.get(message, context=context)
            if known is not None:
                known.locations.append(where)
                known.auto_comments.extend(c for c in comments if c not in known.auto_comments)
            else:
                catalog.add(message, context=context, locations=[where], auto_comments=comments)
    return catalog


# ── files ────────────────────────────────────────────────────────────────────────────────────


def po_path(language: str, domain: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{domain}.po"


def read(path: Path, language: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=language, project="safetykit")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, omit_header=False,
             ignore_obsolete=False, include_previous=True)
    path.write_bytes(buffer.getvalue())


def mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update() -> None:
    for domain in DOMAINS:
        pot = template(domain)
        write(LOCALE / f"{domain}.pot", pot)
        for language in LANGUAGES:
            path = po_path(language, domain)
            catalog = read(path, language)
            catalog.update(pot, no_fuzzy_matching=False, update_header_comment=True)
            # A text no longer asked for has been matched (fuzzy) to its new English already.
            catalog.obsolete.clear()
            write(path, catalog)
            print(f"{path.relative_to(ROOT)}: {len(catalog)} texts")


def compile_all() -> None:
    for language in LANGUAGES:
        for domain in DOMAINS:
            catalog = read(po_path(language, domain), language)
            po_path(language, domain).with_suffix(".mo").write_bytes(mo_bytes(catalog))


# ── the check ────────────────────────────────────────────────────────────────────────────────

_PERCENT = re.compile(r"%(?:\([a-z_]+\))?[sdr%]")


def placeholders(text: str) -> list[str]:
    """The {names} and %-formats of a text, sorted (what a translation must keep)."""
    names: list[str] = []
    try:
        names = [f"{{{name}}}" for _, name, _, _ in string.Formatter().parse(text) if name]
    except ValueError:
        names = ["<unbalanced braces>"]
    return sorted(names + _PERCENT.findall(text))


def _texts(message: Message) -> tuple[list[str], list[str]]:
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
    return ids, strings


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def problems(language: str, domain: str) -> Iterable[str]:
    path = po_path(language, domain)
    catalog = read(path, language)
    wanted = template(domain)
    where = _shown(path)
    complete = domain != "messages"
    for message in wanted:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        ids, _ = _texts(message)
        name = f"{where}: {message.context or ''} {ids[0][:70]!r}"
        if found is None or not any(_texts(found)[1]):
            if complete:
                yield f"{name}: not translated"
            continue
        if complete and not all(_texts(found)[1]):
            yield f"{name}: a plural form is missing ({catalog.num_plurals} are needed)"
        if found.fuzzy and complete:
            yield f"{name}: fuzzy (the English changed; translate it again)"
        for index, spanish in enumerate(_texts(found)[1]):
            english = ids[min(index, len(ids) - 1)]  # forms after the first are plurals
            if spanish and placeholders(english) != placeholders(spanish):
                yield f"{name}: placeholders differ ({placeholders(spanish)})"
    for obsolete in catalog.obsolete.values():
        if complete:
            yield f"{where}: obsolete entry {obsolete.id!r:.70} (remove it or run update)"
    mo = path.with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != mo_bytes(catalog):
        yield f"{_shown(mo)}: out of date (run: python -m tools.i18n compile)"


def check() -> list[str]:
    return [p for language in LANGUAGES for domain in DOMAINS for p in problems(language, domain)]


def split(language: str, domain: str, prefixes: list[str], out: Path) -> int:
    """Copy the entries whose context starts with one of ``prefixes`` into ``out`` (a file to
    translate on its own); return how many."""
    catalog = read(po_path(language, domain), language)
    part = Catalog(locale=language, project="safetykit")
    for message in catalog:
        if message.id and any((message.context or "").startswith(p) for p in prefixes):
            part[message.id] = message  # keeps the context
            part.add(message.id, message.string, context=message.context,
                     auto_comments=message.auto_comments, user_comments=message.user_comments)
    write(out, part)
    return sum(1 for m in part if m.id)


def merge(language: str, domain: str, fragment: Path) -> int:
    """Take the translations from ``fragment`` into the language's catalogue (matched by context
    and English text); return how many were taken."""
    catalog = read(po_path(language, domain), language)
    taken = 0
    for message in read(fragment, language):
        if not message.id or not message.string:
            continue
        found = catalog.get(message.id, context=message.context)
        if found is not None:
            strings = message.string
            if not isinstance(strings, str):
                # Spanish has a third form for whole millions ("1 000 000 de"); a fragment made
                # with two forms gives that one the ordinary plural.
                forms = list(strings) + [""] * (catalog.num_plurals - len(strings))
                strings = tuple(form or forms[min(1, len(forms) - 1)] for form in forms)
            found.string = strings
            found.flags.discard("fuzzy")
            taken += 1
    write(po_path(language, domain), catalog)
    return taken


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "split":
        domain, out, *prefixes = argv[1:]
        print(split("es", domain, prefixes, Path(out)), "texts")
    elif command == "merge":
        domain, *fragments = argv[1:]
        for fragment in fragments:
            print(fragment, merge("es", domain, Path(fragment)), "translations taken")
    elif command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = check()
        for problem in found[:200]:
            print(problem)
        if found:
            print(f"{len(found)} problem(s) in the catalogues.", file=sys.stderr)
            return 1
        print("Catalogues complete and consistent.")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
