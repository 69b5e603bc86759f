"""The signature checks: start one ``ssh-keygen`` per signature file, then judge who signed.

Starting and judging are apart on purpose: ``Verifier`` starts every signature of every file on
a thread pool first, parses attestations while ``ssh-keygen`` runs, and judges each file's
signatures last. OpenSSH alone decides whether a signature holds; this module only counts the
distinct listed reviewers behind the good ones (the same principal or the same key is one person).
"""

from __future__ import annotations

import os
import stat
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra.files import MAX_FILE_BYTES
from wizard.trust.allowed_signers import Signers
from wizard.trust.codes import Code
from wizard.trust.report import Report, display_name
from wizard.attestation.signatures import principal_from_name, signature_files
from wizard.trust.ssh import SigResult, verify_signature

if TYPE_CHECKING:
    from wizard.attestation.model import Attestation

Pending = list[tuple[Path, "Future[SigResult]"]]
"""Each signature file of one attestation with the ``ssh-keygen`` answer it will get."""


def start(pool: Executor, path: Path, data: bytes, listing: dict[str, list[str]], signers: Signers) -> Pending:
    """Submit every signature beside ``path`` to ``pool`` (``listing``: its folder's signature index)."""
    pending: Pending = []
    for sig in signature_files(path, listing):
        refused = _refused(sig)
        if refused is not None:
            done: Future[SigResult] = Future()
            done.set_result(refused)
            pending.append((sig, done))
            continue
        claim = principal_from_name(path, sig)
        pending.append((sig, pool.submit(verify_signature, data, sig, signers.allowed, claim, signers.revoked)))
    return pending


def _refused(sig: Path) -> SigResult | None:
    """A failed result for a signature file that must not be handed to ssh-keygen (symlink, FIFO, huge)."""
    try:
        st = os.lstat(sig)
    except OSError:
        return None  # gone: ssh-keygen says so
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        kind = "a symlink" if stat.S_ISLNK(st.st_mode) else "not a regular file"
        return SigResult(sig, False, code=Code.NOT_A_FILE,
                         message=f"signature file is {kind}; signatures must be regular files")
    if st.st_size > MAX_FILE_BYTES:
        return SigResult(sig, False, code=Code.TOO_LARGE,
                         message=f"signature file is {st.st_size} bytes; a signature is a few hundred")
    return None


def check_signers(
    report: Report, att: Attestation | None, results: list[SigResult], signers: Signers, root: Path | None
) -> None:
    """Judge one file's signature results: each must hold and be a listed reviewer's; then count signers.

    ``att`` is None when the file did not parse: signatures are still judged (a changed file's
    failed signature is the news), but nobody can be counted as a reviewer.
    """
    if not results:
        report.fail(Code.NOT_SIGNED, f"has no signatures; sign it: authready sign {report.display}")
        return
    reviewers = set(att.review.reviewers) if att is not None else set()
    good: list[SigResult] = []
    for res in results:
        where = display_name(res.sig, root)
        if not res.ok:
            report.fail(res.code or Code.BAD_SIGNATURE, signers.explain(res.message), where)
        elif att is not None and res.principal not in reviewers:
            report.fail(
                Code.NOT_REVIEWER,
                f"{res.principal} may sign, but is not a reviewer listed in the attestation; "
                "only listed reviewers count (re-review with them listed, or remove the signature)",
                where,
            )
        else:
            good.append(res)
    groups = distinct(good)
    report.signers = [g[0].principal or "" for g in groups]
    if att is None or len(good) < len(results):
        return  # a failed signature says enough; count signers once every signature verifies
    need = report.required_signers or 1
    if len(groups) >= need:
        return
    dups = [g for g in groups if len(g) > 1]
    if dups:
        who = ", ".join(f"{g[0].principal} ({len(g)} signatures)" for g in dups)
        report.fail(
            Code.DUPLICATE_SIGNER,
            f"the same signer signed more than once: {who}; that counts once, so {len(groups)} of "
            f"{need} distinct signers; a different reviewer must co-sign",
        )
    else:
        report.fail(
            Code.TOO_FEW_SIGNERS,
            f"{len(groups)} of {need} required distinct signers for {att.verdict.label}; "
            f"another listed reviewer must co-sign: authready sign {report.display}",
        )


def distinct(good: list[SigResult]) -> list[list[SigResult]]:
    """Group signatures by signer: the same principal or the same key is the same person."""
    groups: list[list[SigResult]] = []
    for res in good:
        hit = [g for g in groups if any(x.principal == res.principal or (res.fingerprint and x.fingerprint == res.fingerprint) for x in g)]
        merged = [res]
        for g in hit:
            merged = g + merged
            groups.remove(g)
        groups.append(merged)
    return groups
