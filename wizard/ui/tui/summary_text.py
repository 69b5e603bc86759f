"""The summary's texts: findings with their causes, the headline, the checklist, references and answers.

Apart from the screen (``wizard.ui.tui.screens.summary``) so each stays one readable page; pure
functions of the verdict and the session, rendered literally (text from a tree is data).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from wizard.ui.tui.text import join, literal
from wizard.ui.tui.walk_text import path_entries, raised_labels, skip_line
from wizard.ui.tui.widgets.verdict import SEVERITY_MARK, cap_reason, other_caps

if TYPE_CHECKING:
    from collections.abc import Sequence

    from wizard.policy.engine import Cap, RaisedFinding, Verdict
    from wizard.review.session import Session


def findings_text(verdict: Verdict) -> Group:
    """Findings grouped by severity, each with its explanation and the answers that raised it."""
    parts: list[RenderableType] = []
    groups = [("Blockers", verdict.blockers), ("Warnings", verdict.warnings)]
    for title, group in groups:
        if not group:
            continue
        if parts:
            parts.append(Text(""))
        parts.append(Text(f"{title} ({len(group)})", style="bold underline"))
        for rf in group:
            f = rf.finding
            head = join(Text(SEVERITY_MARK[f.severity.value], style="bold"), " ", literal(f.title, "bold"))
            head.append(f"  [{f.id}]", style="dim")
            body = literal(f.explanation)
            for step in rf.raised_by:
                body.append("\nraised by: ", style="italic")
                body.append(literal(step.question.text))
                body.append(" → ")
                body.append(literal(raised_labels(step, f.id), "italic"))
            parts.extend([Text(""), head, Padding(body, (0, 0, 0, 2))])
    if not parts:
        parts.append(Text("No findings: nothing on this path needs fixing.", style="italic"))
    return Group(*parts)


def _titles(group: Sequence[RaisedFinding]) -> Text:
    return Text("; ").join(literal(rf.finding.title) for rf in group)


def headline_text(verdict: Verdict, cap: Cap) -> Text:
    """The summary's headline, built from what was found: blockers, warnings, the path's cap and why.

    The end's own text describes the best case of its path; it is shown apart, as
    "what this path allows at best", never as the verdict's explanation.
    """
    from wizard.policy.tree import Outcome

    b, w = verdict.blockers, verdict.warnings
    out = Text()
    if b:
        out.append(f"{len(b)} blocker(s) stop this code from shipping: ")
        out.append(_titles(b))
        out.append(".")
        if w:
            out.append(f" {len(w)} warning(s) too: ")
            out.append(_titles(w))
            out.append(".")
        out.append(" Fix them and review again.")
    elif w:
        out.append(f"No blockers; {len(w)} warning(s) need a dated, owned fix: ")
        out.append(_titles(w))
        out.append(".")
    elif cap.outcome is Outcome.GO:
        out.append("No blockers or warnings: every answer on this path gave the expected control.")
    else:
        out.append("No blockers or warnings were raised.")
    reason = cap_reason(cap)
    shown = reason is not None and (not b or cap.outcome is Outcome.NO_GO)
    if reason is not None and shown:
        out.append(" ")
        out.append(reason)
        if cap.by is not None:
            out.append(".")
    for line in other_caps(verdict, cap, reason=shown):  # moot questions are listed with the answers
        out.append(" ")
        out.append(line)
        out.append(".")
    return out


def checklist_text(verdict: Verdict) -> Text:
    """The remediation steps as a checklist."""
    if not verdict.remediation:
        return Text("Nothing to remediate.", style="italic")
    return Text("\n").join(join("☐ ", literal(step)) for step in verdict.remediation)


def references_text(verdict: Verdict, references: dict[str, str]) -> Text:
    """The references, each once: grouped under the first finding that cites it, then the rest of the path's."""
    if not verdict.references:
        return Text("None.", style="italic")

    def line(ref: str) -> Text:
        out = join("• ", literal(ref, "bold"))
        if references.get(ref):
            out.append(" — ")
            out.append(literal(references[ref]))
        return out

    shown: set[str] = set()
    blocks: list[Text] = []
    for rf in verdict.findings:
        refs = [r for r in dict.fromkeys(rf.finding.refs)]
        if not refs:
            continue
        block = join(Text(SEVERITY_MARK[rf.finding.severity.value], style="bold"), " ", literal(rf.finding.title, "bold"))
        for ref in refs:
            block.append("\n")
            if ref in shown:
                block.append(join("• ", literal(ref, "bold"), Text(" (listed above)", style="dim")))
            else:
                block.append(line(ref))
                shown.add(ref)
        blocks.append(block)
    rest = [r for r in verdict.references if r not in shown]
    if rest:
        block = Text("On this path" if not blocks else "Also on this path", style="bold")
        for ref in rest:
            block.append("\n")
            block.append(line(ref))
        blocks.append(block)
    return Text("\n\n").join(blocks)


def answers_text(session: Session) -> Text:
    """The answers on the path, with notes: what the attestation will record."""
    from wizard.policy.engine import Skip

    lines = []
    for step in path_entries(session.tree, session.verdict().walk):
        if isinstance(step, Skip):
            lines.append(skip_line(step))
            continue
        line = join(literal(step.question.text), " → ", literal(step.label, "bold"))
        note = session.notes.get(step.question.id)
        if note:
            line.append("\n  note: ")
            line.append(literal(note, "italic"))
        lines.append(line)
    return Text("\n").join(lines)
