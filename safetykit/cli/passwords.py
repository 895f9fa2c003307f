"""``safetykit passwords``: not built yet; it says so plainly."""

from __future__ import annotations

import typer

from safetykit.errors import SafetykitError

app = typer.Typer(help="Not available yet.", invoke_without_command=True)


@app.callback()
def passwords(ctx: typer.Context) -> None:
    """Not available yet."""
    raise SafetykitError(
        "'safetykit passwords' is not available in this version yet.",
        hint="'safetykit status' shows what is stored.",
    )
