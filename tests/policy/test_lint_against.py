"""``tree lint --against OLD`` gates the version bump; OLD may be ``REV:PATH``, as committed."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers.repo import MINI_TREE, run_git
from wizard.cli.main import main
from wizard.infra.errors import EXIT_OK, EXIT_USAGE


@pytest.fixture
def policy(git_repo):
    (git_repo / "policy").mkdir()
    shutil.copy(MINI_TREE, git_repo / "policy" / "mini.toml")
    run_git(git_repo, "add", ".")
    run_git(git_repo, "commit", "-q", "-m", "policy 1.2.0")
    return git_repo / "policy" / "mini.toml"


def edit(path, old, new):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_a_severity_raised_under_a_minor_bump_fails_against_the_base_branch(policy, capsys):
    edit(policy, 'severity = "warning"', 'severity = "blocker"')
    edit(policy, 'version = "1.2.0"', 'version = "1.3.0"')
    assert main(["tree", "lint", "policy/mini.toml", "--against", "main:policy/mini.toml"]) == EXIT_USAGE
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("policy/mini.toml: ok (")
    assert lines[1].startswith("policy/mini.toml: version 1.2.0 → 1.3.0 is a minor bump, but the changes need a major bump: finding ")
    assert err == "1 problem(s) in policy/mini.toml\n"


def test_a_major_bump_passes(policy, capsys):
    edit(policy, 'severity = "warning"', 'severity = "blocker"')
    edit(policy, 'version = "1.2.0"', 'version = "2.0.0"')
    assert main(["tree", "lint", "policy/mini.toml", "--against", "main:policy/mini.toml"]) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[-1].startswith("policy/mini.toml: ok (")


def test_tree_diff_reads_the_old_tree_from_a_revision(policy, capsys):
    edit(policy, 'version = "1.2.0"', 'version = "1.2.1"')
    assert main(["tree", "diff", "main:policy/mini.toml", "policy/mini.toml"]) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[0] == "mini 1.2.0 (main:policy/mini.toml) → mini 1.2.1 (policy/mini.toml)"


@pytest.mark.parametrize("against, message", [
    ("nope:policy/mini.toml", "'nope' is not a commit in this repo (in 'nope:policy/mini.toml'); give a branch, tag or commit"),
    ("main:policy/gone.toml", "'policy/gone.toml' is not a file at main (paths after ':' start at the repo root)"),
    ("main:../x.toml", "'../x.toml' in 'main:../x.toml' must be a plain path from the repo root (no '..', no leading '/')"),
])
def test_a_bad_revision_or_path_is_one_line(policy, capsys, against, message):
    assert main(["tree", "lint", "policy/mini.toml", "--against", against]) == EXIT_USAGE
    assert capsys.readouterr().err.strip().splitlines()[-1] == f"authready: {message}"


def test_against_takes_one_tree(policy, capsys):
    assert main(["tree", "lint", "policy/mini.toml", str(MINI_TREE), "--against", "main:policy/mini.toml"]) == EXIT_USAGE
    assert capsys.readouterr().err.strip() == "authready: --against compares one tree with its old version; give one tree"
