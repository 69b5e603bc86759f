"""The attestation: what was reviewed, against which policy, by whom, and the verdict.

One model for writing and reading. Writing builds the model from a walk and
dumps it with ``tomli_w`` in a fixed key order, so the same inputs give the
same bytes whichever front-end recorded them; signatures cover those exact
bytes. Reading goes back through the same model, so a hand-edited or newer
file is rejected with a line, not half-understood.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Mapping

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wizard.policy.engine import Verdict, evaluate
from wizard.infra.errors import AuthreadyError, Unanswered
from wizard.infra.secrets import refuse_secrets
from wizard.infra.tomlio import load_model, write_atomic
from wizard.policy.tree import ID_PATTERN, LoadedTree, Outcome, Severity, Tree
from wizard.infra.workspace import ATTESTATION_DIR

SCHEMA_VERSION = 1
KIND = "authready-attestation"
TIMESTAMP = "%Y-%m-%dT%H:%M:%SZ"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SubjectPath(_Model):
    """A reviewed path and its git object id at review time (tree for a folder, blob for a file)."""

    path: str = Field(max_length=1024)
    git_object: str | None = Field(default=None, pattern=r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")


class Subject(_Model):
    """What the review covers."""

    repo: str
    root_commit: str | None = Field(default=None, description="first commit of the repo: binds the attestation to it")
    component: str = Field(min_length=1)
    paths: list[SubjectPath] = Field(default_factory=list, max_length=256)


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


class Answer(_Model):
    """One answered question, with the text as asked and its hash (to tell when it goes stale)."""

    question: str = Field(pattern=ID_PATTERN)
    question_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    asked: str
    choice: str = Field(pattern=ID_PATTERN)
    answer: str
    note: str | None = None


class RecordedFinding(_Model):
    """A finding as recorded, with the answers that raised it (``question=choice``)."""

    id: str = Field(pattern=ID_PATTERN)
    severity: Severity
    title: str
    raised_by: list[str]
    remediation: list[str] = Field(default_factory=list)
    refs: list[str] = Field(default_factory=list)


class RecordedVerdict(_Model):
    """The verdict as recorded: the outcome, what must be fixed, and who must sign."""

    outcome: Outcome
    label: str
    required_signers: int = Field(ge=1)
    summary: str = ""
    remediation: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    findings: list[RecordedFinding] = Field(default_factory=list)

    @model_validator(mode="after")
    def _label_matches(self) -> "RecordedVerdict":
        # The label is shown to people; it may only ever say what the outcome says.
        if self.label != self.outcome.label:
            raise ValueError(f"label {self.label!r} does not match outcome {self.outcome.value!r}")
        return self


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

    def answer_map(self) -> dict[str, str]:
        return {a.question: a.choice for a in self.answers}

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


class ReviewInfo(BaseModel):
    """Everything about a review that is not an answer: who, what, when, where."""

    component: str
    reviewers: list[str]
    paths: list[SubjectPath] = Field(default_factory=list)
    repo: str
    root_commit: str | None = None
    reviewed_at: datetime
    root: Path | None = Field(default=None, description="repo root, to record a repo-local tree's path")


def tree_source(loaded: LoadedTree, root: Path | None) -> str | None:
    """Where a verifier finds the tree again: None for a shipped tree, else its repo-relative path."""
    from wizard.infra.workspace import shipped_trees_dir

    path = loaded.path.resolve()
    if path.parent == shipped_trees_dir().resolve():
        return None
    if root is not None:
        try:
            return path.relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return None


def build(loaded: LoadedTree, answers: Mapping[str, str], notes: Mapping[str, str], info: ReviewInfo) -> Attestation:
    """Build the attestation for a complete walk; refuses incomplete walks and credential-like text."""
    tree: Tree = loaded.tree
    verdict: Verdict = evaluate(tree, answers)
    if verdict.outcome is None:
        q = verdict.walk.unanswered
        raise Unanswered(f"unanswered: {q.id} ({q.text})" if q else "unanswered")
    steps = verdict.walk.steps
    on_path_notes = {s.question.id: notes[s.question.id].strip() for s in steps if notes.get(s.question.id, "").strip()}
    _refuse_secret_text(info, {note_field(s.question.text): on_path_notes[s.question.id] for s in steps if s.question.id in on_path_notes})
    try:
        expires = info.reviewed_at + timedelta(days=verdict.valid_days or 1)
    except OverflowError:
        raise AuthreadyError(f"reviewed_at {info.reviewed_at:%Y-%m-%d} is too far in the future") from None
    return Attestation(
        schema_version=SCHEMA_VERSION,
        subject=Subject(repo=info.repo, root_commit=info.root_commit, component=info.component, paths=info.paths),
        policy=PolicyRef(
            tree=tree.id, version=tree.version, sha256=loaded.sha256, source=tree_source(loaded, info.root)
        ),
        review=Review(
            reviewers=list(info.reviewers),
            reviewed_at=info.reviewed_at.strftime(TIMESTAMP),
            expires_at=expires.strftime(TIMESTAMP),
        ),
        answers=[
            Answer(
                question=s.question.id,
                question_sha256=s.question.text_sha256,
                asked=s.question.text,
                choice=s.choice.id,
                answer=s.choice.label,
                note=on_path_notes.get(s.question.id),
            )
            for s in steps
        ],
        verdict=RecordedVerdict(
            outcome=verdict.outcome,
            label=verdict.outcome.label,
            required_signers=verdict.required_signers or 1,
            summary=verdict.walk.end.summary if verdict.walk.end else "",
            remediation=list(verdict.remediation),
            references=list(verdict.references),
            findings=[
                RecordedFinding(
                    id=rf.finding.id,
                    severity=rf.finding.severity,
                    title=rf.finding.title,
                    raised_by=[f"{s.question.id}={s.choice.id}" for s in rf.raised_by],
                    remediation=list(rf.finding.remediation),
                    refs=list(rf.finding.refs),
                )
                for rf in verdict.findings
            ],
        ),
    )


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


def dumps(att: Attestation) -> bytes:
    """Deterministic TOML bytes (LF line ends, fixed key order, no ``None`` values)."""
    header = "# authready attestation: sign with `authready sign`; do not edit by hand (signatures cover these bytes).\n"
    body = tomli_w.dumps(att.model_dump(mode="json", exclude_none=True))
    return (header + body).encode("utf-8")


def load(path: Path) -> tuple[Attestation, bytes]:
    """Read an attestation back through the model; returns it and its exact bytes."""
    att, text = load_model(Attestation, path)
    return att, text.encode("utf-8")


def slug(text: str) -> str:
    """A file-name-safe form of a component name."""
    s = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-.")
    return s or "component"


def default_path(root: Path, component: str) -> Path:
    """``.authready/<component>.toml`` at the repo root: one file per reviewed component."""
    return root / ATTESTATION_DIR / f"{slug(component)}.toml"


def require_binding(att: Attestation) -> None:
    """Refuse to write an attestation that binds no code: it could never be verified."""
    if not att.subject.root_commit:
        raise AuthreadyError(
            "not inside a git repo with a commit: an attestation binds the code it covers; "
            "run the review inside the repo (nothing was written)"
        )
    if not att.subject.paths:
        raise AuthreadyError("paths: name at least one subject path (relative to the repo root; '.' for all)")


def save(att: Attestation, path: Path) -> bytes:
    """Write atomically; never overwrites an existing attestation (signed or not)."""
    require_binding(att)
    data = dumps(att)
    write_atomic(path, data, overwrite=False)
    return data


def supersede(att: Attestation, path: Path) -> tuple[bytes, list[Path]]:
    """Replace the attestation at ``path`` with ``att`` deliberately; returns the bytes and the removed signatures.

    The new review names what it replaces (``review.supersedes`` = sha256 of the
    old file's exact bytes), must be of the same component and later than the
    old one. The old signatures cannot cover the new bytes, so they go in the
    same step: moved into a hidden folder beside the file, then one rename puts
    the new bytes in place, then the folder is removed. A failure before the
    rename moves the signatures back (the old set stays); a crash between the
    steps leaves the old signatures in that hidden folder, never beside the new file.
    """
    import hashlib
    import shutil
    import tempfile

    from wizard.infra.files import read_regular
    from wizard.attestation.signatures import signature_files, signature_index
    from wizard.infra.tomlio import validate_text

    require_binding(att)
    try:
        old_bytes = read_regular(path)
    except AuthreadyError as exc:
        raise AuthreadyError(f"cannot supersede: {exc.message}", path=path) from None
    try:
        old = validate_text(Attestation, old_bytes.decode("utf-8"), path)
    except UnicodeDecodeError:
        raise AuthreadyError("cannot supersede: not an attestation (not UTF-8)", path=path) from None
    if old.subject.component != att.subject.component:
        raise AuthreadyError(
            f"cannot supersede: it is the review of {old.subject.component!r}, this one of {att.subject.component!r}",
            path=path,
        )
    if parse_timestamp(att.review.reviewed_at) <= parse_timestamp(old.review.reviewed_at):
        raise AuthreadyError(
            f"cannot supersede: reviewed_at {att.review.reviewed_at} is not later than the review it replaces "
            f"({old.review.reviewed_at})",
            path=path,
        )
    att = att.model_copy(update={"review": att.review.model_copy(update={"supersedes": hashlib.sha256(old_bytes).hexdigest()})})
    data = dumps(att)
    sigs = [s for s in signature_files(path, signature_index(os.listdir(path.parent))) if os.path.lexists(s)]
    aside = Path(tempfile.mkdtemp(prefix=f".{path.name}.superseded-", dir=path.parent))
    try:
        for sig in sigs:
            os.rename(sig, aside / sig.name)
        write_atomic(path, data, overwrite=True)
    except BaseException:
        for sig in sigs:  # put the old set back
            if (aside / sig.name).exists():
                os.rename(aside / sig.name, sig)
        shutil.rmtree(aside, ignore_errors=True)
        raise
    shutil.rmtree(aside, ignore_errors=True)
    return data, sigs


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
        choice = q.choice(a.choice)
        if a.question_sha256 != q.text_sha256 or a.asked != q.text or (choice is not None and a.answer != choice.label):
            return (
                "answer-text-mismatch",
                f"the recorded text of question {a.question!r} or of its answer {a.choice!r} is not the policy's text "
                f"for them (v{tree.version}); what a reader sees must be what was evaluated: re-review",
            )
    return None


def stale_questions(att: Attestation, tree: Tree) -> list[str]:
    """Answered questions whose text (or choices) changed, or which the tree no longer has."""
    out = []
    for a in att.answers:
        q = tree.question_map.get(a.question)
        if q is None or q.text_sha256 != a.question_sha256 or q.choice(a.choice) is None:
            out.append(a.question)
    return out
