"""Spanish end to end: the language is chosen (``--lang`` anywhere, ``SAFETYKIT_LANG``, the saved
choice, the system language only as the suggestion at first use), every word follows it, the
catalogue is complete and honest, yes is "sí", and the guarantees hold in both languages.

Expected Spanish is read from the catalogue (``es("English")``), so these tests say *that* a
screen is in Spanish without freezing the translators' wording; the catalogue check proves every
text has a translation, and a few checks prove the translation differs from the English.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from safetykit import i18n
from safetykit.cli.app import run
from safetykit.content.checklist import load_checklist
from safetykit.errors import ExitStatus
from safetykit.flows.language import resolve, suggestion
from safetykit.i18n import _, content, use_language
from safetykit.storage.paths import default_paths
from safetykit.storage.settings import stored_language
from safetykit.storage.vault import create_vault
from tests.e2e import CLEAR, KEYS, Program, Term, program, visible
from tests.secret_service import SecretServiceSession
from tests.vaults import keyring_vault
from tools import i18n as catalogues


def es(english: str) -> str:
    """``english`` as the Spanish catalogue says it."""
    token = i18n._current.set("es")
    try:
        return _(english)
    finally:
        i18n._current.reset(token)


@pytest.fixture
def spanish() -> Iterator[None]:
    token = i18n._current.set("es")
    yield
    i18n._current.reset(token)


@pytest.fixture
def vault(data_dir: Path) -> None:
    create_vault(default_paths(), "keyring")


@pytest.fixture
def no_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAFETYKIT_LANG")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)


# ── the catalogue ──────────────────────────────────────────────────────────────────────────


def test_the_catalogues_are_complete_and_consistent() -> None:
    """The CI gate: every code and content text translated, nothing fuzzy or obsolete, the same
    {placeholders} in both languages, and each compiled catalogue matching its source."""
    problems = catalogues.check()
    assert not problems, "\n".join(problems[:40])


def test_the_words_a_person_meets_first_are_in_spanish() -> None:
    for english in ("Welcome", "How should your data be protected?", "Leave now and store nothing",
                    "What safetykit has stored", "Please type y for yes or n for no."):
        assert es(english) != english, english


def test_changed_english_is_shown_in_english_not_as_stale_spanish() -> None:
    item = load_checklist().items[0]  # in English
    use_language("es")
    context = f"checklist:item.{item.id}:title"
    assert content(context, item.title) != item.title  # translated while the English is the same
    assert content(context, item.title + " (changed)") == item.title + " (changed)"
    assert _("A sentence nobody has translated yet.") == "A sentence nobody has translated yet."


def test_content_follows_the_language(spanish: None) -> None:
    spanish_items = load_checklist().items
    use_language("en")
    english_items = load_checklist().items
    assert [i.id for i in spanish_items] == [i.id for i in english_items]
    assert sum(a.title != b.title for a, b in zip(spanish_items, english_items, strict=True)) > (
        len(english_items) * 0.9
    )


@pytest.mark.parametrize(
    ("english", "spanish_text", "differ"),
    [
        ("Call {emergency} now.", "Llame al {emergency} ahora.", False),
        ("Call {emergency} now.", "Llame al {emergencia} ahora.", True),
        ("{count} of {total} done", "{count} listos", True),
        ("100% private", "100% privado", False),
        ("%(name)s saved", "guardado", True),
    ],
)
def test_placeholders_must_match(english: str, spanish_text: str, differ: bool) -> None:
    assert (catalogues.placeholders(english) != catalogues.placeholders(spanish_text)) is differ


def test_a_stale_or_untranslated_entry_fails_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check reads the real template; a copy of the catalogue with one entry emptied, one
    marked fuzzy and one placeholder changed gives exactly those three problems."""
    locale = tmp_path / "locale"
    shutil.copytree(catalogues.LOCALE, locale)
    monkeypatch.setattr(catalogues, "LOCALE", locale)
    path = catalogues.po_path("es", "safetykit")
    catalog = catalogues.read(path, "es")
    entries = [m for m in catalog if m.id and isinstance(m.id, str) and m.string]
    emptied, fuzzy = entries[0], entries[1]
    with_name = next(m for m in entries if catalogues.placeholders(str(m.id)))
    emptied.string = ""
    fuzzy.flags.add("fuzzy")
    with_name.string = str(with_name.string).replace("{", "{x")
    catalogues.write(path, catalog)
    path.with_suffix(".mo").write_bytes(catalogues.mo_bytes(catalog))
    found = list(catalogues.problems("es", "safetykit"))
    assert any("not translated" in p for p in found), found
    assert any("fuzzy" in p for p in found), found
    assert any("placeholders differ" in p for p in found), found


# ── choosing the language ─────────────────────────────────────────────────────────────────


def test_precedence_option_then_environment_then_the_saved_choice(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, no_language: None
) -> None:
    paths = default_paths()
    assert resolve(paths, None).origin == "none" and resolve(paths, None).code == "en"
    assert run(["language", "es"]) == 0
    assert stored_language(paths) == "es"
    assert (paths.root / "settings.json").stat().st_mode & 0o077 == 0
    assert resolve(paths, None) .code == "es"
    monkeypatch.setenv("SAFETYKIT_LANG", "en")
    assert resolve(paths, None).code == "en"
    assert resolve(paths, "es").code == "es" and resolve(paths, "es").origin == "option"


