"""The repo-wide gate: find every attestation, verify them all in parallel, print a table.

Discovery asks git (one ``ls-files`` call) for tracked and untracked,
not-ignored ``*.toml`` files and keeps those that say they are
attestations, plus any ``.toml`` that has a signature file beside it (so
a damaged ``kind`` line cannot hide a signed file from the gate).
Verification is ``wizard.verify.Verifier``: one thread per core, each
driving ``ssh-keygen`` processes.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from wizard.errors import AuthreadyError
from wizard.signing import SIG_SUFFIX
from wizard.verify import Report

MARKER = b'kind = "authready-attestation"'


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
            try:
                with open(root / f, "rb") as fh:
                    head = fh.read(4096)
            except OSError:
                continue
            if MARKER in head:
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
        if p.is_dir():
            folders.append(p)
        elif p.exists():
            files.append(p.resolve())
        else:
            raise AuthreadyError("no such file or folder", path=p)
    out = list(files)
    if folders:
        out += [f for f in discover(root, folders) if f not in out]
    return out


# -- output ---------------------------------------------------------------------------------------


def _signers_cell(r: Report) -> str:
    need = r.required_signers
    return f"{len(r.signers)}/{need}" if need else str(len(r.signers))


def render_text(reports: list[Report], warnings: list[str]) -> str:
    rows = [("STATUS", "VERDICT", "SIGNERS", "EXPIRES", "ATTESTATION")]
    for r in reports:
        rows.append(("pass" if r.ok else "FAIL", r.label or "?", _signers_cell(r), r.expires_at or "?", r.display))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(c.ljust(widths[j]) for j, c in enumerate(row[:4])) + "  " + row[4])
        if i and not reports[i - 1].ok:
            lines += [f"    {p.line()}" for p in reports[i - 1].problems]
    passed = sum(r.ok for r in reports)
    failed = len(reports) - passed
    lines.append(f"{len(reports)} attestation(s): {passed} passed, {failed} failed")
    return "\n".join(lines) + "\n"


def render_json(reports: list[Report], warnings: list[str], source: str) -> str:
    doc = {
        "ok": all(r.ok for r in reports),
        "allowed_signers": source,
        "warnings": warnings,
        "passed": sum(r.ok for r in reports),
        "failed": sum(not r.ok for r in reports),
        "attestations": [r.to_json() for r in reports],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
