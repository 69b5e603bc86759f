"""Real attestations made from earlier versions of the shipped tree, judged by today's.

Each folder under ``tests/fixtures/migration/`` holds the attestations every finished scenario of
one shipped version produced (frozen copies of the byte fixtures of that time). Under the tree
shipped now, each one must either still pass its policy checks (perhaps with a note), or fail with
a migration code whose message says what changed: never a crash, never a generic failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.repo import FIXTURES
from wizard.attestation.model import changed_questions
from wizard.attestation.store import load
from wizard.policy.engine import evaluate
from wizard.policy.tree import resolve_tree
from wizard.trust.checks_policy import PolicyTrees, check_policy
from wizard.trust.codes import Code
from wizard.trust.report import Report

OLD = sorted((FIXTURES / "migration").glob("*/*.toml"))
MIGRATION = {Code.POLICY_STALE, Code.POLICY_QUESTION_ADDED, Code.VERDICT_CHANGED, Code.ANSWERS_OFF_PATH}


def test_there_are_frozen_attestations():
    assert len(OLD) >= 20


@pytest.mark.parametrize("path", OLD, ids=[f"{p.parent.name}/{p.stem}" for p in OLD])
def test_an_old_attestation_under_todays_tree_passes_or_says_what_changed(path: Path):
    att, _ = load(path)
    report = Report(path=path, display=path.name)
    check_policy(report, att, PolicyTrees(None, None))
    got = {p.code for p in report.problems}
    assert got <= MIGRATION | {Code.EXPIRY_TOO_LONG}, report.problems
    tree = resolve_tree(att.policy.tree).tree
    for p in report.problems:
        if p.code is Code.POLICY_STALE:
            changed = changed_questions(att, tree)
            for qid, _old, _new in changed[:3]:  # the message names the first three in full
                assert repr(qid) in p.message
            if len(changed) > 3:
                assert f"and {len(changed) - 3} more" in p.message
        if p.code is Code.VERDICT_CHANGED:
            assert evaluate(tree, att.answer_map()).outcome != att.verdict.outcome or "no longer walk" in p.message
    if att.policy.sha256 == resolve_tree(att.policy.tree).sha256:
        assert got == set(), "the same tree must give the recorded verdict"
