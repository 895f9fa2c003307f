"""The password walk-through: which accounts, what the ex could know, checks, and changing them
in the order that matters. Passwords typed here are checked in memory and never stored.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from safetykit.content.accounts import (
    AccountKind,
    account_kind,
    account_questions,
    known_word_groups,
    load_accounts,
)
from safetykit.flows.access import open_or_create
from safetykit.flows.password_commands import LOSSY_NOTE
from safetykit.flows.session import Session
from safetykit.i18n import N_, _, ngettext
from safetykit.passwords import records
from safetykit.passwords.records import AccountRecord, PasswordsState
from safetykit.storage import keys
from safetykit.storage.vault import Vault
from safetykit.ui.prompts import Option, Prompter

YES_NO_UNSURE = [
    Option("yes", N_("Yes"), "y"),
    Option("no", N_("No"), "n"),
    Option("unsure", N_("Not sure"), "u"),
]
"""The answers to each question about an account (labels shown through ``_()``)."""
TO_BOOL = {"yes": True, "no": False, "unsure": None}
FROM_BOOL = {True: "yes", False: "no", None: "unsure"}

SAFETY_FIRST = N_(
    "If your ex notices that a password stopped working, they may "
    "react. If that could put you in danger, make a plan first (safetykit plan) or talk it through "
    "with an advocate. Use a phone or computer your ex has never used, if you can."
)


# ── operations: each saves one change, merged with what another window saved ──────────────


def add_accounts(vault: Vault, added: Sequence[AccountRecord]) -> PasswordsState:
    def change(state: PasswordsState) -> None:
        state.accounts.extend(added)

    return vault.update(PasswordsState, change)


def change_account(
    vault: Vault, account_id: str, change: Callable[[AccountRecord], object]
) -> PasswordsState:
    """Change one account, found by id in the saved state (nothing, if it is gone)."""

    def apply(state: PasswordsState) -> None:
        record = state.find(account_id)
        if record is not None:
            change(record)

    return vault.update(PasswordsState, apply)


def set_answer(vault: Vault, account_id: str, field: str, value: bool | None) -> PasswordsState:
    return change_account(vault, account_id, lambda r: r.answers.__setitem__(field, value))


def forget_answer(vault: Vault, account_id: str, field: str) -> PasswordsState:
    return change_account(vault, account_id, lambda r: r.answers.pop(field, None))


def set_signals(vault: Vault, account_id: str, signals: dict[str, Any]) -> PasswordsState:
    def change(record: AccountRecord) -> None:
        record.signals = dict(signals)

    return change_account(vault, account_id, change)


def mark_rotated(vault: Vault, account_id: str, when: datetime.date) -> PasswordsState:
    def change(record: AccountRecord) -> None:
        record.rotated = when.isoformat()

    return change_account(vault, account_id, change)


def keep_made_password(vault: Vault, account_id: str, secret: str, where: str) -> PasswordsState:
    """Keep a password safetykit made for this account: in the vault (encrypted with the data), or
    in the OS keyring (the header then says so, so ``wipe`` looks there)."""
    if where == "keyring":
        keys.keep_secret(vault.header.vault_id, f"pw-{account_id}", secret)
        vault.note_keyring_secrets()

    def change(state: PasswordsState) -> None:
        record = state.find(account_id)
        if record is None:
            return
        record.kept, record.kept_in = True, where
        if where == "vault":
            state.kept_secrets[account_id] = secret
        else:
            state.kept_secrets.pop(account_id, None)

    return vault.update(PasswordsState, change)


def kept_password(vault: Vault, record: AccountRecord) -> str | None:
    """The password safetykit is keeping for this account, from wherever it is kept."""
    if record.kept_in == "keyring":
        return keys.load_secret(vault.header.vault_id, f"pw-{record.id}")
    return vault.read(PasswordsState).kept_secrets.get(record.id)


def forget_made_password(vault: Vault, record: AccountRecord) -> PasswordsState:
    """Forget a kept password (once it is safely in a password manager)."""
    if record.kept_in == "keyring":
        keys.forget_secret(vault.header.vault_id, f"pw-{record.id}")

    def change(state: PasswordsState) -> None:
        state.kept_secrets.pop(record.id, None)
        found = state.find(record.id)
        if found is not None:
            found.kept, found.kept_in = False, None

    return vault.update(PasswordsState, change)


def merge_accounts(vault: Vault, keep_id: str, other_id: str) -> PasswordsState:
    """The person says two accounts are one: fold the second into the first."""
    return vault.update(PasswordsState, lambda state: state.merge(keep_id, other_id))


def set_known_words(vault: Vault, group: str, words: Sequence[str]) -> PasswordsState:
    def change(state: PasswordsState) -> None:
        state.known_words[group] = list(words)

    return vault.update(PasswordsState, change)


# ── the walk-through ──────────────────────────────────────────────────────────────────────────

PIN_LENGTHS = (4, 6, 8)


class PasswordsFlow:
    def __init__(self, session: Session, vault: Vault) -> None:
        self.session = session
        self.ask: Prompter = session.prompter
        self.screen = session.screen
        self.vault = vault
        self.state = vault.read(PasswordsState)
        self.session_passwords: dict[str, str] = {}  # account id -> password, in memory only
        self.online: bool | None = None  # breach checks online: asked once per session
        # (changed, total) as last shown on screen, so the same progress is not shown twice in
        # a row (the menu's line, then the walk-through's bar).
        self.progress_shown: tuple[int, int] | None = None

    def refresh(self) -> None:
        """Show what another window saved meanwhile."""
        self.vault.refresh()
        self.state = self.vault.read(PasswordsState)

    def current(self, account_id: str) -> AccountRecord | None:
        return self.state.find(account_id)

    # -- menu --------------------------------------------------------------------------------
    def run(self) -> None:
        self.screen.title(_("Passwords and accounts"))
        self.screen.say(
            _(
                "Most break-ins after a relationship ends are simple: the ex already knows a "
                "password, a security answer, or has the phone that gets the codes. This goes "
                "through your accounts, finds the ones your ex could get into, and helps you "
                "change them in the order that matters."
            )
        )
        # Nothing is about to happen yet (the menu comes next): each account's own caution is
        # said before its steps.
        self.screen.note(_(SAFETY_FIRST))
        try:
            self.menu()
        finally:
            self.session_passwords.clear()

    def menu(self) -> None:
        while True:
            self.refresh()
            summary = records.summary(self.state)
            self.screen.title(_("Your accounts: {summary}").format(summary=summary["line"]))
            self.progress_shown = (summary["rotated"], summary["accounts"])
            has_accounts = bool(self.state.accounts)
            options = [
                Option("add", _("Add accounts from a list"), "a"),
                Option("add_other", _("Add an account that is not on the list"), "o"),
                Option("import", _("Add accounts from a password-manager export (CSV)"), "i"),
                Option("words", _("Words your ex knows (to spot guessable passwords)"), "w"),
            ]
            if has_accounts:
                options += [
                    Option("check", _("Answer a few questions about an account"), "c"),
                    Option("walk", _("Change passwords, most important first"), "g"),
                    Option("order", _("See the order and why"), "s"),
                    Option("manage", _("Rename, merge or remove an account"), "r"),
                ]
            if any(a.kept for a in self.state.accounts):
                options.append(Option("kept", _("Show a password safetykit is keeping"), "k"))
            options.append(
                Option("leave", self.session.leave_label(_("everything is saved")), "q")
            )
            choice = self.ask.select(
                "passwords.menu", _("What would you like to do?"), options, self.suggested()
            )
            if choice == "leave":
                return
            self.refresh()  # what another window saved while this menu was on screen
            getattr(self, f"do_{choice}")()

    def suggested(self) -> str:
        if not self.state.accounts:
            return "add"
        if any(not a.answered and not a.rotated for a in self.state.accounts):
            return "check"
        return "walk" if any(not a.rotated for a in self.state.accounts) else "order"

    # -- inventory ---------------------------------------------------------------------------
    def do_add(self) -> None:
        kinds = records.kinds_by_category(
            [k for k in load_accounts() if k.id != "other" and not self.state.has_kind(k.id)]
        )
        picked = self.ask.multiselect(
            "passwords.add", _("Which of these do you have?"),
            [Option(k.id, k.label) for k in kinds],
        )
        added = [AccountRecord.new(account_kind(kind_id).name, kind_id) for kind_id in picked]
        if not added:
            return
        self.state = add_accounts(self.vault, added)
        self.screen.say(
            ngettext("Added {count} account.", "Added {count} accounts.", len(added)).format(
                count=len(added)
            )
        )
        self.carry_on()

    def do_add_other(self) -> None:
        label = self.ask.text(
            "passwords.add_other", _("What is it called? (Enter to go back)")
        ).strip()
        if not label:
            return
        kind = records.guess_kind(label)
        self.state = add_accounts(self.vault, [AccountRecord.new(label, kind)])
        if kind == "other":
            self.screen.say(_("Added {account}.").format(account=label))
        else:
            self.screen.say(
                _(
                    "Added {account}, as: {kind}. If that is wrong, change it with 'Rename, "
                    "merge or remove an account'."
                ).format(account=label, kind=account_kind(kind).name)
            )
        self.carry_on()

    def do_words(self) -> None:
        self.screen.say(
            _(
                "Passwords built from things your ex knows are the easiest for them to guess. "
                "Write a few here: they stay encrypted on this computer and are only used to "
                "warn you."
            )
        )
        for word_group in known_word_groups():
            group = word_group.id
            current = self.state.known_words.get(group, [])
            hint = (
                _("{question} (separate with commas; Enter to keep it)")
                if current
                else _("{question} (separate with commas; Enter to skip)")
            )
            typed = self.ask.text(
                f"passwords.words.{group}",
                hint.format(question=word_group.prompt),
                ", ".join(current),
            )
            words = [w.strip() for w in typed.split(",") if w.strip()]
            self.state = set_known_words(self.vault, group, words)
        count = len(self.state.all_known_words())
        if count:
            self.screen.say(
                ngettext(
                    "Saved: {count} word. Passwords you check from now on are compared with it.",
                    "Saved: {count} words. Passwords you check from now on are compared with "
                    "them.",
                    count,
                ).format(count=count)
            )
        else:
            self.screen.say(_("Saved: no words for now. You can add some at any time."))
        from safetykit.flows.protection import warn_if_passphrase_is_known

        self.vault = warn_if_passphrase_is_known(self.session, self.vault, offer=True)

    # -- going on from one account to the next ------------------------------------------------
    def carry_on(self) -> None:
        """After adding or importing: the next account without answers, then the next account
        to change, in order, until the person stops."""
        while True:
            self.refresh()
            waiting = [
                record for record, _step in self.state.order()
                if not record.answered and not record.rotated
            ]
            if not waiting:
                break
            record = waiting[0]
            # An account with some answers is waiting too: "without answers" would not be true.
            self.screen.title(
                ngettext(
                    "Next: {account} (questions left for {count} account)",
                    "Next: {account} (questions left for {count} accounts)",
                    len(waiting),
                ).format(account=record.label, count=f"{len(waiting):,}")
            )
            choice = self.ask.select(
                "passwords.next",
                _("Answer a few questions about it?"),
                [Option("yes", _("Yes, go on"), "y"),
                 Option("skip", _("Not this one: change passwords instead"), "c"),
                 Option("menu", _("Back to the menu"), "b")],
                "yes",
            )
            if choice == "menu":
                return
            if choice == "skip":
                break
            self.check_account(record)
        self.do_walk()

    # -- per-account questions and checks -----------------------------------------------------
    def pick_account(self, qid: str, message: str, only: list[AccountRecord] | None = None) -> (
        AccountRecord | None
    ):
        candidates = only if only is not None else [r for r, _step in self.state.order()]
        options = [Option(a.id, self.account_line(a)) for a in candidates]
        # TRANSLATORS: a menu choice: go back to where you were.
        options.append(Option("_back", _("Back"), "b"))
        chosen = self.ask.select(qid, message, options)
        return None if chosen == "_back" else self.state.find(chosen)

    def account_line(self, record: AccountRecord) -> str:
        kind = record.kind_or_other()
        notes = []
        if not record.label.casefold().startswith(kind.name.casefold()):
            # A sort of service is a common noun ("phone carrier"); one service keeps its name.
            notes.append(_("other account") if kind.id == "other" else (
                kind.name.lower() if kind.generic else kind.name
            ))
        if record.rotated:
            # TRANSLATORS: {date} is ISO, 2026-11-24.
            notes.append(_("changed {date}").format(date=record.rotated))
        elif record.answered:
            notes.append(_("answered"))
        elif record.answers:
            asked = records.questions_for(record)
            answered = sum(1 for name in asked if name in record.answers)
            notes.append(
                ngettext(
                    "{answered} of {total} answered", "{answered} of {total} answered", answered
                ).format(answered=answered, total=len(asked))
            )
        else:
            notes.append(_("no answers yet"))
        # TRANSLATORS: "Gmail: changed 2026-11-24" or "My bank: bank, no answers yet".
        return _("{account}: {notes}").format(account=record.label, notes=", ".join(notes))

    def do_check(self) -> None:
        record = self.pick_account("passwords.check.account", _("Which account?"))
        if record is not None:
            self.check_account(record)

    def check_account(self, record: AccountRecord) -> None:
        self.screen.title(record.label)
        answers = dict(record.answers)
        for question in account_questions():
            field = question.id
            if question.only_if_yes is not None and answers.get(question.only_if_yes) is not True:
                if field in answers:
                    answers.pop(field)
                    self.state = forget_answer(self.vault, record.id, field)
                continue
            choice = self.ask.select(
                f"passwords.q.{field}", question.text,
                [Option(o.value, _(o.label), o.key) for o in YES_NO_UNSURE],
                FROM_BOOL.get(answers.get(field), "unsure") if field in answers else None,
            )
            answers[field] = TO_BOOL[choice]
            self.state = set_answer(self.vault, record.id, field, answers[field])
        if self.ask.confirm(
            "passwords.check.password",
            _(
                "Check its current password now? It is checked on this computer and never "
                "stored."
            ),
            default=False,
        ):
            self.check_password(record)

    def check_password(self, record: AccountRecord) -> None:
        from safetykit.passwords.reuse import reuse_counts
        from safetykit.passwords.strength import assess

        password = self.ask.secret(
            "passwords.check.secret",
            _("Current password for {account}").format(account=record.label),
        )
        if not password:
            return
        self.session_passwords[record.id] = password
        strength = assess(password, self.state.all_known_words())
        ids = list(self.session_passwords)
        counts = dict(zip(ids, reuse_counts([self.session_passwords[i] for i in ids]), strict=True))
        same = [i for i in ids if i != record.id and self.session_passwords[i] == password]
        breached = self.breach_count(password)
        del password
        labels = [found.label for i in same if (found := self.state.find(i)) is not None]
        self.state = set_signals(self.vault, record.id, {
            "score": strength.score,
            "weak": strength.weak,
            "known_words": list(strength.known_words),
            "reused": counts[record.id],
            "reused_with": labels,
            "breached": breached,
            "famous": strength.famous,
            "checked": datetime.date.today().isoformat(),
        })
        lines = [
            _("Strength: {score} out of 4 (weak)").format(score=strength.score)
            if strength.weak
            else _("Strength: {score} out of 4").format(score=strength.score)
        ]
        if breached:
            lines.append(
                ngettext(
                    "It has appeared {count} time in data breaches: attackers try it first.",
                    "It has appeared {count} times in data breaches: attackers try it first.",
                    breached,
                ).format(count=f"{breached:,}")
            )
        elif breached == 0:
            lines.append(_("It was not found in known data breaches."))
        if strength.known_words:
            lines.append(
                _("It contains words your ex knows: {words}.").format(
                    words=", ".join(strength.known_words)
                )
            )
        if labels:
            lines.append(
                _("You typed the same password for {accounts}.").format(accounts=", ".join(labels))
            )
        lines.extend(strength.feedback)
        self.screen.box(_("What the check found"), lines)

    def breach_count(self, password: str) -> int | None:
        """Times seen in breaches (online, only if the person agrees), or None if not checked."""
        if self.online is None:
            self.online = self.ask.confirm(
                "passwords.online",
                _(
                    "Also check passwords against known data breaches online? Only the first 5 "
                    "characters of a scrambled fingerprint of each password leave this computer."
                ),
                default=False,
            )
        if not self.online:
            return None
        from safetykit.flows.password_commands import pwned_api_url
        from safetykit.passwords.pwned_api import PwnedApiClient, PwnedApiError
        from safetykit.passwords.pwned_file import sha1_hex

        try:
            return PwnedApiClient(pwned_api_url()).count(sha1_hex(password))
        except PwnedApiError as exc:
            # TRANSLATORS: {problem} is why the online check failed, a sentence or two.
            message = _("{problem} The other checks still count.").format(problem=exc.message)
            self.screen.say(message)
            self.online = False
            return None

    # -- importing an export -----------------------------------------------------------------
    def do_import(self) -> None:
        from safetykit.errors import BadInputError
        from safetykit.flows.password_commands import audit_export, import_logins
        from safetykit.passwords.importers import UnknownLayoutError, skipped_phrase

        typed = self.ask.text(
            "passwords.import.path",
            _("Where is the export file? (Enter to go back)"),
        ).strip()
        if not typed:
            return
        path = Path(typed).expanduser()
        product: str | None = None
        while True:
            try:
                audit = audit_export(path, self.state.all_known_words(), product=product)
                break
            except UnknownLayoutError as exc:
                if product is not None:
                    self.screen.say(exc.message)
                    return
                product = self.ask_product()
                if product is None:
                    from safetykit.passwords.importers import SUPPORTED

                    self.screen.say(
                        _("Nothing was added. Exports that work: {products}.").format(
                            products=_(SUPPORTED)
                        )
                    )
                    return
            except BadInputError as exc:
                self.screen.say(exc.message)
                if exc.hint:
                    self.screen.say(exc.hint)
                return
        if audit.result.lossy:
            self.screen.note(_(LOSSY_NOTE))
        outcome = import_logins(self.vault, audit)
        self.screen.say(outcome.sentence())
        skipped = skipped_phrase(audit.result)
        if skipped:
            self.screen.say(skipped[0].upper() + skipped[1:] + ".")
        self.screen.say(
            _(
                "That file holds every password in plain text: anyone who opens this computer "
                "could read them all."
            ),
            style="yellow",
        )
        if self.ask.confirm(
            "passwords.import.delete", _("Delete {path} now?").format(path=path), default=True
        ):
            try:
                path.unlink()
                self.screen.say(
                    _(
                        "Deleted. If a copy was ever in a synced folder or another place, delete "
                        "that too."
                    )
                )
            except OSError as exc:
                self.screen.say(
                    _(
                        "It could not be deleted ({reason}). Please delete it yourself, then "
                        "empty the bin or trash if it goes there."
                    ).format(reason=exc.strerror)
                )
        self.carry_on()

    def ask_product(self) -> str | None:
        """Which product wrote a file safetykit could not recognise (no header row)."""
        chosen = self.ask.select(
            "passwords.import.product",
            _("safetykit could not tell which product made this file. Which one was it?"),
            [Option("keeper", "Keeper", "k"), Option("enpass", "Enpass", "e"),
             Option("dashlane", _("Dashlane (an older export)"), "d"),
             Option("1password7", _("1Password 7 (without column names)"), "1"),
             Option("_back", _("Something else: back to the menu"), "b")],
        )
        return None if chosen == "_back" else chosen

    # -- rename, merge, remove -----------------------------------------------------------------
    def do_manage(self) -> None:
        record = self.pick_account("passwords.manage.account", _("Which account?"))
        if record is None:
            return
        action = self.ask.select(
            "passwords.manage.action",
            _("What should happen to {account}?").format(account=record.label),
            [Option("rename", _("Rename it"), "r"),
             Option("kind", _("Change what kind of account it is"), "k"),
             Option("merge", _("It is the same account as another one: merge them"), "m"),
             Option("remove", _("Remove it from the list"), "x"),
             Option("back", _("Back"), "b")],
        )
        if action == "rename":
            name = self.ask.text(
                "passwords.manage.name", _("New name (Enter to keep it)"), record.label
            ).strip()
            if name and name != record.label:
                self.state = change_account(
                    self.vault, record.id, lambda r: setattr(r, "label", name[:120])
                )
                self.screen.say(_("Renamed to {name}.").format(name=name))
        elif action == "kind":
            self.change_kind(record)
        elif action == "merge":
            others = [r for r in self.state.accounts if r.id != record.id]
            other = self.pick_account(
                "passwords.manage.merge",
                _("Which account is the same as {account}?").format(account=record.label),
                others,
            )
            if other is not None:
                self.state = merge_accounts(self.vault, record.id, other.id)
                self.screen.say(
                    _("Merged: {other} is now part of {account}.").format(
                        other=other.label, account=record.label
                    )
                )
        elif action == "remove" and self.ask.confirm(
            "passwords.manage.remove",
            _("Remove {account}? What you answered about it is forgotten too.").format(
                account=record.label
            ),
            default=False,
        ):
            from safetykit.flows.password_commands import remove_account

            remove_account(self.vault, record.id)
            self.refresh()
            self.screen.say(_("Removed {account}.").format(account=record.label))

    def change_kind(self, record: AccountRecord) -> None:
        kinds = records.kinds_by_category(list(load_accounts()))
        current = record.kind_or_other()
        now = current.label if current.id == "other" else current.name
        chosen = self.ask.select(
            "passwords.manage.kind",
            _("What kind of account is {account}? (Now: {kind}.)").format(
                account=record.label, kind=now
            ),
            [*(Option(k.id, k.label) for k in kinds), Option("_back", _("Back"), "b")],
            record.kind,
        )
        if chosen == "_back":
            return
        self.state = change_account(self.vault, record.id, lambda r: setattr(r, "kind", chosen))
        self.screen.say(
            _("{account} is now listed as: {kind}.").format(
                account=record.label, kind=account_kind(chosen).name
            )
        )

    # -- order and walk-through ---------------------------------------------------------------
    def do_order(self) -> None:
        from safetykit.flows.password_commands import order_lines

        self.screen.bullets(order_lines(self.state), numbered=True)

    def progress(self) -> tuple[int, int]:
        """(changed, total) accounts."""
        return sum(1 for a in self.state.accounts if a.rotated), len(self.state.accounts)

    def progress_bar(self) -> str:
        done, total = self.progress()
        width = 20
        filled = round(width * done / total) if total else 0
        bar = f"[{'#' * filled}{'-' * (width - filled)}]"
        # TRANSLATORS: {bar} is a progress bar such as [#####---------------].
        return ngettext(
            "{bar} {done} of {total} account changed",
            "{bar} {done} of {total} accounts changed",
            total,
        ).format(bar=bar, done=done, total=f"{total:,}")

    def do_walk(self) -> None:
        for record, step in self.state.order():
            if record.rotated:
                continue
            kind = record.kind_or_other()
            if self.progress() != self.progress_shown:  # not what the screen just said
                self.screen.title(self.progress_bar())
                self.progress_shown = self.progress()
            self.screen.title(_("Next: {account}").format(account=record.label))
            self.screen.say(step.reason)
            if kind.caution:
                self.screen.caution(kind.caution)
            self.screen.box(
                _("How to do it"), [f"{n}. {s}" for n, s in enumerate(kind.steps, 1)]
            )
            for line in checklist_pointers(kind):
                self.screen.say(line)
            while True:
                choice = self.ask.select(
                    f"passwords.walk.{record.id}", _("Where are you with this one?"),
                    [
                        Option("new", _("Make me a new password"), "m"),
                        Option("done", _("I have changed it"), "d"),
                        Option("skip", _("Skip it for now"), "s"),
                        Option("back", _("Back to the menu"), "b"),
                    ],
                )
                if choice == "new":
                    self.offer_new_password(record, kind)
                    continue
                if choice == "done":
                    self.state = mark_rotated(self.vault, record.id, datetime.date.today())
                    self.screen.say(_("Well done."))
                if choice == "back":
                    return
                break
        if self.state.accounts and all(a.rotated for a in self.state.accounts):
            self.screen.say(
                _("Every account on your list has a new password. That is a lot of work.")
            )

    def offer_new_password(self, record: AccountRecord, kind: AccountKind) -> None:
        from safetykit.passwords.generate import passphrase, password, pin

        styles = [Option("passphrase", _("Six random words (easy to type, very strong)"), "w"),
                  Option("password", _("20 random characters (for a password manager)"), "c")]
        if kind.pin:
            styles.append(Option("pin", _("A number PIN (for an account PIN or passcode)"), "n"))
        style = self.ask.select("passwords.new.style", _("What kind?"), styles)
        if style == "pin":
            length = self.ask.select(
                "passwords.new.pin_length", _("How many digits does it need?"),
                [
                    Option(str(n), ngettext("{count} digit", "{count} digits", n).format(count=n),
                           str(n))
                    for n in PIN_LENGTHS
                ],
                "6",
            )
            made = pin(int(length))
        else:
            made = passphrase() if style == "passphrase" else password()
        options = [
            Option("show", _("Show it on screen now"), "s"),
            Option("keep", _("Keep it in safetykit, encrypted with your data, for later"), "k"),
        ]
        offer_keyring = self.vault.protection == "passphrase" and keys.keyring_info().usable
        if offer_keyring:
            self.screen.say(
                _(
                    "safetykit can keep it with your data, which only your passphrase opens. It "
                    "can also keep it in this computer's keyring instead, where anyone who can "
                    "log in to this computer as you could read it."
                )
            )
            options.append(Option("keyring", _("Keep it in this computer's keyring"), "r"))
        options.append(
            Option(
                "drop",
                _("Neither: I will make my own")
                if len(options) == 2
                else _("None of these: I will make my own"),
                "n",
            )
        )
        where = self.ask.select("passwords.new.where", _("What should happen to it?"), options)
        if where == "show":
            self.show_secret(
                _("Your new password (make sure nobody is looking)"), made.secret, record.label
            )
        elif where in ("keep", "keyring"):
            place = "vault" if where == "keep" else "keyring"
            self.state = keep_made_password(self.vault, record.id, made.secret, place)
            self.screen.say(
                _("Kept. Move it into a password manager soon, then tell safetykit to forget it.")
            )
            if self.ask.confirm("passwords.new.show", _("Show it now as well?"), default=False):
                self.show_secret(
                    _("Your new password (make sure nobody is looking)"), made.secret, record.label
                )
            else:
                self.screen.say(
                    _("You can see it later: 'Show a password safetykit is keeping'.")
                )

    def show_secret(self, heading: str, secret: str, account: str) -> None:
        """Show a password until the person has it, then clear the screen and its scrollback.

        On a line of its own, never boxed or wrapped by safetykit, so it reads and copies whole at
        any width.
        """
        self.screen.say(heading)
        self.screen.secret_line(secret)
        self.ask.select(
            "passwords.secret.seen",
            _("When you have it, the screen will be cleared."),
            [Option("seen", _("I have it: clear the screen"), "c")],
        )
        self.session.clear_screen()
        self.progress_shown = None
        self.screen.title(_("Passwords and accounts: {account}").format(account=account))
        self.screen.say(_("The screen was cleared, so the password is no longer shown."))

    def do_kept(self) -> None:
        record = self.pick_account(
            "passwords.kept.account", _("Which one?"), [a for a in self.state.accounts if a.kept]
        )
        if record is None:
            return
        secret = kept_password(self.vault, record)
        if secret is None:
            self.screen.say(_("That password is no longer there."))
        else:
            self.show_secret(
                _("{account} (make sure nobody is looking)").format(account=record.label),
                secret,
                record.label,
            )
        if self.ask.confirm(
            "passwords.kept.forget", _("Is it safely in your password manager now? Forget it here?")
        ):
            self.state = forget_made_password(self.vault, record)
            self.screen.say(_("Forgotten: safetykit no longer keeps it."))


def checklist_pointers(kind: AccountKind) -> list[str]:
    """Where the checklist goes further for this kind of account (new accounts an ex makes to
    get round a block), one line per item that applies where the person is."""
    if not kind.checklist:
        return []
    from safetykit.content._validate import NotInContentError
    from safetykit.content.checklist import load_checklist

    checklist = load_checklist()
    lines = []
    for item_id in kind.checklist:
        try:
            item = checklist.item(item_id)
        except NotInContentError:  # not an item where the person is
            continue
        lines.append(
            # TRANSLATORS: {section} and {item} are the checklist's own titles, as "Social media"
            # and "When they message you from new accounts".
            _("More in the checklist ('safetykit checklist'), under {section}: \u201c{item}\u201d.")
            .format(section=checklist.section(item.section).title, item=item.title)
        )
    return lines


def run_passwords(session: Session) -> None:
    vault = open_or_create(session)
    if vault is None:
        session.screen.say(_("Nothing was stored. You can come back at any time."))
        return
    PasswordsFlow(session, vault).run()

