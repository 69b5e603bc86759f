"""The repo-wide gate: find every attestation, verify them all in parallel (renderers: ``wizard.render``).

Discovery asks git (one ``ls-files`` call) for tracked and untracked,
not-ignored ``*.toml`` files and keeps those that say they are
attestations, plus any ``.toml`` that has a signature file beside it (so
a damaged ``kind`` line cannot hide a signed file from the gate).
Verification is ``wizard.trust.verify.Verifier``: one thread per core, each
driving ``ssh-keygen`` processes.

Discovery never follows a symlink or opens a special file: a symlink or
FIFO under ``.authready/`` (or with a signature beside it) is a candidate
that fails ``not-a-file``; elsewhere it is skipped. With a trust ref, an
attestation that is under ``.authready/`` at the ref but no longer found
fails ``attestation-removed``, so a change cannot delete its way past the gate.

Every field of a report comes from attestations (and file names) a pull request controls: the
renderers escape it (``wizard.render.escape``), for the terminal, the CI log and every format.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from wizard.infra import git as gitinfo
from wizard.infra.errors import InputError
from wizard.trust.codes import Code
from wizard.trust.report import Report
from wizard.attestation.signatures import SIG_SUFFIX, signature_index
from wizard.trust.trust_ref import TrustRef

MARKER = b'kind = "authready-attestation"'
from wizard.infra.workspace import ATTESTATION_DIR  # noqa: E402  (one definition)


def _head(path: Path) -> bytes | None:
    """The first 4 KiB of a regular file (no symlink followed, no FIFO opened); None otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, 4096)
    except OSError:
        return None
    finally:
        os.close(fd)


def _is_regular(path: Path) -> bool | None:
    """True for a regular file, False for a symlink or special file, None when it is gone."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return None


def _ls_files(root: Path, specs: list[str]) -> list[str]:
    out = gitinfo.run(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *specs], root)
    return sorted({p for p in out.decode("utf-8", "surrogateescape").split("\0") if p})


def discover(root: Path, under: list[Path] | None = None) -> list[Path]:
    """Attestation files in the repo (or under the given folders), sorted by path."""
    prefixes = [""]
    if under:
        prefixes = []
        for d in under:
            try:
                rel = d.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                raise InputError("is outside the repo; give a folder inside it", path=d) from None
            prefixes.append("" if rel == "." else rel + "/")
    specs = [f"{p}*.toml" for p in prefixes] + [f"{p}*{SIG_SUFFIX}" for p in prefixes]
    files = _ls_files(root, specs)
    present = set(files)
    found: set[str] = set()
    for f in files:
        if f.endswith(".toml"):
            regular = _is_regular(root / f)
            if regular is False:
                # Never opened; under .authready/ it is surely meant as an attestation: let it fail there.
                if f.startswith(ATTESTATION_DIR + "/"):
                    found.add(f)
                continue
            head = _head(root / f) if regular else None
            if head is not None and MARKER in head:
                found.add(f)
        elif f.endswith(SIG_SUFFIX):
            base = f[: -len(SIG_SUFFIX)]
            if base.endswith(".toml") and base in present:
                found.add(base)
            elif ".toml." in base:
                cand = base[: base.rindex(".toml.") + len(".toml")]
                if cand in present:
                    found.add(cand)
    return [root / f for f in sorted(found)]


def targets(root: Path, paths: list[Path]) -> list[Path]:
    """Files named on the command line as they are; folders searched; nothing named: the whole repo."""
    if not paths:
        return discover(root)
    files: list[Path] = []
    folders: list[Path] = []
    for p in paths:
        if p.is_dir() and not p.is_symlink():
            folders.append(p)
        elif os.path.lexists(p):
            files.append(p.parent.resolve() / p.name)  # the link itself, not its target: verify refuses links
        else:
            raise InputError("no such file or folder", path=p)
    out = list(files)
    if folders:
        out += [f for f in discover(root, folders) if f not in out]
    return out


def _ref_attestations(root: Path, ref: str) -> list[str]:
    """Attestations under ``.authready/`` as committed at ``ref``: ``.toml`` files with the marker or a signature."""
    out = gitinfo.run(["ls-tree", "-r", "-z", "--full-tree", "--name-only", ref, "--", ATTESTATION_DIR], root)
    names = [n for n in out.decode("utf-8", "surrogateescape").split("\0") if n]
    tomls = {n for n in names if n.endswith(".toml")}
    found: set[str] = set()
    by_folder: dict[str, list[str]] = {}
    for n in names:
        folder, _, base = n.rpartition("/")
        by_folder.setdefault(folder, []).append(base)
    for folder, bases in by_folder.items():
        for stem in signature_index(bases):
            if f"{folder}/{stem}" in tomls:
                found.add(f"{folder}/{stem}")
    rest = sorted(tomls - found)
    if rest:  # the marker, read from the ref's blobs in one batch
        for n, blob in gitinfo.blobs_at(root, ref, rest).items():
            if blob is not None and MARKER in blob[:4096]:
                found.add(n)
    return sorted(found)


def removed(root: Path, trust: TrustRef, reports: list[Report], paths: list[Path]) -> list[Report]:
    """A failing report for each attestation under ``.authready/`` at ``ref`` that this check did not find.

    Only within the scope checked: the whole repo, or the folders named
    (files named on the command line are checked as they are, nothing more).
    """
    if paths and any(not (p.is_dir() and not p.is_symlink()) for p in paths):
        return []
    rroot = root.resolve()
    prefixes = [""]
    if paths:
        prefixes = []
        for d in paths:
            rel = d.resolve().relative_to(rroot).as_posix()
            prefixes.append("" if rel == "." else rel + "/")
    seen: set[str] = set()
    for r in reports:
        try:
            seen.add(r.path.relative_to(rroot).as_posix())
        except ValueError:
            try:
                seen.add(r.path.relative_to(root).as_posix())
            except ValueError:
                pass
    out: list[Report] = []
    ref = trust.name
    for name in _ref_attestations(root, trust.commit):
        if name in seen or not any(name.startswith(p) for p in prefixes):
            continue
        r = Report(root / name, name)
        r.fail(
            Code.ATTESTATION_REMOVED,
            f"is an attestation at {ref}, but it is gone here (deleted, emptied or untracked); a change cannot "
            f"drop an attestation: restore it, or have a maintainer remove it on {ref} itself",
        )
        out.append(r)
    return out


def mark_expiring(reports: list[Report], within: int, *, fail: bool) -> None:
    """Note (or, with ``fail``, fail) passing attestations that expire within ``within`` days."""
    for r in reports:
        if r.days_left is None or r.days_left < 0 or r.days_left >= within or r.has(Code.EXPIRED):
            continue
        msg = (f"expires in {r.days_left} day(s), at {r.expires_at}; re-review before then: "
               f"authready review --from {r.display}")
        if fail:
            r.fail(Code.EXPIRING_SOON, msg)
        else:
            r.notes.append(msg)
        r.expiring = True
