"""What git knows about the repo under review: root, remote, identity, and object ids.

An attestation binds itself to a repo (its root commit and remote) and to
the exact code it covers (the git object id of each subject path as
committed). Ids are read from commits, never from the working tree: what
runs is what was committed, and ``.gitattributes`` filters can make the
working tree disagree with it.

Every git process goes through :func:`run` (bytes) or :func:`git` (a short text answer): one
place that knows how git fails, so every caller reports it as the same one-line ``GitError``.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from wizard.infra.errors import GitError, InputError


def _subcommand(args: Sequence[str]) -> str:
    """The git command a failure is about (``status`` in ``--literal-pathspecs status ...``)."""
    return next((a for a in args if not a.startswith("-")), "")


def _start(args: Sequence[str], cwd: Path, data: bytes | None, env: Mapping[str, str] | None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=data,
            stdin=subprocess.DEVNULL if data is None else None,
            capture_output=True,
            env={**os.environ, **env} if env else None,
        )
    except FileNotFoundError as exc:
        if exc.filename not in (None, "git"):  # the folder, not the program
            raise GitError("cannot run git here: no such folder", path=cwd) from None
        raise GitError("git is not installed (or not on PATH); install git and try again") from None
    except OSError as exc:
        raise GitError(f"cannot run git here: {exc.strerror}", path=cwd) from None


def run(args: Sequence[str], cwd: Path, *, data: bytes | None = None, env: Mapping[str, str] | None = None) -> bytes:
    """Run ``git ARGS`` in ``cwd`` and return its stdout: the one way the package runs git.

    ``data`` goes to stdin (``cat-file --batch`` reads names there, so no name is ever an
    argument). Every way it can go wrong is a ``GitError`` of one line: git missing, the folder
    missing or not in a repo, or git's own last line of complaint. A caller that expects git to
    say no (``config --get`` of an unset key) uses :func:`git` with ``check=False``.
    """
    proc = _start(args, cwd, data, env)
    if proc.returncode != 0:
        text = proc.stderr.decode("utf-8", "replace")
        if "not a git repository" in text:
            raise GitError("not inside a git repo; run this in a clone of the repo", path=cwd)
        lines = text.strip().splitlines()
        raise GitError(f"git {_subcommand(args)} failed: {lines[-1] if lines else proc.returncode}")
    return proc.stdout


def git(args: Sequence[str], cwd: Path, *, env: Mapping[str, str] | None = None, check: bool = True) -> str | None:
    """:func:`run` for a short text answer: stripped stdout, or None when git says no and ``check`` is False.

    A git that cannot be started is an error either way. Bytes that are not UTF-8 (a path git
    prints) come back as surrogate escapes, so they survive the round trip through ``Path``.
    """
    if check:
        out = run(args, cwd, env=env)
    else:
        proc = _start(args, cwd, None, env)
        if proc.returncode != 0:
            return None
        out = proc.stdout
    return out.decode("utf-8", "surrogateescape").strip()


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


MAX_SUBJECT_PATHS = 256  # per attestation: a component is a few folders, not a file list
MAX_PATH_CHARS = 1024  # per subject path; longer names than any file system keeps
from wizard.infra.workspace import ATTESTATION_DIR as _ATTESTATION_DIR  # noqa: E402  (one definition)


@dataclass(frozen=True)
class PathObject:
    """A subject path as committed: its object id and kind, or why it binds nothing.

    ``kind`` is ``tree`` or ``blob`` when bound; ``missing`` when the commit has
    no such path; ``symlink`` when the path is a symbolic link, passes through one,
    or is a submodule (gitlink): the link text or a foreign commit id is not the
    code that runs, and either could be made to equal a reviewed object id.
    """

    path: str
    kind: str
    oid: str | None = None

    @property
    def bound(self) -> bool:
        return self.oid is not None


def head_commit(root: Path) -> str | None:
    """The commit checked out (None before the first commit)."""
    return git(["rev-parse", "--verify", "-q", "HEAD^{commit}"], root, check=False) or None


_SPECIAL = {b"symlink", b"dangling", b"loop", b"notdir"}  # --follow-symlinks answers with a body


def _batch_check(root: Path, names: list[str], *, follow: bool) -> list[tuple[str, str] | None]:
    """``(oid, type)`` per object name, or None (missing, or not a plain object when following links).

    One ``cat-file --batch-check`` process reads every name from stdin, one per line: no name is
    ever an argument, so nothing is read as an option or a revision range, and no count of paths
    overflows the command line. Callers refuse names with control characters (a newline would
    shift every later answer).
    """
    if not names:
        return []
    args = ["cat-file", "--batch-check=%(objectname) %(objecttype)"] + (["--follow-symlinks"] if follow else [])
    out = run(args, root, data="".join(f"{n}\n" for n in names).encode("utf-8", "surrogateescape"))
    results: list[tuple[str, str] | None] = []
    pos = 0
    for name in names:
        nl = out.find(b"\n", pos)
        if nl < 0:
            raise GitError("git cat-file gave a short answer; is the repository damaged?")
        line, pos = out[pos:nl], nl + 1
        head, _, rest = line.partition(b" ")
        if head in _SPECIAL and rest.isdigit():
            pos += int(rest) + 1  # skip the body (the link target or the name)
            results.append(None)
        elif rest in (b"blob", b"tree", b"commit", b"tag") and head and all(c in b"0123456789abcdef" for c in head):
            results.append((head.decode(), rest.decode()))
        else:  # "<name> missing" / "<name> ambiguous"
            results.append(None)
    return results


def object_types(root: Path, oids: list[str]) -> dict[str, str]:
    """git's type of each object id that is a tree or a blob here (others are left out), in one process."""
    wanted = [o for o in dict.fromkeys(oids) if HEX_ID.fullmatch(o)]
    found = _batch_check(root, wanted, follow=False)
    return {o: got[1] for o, got in zip(wanted, found) if got is not None and got[1] in ("tree", "blob")}


