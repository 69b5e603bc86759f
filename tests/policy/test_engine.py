"""The engine walks only the decided path and judges it deterministically."""

from __future__ import annotations

import pytest

from tests.helpers.repo import GO_ANSWERS, MINI_TREE
from wizard.policy.engine import check_answers, evaluate, walk
from wizard.infra.errors import AuthreadyError
from wizard.policy.tree import Outcome, load_tree_file


@pytest.fixture(scope="module")
def tree():
    return load_tree_file(MINI_TREE).tree


def test_go_path(tree):
    v = evaluate(tree, GO_ANSWERS)
    assert v.outcome is Outcome.GO and v.findings == () and v.required_signers == 2 and v.valid_days == 180
    assert [s.question.id for s in v.walk.steps] == ["stage", "origin", "expiry"]


def test_warning_caps_at_conditional(tree):
    v = evaluate(tree, {**GO_ANSWERS, "expiry": "partly"})
    assert v.outcome is Outcome.CONDITIONAL
    assert [rf.finding.id for rf in v.findings] == ["no-rotation"]
    assert [(s.question.id, s.choice.id) for s in v.findings[0].raised_by] == [("expiry", "partly")]


def test_blockers_first_and_remediation_ordered(tree):
    v = evaluate(tree, {"stage": "production", "origin": "invented", "expiry": "partly"})
    assert v.outcome is Outcome.NO_GO
    assert [rf.finding.id for rf in v.findings] == ["invented-flow", "no-rotation"]
    assert v.remediation == ("Replace with a managed identity service.", "Schedule rotation.")


def test_prototype_end_caps_outcome_and_blocker_overrides(tree):
    assert evaluate(tree, {"stage": "prototype", "proto-creds": "no"}).outcome is Outcome.PROTOTYPE
    v = evaluate(tree, {"stage": "prototype", "proto-creds": "yes"})
    assert v.outcome is Outcome.NO_GO and v.required_signers == 1 and v.valid_days == 30


def test_dont_know_counts_against_readiness(tree):
    assert evaluate(tree, {**GO_ANSWERS, "expiry": "dont-know"}).outcome is Outcome.NO_GO


def test_missing_answer_is_reported_never_guessed(tree):
    v = evaluate(tree, {"stage": "production"})
    assert v.outcome is None and v.label == "unanswered: origin" and v.findings == ()


def test_answers_off_path_are_ignored_and_reported(tree):
    w = walk(tree, {"stage": "prototype", "proto-creds": "no", "origin": "invented"})
    assert w.ignored == ("origin",)
    assert evaluate(tree, {"stage": "prototype", "proto-creds": "no", "origin": "invented"}).findings == ()


def test_unknown_ids_are_errors(tree):
    with pytest.raises(AuthreadyError, match="unknown question id 'nope'"):
        check_answers(tree, {"nope": "x"})
    with pytest.raises(AuthreadyError, match=r"unknown choice 'maybe' for question 'stage' \(valid: prototype, production\)"):
        check_answers(tree, {"stage": "maybe"})


def test_deterministic(tree):
    a = {**GO_ANSWERS, "expiry": "partly"}
    assert evaluate(tree, a) == evaluate(tree, dict(reversed(list(a.items()))))


def test_references_collected_in_path_order(tree):
    v = evaluate(tree, {"stage": "prototype", "proto-creds": "yes"})
    assert v.references == ("NHI7:2025",)
