"""Lint finds every structural problem, one line each, with the file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers.repo import MINI_TREE
from wizard.policy.lint import lint
from wizard.policy.tree import load_tree_file


def lint_text(tmp_path: Path, text: str) -> list[str]:
    p = tmp_path / "t.toml"
    p.write_text(text)
    return [str(x) for x in lint(load_tree_file(p))]


def mutate(old: str, new: str, count: int = 1) -> str:
    text = MINI_TREE.read_text()
    assert old in text, old
    return text.replace(old, new, count)


def test_mini_tree_is_clean():
    assert lint(load_tree_file(MINI_TREE)) == []


def test_dangling_link_names_file_and_line(tmp_path):
    probs = lint_text(tmp_path, mutate('next = "origin"', 'next = "nowhere"'))
    text = (tmp_path / "t.toml").read_text().splitlines()
    [dangling] = [p for p in probs if p.endswith("(dangling link)")]
    line = int(dangling.split(":")[1])
    assert 'next = "nowhere"' in text[line - 1]
    assert dangling.startswith(str(tmp_path / "t.toml") + ":")


def test_duplicate_question_id(tmp_path):
    probs = lint_text(tmp_path, mutate('id = "origin"', 'id = "expiry"'))
    assert any("duplicate id 'expiry'" in p for p in probs)


def test_question_and_end_ids_share_a_namespace(tmp_path):
    probs = lint_text(tmp_path, mutate('id = "end-prototype"', 'id = "origin"'))
    assert any("duplicate id 'origin'" in p for p in probs)


def test_duplicate_choice_and_finding_ids(tmp_path):
    t = mutate('id = "partly"', 'id = "yes"')
    t = t.replace('id = "no-rotation"', 'id = "invented-flow"')
    probs = lint_text(tmp_path, t)
    assert any("duplicate choice id 'yes'" in p for p in probs)
    assert any("duplicate finding id 'invented-flow'" in p for p in probs)


def test_unknown_finding_and_reference(tmp_path):
    t = mutate('raises = ["invented-flow"]', 'raises = ["ghost"]')
    t = t.replace('refs = ["NHI7:2025"]\n[[questions.choices]]', 'refs = ["NHI-03"]\n[[questions.choices]]')
    probs = lint_text(tmp_path, t)
    assert any("unknown finding 'ghost'" in p for p in probs)
    assert any("unknown reference 'NHI-03'" in p for p in probs)
    assert any("finding 'invented-flow' is raised by no choice" in p for p in probs)


def test_cycle_and_never_ending_path(tmp_path):
    # expiry's answers all loop back to origin: a cycle, and nothing after origin can end.
    t = MINI_TREE.read_text().replace('next = "end-production"', 'next = "origin"')
    probs = lint_text(tmp_path, t)
    assert any(p.split(": ", 1)[1].startswith("cycle: origin -> expiry -> origin") for p in probs)
    assert any("no path from question 'origin' ever reaches an end" in p for p in probs)
    assert any("end 'end-production' is unreachable" in p for p in probs)


def test_unreachable_question(tmp_path):
    probs = lint_text(tmp_path, mutate('next = "proto-creds"', 'next = "end-prototype"'))
    assert any("question 'proto-creds' is unreachable" in p for p in probs)


def test_unknown_start(tmp_path):
    probs = lint_text(tmp_path, mutate('start = "stage"', 'start = "nope"'))
    assert any("start 'nope' is not a question id" in p for p in probs)


def test_blocker_without_remediation_and_dont_know_raising_nothing(tmp_path):
    t = mutate('remediation = ["Replace with a managed identity service."]', "remediation = []")
    t = t.replace('raises = ["cannot-explain-expiry"]\ndont_know = true', "dont_know = true")
    probs = lint_text(tmp_path, t)
    assert any("blocker 'invented-flow' has no remediation" in p for p in probs)
    assert any("don't know" in p and "raises no finding" in p for p in probs)


def test_cli_lint_reports_every_problem_and_exits_2(tmp_path):
    t = mutate('next = "origin"', 'next = "nowhere"').replace('raises = ["invented-flow"]', 'raises = ["ghost"]')
    p = tmp_path / "t.toml"
    p.write_text(t)
    proc = subprocess.run([sys.executable, "-m", "wizard", "tree", "lint", str(p)], capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stdout.strip().splitlines()
    assert len(lines) >= 3 and all(ln.startswith(str(p)) for ln in lines)
    assert "Traceback" not in proc.stderr
