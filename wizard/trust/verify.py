"""Verify attestations: signatures, schema, repo binding, expiry, code, policy, signers.

One ``Verifier`` serves ``authready verify`` (one file) and ``authready
check`` (every file): signature checks go to a thread pool (each thread
drives an ``ssh-keygen`` process, so they run on all cores), while the
main thread parses attestations; git is asked once for the root commit and
once, in a batch, for the object ids of every subject path.

Every failure is a ``Problem`` with a stable code (for JSON and tests) and
a line that names the file and says what to do. Signature bytes are the
file's exact bytes: nothing is re-serialised before verifying. Time is the
current time, so ``valid-before``, revocation and ``expires_at`` bite.

Trust: with a trust ref (``--allowed-signers-ref REF``) everything a pull
request could otherwise choose for itself comes from REF: the allowed
signers and revoked keys (``wizard.trust.allowed_signers``), repo-local policy
trees (``policy.source``, read with ``git cat-file``), and the repo's root
commit. Without one, they come from the working tree. Shipped trees (no
``policy.source``) always come from the installed package, never from a
file in the current folder.

Every file is ``lstat``-ed before it is read: symlinks and special files
(devices, FIFOs) are refused, and nothing over ``MAX_FILE_BYTES`` is read,
so one hostile file cannot hang or exhaust the gate.
"""

from __future__ import annotations

import os
import stat
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from wizard.infra import git as gitinfo
from wizard.trust.allowed_signers import Signers
from wizard.infra.errors import AuthreadyError
from wizard.infra.files import MAX_FILE_BYTES, FileRefused, read_regular
from wizard.trust.ssh import (
    SigResult,
    principal_from_name,
    signature_files,
    signature_index,
    verify_signature,
)

REQUIRE_LEVELS = ("go", "conditional", "prototype")
SIGNATURE_CODES = frozenset(
    {"bad-signature", "malformed-signature", "wrong-namespace", "unknown-signer", "wrong-principal",
     "key-expired", "key-not-yet-valid", "key-revoked", "revoked-keys-unusable"}
)
CLOCK_SKEW = timedelta(minutes=5)  # how far in the future reviewed_at may be


def _refused_signature(sig: Path) -> SigResult | None:
    """A failed result for a signature file that must not be handed to ssh-keygen (symlink, FIFO, huge)."""
    try:
        st = os.lstat(sig)
    except OSError:
        return None  # gone: ssh-keygen says so
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        kind = "a symlink" if stat.S_ISLNK(st.st_mode) else "not a regular file"
        return SigResult(sig, False, code="not-a-file", message=f"signature file is {kind}; signatures must be regular files")
    if st.st_size > MAX_FILE_BYTES:
        return SigResult(sig, False, code="too-large", message=f"signature file is {st.st_size} bytes; a signature is a few hundred")
    return None


def _done(result: SigResult) -> Future:
    fut: Future = Future()
    fut.set_result(result)
    return fut


def expected_root(root: Path, rev: str = "HEAD") -> str | None:
    """The root commit an attestation must name: the first-parent root of ``rev`` (the trust ref, else HEAD).

    The trust ref's root, when there is one: a change whose own history leads
    to another repo's root (built on it, or merged with ``-s ours
    --allow-unrelated-histories``) cannot make that root this repo's identity.
    """
    return gitinfo.root_commit(root, rev=rev)


@dataclass
class Problem:
    """One failed check: a stable ``code``, the file it concerns, and a line saying what to do."""

    code: str
    message: str
    file: str

    def line(self) -> str:
        return f"{self.file}: {self.message} [{self.code}]"


