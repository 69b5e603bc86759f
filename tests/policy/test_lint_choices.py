"""Lint of the tree features beyond one answer and one link: routes, select-all questions, exclusive answers,
caps, moots and rewordings. Each message is asserted whole, with its line (found by the text it points at).
"""

from __future__ import annotations


import pytest

from tests.helpers.repo import FIXTURES
from tests.helpers.lint import at, lint_text
from wizard.policy.lint import lint_file
from wizard.policy.lint_choices import question_sha256
from wizard.policy.lint_moots import _reaches
from wizard.policy.tree import load_tree_file, resolve_tree

MULTI = FIXTURES / "multi.toml"
HELP_SESSIONS = 'help = "A session that never expires is a stolen credential that never expires."\n'


def mutate(*pairs: str) -> str:
    """The multi tree with each ``old`` replaced by ``new`` once (pairs: old1, new1, old2, new2, ...)."""
    text = MULTI.read_text()
    for old, new in zip(pairs[::2], pairs[1::2]):
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_the_multi_tree_is_clean():
    assert lint_file(MULTI).problems == []


def test_a_choice_with_no_route_and_what_it_strands(tmp_path):
    t = mutate('label = "Yes, a provider holds it"\nnext = "clients"', 'label = "Yes, a provider holds it"',
               'label = "No, we store it"\nnext = "clients"', 'label = "No, we store it"')
    nowhere = "leads nowhere: it has no `next`, and question 'pci' has none for it to follow"
    assert lint_text(tmp_path, t) == [
        f"{tmp_path / 't.toml'}:{_line(t, 'id = `provider`') - 1}: choice pci.provider "
        f"{nowhere}\n    {at(tmp_path, t, 'id = `pci`')}: no path from question 'pci' ever reaches an end",
        f"{tmp_path / 't.toml'}:{_line(t, 'id = `ourselves`') - 1}: choice pci.ourselves {nowhere}",
    ]


def test_choices_without_next_follow_the_question_else_lead_nowhere(tmp_path):
    t = mutate('select = "many"\nnext = "clients"\n', 'select = "many"\n')
    assert lint_text(tmp_path, t) == [
        f"{tmp_path / 't.toml'}:{_line(t, f'id = `{c}`') - 1}: choice data.{c} leads nowhere: it has no `next`, and "
        "question 'data' has none for it to follow" for c in ("customer", "special", "none", "dont-know")
    ]


ONE_PROBLEM = [
    # (what the multi tree's text becomes: old1, new1, ...), (the line the problem points at, nth), the message
    (('select = "many"\nnext = "clients"', 'select = "many"\nnext = "clint"'), ("next = `clint`", 1),
     "question 'data' leads to unknown id 'clint' (dangling link); did you mean 'clients'?"),
    (('label = "People, through a browser or app"\n', 'label = "People, through a browser or app"\nexclusive = true\n'),
     ("exclusive = true", 3), "choice clients.users is exclusive, but question 'clients' takes one answer anyway; "
     "`exclusive` is for a `select = \"many\"` question's \"none of these\" or \"don't know\""),
    (("exclusive = true\ndont_know = true", "dont_know = true"), ("dont_know = true", 1),
     "choice data.dont-know is a \"don't know\" answer of a select-all question but not exclusive: it could be ticked "
     "beside answers the team does know; add `exclusive = true`"),
    (('id = "customer"\n', 'id = "customer"\nexclusive = true\n', 'id = "payments"\n', 'id = "payments"\nexclusive = true\n'),
     ("select = `many`", 1), "question 'data' is select-all-that-apply, but only 'special' is not exclusive: it is a "
     "one-answer question (remove `select = \"many\"`)"),
    (('id = "customer"\n', 'id = "customer"\nexclusive = true\n', 'id = "payments"\n', 'id = "payments"\nexclusive = true\n',
      'id = "special"\n', 'id = "special"\nexclusive = true\n'),
     ("select = `many`", 1), "question 'data' is select-all-that-apply, but every answer is exclusive: it is a "
     "one-answer question (remove `select = \"many\"`)"),
    ((HELP_SESSIONS + 'next = "end-go"\n', HELP_SESSIONS), ("id = `sessions`", 1),
     "question 'sessions' has no `next` of its own, so the walk cannot pass it when choice clients.machines makes it "
     "moot; give it the `next` a moot question goes on at"),
    # the walk passes a moot question at its own `next`: lint proves that route ends too
    ((HELP_SESSIONS + 'next = "end-go"\n', HELP_SESSIONS + 'next = "clients"\n'), ("id = `sessions`", 1),
     "cycle: clients -> sessions -> clients"),
    (('cap = "conditional"', 'cap = "go"'), ("cap = `go`", 1),
     "choice data.special: cap = \"go\" caps nothing (GO is the best verdict); remove it"),
]


