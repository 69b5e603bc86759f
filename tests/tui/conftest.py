"""TUI test setup: deterministic apps (fixed clock, size, theme; no cursor blink) on a temp git repo."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MINI_TREE
from wizard.tree import load_tree_file
from wizard.tui.app import LearnApp, ReviewApp

REVIEWED_AT = "2026-11-29T10:00:00Z"
SIZE = (80, 24)
SHIPPED_TREE = Path(__file__).resolve().parents[2] / "decision_trees" / "generated-auth-code.toml"


@pytest.fixture(autouse=True)
def _deterministic(monkeypatch):
    """No blinking cursors, no inherited theme or colour setting (the root conftest clears the env)."""
    monkeypatch.setattr(ReviewApp, "input_cursor_blink", False)
    monkeypatch.setattr(LearnApp, "input_cursor_blink", False, raising=False)


@pytest.fixture
def mini():
    return load_tree_file(MINI_TREE)


@pytest.fixture
def make_app(git_repo, mini):
    """Build a ReviewApp on the temp repo; keyword arguments override the defaults."""

    def make(**kw) -> ReviewApp:
        kw.setdefault("tree", mini)
        kw.setdefault("root", git_repo)
        kw.setdefault("in_git", True)
        kw.setdefault("reviewed_at", REVIEWED_AT)
        return ReviewApp(**kw)

    return make


def screen_text(app) -> str:
    """The visible screen as plain text (what a user reads), rendered the way screenshots are."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)