@dataclass
class Report:
    """The verdict of verification for one attestation file."""

    path: Path
    display: str
    component: str | None = None
    outcome: str | None = None
    label: str | None = None
    expires_at: str | None = None
    required_signers: int | None = None
    days_left: int | None = None
    repo: str | None = None
    conditions: list[str] = field(default_factory=list)  # the warnings a GO WITH CONDITIONS carries
    expiring: bool = False  # set by ``check --expiring-within``
    signers: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def fail(self, code: str, message: str, file: str | None = None) -> None:
        self.problems.append(Problem(code, message, file or self.display))

    def to_json(self) -> dict:
        return {
            "path": self.display,
            "ok": self.ok,
            "component": self.component,
            "outcome": self.outcome,
            "label": self.label,
            "expires_at": self.expires_at,
            "days_left": self.days_left,
            "expiring": self.expiring,
            "required_signers": self.required_signers,
            "signers": self.signers,
            "problems": [{"code": p.code, "file": p.file, "message": p.message} for p in self.problems],
            "notes": self.notes,
        }


@dataclass
class _Item:
    path: Path
    report: Report
    data: bytes | None = None
    sigs: list[tuple[Path, Future]] = field(default_factory=list)
    att: object | None = None


def _rel(path: Path, root: Path | None) -> str:
    """The path as shown: relative to the repo root when inside it (``root`` is already resolved).

    A file name that is not UTF-8 is shown with its bytes escaped (``\\xff``): it must not break
    JSON or a terminal, and the name is the attacker's choice.
    """
    return _printable_name(_rel_raw(path, root))


def _printable_name(name: str) -> str:
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _rel_raw(path: Path, root: Path | None) -> str:
    if root is not None:
        if path.is_absolute():
            try:  # discovered paths are root / name: no need to touch the file system
                return path.relative_to(root).as_posix()
            except ValueError:
                pass
        try:
            return path.resolve().relative_to(root).as_posix()
        except (ValueError, OSError):
            pass
    return str(path)


def _short(oid: str | None) -> str:
    return (oid or "none")[:12]


