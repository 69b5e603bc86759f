"""Lint and evaluate grow linearly with the tree.

Counted, not timed: the number of Python lines executed is the same on every run and every machine,
so the test cannot drift with load (CPU time measured at small sizes swings with cache effects). A
quadratic step written in Python shows up as a line count growing with the square of the size.
"""

from __future__ import annotations

from tests.helpers.lint import lines_executed
from tests.helpers.repo import ROOT

import sys
from pathlib import Path

sys.path.insert(0, str(ROOT / "bench"))

from bench_core import generate  # noqa: E402

from wizard.policy.engine import evaluate  # noqa: E402
from wizard.policy.lint import lint  # noqa: E402
from wizard.policy.tree import parse_tree  # noqa: E402


def _lines_executed(n: int) -> int:
    text, answers = generate(n)
    loaded = parse_tree(text, Path(f"gen-{n}.toml"))
    count, (problems, outcome) = lines_executed(lambda: (lint(loaded), evaluate(loaded.tree, answers).outcome))
    assert problems == [] and outcome is not None
    return count


def test_lint_and_evaluate_grow_linearly():
    small, large = _lines_executed(250), _lines_executed(2000)
    # 8x the questions: linear work is about 8x the lines; quadratic would be about 64x.
    assert 4 < large / small < 10, f"{small=} {large=} ratio {large / small:.1f}"