def blob_at(root: Path, commit: str, path: str, limit: int = 1 << 20) -> bytes | None:
    """The bytes of file ``path`` as committed at ``commit``; None when it is not a file there or is over ``limit``.

    A folder at that path is not a file. The size is asked first, so a huge blob is never read,
    and the name goes to ``cat-file`` on stdin, never as an argument (nor as a revision range).
    """
    if not path.isprintable():
        return None
    out = run(["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"], root,
              data=f"{commit}:{path}\n".encode("utf-8", "surrogateescape"))
    parts = out.split()
    if len(parts) != 3 or parts[1] != b"blob" or not parts[2].isdigit() or int(parts[2]) > limit:
        return None
    oid = parts[0].decode("ascii", "replace")
    return run(["cat-file", "blob", oid], root) if HEX_ID.fullmatch(oid) else None


def _root_tree_without_attestations(root: Path, commit: str, whole: str, has_dir: bool) -> str:
    """The commit's root tree minus ``.authready/``: attestations and signatures are not the code."""
    if not has_dir:
        return whole
    listing = run(["ls-tree", "-z", commit], root)
    kept = [e for e in listing.split(b"\0") if e and e.split(b"\t", 1)[-1] != _ATTESTATION_DIR.encode()]
    return run(["mktree", "-z"], root, data=b"".join(e + b"\0" for e in kept)).decode().strip()


def committed_objects(root: Path, commit: str, paths: list[str]) -> dict[str, PathObject]:
    """The object of each (normalised) subject path as committed in ``commit``; never the working tree.

    What runs is what was committed: ids computed from the working tree pass through
    ``.gitattributes`` (``ident``, eol conversion, clean filters), which can make different
    committed bytes hash to the reviewed id. Folders are trees, files blobs, ``.`` the whole
    tree without ``.authready/``. Two ``cat-file`` processes whatever the number of paths: the
    second follows symlinks, so a path whose answer differs between them is (or passes through) a
    symlink, or is a gitlink, which ``--follow-symlinks`` does not resolve.
    """
    wanted = sorted(set(paths))
    names = [f"{commit}:{p}" for p in wanted if p != "."]
    extra = [f"{commit}^{{tree}}", f"{commit}:{_ATTESTATION_DIR}"] if "." in wanted else []
    plain = _batch_check(root, names + extra, follow=False)
    followed = _batch_check(root, names, follow=True)
    out: dict[str, PathObject] = {}
    for p, got, via_links in zip([p for p in wanted if p != "."], plain, followed):
        if got is None:
            out[p] = PathObject(p, "symlink" if via_links is not None else "missing")
        elif got != via_links:
            out[p] = PathObject(p, "symlink")
        else:
            out[p] = PathObject(p, got[1], got[0])
    if "." in wanted:
        whole, adir = plain[len(names)], plain[len(names) + 1]
        if whole is None:
            out["."] = PathObject(".", "missing")
        else:
            out["."] = PathObject(".", "tree", _root_tree_without_attestations(root, commit, whole[0], adir is not None))
    return out


