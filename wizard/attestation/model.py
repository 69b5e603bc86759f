"""The attestation's model: what was reviewed, against which policy, by whom, and the verdict.

One model for writing and reading. Writing (``build``) fills it from a walk and
``store`` dumps it in a fixed key order, so the same inputs give the same bytes
whichever front-end recorded them; signatures cover those exact bytes. Reading
goes back through the same model, so a hand-edited or newer file is rejected
with a line, not half-understood.

The models build their validators on first use (``defer_build``): a command
validates one whole attestation, so only ``Attestation`` needs a validator, and
nested models are compiled into it instead of each into its own.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wizard.attestation.dates import due_problem, parse_date
from wizard.infra.errors import AuthreadyError
from wizard.policy.tree import ID_PATTERN, Id, Outcome, Severity, Tree, empty_list

SCHEMA_VERSION = 1
KIND = "authready-attestation"
TIMESTAMP = "%Y-%m-%dT%H:%M:%SZ"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class SubjectPath(_Model):
    """A reviewed path and its git object id at review time (tree for a folder, blob for a file)."""

    path: str = Field(max_length=1024)
    git_object: str | None = Field(default=None, pattern=r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")


class Subject(_Model):
    """What the review covers."""

    repo: str
    root_commit: str | None = Field(default=None, description="first commit of the repo: binds the attestation to it")
    component: str = Field(min_length=1)
    paths: list[SubjectPath] = Field(default_factory=empty_list, max_length=256)


class PolicyRef(_Model):
    """The tree the answers were judged against."""

    tree: str = Field(pattern=ID_PATTERN)
    version: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    source: str | None = Field(
        default=None, description="repo-relative path of the tree file; absent for a shipped tree"
    )


PRINCIPAL = r"^[^\s,\"'*?!]+$"  # one allowed_signers principal: no spaces, commas, quotes or patterns


class Review(_Model):
    """Who reviewed, when, and until when the attestation holds."""

    reviewers: list[Annotated[str, Field(pattern=PRINCIPAL)]] = Field(min_length=1)
    reviewed_at: str
    expires_at: str
    supersedes: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="sha256 of the exact bytes of the attestation this review replaces",
    )

    @field_validator("reviewed_at", "expires_at")
    @classmethod
    def _timestamp(cls, v: str) -> str:
        parse_timestamp(v)
        return v


ChoiceIds = Id | list[Id]


class Answer(_Model):
    """One answered question, with the text as asked and its hash (to tell when it goes stale)."""

    question: str = Field(pattern=ID_PATTERN)
    question_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    asked: str
    choice: ChoiceIds = Field(description="the choice id; for a select-all question, the selected ids in tree order")
    answer: str | list[str] = Field(description="the answer's label as shown; for a select-all question, the labels")
    note: str | None = None

    @model_validator(mode="after")
    def _same_shape(self) -> "Answer":
        # A select-all answer lists its labels beside its ids, one for one: what a reader sees is what counts.
        if isinstance(self.choice, list) != isinstance(self.answer, list) or (
            isinstance(self.choice, list) and len(self.choice) != len(self.answer)
        ):
            raise ValueError("choice and answer must both be one value, or lists of the same length")
        if isinstance(self.choice, list) and not self.choice:
            raise ValueError("a select-all answer selects at least one choice")
        return self

    @property
    def value(self) -> str | tuple[str, ...]:
        """The answer as the engine takes it: a choice id, or a tuple of them."""
        return self.choice if isinstance(self.choice, str) else tuple(self.choice)

    @property
    def labels(self) -> list[str]:
        """The answer's labels, one per selected choice."""
        return [self.answer] if isinstance(self.answer, str) else list(self.answer)

    @property
    def choice_ids(self) -> list[str]:
        """The selected choice ids."""
        return [self.choice] if isinstance(self.choice, str) else list(self.choice)


class RecordedFinding(_Model):
    """A finding as recorded, with the answers that raised it (``question=choice``)."""

    id: str = Field(pattern=ID_PATTERN)
    severity: Severity
    title: str
    raised_by: list[str]
    remediation: list[str] = Field(default_factory=empty_list)
    refs: list[str] = Field(default_factory=empty_list)


class Condition(_Model):
    """A warning shipped on condition: who fixes it and by when (the policy brief: "a dated, owned fix").

    One per warning the verdict raises, in its finding order (``RecordedVerdict``); the due date lies
    within the attestation's life (``Attestation``), and the gate fails it once passed
    (``condition-overdue``).
    """

    finding: str = Field(pattern=ID_PATTERN)
    owner: str = Field(pattern=PRINCIPAL, description="who fixes it: a principal, like a reviewer")
    due: str = Field(description="the date it is fixed by, YYYY-MM-DD (UTC)")

    @field_validator("due")
    @classmethod
    def _date(cls, v: str) -> str:
        parse_date(v)
        return v


