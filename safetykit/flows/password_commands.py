"""``passwords check``, ``import``, ``report`` and ``remove``: the scriptable side of passwords.

``audit_export`` is the one operation for checking an export file and ``import_logins`` the one
for adding its logins as accounts, used by these commands and by the walk-through alike, so the
same file gives the same findings and counts everywhere.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safetykit.errors import UsageError
from safetykit.flows.access import open_existing, open_for_script
from safetykit.flows.session import Session
from safetykit.i18n import N_, _, ngettext
from safetykit.passwords.check import AuditRow, PwnedLookup, audit_entries
from safetykit.passwords.importers import (
    ImportResult,
    UnknownLayoutError,
    describe,
    read_export,
    skipped_phrase,
)
from safetykit.passwords.records import (
    AccountRecord,
    PasswordsState,
    record_from_audit,
    report_rows,
)
from safetykit.passwords.sites import friendly_label
from safetykit.storage.vault import Vault

EXPORT_WARNING = N_(
    "That export file holds every password in plain text: anyone who opens this computer "
    "could read them all."
)
LOSSY_NOTE = N_(
    "This file was saved again by a spreadsheet, which replaced letters it could not keep: "
    "some passwords are checked as they are in this copy, which may not be what your "
    "accounts use."
)


def accounts_phrase(count: int) -> str:
    """"1 account", "1,234 accounts", in the language in use."""
    return ngettext("{count} account", "{count} accounts", count).format(count=f"{count:,}")


@dataclass(frozen=True)
class ExportAudit:
    result: ImportResult
    rows: list[AuditRow]

    @property
    def layout_label(self) -> str:
        """The product's name, for a person to read."""
        return _(self.result.layout_label)

    @property
    def needing_attention(self) -> int:
        return sum(1 for row in self.rows if row.needs_attention)

    @property
    def logins(self) -> int:
        """Every login in the file (a login listed twice for one account counts twice)."""
        return len(self.result.entries)

    def headline(self) -> str:
        """ "12 logins from a Bitwarden export; 3 need attention; 4 other items skipped (…)" """
        logins = ngettext("{count} login", "{count} logins", self.logins).format(
            count=f"{self.logins:,}"
        )
        if len(self.rows) < self.logins:
            # TRANSLATORS: "12 logins (10 accounts)"
            logins = _("{logins} ({accounts})").format(
                logins=logins, accounts=accounts_phrase(len(self.rows))
            )
        # TRANSLATORS: "12 logins from a Bitwarden export"
        found = _("{logins} from a {product} export").format(
            logins=logins, product=self.layout_label
        )
        count = self.needing_attention
        parts = [
            found,
            ngettext("{count} needs attention", "{count} need attention", count).format(
                count=f"{count:,}"
            ),
        ]
        skipped = skipped_phrase(self.result)
        if skipped:
            parts.append(skipped)
        return "; ".join(parts)


def audit_export(
    path: Path,
    known_words: Sequence[str],
    pwned: PwnedLookup | None = None,
    product: str | None = None,
) -> ExportAudit:
    """Read a password-manager or browser export and audit every login in memory."""
    result = read_export(path, product)
    return ExportAudit(result, audit_entries(result.entries, known_words, pwned))


def pwned_api_url() -> str:
    from safetykit.passwords.pwned_api import DEFAULT_BASE_URL

    return os.environ.get("SAFETYKIT_PWNED_API_URL") or DEFAULT_BASE_URL


def _audit_with_options(
    session: Session,
    csv: Path,
    known: Sequence[str],
    *,
    pwned_file: Path | None,
    online: bool,
    product: str | None,
) -> ExportAudit:
    try:
        return _audit_checked(session, csv, known, pwned_file=pwned_file, online=online,
                              product=product)
    except UnknownLayoutError as exc:
        if product is not None:
            raise
        raise UnknownLayoutError(
            exc.message,
            hint=_(
                "{hint} If the file has no header row, name the product it came from, for "
                "example --product keeper."
            ).format(hint=exc.hint),
        ) from None


def _audit_checked(
    session: Session,
    csv: Path,
    known: Sequence[str],
    *,
    pwned_file: Path | None,
    online: bool,
    product: str | None,
) -> ExportAudit:
    if pwned_file is not None:
        from safetykit.passwords.pwned_file import PwnedFile

        with PwnedFile(pwned_file) as pwned:
            return audit_export(csv, known, pwned.count, product)
    if online:
        from safetykit.passwords.pwned_api import PwnedApiClient

        client = PwnedApiClient(pwned_api_url())
        session.warn.say(_("Checking passwords online; only short fingerprints are sent."))
        return audit_export(csv, known, client.count, product)
    return audit_export(csv, known, product=product)


