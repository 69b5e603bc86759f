"""Conditions: every warning a verdict raises ships with an owner and a due date.

Why: the policy brief makes a warning "a dated, owned fix", not a remark. A GO WITH CONDITIONS
that records its warnings but no one who owns them and no date leaves them to nobody; the
attestation records both, and the gate fails a condition once its date has passed.

Defaults, when the team names none: the first reviewer owns it, due the day the attestation
expires (a warning must be fixed within the attestation's life). The team may set either. The
rules are checked here once, for every way in: an answers file's ``[conditions.<finding>]``
(``resolve``, errors named by that key), the session's ``set_condition`` (``check_condition``)
and the plain prompts (``owner_problem``, ``due_problem``), so a refusal reads the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from wizard.attestation.dates import DATE, due_problem
from wizard.attestation.model import PRINCIPAL
from wizard.infra.errors import AuthreadyError, InputError

if TYPE_CHECKING:  # pragma: no cover
    from wizard.policy.engine import Verdict
    from wizard.policy.tree import Tree

__all__ = [
    "ConditionInput", "applicable", "check_condition", "defaults", "due_problem", "finding_problem",
    "owner_problem", "resolve",
]

_PRINCIPAL = re.compile(PRINCIPAL)


@dataclass(frozen=True)
class ConditionInput:
    """What the team said about one warning: its owner and due date, None where the default stands."""

    owner: str | None = None
    due: str | None = None


def owner_problem(owner: str, field: str) -> str | None:
    """Why ``owner`` cannot own a condition (the reviewers' rule: a principal that could sign, nothing
    credential-like; ``field`` names it in the credential refusal), or None."""
    from wizard.infra.secrets import refuse_secrets

    if not owner.strip():
        return "name who fixes it (e.g. alice@example.com)"
    try:
        refuse_secrets([(field, owner)])
    except AuthreadyError as exc:
        return exc.message
    if not _PRINCIPAL.match(owner):
        return (f"{owner!r} is not a principal; name the owner as allowed_signers would (e.g. alice@example.com), "
                "without spaces, commas, quotes or wildcards")
    return None


def finding_problem(tree: "Tree", verdict: "Verdict", finding_id: str) -> str | None:
    """Why ``finding_id`` cannot have a condition in this review (not a warning it raises), or None."""
    if any(rf.finding.id == finding_id for rf in verdict.warnings):
        return None
    if finding_id not in tree.finding_map:
        return f"no finding {finding_id!r} in tree {tree.id!r}"
    if any(rf.finding.id == finding_id for rf in verdict.blockers):
        return f"{finding_id!r} is a blocker, not a warning: it is fixed before shipping, not shipped on a condition"
    return f"finding {finding_id!r} is not raised by these answers; conditions are for the warnings a review raises"


def defaults(reviewers: list[str], expires_at: datetime) -> ConditionInput:
    """The owner and due date a warning gets unless the team says otherwise."""
    return ConditionInput(reviewers[0] if reviewers else "", f"{expires_at:{DATE}}")


def resolve(
    tree: "Tree", verdict: "Verdict", given: Mapping[str, ConditionInput], reviewers: list[str],
    reviewed_at: datetime, expires_at: datetime,
) -> list[dict[str, str]] | None:
    """The recorded conditions: one per raised warning, in finding order; None when none is raised.

    ``given``: finding id -> what the team set. Errors (``InputError``) name the answers-file key:
    ``conditions.<finding>``, ``conditions.<finding>.owner`` or ``.due``.
    """
    for fid in given:
        problem = finding_problem(tree, verdict, fid)
        if problem:
            raise InputError(f"conditions.{fid}: {problem}")
    base = defaults(reviewers, expires_at)
    out = []
    for rf in verdict.warnings:
        fid = rf.finding.id
        c = given.get(fid, ConditionInput())
        owner = base.owner if c.owner is None else c.owner
        due = base.due if c.due is None else c.due
        key = f"conditions.{fid}"
        problem = owner_problem(owner or "", f"{key}.owner")
        if problem:
            raise InputError(_named(f"{key}.owner", problem))
        problem = due_problem(due or "", reviewed_at, expires_at)
        if problem:
            raise InputError(f"{key}.due: {problem}")
        out.append({"finding": fid, "owner": owner or "", "due": due or ""})
    return out or None


def check_condition(
    tree: "Tree", verdict: "Verdict", finding_id: str, owner: str | None, due: str | None,
    reviewed_at: datetime, expires_at: datetime,
) -> ConditionInput:
    """``ConditionInput(owner, due)`` once both pass the rules ``resolve`` applies; ``InputError`` naming the
    warning otherwise (a front-end sets conditions one at a time, there is no file key to name)."""
    field = f"owner of warning {finding_id!r}"
    problem = finding_problem(tree, verdict, finding_id)
    if problem is None and owner is not None:
        problem = owner_problem(owner, field)
    if problem is None and due is not None:
        problem = due_problem(due, reviewed_at, expires_at)
    if problem:
        raise InputError(problem if problem.startswith(field + " ") else f"warning {finding_id!r}: {problem}")
    return ConditionInput(owner, due)


def _named(field: str, problem: str) -> str:
    """``problem`` led by the field it is about (a credential refusal already names it)."""
    return problem if problem.startswith(field + " ") else f"{field}: {problem}"


def applicable(
    given: Mapping[str, ConditionInput], verdict: "Verdict", reviewed_at: datetime, expires_at: datetime,
) -> dict[str, ConditionInput]:
    """What a session kept that still applies: conditions of warnings raised now, with a due date inside
    this review's life (a draft resumed later may hold an earlier one: it falls back to the default)."""
    raised = {rf.finding.id for rf in verdict.warnings}
    out = {}
    for fid, c in given.items():
        if fid not in raised:
            continue
        if c.due is not None and due_problem(c.due, reviewed_at, expires_at):
            c = ConditionInput(c.owner, None)
        out[fid] = c
    return out
