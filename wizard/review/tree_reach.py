"""Before the first question: would the gate find this tree again? If not, say so now.

An attestation records a tree by id (an installed tree: shipped or from a package) or by its
repo-relative path (``policy.source``), and the gate loads it from there, at the trust ref. A
review against a tree the gate cannot reach writes an attestation that can never verify
(``policy-missing``, ``policy-untrusted``, ``policy-id-taken``), after the team has answered
thirty questions. So every front-end refuses it up front (``prepare_review``; ``--answers``
through ``attestation_from_answers``), naming the file and what to do:

- a file outside the repo: commit it inside the repo, or install it as a package;
- a git-ignored file: it will never be committed, so the trust ref never has it;
- a repo-local tree with an installed tree's id: the gate refuses a team's tree passing as
  the central policy.

Outside git nothing is checked: such a review binds no repo, and the gate refuses it anyway.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from wizard.policy.tree import LoadedTree

_HOW = "see docs/distributing-trees.md"


def refuse_unreachable(loaded: LoadedTree, root: Path, *, binds: bool) -> None:
    """``InputError`` naming the tree file when the gate could not find it later; None when it could.

    ``binds``: the review will bind the repo at ``root`` (in git, and recording, not only judging).
    """
    if not binds:
        return
    from wizard.infra import tree_sources

    path = loaded.path.resolve()
    installed = tree_sources.installed_at(path)
    if installed is not None:
        tree_sources.resolve(installed.id)  # found by id later: refused now if the id clashes
        return
    try:
        rel = path.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise InputError(
            f"this tree is outside the repo ({root}), so the gate could not find it to verify the review: "
            f"commit it inside the repo (e.g. policy/{path.name}) or install it as a package ({_HOW})",
            path=loaded.path,
        ) from None
    from wizard.infra import git as gitinfo

    if gitinfo.is_ignored(path):
        raise InputError(
            f"git ignores this tree ({rel}), so it will never be committed and the gate could not find it: "
            f"move it out of the ignored folder (or un-ignore it) and commit it, or install it as a package ({_HOW})",
            path=loaded.path,
        )
    claims = tree_sources.catalogue().claims(loaded.tree.id)
    if claims:
        raise InputError(
            f"this repo-local tree uses the id {loaded.tree.id!r} of the installed tree from "
            f"{' and '.join(c.provider for c in claims)}; the gate refuses it (policy-id-taken): give it an id of "
            f"its own, or review against the installed tree (--tree {loaded.tree.id})",
            path=loaded.path,
        )
