"""What git knows about the repo under review: root, remote, identity, and object ids.

An attestation binds itself to a repo (its root commit and remote) and to
the exact code it covers (the git object id of each subject path). Object
ids come from the working tree, through a throw-away index, so a review of
uncommitted code records the ids that code will have once committed.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

from wizard.errors import AuthreadyError


def git(args: list[str], cwd: Path, *, env: dict[str, str] | None = None, check: bool = True) -> str | None:
    """Run git; return stripped stdout, or None when it fails and ``check`` is False."""
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
        )
    except FileNotFoundError:
        raise AuthreadyError("git is not installed (or not on PATH); install git and try again") from None
    if proc.returncode != 0:
        if check:
            err = proc.stderr.strip().splitlines()
            raise AuthreadyError(f"git {' '.join(args[:2])} failed: {err[-1] if err else proc.returncode}")
        return None
    return proc.stdout.strip()


def repo_root(start: Path | None = None) -> Path | None:
    """The top of the git work tree containing ``start`` (default: cwd), or None."""
    out = git(["rev-parse", "--show-toplevel"], start or Path.cwd(), check=False)
    return Path(out) if out else None


_CREDS = re.compile(r"^([a-z][a-z0-9+.-]*://)[^/]*@")


def clean_remote(url: str) -> str:
    """A remote URL without credentials or a ``.git`` suffix, for display and binding."""
    url = _CREDS.sub(r"\1", url.strip())
    return url[:-4] if url.endswith(".git") else url


def remote_url(root: Path) -> str | None:
    """The ``origin`` remote (credentials stripped), else the first remote, else None."""
    url = git(["config", "--get", "remote.origin.url"], root, check=False)
    if not url:
        remotes = (git(["remote"], root, check=False) or "").split()
        if remotes:
            url = git(["config", "--get", f"remote.{remotes[0]}.url"], root, check=False)
    return clean_remote(url) if url else None


def user_email(root: Path | None) -> str | None:
    """git's ``user.email``: the default reviewer."""
    return git(["config", "--get", "user.email"], root or Path.cwd(), check=False) or None


def root_commit(root: Path, rev: str = "HEAD") -> str | None:
    """The root of ``rev``'s first-parent chain: the repo's identity across clones (None before a commit).

    First-parent only: merging another repo's history (``merge -s ours
    --allow-unrelated-histories``) adds a root but must not change the identity.
    """
    out = git(["rev-list", "--max-parents=0", "--first-parent", rev], root, check=False)
    return out.split()[-1] if out else None


def repo_name(root: Path) -> str:
    """How the attestation names its repo: the cleaned remote, else the folder name."""
    return remote_url(root) or root.name


def path_objects(root: Path, paths: list[str]) -> dict[str, str]:
    """Git object id of each path as it is in the working tree (tree for folders, blob for files)."""
    if not paths:
        return {}
    for p in paths:
        if not (root / p).exists():
            raise AuthreadyError(f"subject path {p!r} does not exist under {root}")
    with tempfile.TemporaryDirectory(prefix="authready-idx-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        if git(["rev-parse", "--verify", "-q", "HEAD"], root, check=False):
            git(["read-tree", "HEAD"], root, env=env)
        # Without -f: ignored files (build output, caches) are not the code under review, and a
        # clean CI checkout does not have them.
        added = git(["add", "-A", "--", *paths], root, env=env, check=False)
        if added is None:
            raise AuthreadyError(
                f"git cannot add the subject paths {', '.join(paths)}; is one of them ignored by .gitignore?"
            )
        if not any(p == ".authready" or p.startswith(".authready/") for p in paths):
            # Attestations, signatures and drafts live in .authready/: a subject tree holding them
            # (path ".") would change as soon as the review is written or signed.
            git(["rm", "-r", "-q", "--cached", "--ignore-unmatch", "--", ".authready"], root, env=env)
        tree = git(["write-tree"], root, env=env)
        specs = [tree if p == "." else f"{tree}:{p}" for p in paths]
        out = git(["rev-parse", *specs], root, env=env)
    ids = (out or "").split()
    return dict(zip(paths, ids))


def normalise_path(p: str) -> str:
    """A subject path relative to the repo root: forward slashes, no ``./`` or trailing slash."""
    s = p.strip().replace("\\", "/")
    while s.startswith("./"):
        s = s[2:]
    s = s.rstrip("/") or "."
    if s.startswith("/") or ".." in s.split("/"):
        raise AuthreadyError(f"subject path {p!r} must be relative to the repo root, without '..'")
    return s