def uncommitted(root: Path, paths: list[str]) -> list[str]:
    """Files under the subject paths that differ from HEAD: modified, staged, untracked (not ignored)."""
    if not paths:
        return []
    out = run(
        ["--literal-pathspecs", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths], root
    )
    files, skip = [], False
    for entry in out.decode("utf-8", "surrogateescape").split("\0"):
        if skip or not entry:
            skip = False
            continue
        status, name = entry[:2], entry[3:]
        skip = "R" in status or "C" in status  # the next entry is the old name
        if name != _ATTESTATION_DIR and not name.startswith(_ATTESTATION_DIR + "/"):
            files.append(name)
    return files


def blobs_at(root: Path, commit: str, names: list[str], limit: int = 1 << 20) -> dict[str, bytes | None]:
    """The bytes of each repo-relative file as committed at ``commit`` (None: not a file there, or over ``limit``).

    One ``cat-file --batch`` process; names come on stdin, one per line (callers skip names with
    control characters, which could not be attestation paths the base wrote).
    """
    names = [n for n in dict.fromkeys(names) if n.isprintable()]
    if not names:
        return {}
    out = run(["cat-file", "--batch"], root, data="".join(f"{commit}:{n}\n" for n in names).encode("utf-8", "surrogateescape"))
    pos = 0
    found: dict[str, bytes | None] = {}
    for n in names:
        nl = out.find(b"\n", pos)
        if nl < 0:
            break
        header = out[pos:nl].split()
        pos = nl + 1
        if len(header) == 3 and header[1] in (b"blob", b"tree", b"commit", b"tag") and header[2].isdigit():
            size = int(header[2])
            body = out[pos : pos + size]
            pos += size + 1
            found[n] = body if header[1] == b"blob" and size <= limit else None
        else:
            found[n] = None
    return found


def changed_files(root: Path, old: str, new: str, prefix: str = "", limit: int = 8) -> list[str] | None:
    """``git diff --name-status`` lines between two recorded trees, or None when either is not here."""
    if _batch_check(root, [old, new], follow=False) != [(old, "tree"), (new, "tree")]:
        return None
    out = run(["diff-tree", "-r", "-z", "--name-status", old, new], root).decode("utf-8", "replace")
    parts = [x for x in out.split("\0") if x]
    lines, i = [], 0
    while i + 1 < len(parts):
        status = parts[i]
        n = 3 if status[:1] in "RC" else 2
        lines.append(f"{status[:1]} {prefix}{parts[i + n - 1]}")
        i += n
    return lines[:limit] + ([f"... {len(lines) - limit} more"] if len(lines) > limit else [])


HEX_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # a full SHA-1 or SHA-256 object id


def normalise_path(p: str) -> str:
    """A subject path relative to the repo root: forward slashes, no ``./`` or trailing slash."""
    s = p.strip().replace("\\", "/")
    while s.startswith("./"):
        s = s[2:]
    s = s.rstrip("/") or "."
    if len(s) > MAX_PATH_CHARS:
        raise InputError(f"subject path {s[:40]!r}... is over {MAX_PATH_CHARS} characters")
    if any(not c.isprintable() for c in s):
        raise InputError(f"subject path {p!r} holds control characters; name a path without them")
    if s.startswith("/") or ".." in s.split("/"):
        raise InputError(f"subject path {p!r} must be relative to the repo root, without '..'")
    parts = s.split("/")
    if "" in parts or "." in parts and s != ".":
        raise InputError(f"subject path {p!r} must be a plain relative path (no '//' or '/./')")
    return s


def is_ignored(path: Path) -> bool:
    """Whether git ignores the (untracked) file ``path``, asked in the repository that holds it (a submodule's own)."""
    proc = _start(["check-ignore", "-q", "--", path.name], path.parent, None, None)  # paths here take no magic
    return proc.returncode == 0
