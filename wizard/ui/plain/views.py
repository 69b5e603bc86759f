"""What the plain modes print about questions: help, the answer overview, a question to jump to.

Pure text from the session (``(line, continuation indent)`` pairs), so both
plain modes print the same content in their own way, and tests can read it
without a terminal. Tree text is escaped where it is printed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Mapping

    from wizard.policy.engine import AnswerValue, Skip, Step, Verdict
    from wizard.policy.tree import Choice, Question
    from wizard.review.overview import Row
    from wizard.review.session import Session

Lines = list[tuple[str, str]]


def stale_line(session: "Session", q: "Question", previous: dict[str, str], subject: str) -> str | None:
    """For a question that changed since the re-reviewed attestation: answer it again (and what it was)."""
    if q.id not in session.redo:
        return None
    before = previous.get(q.id)
    return f"{subject} changed since the last review; answer it again" + (f" (previously: {before})." if before else ".")


def help_lines(session: "Session", q: "Question", why: str) -> Lines:
    """Why the question matters, then its references with their titles."""
    out = [(f"{why}: {q.help}", "")]
    if q.refs:
        out.append(("References:", ""))
        for ref in q.refs:
            title = session.tree.references.get(ref)
            out.append((f"  - {ref}: {title}" if title else f"  - {ref}", "    "))
    return out


def overview_lines(session: "Session", prefilled: "Mapping[str, AnswerValue]") -> Lines:
    """Every question on the path: number, text, answer, then [note; findings raised; change since --from];
    then the answers that cap the verdict and the questions passed as moot.

    A select-all answer names which of its answers raised each finding ("from …").
    """
    from wizard.review.overview import overview_rows

    verdict = session.verdict()
    steps = {s.question.id: s for s in verdict.walk.steps}
    out = [("Questions on this path:", "")]
    for row in overview_rows(session, prefilled):
        marks = (["note"] if row.note else []) + _finding_marks(session, row, steps.get(row.question.id))
        marks += [row.changed] if row.changed else []
        here = " (this question)" if row.number == session.position + 1 else ""
        out.append((f"  {row.number} {row.question.text} — {row.answer or 'not answered yet'}{here}"
                    + (f" [{'; '.join(marks)}]" if marks else ""), "    "))
    out += [(f"  {line}", "    ") for line in verdict_notes(verdict)]
    return out


def _finding_marks(session: "Session", row: "Row", step: "Step | None") -> list[str]:
    """``severity: title`` per finding the row's answer raised; for a select-all answer also which of
    its answers raised it (``(from <label>)``)."""
    if step is None or not step.question.many:
        return [f"{sev}: {title}" for sev, title in row.findings]
    out = []
    for fid in dict.fromkeys(f for c in step.selected for f in c.raises):
        f = session.tree.finding_map.get(fid)
        if f is not None:
            out.append(f"{f.severity.value}: {f.title} (from {'; '.join(c.label for c in step.raising(fid))})")
    return out


def cap_line(step: "Step", choice: "Choice") -> str:
    """``At best GO WITH CONDITIONS: <question> → <answer>``: an answer that caps the verdict."""
    assert choice.cap is not None
    return f"At best {choice.cap.label}: {step.question.text} → {choice.label}"


def skip_line(skip: "Skip") -> str:
    """``Not asked: <question> (moot after <question> → <answer>)``: a question an answer made moot."""
    by = next((c for c in skip.by.selected if skip.question.id in c.moots), skip.by.choice)
    return f"Not asked: {skip.question.text} (moot after {skip.by.question.text} → {by.label})"


def verdict_notes(verdict: "Verdict") -> list[str]:
    """What the verdict's findings do not say: the answers that cap it, and the questions passed as moot."""
    return [cap_line(s, c) for s, c in verdict.capped] + [skip_line(k) for k in verdict.walk.skipped]


def news(before: "Verdict", after: "Verdict") -> list[str]:
    """The caps and moot questions an answer brought (in ``after``, not in ``before``): said at once."""
    capped = {(s.question.id, c.id) for s, c in before.capped}
    skipped = {k.question.id for k in before.walk.skipped}
    return ([cap_line(s, c) for s, c in after.capped if (s.question.id, c.id) not in capped]
            + [skip_line(k) for k in after.walk.skipped if k.question.id not in skipped])


def find_question(session: "Session", prefilled: "Mapping[str, AnswerValue]", query: str) -> int | str:
    """The number of the one question ``query`` names (its number, or words from its text, area or
    answer), or a line saying why there is none."""
    from wizard.review.overview import matches, overview_rows

    rows = overview_rows(session, prefilled)
    query = query.strip()
    hits = [r for r in rows if (r.number == int(query) if query.isdigit() else matches(r, query))]
    if len(hits) == 1:
        return hits[0].number
    if not hits:
        return f"No question from 1 to {len(rows)} matches {query!r}."
    return f"{len(hits)} questions match: " + ", ".join(str(r.number) for r in hits) + "; give its number."


def note_problem(q: "Question", text: str) -> str | None:
    """Why a note cannot be kept (it looks like a credential), naming the question by its text; None if fine."""
    from wizard.attestation.build import note_field
    from wizard.infra.errors import AuthreadyError
    from wizard.infra.secrets import refuse_secrets

    try:
        refuse_secrets([(note_field(q.text), text)])
    except AuthreadyError as exc:
        return exc.message
    return None
