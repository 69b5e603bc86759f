"""Inputs a careless or hostile contributor might leave: each gets one clear line, nothing is written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests.helpers.repo import GO_ANSWERS, MINI_TREE, in_repo, run_git, write_answers
from wizard.infra import git as gitinfo
from wizard.cli.main import main


def one_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    return err


def test_a_file_named_like_a_tree_id_does_not_replace_the_shipped_tree(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    shutil.copy(MINI_TREE, tmp_path / "generated-auth-code")
    assert main(["tree", "lint"]) == 0
    assert "decision_trees/generated-auth-code.toml: ok" in capsys.readouterr().out
    (tmp_path / "generated-auth-code").unlink()
    (tmp_path / "generated-auth-code").mkdir()
    assert main(["tree", "lint", "generated-auth-code"]) == 0


def test_deeply_nested_toml_is_one_line(tmp_path, capsys):
    p = tmp_path / "deep.toml"
    p.write_text("x = " + "[" * 100_000)
    assert main(["evaluate", str(p)]) == 2
    assert "nested too deeply" in one_line(capsys)
    assert main(["tree", "lint", str(p)]) == 2
    one_line(capsys)


def test_unwritable_out_is_one_line(git_repo, tmp_path, capsys):
    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), GO_ANSWERS)
    (tmp_path / "file").write_text("x")
    assert main(["review", "--answers", str(a), "--out", str(tmp_path / "file" / "x.toml")]) == 2
    assert "cannot write" in one_line(capsys)
    assert main(["review", "--answers", str(a), "--out", "/proc/authready-x.toml"]) == 2
    one_line(capsys)


def test_far_future_review_date_is_one_line(git_repo, tmp_path, capsys, monkeypatch):
    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), GO_ANSWERS, reviewed_at="9999-12-31T00:00:00Z")
    assert main(["evaluate", str(a)]) == 2
    assert "too far in the future" in one_line(capsys)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300000")
    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), GO_ANSWERS, reviewed_at=None)
    assert main(["review", "--answers", str(a), "--out", str(tmp_path / "o.toml")]) == 2
    one_line(capsys)
    assert not (tmp_path / "o.toml").exists()


def test_a_label_that_disagrees_with_the_outcome_is_rejected(git_repo, tmp_path, capsys):
    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), {**GO_ANSWERS, "origin": "invented"})
    assert main(["review", "--answers", str(a), "--out", str(tmp_path / "att.toml")]) == 0
    att = tmp_path / "att.toml"
    att.write_text(att.read_text().replace('label = "NO-GO"', 'label = "GO\\n1 attestation(s): 1 passed"'))
    capsys.readouterr()
    assert main(["evaluate", str(att)]) == 2
    assert "does not match outcome 'no-go'" in one_line(capsys)


def test_reviewers_must_be_signable_principals(git_repo, tmp_path, capsys):
    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), GO_ANSWERS, reviewers=["Alice Smith <alice@example.com>"])
    assert main(["review", "--answers", str(a), "--out", str(tmp_path / "o.toml")]) == 2
    assert "cannot sign" in one_line(capsys)


def test_an_attestation_that_binds_no_code_is_not_written(git_repo, tmp_path, capsys):
    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), GO_ANSWERS, paths=[])
    assert main(["evaluate", str(a)]) == 0  # judging needs no binding
    capsys.readouterr()
    assert main(["review", "--answers", str(a), "--out", str(tmp_path / "o.toml")]) == 2
    assert "name at least one subject path" in one_line(capsys)
    assert not (tmp_path / "o.toml").exists()


def test_outside_git_nothing_is_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    a = write_answers(tmp_path / "a.toml", MINI_TREE, GO_ANSWERS, paths=[])
    assert main(["review", "--answers", str(a), "--out", str(tmp_path / "o.toml")]) == 2
    assert "not inside a git repo" in one_line(capsys)


def test_merging_another_history_does_not_change_the_repo_identity(git_repo, tmp_path):
    before = gitinfo.root_commit(git_repo)
    other = tmp_path / "other"
    other.mkdir()
    run_git(other, "init", "-q", "-b", "main")
    (other / "f").write_text("other")
    run_git(other, "add", ".")
    run_git(other, "-c", "user.email=m@example.com", "-c", "user.name=M", "commit", "-qm", "other root")
    run_git(git_repo, "fetch", "-q", str(other), "main")
    run_git(git_repo, "merge", "-q", "-s", "ours", "--allow-unrelated-histories", "-m", "m", "FETCH_HEAD")
    assert len(run_git(git_repo, "rev-list", "--max-parents=0", "HEAD").split()) == 2
    assert gitinfo.root_commit(git_repo) == before


def test_missing_git_is_named(git_repo, tmp_path):
    """With no git on PATH, review says so in one line (the interpreter itself is not moved: a venv
    python started through a copied symlink would lose its site-packages)."""
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), GO_ANSWERS)
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "review", "--answers", str(a), "--out", str(tmp_path / "o.toml")],
        capture_output=True, text=True, env={**os.environ, "PATH": str(empty_bin)}, cwd=git_repo,
    )
    assert proc.returncode == 2, proc.stderr
    assert "git is not installed" in proc.stderr and "Traceback" not in proc.stderr


def test_remote_password_with_at_sign_is_stripped():
    assert gitinfo.clean_remote("https://u:p@ss@git.example.com/a/b.git") == "https://git.example.com/a/b"
    assert gitinfo.clean_remote("git@github.com:acme/shop.git") == "git@github.com:acme/shop"
