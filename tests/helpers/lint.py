"""Helpers for lint tests (imported by tests; not a test module): lint a tree's text, point at a line,
count the Python lines a call executes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable


def lint_text(tmp_path: Path, text: str) -> list[str]:
    """Every problem lint reports for ``text`` (written to ``tmp_path / "t.toml"``), as printed."""
    from wizard.policy.lint import lint_file

    p = tmp_path / "t.toml"
    p.write_text(text)
    return [str(x) for x in lint_file(p).problems]


def at(tmp_path: Path, text: str, needle: str, nth: int = 1) -> str:
    """``<file>:<line>`` of the nth line containing ``needle`` (a backtick in it stands for a double quote)."""
    needle = needle.replace("`", '"')
    hits = [i for i, ln in enumerate(text.splitlines(), 1) if needle in ln]
    return f"{tmp_path / 't.toml'}:{hits[nth - 1]}"


def lines_executed(call: Callable[[], Any]) -> tuple[int, Any]:
    """How many Python lines ``call`` executes, and what it returns.

    Counted, not timed: the count is the same on every run and machine, so a test of growth cannot drift
    with load; a quadratic step shows up as a count growing with the square of the size.
    """
    count = 0

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        result = call()
    finally:
        sys.settrace(None)
    return count, result
