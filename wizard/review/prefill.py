"""A re-review (``--from ATTESTATION``): the earlier review's answers and notes, minus what went stale.

Questions whose wording changed since are marked to be answered again (an
answer to different words is not an answer), and answers the tree no longer
offers are dropped. Saving over the attestation re-reviewed supersedes it,
after the team has seen what changes (``wizard.review.lifecycle``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wizard.attestation.conditions import ConditionInput
from wizard.attestation.model import Attestation
from wizard.infra.errors import AuthreadyError, InputError
from wizard.infra.workspace import Meta
from wizard.policy.engine import AnswerValue, as_value
from wizard.policy.tree import LoadedTree, Question


@dataclass
class Prefill:
    """What a re-review (``--from ATTESTATION``) starts from: the earlier review, minus what went stale."""

    meta: Meta
    answers: dict[str, AnswerValue]
    notes: dict[str, str]
    redo: list[str]  # questions whose text changed since: must be answered again
    previous: dict[str, str]  # question id -> the answer label as recorded
    source: Path | None = None  # the attestation re-reviewed: saving over it supersedes it (after confirming)
    # The owners and due dates of its warnings: kept for a warning raised again (a due date that no
    # longer fits the new review's life falls back to the default when saving).
    conditions: dict[str, ConditionInput] = field(default_factory=dict)


def _offered(q: Question, value: AnswerValue) -> bool:
    """Whether the tree still offers this answer, in this shape (a select-all question that became a
    one-answer question, or the reverse, is asked again)."""
    try:
        as_value(q, value)  # a tuple is a selection as the engine takes it
    except AuthreadyError:
        return False
    return True


def attestation_tree_ref(att: Attestation, root: Path) -> str:
    """The tree an attestation was judged by: its repo-relative file, else its shipped id."""
    return str(root / att.policy.source) if att.policy.source else att.policy.tree


def prefill_from(att: Attestation, loaded: LoadedTree, source: Path) -> Prefill:
    """Pre-fill a re-review; answers the tree no longer offers are dropped, changed questions marked."""
    from wizard.attestation.model import stale_questions

    tree = loaded.tree
    if att.policy.tree != tree.id:
        raise InputError(
            f"this attestation was judged against tree {att.policy.tree!r}, not {tree.id!r}; "
            f"pass --tree {att.policy.tree}",
            path=source,
        )
    qmap = tree.question_map
    answers = {q: v for q, v in att.answer_map().items() if q in qmap and _offered(qmap[q], v)}
    return Prefill(
        meta=Meta(att.subject.component, list(att.review.reviewers), [p.path for p in att.subject.paths]),
        answers=answers,
        notes={q: n for q, n in att.note_map().items() if q in answers},
        redo=sorted(q for q in stale_questions(att, tree) if q in qmap),
        previous={a.question: "; ".join(a.labels) for a in att.answers},
        source=source.resolve(),
        conditions={c.finding: ConditionInput(c.owner, c.due) for c in att.verdict.conditions or []},
    )