class Verifier:
    """Verifies attestation files against one allowed_signers list, one repo, one clock.

    ``trust_ref``: the git ref trusted for what a change must not choose for
    itself (repo-local policy trees, the root commit); None: the working tree and HEAD.
    """

    def __init__(
        self,
        signers: Signers,
        root: Path | None,
        *,
        now: datetime | None = None,
        require: str | None = None,
        workers: int | None = None,
        trust_ref: gitinfo.TrustRef | None = None,
    ) -> None:
        self.signers = signers
        self.root = root.resolve() if root else None
        self.now = now or datetime.now(timezone.utc)
        self.require = require
        self.workers = workers or (os.cpu_count() or 2)
        self.trust_ref = trust_ref.name if trust_ref else None  # for messages
        self.trust_commit = trust_ref.commit if trust_ref else None  # for every read: one commit, resolved once
        self._trees: dict[str, object] = {}

    # -- the pipeline ---------------------------------------------------------------------------
    def run(self, paths: list[Path]) -> list[Report]:
        """Verify every file; the order of reports is the order of ``paths``."""
        items = [_Item(p, Report(p, _rel(p, self.root))) for p in paths]
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
                for sig in signature_files(it.path, listings[folder]):
                    refused = _refused_signature(sig)
                    if refused is not None:
                        it.sigs.append((sig, _done(refused)))
                        continue
                    fut = pool.submit(
                        verify_signature,
                        it.data,
                        sig,
                        self.signers.allowed,
                        principal_from_name(it.path, sig),
                        self.signers.revoked,
                    )
                    it.sigs.append((sig, fut))
            # While ssh-keygen runs, parse and check everything that needs no signature.
            for it in items:
                if it.data is not None:
                    it.att = self._parse(it)
            self._repo_checks(items)
            self._ground_truth(items)
            for it in items:
                if it.att is not None:
                    self._policy(it)
                    self._expiry(it)
                self._signatures(it)
                # A failed signature is the news: a changed file may also fail to parse, but that follows.
                it.report.problems.sort(key=lambda p: p.code not in SIGNATURE_CODES)
        return [it.report for it in items]

    def _read(self, it: _Item) -> bytes | None:
        try:
            return read_regular(it.path)
        except FileRefused as exc:
            it.report.fail(exc.code, exc.message)
        return None

    def _parse(self, it: _Item):
        from pydantic import ValidationError

        from wizard.attestation.model import Attestation
        from wizard.infra.tomlio import parse_toml, validation_error

        r = it.report
        try:
            text = it.data.decode("utf-8")
            data = parse_toml(text, it.path)
            try:
                att = Attestation.model_validate(data)
            except ValidationError as exc:
                raise validation_error(exc, text, it.path) from None
        except RecursionError:
            r.fail("schema", "not a valid attestation: nested too deeply to parse")
            return None
        except UnicodeDecodeError as exc:
            r.fail("schema", f"not UTF-8 text (byte {exc.start}); not an attestation authready wrote")
            return None
        except AuthreadyError as exc:
            where = f"line {exc.line}: " if exc.line else ""
            r.fail("schema", f"not a valid attestation: {where}{exc.message}")
            return None
        r.component = att.subject.component
        r.outcome = att.verdict.outcome.value
        r.label = att.verdict.label
        r.expires_at = att.review.expires_at
        r.required_signers = att.verdict.required_signers
        r.repo = att.subject.repo
        if att.verdict.outcome.value == "conditional":
            r.conditions = [f.title for f in att.verdict.findings if f.severity.value == "warning"]
        return att

    # -- repo binding and code -----------------------------------------------------------------
    def _repo_checks(self, items: list[_Item]) -> None:
        parsed = [it for it in items if it.att is not None]
        if not parsed:
            return
        if self.root is None:
            for it in parsed:
                it.report.fail("not-in-repo", "not inside a git repo; verify it in a clone of the repo it was recorded for")
            return
        here = expected_root(self.root, self.trust_commit or "HEAD")
        base = f"{self.trust_ref}'s" if self.trust_ref else "this repo"
        shallow: bool | None = None
        want: set[str] = set()
        for it in parsed:
            rec = it.att.subject.root_commit
            if rec is None:
                it.report.fail("repo-unbound", "records no root commit (reviewed outside git?); re-review inside the repo")
            elif rec != here:
                if shallow is None:
                    shallow = gitinfo.git(["rev-parse", "--is-shallow-repository"], self.root, check=False) == "true"
                if shallow:
                    it.report.fail(
                        "shallow-clone",
                        "this clone is shallow, so its root commit is unknown; fetch the whole history "
                        "(`git fetch --unshallow`, or actions/checkout with fetch-depth: 0)",
                    )
                else:
                    it.report.fail(
                        "repo-mismatch",
                        f"recorded for another repo (root commit {_short(rec)}, {base} {_short(here)}); "
                        "an attestation cannot be copied between repos: review this repo",
                    )
            if not it.att.subject.paths:
                it.report.fail("no-subject", "names no subject paths, so it covers no code; re-review naming the code it covers")
            for sp in it.att.subject.paths:
                want.add(sp.path)
        head = gitinfo.head_commit(self.root)
        objects = self._objects(head, sorted(want)) if head else {}
        try:  # what is bound is the commit; say so when the working tree holds more
            dirty = gitinfo.uncommitted(self.root, sorted(p for p, o in objects.items() if o.bound))
        except AuthreadyError:
            dirty = []
        for it in parsed:
            for sp in it.att.subject.paths:
                cur = objects.get(sp.path)
                if sp.git_object is None:
                    it.report.fail("code-unbound", f"subject path {sp.path!r} has no recorded git object; re-review inside the repo")
                elif head is None:
                    it.report.fail("path-missing", "this checkout has no commit, so no committed code to compare; commit first")
                elif cur is None:
                    it.report.fail("path-invalid", f"subject path {sp.path[:80]!r} is not a plain repo-relative path; re-review")
                elif cur.kind == "symlink":
                    it.report.fail(
                        "subject-symlink",
                        f"subject path {sp.path!r} is a symlink or a submodule in the commit (or passes through a "
                        "symlink): a link text or a foreign commit id, not reviewed code, would be bound; "
                        "re-review naming the real folder",
                    )
                elif not cur.bound:
                    it.report.fail("path-missing", f"subject path {sp.path!r} is not in the commit checked ({_short(head)}); re-review the component")
                elif cur.oid != sp.git_object:
                    changed = (
                        gitinfo.changed_files(self.root, sp.git_object, cur.oid, "" if sp.path == "." else sp.path + "/")
                        if cur.kind == "tree" else None
                    )
                    what = f" ({'; '.join(changed)})" if changed else ""
                    it.report.fail(
                        "code-changed",
                        f"the committed code under {sp.path!r} changed since the review (recorded {_short(sp.git_object)}, "
                        f"now {_short(cur.oid)}){what}; re-review it: authready review --from " + it.report.display,
                    )
            mine = [f for f in dirty if any(sp.path == "." or f == sp.path or f.startswith(sp.path + "/") for sp in it.att.subject.paths)]
            if mine:
                shown = ", ".join(mine[:5]) + (f" and {len(mine) - 5} more" if len(mine) > 5 else "")
                it.report.notes.append(
                    f"checked the committed code ({_short(head)}); uncommitted changes under its subject paths are not "
                    f"covered until committed: {_printable_name(shown)}"
                )

    def _objects(self, commit: str, paths: list[str]) -> dict[str, gitinfo.PathObject]:
        """Committed object of each valid path at ``commit``, in two git processes whatever their number."""
        ok: list[str] = []
        for p in paths:
            try:
                if gitinfo.normalise_path(p) == p:
                    ok.append(p)
            except AuthreadyError:
                pass
        return gitinfo.committed_objects(self.root, commit, ok) if ok else {}

    # -- the file name and the base's version of it ---------------------------------------------
    def _ground_truth(self, items: list[_Item]) -> None:
        """Bind each file name to its component; under a trust ref, honour the base's attestations."""
        from wizard.trust.ground_truth import base_problem, name_problem

        for it in items:
            if it.att is not None:
                why = name_problem(it.path, it.att.subject.component)
                if why:
                    it.report.fail("name-mismatch", why)
        if not self.trust_commit or self.root is None:
            return
        rel: dict[int, str] = {}
        for i, it in enumerate(items):
            if it.data is None or it.att is None:
                continue
            try:  # the folder resolved, the file itself not (a symlinked file is refused when read)
                rel[i] = (Path(os.path.realpath(it.path.parent)) / it.path.name).relative_to(self.root).as_posix()
            except ValueError:
                continue
        blobs = gitinfo.blobs_at(self.root, self.trust_commit, list(rel.values()))
        for i, name in rel.items():
            it = items[i]
            problem = base_problem(it.data, it.att, blobs.get(name), self.trust_ref)
            if problem:
                it.report.fail(*problem)

    # -- policy ---------------------------------------------------------------------------------
    def _tree(self, att):
        """The policy tree (a ``LoadedTree``), or the ``AuthreadyError`` saying why it cannot be had.

        A repo-local tree comes from the trust ref when there is one (a change
        cannot bring the policy it is judged by), else from the working tree.
        A shipped tree comes only from the installed package: an id is never a path.
        """
        from wizard.policy.tree import load_tree_file, parse_tree
        from wizard.infra.workspace import shipped_trees_dir

        src = att.policy.source
        key = f"src:{src}" if src else f"id:{att.policy.tree}"
        if key not in self._trees:
            try:
                if src:
                    if self.root is None:
                        raise AuthreadyError(f"policy tree {src!r} is repo-local, but this is not a git repo")
                    norm = gitinfo.normalise_path(src)
                    if self.trust_ref:
                        from wizard.trust.allowed_signers import show_blob

                        blob = show_blob(self.root, self.trust_commit, norm)
                        if blob is None:
                            raise _Untrusted(
                                f"policy tree {norm!r} does not exist at {self.trust_ref}; a change cannot bring the "
                                f"policy it is judged by: commit the tree to {self.trust_ref} first, then review against it"
                            )
                        try:
                            text = blob.decode("utf-8")
                        except UnicodeDecodeError:
                            raise AuthreadyError(f"{self.trust_ref}:{norm} is not UTF-8 text") from None
                        self._trees[key] = parse_tree(text, Path(f"{self.trust_ref}:{norm}"))
                    else:
                        read_regular(self.root / norm, "a policy tree")  # no symlinks, no devices
                        self._trees[key] = load_tree_file(self.root / norm)
                else:
                    shipped = shipped_trees_dir() / f"{att.policy.tree}.toml"
                    if "/" in att.policy.tree or not shipped.is_file():
                        raise AuthreadyError(f"no shipped tree {att.policy.tree!r} in this authready (and no policy.source)")
                    self._trees[key] = load_tree_file(shipped)
            except RecursionError:
                self._trees[key] = AuthreadyError("the policy tree is nested too deeply to parse")
            except AuthreadyError as exc:
                self._trees[key] = exc
        return self._trees[key]

    def _policy(self, it: _Item) -> None:
        from wizard.attestation.model import recorded_text_problem, stale_questions
        from wizard.policy.engine import evaluate

        att, r = it.att, it.report
        loaded = self._tree(att)
        if isinstance(loaded, _Untrusted):
            r.fail("policy-untrusted", loaded.message)
            return
        if isinstance(loaded, AuthreadyError):
            r.fail("policy-missing", f"cannot load the policy tree it was judged by ({loaded}); restore it or re-review")
            return
        tree = loaded.tree
        if tree.id != att.policy.tree:
            r.fail("policy-mismatch", f"policy tree is now {tree.id!r}, the attestation names {att.policy.tree!r}; re-review")
            return
        current = tree.outcomes[att.verdict.outcome].required_signers
        if r.required_signers is None or current > r.required_signers:
            r.required_signers = current
        self._lifetime(it, tree.outcomes[att.verdict.outcome].valid_days, tree.version)
        same = loaded.sha256 == att.policy.sha256
        if not same:
            stale = stale_questions(att, tree)
            if stale:
                r.fail(
                    "policy-stale",
                    f"the policy changed (v{att.policy.version} -> v{tree.version}) under answered question(s): "
                    f"{', '.join(stale)}; {_verdict_now(tree, att)}; re-review: authready review --from {r.display}",
                )
                return
        text_problem = recorded_text_problem(att, tree)
        if text_problem:
            r.fail(*text_problem)
            return
        try:
            verdict = evaluate(tree, att.answer_map())
        except AuthreadyError as exc:
            r.fail("verdict-changed", f"the answers no longer walk the current policy ({exc.message}); re-review")
            return
        if verdict.outcome is not None:
            walked = [st.question.id for st in verdict.walk.steps]
            off = [a.question for a in att.answers if a.question not in set(walked)]
            if off:
                r.fail(
                    "answers-off-path",
                    f"records answers to question(s) the decided path does not ask ({', '.join(off[:5])}); a reader "
                    "would take them as part of the review: re-review",
                )
                return
        if verdict.outcome is None:
            q = verdict.walk.unanswered
            r.fail(
                "verdict-changed",
                f"the current policy (v{tree.version}) asks {q.id if q else 'a question'!r}, which the review did not answer; re-review",
            )
        elif verdict.outcome != att.verdict.outcome:
            code = "verdict-mismatch" if same else "verdict-changed"
            why = "the recorded verdict does not follow from the answers" if same else f"under the current policy (v{tree.version})"
            r.fail(code, f"{why}: the verdict is {verdict.outcome.label}, the attestation says {att.verdict.label}; re-review")
        elif not same:
            r.notes.append(
                f"policy changed since the review (v{att.policy.version} -> v{tree.version}), "
                "but not under the answered questions and the verdict is the same"
            )

    def _lifetime(self, it: _Item, valid_days: int, version: str) -> None:
        """``expires_at`` is written by hand as easily as anything else: it may not outlast the policy's ``valid_days``."""
        from wizard.attestation.model import parse_timestamp

        att, r = it.att, it.report
        try:
            latest = parse_timestamp(att.review.reviewed_at) + timedelta(days=valid_days)
        except OverflowError:
            r.fail("date-out-of-range", f"reviewed_at {att.review.reviewed_at} plus {valid_days} days is past year 9999; re-review")
            return
        if parse_timestamp(att.review.expires_at) > latest:
            r.fail(
                "expiry-too-long",
                f"expires_at {att.review.expires_at} is later than reviewed_at + {valid_days} days "
                f"({latest.strftime('%Y-%m-%dT%H:%M:%SZ')}), the most the policy (v{version}) allows for "
                f"{att.verdict.outcome.label}; re-review: authready review --from {r.display}",
            )

    def _expiry(self, it: _Item) -> None:
        from wizard.attestation.model import parse_timestamp

        att, r = it.att, it.report
        if parse_timestamp(att.review.reviewed_at) > self.now + CLOCK_SKEW:
            r.fail(
                "reviewed-in-future",
                f"reviewed_at {att.review.reviewed_at} is in the future; a review cannot be dated ahead "
                f"(fix the clock that recorded it and re-review: authready review --from {r.display})",
            )
        expires = parse_timestamp(att.review.expires_at)
        r.days_left = (expires - self.now).days  # whole days; negative once expired
        if expires <= self.now:
            r.fail("expired", f"expired at {att.review.expires_at}; re-review: authready review --from {r.display}")
        if self.require is not None:
            from wizard.policy.tree import Outcome

            need = Outcome(self.require)
            if att.verdict.outcome.rank < need.rank:
                r.fail("outcome-below-required", f"verdict is {att.verdict.label}; this gate requires at least {need.label}")

    # -- signatures and signers -----------------------------------------------------------------
    def _signatures(self, it: _Item) -> None:
        r = it.report
        if it.data is None:
            for _, fut in it.sigs:
                fut.cancel()
            return
        results: list[SigResult] = [fut.result() for _, fut in it.sigs]
        if not results:
            r.fail("not-signed", f"has no signatures; sign it: authready sign {r.display}")
            return
        reviewers = set(it.att.review.reviewers) if it.att is not None else set()
        good: list[SigResult] = []
        for res in results:
            where = _rel(res.sig, self.root)
            if not res.ok:
                r.fail(res.code, self.signers.explain(res.message), where)
            elif it.att is not None and res.principal not in reviewers:
                r.fail(
                    "not-reviewer",
                    f"{res.principal} may sign, but is not a reviewer listed in the attestation; "
                    "only listed reviewers count (re-review with them listed, or remove the signature)",
                    where,
                )
            else:
                good.append(res)
        groups = _distinct(good)
        r.signers = [g[0].principal for g in groups]
        if it.att is None or len(good) < len(results):
            return  # a failed signature says enough; count signers once every signature verifies
        need = r.required_signers or 1
        if len(groups) < need:
            dups = [g for g in groups if len(g) > 1]
            if dups:
                who = ", ".join(f"{g[0].principal} ({len(g)} signatures)" for g in dups)
                r.fail(
                    "duplicate-signer",
                    f"the same signer signed more than once: {who}; that counts once, so {len(groups)} of "
                    f"{need} distinct signers; a different reviewer must co-sign",
                )
            else:
                r.fail(
                    "too-few-signers",
                    f"{len(groups)} of {need} required distinct signers for {it.att.verdict.label}; "
                    f"another listed reviewer must co-sign: authready sign {r.display}",
                )


class _Untrusted(AuthreadyError):
    """A repo-local policy tree that is not at the trust ref."""


def _verdict_now(tree, att) -> str:
    """Whether the verdict differs under the current tree, for the policy-stale message."""
    from wizard.policy.engine import evaluate

    try:
        v = evaluate(tree, att.answer_map())
    except AuthreadyError:
        return "the current policy cannot judge the old answers (a chosen answer is gone)"
    if v.outcome is None:
        return "the current policy asks questions the review did not answer"
    if v.outcome != att.verdict.outcome:
        return f"the verdict under the current policy would be {v.outcome.label}, not {att.verdict.label}"
    return f"the verdict under the current policy is still {v.outcome.label}"


def _distinct(good: list[SigResult]) -> list[list[SigResult]]:
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
