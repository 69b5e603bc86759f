"""Everything a front-end needs before the first question, in one place (no UI, no terminal).

The tree (an id, a path, or the one ``--from``'s attestation names), the
re-review's prefill, the start fields' defaults (git's user.email, the folder
name, the whole repo), this tree's drafts in this repo and the early warnings.
The Textual app may run :func:`prepare_review` in a background thread while
its first frame is drawn; the plain modes do the same while their first
prompt waits for the team.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra.workspace import Meta, default_meta, looks_like_path, repo_context
from wizard.review.drafts import DraftInfo, scan_drafts

if TYPE_CHECKING:  # pragma: no cover
    from wizard.policy.tree import LoadedTree
    from wizard.review.prefill import Prefill
    from wizard.review.session import Session


@dataclass
class ReviewSetup:
    """What :func:`prepare_review` found: enough to start a review or resume one of its drafts."""

    loaded: "LoadedTree"
    root: Path
    in_git: bool
    meta: Meta  # defaults, or the --from attestation's component/reviewers/paths
    prefill: "Prefill | None"  # --from: previous answers and notes
    from_path: Path | None
    drafts: list[DraftInfo]  # this tree's drafts in this repo, newest first
    warnings: list[str]  # review.lifecycle.start_warnings for ``meta``
    tree_ref: str | None = None  # the tree as given (or as --from names it): recorded in drafts
    draft_problems: list[str] = field(default_factory=list)  # drafts that could not be read (skipped)

    def warnings_for(self, meta: Meta) -> list[str]:
        """The early warnings for start fields the team has typed."""
        from wizard.review.lifecycle import start_warnings

        return start_warnings(self.root, self.in_git, meta.reviewers, meta.paths, self.loaded.tree)

    def start(self, meta: Meta) -> "Session":
        """A new review with these start fields (pre-filled from ``--from`` when given); nothing written yet."""
        from wizard.review.session import Session

        return Session.start(self.loaded, self.root, self.in_git, meta, tree_ref=self.tree_ref, prefill=self.prefill)

    def resume(self, draft: DraftInfo) -> "Session":
        """The review saved in ``draft``, where it stopped (``InputError`` naming the file if unreadable)."""
        from wizard.review.drafts import load_draft
        from wizard.review.session import Session

        return Session.from_draft(self.loaded, self.root, self.in_git, load_draft(draft.path), source=draft.path)


def _from_cwd(path: Path | None, cwd: Path | None) -> Path | None:
    if path is None or cwd is None or path.is_absolute():
        return path
    return cwd / path


def prepare_review(
    tree_ref: str | None,
    from_attestation: Path | None,
    cwd: Path | None = None,
    *,
    repo: tuple[Path, bool] | None = None,
) -> ReviewSetup:
    """Load what a review needs; relative paths start at ``cwd`` (default: the working folder).

    ``repo``: ``(root, in_git)`` when the caller already asked git. Raises ``AuthreadyError``
    (naming the file) for an unknown tree, an unreadable attestation or one judged by another tree.
    """
    from wizard.policy.tree import resolve_tree
    from wizard.review.prefill import attestation_tree_ref, prefill_from
    from wizard.review.tree_reach import refuse_unreachable

    root, in_git = repo or repo_context(cwd)
    from_path = _from_cwd(from_attestation, cwd)
    if tree_ref and looks_like_path(tree_ref):
        tree_ref = str(_from_cwd(Path(tree_ref), cwd))
    att = None
    if from_path is not None:
        from wizard.attestation.store import load

        att, _ = load(from_path)
        if tree_ref is None:
            tree_ref = attestation_tree_ref(att, root)
    loaded = resolve_tree(tree_ref)
    refuse_unreachable(loaded, root, binds=in_git)
    prefill = prefill_from(att, loaded, from_path) if att is not None and from_path is not None else None
    meta = prefill.meta if prefill else default_meta(root, in_git)
    found, problems = scan_drafts(root, loaded.tree.id)
    setup = ReviewSetup(
        loaded=loaded, root=root, in_git=in_git, meta=meta, prefill=prefill, from_path=from_path,
        drafts=found, warnings=[], tree_ref=tree_ref, draft_problems=problems,
    )
    setup.warnings = setup.warnings_for(meta)
    return setup
