"""The sign use case: find the key, settle the principal, sign, check the new signature, count.

``authready sign FILE`` with no flags should just work for each reviewer in turn, even two on one
laptop: the key is found as git finds it and the principal is the name allowed_signers gives that
key (``wizard.trust.signer``). Before anything is written the new signature is verified against
allowed_signers, so a key nobody listed never leaves a signature file that ``check`` would only
reject later. The file is written atomically and never over another signer's file.

Front-ends call :func:`sign` and print the ``Signed`` it returns; warnings that do not stop the
signature go to the ``warn`` callback as they arise.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import NoReturn

from wizard.infra.errors import AuthreadyError, InputError, SigningError
from wizard.infra.files import read_regular
from wizard.trust.codes import Code


@dataclass(frozen=True)
class Signed:
    """A signature just written, and where the attestation stands now."""

    sig: Path
    principal: str
    key_source: str  # how the key was found ("--key", "ssh-agent", "~/.ssh/id_ed25519", ...)
    reviewers: tuple[str, ...]
    have: tuple[str, ...]  # listed reviewers with a signature file beside the attestation, this one included
    required: int
    line_ends_at_risk: bool  # git may convert the file's line ends (no ``-text`` rule), which breaks signatures

    @property
    def still_needed(self) -> list[str]:
        """Listed reviewers who have not signed yet."""
        return [r for r in self.reviewers if r not in self.have]

    def progress(self) -> str:
        """``1 of 2 required signatures; still needed: 1 more from bob@…`` (or complete)."""
        have, need = len(self.have), self.required
        if have < need:
            return f"{have} of {need} required signatures; still needed: {need - have} more from {', '.join(self.still_needed)}"
        return f"{have} of {need} required signatures: complete; commit the attestation and its signatures"


def _ignore(message: str) -> None:
    """The default ``warn``: say nothing."""


def sign(
    path: Path, *, key: Path | None = None, principal: str | None = None, warn: Callable[[str], None] = _ignore
) -> Signed:
    """Sign the attestation at ``path`` and write ``<path>.<principal>.sig``; refuse with one line otherwise.

    ``key``: a private key or a ``.pub`` (signs through ssh-agent); None finds one as git does.
    ``principal``: the signer's name in allowed_signers; None takes the name allowed_signers gives
    the key, narrowed to the reviewers who have not signed yet.
    """
    from wizard.attestation.model import parse_timestamp
    from wizard.attestation.store import load
    from wizard.infra.git import repo_root, user_email
    from wizard.infra.tomlio import write_atomic
    from wizard.trust.repo_setup import text_attr_unset
    from wizard.trust.signer import candidates, choose
    from wizard.attestation.signatures import signature_path
    from wizard.trust.ssh import keygen, sign_bytes

    data = _read(path)
    if b"\r" in data:
        raise InputError(
            "has CRLF line ends (a Windows checkout?); add `.authready/** -text` to .gitattributes (`authready init`) and check it out again",
            path=path,
        )
    att, _ = load(path)
    if parse_timestamp(att.review.expires_at) <= datetime.now(timezone.utc):
        raise InputError(f"expired at {att.review.expires_at}; re-review before signing: authready review --from {path}", path=path)
    root = repo_root(path.resolve().parent)
    reviewers = list(att.review.reviewers)
    if principal is not None:
        signature_path(path, principal)  # refuses a name that cannot name a file
        if principal not in reviewers:
            raise InputError(f"{principal} is not a reviewer listed in the attestation ({', '.join(reviewers)}); "
                             "sign as one of them (--principal)", path=path)
    signed = _signed_by(path)
    if principal is not None and principal in signed:
        _already(principal, signature_path(path, principal))
    listed = _listed_keys(root)
    keygen()
    with tempfile.TemporaryDirectory(prefix="authready-sign-") as tmp:
        keys = candidates(root, Path(tmp), key, listed)
        choice = choose(keys, listed, reviewers, signed, principal, user_email(root))
        sig = signature_path(path, choice.principal)
        if sig.exists():
            _already(choice.principal, sig)
        armored = sign_bytes(data, choice.key)
        _check_new_signature(path, Path(tmp) / "new.sig", armored, data, choice.principal, root, warn)
    if _read(path) != data:
        raise SigningError("changed while it was being signed; sign again", path=path)
    write_atomic(sig, armored, overwrite=False)
    return Signed(
        sig=sig,
        principal=choice.principal,
        key_source=choice.source,
        reviewers=tuple(reviewers),
        have=tuple(sorted((signed | {choice.principal}) & set(reviewers))),
        required=att.verdict.required_signers,
        line_ends_at_risk=root is not None and not text_attr_unset(root, path),
    )


def _read(path: Path) -> bytes:
    """An attestation's bytes: a regular file (no symlink, device or FIFO) of at most 1 MiB."""
    return read_regular(path, "an attestation file")


def _already(principal: str, sig: Path) -> NoReturn:
    raise SigningError(f"already signed by {principal}; delete it to sign again (other signers' files are "
                       "never overwritten)", path=sig)


def _listed_keys(root: Path | None) -> dict[str, list[str]]:
    """allowed_signers' keys -> principals ({} when there is no readable file: sign then trusts --principal)."""
    from wizard.trust.allowed_signers import locate
    from wizard.trust.signer import signers_by_key

    try:
        with locate(root) as signers:
            return signers_by_key(signers.allowed.read_text(encoding="utf-8", errors="replace"))
    except AuthreadyError:
        return {}


def _signed_by(path: Path) -> set[str]:
    """Principals whose signature files are beside the attestation (by name; verify decides if they hold)."""
    from wizard.attestation.signatures import principal_from_name, signature_files

    return {p for p in (principal_from_name(path, s) for s in signature_files(path)) if p}


def _check_new_signature(
    path: Path, trial: Path, armored: bytes, data: bytes, principal: str, root: Path | None, warn: Callable[[str], None]
) -> None:
    """Refuse a signature whose key allowed_signers does not list for ``principal`` (nothing is written);
    warn when it fails for another reason (an expired or revoked key) or cannot be checked."""
    from wizard.trust.allowed_signers import locate
    from wizard.trust.ssh import verify_signature

    trial.write_bytes(armored)
    try:
        with locate(root) as signers:
            res = verify_signature(data, trial, signers.allowed, principal, signers.revoked)
            source = signers.source
    except AuthreadyError as exc:
        warn(f"cannot check the new signature: {exc}")
        return
    if res.ok:
        return
    if res.code in (Code.UNKNOWN_SIGNER, Code.WRONG_PRINCIPAL):
        raise SigningError(
            f"the key is not listed for {principal} in {source}; add it there first "
            "(see the comment at the top of .authready/allowed_signers), then sign; nothing was written",
            path=path,
        )
    warn(f"{path}: the new signature does not verify against {source}: {res.message}")
