"""What an attestation is about: its repo, the committed code under its subject paths, its file name.

Checked for every parsed attestation of a run together, because git answers in batches: one
process for the root commit, two ``cat-file --batch-check`` processes for every subject path of
every file, one ``cat-file --batch`` for the base's versions under a trust ref. What is bound is
the *commit*: uncommitted changes under a subject path only earn a note.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra import git as gitinfo
from wizard.infra.errors import AuthreadyError
from wizard.trust.codes import Code
from wizard.trust.ground_truth import base_problem, name_problem
from wizard.trust.report import Report, printable_name
from wizard.trust.trust_ref import TrustRef

if TYPE_CHECKING:
    from wizard.attestation.model import Attestation, SubjectPath

Parsed = list[tuple[Report, "Attestation"]]
"""The attestations of a run that parsed, each with its report."""


def short(oid: str | None) -> str:
    return (oid or "none")[:12]


def expected_root(root: Path, rev: str = "HEAD") -> str | None:
    """The root commit an attestation must name: the first-parent root of ``rev`` (the trust ref, else HEAD).

    The trust ref's root, when there is one: a change whose own history leads
    to another repo's root (built on it, or merged with ``-s ours
    --allow-unrelated-histories``) cannot make that root this repo's identity.
    """
    return gitinfo.root_commit(root, rev=rev)


def check_repo(parsed: Parsed, root: Path | None, trust: TrustRef | None) -> None:
    """Each attestation names this repo (its root commit) and covers unchanged committed code."""
    if not parsed:
        return
    if root is None:
        for report, _ in parsed:
            report.fail(Code.NOT_IN_REPO, "not inside a git repo; verify it in a clone of the repo it was recorded for")
        return
    here = expected_root(root, trust.commit if trust else "HEAD")
    base = f"{trust.name}'s" if trust else "this repo"
    shallow: bool | None = None
    want: set[str] = set()
    for report, att in parsed:
        rec = att.subject.root_commit
        if rec is None:
            report.fail(Code.REPO_UNBOUND, "records no root commit (reviewed outside git?); re-review inside the repo")
        elif rec != here:
            if shallow is None:
                shallow = gitinfo.git(["rev-parse", "--is-shallow-repository"], root, check=False) == "true"
            if shallow:
                report.fail(
                    Code.SHALLOW_CLONE,
                    "this clone is shallow, so its root commit is unknown; fetch the whole history "
                    "(`git fetch --unshallow`, or actions/checkout with fetch-depth: 0)",
                )
            else:
                report.fail(
                    Code.REPO_MISMATCH,
                    f"recorded for another repo (root commit {short(rec)}, {base} {short(here)}); "
                    "an attestation cannot be copied between repos: review this repo",
                )
        if not att.subject.paths:
            report.fail(Code.NO_SUBJECT, "names no subject paths, so it covers no code; re-review naming the code it covers")
        want.update(sp.path for sp in att.subject.paths)
    head = gitinfo.head_commit(root)
    objects = _objects(root, head, sorted(want)) if head else {}
    try:  # what is bound is the commit; say so when the working tree holds more
        dirty = gitinfo.uncommitted(root, sorted(p for p, o in objects.items() if o.bound))
    except AuthreadyError:
        dirty = []
    for report, att in parsed:
        for sp in att.subject.paths:
            _check_path(report, sp, objects.get(sp.path), head, root)
        mine = [f for f in dirty if any(sp.path == "." or f == sp.path or f.startswith(sp.path + "/") for sp in att.subject.paths)]
        if mine:
            shown = ", ".join(mine[:5]) + (f" and {len(mine) - 5} more" if len(mine) > 5 else "")
            report.notes.append(
                f"checked the committed code ({short(head)}); uncommitted changes under its subject paths are not "
                f"covered until committed: {printable_name(shown)}"
            )


def _check_path(report: Report, sp: SubjectPath, cur: gitinfo.PathObject | None, head: str | None, root: Path) -> None:
    """One subject path: recorded, present in the commit, a real folder or file, and unchanged."""
    if sp.git_object is None:
        report.fail(Code.CODE_UNBOUND, f"subject path {sp.path!r} has no recorded git object; re-review inside the repo")
    elif head is None:
        report.fail(Code.PATH_MISSING, "this checkout has no commit, so no committed code to compare; commit first")
    elif cur is None:
        report.fail(Code.PATH_INVALID, f"subject path {sp.path[:80]!r} is not a plain repo-relative path; re-review")
    elif cur.kind == "symlink":
        report.fail(
            Code.SUBJECT_SYMLINK,
            f"subject path {sp.path!r} is a symlink or a submodule in the commit (or passes through a "
            "symlink): a link text or a foreign commit id, not reviewed code, would be bound; "
            "re-review naming the real folder",
        )
    elif cur.oid is None:
        report.fail(Code.PATH_MISSING, f"subject path {sp.path!r} is not in the commit checked ({short(head)}); re-review the component")
    elif cur.oid != sp.git_object:
        changed = (
            gitinfo.changed_files(root, sp.git_object, cur.oid, "" if sp.path == "." else sp.path + "/")
            if cur.kind == "tree" else None
        )
        what = f" ({'; '.join(changed)})" if changed else ""
        report.fail(
            Code.CODE_CHANGED,
            f"the committed code under {sp.path!r} changed since the review (recorded {short(sp.git_object)}, "
            f"now {short(cur.oid)}){what}; re-review it: authready review --from " + report.display,
        )


def _objects(root: Path, commit: str, paths: list[str]) -> dict[str, gitinfo.PathObject]:
    """Committed object of each valid path at ``commit``, in two git processes whatever their number."""
    ok: list[str] = []
    for p in paths:
        try:
            if gitinfo.normalise_path(p) == p:
                ok.append(p)
        except AuthreadyError:
            pass
    return gitinfo.committed_objects(root, commit, ok) if ok else {}


def check_names(parsed: Parsed) -> None:
    """Bind each file name to its component: ``.authready/<slug>.toml`` and nothing else."""
    for report, att in parsed:
        why = name_problem(report.path, att.subject.component)
        if why:
            report.fail(Code.NAME_MISMATCH, why)


def check_base(files: list[tuple[Report, bytes, Attestation]], root: Path, trust: TrustRef) -> None:
    """Under a trust ref, honour the base's attestations: keep each byte-identical or supersede it."""
    rel: dict[int, str] = {}
    for i, (report, _, _) in enumerate(files):
        path = report.path
        try:  # the folder resolved, the file itself not (a symlinked file is refused when read)
            rel[i] = (Path(os.path.realpath(path.parent)) / path.name).relative_to(root).as_posix()
        except ValueError:
            continue
    blobs = gitinfo.blobs_at(root, trust.commit, list(rel.values()))
    for i, name in rel.items():
        report, data, att = files[i]
        problem = base_problem(data, att, blobs.get(name), trust.name)
        if problem:
            report.fail(*problem)