class RecordedVerdict(_Model):
    """The verdict as recorded: the outcome, what must be fixed, and who must sign."""

    outcome: Outcome
    label: str
    required_signers: int = Field(ge=1)
    summary: str = ""
    remediation: list[str] = Field(default_factory=empty_list)
    references: list[str] = Field(default_factory=empty_list)
    findings: list[RecordedFinding] = Field(default_factory=empty_list)
    # Left out (None) when no warning was raised, so those attestations keep their bytes; also absent
    # from attestations recorded before conditions were (the gate notes it).
    conditions: list[Condition] | None = None

    @model_validator(mode="after")
    def _label_matches(self) -> "RecordedVerdict":
        # The label is shown to people; it may only ever say what the outcome says.
        if self.label != self.outcome.label:
            raise ValueError(f"label {self.label!r} does not match outcome {self.outcome.value!r}")
        problem = self.conditions_problem()
        if problem:
            raise ValueError(problem)
        return self

    def conditions_problem(self) -> str | None:
        """Exactly one condition per raised warning, in the findings' order; None when they match."""
        if self.conditions is None:
            return None
        warnings = [f.id for f in self.findings if f.severity is Severity.WARNING]
        given = [c.finding for c in self.conditions]
        for fid in given:
            if fid not in warnings:
                return f"condition for {fid!r}, which the verdict does not raise as a warning"
            if given.count(fid) > 1:
                return f"more than one condition for warning {fid!r}"
        missing = [fid for fid in warnings if fid not in given]
        if missing:
            return f"warning {missing[0]!r} has no condition (an owner and a due date)"
        if not given:
            return "conditions is left out when the verdict raises no warning"
        if given != warnings:
            return "conditions must follow the order of the verdict's warnings"
        return None


class Attestation(_Model):
    """A whole attestation file."""

    schema_version: int
    kind: str = KIND
    subject: Subject
    policy: PolicyRef
    review: Review
    answers: list[Answer]
    verdict: RecordedVerdict

    @field_validator("schema_version")
    @classmethod
    def _schema(cls, v: int) -> int:
        if v > SCHEMA_VERSION:
            raise ValueError(f"schema_version {v} is newer than this authready reads ({SCHEMA_VERSION}); upgrade authready")
        if v < 1:
            raise ValueError("schema_version must be 1 or more")
        return v

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v != KIND:
            raise ValueError(f"kind must be {KIND!r}")
        return v

    @model_validator(mode="after")
    def _due_in_life(self) -> "Attestation":
        # A warning is fixed within the attestation's life: due from the review's day to its expiry's.
        start, end = parse_timestamp(self.review.reviewed_at), parse_timestamp(self.review.expires_at)
        for c in self.verdict.conditions or []:
            problem = due_problem(c.due, start, end)
            if problem:
                raise ValueError(f"condition for warning {c.finding!r}: {problem}")
        return self

    def answer_map(self) -> dict[str, str | tuple[str, ...]]:
        return {a.question: a.value for a in self.answers}

    def note_map(self) -> dict[str, str]:
        return {a.question: a.note for a in self.answers if a.note}


def parse_timestamp(v: str) -> datetime:
    """Parse ``YYYY-MM-DDTHH:MM:SSZ`` (UTC, the only form attestations use)."""
    try:
        return datetime.strptime(v, TIMESTAMP).replace(tzinfo=timezone.utc)
    except (TypeError, ValueError):
        raise ValueError(f"{v!r} is not a UTC timestamp like 2026-01-31T12:00:00Z") from None


def review_clock(reviewed_at: str | None = None) -> datetime:
    """When the review happened: given explicitly, else ``SOURCE_DATE_EPOCH``, else now (UTC, whole seconds)."""
    if reviewed_at:
        try:
            return parse_timestamp(reviewed_at)
        except ValueError as exc:
            raise AuthreadyError(f"reviewed_at: {exc}") from None
    sde = os.environ.get("SOURCE_DATE_EPOCH")
    if sde:
        try:
            return datetime.fromtimestamp(int(sde), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise AuthreadyError(f"SOURCE_DATE_EPOCH={sde!r} is not a Unix time in seconds") from None
    return datetime.now(timezone.utc).replace(microsecond=0)


def recorded_text_problem(att: Attestation, tree: Tree) -> tuple[str, str] | None:
    """``(code, message)`` when the recorded answers are not what the tree asks and offers, else None.

    Reviewers sign what they read: the question text, the answer's label. A hand-edited file could
    show one answer and record another choice id, or answer a question twice; what a reader sees
    must be exactly what was evaluated. (Run after the staleness check: a changed question is
    reported there, with the policy change that explains it.)
    """
    seen: set[str] = set()
    for a in att.answers:
        if a.question in seen:
            return "answers-duplicate", f"answers question {a.question!r} more than once; only one answer can be evaluated: re-review"
        seen.add(a.question)
    for a in att.answers:
        q = tree.question_map.get(a.question)
        if q is None:
            continue
        if a.question_sha256 in q.reworded_from:
            continue  # an editorial rewording: the recorded words are the earlier ones, same meaning
        choices = [q.choice(c) for c in a.choice_ids]
        labels = [c.label for c in choices if c is not None]
        if a.question_sha256 != q.text_sha256 or a.asked != q.text or (None not in choices and a.labels != labels):
            return (
                "answer-text-mismatch",
                f"the recorded text of question {a.question!r} or of its answer {a.choice!r} is not the policy's text "
                f"for them (v{tree.version}); what a reader sees must be what was evaluated: re-review",
            )
    return None


def stale_questions(att: Attestation, tree: Tree) -> list[str]:
    """Answered questions whose text (or choices) changed, or which the tree no longer has.

    A question the policy marks as reworded from the recorded wording (``reworded_from``: an
    editorial change, same meaning) is not stale, as long as the recorded answers are still offered.
    """
    return [qid for qid, _, _ in changed_questions(att, tree)]


def changed_questions(att: Attestation, tree: Tree) -> list[tuple[str, str, str | None]]:
    """``(question id, text as recorded, text now or None if removed)`` for each stale answered question."""
    out: list[tuple[str, str, str | None]] = []
    for a in att.answers:
        q = tree.question_map.get(a.question)
        if q is None:
            out.append((a.question, a.asked, None))
        elif any(q.choice(c) is None for c in a.choice_ids) or (
            q.text_sha256 != a.question_sha256 and a.question_sha256 not in q.reworded_from
        ):
            out.append((a.question, a.asked, q.text))
    return out
