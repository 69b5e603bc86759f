"""Test helpers for real git repos and answers files (imported by tests; not a test module)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project root
FIXTURES = ROOT / "tests" / "fixtures"
MINI_TREE = FIXTURES / "mini.toml"
GO_ANSWERS = {"stage": "production", "origin": "managed", "expiry": "yes"}


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


def in_repo(repo: Path, tree: str | Path = MINI_TREE) -> str | Path:
    """``tree`` as a review may use it in ``repo``: a file outside the repo is copied to ``policy/<name>`` and
    committed, since review refuses a tree the gate could never find again. Ids and paths inside pass through."""
    import shutil

    path = Path(tree)
    if not str(tree).endswith(".toml") or not path.is_absolute() or path.resolve().is_relative_to(repo.resolve()):
        return tree
    dest = repo / "policy" / path.name
    if not dest.exists():
        dest.parent.mkdir(exist_ok=True)
        shutil.copy(path, dest)
        run_git(repo, "add", "--", f"policy/{path.name}")
        run_git(repo, "commit", "-q", "-m", f"policy tree {path.name}")
    return dest
