"""The policy an attestation was judged by, and its clock: same tree, same verdict, not expired.

The tree is loaded once per run for every attestation that names it (``PolicyTrees``). A
repo-local tree comes from the trust ref when there is one (a change cannot bring the policy it
is judged by), else from the working tree; inside a git submodule it is read at the commit the
trust ref records for the submodule. A tree named by id alone is an installed one, shipped or
from a package (``wizard.infra.tree_sources``): an id is never a path, and a repo-local tree may
not use an installed tree's id (``policy-id-taken``), or a team's tree could pass as the central
policy. A changed tree fails an attestation only where it matters: a changed question the review
answered, or a different verdict; otherwise it earns a note.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra import git as gitinfo
from wizard.infra import git_submodules as submodules
from wizard.infra.errors import AuthreadyError, InputError
from wizard.infra.files import read_regular
from wizard.trust.codes import Code
from wizard.trust.report import Report
from wizard.trust.trust_ref import TrustRef

if TYPE_CHECKING:
    from wizard.attestation.model import Attestation
    from wizard.policy.tree import LoadedTree, Tree

CLOCK_SKEW = timedelta(minutes=5)  # how far in the future reviewed_at may be


class _Untrusted(InputError):
    """A repo-local policy tree that is not at the trust ref."""


class _Unreadable(InputError):
    """A policy tree the gate cannot read here, with what to do (fetch a submodule): reported as it is."""


class _IdTaken(InputError):
    """A repo-local policy tree that uses an installed tree's id."""


_MAX_SUBMODULE_DEPTH = 4  # a tree in a submodule of a submodule ...: deeper is not a layout anyone uses


class PolicyTrees:
    """The policy trees of one run, each loaded once: a ``LoadedTree`` or the error saying why not."""

    def __init__(self, root: Path | None, trust: TrustRef | None) -> None:
        self.root = root
        self.trust = trust
        self._trees: dict[str, LoadedTree | AuthreadyError] = {}

    def get(self, att: Attestation) -> LoadedTree | AuthreadyError:
        src = att.policy.source
        if src:
            taken = _id_taken(att.policy.tree, src)
            if taken is not None:
                return taken
        key = f"src:{src}" if src else f"id:{att.policy.tree}"
        if key not in self._trees:
            try:
                self._trees[key] = self._load(src) if src else self._installed(att.policy.tree)
            except RecursionError:
                self._trees[key] = InputError("the policy tree is nested too deeply to parse")
            except AuthreadyError as exc:
                self._trees[key] = exc
        return self._trees[key]

    def _load(self, src: str) -> LoadedTree:
        from wizard.policy.tree import load_tree_file, parse_tree

        if self.root is None:
            raise InputError(f"policy tree {src!r} is repo-local, but this is not a git repo")
        norm = gitinfo.normalise_path(src)
        if self.trust is None:
            read_regular(self.root / norm, "a policy tree")  # no symlinks, no devices
            return load_tree_file(self.root / norm)
        ref = self.trust.name
        blob = _blob_at_trust_ref(self.root, self.trust.commit, norm, ref)
        if blob is None:
            raise _Untrusted(
                f"policy tree {norm!r} does not exist at {ref}; a change cannot bring the "
                f"policy it is judged by: commit the tree to {ref} first, then review against it"
            )
        try:
            text = blob.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{ref}:{norm} is not UTF-8 text") from None
        return parse_tree(text, Path(f"{ref}:{norm}"))

    @staticmethod
    def _installed(tree_id: str) -> LoadedTree:
        """The shipped or package tree an id names (unknown, clashing or broken: the reason, in one line)."""
        from wizard.infra.tree_sources import catalogue
        from wizard.policy.tree import load_tree_file

        if not catalogue().claims(tree_id):
            raise InputError(
                f"no shipped tree {tree_id!r} in this authready, no installed package provides it, and the "
                "attestation names no policy.source; install the package that provides it (`authready tree list` "
                "shows what is installed)"
            )
        return load_tree_file(catalogue().find(tree_id).path)


