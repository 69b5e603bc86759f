"""The start fields' rules (component, reviewers, subject paths), one place for every front-end.

The Textual start screen, both plain modes, resuming a draft and
``review --answers`` all check the fields here, so a field is refused where
it is typed, with the same words everywhere, and never an hour later at the
verdict: a reviewer entered as "Alice Smith" cannot sign, so it is refused at
the reviewers field (the PRINCIPAL rule of ``wizard.attestation.model``).

Each ``*_problem`` returns one line for the user, or None when the field is
fine. Importing this module loads no pydantic (the plain modes check the
first field before the models are loaded; the principal rule is a regex).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra import git as gitinfo
from wizard.infra.errors import AuthreadyError
from wizard.infra.workspace import ATTESTATION_DIR

if TYPE_CHECKING:  # pragma: no cover
    from wizard.infra.workspace import Meta

# Kept equal to ``wizard.attestation.model.PRINCIPAL`` (a test checks it): importing the model here
# would load pydantic before the first prompt.
PRINCIPAL = r"^[^\s,\"'*?!]+$"
_PRINCIPAL = re.compile(PRINCIPAL)


def split_list(text: str) -> list[str]:
    """``"a, b ,,c"`` -> ``["a", "b", "c"]``: how every front-end reads a comma-separated field."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _secret(field: str, text: str) -> str | None:
    """The credential check's refusal (as when saving: it names the field, masks the value), or None."""
    from wizard.infra.secrets import refuse_secrets

    try:
        refuse_secrets([(field, text)])
    except AuthreadyError as exc:
        return exc.message
    return None


def component_problem(text: str) -> str | None:
    """The component field: not blank, nothing credential-like."""
    if not text.strip():
        return "give the name of the component under review"
    return _secret("component", text)


def reviewers_problem(reviewers: list[str]) -> str | None:
    """At least one reviewer; each a principal that can sign (no spaces, commas, quotes, wildcards)."""
    names = [r.strip() for r in reviewers if r.strip()]
    if not names:
        return "name at least one reviewer (e.g. alice@example.com)"
    for i, name in enumerate(names, 1):
        problem = _secret(f"reviewer {i}", name)
        if problem:
            return problem
        if not _PRINCIPAL.match(name):
            return (f"{name!r} cannot sign; use the principal from allowed_signers (e.g. alice@example.com), "
                    "without spaces, commas, quotes or wildcards")
    return None


def object_problem(root: Path, obj: gitinfo.PathObject) -> str | None:
    """Why a subject path as committed binds nothing (a symlink or submodule, or not committed), or None."""
    if obj.kind == "symlink":
        return (f"subject path {obj.path!r} is a symlink or a submodule (or passes through a symlink); "
                "name the folder or file in this repo that holds the code")
    if not obj.bound:
        here = " exists but" if os.path.lexists(root / obj.path) else ""
        return (f"subject path {obj.path!r}{here} is not in the last commit (never committed, or ignored by "
                ".gitignore); commit it, or fix the path")
    return None


def normalised_paths(paths: list[str]) -> list[str]:
    """The subject paths normalised and de-duplicated (``AuthreadyError`` for one that cannot be)."""
    return list(dict.fromkeys(gitinfo.normalise_path(p) for p in paths if p.strip()))


def paths_problem(paths: list[str], root: Path, in_git: bool) -> str | None:
    """Subject paths: relative, outside ``.authready/``, existing and, in git, committed in HEAD.

    In git at least one is needed (an attestation binds code); outside git the review cannot be
    saved anyway (``review.lifecycle.start_warnings`` says so), so none is required there.
    """
    try:
        norm = normalised_paths(paths)
    except AuthreadyError as exc:
        return exc.message
    if not norm:
        return "name at least one subject path (relative to the repo root; '.' for all)" if in_git else None
    if len(norm) > gitinfo.MAX_SUBJECT_PATHS:
        return f"{len(norm)} subject paths; at most {gitinfo.MAX_SUBJECT_PATHS} (name their folders)"
    for i, p in enumerate(norm, 1):
        if p == ATTESTATION_DIR or p.startswith(ATTESTATION_DIR + "/"):
            return f"{p!r} is where attestations live; it cannot be reviewed code"
        problem = _secret(f"subject path {i}", p)
        if problem:
            return problem
        if not os.path.lexists(root / p):
            return f"{p!r} does not exist under {root}"
    if not in_git:
        return None
    head = gitinfo.head_commit(root)
    if head is None:
        return "the repo has no commit yet: commit the code under review first (an attestation binds commits)"
    objects = gitinfo.committed_objects(root, head, norm)
    return next((msg for p in norm if (msg := object_problem(root, objects[p]))), None)


def start_problems(meta: "Meta", root: Path, in_git: bool) -> dict[str, str]:
    """``{"component" | "reviewers" | "paths": problem}`` for every field that is not fine; ``{}`` when all are."""
    found = {
        "component": component_problem(meta.component),
        "reviewers": reviewers_problem(meta.reviewers),
        "paths": paths_problem(meta.paths, root, in_git),
    }
    return {name: problem for name, problem in found.items() if problem}
