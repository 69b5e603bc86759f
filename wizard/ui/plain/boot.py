"""The plain modes' start: the first prompt before the models are loaded.

The first prompt is measured against a bare ``import questionary, pydantic``
(``bench/bench_plain.py``). On a usual start (no ``--from``, a tree file found
by name) everything the first prompt needs comes without pydantic: the repo
and its defaults from git, the tree's id peeked from its first lines, and
its drafts read with ``tomllib``. ``wizard.review.load.prepare_review`` (the
tree's validation, the heavy part) then runs in a background thread that
starts once the first prompt is drawn, while the team reads and types. With
``--from`` (or anything unusual) it runs first, and reports any problem at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra import workspace
from wizard.infra.errors import AuthreadyError

if TYPE_CHECKING:  # pragma: no cover
    from wizard.review.drafts import DraftInfo
    from wizard.review.load import ReviewSetup


def tree_file(ref: str | None) -> Path | None:
    """The tree file to load, found without parsing it; None when unsure (then the full load reports)."""
    try:
        path = workspace.tree_file(ref)
    except AuthreadyError:
        return None
    return path if path.is_file() else None


class _Loader:
    """``prepare_review`` in a background thread, started once the first prompt is on screen."""

    def __init__(self, tree_ref: str | None, repo: tuple[Path, bool], start_after: threading.Event) -> None:
        self._args = (tree_ref, repo)
        self._start_after = start_after
        self._setup: ReviewSetup | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="authready-review-loader", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._start_after.wait(timeout=2.0)
        try:
            from wizard.review.load import prepare_review

            tree_ref, repo = self._args
            self._setup = prepare_review(tree_ref, None, repo=repo)
            import wizard.review.session  # noqa: F401  (the session comes next)
        except BaseException as exc:  # re-raised in the main thread
            self._error = exc

    def result(self) -> "ReviewSetup":
        self._start_after.set()
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._setup is not None
        return self._setup


@dataclass
class Boot:
    """What the first prompt needs, and the review's setup (ready now, or once loaded)."""

    root: Path
    in_git: bool
    tree_id: str
    meta: workspace.Meta  # the start fields' defaults (the --from attestation's, when given)
    drafts: list["DraftInfo"]
    draft_problems: list[str] = field(default_factory=list)
    _ready: "ReviewSetup | None" = None
    _loader: _Loader | None = None

    def setup(self) -> "ReviewSetup":
        """The loaded review (waits for the background load, re-raising its error)."""
        if self._ready is None:
            assert self._loader is not None
            self._ready = self._loader.result()
        return self._ready


def boot(tree_ref: str | None, from_attestation: Path | None, cwd: Path | None,
         first_prompt: threading.Event) -> Boot:
    """Find what the first prompt needs; load the rest now (``--from``) or behind the first prompt."""
    from wizard.review.drafts import scan_drafts

    root, in_git = workspace.repo_context(cwd)
    if tree_ref and cwd is not None and workspace.looks_like_path(tree_ref) and not Path(tree_ref).is_absolute():
        tree_ref = str(cwd / tree_ref)
    file = tree_file(tree_ref) if from_attestation is None else None
    tree_id = workspace.peek_tree_id(file) if file is not None else None
    if tree_id is not None:
        found, problems = scan_drafts(root, tree_id)
        return Boot(root, in_git, tree_id, workspace.default_meta(root, in_git), found, problems,
                    _loader=_Loader(tree_ref, (root, in_git), first_prompt))
    from wizard.review.load import prepare_review

    setup = prepare_review(tree_ref, from_attestation, cwd, repo=(root, in_git))
    return Boot(root, in_git, setup.loaded.tree.id, setup.meta, setup.drafts, setup.draft_problems, _ready=setup)