def problems(row: AuditRow) -> list[str]:
    """Each finding for one login, labelled on its own, worst first (never the password)."""
    if row.score is None:
        return [_("no password saved")]
    found: list[str] = []
    if row.breached:
        found.append(
            ngettext(
                "breached: seen {count} time in data breaches",
                "breached: seen {count} times in data breaches",
                row.breached,
            ).format(count=f"{row.breached:,}")
        )
    if row.famous:
        found.append(
            _("well-known phrase: published as an example, so guessing tools try it first")
        )
    if row.known_words:
        found.append(
            _("guessable: built from words your ex knows ({words})").format(
                words=", ".join(row.known_words)
            )
        )
    if row.reused:
        found.append(
            _("reused: same password as {accounts}").format(accounts=", ".join(row.reused_with))
        )
    if row.easy_to_guess and not row.famous:
        found.append(_("weak: easy to guess"))
    return found


def check_command(
    session: Session,
    *,
    csv: Path,
    pwned_file: Path | None,
    online: bool,
    as_json: bool,
    product: str | None = None,
) -> None:
    """Audit an export file: weak, reused, breached, or built from words your ex knows."""
    vault = open_existing(session)
    known = vault.read(PasswordsState).all_known_words() if vault else []
    audit = _audit_with_options(
        session, csv, known, pwned_file=pwned_file, online=online, product=product
    )
    if audit.result.lossy:
        session.warn.note(_(LOSSY_NOTE))
    if as_json:
        session.screen.print_json([row.to_json() for row in audit.rows])
    else:
        _print_rows(session, audit)
    offer_to_delete(session, csv)


def _print_rows(session: Session, audit: ExportAudit) -> None:
    screen = session.screen
    screen.title(audit.headline())
    items = []
    for row in audit.rows:
        found = problems(row)
        name = friendly_label(row.title, row.url, row.username)
        if row.duplicates == 1:
            name = _("{account}, listed twice").format(account=name)
        elif row.duplicates:
            # TRANSLATORS: {count} is 3 or more.
            name = _("{account}, listed {count} times").format(
                account=name, count=row.duplicates + 1
            )
        if found:
            items.append(_("{account}: {findings}").format(account=name, findings="; ".join(found)))
        else:
            items.append(_("{account}: looks fine").format(account=name))
    screen.bullets(items)


def offer_to_delete(session: Session, path: Path) -> None:
    """Say that an export holds every password in plain text; in a terminal offer to delete it."""
    if not session.can_ask:
        session.warn.say(
            _(EXPORT_WARNING)
            + " "
            # Deleted by the person, it may go to the bin; deleted by safetykit, it does not.
            + _(
                "When you are done, delete {path}, then empty the bin or trash if it goes there."
            ).format(path=path)
        )
        return
    session.warn.say(_(EXPORT_WARNING))
    if session.prompter.confirm(
        "passwords.check.delete", _("Delete {path} now?").format(path=path), default=True
    ):
        try:
            path.unlink()
        except OSError as exc:
            session.warn.say(
                _(
                    "It could not be deleted ({reason}). Please delete it yourself, then empty "
                    "the bin or trash if it goes there."
                ).format(reason=exc.strerror)
            )
            return
        session.warn.say(
            _("Deleted. If a copy was ever in a synced folder or another place, delete that too.")
        )


# ── importing an export as accounts ───────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Imported:
    audit: ExportAudit
    added: list[AccountRecord]
    merged: list[AccountRecord]

    def sentence(self) -> str:
        added = accounts_phrase(len(self.added))
        product = self.audit.layout_label
        merged = len(self.merged)
        if merged:
            text = ngettext(
                "Added {accounts} from the {product} export and matched {count} to accounts you "
                "already had",
                "Added {accounts} from the {product} export and matched {count} to accounts you "
                "already had",
                merged,
            ).format(accounts=added, product=product, count=f"{merged:,}")
        else:
            text = _("Added {accounts} from the {product} export").format(
                accounts=added, product=product
            )
        count = self.audit.needing_attention
        attention = ngettext(
            "{count} has a password that needs attention",
            "{count} have a password that needs attention",
            count,
        ).format(count=f"{count:,}")
        # TRANSLATORS: {added} is "Added 12 accounts from the Bitwarden export"; {attention} is
        # "3 have a password that needs attention".
        return _("{added}; {attention}. The passwords themselves were not kept.").format(
            added=text, attention=attention
        )

    def to_json(self) -> dict[str, Any]:
        return {
            **describe(self.audit.result),
            "accounts_added": len(self.added),
            "accounts_merged": len(self.merged),
            "need_attention": self.audit.needing_attention,
            "accounts": [
                {"id": r.id, "label": r.label, "kind": r.kind}
                for r in [*self.added, *self.merged]
            ],
        }


