"""Lint of a tree broken everywhere still grows linearly (counted, not timed: see test_scaling).

Every question's second choice names a missing id: one dangling link per question, each with a
"did you mean" search over all ids (capped), a line looked up, knock-ons folded.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from tests.helpers.repo import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from bench_core import generate  # noqa: E402

from wizard.policy.lint import lint_source  # noqa: E402


def _lines_executed(n: int) -> tuple[int, int]:
    text, _ = generate(n)
    text = re.sub(r'(id = "skip"\nlabel = "Skip one"\nnext = ")q', r"\1missing-q", text)
    data = tomllib.loads(text)
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        problems = lint_source(text, Path(f"gen-{n}.toml"), data)
    finally:
        sys.settrace(None)
    return count, len(problems)


def test_lint_of_a_broken_tree_grows_linearly():
    (small, small_problems), (large, large_problems) = _lines_executed(150), _lines_executed(1200)
    assert small_problems >= 140 and large_problems >= 1190
    # 8x the questions: linear work is about 8x the lines; quadratic would be about 64x.
    assert 4 < large / small < 12, f"{small=} {large=} ratio {large / small:.1f}"
