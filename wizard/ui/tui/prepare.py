"""What the start screen needs beyond its defaults, loaded off the UI thread.

``wizard.review.load.prepare_review`` does the work every front-end shares
(the tree, the re-review's prefill, the default start fields, this tree's
drafts, the early warnings); this module adds what only the screen shows
(how the repo will be named, the re-review notice) and runs it in a
thread while the first frame is on screen. It imports no model code at
the top, so the first frame waits for none.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from wizard.infra import git as gitinfo

if TYPE_CHECKING:
    from wizard.policy.engine import AnswerValue
    from wizard.policy.tree import LoadedTree
    from wizard.review.load import ReviewSetup

T = TypeVar("T")

GIT_SEARCH_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES",
                  "GIT_DISCOVERY_ACROSS_FILESYSTEM")
"""Variables that change where git looks for the repo: with any of them set, only git can tell."""


def guess_repo(cwd: Path) -> tuple[Path, bool] | None:
    """git's repo root for ``cwd`` guessed without running git: the nearest folder holding ``.git``.

    Starting git costs the first frame ~10 ms on a busy two-core machine, for two defaults (the
    folder's name, ``.``). The guess serves the first frame only: ``prepare`` asks git in the
    background and the app corrects the screen if git disagrees (a ``safe.directory`` refusal,
    say). None when the environment steers git's search: then git is asked at once.
    """
    if any(os.environ.get(name) for name in GIT_SEARCH_ENV):
        return None
    here = cwd.resolve()
    for folder in (here, *here.parents):
        if os.path.lexists(folder / ".git"):
            return folder, True
    return here, False


class Background(Generic[T]):
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
        """The function's value once it has returned (its exception re-raised here)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


@dataclass(frozen=True)
class Prepared:
    """The review's setup, and the two lines only the start screen shows."""

    setup: ReviewSetup
    """Tree, re-review prefill, default fields, this tree's drafts (``wizard.review.load``)."""
    repo_label: str
    """How the attestation will name the repo (its remote, else the folder)."""
    from_label: str | None = None
    """The re-review notice (``--from``), if there is one."""

    def prefilled(self) -> dict[str, AnswerValue]:
        """The answers the re-review started from (``--from``); empty otherwise."""
        prefill = self.setup.prefill
        return dict(prefill.answers) if prefill is not None else {}


def prepare(
    tree: LoadedTree | str | Path | None, repo: tuple[Path, bool] | None, from_attestation: Path | None, cwd: Path,
) -> Prepared:
    """Set up the review (``prepare_review``) and the start screen's lines; raises ``AuthreadyError``.

    ``repo``: ``(root, in_git)`` as git said it; None to ask git here.
    """
    from wizard.policy.tree import LoadedTree
    from wizard.review.load import prepare_review

    if isinstance(tree, LoadedTree):  # given loaded (tests, screenshots): keep that very tree, recorded by its id
        setup = prepare_review(str(tree.path), from_attestation, cwd, repo=repo)
        setup = replace(setup, loaded=tree, tree_ref=None)
    else:
        setup = prepare_review(None if tree is None else str(tree), from_attestation, cwd, repo=repo)
    # Named as the attestation will name it; the git call stays off the first frame with the rest.
    root = setup.root
    repo_label = gitinfo.repo_name(root) if setup.in_git else f"{root.name} (not a git repo)"
    return Prepared(setup, repo_label, _rereview_label(setup))


def _rereview_label(setup: ReviewSetup) -> str | None:
    """The start screen's re-review notice: what was pre-filled, what must be answered again."""
    if setup.prefill is None or setup.from_path is None:
        return None
    from wizard.attestation.store import load

    was = load(setup.from_path)[0].policy.version  # the prefill keeps no version; the file is small
    now = setup.loaded.tree.version
    label = (f"Re-review of {setup.from_path.name} (policy v{was}, now v{now}): "
             f"{len(setup.prefill.answers)} answer(s) pre-filled")
    if setup.prefill.redo:
        label += f"; {len(setup.prefill.redo)} question(s) changed since and must be answered again (marked !)"
    return label + "."
