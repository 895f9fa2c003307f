"""Writing the plan to a file: the document, the format, where it goes, and a PDF password.

``export_plan`` is the one operation, used by ``safetykit plan export`` (``export_command``) and
by the questionnaire's "save my plan to a file".
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from safetykit.content.checklist import load_checklist
from safetykit.content.plan import load_plan
from safetykit.content.resources import urgent_resources
from safetykit.core.plan import PlanDocument, build_document
from safetykit.core.tech_summary import tech_summary
from safetykit.errors import BadInputError, NotATerminalError, UsageError
from safetykit.flows.access import choose_passphrase, open_existing
from safetykit.flows.session import Session

FORMATS = ("md", "html", "pdf")


def plan_answers(state: Mapping[str, Any] | None) -> dict[str, Any]:
    if not state:
        return {}
    plan = state.get("plan")
    answers = plan.get("answers") if isinstance(plan, Mapping) else None
    return dict(answers) if isinstance(answers, Mapping) else {}


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
    raise UsageError(f"'{fmt}' is not a format. Use one of: {', '.join(FORMATS)}.")


def default_path(fmt: str, folder: Path | None = None) -> Path:
    from safetykit.render.destinations import default_filename

    return (folder or Path.cwd()) / default_filename(fmt, datetime.date.today())


def synced_service(path: Path) -> str | None:
    from safetykit.render.destinations import is_cloud_synced

    return is_cloud_synced(path)


def write(path: Path, data: bytes) -> None:
    from safetykit.render.destinations import write_private

    write_private(path, data)


def synced_warning(path: Path, service: str) -> str:
    from safetykit.render.destinations import SHARED_FOLDER

    if service == SHARED_FOLDER:
        return (
            f"{path} is in a folder shared by everyone on this computer, where others could "
            "read or remove it."
        )
    return (
        f"{path} is inside {service}. Files there are copied to your other devices and to "
        "the website, which your ex may still be able to reach."
    )


def export_plan(
    state: Mapping[str, Any] | None,
    fmt: str,
    path: Path,
    password: str | None = None,
    *,
    blank: bool = False,
) -> None:
    """Write the plan (or a blank one) to ``path`` in ``fmt``, readable only by this user."""
    write(path, render(build_plan(state, blank=blank), fmt, password))


def export_command(
    session: Session,
    *,
    fmt: str,
    output: Path | None,
    protect: bool,
    blank: bool,
    allow_synced: bool,
) -> None:
    """``safetykit plan export``: Markdown to the screen, or a file in any format."""
    if protect and fmt != "pdf":
        raise BadInputError("Only a PDF can be protected with a password.")
    vault = None if blank else open_existing(session)
    state = vault.state if vault else None
    if output is None and fmt == "md":
        session.screen.write(render(build_plan(state, blank=blank), "md").decode("utf-8"))
        return
    path = output.expanduser() if output else default_path(fmt)
    service = synced_service(path)
    if service is not None and not allow_synced:
        warning = synced_warning(path, service)
        if not session.can_ask:
            raise BadInputError(warning, hint="Choose another --output, or add --allow-synced.")
        session.warn.caution(warning)
        if not session.prompter.confirm("plan.export.synced", "Save it there anyway?"):
            session.warn.say("Nothing was written. Choose another place with --output.")
            return
    password = None
    if protect:
        password = choose_passphrase(
            session, session.warn, qid="plan.export.password", what="password for the PDF"
        )
        if not password:
            raise NotATerminalError(
                "--protect needs a password: type it in a terminal, or give it as one "
                "line on standard input."
            )
    export_plan(state, fmt, path, password, blank=blank)
    session.screen.say(f"Written to {path} (readable only by you).")
