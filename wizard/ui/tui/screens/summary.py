"""The summary: the verdict as a banner, findings with their causes, the checklist, and saving.

Saving goes through the session (the one writer); the screen then posts
:class:`SummaryScreen.Saved` so the app can say where the attestation went
after it closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from wizard.infra.errors import AuthreadyError
from wizard.ui.tui.text import display_path, join, literal
from wizard.ui.tui.walk_text import path_entries, raised_labels, skip_line
from wizard.ui.tui.widgets.footer import KeyFooter
from wizard.ui.tui.widgets.verdict import (
    OUTCOME_CLASSES,
    SEVERITY_MARK,
    cap_reason,
    other_caps,
    outcome_class,
)

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


class SummaryScreen(Screen[None]):
    """The finished review: verdict, findings, remediation, references; save writes the attestation."""

    BINDINGS = [
        Binding("s", "save", "Save attestation"),
        Binding("b", "back", "Back"),
        Binding("q", "app.quit_review", "Quit", show=False),
    ]

    @dataclass
    class Saved(Message):
        """The attestation was written to ``path``."""

        path: Path

    def __init__(self, session: Session, *, out: Path | None = None, reviewed_at: str | None = None) -> None:
        super().__init__()
        self.session = session
        """The finished review."""
        self.out = out
        """Where to write the attestation (default ``.authready/<component>.toml``)."""
        self.reviewed_at = reviewed_at
        """A fixed review time (tests, reproducible runs); else ``SOURCE_DATE_EPOCH`` or now."""
        self.saved_to: Path | None = None
        """Where the attestation was written, once saved."""

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        with VerticalScroll(id="summary-body"):
            yield Static(id="banner")
            yield Static(id="path-best")
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

    def target_path(self) -> Path:
        """Where the attestation will be written."""
        from wizard.attestation.store import default_path

        return self.out or default_path(self.session.root, self.session.meta.component)

    def _shown(self, path: Path) -> str:
        return display_path(path, self.session.root)

    def refresh_summary(self) -> None:
        """Render the session's verdict (called again after going back and returning)."""
        from wizard.policy.engine import path_cap

        s = self.session
        verdict = s.verdict()
        self.query_one("#topbar", Static).update(
            join("authready · ", literal(s.tree.title), f" v{s.tree.version} · summary")
        )
        banner = self.query_one("#banner", Static)
        banner.remove_class(*OUTCOME_CLASSES)
        banner.add_class(outcome_class(verdict))
        end = verdict.walk.end
        cap = path_cap(s.tree, verdict.walk)
        text = Text(verdict.label, style="bold")
        text.append("\n")
        text.append(headline_text(verdict, cap))
        if verdict.required_signers:
            text.append(
                f"\n{len(verdict.blockers)} blocker(s), {len(verdict.warnings)} warning(s) · "
                f"needs {verdict.required_signers} signer(s) · valid {verdict.valid_days} days"
            )
        banner.update(text)
        best = self.query_one("#path-best", Static)
        if end is not None:
            best.update(join(Text(f"What this path allows at best ({end.outcome.label}): ", style="italic"),
                             literal(end.summary, "dim")))
        best.display = end is not None
        self.query_one("#findings", Static).update(findings_text(verdict))
        self.query_one("#checklist", Static).update(checklist_text(verdict))
        # The references and the answers (the longest texts, below the fold) fill in right after the
        # first frame: wrapping them is most of the cost of opening the summary.
        self.call_after_refresh(self._fill_lower, verdict)
        self._show_status()

    def _fill_lower(self, verdict: Verdict) -> None:
        s = self.session
        self.query_one("#references", Static).update(references_text(verdict, s.tree.references))
        self.query_one("#answers", Static).update(answers_text(s))

    def _show_status(self, error: str | None = None) -> None:
        status = self.query_one("#save-status", Static)
        status.remove_class("error")
        if error:
            status.add_class("error")
            status.update(join("Not saved: ", literal(error), "\nNothing is lost: fix it (b to go back) and press s again."))
        elif self.saved_to is not None:
            shown = self._shown(self.saved_to)
            status.update(join("Saved ", literal(shown, "bold"), "\nNext: ", literal(f"authready sign {shown}", "bold"),
                               " (each reviewer signs), then commit it."))
        elif self.session.supersedes(self.target_path()):
            status.update(self._supersede_text())
        else:
            from wizard.review.lifecycle import signer_gap

            target = self._shown(self.target_path())
            verdict = self.session.verdict()
            gap = signer_gap(verdict.required_signers or 1, self.session.meta.reviewers) if verdict.outcome else None
            status.update(join(literal(f"Warning: {gap}\n") if gap else "",
                               "Press s to save the attestation to ", literal(target, "bold"), "."))

    def _supersede_text(self) -> Text:
        """What saving will replace, and what changes: the team confirms with s knowing it."""
        from wizard.review.lifecycle import supersede_summary

        path = self.target_path()
        try:
            changes = supersede_summary(path, self.session.attestation(self.reviewed_at, preview=True))
        except Exception as exc:
            changes = [f"cannot compare: {exc}"]
        return join("This re-review replaces ", literal(self._shown(path), "bold"), ". What changes:\n",
                    literal("\n".join(f"  - {c}" for c in changes)),
                    "\nPress s to replace it (supersede), or b to go back.")

    def action_save(self) -> None:
        """Write the attestation through the core writer; on failure say why and keep everything."""
        if self.saved_to is not None:
            return
        if not self.session.allow_dirty:
            dirty = self.session.uncommitted()
            if dirty:
                # Ask first: the attestation binds HEAD, not these files. A second press confirms.
                self.session.bind_head()
                shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
                self._show_status(
                    f"uncommitted changes under the subject paths ({shown}). The attestation binds the committed "
                    "code (HEAD), not these changes: press s again to bind HEAD as it is, or quit, commit and resume"
                )
                return
        target = self.target_path()
        try:
            saved = self.session.save(target, self.reviewed_at, supersede=self.session.supersedes(target))
        except Exception as exc:
            if isinstance(exc, AuthreadyError) and exc.path:
                exc.path = self._shown(Path(exc.path))
            self._show_status(str(exc) or type(exc).__name__)
            return
        self.saved_to = saved
        self.post_message(self.Saved(saved))
        self._show_status()
        self.refresh_bindings()

    def action_back(self) -> None:
        """Back to the last question (to change an answer or a note)."""
        if self.saved_to is not None:
            return
        self.session.go_to(len(self.session.path()))
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "back") and self.saved_to is not None:
            return False
        return True
