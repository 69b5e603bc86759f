"""A verdict's remediation is a plan in the order a team works it: contain, fix, conditions, verify."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.repo import MINI_TREE
from wizard.policy.engine import evaluate
from wizard.policy.tree import load_tree_file

STEPS = '''
[[findings.remediation]]
step = "Re-run this review."
phase = "verify"

[[findings.remediation]]
step = "Rotate the credentials people have seen."
done_when = "The old credentials fail to authenticate."
phase = "contain"
'''


def tree_with_phases(tmp_path: Path):
    old = 'remediation = ["Replace with a managed identity service."]\n'
    text = MINI_TREE.read_text()
    assert old in text
    fix = '[[findings.remediation]]\nstep = "Replace with a managed identity service."\n'
    p = tmp_path / "t.toml"
    p.write_text(text.replace(old, fix + STEPS, 1))
    return load_tree_file(p).tree


def test_steps_are_ordered_by_phase_and_carry_their_check(tmp_path):
    tree = tree_with_phases(tmp_path)
    v = evaluate(tree, {"stage": "production", "origin": "invented", "expiry": "partly"})
    phases = [p.phase for p in v.plan]
    assert phases == sorted(phases, key=["contain", "fix", "condition", "verify"].index)
    assert v.plan[0].text == "Rotate the credentials people have seen. (done when: The old credentials fail to authenticate.)"
    assert v.plan[-1].text == "Re-run this review." and v.plan[-1].phase == "verify"
    assert {p.phase for p in v.plan if p.finding == "no-rotation"} == {"condition"}  # a warning's plain steps
    assert list(v.remediation) == [p.text for p in v.plan]


def test_plain_steps_keep_todays_order(tmp_path):
    v = evaluate(load_tree_file(MINI_TREE).tree, {"stage": "production", "origin": "invented", "expiry": "partly"})
    assert [p.phase for p in v.plan] == ["fix"] * sum(p.finding == "invented-flow" for p in v.plan) + \
        ["condition"] * sum(p.finding == "no-rotation" for p in v.plan)
