"""The summary: the verdict as a banner, findings with their causes, the checklist, and saving."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from wizard.tui.text import join, literal
from wizard.tui.widgets.footer import KeyFooter
from wizard.tui.widgets.verdict import OUTCOME_CLASSES, SEVERITY_MARK, outcome_class

if TYPE_CHECKING:
    from wizard.engine import Verdict
    from wizard.review import Session
    from wizard.tui.app import ReviewApp


def findings_text(verdict: "Verdict") -> Group:
    """Findings grouped by severity, each with its explanation and the answers that raised it."""
    parts: list = []
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
                body.append(literal(step.choice.label, "italic"))
            parts.extend([Text(""), head, Padding(body, (0, 0, 0, 2))])
    if not parts:
        parts.append(Text("No findings: nothing on this path needs fixing.", style="italic"))
    return Group(*parts)


def checklist_text(verdict: "Verdict") -> Text:
    """The remediation steps as a checklist."""
    if not verdict.remediation:
        return Text("Nothing to remediate.", style="italic")
    return Text("\n").join(join("☐ ", literal(step)) for step in verdict.remediation)


def references_text(verdict: "Verdict", references: dict[str, str]) -> Text:
    """Every reference on the path and on the findings, with its title."""
    if not verdict.references:
        return Text("None.", style="italic")
    lines = []
    for ref in verdict.references:
        line = join("• ", literal(ref, "bold"))
        if references.get(ref):
            line.append(" — ")
            line.append(literal(references[ref]))
        lines.append(line)
    return Text("\n").join(lines)


def answers_text(session: "Session") -> Text:
    """The answers on the path, with notes: what the attestation will record."""
    lines = []
    for step in session.verdict().walk.steps:
        line = join(literal(step.question.text), " → ", literal(step.choice.label, "bold"))
        note = session.notes.get(step.question.id)
        if note:
            line.append("\n  note: ")
            line.append(literal(note, "italic"))
        lines.append(line)
    return Text("\n").join(lines)


class SummaryScreen(Screen):
    """The finished review: verdict, findings, remediation, references; save writes the attestation."""

    app: "ReviewApp"

    BINDINGS = [
        Binding("s", "save", "Save attestation"),
        Binding("b", "back", "Back"),
        Binding("q", "app.quit_review", "Quit", show=False),
    ]

    def __init__(self, session: "Session") -> None:
        super().__init__()
        self.session = session
        """The finished review."""
        self.saved_to = None
        """Where the attestation was written, once saved."""

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        with VerticalScroll(id="summary-body"):
            yield Static(id="banner")
            yield Static(id="save-status", classes="notice")
            yield Static("Findings", classes="section")
            yield Static(id="findings")
            yield Static("Remediation checklist", classes="section")
            yield Static(id="checklist")
            yield Static("References", classes="section")
            yield Static(id="references")
            yield Static("Answers", classes="section")
            yield Static(id="answers")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_summary()

    def refresh_summary(self) -> None:
        """Render the session's verdict (called again after going back and returning)."""
        s = self.session
        verdict = s.verdict()
        self.query_one("#topbar", Static).update(
            join("authready · ", literal(s.tree.title), f" v{s.tree.version} · summary")
        )
        banner = self.query_one("#banner", Static)
        banner.remove_class(*OUTCOME_CLASSES)
        banner.add_class(outcome_class(verdict))
        end = verdict.walk.end
        text = Text(verdict.label, style="bold")
        if end is not None:
            text.append("\n")
            text.append(literal(end.summary))
        if verdict.required_signers:
            text.append(
                f"\n{len(verdict.blockers)} blocker(s), {len(verdict.warnings)} warning(s) · "
                f"needs {verdict.required_signers} signer(s) · valid {verdict.valid_days} days"
            )
        banner.update(text)
        self.query_one("#findings", Static).update(findings_text(verdict))
        self.query_one("#checklist", Static).update(checklist_text(verdict))
        self.query_one("#references", Static).update(references_text(verdict, s.tree.references))
        self.query_one("#answers", Static).update(answers_text(s))
        self._show_status()

    def _show_status(self, error: str | None = None) -> None:
        status = self.query_one("#save-status", Static)
        status.remove_class("error")
        if error:
            status.add_class("error")
            status.update(join("Not saved: ", literal(error), "\nNothing is lost: fix it (b to go back) and press s again."))
        elif self.saved_to is not None:
            shown = self.app.display_path(self.saved_to)
            status.update(join("Saved ", literal(shown, "bold"), "\nNext: ", literal(f"authready sign {shown}", "bold"),
                               " (each reviewer signs), then commit it."))
        else:
            target = self.app.display_path(self.app.target_path())
            status.update(join("Press s to save the attestation to ", literal(target, "bold"), "."))

    def action_save(self) -> None:
        """Write the attestation through the core writer; on failure say why and keep everything."""
        if self.saved_to is not None:
            return
        if not self.session.allow_dirty:
            dirty = self.session.uncommitted()
            if dirty:
                # Ask first: the attestation binds HEAD, not these files. A second press confirms.
                self.session.allow_dirty = True
                shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
                self._show_status(
                    f"uncommitted changes under the subject paths ({shown}). The attestation binds the committed "
                    "code (HEAD), not these changes: press s again to bind HEAD as it is, or quit, commit and resume"
                )
                return
        try:
            self.saved_to = self.app.save_attestation()
        except Exception as exc:  # noqa: BLE001 - every failure is shown, nothing is lost
            from pathlib import Path

            from wizard.errors import AuthreadyError

            if isinstance(exc, AuthreadyError) and exc.path:
                exc.path = self.app.display_path(Path(exc.path))
            self._show_status(str(exc) or type(exc).__name__)
            return
        self._show_status()
        self.refresh_bindings()

    def action_back(self) -> None:
        """Back to the last question (to change an answer or a note)."""
        if self.saved_to is not None:
            return
        self.session.position = max(len(self.session.path()) - 1, 0)
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "back") and self.saved_to is not None:
            return False
        return True
