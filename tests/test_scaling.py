"""Lint and evaluate grow linearly with the tree (a ratio within one run, not a wall-clock limit)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from bench_core import generate  # noqa: E402

from wizard.engine import evaluate  # noqa: E402
from wizard.lint import lint  # noqa: E402
from wizard.tree import parse_tree  # noqa: E402


def _cost(n: int) -> float:
    text, answers = generate(n)
    loaded = parse_tree(text, Path(f"gen-{n}.toml"))
    best = float("inf")
    for _ in range(5):
        t0 = time.process_time()  # CPU time: other processes on the machine do not count
        assert lint(loaded) == []
        assert evaluate(loaded.tree, answers).outcome is not None
        best = min(best, time.process_time() - t0)
    return best


def test_lint_and_evaluate_grow_linearly():
    small, large = _cost(500), _cost(4000)
    # 8x the questions: linear work costs about 8x; quadratic would cost about 64x.
    assert large / small < 20, f"{small=:.4f}s {large=:.4f}s ratio {large / small:.1f}"
