"""One git runner: every git process starts in ``wizard.infra.git``, and every failure is one ``GitError`` line."""

from __future__ import annotations

import re

import pytest

from tests.helpers.repo import ROOT, run_git
from wizard.infra import git as gitinfo
from wizard.infra.errors import GitError


def test_no_other_module_starts_git():
    """The gate's hardening (names on stdin, never arguments) and the error handling live in one place."""
    starts = re.compile(r"""\[\s*["']git["']\s*,""")
    found = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "wizard").rglob("*.py"))
        if path.name != "git.py" and starts.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_missing_git_is_one_line(git_repo, tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(GitError, match="git is not installed"):
        gitinfo.run(["status"], git_repo)
    with pytest.raises(GitError, match="git is not installed"):  # even where a failure would be an answer
        gitinfo.git(["config", "--get", "user.signingkey"], git_repo, check=False)


def test_not_a_repo_and_missing_folder_name_the_folder(tmp_path):
    with pytest.raises(GitError) as exc:
        gitinfo.run(["rev-parse", "HEAD"], tmp_path)
    assert str(exc.value) == f"{tmp_path}: not inside a git repo; run this in a clone of the repo"
    with pytest.raises(GitError, match="no such folder"):
        gitinfo.run(["status"], tmp_path / "gone")
    assert gitinfo.repo_root(tmp_path) is None


def test_a_failure_is_git_s_last_line(git_repo):
    with pytest.raises(GitError) as exc:
        gitinfo.run(["--literal-pathspecs", "cat-file", "-t", "0" * 40], git_repo)
    msg = str(exc.value)
    assert msg.startswith("git cat-file failed: ") and "\n" not in msg
    assert gitinfo.git(["config", "--get", "no.such-key"], git_repo, check=False) is None


def test_blob_at_reads_files_only_and_never_takes_a_name_as_an_argument(git_repo):
    (git_repo / "-n").write_text("dash\n")
    (git_repo / "big").write_text("x" * 100)
    run_git(git_repo, "add", ".")
    run_git(git_repo, "commit", "-qm", "more")
    head = run_git(git_repo, "rev-parse", "HEAD")
    assert gitinfo.blob_at(git_repo, head, "src/auth.py") == (git_repo / "src" / "auth.py").read_bytes()
    assert gitinfo.blob_at(git_repo, head, "-n") == b"dash\n"
    assert gitinfo.blob_at(git_repo, head, "src") is None  # a folder is not a file
    assert gitinfo.blob_at(git_repo, head, "big", limit=99) is None
    assert gitinfo.blob_at(git_repo, head, "nope") is None
    assert gitinfo.blob_at(git_repo, head, "src/auth.py\nsrc") is None
    assert gitinfo.blob_at(git_repo, "HEAD..HEAD~1", "src/auth.py") is None  # no range syntax


def test_object_types(git_repo):
    head = run_git(git_repo, "rev-parse", "HEAD")
    tree = run_git(git_repo, "rev-parse", "HEAD:src")
    blob = run_git(git_repo, "rev-parse", "HEAD:src/auth.py")
    assert gitinfo.object_types(git_repo, [tree, blob, head, "f" * 40, "not-an-id"]) == {tree: "tree", blob: "blob"}
