"""What the plain modes print about questions: help, the answer overview, a question to jump to.

Pure text from the session (``(line, continuation indent)`` pairs), so both
plain modes print the same content in their own way, and tests can read it
without a terminal. Tree text is escaped where it is printed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from wizard.policy.tree import Question
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


def overview_lines(session: "Session", prefilled: dict[str, str]) -> Lines:
    """Every question on the path: number, text, answer, then [note; findings raised; change since --from]."""
    from wizard.review.overview import overview_rows

    out = [("Questions on this path:", "")]
    for row in overview_rows(session, prefilled):
        marks = (["note"] if row.note else []) + [f"{sev}: {title}" for sev, title in row.findings]
        marks += [row.changed] if row.changed else []
        here = " (this question)" if row.number == session.position + 1 else ""
        out.append((f"  {row.number} {row.question.text} — {row.answer or 'not answered yet'}{here}"
                    + (f" [{'; '.join(marks)}]" if marks else ""), "    "))
    return out


def find_question(session: "Session", prefilled: dict[str, str], query: str) -> int | str:
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
