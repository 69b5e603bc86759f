"""Select-all-that-apply questions in plain mode: what each mode says about them, and the checks.

A select-all question (``select = "many"`` in the tree) takes several answers;
an exclusive answer ("None of these", "We don't know") stands alone. The engine
refuses a wrong selection with one error line; here each mistake gets a plain
sentence that says what to do instead, in the words of the mode that asked
(line mode names answers by their numbers, the checkbox by their labels), so a
team is never told only "invalid". Pure text: no terminal, no questionary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from wizard.policy.engine import AnswerValue
    from wizard.policy.tree import Choice, Question

#: Said under a select-all question in line mode, before its prompt.
HOW = "Select all that apply: numbers separated by commas (e.g. 1,3)."
_LIST = re.compile(r"^[0-9][0-9,\s]*$")


def none_choice(q: "Question") -> "Choice | None":
    """The exclusive answer that says "none of these" (exclusive, not a "don't know"), if there is one."""
    return next((c for c in q.choices if c.exclusive and not c.dont_know), None)


def selected_ids(q: "Question", value: "AnswerValue | None") -> tuple[str, ...]:
    """The choice ids an earlier answer selected (in tree order), or none."""
    if value is None:
        return ()
    ids = (value,) if isinstance(value, str) else value
    return tuple(c.id for c in q.choices if c.id in ids)


def numbers(q: "Question", ids: Sequence[str]) -> str:
    """``1,3``: the answers' numbers as line mode shows them, in tree order."""
    return ",".join(str(i) for i, c in enumerate(q.choices, 1) if c.id in ids)


def labels(q: "Question", ids: Sequence[str]) -> list[str]:
    """The answers' labels, in tree order."""
    return [c.label for c in q.choices if c.id in ids]


def selection_problem(q: "Question", ids: Sequence[str]) -> str | None:
    """Why the checkbox cannot take this selection (shown under it), or None."""
    if not ids:
        alone = none_choice(q)
        return ("Select at least one answer: Space or its number checks it"
                + (f" ('{alone.label}' if none applies)" if alone else ""))
    chosen = [c for c in q.choices if c.id in ids]
    lone = next((c for c in chosen if c.exclusive), None)
    if lone is not None and len(chosen) > 1:
        return f"'{lone.label}' stands alone: clear the other answers, or clear it"
    return None


def parse_numbers(q: "Question", raw: str) -> tuple[str, ...] | str | None:
    """A typed line of numbers (``1,3``, ``1, 3``, ``3,1``, ``1 3``) as choice ids in tree order;
    a sentence saying what is wrong with it; or None when the line is not a list of numbers at all."""
    raw = raw.strip()
    if not _LIST.match(raw):
        return None
    n = len(q.choices)
    typed = [int(t) for t in re.split(r"[,\s]+", raw) if t]
    if not typed:
        return None
    for k in typed:
        if not 1 <= k <= n:
            return f"There is no answer {k}: type numbers from 1 to {n}, separated by commas."
    for k in typed:
        if typed.count(k) > 1:
            return f"Answer {k} is listed twice: list each answer once."
    for k in typed:
        c = q.choices[k - 1]
        if c.exclusive and len(typed) > 1:
            return f"Answer {k} ({c.label}) stands alone: type it by itself, or leave it out."
    return tuple(c.id for i, c in enumerate(q.choices, 1) if i in typed)
