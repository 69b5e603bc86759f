"""The answer overview: every question on the current path with its answer, for every front-end.

Used in live reviews, re-reviews (what changed since ``--from``) and to find a
question again (a refused note, a changed mind): each row carries the answer,
whether a note is kept, the findings the answer raised and the change marker;
:func:`matches` narrows the rows by a number (the question's place on the path)
or by words from the question, its area or its answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Mapping

    from wizard.policy.engine import AnswerValue
    from wizard.policy.tree import Question
    from wizard.review.session import Session


@dataclass(frozen=True)
class Row:
    """One question on the path as the overview lists it."""

    number: int
    question: "Question"
    answer: str | None
    note: bool
    findings: tuple[tuple[str, str], ...]  # (severity, title)
    changed: str | None  # why it differs from the --from attestation, if it does


def overview_rows(session: "Session", prefilled: Mapping[str, AnswerValue]) -> list[Row]:
    """The current path (answered questions, then the first unanswered) as rows.

    ``prefilled``: the answers the re-review started from (``--from``), empty otherwise.
    """
    verdict = session.verdict()
    chosen = {st.question.id: st for st in verdict.walk.steps}
    rows = []
    for i, q in enumerate(session.path(), 1):
        step = chosen.get(q.id)
        findings = []
        if step is not None:
            for fid in dict.fromkeys(f for c in step.selected for f in c.raises):
                f = session.tree.finding_map.get(fid)
                if f is not None:
                    findings.append((f.severity.value, f.title))
        changed = None
        if q.id in session.redo:
            changed = "question changed since --from"
        elif prefilled:
            before = prefilled.get(q.id)
            if before is None:
                changed = "new since --from"
            elif step is not None and step.answer != before:
                changed = "answer changed since --from"
        rows.append(Row(i, q, step.label if step is not None else None,
                        bool(session.notes.get(q.id)), tuple(findings), changed))
    return rows


def matches(row: Row, query: str) -> bool:
    """A number matches the question's place; other text, part of its text, area or answer."""
    query = query.strip().lower()
    if not query:
        return True
    if query.isdigit():
        return str(row.number).startswith(query)
    hay = " ".join(filter(None, [row.question.text, row.question.area, row.question.id, row.answer])).lower()
    return all(word in hay for word in query.split())
