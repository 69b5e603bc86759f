"""Running scenarios: exact mode, every scenario run after a bad one, each problem with its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers.repo import MINI_TREE
from wizard.infra.errors import AuthreadyError
from wizard.policy.scenarios import (
    load_scenarios,
    read_scenarios,
    run_scenarios,
    scenario_line,
    scenarios_for,
    top_key_line,
)
from wizard.policy.tree import load_tree_file

GO = 'answers = { stage = "production", origin = "managed", expiry = "yes" }'
PARTLY = 'answers = { stage = "production", origin = "managed", expiry = "partly" }'


def mini_with(tmp_path: Path, scenarios: str) -> Path:
    """A copy of the mini tree with the given scenarios file beside it; returns the tree's path."""
    tree = tmp_path / "mini.toml"
    shutil.copy(MINI_TREE, tree)
    (tmp_path / "mini.scenarios.toml").write_text(scenarios)
    return tree


def run(tmp_path: Path, scenarios: str, **kw):
    return run_scenarios(load_tree_file(mini_with(tmp_path, scenarios)), **kw)


# -- exact mode -----------------------------------------------------------------------------------------


def test_without_exact_an_empty_findings_list_asserts_nothing(tmp_path):
    [r] = run(tmp_path, f'tree = "mini"\n[[scenarios]]\nname = "a"\noutcome = "conditional"\nfindings = []\n{PARTLY}\n')
    assert r.ok and not r.exact


def test_exact_on_a_scenario_fails_an_unlisted_finding(tmp_path):
    text = f'tree = "mini"\n[[scenarios]]\nname = "a"\noutcome = "conditional"\nfindings = []\nexact = true\n{PARTLY}\n'
    [r] = run(tmp_path, text)
    assert r.exact and r.problems == ("finding 'no-rotation' was raised but is not in findings (exact)",)


def test_exact_at_the_top_applies_to_every_scenario_unless_one_opts_out(tmp_path):
    text = (f'tree = "mini"\nexact = true\n[[scenarios]]\nname = "strict"\noutcome = "conditional"\n{PARTLY}\n'
            f'[[scenarios]]\nname = "lax"\nexact = false\noutcome = "conditional"\n{PARTLY}\n')
    strict, lax = run(tmp_path, text)
    assert strict.problems == ("finding 'no-rotation' was raised but is not in findings (exact)",)
    assert lax.ok and not lax.exact


def test_exact_argument_forces_every_scenario(tmp_path):
    text = f'tree = "mini"\n[[scenarios]]\nname = "lax"\nexact = false\noutcome = "conditional"\n{PARTLY}\n'
    [r] = run(tmp_path, text, exact=True)
    assert r.exact and not r.ok


def test_exact_passes_when_the_findings_are_exactly_listed(tmp_path):
    text = f'tree = "mini"\nexact = true\n[[scenarios]]\nname = "a"\noutcome = "conditional"\nfindings = ["no-rotation"]\n{PARTLY}\n'
    assert [r.ok for r in run(tmp_path, text)] == [True]


def test_exact_does_not_report_an_absent_finding_twice(tmp_path):
    text = f'tree = "mini"\nexact = true\n[[scenarios]]\nname = "a"\noutcome = "conditional"\nabsent = ["no-rotation"]\n{PARTLY}\n'
    [r] = run(tmp_path, text)
    assert r.problems == ("finding 'no-rotation' was raised but must not be",)


def test_shipped_scenarios_pass_in_exact_mode():
    from wizard.policy.tree import resolve_tree

    assert [r.name for r in run_scenarios(resolve_tree(None), exact=True) if not r.ok] == []


# -- every scenario runs; problems name their line --------------------------------------------------------

