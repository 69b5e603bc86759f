"""Lint of a tree broken everywhere still grows linearly (counted, not timed: see test_scaling).

Every question's second choice names a missing id: one dangling link per question, each with a
"did you mean" search over all ids (capped), a line looked up, knock-ons folded. Or every ``moots``
names a question its answer can never meet again: one reachability question each.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from tests.helpers.lint import lines_executed
from tests.helpers.repo import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from bench_core import generate  # noqa: E402

from wizard.policy.lint import lint_source  # noqa: E402


def _lines_executed(n: int, pattern: str = r'(id = "skip"\nlabel = "Skip one"\nnext = ")q',
                    replacement: str = r"\1missing-q") -> tuple[int, int]:
    text, _ = generate(n)
    text = re.sub(pattern, replacement, text)
    data = tomllib.loads(text)
    count, problems = lines_executed(lambda: lint_source(text, Path(f"gen-{n}.toml"), data))
    return count, len(problems)


def test_lint_of_a_broken_tree_grows_linearly():
    (small, small_problems), (large, large_problems) = _lines_executed(150), _lines_executed(1200)
    assert small_problems >= 140 and large_problems >= 1190
    # 8x the questions: linear work is about 8x the lines; quadratic would be about 64x.
    assert 4 < large / small < 12, f"{small=} {large=} ratio {large / small:.1f}"


def test_the_generated_trees_exercise_select_all_questions_caps_and_moots():
    """The scaling tests (this one's and ``test_scaling``'s) run over these features, not around them."""
    from wizard.policy.engine import evaluate
    from wizard.policy.lint import lint
    from wizard.policy.tree import parse_tree

    text, answers = generate(60)
    loaded = parse_tree(text, Path("gen-60.toml"))
    assert lint(loaded) == []
    v = evaluate(loaded.tree, answers)
    assert sum(q.many for q in loaded.tree.questions) == 12 and v.walk.skipped and v.capped
    assert any(c.exclusive for q in loaded.tree.questions for c in q.choices)


def test_lint_of_moots_for_nothing_grows_linearly():
    """Every `moots` names the second question, which no answer can meet again: one problem each."""
    moot_q1 = (r'moots = \["q\d+"\]', 'moots = ["q1"]')
    (small, small_problems), (large, large_problems) = _lines_executed(150, *moot_q1), _lines_executed(1200, *moot_q1)
    assert small_problems >= 20 and large_problems >= 170
    assert 4 < large / small < 12, f"{small=} {large=} ratio {large / small:.1f}"
