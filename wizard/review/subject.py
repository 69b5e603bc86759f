"""What a review is about, resolved against the repo: normalised subject paths bound to HEAD.

An attestation binds committed code, never the working tree (``.gitattributes``
filters could make different committed bytes look like the reviewed ones), so
each subject path is bound to the git object it has in ``HEAD``; uncommitted
changes under them are named and only bound deliberately. The field rules
themselves live in :mod:`wizard.review.start`, shared with every front-end.
"""

from __future__ import annotations

from pathlib import Path

from wizard.attestation.model import SubjectPath, review_clock
from wizard.attestation.build import ReviewInfo
from wizard.infra import git as gitinfo
from wizard.infra.errors import AuthreadyError, InputError
from wizard.infra.workspace import ATTESTATION_DIR, Meta
from wizard.review.start import component_problem, normalised_paths, object_problem, paths_problem, reviewers_problem


class UncommittedSubject(InputError):
    """Subject paths hold changes that are not committed: the review would bind HEAD, not them."""

    def __init__(self, files: list[str]) -> None:
        shown = ", ".join(files[:6]) + (f" and {len(files) - 6} more" if len(files) > 6 else "")
        super().__init__(
            f"uncommitted changes under the subject paths ({shown}); an attestation binds committed code: "
            "commit them first, or bind the committed version (HEAD) deliberately (--allow-dirty)"
        )
        self.files = files


def subject_paths(meta: Meta) -> list[str]:
    """The start screen's paths, normalised and de-duplicated; at least one, at most a few hundred."""
    paths = normalised_paths(meta.paths)
    if not paths:
        raise InputError("paths: name at least one subject path (relative to the repo root; '.' for all)")
    if len(paths) > gitinfo.MAX_SUBJECT_PATHS:
        raise InputError(f"paths: {len(paths)} subject paths; at most {gitinfo.MAX_SUBJECT_PATHS} (name their folders)")
    inside = [p for p in paths if p == ATTESTATION_DIR or p.startswith(ATTESTATION_DIR + "/")]
    if inside:
        raise InputError(f"paths: {inside[0]!r} is where attestations live; it cannot be reviewed code")
    return paths


def bind_paths(root: Path, paths: list[str], *, allow_dirty: bool = False) -> list[SubjectPath]:
    """Each subject path with the git object it has in HEAD (committed code, never the working tree)."""
    head = gitinfo.head_commit(root)
    if head is None:
        raise InputError("the repo has no commit yet: commit the code under review first (an attestation binds commits)")
    if not allow_dirty:
        dirty = gitinfo.uncommitted(root, paths)
        if dirty:
            raise UncommittedSubject(dirty)
    objects = gitinfo.committed_objects(root, head, paths)
    for p in paths:
        problem = object_problem(root, objects[p])
        if problem:
            raise InputError(problem)
    return [SubjectPath(path=p, git_object=objects[p].oid) for p in paths]


def review_info(
    root: Path, in_git: bool, meta: Meta, reviewed_at: str | None = None, repo: str | None = None,
    *, allow_dirty: bool = False, bind: bool = True,
) -> ReviewInfo:
    """Resolve metadata against the repo: normalised paths with the object ids committed in HEAD.

    ``bind=False`` (``evaluate``) only judges: object ids where they can be had, nothing required.
    """
    for field, problem in (("component", component_problem(meta.component)),
                           ("reviewers", reviewers_problem(meta.reviewers))):
        if problem:
            raise InputError(f"{field}: {problem}")
    paths = [gitinfo.normalise_path(p) for p in meta.paths if p.strip()]
    bound = [SubjectPath(path=p) for p in paths]  # outside git (refused when saving): nothing bound
    if in_git and bind:
        bound = bind_paths(root, subject_paths(meta), allow_dirty=allow_dirty)
    elif in_git:  # only judging (evaluate): bind what can be bound, require nothing
        try:
            bound = bind_paths(root, subject_paths(meta), allow_dirty=True)
        except AuthreadyError:
            pass
    return ReviewInfo(
        component=meta.component.strip(),
        reviewers=[r.strip() for r in meta.reviewers if r.strip()],
        paths=bound,
        repo=repo or (gitinfo.repo_name(root) if in_git else root.name),
        root_commit=gitinfo.root_commit(root) if in_git else None,
        reviewed_at=review_clock(reviewed_at),
        root=root if in_git else None,
    )


__all__ = ["UncommittedSubject", "bind_paths", "review_info", "subject_paths"]
