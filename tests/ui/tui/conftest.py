"""TUI test setup: deterministic apps (fixed clock, size, theme; no cursor blink) on a temp git repo."""

from __future__ import annotations

import pytest

from tests.helpers.repo import MINI_TREE, in_repo
from tests.helpers.tui import MULTI_TREE, REVIEWED_AT, SHIPPED_TREE
from wizard.policy.tree import load_tree_file
from wizard.ui.tui.app import ReviewApp
from wizard.ui.tui.learn_app import LearnApp


@pytest.fixture(autouse=True)
def _deterministic(monkeypatch):
    """No blinking cursors, no inherited theme or colour setting (the root conftest clears the env)."""
    monkeypatch.setattr(ReviewApp, "input_cursor_blink", False)
    monkeypatch.setattr(LearnApp, "input_cursor_blink", False, raising=False)


@pytest.fixture
def mini(git_repo):
    """The mini tree, committed in the temp repo (a review refuses a tree the gate could not find later)."""
    return load_tree_file(in_repo(git_repo, MINI_TREE))


@pytest.fixture
def multi(git_repo):
    """The select-all tree (tests/fixtures/multi.toml), committed in the temp repo."""
    return load_tree_file(in_repo(git_repo, MULTI_TREE))


@pytest.fixture
def shipped():
    """The shipped policy (skips where the checkout has none)."""
    if not SHIPPED_TREE.is_file():
        pytest.skip("shipped tree not present")
    return load_tree_file(SHIPPED_TREE)


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
