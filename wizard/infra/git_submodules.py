"""Reading a file inside a git submodule as a given superproject commit records it.

A policy tree may live in a submodule (a policy repo shared by many). The gate reads it at the
trust ref: the superproject's commit says which submodule commit it means (the gitlink), and the
file is read at that commit from the submodule's own object store, never from its checkout,
which a change can move. ``cat-file`` cannot look through a gitlink (the objects are in another
store), so these helpers find the gitlink on a path and the store to read from; every git process
goes through ``wizard.infra.git.run``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wizard.infra.git import HEX_ID, git, repo_root, run


@dataclass(frozen=True)
class Gitlink:
    """A submodule a path passes through: where it sits in the superproject and the commit recorded there."""

    path: str
    commit: str


def gitlink_on(root: Path, commit: str, path: str) -> Gitlink | None:
    """The submodule that (normalised, repo-relative) ``path`` passes through at ``commit``, or None.

    One ``ls-tree`` of every folder on the path; names follow ``--`` with literal pathspecs, so
    none is read as an option or a pattern.
    """
    parts = path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts))]
    if not prefixes or not path.isprintable():
        return None
    out = run(["--literal-pathspecs", "ls-tree", "-z", "--full-tree", commit, "--", *prefixes], root)
    for entry in out.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        fields = meta.split()
        text = name.decode("utf-8", "surrogateescape")
        if len(fields) == 3 and fields[0] == b"160000" and text in prefixes and HEX_ID.fullmatch(fields[2].decode()):
            return Gitlink(text, fields[2].decode())
    return None


def submodule_checkout(root: Path, link: Gitlink) -> Path | None:
    """The submodule's own repository (its checkout folder) when it was cloned here, else None.

    An empty folder (``git submodule update --init`` never ran) is not one: git would walk up
    and answer from the superproject instead.
    """
    where = root / link.path
    if not (where / ".git").exists():
        return None
    top = repo_root(where)
    return where if top is not None and top.resolve() == where.resolve() else None


def has_commit(root: Path, oid: str) -> bool:
    """Whether the repository at ``root`` holds commit ``oid`` (a shallow or partial fetch may not)."""
    return HEX_ID.fullmatch(oid) is not None and git(["cat-file", "-e", f"{oid}^{{commit}}"], root, check=False) is not None
