"""Signature files: where each signer's signature of an attestation lives.

Signatures sit beside the attestation, one per signer, named
``<attestation>.<principal>.sig``; a plain ``<attestation>.sig`` (bare
``ssh-keygen -Y sign``) is accepted too. The principal in a name is only a
claim that ``wizard.trust`` checks against allowed_signers. This is a storage
convention, so it lives with the attestation; it runs no crypto.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from wizard.infra.errors import AuthreadyError

SIG_SUFFIX = ".sig"
# Characters allowed in a principal that names a signature file (an email address, a user name).
PRINCIPAL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._%+@-]{0,127}$")


def signature_path(attestation: Path, principal: str) -> Path:
    """Where ``principal``'s signature of ``attestation`` goes."""
    if not PRINCIPAL_RE.match(principal):
        raise AuthreadyError(
            f"principal {principal!r} cannot name a signature file; use letters, digits and . _ % + @ - (e.g. alice@example.com)"
        )
    return attestation.with_name(f"{attestation.name}.{principal}{SIG_SUFFIX}")


def principal_from_name(attestation: Path, sig: Path) -> str | None:
    """The principal a signature file's name claims (None for a plain ``<attestation>.sig``)."""
    middle = sig.name[len(attestation.name) : -len(SIG_SUFFIX)]
    if middle.startswith(".") and PRINCIPAL_RE.match(middle[1:]):
        return middle[1:]
    return None


def signature_index(names: list[str]) -> dict[str, list[str]]:
    """Map each file name in a folder listing to the names of its signature files.

    One pass over the listing (``check`` reads a folder of thousands of files
    once, instead of scanning it per attestation). A signature belongs to
    ``<name>`` when it is ``<name>.sig`` or ``<name>.<principal>.sig`` and
    ``<name>`` is in the same folder.
    """
    present = set(names)
    index: dict[str, list[str]] = {}
    for n in names:
        if not n.endswith(SIG_SUFFIX):
            continue
        stem = n[: -len(SIG_SUFFIX)]
        if stem in present:
            index.setdefault(stem, []).append(n)
            continue
        pos = stem.rfind(".")
        while pos > 0:  # the longest name in the folder wins: principals may contain dots too
            if stem[:pos] in present and PRINCIPAL_RE.match(stem[pos + 1 :]):
                index.setdefault(stem[:pos], []).append(n)
                break
            pos = stem.rfind(".", 0, pos)
    return index


def signature_files(attestation: Path, index: dict[str, list[str]] | None = None) -> list[Path]:
    """The signature files beside an attestation, sorted (``index``: from ``signature_index``, to save scans)."""
    if index is None:
        try:
            index = signature_index(os.listdir(attestation.parent))
        except OSError:
            return []
    return sorted(attestation.parent / n for n in index.get(attestation.name, ()))