def _id_taken(tree_id: str, src: str) -> _IdTaken | None:
    """A repo-local tree may not use the id of an installed one: else a team's tree passes as the central policy."""
    from wizard.infra.tree_sources import catalogue

    claims = catalogue().claims(tree_id)
    if not claims:
        return None
    return _IdTaken(
        f"the repo-local policy tree {src!r} uses the id {tree_id!r} of the installed tree from "
        f"{' and '.join(c.provider for c in claims)}; a team's tree cannot pass as that policy: give the repo's "
        f"tree an id of its own and re-review, or review against the installed tree (--tree {tree_id})"
    )


def _blob_at_trust_ref(root: Path, commit: str, norm: str, ref: str) -> bytes | None:
    """The tree file's bytes at the trust ref, inside git submodules too: each at the commit its
    superproject records there (never the submodule's checkout, which a change can move)."""
    where, at, path = root, commit, norm
    for _ in range(_MAX_SUBMODULE_DEPTH + 1):
        blob = gitinfo.blob_at(where, at, path)
        if blob is not None:
            return blob
        link = submodules.gitlink_on(where, at, path)
        if link is None:
            return None
        sub = submodules.submodule_checkout(where, link)
        inside = (where / link.path).relative_to(root).as_posix()
        if sub is None or not submodules.has_commit(sub, link.commit):
            state = "is not cloned here" if sub is None else "does not hold that commit"
            raise _Unreadable(
                f"policy tree {norm!r} is in the submodule {inside!r}, which {ref} records at commit "
                f"{link.commit[:12]}; the submodule {state}: fetch it (git submodule update --init --recursive "
                f"{inside}) and run the check again"
            )
        where, at, path = sub, link.commit, path[len(link.path) + 1:]
    return None


def check_policy(report: Report, att: Attestation, trees: PolicyTrees) -> None:
    """The tree loads, is the one named, still asks what was answered, and gives the recorded verdict."""
    from wizard.attestation.model import changed_questions, recorded_text_problem

    loaded = trees.get(att)
    if isinstance(loaded, _IdTaken):
        report.fail(Code.POLICY_ID_TAKEN, loaded.message)
        return
    if isinstance(loaded, _Untrusted):
        report.fail(Code.POLICY_UNTRUSTED, loaded.message)
        return
    if isinstance(loaded, _Unreadable):
        report.fail(Code.POLICY_MISSING, loaded.message)
        return
    if isinstance(loaded, AuthreadyError):
        report.fail(Code.POLICY_MISSING, f"cannot load the policy tree it was judged by ({loaded}); restore it or re-review")
        return
    tree = loaded.tree
    if tree.id != att.policy.tree:
        report.fail(Code.POLICY_MISMATCH, f"policy tree is now {tree.id!r}, the attestation names {att.policy.tree!r}; re-review")
        return
    current = tree.outcomes[att.verdict.outcome].required_signers
    if report.required_signers is None or current > report.required_signers:
        report.required_signers = current
    _check_lifetime(report, att, tree.outcomes[att.verdict.outcome].valid_days, tree.version)
    same = loaded.sha256 == att.policy.sha256
    if not same:
        changed = changed_questions(att, tree)
        if changed:
            report.fail(
                Code.POLICY_STALE,
                f"the policy changed (v{att.policy.version} -> v{tree.version}) under answered question(s): "
                f"{_what_changed(changed)}; {_verdict_now(tree, att)}; re-review: authready review --from {report.display} "
                "(unchanged answers carry over)",
            )
            return
    text_problem = recorded_text_problem(att, tree)
    if text_problem:
        code, message = text_problem
        report.fail(Code(code), message)
        return
    _check_verdict(report, att, tree, same)


