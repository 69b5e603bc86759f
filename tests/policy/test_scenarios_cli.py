"""``authready tree test``: the failure report, the coverage report and gate, --scenarios, --exact, JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.repo import FIXTURES, MINI_TREE
from wizard.cli.main import main

SCENARIOS = """tree = "mini"

[[scenarios]]
name = "expects GO, gets a warning"
outcome = "go"
answers = { stage = "production", origin = "managed", expiry = "partly" }

[[scenarios]]
name = "typo"
outcome = "go"
answers = { stage = "production", origin = "managed", expiry = "yse" }

[[scenarios]]
name = "no-go listed as clean"
outcome = "no-go"
findings = []
answers = { stage = "production", origin = "invented", expiry = "yes" }

[[scenarios]]
name = "stops\\u001b[2J"
unanswered = "expiry"
answers = { stage = "production" }
"""

REPORT = """\
FAIL  expects GO, gets a warning  ({s}:3)
      expected GO, got GO WITH CONDITIONS
      path: stage → production, origin → managed, expiry → partly; end end-production
      raised: no-rotation (warning)
FAIL  typo  ({s}:8)
      line 11: unknown choice 'yse' for question 'expiry' (valid: yes, partly, dont-know); did you mean 'yes'?
PASS  no-go listed as clean
FAIL  stops\\x1b[2J  ({s}:19)
      expected unanswered 'expiry', walk stopped at 'origin'
      path: stage → production; unanswered origin
      raised: none
coverage:
  choices taken    5/9 (55.6%)
  findings raised  2/4 (50.0%)
  ends reached     1/2
  outcomes         2/4
not covered by any scenario:
  choice   stage → prototype
  choice   proto-creds → no
  choice   proto-creds → yes
  choice   expiry → dont-know
  finding  prod-creds-in-prototype
  finding  cannot-explain-expiry
  end      end-prototype
  outcome  go
  outcome  prototype
1 passed, 3 failed
"""


@pytest.fixture
def tree(tmp_path) -> Path:
    shutil.copy(MINI_TREE, tmp_path / "mini.toml")
    (tmp_path / "mini.scenarios.toml").write_text(SCENARIOS)
    return tmp_path / "mini.toml"


def tree_test(capsys, *argv: str) -> tuple[int, str]:
    rc = main(["tree", "test", *argv])
    return rc, capsys.readouterr().out


def test_failures_show_line_path_and_findings_and_every_scenario_runs(tree, capsys):
    rc, out = tree_test(capsys, str(tree))
    assert (rc, out) == (1, REPORT.format(s=tree.with_name("mini.scenarios.toml")))


def test_exact_flag_fails_a_no_go_path_listed_as_clean(tree, capsys):
    rc, out = tree_test(capsys, str(tree), "--exact")
    assert rc == 1
    assert "\nFAIL  no-go listed as clean  ({}:13)\n".format(tree.with_name("mini.scenarios.toml")) in out
    assert "      finding 'invented-flow' was raised but is not in findings (exact)\n" in out


def test_all_pass_with_full_coverage(capsys):
    rc, out = tree_test(capsys, str(MINI_TREE), "--min-coverage", "100")
    assert rc == 0
    assert out.splitlines()[-7:] == [
        "coverage:",
        "  choices taken    9/9 (100.0%)",
        "  findings raised  4/4 (100.0%)",
        "  ends reached     2/2",
        "  outcomes         4/4",
        "every choice, finding, end and outcome is covered",
        "7 passed, 0 failed",
    ]


def test_min_coverage_fails_when_the_lower_figure_is_below(tmp_path, capsys):
    shutil.copy(MINI_TREE, tmp_path / "mini.toml")
    (tmp_path / "few.toml").write_text(
        'tree = "mini"\n[[scenarios]]\nname = "go"\noutcome = "go"\n'
        'answers = { stage = "production", origin = "managed", expiry = "yes" }\n')
    args = (str(tmp_path / "mini.toml"), "--scenarios", str(tmp_path / "few.toml"))
    rc, out = tree_test(capsys, *args, "--min-coverage", "25")
    assert rc == 1
    assert out.splitlines()[-2:] == [
        "1 passed, 0 failed",
        "coverage 0.0% is below --min-coverage 25% (choices 33.3%, findings 0.0%; the lower counts)",
    ]
    assert tree_test(capsys, *args, "--min-coverage", "0")[0] == 0
    assert tree_test(capsys, *args)[0] == 0


def test_the_scenarios_file_itself_may_be_given(capsys):
    rc, out = tree_test(capsys, str(FIXTURES / "mini.scenarios.toml"))
    assert rc == 0 and out.endswith("7 passed, 0 failed\n")


def test_json_report(tree, capsys):
    rc, out = tree_test(capsys, str(tree), "--format", "json", "--min-coverage", "40")
    doc = json.loads(out)
    assert rc == 1
    assert (doc["ok"], doc["passed"], doc["failed"], doc["coverage_ok"], doc["min_coverage"]) == (False, 1, 3, True, 40.0)
    assert doc["tree"] == {"id": "mini", "version": "1.2.0", "path": str(tree)}
    first, typo = doc["scenarios"][:2]
    assert first["path"] == [{"question": "stage", "choice": "production"}, {"question": "origin", "choice": "managed"},
                             {"question": "expiry", "choice": "partly"}]
    assert (first["end"], first["outcome"], first["raised"], first["line"]) == ("end-production", "conditional", ["no-rotation"], 3)
    assert first["problems"] == [{"message": "expected GO, got GO WITH CONDITIONS", "line": 3}]
    assert (typo["path"], typo["problems"][0]["line"]) == (None, 11)
    assert doc["coverage"]["choices"] == {"covered": 5, "total": 9, "percent": 55.6, "missing": [
        "stage → prototype", "proto-creds → no", "proto-creds → yes", "expiry → dont-know"]}
    assert doc["coverage"]["gate_percent"] == 50.0


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wizard", "tree", "test", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(
    ("scenarios", "expected"),
    [
        (None, "{t}: no scenarios file beside the tree (expected mini.scenarios.toml); write one (format: "
               "docs/testing-trees.md; `authready tree new ID` starts a tree with one) or give one with --scenarios FILE"),
        ('tree = "mini"\n[[scenarios]]\nname = "a"\noutcome = "maybe"\nanswers = {}\n',
         "{s}:4: scenario 'a': outcome: Input should be 'go', 'conditional', 'prototype' or 'no-go'"),
        ('tree = "mini"\n[[scenarios]\n', "{s}:2: malformed TOML: Expected ']]' at the end of an array declaration"),
    ],
    ids=["missing", "schema", "toml"],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, scenarios, expected):
    shutil.copy(MINI_TREE, t := tmp_path / "mini.toml")
    s = tmp_path / "mini.scenarios.toml"
    if scenarios is not None:
        s.write_text(scenarios)
    proc = run(str(t))
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", "authready: " + expected.format(t=t, s=s) + "\n")


def test_a_given_scenarios_file_that_is_missing(tmp_path):
    proc = run(str(MINI_TREE), "--scenarios", str(tmp_path / "nope.toml"))
    assert (proc.returncode, proc.stderr) == (2, f"authready: {tmp_path / 'nope.toml'}: no such file\n")


def test_min_coverage_must_be_a_percentage():
    proc = run("--min-coverage", "101")
    assert proc.returncode == 2
    assert proc.stderr == ("authready: argument --min-coverage: '101' is not a percentage from 0 to 100 "
                           "(see `authready tree test --help`)\n")


@pytest.mark.parametrize("argv", [["tree", "test", str(MINI_TREE), "--exact", "--format", "json"],
                                  ["tree", "schema", "--scenarios"]])
def test_stays_headless(argv, tmp_path):
    from tests.helpers.imports import modules_after

    assert modules_after(argv, tmp_path) == []
