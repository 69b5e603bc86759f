"""Use cases around a review's life, shared by every front-end: early warnings and deliberate supersede.

Front-ends show these; they decide nothing themselves. The warnings come
before the first question, because a review that cannot pass (no repo, too
few reviewers to sign it, missing paths) should not cost the team an hour
first. Superseding shows what a re-review changes (answers, verdict, expiry,
the signatures that will go) so the team confirms it knowingly; the write
itself is ``wizard.attestation.store.supersede``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra.errors import AuthreadyError

if TYPE_CHECKING:  # pragma: no cover
    from wizard.attestation.model import Attestation
    from wizard.policy.tree import Tree


def start_warnings(root: Path, in_git: bool, reviewers: list[str], paths: list[str], tree: "Tree") -> list[str]:
    """What will stop this review from passing later, said before the first question."""
    out: list[str] = []
    if not in_git:
        out.append(f"{root} is not inside a git repo: an attestation binds committed code, so it cannot be "
                   "saved here; run the review inside the repo")
    distinct = {r.strip() for r in reviewers if r.strip()}
    best = max(tree.outcomes, key=lambda o: o.rank) if tree.outcomes else None
    if best is not None and len(distinct) < tree.outcomes[best].required_signers:
        need = tree.outcomes[best].required_signers
        out.append(f"{len(distinct)} reviewer(s) listed, but {best.label} needs {need} distinct signers; "
                   "list every reviewer who will sign")
    if in_git:
        from wizard.infra.git import normalise_path

        for p in paths:
            try:
                norm = normalise_path(p)
            except AuthreadyError as exc:
                out.append(exc.message)
                continue
            if not os.path.lexists(root / norm):
                out.append(f"subject path {p!r} does not exist under {root}")
    return out


def signer_gap(required: int, reviewers: list[str]) -> str | None:
    """The summary's line when the verdict needs more signers than reviewers are listed."""
    distinct = {r for r in reviewers if r}
    if len(distinct) >= required:
        return None
    return (f"this verdict needs {required} distinct signers but {len(distinct)} reviewer(s) are listed: "
            "go back to the start and add the other reviewers, or it can never pass")


def supersede_summary(old_path: Path, new: "Attestation") -> list[str]:
    """What replacing ``old_path`` with the attestation ``new`` changes, one line each."""
    from wizard.attestation.store import load
    from wizard.attestation.signatures import signature_files

    old, _ = load(old_path)
    lines: list[str] = []
    before = {a.question: a for a in old.answers}
    after = {a.question: a for a in new.answers}
    for qid, a in after.items():
        b = before.get(qid)
        if b is None:
            lines.append(f"new answer: {a.asked} -> {a.answer}")
        elif b.choice != a.choice:
            lines.append(f"changed: {a.asked} {b.answer} -> {a.answer}")
    for qid, b in before.items():
        if qid not in after:
            lines.append(f"no longer asked: {b.asked} (was {b.answer})")
    if old.verdict.outcome != new.verdict.outcome:
        lines.append(f"verdict: {old.verdict.label} -> {new.verdict.label}")
    else:
        lines.append(f"verdict: {new.verdict.label} (unchanged)")
    lines.append(f"expires: {old.review.expires_at} -> {new.review.expires_at}")
    sigs = signature_files(old_path)
    if sigs:
        lines.append("signatures removed (they cannot cover the new bytes): " + ", ".join(s.name for s in sigs))
    return lines
