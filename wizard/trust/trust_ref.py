"""The trust ref (``--allowed-signers-ref``): the one commit a change's gate trusts.

With a trust ref, everything a pull request could otherwise choose for itself (allowed signers,
revoked keys, repo-local policy trees, the root commit, the base's attestations) is read from
that commit. It is resolved once, to one full ref name and its commit, so every read sees the
same commit even if the ref moves during the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wizard.infra import git as gitinfo
from wizard.infra.errors import InputError


@dataclass(frozen=True)
class TrustRef:
    """A trust ref resolved once: the full ref name (for messages) and the commit it names (for reads)."""

    name: str
    commit: str


def resolve_trust_ref(root: Path, ref: str | None) -> TrustRef:
    """Resolve ``--allowed-signers-ref`` to exactly one ref, or refuse (exit 2).

    git's own lookup order lets a tag (or a local branch) named ``origin/main`` shadow the remote
    branch, and a contributor can push such a tag; so a short name must match exactly one of
    ``refs/<name>``, ``refs/tags/``, ``refs/heads/``, ``refs/remotes/`` (or a remote's ``HEAD``).
    An empty value (an unset CI variable) is refused, never read as "no ref".
    """
    if ref is None or not ref.strip():
        raise InputError(
            "--allowed-signers-ref is empty (an unset CI variable?); give the base branch, e.g. "
            "refs/remotes/origin/main",
        )
    if ref != ref.strip() or any(not c.isprintable() for c in ref) or ref.startswith("-"):
        raise InputError(f"--allowed-signers-ref {ref!r} is not a ref name")
    if gitinfo.HEX_ID.fullmatch(ref):
        commit = gitinfo.git(["rev-parse", "--verify", "-q", f"{ref}^{{commit}}"], root, check=False)
        if not commit:
            raise InputError(f"--allowed-signers-ref {ref} is not a commit in this repo (fetch it first?)")
        return TrustRef(ref, commit)
    if ref.startswith("refs/"):
        candidates = [ref]
    else:
        candidates = [f"refs/{ref}", f"refs/tags/{ref}", f"refs/heads/{ref}", f"refs/remotes/{ref}", f"refs/remotes/{ref}/HEAD"]
    listed = gitinfo.git(["for-each-ref", "--format=%(refname)", *candidates], root, check=False) or ""
    found = [n for n in listed.splitlines() if n in candidates]
    if len(found) == 1 and found[0].endswith("/HEAD"):  # a remote's HEAD: name the branch it points to
        target = gitinfo.git(["symbolic-ref", "-q", found[0]], root, check=False)
        found = [target] if target else found
    if not found:
        raise InputError(
            f"--allowed-signers-ref {ref!r} names no branch, remote branch or tag here "
            "(fetch the base branch first, e.g. actions/checkout with fetch-depth: 0)",
        )
    if len(found) > 1:
        raise InputError(
            f"--allowed-signers-ref {ref!r} is ambiguous: {', '.join(found)}; give the full name "
            f"(e.g. {found[-1]})",
        )
    commit = gitinfo.git(["rev-parse", "--verify", "-q", f"{found[0]}^{{commit}}"], root, check=False)
    if not commit:
        raise InputError(f"--allowed-signers-ref {found[0]} does not name a commit")
    return TrustRef(found[0], commit)