def import_logins(vault: Vault, audit: ExportAudit) -> Imported:
    """Add the logins of an audited export as accounts, each merged with the account it already
    is (same sign-in and username): findings combined, nothing counted twice, no password kept."""
    today = datetime.date.today().isoformat()
    new = [record_from_audit(row, today) for row in audit.rows]
    added: list[AccountRecord] = []
    merged: list[AccountRecord] = []

    def change(state: PasswordsState) -> None:
        added.clear()
        merged.clear()
        for kept, was_merged in state.add_or_merge_all(new):
            (merged if was_merged else added).append(kept)

    vault.update(PasswordsState, change)
    unique_merged = list({r.id: r for r in merged if r.id not in {a.id for a in added}}.values())
    return Imported(audit, added, unique_merged)


def import_command(
    session: Session,
    *,
    csv: Path,
    pwned_file: Path | None,
    online: bool,
    as_json: bool,
    product: str | None = None,
) -> None:
    """``passwords import --csv FILE``: the logins of an export added as accounts."""
    vault = open_for_script(session)
    known = vault.read(PasswordsState).all_known_words()
    audit = _audit_with_options(
        session, csv, known, pwned_file=pwned_file, online=online, product=product
    )
    if audit.result.lossy:
        session.warn.note(_(LOSSY_NOTE))
    outcome = import_logins(vault, audit)
    if as_json:
        session.screen.print_json(outcome.to_json())
    else:
        session.screen.say(outcome.sentence())
        skipped = skipped_phrase(audit.result)
        if skipped:
            session.screen.say(skipped[0].upper() + skipped[1:] + ".")
    offer_to_delete(session, csv)


# ── report and remove ─────────────────────────────────────────────────────────────────────────


def report_command(session: Session, *, as_json: bool) -> None:
    """The accounts added, their risk, the order to change them in, and what is done."""
    vault = open_existing(session)
    state = vault.read(PasswordsState) if vault else PasswordsState()
    rows = report_rows(state)
    if as_json:
        session.screen.print_json(rows)
        return
    screen = session.screen
    if not rows:
        screen.say(_("No accounts yet. 'safetykit passwords' helps you add them."))
        return
    screen.title(_("Accounts, in the order to change them"))
    screen.bullets(order_lines(state), numbered=True)


def order_lines(state: PasswordsState) -> list[str]:
    """One line per account, in the order to change them: its name, risk (or when it was
    changed) and why."""
    from safetykit.passwords.records import RISK_WORDS

    lines = []
    for row in report_rows(state):
        state_word = (
            # TRANSLATORS: {date} is ISO, 2026-11-24.
            _("changed {date}").format(date=row["rotated"])
            if row["rotated"]
            else _(RISK_WORDS[row["risk"]])
        )
        # TRANSLATORS: "Gmail (high risk): Your ex may know this password, and …"
        line = _("{account} ({state}): {reason}").format(
            account=row["label"], state=state_word, reason=row["reason"]
        )
        lines.append(line)
    return lines


def remove_account(vault: Vault, account_id: str) -> AccountRecord | None:
    """Forget an account, and any password safetykit kept for it (in the vault or keyring)."""
    record = vault.read(PasswordsState).find(account_id)
    if record is None:
        return None
    if record.kept_in == "keyring":
        from safetykit.storage import keys

        keys.forget_secret(vault.header.vault_id, f"pw-{record.id}")
    vault.update(PasswordsState, lambda state: state.remove(account_id))
    return record


def remove_command(session: Session, *, account_id: str) -> None:
    """``passwords remove ID``: forget one account (ids are in ``passwords report --json``)."""
    removed = remove_account(open_for_script(session), account_id)
    if removed is None:
        raise UsageError(
            _("There is no account with the id {id}.").format(id=repr(account_id)),
            hint=_("'safetykit passwords report --json' lists every account with its id."),
        )
    session.screen.say(_("Removed {account}.").format(account=removed.label))
