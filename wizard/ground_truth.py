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
import subprocess
from pathlib import Path

from wizard.errors import AuthreadyError

MAX_BASE_BYTES = 1 << 20


def base_blobs(root: Path, commit: str, names: list[str]) -> dict[str, bytes | None]:
    """The bytes of each repo-relative file as committed at ``commit`` (None: not a file there).

    One ``cat-file --batch`` process; names come on stdin, one per line (callers skip names with
    control characters, which could not be attestation paths the base wrote).
    """
    names = [n for n in dict.fromkeys(names) if n.isprintable()]
    if not names:
        return {}
    try:
        proc = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=root,
            input="".join(f"{commit}:{n}\n" for n in names).encode("utf-8", "surrogateescape"),
            capture_output=True,
        )
    except FileNotFoundError:
        raise AuthreadyError("git is not installed (or not on PATH); install git and try again") from None
    out, pos = proc.stdout, 0
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
            found[n] = body if header[1] == b"blob" and size <= MAX_BASE_BYTES else None
        else:
            found[n] = None
    return found


def canonical_name(component: str) -> str:
    """The only file name an attestation of ``component`` may have."""
    from wizard.attestation import slug

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


def base_problem(data: bytes, att, base: bytes | None, ref: str) -> tuple[str, str] | None:
    """``(code, message)`` when this file does not honour the base's version of it, else None."""
    if base is None or base == data:
        return None
    from wizard.attestation import parse_timestamp
    from wizard.tomlio import parse_toml

    want = hashlib.sha256(base).hexdigest()
    if att.review.supersedes != want:
        named = f"names {att.review.supersedes[:12]}" if att.review.supersedes else "names none"
        return (
            "supersedes-mismatch",
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
            "not-newer",
            f"supersedes {ref}'s attestation but is reviewed at {att.review.reviewed_at}, not after "
            f"{base_reviewed}; a replacement must be a later review",
        )
    return None