@pytest.mark.parametrize("pairs, where, message", ONE_PROBLEM, ids=[m[:40] for _, _, m in ONE_PROBLEM])
def test_each_rule_is_one_problem_at_its_line(tmp_path, pairs, where, message):
    t = mutate(*pairs)
    assert lint_text(tmp_path, t) == [f"{at(tmp_path, t, *where)}: {message}"]


def test_moots_must_name_a_later_question_the_answer_can_reach(tmp_path):
    t = mutate('moots = ["sessions"]', 'moots = ["sesions", "end-go", "clients", "data", "pci"]')
    where = at(tmp_path, t, "moots =")
    assert lint_text(tmp_path, t) == [
        f"{where}: choice clients.machines moots unknown question 'sesions'; did you mean 'sessions'?",
        f"{where}: choice clients.machines moots 'end-go', an end; only a question can be moot",
        f"{where}: choice clients.machines moots its own question 'clients'; an answer can only make later "
        "questions moot",
        f"{where}: choice clients.machines moots 'data', which no path after this answer reaches: it is moot for nothing",
        f"{where}: choice clients.machines moots 'pci', which no path after this answer reaches: it is moot for nothing",
    ]


def test_reworded_from_may_not_hold_the_current_hash(tmp_path):
    current = load_tree_file(MULTI).tree.question_map["pci"].text_sha256
    t = mutate('id = "pci"\n', f'id = "pci"\nreworded_from = ["{"0" * 64}", "{current}"]\n')
    assert lint_text(tmp_path, t) == [
        f"{at(tmp_path, t, 'reworded_from')}: question 'pci': reworded_from lists the question's current hash; list "
        "only the `question_sha256` of earlier wordings (`authready tree diff` prints them)"]
    assert lint_text(tmp_path, mutate('id = "pci"\n', f'id = "pci"\nreworded_from = ["{"0" * 64}"]\n')) == []


def test_lint_hashes_questions_as_the_models_do():
    for tree in (load_tree_file(MULTI).tree, resolve_tree(None).tree):
        raw = [q.model_dump(mode="json") for q in tree.questions]
        assert [question_sha256(q) for q in raw] == [q.text_sha256 for q in tree.questions]


def test_reachability_answers_no_by_order_or_search_and_yes_when_out_of_budget():
    succ = {"a": ["b", "c"], "b": ["end"], "c": ["end"], "d": ["c"]}
    finished = {"b": 0, "c": 1, "a": 2}  # the depth-first search from "a" (d is off its paths)
    assert _reaches(["b"], "c", succ, finished, [100]) is False  # b finished before c: no path, no search
    assert _reaches(["c"], "b", succ, finished, [100]) is False  # c finished after b: searched, not found
    assert _reaches(["a"], "c", succ, finished, [100]) is True
    assert _reaches(["d"], "b", succ, finished, [100]) is False  # d is not in the order: searched, not found
    assert _reaches(["d"], "b", succ, finished, [0]) is True  # the search was cut short: no report
    assert _reaches(["a"], "d", succ, None, [100]) is False  # no order (a cycle somewhere): searched


def _line(text: str, needle: str) -> int:
    needle = needle.replace("`", '"')
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)
