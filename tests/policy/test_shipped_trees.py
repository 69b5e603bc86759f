"""Every shipped tree lints clean and passes its scenarios; the scenarios cover every branch."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.policy.engine import evaluate
from wizard.policy.lint import lint
from wizard.policy.scenarios import load_scenarios, run_scenarios, scenarios_path
from wizard.policy.tree import Outcome, load_tree_file
from wizard.infra.workspace import shipped_trees_dir

TREES = sorted(p for p in shipped_trees_dir().glob("*.toml") if not p.name.endswith(".scenarios.toml"))


def test_there_is_a_shipped_policy():
    assert [p.stem for p in TREES] == ["generated-auth-code"]


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.stem)
def test_lints_clean(path: Path):
    assert [str(p) for p in lint(load_tree_file(path))] == []


def _scenario_cases():
    for path in TREES:
        loaded = load_tree_file(path)
        for result in run_scenarios(loaded):
            yield pytest.param(result, id=f"{path.stem}: {result.name}")


@pytest.mark.parametrize("result", list(_scenario_cases()))
def test_scenario(result):
    assert result.ok, "; ".join(result.problems)


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.stem)
def test_scenarios_cover_every_choice_and_outcome(path: Path):
    loaded = load_tree_file(path)
    sf = load_scenarios(scenarios_path(path))
    assert len(sf.scenarios) >= 12
    taken: set[tuple[str, str]] = set()
    outcomes: set[Outcome] = set()
    for sc in sf.scenarios:
        v = evaluate(loaded.tree, sc.answers)
        taken |= {(s.question.id, c.id) for s in v.walk.steps for c in s.selected}
        if v.outcome:
            outcomes.add(v.outcome)
    every = {(q.id, c.id) for q in loaded.tree.questions for c in q.choices}
    assert sorted(every - taken) == []
    assert outcomes == set(Outcome)


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.stem)
def test_cites_corrected_identifiers_only(path: Path):
    """The brief lists citations commonly quoted wrong; none may appear."""
    text = path.read_text()
    for wrong in ("NHI-03", "NHI03", "PR.AC-4", "PR.AC-04", "ASVS V3", "ASVS 3.", "MAESTRO v"):
        assert wrong not in text, wrong
