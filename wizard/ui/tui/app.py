"""The Textual review wizard.

``ReviewApp`` takes its settings explicitly (the tree, the repo root, an
optional session, the output path), so tests build it directly; ``run`` is
what the CLI calls (learn mode is ``wizard.ui.tui.learn_app``). The review itself (routing, pruning,
drafts, saving) lives in ``wizard.review``; the screens show it. The app is
the one place that opens screens: screens post messages (``StartScreen.Begin``,
``QuestionScreen.Finished``, ``SummaryScreen.Saved`` …) or return results,
and never import this module.

To get the first frame up fast, this module imports Textual, the start screen
and ``wizard.infra.git`` only: the tree, pydantic and any draft load in a
background thread while the start screen is already on screen, and the other
screens' styles are read after the first frame.
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App
from textual.binding import Binding

from wizard.infra import git as gitinfo
from wizard.infra.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, AuthreadyError
from wizard.ui.tui import SCREENS_CSS, START_CSS
from wizard.ui.tui.prepare import Background, Prepared, guess_repo, prepare
from wizard.ui.tui.screens.start import StartScreen
from wizard.ui.tui.text import display_path
from wizard.ui.tui.view import ViewOptions, keep_draft

if TYPE_CHECKING:
    from wizard.infra.workspace import Meta
    from wizard.policy.tree import LoadedTree
    from wizard.review.drafts import DraftInfo
    from wizard.review.session import Session
    from wizard.ui.tui.screens.question import QuestionScreen
    from wizard.ui.tui.screens.summary import SummaryScreen


class ReviewApp(App[int]):
    """The review wizard: start → one question at a time → summary and save."""

    CSS_PATH = START_CSS
    TITLE = "authready"
    ENABLE_COMMAND_PALETTE = False
    input_cursor_blink = True
    """Whether text cursors blink (tests and screenshots turn it off for stable images)."""
    BINDINGS = [
        Binding("ctrl+c", "quit_review", "Quit", priority=True, key_display="^c"),
        Binding("ctrl+q", "quit_review", "Quit", priority=True, show=False),
    ]

    def __init__(
        self,
        *,
        tree: LoadedTree | str | Path | None = None,
        root: Path | None = None,
        in_git: bool | None = None,
        session: Session | None = None,
        from_attestation: Path | None = None,
        out: Path | None = None,
        reviewed_at: str | None = None,
        presenter: bool = False,
    ) -> None:
        super().__init__()
        self.view = ViewOptions(presenter=presenter)
        """Presenter mode and the "why" panel, shared by every question screen."""
        self._root: Path | None = root
        self._in_git = in_git
        self._root_lookup: Background[Path | None] | None = None
        self._root_guessed = False  # the first frame's root is guess_repo's, until git confirms it
        self._cwd = Path.cwd()
        if root is None:
            guess = guess_repo(self._cwd)
            if guess is not None:
                self._root, self._in_git = guess
                self._root_guessed = True
            else:  # ask git now; Textual starts up while it answers
                self._root_lookup = Background(gitinfo.repo_root, self._cwd)
        elif in_git is None:
            self._in_git = gitinfo.repo_root(root) is not None
        self.tree_arg = session.loaded if session is not None else tree
        """The tree as given: loaded, or an id/path to load in the background."""
        self.session = session
        """The review, once started or resumed."""
        self.from_attestation = from_attestation
        """The attestation to re-review (``--from``)."""
        self.out = out
        """Where to write the attestation (default ``.authready/<component>.toml``)."""
        self.reviewed_at = reviewed_at
        """A fixed review time (tests, reproducible runs); else ``SOURCE_DATE_EPOCH`` or now."""
        self.prepared: Prepared | None = None
        """The review's setup: tree, drafts, re-review prefill (None while loading)."""
        self.saved: Path | None = None
        """Where the attestation went, once saved."""
        self.exit_note: str | None = None
        """A line for the terminal after the app closes."""
        self._start: StartScreen | None = None
        self._own_drafts: set[Path] = set()  # drafts this app resumed: starting again never asks about them

    @property
    def root(self) -> Path:
        """The repo root (or the folder the review runs in, outside git)."""
        self._settle_root()
        assert self._root is not None
        return self._root

    @property
    def in_git(self) -> bool:
        """Whether ``root`` is a git work tree."""
        self._settle_root()
        return bool(self._in_git)

    def _settle_root(self) -> None:
        if self._root_lookup is not None:
            found = self._root_lookup.result()
            self._root_lookup = None
            self._root, self._in_git = (found, True) if found else (self._cwd.resolve(), False)

    # -- start-up -------------------------------------------------------------------------------
    def get_default_screen(self) -> StartScreen:
        # The start screen is the bottom of the stack (not pushed over Textual's blank default
        # screen), so the first frame composes, styles and lays out one screen, not two.
        if self.session is not None:
            m = self.session.meta
            defaults = (m.component, m.reviewers, m.paths)
        else:
            # Component and paths as wizard.infra.workspace.default_meta has them; the reviewer (git's
            # user.email) arrives with the tree, so the first frame waits for no git call.
            defaults = (self.root.name, [], ["."] if self.in_git else [])
        self._start = StartScreen(*defaults, cursor_blink=self.input_cursor_blink)
        return self._start

    def on_mount(self) -> None:
        self.view.cursor_blink = self.input_cursor_blink
        if self.session is not None:
            self._prepared(prepare(self.session.loaded, self._repo(), None, self._cwd))
            self._own_drafts.add(self.session.draft_path)
            self._open_questions()
        elif not self._loads_in_background():
            self._prepare_now()

    def _loads_in_background(self) -> bool:
        """Whether the tree is still to be read (an id or a path): then it loads after the first frame."""
        return self.session is None and (self.tree_arg is None or isinstance(self.tree_arg, (str, Path)))

    @on(events.Ready)
    def _first_frame_up(self) -> None:
        """The first frame is on screen: once the Ready handlers are done, load what it does not show.

        Not on mount: a thread loading pydantic and the tree competes with the UI thread for the GIL
        (from its first bytecode on), and would slow the very frame it was kept away from.
        """
        self.call_later(self._load_the_rest)

    def _load_the_rest(self) -> None:
        """The other screens' styles now; the tree, drafts and re-review in a thread (``prepare``)."""
        self._load_screens_css()
        if self._loads_in_background() and self.prepared is None:
            self.run_worker(self._prepare_thread, thread=True, exit_on_error=False)

    def _load_screens_css(self) -> None:
        """Add the other screens' styles (kept off the first frame); before any of them opens."""
        if not self.stylesheet.has_source(str(SCREENS_CSS)):
            self.stylesheet.read(SCREENS_CSS)

    def _repo(self) -> tuple[Path, bool] | None:
        """The repo as git said it, for ``prepare``; None while the first frame's guess stands (git is asked)."""
        return None if self._root_guessed else (self.root, self.in_git)

    def _prepare_now(self) -> None:
        try:
            self._prepared(prepare(self.tree_arg, self._repo(), self.from_attestation, self._cwd))
        except AuthreadyError as exc:
            self._failed(exc)

    def _prepare_thread(self) -> None:
        try:
            prepared = prepare(self.tree_arg, self._repo(), self.from_attestation, self._cwd)
        except AuthreadyError as exc:
            self.call_from_thread(self._failed, exc)
        else:
            self.call_from_thread(self._prepared, prepared)

    def _prepared(self, prepared: Prepared) -> None:
        self.prepared = prepared
        setup = prepared.setup
        if self._root_guessed:  # git has answered: where it disagrees with the guess, git is right
            self._root_guessed = False
            if (setup.root, setup.in_git) != (self._root, self._in_git) and self._start is not None:
                self._start.correct_defaults(setup.root.name, ["."] if setup.in_git else [])
            self._root, self._in_git = setup.root, setup.in_git
        if self._start is not None:
            self._start.show_prepared(prepared)

    def _failed(self, exc: Exception) -> None:
        self.exit_note = str(exc)
        self.exit(return_code=EXIT_USAGE)

    # -- what the screens ask for -----------------------------------------------------------------
    def on_start_screen_begin(self, message: StartScreen.Begin) -> None:
        """Start a review of these fields; if that component has a saved draft, ask first (never discard it)."""
        from wizard.review.drafts import draft_for

        p = self.prepared
        assert p is not None
        meta = message.meta
        own = self.session.draft_path if self.session is not None else None
        draft = draft_for(p.setup.root, p.setup.loaded.tree.id, meta.component)
        if draft is not None and draft.path != own and draft.path not in self._own_drafts:
            from wizard.ui.tui.screens.draft_choice import DraftChoiceScreen

            self._load_screens_css()
            self.push_screen(DraftChoiceScreen(draft), partial(self._draft_choice, meta, draft))
            return
        self._begin(meta)

    def _draft_choice(self, meta: Meta, draft: DraftInfo, choice: str | None) -> None:
        """The team's answer about an existing draft: resume it, replace it (delete, then begin), or cancel."""
        if choice == "resume":
            self._resume(draft)
        elif choice == "replace":
            from wizard.review.drafts import remove_draft

            try:
                remove_draft(draft.path)
            except (AuthreadyError, OSError) as exc:
                self.notify(f"Draft not replaced: {exc}", severity="error", markup=False)
                return
            self._begin(meta)

    def _begin(self, meta: Meta) -> None:
        p = self.prepared
        assert p is not None
        if self.session is None:
            self.session = p.setup.start(meta)
        else:
            self.session.set_meta(meta)
        for warning in p.setup.warnings_for(meta):
            self.notify(warning, title="This review cannot pass as set up", severity="warning", markup=False, timeout=12)
        keep_draft(self.session, self)
        self._open_questions()

    def on_start_screen_resume_draft(self, message: StartScreen.ResumeDraft) -> None:
        """Continue a saved draft where it stopped, with every answer and note."""
        self._resume(message.draft)

    def _resume(self, draft: DraftInfo) -> None:
        p = self.prepared
        assert p is not None
        keep_draft(self.session, self)  # the review left for this one stays in its own draft
        try:
            session = p.setup.resume(draft)
        except AuthreadyError as exc:
            self.notify(str(exc), title="This draft cannot be resumed", severity="error", markup=False, timeout=12)
            return
        self.session = session
        self._own_drafts.add(draft.path)
        self._open_questions()

    def _open_questions(self) -> None:
        from wizard.ui.tui.screens.question import QuestionScreen

        assert self.session is not None
        self._load_screens_css()
        prefilled = self.prepared.prefilled() if self.prepared is not None else {}
        self.push_screen(QuestionScreen(self.session, self.view, prefilled))

    def on_question_screen_finished(self, message: QuestionScreen.Finished) -> None:
        """The walk has ended: show the verdict."""
        from wizard.ui.tui.screens.question import QuestionScreen
        from wizard.ui.tui.screens.summary import SummaryScreen

        if self.session is not None and isinstance(self.screen, QuestionScreen):
            self.push_screen(SummaryScreen(self.session, out=self.out, reviewed_at=self.reviewed_at))

    def on_summary_screen_saved(self, message: SummaryScreen.Saved) -> None:
        self.saved = message.path

    def display_path(self, path: Path) -> str:
        """``path`` as the user would type it: relative to the working folder when inside it."""
        return display_path(path, self.root)

    # -- leaving --------------------------------------------------------------------------------
    def action_quit_review(self) -> None:
        """Quit; an unfinished review stays in its draft and is offered on the next start."""
        from wizard.ui.tui.screens.question import QuestionScreen

        if self.saved is not None:
            self.exit(return_code=EXIT_OK)
            return
        if self.session is None:
            self.exit_note = "no review recorded"
            self.exit(return_code=EXIT_INTERRUPTED)
            return
        if isinstance(self.screen, QuestionScreen):
            self.screen.stash_note()
        stash = getattr(self.screen, "stash_conditions", None)  # the summary: typed owners and due dates
        if stash is not None:
            stash()
        draft = keep_draft(self.session, self)
        where = f" in {self.display_path(draft)}" if draft else ""
        self.exit_note = f"review not finished; answers so far are kept{where}: run `authready review` to resume"
        self.exit(return_code=EXIT_INTERRUPTED)


def run(*, tree_ref: str | None, from_attestation: Path | None, out: Path | None, presenter: bool = False) -> int:
    """``authready review``: run the wizard; returns the exit code."""
    app = ReviewApp(tree=tree_ref, from_attestation=from_attestation, out=out, presenter=presenter)
    app.run()
    if app.saved is not None:
        shown = app.display_path(app.saved)
        print(f"wrote {shown}\nnext: authready sign {shown}")
    if app.exit_note:
        print(f"authready: {app.exit_note}", file=sys.stderr)
    return app.return_code or 0