BAD = """tree = "mini"

[[scenarios]]
name = "typo in a choice"
outcome = "go"
[scenarios.answers]
stage = "production"
origin = "manged"
expiry = "yes"

[[scenarios]]
name = "fine"
outcome = "go"
answers = { stage = "production", origin = "managed", expiry = "yes" }

[[scenarios]]
name = "typo in a question and a finding"
outcome = "no-go"
findings = ["no-rotaton"]
answers = { stage = "production", "origni" = "invented", expiry = "yes" }

[[scenarios]]
name = "unknown stop"
unanswered = "orign"
answers = { stage = "production" }
"""


def test_a_bad_scenario_fails_alone_with_its_name_and_lines(tmp_path):
    results = run(tmp_path, BAD)
    assert [(r.name, r.line, r.ok) for r in results] == [
        ("typo in a choice", 3, False), ("fine", 11, True), ("typo in a question and a finding", 16, False),
        ("unknown stop", 22, False),
    ]
    typo, _, both, stop = results
    assert [(i.line, i.message) for i in typo.issues] == [
        (8, "unknown choice 'manged' for question 'origin' (valid: managed, invented); did you mean 'managed'?"),
    ]
    assert typo.verdict is None
    assert [(i.line, i.message) for i in both.issues] == [
        (20, "unknown question id 'origni' for tree 'mini'; did you mean 'origin'?"),
        (19, "unknown finding id 'no-rotaton' in findings; did you mean 'no-rotation'?"),
    ]
    assert [(i.line, i.message) for i in stop.issues] == [
        (24, "unknown question id 'orign' in unanswered; did you mean 'origin'?"),
        (None, "expected unanswered 'orign', walk stopped at 'origin'"),
    ]


def test_failing_expectations_keep_the_verdict(tmp_path):
    [r] = run(tmp_path, f'tree = "mini"\n[[scenarios]]\nname = "a"\noutcome = "go"\nfindings = ["invented-flow"]\n{PARTLY}\n')
    assert r.problems == ("expected GO, got GO WITH CONDITIONS", "expected finding 'invented-flow' was not raised")
    assert r.verdict is not None
    assert [(s.question.id, s.choice.id) for s in r.verdict.walk.steps] == [
        ("stage", "production"), ("origin", "managed"), ("expiry", "partly")]


def test_outcome_and_unanswered_together_is_a_problem(tmp_path):
    [r] = run(tmp_path, 'tree = "mini"\n[[scenarios]]\nname = "a"\noutcome = "go"\nunanswered = "origin"\n'
                        'answers = { stage = "production" }\n')
    assert r.problems == ("sets both outcome and unanswered; a scenario expects one of them",)


def test_neither_outcome_nor_unanswered_and_answers_off_the_path(tmp_path):
    [r] = run(tmp_path, 'tree = "mini"\n[[scenarios]]\nname = "a"\n'
                        'answers = { stage = "prototype", "proto-creds" = "no", origin = "managed" }\n')
    assert r.problems == ("scenario sets neither outcome nor unanswered", "answers off the path: origin")


# -- a malformed file is refused whole: one line, file and line ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('tree = "mini"\n\n[[scenarios]]\nname = "a"\noutcome = "maybe"\nanswers = {}\n', 5,
         "scenario 'a': outcome: Input should be 'go', 'conditional', 'prototype' or 'no-go'"),
        ('tree = "mini"\n[[scenarios]]\nname = "a"\noutcome = "go"\n[scenarios.answers]\nstage = "x"\norigin = 1\n', 7,
         "scenario 'a': answers.origin: Value error, an answer is a choice id (a string), or for a select-all question a list of choice ids"),
        ('tree = "mini"\n[[scenarios]]\noutcome = "go"\nanswers = {}\n', 2, "scenario #1: name: Field required"),
        ('tree = "mini"\nexactly = true\n[[scenarios]]\nname = "a"\noutcome = "go"\nanswers = {}\n', 2,
         "exactly: Extra inputs are not permitted"),
        ('tree = "mini"\n[[scenarios]]\nname = "a"\nanswers = {}\nexact = "maybe"\noutcome = "good"\n', 6,
         "scenario 'a': outcome: Input should be 'go', 'conditional', 'prototype' or 'no-go' (and 1 more)"),
        ('tree = "mini"\n[[scenarios]]\nname = "a"\n[scenarios.answers\n', 4,
         "malformed TOML: Expected ']' at the end of a table declaration"),
        ('tree = "mini"\nscenarios = []\n', 2, "scenarios: List should have at least 1 item after validation, not 0"),
    ],
)
def test_malformed_file_is_one_error_with_its_line(tmp_path, text, line, message):
    p = tmp_path / "x.scenarios.toml"
    p.write_text(text)
    with pytest.raises(AuthreadyError) as err:
        load_scenarios(p)
    assert (err.value.line, err.value.message, err.value.exit_code) == (line, message, 2)


