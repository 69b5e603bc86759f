"""The Textual review wizard and the learn-mode browser.

``ReviewApp`` takes its settings explicitly (the tree, the repo root, an
optional session, the output path), so tests build it directly; ``run`` and
``run_learn`` are what the CLI calls. The review itself (routing, pruning,
drafts, saving) lives in ``wizard.review.session.Session``; this package only shows
it. To get the first frame up fast, this module imports Textual and
``wizard.infra.git`` only: the tree, pydantic and any draft load in a
background thread while the start screen is already on screen.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from textual.app import App
from textual.binding import Binding

from wizard.infra import git as gitinfo
from wizard.infra.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, AuthreadyError
from wizard.ui.tui.screens.start import StartScreen

if TYPE_CHECKING:
    from wizard.review.session import Draft, Meta, Session
    from wizard.policy.tree import LoadedTree

CSS_FILE = Path(__file__).parent / "app.tcss"


T = TypeVar("T")


class _Background(Generic[T]):
    """``fn(*args)`` running in a thread from now on; ``result()`` waits for it (and re-raises)."""

    def __init__(self, fn: Callable[..., T], *args: object) -> None:
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn, args), daemon=True)
        self._thread.start()

    def _run(self, fn: Callable[..., T], args: tuple[object, ...]) -> None:
        try:
            self._value = fn(*args)
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc

    def result(self) -> T | None:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


@dataclass
class Prepared:
    """What the start screen needs beyond the defaults, loaded off the UI thread."""

    loaded: "LoadedTree"
    """The policy tree."""
    draft: "Draft | None" = None
    """A saved draft of a review of this tree, if any."""
    draft_error: str | None = None
    """Why a draft that exists could not be read."""
    meta: "Meta | None" = None
    """Metadata from the attestation being re-reviewed (``--from``)."""
    answers: dict[str, str] = field(default_factory=dict)
    """Answers pre-filled from that attestation."""
    notes: dict[str, str] = field(default_factory=dict)
    """Notes pre-filled from that attestation."""
    redo: list[str] = field(default_factory=list)
    """Questions whose text changed since that attestation: they must be answered again."""
    source: "Path | None" = None
    """The attestation being re-reviewed: saving over it supersedes it."""
    from_label: str | None = None
    """The re-review notice for the start screen."""
    email: str | None = None
    """git's user.email: the default reviewer."""
    repo_label: str = ""
    """How the attestation will name the repo (its remote, else the folder)."""


def prepare(
    tree: "LoadedTree | str | Path | None", root: Path, in_git: bool, from_attestation: Path | None
) -> Prepared:
    """Load the tree, any draft, the attestation to re-review and the git defaults; raises ``AuthreadyError``."""
    from wizard.review.session import attestation_tree_ref, load_draft, prefill_from
    from wizard.policy.tree import LoadedTree, resolve_tree

    att = None
    if from_attestation is not None:
        from wizard.attestation.model import load

        att, _ = load(from_attestation)
        if tree is None:
            tree = attestation_tree_ref(att, root)
    loaded = tree if isinstance(tree, LoadedTree) else resolve_tree(tree)
    prepared = Prepared(loaded)
    # The same defaults as wizard.review.session.default_meta; git calls are kept off the first frame.
    prepared.email = gitinfo.user_email(root if in_git else None)
    prepared.repo_label = gitinfo.repo_name(root) if in_git else f"{root.name} (not a git repo)"
    try:
        prepared.draft = load_draft(root, loaded.tree.id)
    except AuthreadyError as exc:
        prepared.draft_error = str(exc)
    if att is not None:
        t = loaded.tree
        prefill = prefill_from(att, loaded, from_attestation)
        prepared.answers, prepared.notes, prepared.redo = prefill.answers, prefill.notes, prefill.redo
        prepared.meta = prefill.meta
        prepared.source = prefill.source
        label = (
            f"Re-review of {from_attestation.name} (policy v{att.policy.version}, now v{t.version}): "
            f"{len(prepared.answers)} answer(s) pre-filled"
        )
        if prepared.redo:
            label += f"; {len(prepared.redo)} question(s) changed since and must be answered again (marked !)"
        prepared.from_label = label + "."
    return prepared


