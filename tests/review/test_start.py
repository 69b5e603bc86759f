"""The start fields' rules (wizard.review.start): one place for every front-end and review --answers."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers.repo import run_git
from wizard.infra.workspace import Meta
from wizard.review.start import (
    component_problem,
    paths_problem,
    reviewers_problem,
    split_list,
    start_problems,
)

TOKEN = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z"


def test_split_list():
    assert split_list("a, b ,,c") == ["a", "b", "c"]
    assert split_list("  ") == []


def test_component():
    assert component_problem("billing-api") is None
    assert component_problem("  ") == "give the name of the component under review"
    problem = component_problem(f"billing {TOKEN}")
    assert problem is not None and "component looks like it contains a GitHub token" in problem
    assert TOKEN not in problem


def test_reviewers_must_be_principals():
    """'Alice Smith' cannot sign: refused at the start field, not at the verdict."""
    assert reviewers_problem(["alice@example.com", " bob@example.com "]) is None
    assert reviewers_problem([]) == "name at least one reviewer (e.g. alice@example.com)"
    assert reviewers_problem(["", " "]) == "name at least one reviewer (e.g. alice@example.com)"
    problem = reviewers_problem(["alice@example.com", "Alice Smith"])
    assert problem is not None and problem.startswith("'Alice Smith' cannot sign; use the principal")
    for bad in ("*@example.com", 'a"b', "a'b", "who?"):
        assert reviewers_problem([bad]) is not None, bad
    problem = reviewers_problem([TOKEN])
    assert problem is not None and "reviewer 1 looks like it contains" in problem and TOKEN not in problem


def test_principal_rule_is_the_models():
    """start.py keeps its own copy of the regex (no pydantic before the first prompt); it is the model's."""
    from wizard.attestation.model import PRINCIPAL
    from wizard.review import start

    assert start.PRINCIPAL == PRINCIPAL


def test_paths_in_git(git_repo):
    assert paths_problem(["src", "./src/"], git_repo, True) is None
    assert paths_problem(["."], git_repo, True) is None
    assert paths_problem([], git_repo, True) == "name at least one subject path (relative to the repo root; '.' for all)"
    assert paths_problem(["nope"], git_repo, True) == f"'nope' does not exist under {git_repo}"
    assert "without '..'" in (paths_problem(["../x"], git_repo, True) or "")
    assert "where attestations live" in (paths_problem([".authready/x"], git_repo, True) or "")
    (git_repo / "new").mkdir()
    (git_repo / "new" / "x.py").write_text("x = 1\n")
    assert "'new' exists but is not in the last commit" in (paths_problem(["new"], git_repo, True) or "")
    os.symlink("src", git_repo / "link")
    run_git(git_repo, "add", "link")
    run_git(git_repo, "commit", "-qm", "link")
    assert "is a symlink" in (paths_problem(["link"], git_repo, True) or "")


def test_paths_outside_git(tmp_path):
    (tmp_path / "src").mkdir()
    assert paths_problem([], tmp_path, False) is None  # cannot be saved anyway: a warning says so
    assert paths_problem(["src"], tmp_path, False) is None
    assert paths_problem(["nope"], tmp_path, False) == f"'nope' does not exist under {tmp_path}"


def test_paths_before_the_first_commit(tmp_path):
    run_git(tmp_path, "init", "-q")
    (tmp_path / "src").mkdir()
    assert "no commit yet" in (paths_problem(["src"], tmp_path, True) or "")


def test_start_problems(git_repo):
    assert start_problems(Meta("billing", ["alice@example.com"], ["src"]), git_repo, True) == {}
    problems = start_problems(Meta("", ["Alice Smith"], ["nope"]), git_repo, True)
    assert sorted(problems) == ["component", "paths", "reviewers"]


def test_importing_start_loads_no_pydantic():
    code = "import sys, wizard.review.start, wizard.review.drafts; print('pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("reviewer", ["Alice Smith", "alice@example.com, bob"])
def test_answers_file_uses_the_same_rule(git_repo, tmp_path, capsys, reviewer):
    from tests.helpers.repo import GO_ANSWERS, in_repo, write_answers
    from wizard.cli.main import main

    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), GO_ANSWERS, reviewers=[reviewer])
    assert main(["review", "--answers", str(a), "--out", str(tmp_path / "o.toml")]) == 2
    err = capsys.readouterr().err
    assert f"reviewers: {reviewer!r} cannot sign" in err and str(a) in err
