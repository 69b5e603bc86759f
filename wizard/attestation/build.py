"""Building an attestation from a complete walk: the verdict, the answers as asked, who and when.

Why here and not in the model: building needs the engine (to judge the answers)
and the secret scan (free text is refused before anything could be written);
reading an attestation needs neither, so ``evaluate`` and ``verify`` of a file
never load them. The result is validated once, as a whole ``Attestation``:
one validator instead of one per nested model, and the same checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from wizard.attestation.conditions import ConditionInput, resolve
from wizard.attestation.dates import expiry
from wizard.attestation.model import SCHEMA_VERSION, TIMESTAMP, Attestation, SubjectPath
from wizard.infra.errors import Unanswered
from wizard.infra.secrets import refuse_secrets
from wizard.policy.engine import evaluate
from wizard.policy.remediation import step_text
from wizard.policy.tree import LoadedTree

__all__ = ["ReviewInfo", "build", "meta_fields", "note_field", "tree_source"]


@dataclass(frozen=True, kw_only=True)
class ReviewInfo:
    """Everything about a review that is not an answer: who, what, when, where (already checked by the caller)."""

    component: str
    reviewers: list[str]
    paths: list[SubjectPath] = field(default_factory=list)
    repo: str
    root_commit: str | None = None
    reviewed_at: datetime
    root: Path | None = None  # repo root, to record a repo-local tree's path


def tree_source(loaded: LoadedTree, root: Path | None) -> str | None:
    """Where a verifier finds the tree again: None for a shipped or installed tree (found by id), else its repo-relative path."""
    from wizard.infra.tree_sources import installed_at

    path = loaded.path.resolve()
    if installed_at(path) is not None:
        return None
    if root is not None:
        try:
            return path.relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return None


def build(
    loaded: LoadedTree, answers: Mapping[str, object], notes: Mapping[str, str], info: ReviewInfo,
    conditions: Mapping[str, ConditionInput] | None = None,
) -> Attestation:
    """Build the attestation for a complete walk; refuses incomplete walks and credential-like text.

    ``conditions``: finding id -> the owner and due date the team gave a raised warning; a warning
    without one gets the defaults (``wizard.attestation.conditions``), one for any other finding is
    an error naming it.
    """
    tree = loaded.tree
    verdict = evaluate(tree, answers)
    if verdict.outcome is None:
        q = verdict.walk.unanswered
        raise Unanswered(f"unanswered: {q.id} ({q.text})" if q else "unanswered")
    steps = verdict.walk.steps
    on_path_notes = {s.question.id: notes[s.question.id].strip() for s in steps if notes.get(s.question.id, "").strip()}
    _refuse_secret_text(
        info, {note_field(s.question.text): on_path_notes[s.question.id] for s in steps if s.question.id in on_path_notes}
    )
    expires = expiry(info.reviewed_at, verdict.valid_days)
    recorded_conditions = (
        resolve(tree, verdict, conditions or {}, info.reviewers, info.reviewed_at, expires) if info.reviewers else None
    )
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "subject": {"repo": info.repo, "root_commit": info.root_commit, "component": info.component, "paths": info.paths},
        "policy": {
            "tree": tree.id, "version": tree.version, "sha256": loaded.sha256, "source": tree_source(loaded, info.root),
        },
        "review": {
            "reviewers": list(info.reviewers),
            "reviewed_at": info.reviewed_at.strftime(TIMESTAMP),
            "expires_at": expires.strftime(TIMESTAMP),
        },
        "answers": [
            {
                "question": s.question.id,
                "question_sha256": s.question.text_sha256,
                "asked": s.question.text,
                "choice": s.choice.id if not s.question.many else [c.id for c in s.selected],
                "answer": s.choice.label if not s.question.many else [c.label for c in s.selected],
                "note": on_path_notes.get(s.question.id),
            }
            for s in steps
        ],
        "verdict": {
            "outcome": verdict.outcome,
            "label": verdict.outcome.label,
            "required_signers": verdict.required_signers or 1,
            "summary": verdict.walk.end.summary if verdict.walk.end else "",
            "remediation": list(verdict.remediation),
            "references": list(verdict.references),
            "findings": [
                {
                    "id": rf.finding.id,
                    "severity": rf.finding.severity,
                    "title": rf.finding.title,
                    "raised_by": [f"{s.question.id}={c.id}" for s in rf.raised_by for c in s.raising(rf.finding.id)],
                    "remediation": [step_text(s) for s in rf.finding.remediation],
                    "refs": list(rf.finding.refs),
                }
                for rf in verdict.findings
            ],
            "conditions": recorded_conditions,
        },
    }
    return Attestation.model_validate(data)


def note_field(question_text: str) -> str:
    """How a refusal names a note: by the question as people read it, not its id."""
    text = " ".join(question_text.split())
    return f'note on "{text if len(text) <= 60 else text[:59] + "…"}"'


def meta_fields(component: str, reviewers: list[str], paths: list[str]) -> list[tuple[str, str]]:
    """The start-screen fields as ``(name, text)`` for the credential check."""
    fields = [("component", component)]
    fields += [(f"reviewer {i + 1}", r) for i, r in enumerate(reviewers)]
    fields += [(f"subject path {i + 1}", p) for i, p in enumerate(paths)]
    return fields


def _refuse_secret_text(info: ReviewInfo, notes: Mapping[str, str]) -> None:
    """``notes``: field name (``note_field``) -> note text."""
    fields = meta_fields(info.component, info.reviewers, [p.path for p in info.paths]) + [("repo", info.repo)]
    refuse_secrets(fields + list(notes.items()))
