"""Shared fixtures: a small tree, a real git repo in a temp folder, a clean environment."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MINI_TREE = FIXTURES / "mini.toml"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    """No inherited clock, colour, theme or CI settings (tests that need CI set it themselves)."""
    for var in ("SOURCE_DATE_EPOCH", "NO_COLOR", "TEXTUAL_THEME", "GIT_DIR", "GIT_INDEX_FILE", "CI"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def mini_tree() -> Path:
    return MINI_TREE


def run_git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def other_repo(path: Path) -> Path:
    """An unrelated repo (another project, another root commit), as an attacker would copy files into."""
    path.mkdir()
    run_git(path, "init", "-q", "-b", "main")
    run_git(path, "config", "user.email", "mallory@example.com")
    run_git(path, "config", "user.name", "Mallory")
    (path / "README").write_text("another project\n")
    run_git(path, "add", ".")
    run_git(path, "commit", "-q", "-m", "other root")
    return path


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


def write_answers(path: Path, tree: str | Path, answers: dict[str, str], **meta) -> Path:
    """Write an answers file (TOML) for tests."""
    import tomli_w

    doc = {"tree": str(tree), "component": "billing-api", "reviewers": ["alice@example.com"],
           "paths": ["src"], "reviewed_at": "2026-11-29T10:00:00Z"}
    doc.update(meta)
    doc = {k: v for k, v in doc.items() if v is not None}
    doc["answers"] = answers
    path.write_text(tomli_w.dumps(doc))
    return path


GO_ANSWERS = {"stage": "production", "origin": "managed", "expiry": "yes"}
