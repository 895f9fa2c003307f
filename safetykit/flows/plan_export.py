"""Writing the plan to a file: the document, the format, where it goes, and a PDF password.

Shared by ``safetykit plan export`` and the questionnaire's "save my plan to a file".
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
from safetykit.errors import UsageError

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
