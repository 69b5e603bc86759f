"""One rule for tree paths: in a file, from the repo root; on the command line, from the working folder.

An answers file's ``tree = "policy/x.toml"`` means the same file wherever the answers file sits
and wherever the command runs (like its ``paths`` and an attestation's ``policy.source``), and
``--tree`` may not silently judge the answers by a tree other than the one the file names.
"""

from __future__ import annotations

import shutil

import pytest

from tests.helpers.repo import GO_ANSWERS, MINI_TREE, write_answers
from wizard.cli.main import main
from wizard.infra.errors import EXIT_OK, EXIT_USAGE


@pytest.fixture
def policy_repo(git_repo):
    (git_repo / "policy").mkdir()
    shutil.copy(MINI_TREE, git_repo / "policy" / "mini.toml")
    (git_repo / "reviews" / "billing").mkdir(parents=True)
    return git_repo


def test_a_tree_path_in_an_answers_file_starts_at_the_repo_root(policy_repo, monkeypatch, capsys):
    answers = write_answers(policy_repo / "reviews" / "billing" / "answers.toml", "policy/mini.toml", GO_ANSWERS)
    for cwd in (policy_repo, policy_repo / "reviews", policy_repo / "src"):
        monkeypatch.chdir(cwd)
        assert main(["evaluate", str(answers)]) == EXIT_OK, capsys.readouterr().err
        assert "Verdict: GO" in capsys.readouterr().out


def test_a_tree_path_beside_the_answers_file_is_not_found_from_the_root(policy_repo, capsys):
    answers = write_answers(policy_repo / "policy" / "answers.toml", "mini.toml", GO_ANSWERS)
    assert main(["evaluate", str(answers)]) == EXIT_USAGE
    assert capsys.readouterr().err.strip() == f"authready: {policy_repo / 'mini.toml'}: no such file"


def test_tree_flag_that_names_another_tree_than_the_file_is_an_error(policy_repo, capsys):
    other = policy_repo / "policy" / "other.toml"
    other.write_text(MINI_TREE.read_text().replace('version = "1.2.0"', 'version = "1.3.0"', 1))
    answers = write_answers(policy_repo / "answers.toml", "policy/mini.toml", GO_ANSWERS)
    assert main(["evaluate", str(answers), "--tree", "policy/other.toml"]) == EXIT_USAGE
    err = capsys.readouterr().err.strip()
    assert err == (
        f"authready: {answers}: --tree policy/other.toml and the file's tree 'policy/mini.toml' name different "
        "trees (mini v1.3.0 vs mini v1.2.0); drop --tree or change the file's tree"
    )


def test_tree_flag_naming_the_same_tree_or_a_file_without_tree_is_fine(policy_repo, capsys):
    named = write_answers(policy_repo / "named.toml", "policy/mini.toml", GO_ANSWERS)
    assert main(["evaluate", str(named), "--tree", str(policy_repo / "policy" / "mini.toml")]) == EXIT_OK
    unnamed = write_answers(policy_repo / "unnamed.toml", "x", GO_ANSWERS)
    unnamed.write_text("\n".join(ln for ln in unnamed.read_text().splitlines() if not ln.startswith("tree =")) + "\n")
    assert main(["evaluate", str(unnamed), "--tree", "policy/mini.toml"]) == EXIT_OK
    assert capsys.readouterr().out.count("Verdict: GO") == 2
