"""The start screen: who reviews what, and the saved drafts of this policy to resume.

It is the first frame the team sees, so it imports nothing heavy: the
policy tree and the drafts load in the background and fill in the screen
when ready (``show_prepared``). It decides nothing about the review: it
checks its fields with ``wizard.review.start`` and posts
:class:`StartScreen.Begin` or :class:`StartScreen.ResumeDraft` for the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wizard.ui.tui.text import join, literal
from wizard.ui.tui.widgets.choice import ChoiceLabel
from wizard.ui.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from wizard.infra.workspace import Meta
    from wizard.review.drafts import DraftInfo
    from wizard.ui.tui.prepare import Prepared

FIELDS = ("component", "reviewers", "paths")
"""The start fields, in the order Enter moves through them."""


def draft_line(info: DraftInfo) -> Text:
    """A draft as the start screen lists it: the component, how far it got, when it last changed (UTC)."""
    return join(literal(info.component or "(no component)", "bold"),
                f" · {info.answered} answered · changed {info.changed:%Y-%m-%d %H:%M} UTC")


class StartScreen(Screen[None]):
    """Component, reviewers and subject paths (with defaults); the drafts of this policy to resume."""

    AUTO_FOCUS = "#component"

    BINDINGS = [
        Binding("ctrl+s", "start", "Start review"),
        Binding("ctrl+r", "resume", "Resume draft"),
    ]

    @dataclass
    class Begin(Message):
        """The fields are fine: start a review with them (or carry on the current one with them)."""

        meta: Meta

    @dataclass
    class ResumeDraft(Message):
        """Resume this saved draft."""

        draft: DraftInfo

    def __init__(self, component: str, reviewers: list[str], paths: list[str], *, cursor_blink: bool = True) -> None:
        super().__init__()
        self._defaults = (component, reviewers, paths)
        self._cursor_blink = cursor_blink
        self.prepared: Prepared | None = None
        """The review's setup (tree, drafts, re-review) and the screen's lines; None while loading."""
        self.drafts: list[DraftInfo] = []
        """The drafts listed, newest first (as the list shows them)."""
        self._resumed = False

    def compose(self) -> ComposeResult:
        component, reviewers, paths = self._defaults
        yield Static(Text("authready · review"), id="topbar")
        with VerticalScroll(id="start-body"):
            yield Static(Text("Loading the policy…"), id="policy")
            # Plain Statics and no buttons: the footer's keys are clickable, and every widget
            # (and widget type) on the first frame costs styling before anything shows. The
            # drafts and the notices are added when there are some (``_notice``).
            yield Static(Text("Component under review"), classes="field-label")
            yield self._field(component, "component", "e.g. billing-api")
            yield Static(Text("Reviewers (comma-separated; they sign the attestation)"), classes="field-label")
            yield self._field(", ".join(reviewers), "reviewers", "alice@example.com, bob@example.com")
            yield Static(Text("Subject paths (comma-separated, relative to the repo root)"), id="paths-label",
                         classes="field-label")
            yield self._field(", ".join(paths), "paths", ". or src/auth")
            yield Static(Text("Enter in the last field (or ctrl+s) starts the review."), id="start-hint")
        yield KeyFooter()

    def _field(self, value: str, ident: str, placeholder: str) -> Input:
        # No validators, so no validation on change: it would restyle each field before the first frame.
        field = Input(value, id=ident, placeholder=placeholder, validate_on=())
        field.cursor_blink = self._cursor_blink
        return field

    def on_mount(self) -> None:
        if self.prepared is not None:  # loaded before this screen was mounted
            self._show_prepared(self.prepared)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Textual's own handler. The first time, every widget here was styled as it was
        # mounted a moment ago, and restyling them all again would only delay the first frame (a theme
        # change restyles everything on its own). Returning from the questions restyles as usual.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
        elif self.prepared is not None:  # back from a review, which has a draft now: list them again
            from wizard.review.drafts import scan_drafts

            setup = self.prepared.setup
            self._show_drafts(scan_drafts(setup.root, setup.loaded.tree.id)[0])

    def correct_defaults(self, component: str, paths: list[str]) -> None:
        """git placed the repo elsewhere than the first frame's guess: fix the defaults not yet edited."""
        old_component, reviewers, old_paths = self._defaults
        self._defaults = (component, reviewers, paths)  # what compose uses, if it has not run yet
        for ident, old, new in (("component", old_component, component),
                                ("paths", ", ".join(old_paths), ", ".join(paths))):
            for field in self.query(f"#{ident}").results(Input):
                if field.value == old:
                    field.value = new

    # -- filled in once the tree and the drafts are loaded --------------------------------------
    def show_prepared(self, prepared: Prepared) -> None:
        """Show the policy, the drafts to resume and the re-review notice; enable Start."""
        self.prepared = prepared
        if self.is_mounted:
            self._show_prepared(prepared)

    def _show_prepared(self, prepared: Prepared) -> None:
        setup = prepared.setup
        tree = setup.loaded.tree
        self.query_one("#policy", Static).update(
            join("Policy: ", literal(tree.title, "bold"), f"  (tree {tree.id} v{tree.version})")
        )
        self.query_one("#paths-label", Static).update(
            join("Subject paths (comma-separated, relative to the repo root) · repo: ", literal(prepared.repo_label))
        )
        meta = setup.meta
        if setup.prefill is not None:  # a re-review starts from the attestation's fields
            self.query_one("#component", Input).value = meta.component
            self.query_one("#reviewers", Input).value = ", ".join(meta.reviewers)
            self.query_one("#paths", Input).value = ", ".join(meta.paths)
        elif meta.reviewers and not self.query_one("#reviewers", Input).value:
            self.query_one("#reviewers", Input).value = ", ".join(meta.reviewers)  # git's user.email
        self._show_drafts(setup.drafts)
        if setup.draft_problems:  # named from the repo root: the whole path is noise here
            problems = "; ".join(p.replace(f"{setup.root}/", "", 1) for p in setup.draft_problems)
            self._notice("#draft-problems", join("Skipped (could not be read): ", literal(problems)))
        if prepared.from_label:
            self._notice("#rereview", literal(prepared.from_label))
        self.refresh_bindings()

    def _show_drafts(self, drafts: list[DraftInfo]) -> None:
        """List this policy's drafts in this repo, newest first; Enter or ctrl+r resumes one."""
        self.drafts = drafts
        listing = self.query("#drafts")
        if not drafts:
            self._notice("#resume", None)
            listing.set(display=False)
            return
        self._notice("#resume", Text("Saved drafts of this policy in this repo "
                                     "(ctrl+r, or Enter in the list, resumes the highlighted one):"))
        options = [Option(ChoiceLabel(str(i) if i < 10 else "", draft_line(d)), id=str(i))
                   for i, d in enumerate(drafts, 1)]
        if listing:
            drafts_list = listing.first(OptionList)
            drafts_list.clear_options()
            drafts_list.add_options(options)
            drafts_list.display = True
        else:
            drafts_list = OptionList(*options, id="drafts")
            self.query_one("#start-body").mount(drafts_list, after="#resume")
        drafts_list.highlighted = 0

    NOTICES = {"resume": ("notice", "#policy"), "rereview": ("notice", "#drafts, #resume, #policy"),
               "draft-problems": ("error", "#rereview, #drafts, #resume, #policy")}
    """Each notice's class and what it follows (the first of those present)."""

    def _notice(self, selector: str, text: Text | None) -> None:
        """Show ``text`` in the notice ``selector`` (added the first time); None hides it."""
        found = self.query(selector)
        if found:
            notice = found.first(Static)
            if text is not None:
                notice.update(text)
            notice.set_class(text is None, "-hidden")
        elif text is not None:
            kind, after = self.NOTICES[selector.lstrip("#")]
            anchor = next(w for s in after.split(", ") for w in self.query(s))
            self.query_one("#start-body").mount(Static(text, id=selector.lstrip("#"), classes=kind), after=anchor)

    def _problem(self, field: str, problem: str | None) -> None:
        """Show ``problem`` under the field it is about (None clears it)."""
        found = self.query(f"#{field}-problem")
        if found:
            line = found.first(Static)
            line.update(literal(f"{field}: {problem}") if problem else "")
            line.set_class(problem is None, "-hidden")
        elif problem is not None:
            line = Static(literal(f"{field}: {problem}"), id=f"{field}-problem", classes="error")
            self.query_one("#start-body").mount(line, after=f"#{field}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self.prepared is not None and bool(self.drafts)
        if action == "start":
            return True if self.prepared is not None else None
        return True

    # -- actions ------------------------------------------------------------------------------
    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        idx = FIELDS.index(event.input.id) if event.input.id in FIELDS else len(FIELDS) - 1
        if idx + 1 < len(FIELDS):
            self.query_one(f"#{FIELDS[idx + 1]}", Input).focus()
        else:
            self.action_start()

    def action_start(self) -> None:
        """Check the fields (``wizard.review.start``) and begin (or continue) the review."""
        if self.prepared is None:
            return
        from wizard.infra.workspace import Meta
        from wizard.review.start import split_list, start_problems

        setup = self.prepared.setup
        meta = Meta(self.query_one("#component", Input).value.strip(),
                    split_list(self.query_one("#reviewers", Input).value),
                    split_list(self.query_one("#paths", Input).value))
        problems = start_problems(meta, setup.root, setup.in_git)
        for field in FIELDS:
            self._problem(field, problems.get(field))
        if problems:
            self.query_one(f"#{next(f for f in FIELDS if f in problems)}", Input).focus()
            return
        self.post_message(self.Begin(meta))

    def action_resume(self) -> None:
        """Resume the highlighted draft (the newest when the list is not in use)."""
        found = self.query("#drafts")
        index = found.first(OptionList).highlighted if found else None
        if self.drafts:
            self.post_message(self.ResumeDraft(self.drafts[index or 0]))

    @on(OptionList.OptionSelected, "#drafts")
    def _draft_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.drafts):
            self.post_message(self.ResumeDraft(self.drafts[event.option_index]))
