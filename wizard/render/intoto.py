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
import subprocess
from pathlib import Path

from wizard.trust.ssh import principal_from_name, signature_files

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://authready.dev/attestation/v1"


def _object_types(root: Path | None, oids: list[str]) -> dict[str, str]:
    """git's type (tree/blob) of each object id, in one ``cat-file --batch-check`` call."""
    if root is None or not oids:
        return {}
    proc = subprocess.run(
        ["git", "cat-file", "--batch-check=%(objectname) %(objecttype)"],
        cwd=root,
        input="\n".join(oids) + "\n",
        capture_output=True,
        text=True,
    )
    out = {}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1] in ("tree", "blob"):
            out[parts[0]] = parts[1]
    return out


def statement(path: Path, display: str, data: bytes, att, root: Path | None) -> dict:
    """The in-toto Statement v1 for one attestation (``data``: its exact bytes)."""
    oids = [sp.git_object for sp in att.subject.paths if sp.git_object]
    types = _object_types(root, oids)
    subjects = [{"name": display, "digest": {"sha256": hashlib.sha256(data).hexdigest()}}]
    for sp in att.subject.paths:
        if not sp.git_object:
            continue
        kind = types.get(sp.git_object)
        if kind is None and root is not None:
            kind = "blob" if (root / sp.path).is_file() else "tree"
        subjects.append({"name": sp.path, "digest": {"gitBlob" if kind == "blob" else "gitTree": sp.git_object}})
    sigs = []
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
            "namespace": "authready-attestation-v1",
            "repo_root_commit": att.subject.root_commit,
            "attestation": att.model_dump(mode="json", exclude_none=True),
            "signatures": sigs,
        },
    }


def dumps(doc: dict) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
