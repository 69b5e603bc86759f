"""The engine on select-all questions, answer caps and moot questions (``tests/fixtures/multi.toml``)."""

from __future__ import annotations

import pytest

from tests.helpers.repo import FIXTURES
from wizard.infra.errors import AuthreadyError
from wizard.policy.engine import check_answers, evaluate, path_cap, walk
from wizard.policy.tree import Outcome, load_tree_file

TREE = load_tree_file(FIXTURES / "multi.toml").tree
BASE = {"stage": "production", "clients": "users", "sessions": "yes"}


def judge(**answers):
    return evaluate(TREE, {**BASE, **answers})


def test_every_selected_answer_raises_its_findings():
    v = judge(data=["customer", "payments"], pci="provider")
    assert [rf.finding.id for rf in v.findings] == ["customer-data", "payment-data"]
    assert v.outcome is Outcome.CONDITIONAL
    [step] = [s for s in v.walk.steps if s.question.id == "data"]
    assert step.answer == ("customer", "payments")
    assert step.label == "Customer personal data; Payment card data"
    assert [c.id for c in step.raising("payment-data")] == ["payments"]


def test_the_selection_is_kept_in_tree_order_whatever_order_it_was_given_in():
    a = judge(data=["payments", "customer"], pci="provider")
    b = judge(data=("customer", "payments"), pci="provider")
    assert [s.answer for s in a.walk.steps] == [s.answer for s in b.walk.steps]


def test_routing_follows_the_first_selected_answer_with_a_route_else_the_question():
    assert [s.question.id for s in judge(data=["customer", "payments"], pci="ourselves").walk.steps] == [
        "stage", "data", "pci", "clients", "sessions"]
    assert [s.question.id for s in judge(data=["customer"]).walk.steps] == ["stage", "data", "clients", "sessions"]
    v = judge(data=["customer", "payments"], pci="ourselves")
    assert v.outcome is Outcome.NO_GO and "card-data-stored" in [rf.finding.id for rf in v.findings]


def test_an_answer_with_a_cap_limits_the_verdict_and_says_which_answer():
    v = judge(data=["special"])
    assert v.findings == () and v.outcome is Outcome.CONDITIONAL
    assert [(s.question.id, c.id) for s, c in v.capped] == [("data", "special")]
    cap = path_cap(TREE, v.walk)
    assert cap.outcome is Outcome.CONDITIONAL and cap.by is not None and cap.by.question.id == "data"


def test_a_moot_question_is_passed_without_asking_and_its_answer_is_off_the_path():
    v = evaluate(TREE, {"stage": "production", "data": ["none"], "clients": "machines", "sessions": "no"})
    assert v.outcome is Outcome.GO
    assert [(s.question.id, s.by.question.id) for s in v.walk.skipped] == [("sessions", "clients")]
    assert v.walk.ignored == ("sessions",)
    assert "no-expiry" not in [rf.finding.id for rf in v.findings]


def test_a_moot_question_is_not_waited_for():
    w = walk(TREE, {"stage": "production", "data": ["none"], "clients": "machines"})
    assert w.complete and w.unanswered is None


@pytest.mark.parametrize("answers, message", [
    ({"data": ["none", "customer"]}, "answer 'none' of question 'data' stands alone; it cannot be selected with others"),
    ({"data": []}, "question 'data' needs at least one answer (a \"none of these\" answer, if that is the truth)"),
    ({"data": ["customer", "customer"]}, "question 'data' lists a choice twice"),
    ({"data": ["customer", "nope"]}, "unknown choice 'nope' for question 'data' (valid: customer, payments, special, none, dont-know)"),
    ({"data": "customer"}, "question 'data' is select-all-that-apply: give a list of choice ids (valid: customer, payments, special, none, dont-know)"),
    ({"stage": ["production"]}, "question 'stage' takes one answer (a choice id), not list"),
])
def test_a_wrong_selection_is_one_clear_error(answers, message):
    with pytest.raises(AuthreadyError) as exc:
        check_answers(TREE, {**BASE, "stage": "production", **answers}, source="a.toml")
    assert exc.value.message == message and exc.value.path == "a.toml"
    with pytest.raises(AuthreadyError) as walked:
        evaluate(TREE, {**BASE, "stage": "production", "data": ["customer"], "pci": "provider", **answers})
    assert walked.value.message == message


def test_a_one_answer_question_hashes_as_before_and_a_select_all_one_also_hashes_its_shape():
    stage = TREE.question_map["stage"]
    data = TREE.question_map["data"]
    import hashlib

    blob = stage.text + "\n" + "\n".join(f"{c.id}\t{c.label}" for c in stage.choices)
    assert stage.text_sha256 == hashlib.sha256(blob.encode()).hexdigest()
    plain = data.text + "\n" + "\n".join(f"{c.id}\t{c.label}" for c in data.choices)
    assert data.text_sha256 != hashlib.sha256(plain.encode()).hexdigest()
