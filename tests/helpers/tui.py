"""Constants and a screen reader for the Textual tests (not a test module)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.repo import MINI_TREE  # noqa: F401  (re-exported for the snapshot tests)

REVIEWED_AT = "2026-11-29T10:00:00Z"
SIZE = (80, 24)
SHIPPED_TREE = Path(__file__).resolve().parents[2] / "decision_trees" / "generated-auth-code.toml"


def screen_text(app) -> str:
    """The visible screen as plain text (what a user reads), rendered the way screenshots are."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)
