"""Coverage: which choices, findings, ends and outcomes the scenarios exercise, and the gate's figure."""

from __future__ import annotations

import shutil

import pytest

from tests.helpers.repo import MINI_TREE
from wizard.policy.scenarios import run_scenarios
from wizard.policy.scenarios_coverage import Coverage, Part, coverage
from wizard.policy.tree import load_tree_file, resolve_tree

TWO = """tree = "mini"
[[scenarios]]
name = "no rotation"
outcome = "conditional"
answers = { stage = "production", origin = "managed", expiry = "partly" }
[[scenarios]]
name = "stops at the prototype question"
unanswered = "proto-creds"
answers = { stage = "prototype" }
[[scenarios]]
name = "a typo walks nothing"
outcome = "no-go"
answers = { stage = "production", origin = "invnted", expiry = "yes" }
"""


def measure(tmp_path, scenarios: str) -> Coverage:
    shutil.copy(MINI_TREE, tree := tmp_path / "mini.toml")
    (tmp_path / "mini.scenarios.toml").write_text(scenarios)
    loaded = load_tree_file(tree)
    return coverage(loaded.tree, run_scenarios(loaded))


def test_coverage_counts_walked_paths_only(tmp_path):
    cov = measure(tmp_path, TWO)
    assert cov.choices.covered == ("stage → prototype", "stage → production", "origin → managed", "expiry → partly")
    assert cov.choices.missing == ("proto-creds → no", "proto-creds → yes", "origin → invented", "expiry → yes",
                                   "expiry → dont-know")
    assert (len(cov.choices.total), round(cov.choices.percent, 1)) == (9, 44.4)
    assert cov.findings.covered == ("no-rotation",) and cov.findings.percent == 25.0
    assert cov.ends.covered == ("end-production",) and cov.ends.missing == ("end-prototype",)
    assert cov.outcomes.covered == ("conditional",)
    assert cov.outcomes.missing == ("go", "prototype", "no-go")
    assert cov.gate_percent == 25.0  # the lower of choices and findings


@pytest.mark.parametrize(("minimum", "meets"), [(0, True), (25, True), (25.1, False), (100, False)])
def test_the_gate_compares_the_lower_figure(tmp_path, minimum, meets):
    assert measure(tmp_path, TWO).meets(minimum) is meets


def test_a_tree_without_findings_has_full_finding_coverage():
    assert Part((), ()).percent == 100.0


def test_the_shipped_scenarios_cover_everything():
    loaded = resolve_tree(None)
    cov = coverage(loaded.tree, run_scenarios(loaded))
    assert (cov.choices.missing, cov.findings.missing, cov.ends.missing, cov.outcomes.missing) == ((), (), (), ())
    assert cov.gate_percent == 100.0


def test_every_selected_answer_of_a_select_all_question_counts_as_taken(tmp_path):
    """Coverage of a select-all question counts each selected answer, not only the first."""
    import shutil

    from tests.helpers.repo import FIXTURES
    from wizard.policy.scenarios import run_scenarios
    from wizard.policy.scenarios_coverage import coverage
    from wizard.policy.tree import load_tree_file

    tree = tmp_path / "multi.toml"
    shutil.copy(FIXTURES / "multi.toml", tree)
    (tmp_path / "multi.scenarios.toml").write_text(
        'tree = "multi"\n[[scenarios]]\nname = "two kinds"\noutcome = "conditional"\n'
        '[scenarios.answers]\nstage = "production"\ndata = ["customer", "special"]\nclients = "machines"\n')
    loaded = load_tree_file(tree)
    cov = coverage(loaded.tree, run_scenarios(loaded))
    assert "data → customer" not in cov.choices.missing and "data → special" not in cov.choices.missing
    assert "data → payments" in cov.choices.missing