def test_scenarios_for_another_tree_names_the_tree_line(tmp_path):
    tree = mini_with(tmp_path, '# for another\ntree = "other"\n[[scenarios]]\nname = "a"\noutcome = "go"\nanswers = {}\n')
    with pytest.raises(AuthreadyError) as err:
        read_scenarios(load_tree_file(tree))
    assert str(err.value) == f"{tmp_path / 'mini.scenarios.toml'}:2: scenarios are for tree 'other', not 'mini'"


def test_a_schema_key_is_accepted(tmp_path):
    tree = mini_with(tmp_path, f'"$schema" = "./scenarios.schema.json"\ntree = "mini"\n[[scenarios]]\nname = "a"\noutcome = "go"\n{GO}\n')
    sf, _ = scenarios_for(load_tree_file(tree))
    assert sf.schema_ref == "./scenarios.schema.json"


def test_missing_file_says_how_to_make_one(tmp_path):
    tree = tmp_path / "mini.toml"
    shutil.copy(MINI_TREE, tree)
    with pytest.raises(AuthreadyError) as err:
        read_scenarios(load_tree_file(tree), hint=" or give one with --scenarios FILE")
    assert str(err.value) == (
        f"{tree}: no scenarios file beside the tree (expected mini.scenarios.toml); write one (format: "
        "docs/testing-trees.md; `authready tree new ID` starts a tree with one) or give one with --scenarios FILE")


# -- lines ---------------------------------------------------------------------------------------------------


def test_lines_of_keys_in_each_style():
    text = (
        'tree = "t"\n'                                        # 1
        "[[scenarios]]\n"                                     # 2
        'name = "table"\n'                                    # 3
        "[scenarios.answers]\n"                               # 4
        'name = "x"\n'                                        # 5  a question called "name"
        '"proto-creds" = "no"\n'                              # 6
        "[[ scenarios ]]  # dotted\n"                         # 7
        'answers.stage = "p"\n'                               # 8
        "[[scenarios]]\n"                                     # 9
        'answers = { stage = "p", "proto-creds" = "y" }\n'    # 10
    )
    assert top_key_line(text, "tree") == 1 and top_key_line(text, "exact") is None
    assert scenario_line(text, 0) == 2
    assert scenario_line(text, 0, ("name",)) == 3
    assert scenario_line(text, 0, ("answers", "name")) == 5
    assert scenario_line(text, 0, ("answers", "proto-creds")) == 6
    assert scenario_line(text, 0, ("answers",)) == 4
    assert scenario_line(text, 0, ("outcome",)) == 2  # not there: the header
    assert scenario_line(text, 1, ("answers", "stage")) == 8
    assert scenario_line(text, 2, ("answers", "proto-creds")) == 10
    assert scenario_line(text, 3) is None


def test_exact_holds_on_the_partial_path_of_an_unanswered_scenario(tmp_path):
    text = ('tree = "mini"\n[[scenarios]]\nname = "a"\nexact = true\nunanswered = "expiry"\n'
            'answers = { stage = "production", origin = "invented" }\n')
    [r] = run(tmp_path, text)
    assert r.problems == ("finding 'invented-flow' was raised but is not in findings (exact)",)
