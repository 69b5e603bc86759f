"""Shared fixtures: a small tree, a real git repo in a temp folder, a clean environment.

Helpers that tests import live in ``tests/helpers/`` (plain modules); this file holds fixtures only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.repo import MINI_TREE, run_git
from tests.helpers.signing import Signed, make_signed


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """No inherited clock, colour, theme or CI settings (tests that need CI set it themselves)."""
    for var in ("SOURCE_DATE_EPOCH", "NO_COLOR", "TEXTUAL_THEME", "GIT_DIR", "GIT_INDEX_FILE", "CI"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def mini_tree() -> Path:
    return MINI_TREE


@pytest.fixture
def git_repo(tmp_path, monkeypatch) -> Path:
    """A real git repo with one commit (src/auth.py), cwd set to it, isolated from the user's config."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    repo = tmp_path / "repo"
    repo.mkdir()
    run_git(repo, "init", "-q", "-b", "main")
    run_git(repo, "config", "user.email", "alice@example.com")
    run_git(repo, "config", "user.name", "Alice")
    run_git(repo, "config", "commit.gpgsign", "false")
    (repo / "src").mkdir()
    (repo / "src" / "auth.py").write_text("def login():\n    return None\n")
    run_git(repo, "add", ".")
    run_git(repo, "commit", "-q", "-m", "init")
    monkeypatch.chdir(repo)
    return repo


@pytest.fixture
def signed(git_repo, tmp_path) -> Signed:
    """A repo with allowed signers, a repo-local mini tree and a GO attestation signed by alice and bob."""
    return make_signed(git_repo, tmp_path)
