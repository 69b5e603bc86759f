"""Headless commands never import a front-end library (checked in a fresh interpreter)."""

from __future__ import annotations

import pytest

from tests.helpers.imports import modules_after
from tests.helpers.repo import GO_ANSWERS, MINI_TREE, in_repo, write_answers


@pytest.mark.parametrize(
    "argv",
    [
        ["tree", "lint"],
        ["tree", "lint", str(MINI_TREE)],
        ["tree", "show", str(MINI_TREE), "--format", "mermaid"],
        ["tree", "test", str(MINI_TREE)],
        ["tree", "schema"],
        ["--help"],
    ],
)
def test_tree_commands_stay_headless(argv, tmp_path):
    assert modules_after(argv, tmp_path) == []


def test_evaluate_and_review_answers_stay_headless(git_repo, tmp_path):
    a = write_answers(tmp_path / "a.toml", in_repo(git_repo), GO_ANSWERS)
    assert modules_after(["evaluate", str(a), "--format", "markdown"], git_repo) == []
    assert modules_after(["review", "--answers", str(a), "--out", str(tmp_path / "o.toml")], git_repo) == []
    assert (tmp_path / "o.toml").exists()


def test_probe_can_see_a_front_end(tmp_path):
    """The probe itself works: a front-end imported along the way is reported."""
    assert modules_after(["tree", "schema"], tmp_path, pre="import questionary") == ["prompt_toolkit", "questionary"]
