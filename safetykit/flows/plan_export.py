"""The plan as a file: the document and the format. ``export_plan`` is the one operation, used
by ``safetykit plan export`` (``export_command``) and the questionnaire's "save my plan to a
file"; where the file goes follows the rules in ``safetykit.flows.exporting``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from safetykit.content.checklist import load_checklist
from safetykit.content.plan import load_plan
from safetykit.content.resources import urgent_resources
from safetykit.core.plan import PlanDocument, answers_in, build_document
from safetykit.core.tech_summary import tech_summary
from safetykit.errors import BadInputError, UsageError
from safetykit.flows.access import open_existing
from safetykit.flows.exporting import settle_destination, write_to
from safetykit.flows.protection import required_pdf_password
from safetykit.flows.session import Session
from safetykit.i18n import _

FORMATS = ("md", "html", "pdf")


def plan_answers(state: Mapping[str, Any] | None) -> dict[str, Any]:
    """The plan's answers in a saved state (what is happening comes from the checklist)."""
    return answers_in(load_plan(), state) if state else {}


def build_plan(state: Mapping[str, Any] | None, *, blank: bool = False) -> PlanDocument:
    """The plan document from what is stored (or a blank plan)."""
    content = load_plan()
    answers = {} if blank else plan_answers(state)
    summary = None if blank or not state else tech_summary(load_checklist(), state)
    return build_document(
        content,
        answers,
        urgent_resources(),
        tech_summary=summary,
        title=content.default_title,
        created=datetime.date.today(),
    )


def render(doc: PlanDocument, fmt: str, password: str | None = None) -> bytes:
    if fmt == "md":
        from safetykit.render.markdown import render_markdown

        return render_markdown(doc).encode("utf-8")
    if fmt == "html":
        from safetykit.render.html import render_html

        return render_html(doc).encode("utf-8")
    if fmt == "pdf":
        from safetykit.render.pdf import render_pdf

        return render_pdf(doc, password)
    raise UsageError(
        _("'{format}' is not a format. Use one of: {formats}.").format(
            format=fmt, formats=", ".join(FORMATS)
        )
    )


def default_path(fmt: str, folder: Path | None = None) -> Path:
    from safetykit.render.destinations import default_filename

    return (folder or Path.cwd()) / default_filename(fmt, datetime.date.today())


def export_plan(
    state: Mapping[str, Any] | None,
    fmt: str,
    password: str | None = None,
    *,
    blank: bool = False,
) -> bytes:
    """The plan (or a blank one) as the bytes of a file in ``fmt``."""
    return render(build_plan(state, blank=blank), fmt, password)


def export_command(
    session: Session,
    *,
    fmt: str,
    output: Path | None,
    protect: bool,
    blank: bool,
    allow_shared: bool,
    force: bool,
) -> None:
    """``safetykit plan export``: Markdown to the screen, or a file in any format.

    The destination is checked first, before anything is unlocked or a password asked.
    """
    if protect and fmt != "pdf":
        raise BadInputError(_("Only a PDF can be protected with a password."))
    from safetykit.flows.region import note_if_no_place

    note_if_no_place(session)
    dest = None
    if output is not None or fmt != "md":
        path = output.expanduser() if output else default_path(fmt)
        dest = settle_destination(session, path, fmt, allow_shared=allow_shared, force=force)
        if dest is None:
            return
    vault = None if blank else open_existing(session)
    state = vault.state if vault else None
    if dest is None:
        session.screen.write(export_plan(state, "md", blank=blank).decode("utf-8"))
        return
    password = required_pdf_password(session, vault, "plan.export.password") if protect else None
    write_to(dest, export_plan(state, fmt, password, blank=blank))
    session.screen.say(_("Written to {path} (readable only by you).").format(path=dest.path))
    if fmt == "pdf":
        session.screen.say(
            _(
                "With a screen reader, the web page is easier to find your way in: the PDF "
                "does not mark its headings and lists. 'safetykit plan export --format html' "
                "writes one."
            )
        )
