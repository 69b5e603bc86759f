"""The start screen: who reviews what, and an offer to resume a saved draft.

It is the first frame the team sees, so it imports nothing heavy: the
policy tree and any draft load in the background and fill in the screen
when ready (``show_prepared``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from wizard.ui.tui.text import join, literal
from wizard.ui.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from wizard.ui.tui.app import Prepared, ReviewApp


def split_list(value: str) -> list[str]:
    """``"a, b,,c"`` -> ``["a", "b", "c"]``: reviewers and paths are typed comma-separated."""
    return [part.strip() for part in value.split(",") if part.strip()]


class StartScreen(Screen):
    """Component, reviewers and subject paths (with defaults); resume a draft if there is one."""

    app: "ReviewApp"

    AUTO_FOCUS = "#component"

    BINDINGS = [
        Binding("ctrl+s", "start", "Start review"),
        Binding("ctrl+r", "resume", "Resume draft"),
    ]

    def __init__(self, component: str, reviewers: list[str], paths: list[str]) -> None:
        super().__init__()
        self._defaults = (component, reviewers, paths)
        self._ready = False
        self.mounted = False
        """Whether ``on_mount`` has run (before that, the app's ``prepared`` is picked up there)."""

    def compose(self) -> ComposeResult:
        component, reviewers, paths = self._defaults
        yield Static(Text("authready · review"), id="topbar")
        with VerticalScroll(id="start-body"):
            yield Static(Text("Loading the policy…"), id="policy")
            yield Static(id="resume", classes="notice")
            yield Static(id="rereview", classes="notice")
            # Plain Statics and no buttons: the footer's keys are clickable, and every widget
            # type on the first frame costs its default CSS and styling before anything shows.
            yield Static(Text("Component under review"), classes="field-label")
            yield Input(component, id="component", placeholder="e.g. billing-api")
            yield Static(Text("Reviewers (comma-separated; they sign the attestation)"), classes="field-label")
            yield Input(", ".join(reviewers), id="reviewers", placeholder="alice@example.com, bob@example.com")
            yield Static(Text("Subject paths (comma-separated, relative to the repo root)"), id="paths-label",
                         classes="field-label")
            yield Input(", ".join(paths), id="paths", placeholder=". or src/auth")
            yield Static(id="start-error", classes="error")
            yield Static(Text("Enter in the last field (or ctrl+s) starts the review."), id="start-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = getattr(self.app, "input_cursor_blink", True)
        self.query_one("#resume").display = False
        self.query_one("#rereview").display = False
        self.query_one("#start-error").display = False
        self.mounted = True
        if self.app.prepared is not None:  # loaded before this screen was composed
            self.show_prepared(self.app.prepared)

    # -- filled in once the tree and any draft are loaded ----------------------------------------
    def show_prepared(self, prepared: "Prepared") -> None:
        """Show the policy, the resume offer and the re-review notice; enable Start."""
        tree = prepared.loaded.tree
        self.query_one("#policy", Static).update(
            join("Policy: ", literal(tree.title, "bold"), f"  (tree {tree.id} v{tree.version})")
        )
        self.query_one("#paths-label", Static).update(
            join("Subject paths (comma-separated, relative to the repo root) · repo: ", literal(prepared.repo_label))
        )
        if prepared.meta is not None:
            self.query_one("#component", Input).value = prepared.meta.component
            self.query_one("#reviewers", Input).value = ", ".join(prepared.meta.reviewers)
            self.query_one("#paths", Input).value = ", ".join(prepared.meta.paths)
        elif prepared.email and not self.query_one("#reviewers", Input).value:
            self.query_one("#reviewers", Input).value = prepared.email
        resume = self.query_one("#resume", Static)
        if prepared.draft is not None:
            d = prepared.draft
            resume.update(
                join(
                    "A saved draft of this review exists: ",
                    literal(d.component or "(no component)", "bold"),
                    f", {len(d.answers)} answer(s), {len(d.notes)} note(s). ",
                    "Resume it (ctrl+r) or start over (ctrl+s; the draft is replaced).",
                )
            )
            resume.display = True
        elif prepared.draft_error:
            resume.update(join("The saved draft could not be read: ", literal(prepared.draft_error),
                               " Starting over replaces it."))
            resume.display = True
        if prepared.from_label:
            notice = self.query_one("#rereview", Static)
            notice.update(literal(prepared.from_label))
            notice.display = True
        self._ready = True
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self._ready and self.app.prepared is not None and self.app.prepared.draft is not None
        if action == "start":
            return True if self._ready else None
        return True

    # -- actions ------------------------------------------------------------------------------
    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        order = ["component", "reviewers", "paths"]
        idx = order.index(event.input.id) if event.input.id in order else len(order) - 1
        if idx + 1 < len(order):
            self.query_one(f"#{order[idx + 1]}", Input).focus()
        else:
            self.action_start()

    def action_start(self) -> None:
        """Check the fields and begin (or continue) the review."""
        if not self._ready:
            return
        component = self.query_one("#component", Input).value.strip()
        reviewers = split_list(self.query_one("#reviewers", Input).value)
        paths = split_list(self.query_one("#paths", Input).value)
        problem = self.app.check_meta(component, reviewers, paths)
        error = self.query_one("#start-error", Static)
        if problem:
            error.update(literal(problem))
            error.display = True
            return
        error.display = False
        self.app.begin(component, reviewers, paths)

    def action_resume(self) -> None:
        """Continue the saved draft where it stopped."""
        if self._ready and self.app.prepared is not None and self.app.prepared.draft is not None:
            self.app.resume()