class ReviewApp(App[int]):
    """The review wizard: start → one question at a time → summary and save."""

    CSS_PATH = CSS_FILE
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
        tree: "LoadedTree | str | Path | None" = None,
        root: Path | None = None,
        in_git: bool | None = None,
        session: "Session | None" = None,
        from_attestation: Path | None = None,
        out: Path | None = None,
        reviewed_at: str | None = None,
        presenter: bool = False,
    ) -> None:
        super().__init__()
        self.presenter = presenter
        """Presenter mode (``--presenter`` or p): a bigger question and verdict, no chrome."""
        self._root: Path | None = root
        self._in_git = in_git
        self._root_lookup: _Background[Path] | None = None
        self._cwd = Path.cwd()
        if root is None:  # ask git now; Textual starts up while it answers
            self._root_lookup = _Background(gitinfo.repo_root, self._cwd)
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
        """The loaded tree, draft and re-review data (None while loading)."""
        self.saved: Path | None = None
        """Where the attestation went, once saved."""
        self.show_why = True
        """Whether the "why this matters" panel is shown (toggled with w)."""
        self.exit_note: str | None = None
        """A line for the terminal after the app closes."""

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
        return self._start_screen()

    async def on_mount(self) -> None:
        if self.session is not None:
            self._prepared(prepare(self.session.loaded, self.root, self.in_git, None))
            self._open_questions()
        elif isinstance(self.tree_arg, (str, Path)) or self.tree_arg is None:
            self.call_after_refresh(self.run_worker, self._prepare_thread, thread=True, exit_on_error=False)
        else:
            self._prepare_now()

    def _start_screen(self) -> StartScreen:
        if self.session is not None:
            m = self.session.meta
            return StartScreen(m.component, m.reviewers, m.paths)
        # Component and paths as wizard.review.session.default_meta has them; the reviewer (git's
        # user.email) arrives with the tree, so the first frame waits for no git call.
        return StartScreen(self.root.name, [], ["."] if self.in_git else [])

    def _prepare_now(self) -> None:
        try:
            self._prepared(prepare(self.tree_arg, self.root, self.in_git, self.from_attestation))
        except AuthreadyError as exc:
            self._failed(exc)

    def _prepare_thread(self) -> None:
        try:
            prepared = prepare(self.tree_arg, self.root, self.in_git, self.from_attestation)
        except AuthreadyError as exc:
            self.call_from_thread(self._failed, exc)
        else:
            self.call_from_thread(self._prepared, prepared)

    def _prepared(self, prepared: Prepared) -> None:
        self.prepared = prepared
        for screen in self.screen_stack:
            if isinstance(screen, StartScreen) and screen.mounted:  # else it shows it on mount
                screen.show_prepared(prepared)

    def _failed(self, exc: Exception) -> None:
        self.exit_note = str(exc)
        self.exit(return_code=EXIT_USAGE)

    # -- called by the screens ------------------------------------------------------------------
    def check_meta(self, component: str, reviewers: list[str], paths: list[str]) -> str | None:
        """What is wrong with the start-screen fields, or None."""
        if not component:
            return "component: give the name of the component under review"
        if not reviewers:
            return "reviewers: name at least one reviewer (e.g. alice@example.com)"
        for p in paths:
            try:
                norm = gitinfo.normalise_path(p)
            except AuthreadyError as exc:
                return str(exc)
            if not (self.root / norm).exists():
                return f"subject path {p!r} does not exist under the repo root"
        from wizard.attestation.model import meta_fields
        from wizard.infra.secrets import refuse_secrets

        try:
            refuse_secrets(meta_fields(component, reviewers, paths))
        except AuthreadyError as exc:
            return exc.message
        return None

    def begin(self, component: str, reviewers: list[str], paths: list[str]) -> None:
        """Start a new review (or carry on the current one with edited metadata)."""
        from wizard.review.session import Meta, Session

        meta = Meta(component, reviewers, paths)
        if self.session is None:
            p = self.prepared
            assert p is not None
            self.session = Session(
                p.loaded, self.root, self.in_git, meta,
                answers=p.answers, notes=p.notes, redo=p.redo, replaces=p.source,
            )
        else:
            self.session.meta = meta
        from wizard.review.lifecycle import start_warnings

        for warning in start_warnings(self.root, self.in_git, reviewers, paths, self.session.tree):
            self.notify(warning, title="This review cannot pass as set up", severity="warning", markup=False, timeout=12)
        self._save_draft()
        self._open_questions()

    def resume(self) -> None:
        """Continue the saved draft where it stopped, with every answer and note."""
        from wizard.review.session import Session

        p = self.prepared
        assert p is not None and p.draft is not None
        self.session = Session.from_draft(p.loaded, self.root, self.in_git, p.draft)
        self._open_questions()

    def _open_questions(self) -> None:
        from wizard.ui.tui.screens.question import QuestionScreen

        assert self.session is not None
        self.push_screen(QuestionScreen(self.session))

    def show_summary(self) -> None:
        """The walk has ended: show the verdict (from the question screen)."""
        from wizard.ui.tui.screens.summary import SummaryScreen

        assert self.session is not None
        self.push_screen(SummaryScreen(self.session))

    def prefilled(self) -> dict[str, str]:
        """The answers the re-review started from (``--from``); empty otherwise."""
        p = self.prepared
        return dict(p.answers) if p is not None and p.meta is not None else {}

    def target_path(self) -> Path:
        """Where the attestation will be written."""
        from wizard.attestation.model import default_path

        assert self.session is not None
        return self.out or default_path(self.root, self.session.meta.component)

    def save_attestation(self) -> Path:
        """Write the attestation through the core writer (drops the draft); raises on failure."""
        assert self.session is not None
        target = self.target_path()
        self.saved = self.session.save(target, self.reviewed_at, supersede=self.session.supersedes(target))
        return self.saved

    def display_path(self, path: Path) -> str:
        """``path`` as the user would type it: relative to the working folder when inside it."""
        path = Path(os.path.abspath(path))
        for base in (Path.cwd(), self.root):
            try:
                return path.relative_to(Path(os.path.abspath(base))).as_posix()
            except ValueError:
                continue
        return str(path)

    def _save_draft(self) -> Path | None:
        if self.session is None:
            return None
        try:
            return self.session.save_draft()
        except (AuthreadyError, OSError) as exc:
            self.notify(f"Draft not saved: {exc}", severity="error", markup=False)
            return None

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
        draft = self._save_draft()
        where = f" in {self.display_path(draft)}" if draft else ""
        self.exit_note = f"review not finished; answers so far are kept{where}: run `authready review` to resume"
        self.exit(return_code=EXIT_INTERRUPTED)


