"""Verify attestations: signatures, schema, repo binding, expiry, code, policy, signers.

One ``Verifier`` serves ``authready verify`` (one file), ``authready check`` (every file) and the
inventory. This module is the orchestration; the checks live beside it, one module per concern:

- ``checks_signatures``: one ``ssh-keygen`` per signature file, then who signed;
- ``checks_subject``: the repo (root commit), the committed code under each subject path, the file
  name, and under a trust ref the base's version of the file;
- ``checks_policy``: the policy tree it was judged by, its verdict, its lifetime and expiry;

and every failure is a ``Problem`` with a ``Code`` (``codes``) in a ``Report`` (``report``).

Signature checks go to a thread pool (each thread drives an ``ssh-keygen`` process, so they run on
all cores) while the main thread parses attestations; git is asked once for the root commit and
once, in a batch, for the object ids of every subject path. Signature bytes are the file's exact
bytes: nothing is re-serialised before verifying. Time is the current time, so ``valid-before``,
revocation and ``expires_at`` bite.

Trust: with a trust ref (``--allowed-signers-ref REF``) everything a pull request could otherwise
choose for itself comes from REF: the allowed signers and revoked keys (``allowed_signers``),
repo-local policy trees (``policy.source``, read with ``git cat-file``), the policy pins
(``.authready/policies.toml``, ``policy_pins``) and the repo's root commit. Without one, they
come from the working tree. Shipped trees (no ``policy.source``) always come from the installed
package, never from a file in the current folder.

Every file is ``lstat``-ed before it is read: symlinks and special files (devices, FIFOs) are
refused, and nothing over ``MAX_FILE_BYTES`` is read, so one hostile file cannot hang or exhaust
the gate.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra.errors import AuthreadyError
from wizard.infra.files import FileRefused, read_regular
from wizard.trust import checks_conditions, checks_policy, checks_signatures, checks_subject, policy_pins
from wizard.trust.allowed_signers import Signers
from wizard.trust.codes import SIGNATURE_CODES, Code
from wizard.trust.report import Report, display_name
from wizard.attestation.signatures import signature_index
from wizard.trust.trust_ref import TrustRef

if TYPE_CHECKING:
    from wizard.attestation.model import Attestation

@dataclass
class _Item:
    """One file on its way through the checks."""

    path: Path
    report: Report
    data: bytes | None = None
    sigs: checks_signatures.Pending = field(default_factory=list)
    att: Attestation | None = None


class Verifier:
    """Verifies attestation files against one allowed_signers list, one repo, one clock.

    ``trust_ref``: the git ref trusted for what a change must not choose for
    itself (repo-local policy trees, policy pins, the root commit); None: the working tree and HEAD.
    ``policy``: the ``--policy`` specs, a list every attestation must match besides the pins file's.
    """

    def __init__(
        self,
        signers: Signers,
        root: Path | None,
        *,
        now: datetime | None = None,
        require: str | None = None,
        workers: int | None = None,
        trust_ref: TrustRef | None = None,
        policy: Sequence[str] = (),
    ) -> None:
        self.signers = signers
        self.root = root.resolve() if root else None
        self.now = now or datetime.now(timezone.utc)
        self.require = require
        self.workers = workers or (os.cpu_count() or 2)
        self.trust = trust_ref  # one commit, resolved once, for every read
        self.trees = checks_policy.PolicyTrees(self.root, trust_ref)
        # Read once, beside the trees and from the same place (the trust ref, else the working tree).
        self.pins = policy_pins.load(self.root, trust_ref, policy)

    def run(self, paths: list[Path]) -> list[Report]:
        """Verify every file; the order of reports is the order of ``paths``."""
        items = [_Item(p, Report(p, display_name(p, self.root))) for p in paths]
        listings: dict[Path, dict[str, list[str]]] = {}
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for it in items:
                it.data = self._read(it)
                if it.data is None:
                    continue
                folder = it.path.parent
                if folder not in listings:
                    try:
                        listings[folder] = signature_index(os.listdir(folder))
                    except OSError:
                        listings[folder] = {}
                it.sigs = checks_signatures.start(pool, it.path, it.data, listings[folder], self.signers)
            # While ssh-keygen runs, parse and check everything that needs no signature.
            for it in items:
                if it.data is not None:
                    it.att = _parse(it.report, it.data)
            parsed = [(it.report, it.att) for it in items if it.att is not None]
            checks_subject.check_repo(parsed, self.root, self.trust)
            checks_subject.check_names(parsed)
            if self.trust is not None and self.root is not None:
                checks_subject.check_base(
                    [(it.report, it.data, it.att) for it in items if it.data is not None and it.att is not None],
                    self.root, self.trust,
                )
            for it in items:
                if it.att is not None:
                    checks_policy.check_policy(it.report, it.att, self.trees)
                    if self.pins is not None:
                        self.pins.check(it.report, it.att, self.trees.get(it.att))
                    checks_policy.check_time(it.report, it.att, self.now, self.require)
                    checks_conditions.check_conditions(it.report, it.att, self.now)
                if it.data is None:
                    for _, fut in it.sigs:
                        fut.cancel()
                else:
                    results = [fut.result() for _, fut in it.sigs]
                    checks_signatures.check_signers(it.report, it.att, results, self.signers, self.root)
                # A failed signature is the news: a changed file may also fail to parse, but that follows.
                it.report.problems.sort(key=lambda p: p.code not in SIGNATURE_CODES)
        return [it.report for it in items]

    @staticmethod
    def _read(it: _Item) -> bytes | None:
        try:
            return read_regular(it.path)
        except FileRefused as exc:
            it.report.fail(Code(exc.code), exc.message)
        return None


def _parse(r: Report, data: bytes) -> Attestation | None:
    """The attestation in ``data``, its headline fields copied to the report; None (and a ``schema`` problem) if invalid."""
    from pydantic import ValidationError

    from wizard.attestation.model import Attestation
    from wizard.infra.tomlio import parse_toml, validation_error

    try:
        text = data.decode("utf-8")
        doc = parse_toml(text, r.path)
        try:
            att = Attestation.model_validate(doc)
        except ValidationError as exc:
            raise validation_error(exc, text, r.path) from None
    except RecursionError:
        r.fail(Code.SCHEMA, "not a valid attestation: nested too deeply to parse")
        return None
    except UnicodeDecodeError as exc:
        r.fail(Code.SCHEMA, f"not UTF-8 text (byte {exc.start}); not an attestation authready wrote")
        return None
    except AuthreadyError as exc:
        where = f"line {exc.line}: " if exc.line else ""
        r.fail(Code.SCHEMA, f"not a valid attestation: {where}{exc.message}")
        return None
    r.component = att.subject.component
    r.outcome = att.verdict.outcome.value
    r.label = att.verdict.label
    r.expires_at = att.review.expires_at
    r.required_signers = att.verdict.required_signers
    r.repo = att.subject.repo
    r.policy = {"tree": att.policy.tree, "version": att.policy.version, "sha256": att.policy.sha256}
    if att.verdict.outcome.value == "conditional":
        r.conditions = [f.title for f in att.verdict.findings if f.severity.value == "warning"]
    return att
