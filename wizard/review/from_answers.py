"""Use cases on answers files: judge one (``evaluate``) or record it (``review --answers``).

The command line only parses, calls these and prints. The start fields of an
answers file follow the same rules as every front-end (``wizard.review.start``),
and its attestation is byte-identical to what the interactive front-ends write
for the same answers, because all of them build through ``wizard.attestation``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.attestation.model import Attestation
from wizard.infra.errors import AuthreadyError, InputError

if TYPE_CHECKING:  # pragma: no cover
    from wizard.policy.tree import LoadedTree


@dataclass(frozen=True)
class Recorded:
    """An attestation written from an answers file."""

    attestation: Attestation
    path: Path
    removed: list[Path]  # signature files of a superseded review (they cannot cover the new bytes)


def attestation_from_answers(
    path: Path, tree_override: str | None = None, *, allow_dirty: bool = False, bind: bool = True
) -> tuple[Attestation, Path]:
    """The attestation (in memory) an answers file describes, and the repo root it binds.

    ``bind=False`` judges only (``evaluate``): subject paths need not be committed.
    Errors name the answers file.
    """
    from wizard.attestation.build import build
    from wizard.attestation.conditions import ConditionInput
    from wizard.infra.workspace import Meta, looks_like_path, repo_context
    from wizard.policy.engine import check_answers
    from wizard.policy.tree import resolve_tree
    from wizard.review.answers import load_answers, names_tree, tree_ref
    from wizard.review.subject import review_info
    from wizard.review.tree_reach import refuse_unreachable

    af = load_answers(path)
    root, in_git = repo_context()
    named = tree_ref(af, path, root)
    loaded = resolve_tree(tree_override or named)
    if tree_override:
        if names_tree(af):
            _same_tree(loaded, resolve_tree(named), tree_override, af.tree, path)
    elif not looks_like_path(af.tree) and loaded.tree.id != af.tree:
        raise InputError(f"tree id {loaded.tree.id!r} does not match {af.tree!r}", path=path)
    refuse_unreachable(loaded, root, binds=in_git and bind)
    check_answers(loaded.tree, af.answers, source=str(path))
    unknown_notes = [q for q in af.notes if q not in loaded.tree.question_map]
    if unknown_notes:
        raise InputError(f"note for unknown question id {unknown_notes[0]!r}", path=path)
    meta = Meta(component=af.component, reviewers=af.reviewers, paths=af.paths)
    try:
        info = review_info(root, in_git, meta, af.reviewed_at, af.repo, allow_dirty=allow_dirty, bind=bind)
        conditions = {fid: ConditionInput(c.owner, c.due_text) for fid, c in af.conditions.items()}
        att = build(loaded, af.answers, af.notes, info, conditions)
    except AuthreadyError as exc:
        if exc.path is None:
            exc.path = str(path)
        raise
    return att, root


def _same_tree(given: "LoadedTree", named: "LoadedTree", flag: str, key: str, path: Path) -> None:
    """``--tree`` and the file's ``tree`` must name one tree: a silent override would judge the
    answers by a policy the file does not name."""
    if given.sha256 != named.sha256 or given.tree.id != named.tree.id:
        raise InputError(
            f"--tree {flag} and the file's tree {key!r} name different trees ({given.tree.id} v{given.tree.version} "
            f"vs {named.tree.id} v{named.tree.version}); drop --tree or change the file's tree",
            path=path,
        )


def record_answers(
    path: Path, tree_override: str | None = None, out: Path | None = None, *,
    allow_dirty: bool = False, supersede: bool = False,
) -> Recorded:
    """Write the attestation an answers file describes; never over an existing file unless ``supersede``
    (then the old review's sha256 is recorded and its now-invalid signatures are removed)."""
    from wizard.attestation.store import default_path, save
    from wizard.attestation.store import supersede as replace

    att, root = attestation_from_answers(path, tree_override, allow_dirty=allow_dirty)
    target = out or default_path(root, att.subject.component)
    if not supersede:
        save(att, target)
        return Recorded(att, target, [])
    if not target.exists():
        raise InputError("--supersede: there is no attestation here to replace; drop --supersede", path=target)
    _, removed = replace(att, target)
    return Recorded(att, target, list(removed))
