"""Under a trust ref, the base's attestations are ground truth.

A pull request controls every file in its checkout but holds no reviewer's
key, so it can only move genuine signed files around: copy one component's
attestation over another's name (substitution), or restore an older review
from history (rollback). Both are caught here. For every attestation the base
has at a path, the change must keep it byte-identical, or replace it with a
newer review of the same component that names the base's bytes in
``review.supersedes`` (its sha256) and is reviewed strictly later.

The file name itself is bound to the component everywhere (with or without a
trust ref): ``.authready/<slug(component)>.toml`` and nothing else.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra.errors import AuthreadyError
from wizard.trust.codes import Code

if TYPE_CHECKING:
    from wizard.attestation.model import Attestation


def canonical_name(component: str) -> str:
    """The only file name an attestation of ``component`` may have."""
    from wizard.attestation.store import slug

    return f"{slug(component)}.toml"


def name_problem(path: Path, component: str) -> str | None:
    """Why the file name does not fit the component (substitution), or None."""
    want = canonical_name(component)
    if path.name == want:
        return None
    return (
        f"is named {path.name!r} but reviews component {component!r}, whose attestation is {want!r}; "
        "an attestation cannot stand in for another component's (re-review that component)"
    )


def base_problem(data: bytes, att: Attestation, base: bytes | None, ref: str) -> tuple[Code, str] | None:
    """``(code, message)`` when this file does not honour the base's version of it, else None."""
    if base is None or base == data:
        return None
    from wizard.attestation.model import parse_timestamp
    from wizard.infra.tomlio import parse_toml

    want = hashlib.sha256(base).hexdigest()
    if att.review.supersedes != want:
        named = f"names {att.review.supersedes[:12]}" if att.review.supersedes else "names none"
        return (
            Code.SUPERSEDES_MISMATCH,
            f"differs from the attestation at {ref} but does not supersede it (review.supersedes {named}, "
            f"{ref}'s file is {want[:12]}); restore {ref}'s file, or record a new review with "
            "`authready review --supersede` and have it signed",
        )
    try:
        base_reviewed = str(parse_toml(base.decode("utf-8"), Path(f"{ref}:attestation"))["review"]["reviewed_at"])
        newer = parse_timestamp(att.review.reviewed_at) > parse_timestamp(base_reviewed)
    except (AuthreadyError, UnicodeDecodeError, KeyError, TypeError, ValueError):
        return None  # the base's file is not a readable attestation: the supersedes hash names it exactly
    if not newer:
        return (
            Code.NOT_NEWER,
            f"supersedes {ref}'s attestation but is reviewed at {att.review.reviewed_at}, not after "
            f"{base_reviewed}; a replacement must be a later review",
        )
    return None