class LearnApp(App[int]):
    """Browse the whole policy: every question, why it matters, where each choice leads."""

    CSS_PATH = CSS_FILE
    TITLE = "authready learn"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+c", "quit", "Quit", priority=True, key_display="^c"),
        Binding("q", "quit", "Quit", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    def __init__(self, tree: "LoadedTree", *, quiz: bool = False, seed: int | None = None) -> None:
        super().__init__()
        self.loaded = tree
        """The policy tree being browsed."""
        self.quiz = quiz
        """Quiz mode (``learn --quiz``): situations from the tree's scenarios, guess the verdict."""
        self.seed = seed
        """Shuffles the quiz's situations (None: the scenarios file's order)."""

    def on_mount(self) -> None:
        if self.quiz:
            from wizard.policy.quiz import Quiz
            from wizard.ui.tui.screens.quiz import QuizScreen

            self.push_screen(QuizScreen(Quiz(self.loaded, seed=self.seed)))
            return
        from wizard.ui.tui.screens.learn import LearnScreen

        self.push_screen(LearnScreen(self.loaded.tree))


def _finish(app: App[int], note: str | None) -> int:
    if note:
        print(f"authready: {note}", file=sys.stderr)
    return app.return_code or 0


def run(*, tree_ref: str | None, from_attestation: Path | None, out: Path | None, presenter: bool = False) -> int:
    """``authready review``: run the wizard; returns the exit code."""
    app = ReviewApp(tree=tree_ref, from_attestation=from_attestation, out=out, presenter=presenter)
    app.run()
    if app.saved is not None:
        shown = app.display_path(app.saved)
        print(f"wrote {shown}\nnext: authready sign {shown}")
    return _finish(app, app.exit_note)


def run_learn(*, tree_ref: str | None, quiz: bool = False) -> int:
    """``authready learn [--quiz]``: browse the tree, or quiz on its scenarios; returns the exit code."""
    import random

    from wizard.policy.tree import resolve_tree

    loaded = resolve_tree(tree_ref)
    if quiz:
        from wizard.policy.quiz import situations

        situations(loaded)  # no scenarios: say so on the command line, before the screen opens
    app = LearnApp(loaded, quiz=quiz, seed=random.randrange(1 << 30) if quiz else None)
    app.run()
    return _finish(app, None)
