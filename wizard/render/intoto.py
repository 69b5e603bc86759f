"""Export an attestation as an in-toto Statement v1, for supply-chain tooling.

The statement's subjects are the attestation file itself (sha256 of its
exact bytes, so a consumer can tie the statement to the signed file) and
each reviewed path with its git object id (``gitTree`` for a folder,
``gitBlob`` for a file, as the in-toto digest-set spec names them). The
predicate type is the project's own; the predicate carries the attestation
as recorded and the detached SSH signatures beside it, verbatim. Export
does not verify: run ``authready verify`` for that.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra import git as gitinfo
from wizard.attestation.signatures import principal_from_name, signature_files
from wizard.trust.ssh import NAMESPACE

if TYPE_CHECKING:
    from wizard.attestation.model import Attestation

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://authready.dev/attestation/v1"


def statement(path: Path, display: str, data: bytes, att: Attestation, root: Path | None) -> dict[str, object]:
    """The in-toto Statement v1 for one attestation (``data``: its exact bytes)."""
    oids = [sp.git_object for sp in att.subject.paths if sp.git_object]
    types = gitinfo.object_types(root, oids) if root is not None and oids else {}
    subjects = [{"name": display, "digest": {"sha256": hashlib.sha256(data).hexdigest()}}]
    for sp in att.subject.paths:
        if not sp.git_object:
            continue
        kind = types.get(sp.git_object)
        if kind is None and root is not None:
            kind = "blob" if (root / sp.path).is_file() else "tree"
        subjects.append({"name": sp.path, "digest": {"gitBlob" if kind == "blob" else "gitTree": sp.git_object}})
    sigs: list[dict[str, str | None]] = []
    for sig in signature_files(path):
        try:
            text = sig.read_text("ascii")
        except (OSError, UnicodeDecodeError):
            continue
        sigs.append({"file": sig.name, "claimed_principal": principal_from_name(path, sig), "ssh_signature": text})
    return {
        "_type": STATEMENT_TYPE,
        "subject": subjects,
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "namespace": NAMESPACE,
            "repo_root_commit": att.subject.root_commit,
            "attestation": att.model_dump(mode="json", exclude_none=True),
            "signatures": sigs,
        },
    }


def dumps(doc: dict[str, object]) -> str:
    """The statement as JSON text (UTF-8 kept, two-space indents, a final newline)."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
