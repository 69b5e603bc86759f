"""What plain mode says about select-all questions, caps and moot questions (quick unit tests, no terminal).

The wording here is what screen-reader users and scripts read: each refusal is one plain sentence
that says what to do instead; caps and questions passed as moot are named with the answer behind them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.repo import FIXTURES
from wizard.infra.workspace import Meta
from wizard.policy.tree import load_tree_file
from wizard.review.session import Session
from wizard.ui.plain import views
from wizard.ui.plain.select import labels, numbers, parse_numbers, selected_ids, selection_problem

MULTI = FIXTURES / "multi.toml"
CAP = ("At best GO WITH CONDITIONS: Which kinds of data does it touch? Select all that apply. "
       "→ Special-category data (health, beliefs)")
MOOT = ("Not asked: Do user sessions expire? (moot after Who calls this service? "
        "→ Only other services (machine to machine))")


@pytest.fixture(scope="module")
def data():
    return load_tree_file(MULTI).tree.question_map["data"]


def _session(tmp_path: Path, answers: dict) -> Session:
    return Session(load_tree_file(MULTI), tmp_path, False, Meta("svc", ["a@example.com"], []), answers=answers)


@pytest.mark.parametrize("typed", ["1,3", "1, 3", "3,1", "3 , 1", "1 3", " 1,3, "])
def test_numbers_in_any_order_and_spacing_select_in_tree_order(data, typed):
    assert parse_numbers(data, typed) == ("customer", "special")


@pytest.mark.parametrize("typed, said", [
    ("1,9", "There is no answer 9: type numbers from 1 to 5, separated by commas."),
    ("0", "There is no answer 0: type numbers from 1 to 5, separated by commas."),
    ("2,2", "Answer 2 is listed twice: list each answer once."),
    ("1,4", "Answer 4 (None of these) stands alone: type it by itself, or leave it out."),
    ("5,2", "Answer 5 (We don't know) stands alone: type it by itself, or leave it out."),
])
def test_each_mistake_is_one_plain_sentence(data, typed, said):
    assert parse_numbers(data, typed) == said


@pytest.mark.parametrize("typed", ["h", "g 2", "", "1-3", "x,1", ","])
def test_keys_and_other_text_are_not_numbers(data, typed):
    assert parse_numbers(data, typed) is None


def test_an_exclusive_answer_alone_is_fine(data):
    assert parse_numbers(data, "4") == ("none",)
    assert parse_numbers(data, "5") == ("dont-know",)


def test_checkbox_problems(data):
    assert selection_problem(data, []) == (
        "Select at least one answer: Space or its number checks it ('None of these' if none applies)")
    assert selection_problem(data, ["customer", "none"]) == (
        "'None of these' stands alone: clear the other answers, or clear it")
    assert selection_problem(data, ["dont-know", "payments"]).startswith("'We don't know' stands alone")
    assert selection_problem(data, ["payments", "customer"]) is None
    assert selection_problem(data, ["none"]) is None


def test_earlier_answers_as_numbers_and_labels(data):
    assert selected_ids(data, ("payments", "customer")) == ("customer", "payments")
    assert selected_ids(data, None) == ()
    assert numbers(data, ("payments", "customer")) == "1,2"
    assert labels(data, ("customer", "payments")) == ["Customer personal data", "Payment card data"]


def test_overview_names_the_answer_behind_each_finding_caps_and_moot_questions(tmp_path):
    s = _session(tmp_path, {"stage": "production", "data": ("customer", "payments", "special"),
                            "pci": "provider", "clients": "machines"})
    s.resume_position()
    lines = [text for text, _ in views.overview_lines(s, {})]
    assert lines == [
        "Questions on this path:",
        "  1 Where will this code run? — In production",
        "  2 Which kinds of data does it touch? Select all that apply. — Customer personal data; Payment card "
        "data; Special-category data (health, beliefs) [warning: Customer data needs a retention rule (from "
        "Customer personal data); warning: Payment data needs a PCI scope review (from Payment card data)]",
        "  3 Is the card data handled by a PCI-compliant provider? — Yes, a provider holds it",
        "  4 Who calls this service? — Only other services (machine to machine)",
        f"  {CAP}",
        f"  {MOOT}",
    ]


def test_news_says_only_what_the_last_answer_brought(tmp_path):
    s = _session(tmp_path, {"stage": "production"})
    s.resume_position()
    before = s.verdict()
    s.answer(["special"])
    assert views.news(before, s.verdict()) == [CAP]
    before = s.verdict()
    s.answer("machines")
    assert views.news(before, s.verdict()) == [MOOT]
    assert views.verdict_notes(s.verdict()) == [CAP, MOOT]
    before = s.verdict()
    s.go_to(3)
    s.answer("machines")  # the same answer again: nothing new to say
    assert views.news(before, s.verdict()) == []
