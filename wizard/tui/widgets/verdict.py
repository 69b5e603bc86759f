"""The live verdict panel: what the answers so far already decide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from wizard.tui.text import literal

if TYPE_CHECKING:
    from wizard.engine import Verdict

OUTCOME_CLASSES = ("outcome-go", "outcome-conditional", "outcome-prototype", "outcome-no-go", "outcome-open")
"""CSS classes that colour a verdict word; one is set at a time."""

SEVERITY_MARK = {"blocker": "✗ BLOCKER", "warning": "! WARNING"}
"""How a severity is written: a symbol and a word, so it reads without colour."""


def outcome_class(verdict: "Verdict") -> str:
    """The CSS class for a verdict, provisional ones included."""
    if verdict.outcome is not None:
        return f"outcome-{verdict.outcome.value}"
    if verdict.blockers:
        return "outcome-no-go"
    if verdict.warnings:
        return "outcome-conditional"
    return "outcome-open"


def provisional_label(verdict: "Verdict") -> str:
    """The verdict word, or what the findings so far already decide."""
    if verdict.outcome is not None:
        return verdict.outcome.label
    if verdict.blockers:
        return "NO-GO (a blocker is raised)"
    if verdict.warnings:
        return "at best GO WITH CONDITIONS"
    return "open: no findings yet"


class VerdictPanel(VerticalScroll, can_focus=False):
    """Provisional verdict and the findings raised so far, updated after every answer."""

    def compose(self) -> ComposeResult:
        yield Static("Provisional verdict", classes="panel-title")
        yield Static(id="verdict-label")
        yield Static(id="verdict-findings")

    _shown: tuple[object, ...] | None = None

    def show_verdict(self, verdict: "Verdict") -> None:
        """Render ``verdict`` (provisional while questions remain); a no-op when it reads the same."""
        shown = (
            verdict.outcome,
            len(verdict.blockers),
            len(verdict.warnings),
            tuple((rf.finding.severity.value, rf.finding.title, tuple(s.choice.label for s in rf.raised_by))
                  for rf in verdict.findings),
        )
        if shown == self._shown:
            return  # most answers raise nothing new: skip re-laying-out and repainting the panel
        self._shown = shown
        label = self.query_one("#verdict-label", Static)
        wanted = outcome_class(verdict)
        if not label.has_class(wanted):
            label.remove_class(*OUTCOME_CLASSES)
            label.add_class(wanted)
        label.update(Text(provisional_label(verdict)))
        self.query_one(".panel-title", Static).update("Verdict" if verdict.outcome else "Provisional verdict")
        body = Text()
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
                    body.append(literal(step.choice.label, style="italic"))
        self.query_one("#verdict-findings", Static).update(body)
