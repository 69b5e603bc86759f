"""The repo-wide gate: find every attestation, verify them all in parallel, print a table.

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

Text output escapes control characters in everything it prints: the
fields come from attestations (and file names) a pull request controls.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import unicodedata
from pathlib import Path

from wizard.infra.errors import AuthreadyError
from wizard.trust.ssh import SIG_SUFFIX
from wizard.trust.verify import Report

MARKER = b'kind = "authready-attestation"'
ATTESTATION_DIR = ".authready"


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
    proc = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *specs],
        cwd=root,
        capture_output=True,
    )
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AuthreadyError(f"git ls-files failed: {err[-1] if err else proc.returncode}")
    return sorted({p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p})


def discover(root: Path, under: list[Path] | None = None) -> list[Path]:
    """Attestation files in the repo (or under the given folders), sorted by path."""
    prefixes = [""]
    if under:
        prefixes = []
        for d in under:
            try:
                rel = d.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                raise AuthreadyError("is outside the repo; give a folder inside it", path=d) from None
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
    files, folders = [], []
    for p in paths:
        if p.is_dir() and not p.is_symlink():
            folders.append(p)
        elif os.path.lexists(p):
            files.append(p.parent.resolve() / p.name)  # the link itself, not its target: verify refuses links
        else:
            raise AuthreadyError("no such file or folder", path=p)
    out = list(files)
    if folders:
        out += [f for f in discover(root, folders) if f not in out]
    return out


def _ref_attestations(root: Path, ref: str) -> list[str]:
    """Attestations under ``.authready/`` as committed at ``ref``: ``.toml`` files with the marker or a signature."""
    proc = subprocess.run(
        ["git", "ls-tree", "-r", "-z", "--full-tree", "--name-only", ref, "--", ATTESTATION_DIR],
        cwd=root,
        capture_output=True,
    )
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AuthreadyError(f"git ls-tree {ref} failed: {err[-1] if err else proc.returncode}")
    names = [n for n in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    tomls = {n for n in names if n.endswith(".toml")}
    found: set[str] = set()
    by_folder: dict[str, list[str]] = {}
    for n in names:
        folder, _, base = n.rpartition("/")
        by_folder.setdefault(folder, []).append(base)
    from wizard.trust.ssh import signature_index

    for folder, bases in by_folder.items():
        for stem in signature_index(bases):
            if f"{folder}/{stem}" in tomls:
                found.add(f"{folder}/{stem}")
    rest = sorted(tomls - found)
    if rest:  # the marker, read from the ref's blobs in one batch
        from wizard.infra.git import blobs_at

        for n, blob in blobs_at(root, ref, rest).items():
            if blob is not None and MARKER in blob[:4096]:
                found.add(n)
    return sorted(found)


def removed(root: Path, trust, reports: list[Report], paths: list[Path]) -> list[Report]:
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
    seen = set()
    for r in reports:
        try:
            seen.add(r.path.relative_to(rroot).as_posix())
        except ValueError:
            try:
                seen.add(r.path.relative_to(root).as_posix())
            except ValueError:
                pass
    out = []
    ref = trust.name
    for name in _ref_attestations(root, trust.commit):
        if name in seen or not any(name.startswith(p) for p in prefixes):
            continue
        r = Report(root / name, name)
        r.fail(
            "attestation-removed",
            f"is an attestation at {ref}, but it is gone here (deleted, emptied or untracked); a change cannot "
            f"drop an attestation: restore it, or have a maintainer remove it on {ref} itself",
        )
        out.append(r)
    return out


# -- output ---------------------------------------------------------------------------------------


def clean(text: object) -> str:
    """``text`` safe for a terminal or CI log: control, format and line-separator characters escaped.

    Newlines, carriage returns, ESC (colour and cursor codes) and bidi
    overrides from an attestation could otherwise forge log lines.
    """
    s = str(text)
    if s.isprintable():
        return s
    out = []
    for ch in s:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif unicodedata.category(ch) in ("Zs",):
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


def mark_expiring(reports: list[Report], within: int, *, fail: bool) -> None:
    """Note (or, with ``fail``, fail) passing attestations that expire within ``within`` days."""
    for r in reports:
        if r.days_left is None or r.days_left < 0 or r.days_left >= within or any(p.code == "expired" for p in r.problems):
            continue
        msg = (f"expires in {r.days_left} day(s), at {r.expires_at}; re-review before then: "
               f"authready review --from {r.display}")
        if fail:
            r.fail("expiring-soon", msg)
        else:
            r.notes.append(msg)
        r.expiring = True


def _gh_data(text: object) -> str:
    """GitHub workflow-command message text: %, CR and LF encoded (control characters already escaped)."""
    return clean(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: object) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(reports: list[Report], warnings: list[str]) -> str:
    """GitHub Actions workflow commands: each failure an ``::error`` on its file, expiring ones ``::warning``."""
    lines = [f"::warning title=authready::{_gh_data(w)}" for w in warnings]
    for r in reports:
        for p in r.problems:
            lines.append(f"::error file={_gh_prop(p.file)},title={_gh_prop('authready ' + p.code)}::{_gh_data(p.message)}")
        if r.ok and r.expiring:
            lines.append(f"::warning file={_gh_prop(r.display)},title=authready expiring-soon::{_gh_data(r.notes[-1])}")
    passed = sum(r.ok for r in reports)
    lines.append(f"{len(reports)} attestation(s): {passed} passed, {len(reports) - passed} failed")
    return "\n".join(lines) + "\n"


def _signers_cell(r: Report) -> str:
    need = r.required_signers
    return f"{len(r.signers)}/{need}" if need else str(len(r.signers))


def render_text(reports: list[Report], warnings: list[str]) -> str:
    rows = [("STATUS", "VERDICT", "SIGNERS", "EXPIRES", "ATTESTATION")]
    for r in reports:
        expires = clean(r.expires_at or "?") + (f" (in {r.days_left}d)" if r.expiring else "")
        rows.append(("pass" if r.ok else "FAIL", clean(r.label or "?"), _signers_cell(r), expires, clean(r.display)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(c.ljust(widths[j]) for j, c in enumerate(row[:4])) + "  " + row[4])
        if i and not reports[i - 1].ok:
            lines += [f"    {clean(p.line())}" for p in reports[i - 1].problems]
        elif i and reports[i - 1].expiring:
            lines.append(f"    {clean(reports[i - 1].display)}: {clean(reports[i - 1].notes[-1])}")
    passed = sum(r.ok for r in reports)
    failed = len(reports) - passed
    lines.append(f"{len(reports)} attestation(s): {passed} passed, {failed} failed")
    return "\n".join(lines) + "\n"


def render_json(
    reports: list[Report], warnings: list[str], source: str, *, policy_trees: str = "working tree", trust_note: str | None = None
) -> str:
    doc = {
        "ok": all(r.ok for r in reports),
        "allowed_signers": source,
        "policy_trees": policy_trees,
        "trust_note": trust_note,
        "warnings": warnings,
        "passed": sum(r.ok for r in reports),
        "failed": sum(not r.ok for r in reports),
        "attestations": [r.to_json() for r in reports],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
