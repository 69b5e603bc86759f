"""The organisation's view: every attestation in many repo checkouts, verified, in one report.

A security team asks "which components may ship, which expire soon, which
carry open conditions?" across hundreds of repos. ``authready inventory``
verifies each repo with the same ``Verifier`` as ``check`` (its own
allowed_signers and policy trees, from the working tree: this is a report,
not a gate) and runs repos side by side with at most one ``ssh-keygen`` per
core. This module gathers one ``Row`` per attestation, as found;
``wizard.render.inventory_page`` shows them (a terminal table, markdown, JSON
or a self-contained HTML page) and escapes everything, since every field
comes from files other people control.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from wizard.infra.errors import AuthreadyError, InputError


@dataclass
class Row:
    """One attestation in one repo, as the inventory shows it."""

    repo: str
    component: str
    file: str
    verdict: str
    signers: str
    expires_at: str
    days_left: int | None
    conditions: list[str] = field(default_factory=list)
    status: str = "pass"
    problems: list[str] = field(default_factory=list)


def repo_paths(args: list[Path]) -> list[Path]:
    """Folders as given; a file lists folders, one per line (``#`` comments, blank lines skipped)."""
    out: list[Path] = []
    for a in args:
        if a.is_dir():
            out.append(a)
        elif a.is_file():
            from wizard.infra.files import read_regular

            base = a.parent
            for raw in read_regular(a, "a list of repo folders").decode("utf-8", "replace").splitlines():
                line = raw.strip()
                if line and not line.startswith("#"):
                    p = Path(os.path.expanduser(line))
                    out.append(p if p.is_absolute() else base / p)
        else:
            raise InputError("no such folder or list file", path=a)
    return list(dict.fromkeys(out))


def _repo_rows(folder: Path) -> list[Row]:
    """Verify one repo's attestations (one ssh-keygen at a time: repos run side by side)."""
    from wizard.infra.git import repo_root
    from wizard.trust.allowed_signers import locate
    from wizard.trust.gate import targets
    from wizard.trust.verify import Verifier

    root = repo_root(folder)
    name = folder.name
    if root is None:
        return [Row(name, "-", str(folder), "-", "-", "-", None, status="FAIL", problems=["not a git repo"])]
    try:
        files = targets(root, [])
        if not files:
            return []
        with locate(root) as signers:
            reports = Verifier(signers, root, workers=1).run(files)
    except AuthreadyError as exc:
        return [Row(name, "-", str(folder), "-", "-", "-", None, status="FAIL", problems=[str(exc)])]
    return [
        Row(
            repo=r.repo or name,
            component=r.component or "?",
            file=r.display,
            verdict=r.label or "?",
            signers=f"{len(r.signers)}/{r.required_signers or '?'}",
            expires_at=r.expires_at or "?",
            days_left=r.days_left,
            conditions=list(r.conditions),
            status="pass" if r.ok else "FAIL",
            problems=[p.line() for p in r.problems],
        )
        for r in reports
    ]


def collect(folders: list[Path], workers: int | None = None) -> list[Row]:
    """Rows for every attestation in every folder, verified in parallel (bounded by the cores)."""
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 2) as pool:
        per_repo = list(pool.map(_repo_rows, folders))
    rows = [row for rows in per_repo for row in rows]
    return sorted(rows, key=lambda r: (r.repo, r.component, r.file))
