"""The live verdict panel: what the answers so far already decide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from wizard.ui.tui.text import literal
from wizard.ui.tui.walk_text import cap_line, cap_source, raised_labels, skip_line

if TYPE_CHECKING:
    from wizard.policy.engine import Cap, Verdict

OUTCOME_CLASSES = ("outcome-go", "outcome-conditional", "outcome-prototype", "outcome-no-go", "outcome-open")
"""CSS classes that colour a verdict word; one is set at a time."""

SEVERITY_MARK = {"blocker": "✗ BLOCKER", "warning": "! WARNING"}
"""How a severity is written: a symbol and a word, so it reads without colour."""


def outcome_class(verdict: Verdict, cap: Cap | None = None) -> str:
    """The CSS class for a verdict, provisional ones included (capped by what the path can reach)."""
    from wizard.policy.engine import best_possible
    from wizard.policy.tree import Outcome

    if verdict.outcome is not None:
        return f"outcome-{verdict.outcome.value}"
    best = best_possible(verdict, cap.outcome if cap else Outcome.GO)
    if best is Outcome.GO:
        return "outcome-open"
    return f"outcome-{best.value}"


def provisional_label(verdict: Verdict, cap: Cap | None = None) -> str:
    """The verdict word, or the best the answers so far and the path still allow."""
    from wizard.policy.engine import best_possible
    from wizard.policy.tree import Outcome

    if verdict.outcome is not None:
        return verdict.outcome.label
    if verdict.blockers:
        return "NO-GO (a blocker is raised)"
    best = best_possible(verdict, cap.outcome if cap else Outcome.GO)
    if best is Outcome.GO:
        return "open: no findings yet"
    return f"at best {best.label}"


def cap_reason(cap: Cap | None) -> Text | None:
    """Why the path cannot do better than its cap (None when it still can reach GO): the answer whose
    own cap set it (``At best …: question → answer``), else the answer after which nothing better is
    reachable."""
    from wizard.policy.tree import Outcome

    if cap is None or cap.outcome is Outcome.GO:
        return None
    source = cap_source(cap)
    if cap.by is not None and source is not None:
        return cap_line(cap.by, source)
    out = Text(f"This path allows {cap.outcome.label} at best")
    if cap.by is not None:
        out.append(", since: ")
        out.append(literal(cap.by.question.text))
        out.append(" → ")
        out.append(literal(cap.by.label, "italic"))
    else:
        out.append(".")
    return out


def other_caps(verdict: Verdict, cap: Cap | None, *, reason: bool) -> list[Text]:
    """Every answer that caps the verdict, as ``At best …`` lines, but the one ``cap_reason`` names
    when that reason is shown (``reason``)."""
    source = cap_source(cap) if reason and cap is not None and cap_reason(cap) is not None else None
    said = (cap.by, source) if cap is not None and source is not None else None
    return [cap_line(step, choice) for step, choice in verdict.capped if (step, choice) != said]


def walk_notes(verdict: Verdict, cap: Cap | None, *, reason: bool) -> list[Text]:
    """What the findings do not say: why the path is capped (``reason``: while it is provisional), every
    answer that caps the verdict, and the questions passed as moot. Empty for most trees."""
    why = cap_reason(cap) if reason else None
    return ([why] if why is not None else []) + other_caps(verdict, cap, reason=reason) + [
        skip_line(skip) for skip in verdict.walk.skipped]


class VerdictPanel(VerticalScroll, can_focus=False):
    """Provisional verdict and the findings raised so far, updated after every answer."""

    def compose(self) -> ComposeResult:
        yield Static("Provisional verdict", classes="panel-title")
        yield Static(id="verdict-label")
        yield Static(id="verdict-findings")

    _shown: tuple[object, ...] | None = None

    def show_verdict(self, verdict: Verdict, cap: Cap | None = None) -> None:
        """Render ``verdict`` (provisional while questions remain, capped by ``cap``); a no-op when it reads the same."""
        shown = (
            verdict.outcome,
            (cap.outcome, cap.by) if cap is not None else None,
            len(verdict.blockers),
            len(verdict.warnings),
            tuple((rf.finding.severity.value, rf.finding.title, tuple(raised_labels(s, rf.finding.id)
                                                                     for s in rf.raised_by))
                  for rf in verdict.findings),
            tuple((s.question.id, c.id) for s, c in verdict.capped),
            tuple((k.question.id, k.by.question.id) for k in verdict.walk.skipped),
        )
        if shown == self._shown:
            return  # most answers raise nothing new: skip re-laying-out and repainting the panel
        self._shown = shown
        label = self.query_one("#verdict-label", Static)
        wanted = outcome_class(verdict, cap)
        if not label.has_class(wanted):
            label.remove_class(*OUTCOME_CLASSES)
            label.add_class(wanted)
        label.update(Text(provisional_label(verdict, cap)))
        self.query_one(".panel-title", Static).update("Verdict" if verdict.outcome else "Provisional verdict")
        body = Text()
        notes = walk_notes(verdict, cap, reason=verdict.outcome is None)
        if notes:
            body.append(Text("\n").join(notes))
            body.append("\n\n")
        if not verdict.findings:
            body.append("No findings raised so far.", style="italic")
        else:
            body.append(f"Findings so far: {len(verdict.blockers)} blocker(s), {len(verdict.warnings)} warning(s)\n")
            for rf in verdict.findings:
                body.append("\n")
                body.append(SEVERITY_MARK[rf.finding.severity.value], style="bold")
                body.append(" ")
                body.append(literal(rf.finding.title))
                for step in rf.raised_by:
                    body.append("\n  ← ")
                    body.append(literal(raised_labels(step, rf.finding.id), style="italic"))
        self.query_one("#verdict-findings", Static).update(body)