def _check_verdict(report: Report, att: Attestation, tree: Tree, same: bool) -> None:
    """The answers walk the current tree to the recorded verdict, and only along its path."""
    from wizard.policy.engine import evaluate

    try:
        verdict = evaluate(tree, att.answer_map())
    except AuthreadyError as exc:
        report.fail(Code.VERDICT_CHANGED, f"the answers no longer walk the current policy ({exc.message}); re-review")
        return
    if verdict.outcome is not None:
        walked = {st.question.id for st in verdict.walk.steps}
        off = [a.question for a in att.answers if a.question not in walked]
        if off:
            report.fail(
                Code.ANSWERS_OFF_PATH,
                f"records answers to question(s) the decided path does not ask ({', '.join(off[:5])}); a reader "
                "would take them as part of the review: re-review",
            )
            return
    if verdict.outcome is None:
        q = verdict.walk.unanswered
        report.fail(
            Code.VERDICT_CHANGED if same else Code.POLICY_QUESTION_ADDED,
            f"the current policy (v{tree.version}) asks {q.id if q else 'a question'!r}, which the review did not answer; "
            f"re-review: authready review --from {report.display} (the answers given carry over)",
        )
    elif verdict.outcome != att.verdict.outcome:
        code = Code.VERDICT_MISMATCH if same else Code.VERDICT_CHANGED
        why = "the recorded verdict does not follow from the answers" if same else f"under the current policy (v{tree.version})"
        report.fail(code, f"{why}: the verdict is {verdict.outcome.label}, the attestation says {att.verdict.label}; re-review")
    elif not same:
        report.notes.append(
            f"policy changed since the review (v{att.policy.version} -> v{tree.version}), "
            "but not under the answered questions and the verdict is the same"
        )


def _check_lifetime(report: Report, att: Attestation, valid_days: int, version: str) -> None:
    """``expires_at`` is written by hand as easily as anything else: it may not outlast the policy's ``valid_days``."""
    from wizard.attestation.model import parse_timestamp

    try:
        latest = parse_timestamp(att.review.reviewed_at) + timedelta(days=valid_days)
    except OverflowError:
        report.fail(Code.DATE_OUT_OF_RANGE, f"reviewed_at {att.review.reviewed_at} plus {valid_days} days is past year 9999; re-review")
        return
    if parse_timestamp(att.review.expires_at) > latest:
        report.fail(
            Code.EXPIRY_TOO_LONG,
            f"expires_at {att.review.expires_at} is later than reviewed_at + {valid_days} days "
            f"({latest.strftime('%Y-%m-%dT%H:%M:%SZ')}), the most the policy (v{version}) allows for "
            f"{att.verdict.outcome.label}; re-review: authready review --from {report.display}",
        )


def check_time(report: Report, att: Attestation, now: datetime, require: str | None) -> None:
    """Reviewed in the past, not expired at ``now`` (days left recorded), and at least the ``require`` d verdict."""
    from wizard.attestation.model import parse_timestamp

    if parse_timestamp(att.review.reviewed_at) > now + CLOCK_SKEW:
        report.fail(
            Code.REVIEWED_IN_FUTURE,
            f"reviewed_at {att.review.reviewed_at} is in the future; a review cannot be dated ahead "
            f"(fix the clock that recorded it and re-review: authready review --from {report.display})",
        )
    expires = parse_timestamp(att.review.expires_at)
    report.days_left = (expires - now).days  # whole days; negative once expired
    if expires <= now:
        report.fail(Code.EXPIRED, f"expired at {att.review.expires_at}; re-review: authready review --from {report.display}")
    if require is not None:
        from wizard.policy.tree import Outcome

        need = Outcome(require)
        if att.verdict.outcome.rank < need.rank:
            report.fail(Code.OUTCOME_BELOW_REQUIRED, f"verdict is {att.verdict.label}; this gate requires at least {need.label}")


def _what_changed(changed: list[tuple[str, str, str | None]]) -> str:
    """Each changed question as ``'id' ("old text" -> "new text")``, the first three in full."""

    def short(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= 60 else text[:59] + "…"

    parts = [f"{qid!r} (\"{short(old)}\" -> " + (f"\"{short(new)}\")" if new is not None else "removed)")
             for qid, old, new in changed[:3]]
    more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
    return "; ".join(parts) + more


def _verdict_now(tree: Tree, att: Attestation) -> str:
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
