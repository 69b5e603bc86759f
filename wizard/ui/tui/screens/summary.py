"""The summary: the verdict as a banner, who owns each warning and by when, findings, the checklist, saving.

Saving goes through the session (the one writer); the screen then posts
:class:`SummaryScreen.Saved` so the app can say where the attestation went
after it closes. A review that raised warnings shows a field per warning for
its owner and due date (``wizard.ui.tui.widgets.conditions``); saving waits
while one is refused. The texts are built in ``wizard.ui.tui.summary_text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from wizard.infra.errors import AuthreadyError
from wizard.ui.tui.summary_text import (
    answers_text,
    checklist_text,
    findings_text,
    headline_text,
    references_text,
)
from wizard.ui.tui.text import display_path, join, literal
from wizard.ui.tui.widgets.conditions import ConditionField, ConditionsForm
from wizard.ui.tui.widgets.footer import KeyFooter
from wizard.ui.tui.widgets.verdict import OUTCOME_CLASSES, outcome_class

if TYPE_CHECKING:
    from wizard.policy.engine import Verdict
    from wizard.review.session import Session

__all__ = ["SummaryScreen", "answers_text", "checklist_text", "findings_text", "headline_text", "references_text"]


class SummaryScreen(Screen[None]):
    """The finished review: verdict, findings, remediation, references; save writes the attestation."""

    BINDINGS = [
        Binding("s", "save", "Save attestation"),
        Binding("ctrl+s", "save_typed", "Save attestation", key_display="^s"),  # from inside a field
        Binding("b", "back", "Back"),
        Binding("tab", "app.focus_next", "Next field", key_display="tab"),
        Binding("q", "app.quit_review", "Quit", show=False),
    ]

    FIELD_ACTIONS = {"save", "back", "quit_review"}
    """The one-letter keys, which type into a conditions field while it has focus."""

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
            if self.session.verdict().warnings:
                yield ConditionsForm(self.session, self.reviewed_at)
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

    @property
    def in_field(self) -> bool:
        """Whether a conditions field has focus (letters type there; ctrl+s saves)."""
        return isinstance(self.focused, ConditionField)

    @property
    def footer_hidden(self) -> frozenset[str]:
        """Keys the footer leaves out: ctrl+s outside a field (s is shown), Tab with no fields to move to."""
        hidden = set() if self.in_field else {"save_typed"}
        if self.saved_to is not None or not self.query(ConditionField):
            hidden.add("app.focus_next")
        return frozenset(hidden)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.refresh_bindings()

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
        forms = self.query(ConditionsForm)
        refused = forms.first(ConditionsForm).apply_all() if forms else None
        if refused is not None:
            self.query_one("#save-status", Static).add_class("error")
            self.query_one("#save-status", Static).update(
                join("Not saved: ", literal(refused.what), " is refused (see under it): fix it, or Esc puts back "
                     "the kept one."))
            refused.focus()
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
        self.query(ConditionsForm).set(disabled=True)  # recorded: changing them now would change nothing
        self.post_message(self.Saved(saved))
        self._show_status()
        self.refresh_bindings()

    def action_back(self) -> None:
        """Back to the last question (to change an answer or a note)."""
        if self.saved_to is not None:
            return
        self.stash_conditions()  # what passes is kept (and in the draft); a refused value is not
        self.session.go_to(len(self.session.path()))
        self.dismiss()

    def action_save_typed(self) -> None:
        """ctrl+s: save from inside a conditions field (there, s types an s)."""
        self.action_save()

    def stash_conditions(self) -> None:
        """Keep what the conditions fields hold that passes (the app calls it when the team quits here)."""
        for form in self.query(ConditionsForm).results(ConditionsForm):
            form.apply_all()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "save_typed", "back") and self.saved_to is not None:
            return False
        if action in self.FIELD_ACTIONS and self.in_field:
            return False
        return True