def test_the_system_language_is_only_a_suggestion(
    monkeypatch: pytest.MonkeyPatch, no_language: None
) -> None:
    monkeypatch.setenv("LANG", "es_US.UTF-8")
    assert suggestion() == "es"
    assert resolve(default_paths(), None).code == "en"  # not decided by it
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert suggestion() == "en"


@pytest.mark.parametrize(
    "argv",
    [["--lang", "es", "status"], ["status", "--lang", "es"], ["status", "--lang=es"],
     ["--lang=es", "status", "--json"]],
)
def test_lang_anywhere_on_the_command_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv) == 0
    out = capsys.readouterr().out
    if "--json" in argv:
        assert set(json.loads(out)) >= {"protection", "checklist", "plan"}
    else:
        assert es("What safetykit has stored") in out


def test_environment_speaks_spanish(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SAFETYKIT_LANG", "es")
    assert run(["status"]) == 0
    assert es("What safetykit has stored") in capsys.readouterr().out


def test_a_language_safetykit_does_not_speak_is_said_calmly(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--lang", "fr", "status"]) == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert "'fr'" in err and "en, es" in err and "Traceback" not in err


def test_language_command_shows_and_saves(
    data_dir: Path, capsys: pytest.CaptureFixture[str], no_language: None
) -> None:
    assert run(["language"]) == 0
    assert "English (en)" in capsys.readouterr().out
    assert run(["language", "es"]) == 0
    assert "Español" in capsys.readouterr().out
    assert run(["language"]) == 0
    assert "Español (es)" in capsys.readouterr().out
    assert not (data_dir / "vault.bin").exists()  # a language is not the data


# ── help and usage errors ─────────────────────────────────────────────────────────────────


def test_help_is_in_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--lang", "es", "--help"]) == 0
    out = capsys.readouterr().out
    assert es("Usage: ").strip() in out and "Usage:" not in out
    assert "Show this message and exit." not in out
    flat = " ".join(out.split())
    for english in ("A tech-safety checklist, one step at a time.", "A private incident log.",
                    "Show this message and exit."):
        assert es(english) != english and es(english) in flat, english
    # Typer's own panel titles, through gettext's "messages" domain
    assert "Opciones:" in out and "Comandos:" in out and "Options:" not in out


def test_subcommand_help_is_in_spanish(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["checklist", "mark", "--help", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert "Usage:" not in out and "Show this message and exit." not in out
    assert es("Usage: ").strip() in out and "ITEM_ID STATE" in out


@pytest.mark.parametrize(
    ("argv", "english"),
    [
        (["--lang", "es", "checklist", "mark"], "Something is missing: {what}."),
        (["--lang", "es", "status", "--colour"], "safetykit has no option {option}."),
        (["--lang", "es", "nonsense"], "safetykit has no command {name}."),
    ],
)
def test_usage_errors_are_reworded(
    argv: list[str], english: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv) == ExitStatus.USAGE
    err = " ".join(capsys.readouterr().err.split())
    start = es(english).split("{")[0].strip()
    assert start and start in err, err
    assert "No such" not in err and "Missing argument" not in err


# ── JSON stays English ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("argv", [["checklist", "show", "--json"], ["status", "--json"],
                                  ["hotlines", "--json"], ["plan", "show", "--json"]])
def test_json_keys_and_ids_stay_english(
    argv: list[str], capsys: pytest.CaptureFixture[str], vault: None
) -> None:
    assert run(["checklist", "mark", load_checklist().items[0].id, "done"]) == 0
    capsys.readouterr()
    assert run(argv) == 0
    english = json.loads(capsys.readouterr().out)
    assert run([*argv, "--lang", "es"]) == 0
    spanish_out = json.loads(capsys.readouterr().out)

    def shape(value: object) -> object:
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items()}
        if isinstance(value, list):
            return [shape(v) for v in value]
        return type(value).__name__

    assert shape(english) == shape(spanish_out)
    if argv[0] == "checklist":
        assert [r["id"] for r in english] == [r["id"] for r in spanish_out]
        assert [r["state"] for r in english] == [r["state"] for r in spanish_out]
        assert english[0]["title"] != spanish_out[0]["title"]


# ── in a real terminal, in Spanish ────────────────────────────────────────────────────────


@pytest.fixture
def prog(secret_service: SecretServiceSession, tmp_path: Path) -> Program:
    found = program(secret_service, tmp_path)
    found.env["SAFETYKIT_LANG"] = "es"
    return found


def first_use(prog: Program, *args: str, columns: int = 100) -> Term:
    env = {k: v for k, v in prog.env.items() if k != "SAFETYKIT_LANG"}
    return prog.spawn(*args, env={**env, "LANG": "es_US.UTF-8"}, columns=columns)


@pytest.mark.e2e
@pytest.mark.secret_service
def test_first_use_asks_with_spanish_suggested_and_remembers(prog: Program) -> None:
    term = first_use(prog, "checklist")
    term.wait_for("Language / Idioma")
    term.send(KEYS["enter"])  # Español, suggested by LANG
    term.wait_for(es("How should your data be protected?"))
    term.choose(es("Keep the key in this computer's keyring (anyone who can log in as you can "
                   "open it)"))
    term.wait_for(es("What is your ex doing?"))
    term.send(KEYS["ctrl-c"])
    status, _ = term.finish()
    assert status == 130
    again = first_use(prog, "checklist")
    shown = again.wait_for(es("What is your ex doing?"))
    assert "Language / Idioma" not in shown  # asked once
    again.send(KEYS["ctrl-c"])
    again.finish()


@pytest.mark.e2e
@pytest.mark.secret_service
def test_spanish_quick_exit_clears_the_screen(prog: Program) -> None:
    keyring_vault(prog.env)
    term = prog.spawn("plan")
    term.wait_for(es("Talk to someone now (hotlines)"))
    term.send(KEYS["ctrl-c"])
    status, tail = term.finish()
    assert status == 130
    assert CLEAR in tail and not re.search(r"\w", visible(tail.rsplit(CLEAR, 1)[1]))


@pytest.mark.e2e
@pytest.mark.secret_service
def test_spanish_yes_in_a_terminal_is_s(prog: Program) -> None:
    keyring_vault(prog.env)
    first = load_checklist().items[0].id
    assert prog.run("checklist", "mark", first, "done")[0] == 0  # the earlier copy: nothing done
    term = prog.spawn("restore")
    term.wait_for("(s/N)")
    term.send("s")  # questionary's own yes/no would have taken this as no answer at all
    status, _ = term.finish()
    assert status == 0
    code, out, _ = prog.run("checklist", "show", "--json")
    assert code == 0
    assert {row["id"]: row["state"] for row in json.loads(out)}[first] == "todo"


@pytest.mark.e2e
@pytest.mark.secret_service
def test_spanish_plain_mode_has_numbers_and_no_escape_codes(prog: Program) -> None:
    keyring_vault(prog.env, {"checklist": {"behaviours": ["calls-texts"],
                                           "behaviours_answered": True}})
    term = prog.spawn("--plain", "checklist")
    menu = term.wait_for("h. " + es("Talk to someone now (hotlines)"))
    assert "1. " in menu
    term.wait_for(es("Type a number or letter and press Enter:"))
    term.choose(es("Leave for now ({saved})").split("(")[0].strip())
    status, _ = term.finish()
    assert status == 0
    assert "\x1b" not in term.text().replace(CLEAR, "")


@pytest.mark.e2e
@pytest.mark.secret_service
@pytest.mark.parametrize("args", [("status",), ("checklist", "show"), ("--plain", "status"),
                                  ("hotlines",)])
def test_spanish_fits_40_columns(prog: Program, args: tuple[str, ...]) -> None:
    keyring_vault(prog.env)
    term = prog.spawn(*args, columns=40)
    status, shown = term.finish()
    assert status == 0, shown
    lines = visible(shown).split("\r\n")
    assert len(lines) > 3
    assert not [line for line in lines if len(line) > 40]


@pytest.mark.e2e
@pytest.mark.secret_service
@pytest.mark.parametrize("args", [("checklist",), ("--plain", "plan")])
def test_spanish_without_a_terminal_says_why(prog: Program, args: tuple[str, ...]) -> None:
    keyring_vault(prog.env)
    done = subprocess.run(
        [*prog_command(), *args], stdin=subprocess.DEVNULL, capture_output=True, text=True,
        env=prog.env, timeout=60, check=False,
    )
    assert done.returncode == ExitStatus.NOT_A_TERMINAL, done.stderr
    assert "Traceback" not in done.stderr
    assert es("This part of safetykit asks questions, and needs a terminal to do so.") in " ".join(
        done.stderr.split()
    ).replace(" ", " ")


def prog_command() -> list[str]:
    import sys

    return [sys.executable, "-m", "safetykit"]


# ── exports keep every Spanish character ──────────────────────────────────────────────────


SPANISH_LETTERS = "áéíóúüñ¿¡«»ÁÉÍÓÚÑ"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_spanish_pdf_keeps_every_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vault: None
) -> None:
    out = tmp_path / "plan.pdf"
    monkeypatch.setattr("sys.stdin", io.StringIO("¿Dónde está el niño? ¡Ñandú! «Ahora» ü"))
    assert run(["plan", "answer", "happening.notes"]) == 0
    assert run(["--lang", "es", "plan", "export", "--format", "pdf", "--output", str(out)]) == 0
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    for letter in SPANISH_LETTERS[:11]:
        assert letter in text, letter
    assert "¿Dónde está el niño? ¡Ñandú! «Ahora» ü" in " ".join(text.split())


def test_dates_in_spanish_exports_are_unambiguous(
    capsys: pytest.CaptureFixture[str], vault: None
) -> None:
    assert run(["--lang", "es", "plan", "export", "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", out)
    assert re.search(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2} de [a-z]+ de \d{4}\b", out), out[:400]
