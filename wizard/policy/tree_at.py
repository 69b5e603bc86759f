"""A tree as it was: ``REV:PATH`` names a tree file as committed at a git revision.

A policy pull request is judged against the tree on its base branch (``tree diff main:policy/x.toml
policy/x.toml``, ``tree lint policy/x.toml --against main:policy/x.toml``) without checking the old
version out. As in git, the path after the colon starts at the repo root. Anything else (a file, an
id) resolves as every other command resolves a tree.
"""

from __future__ import annotations

from pathlib import Path

from wizard.infra import git as gitinfo
from wizard.infra.errors import InputError
from wizard.policy.tree import LoadedTree, parse_tree, resolve_tree

MAX_TREE_BYTES = 4 << 20


def resolve_tree_at(ref: str) -> LoadedTree:
    """The tree ``ref`` names: ``REV:PATH`` (read from git), else a file or an id."""
    rev, colon, path = ref.partition(":")
    if not colon or not rev or not path or Path(ref).exists():
        return resolve_tree(ref)
    root = gitinfo.repo_root()
    if root is None:
        raise InputError(f"{ref!r} names a git revision, but this is not inside a git repo")
    commit = gitinfo.git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], root, check=False)
    if not commit:
        raise InputError(f"{rev!r} is not a commit in this repo (in {ref!r}); give a branch, tag or commit")
    try:
        norm = gitinfo.normalise_path(path)
    except InputError:
        raise InputError(f"{path!r} in {ref!r} must be a plain path from the repo root (no '..', no leading '/')") from None
    blob = gitinfo.blob_at(root, commit, norm, limit=MAX_TREE_BYTES)
    if blob is None:
        raise InputError(f"{norm!r} is not a file at {rev} (paths after ':' start at the repo root)")
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{rev}:{norm} is not UTF-8 text") from None
    return parse_tree(text, Path(f"{rev}:{norm}"))
