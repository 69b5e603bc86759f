"""A review in progress, shared by every front-end (Textual app, plain prompts, line mode).

The session holds the answers, the notes and the position on the path;
every change is saved as a draft (``wizard.review.drafts``: one per tree and
component) so Ctrl+C or a crash loses nothing, and a review started in one
front-end resumes in another. Front-ends read its attributes and change it
only through its methods (``answer``, ``back``, ``go_to``, ``set_note``,
``set_condition``, ``set_meta``, ``bind_head``, ``keep_previous``…): routing, pruning and saving
live here, so they behave the same everywhere and write the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import tomli_w

from wizard.attestation.dates import expiry
from wizard.attestation.model import Attestation, review_clock
from wizard.attestation.build import build, meta_fields, note_field
from wizard.attestation.conditions import ConditionInput, applicable, check_condition
from wizard.attestation.store import default_path, save
from wizard.infra import git as gitinfo
from wizard.infra.errors import AuthreadyError, InputError, Unanswered
from wizard.infra.secrets import refuse_secrets
from wizard.infra.tomlio import write_atomic
from wizard.infra.workspace import Meta, default_meta
from wizard.policy.engine import AnswerValue, Verdict, as_value, evaluate, walk
from wizard.policy.tree import LoadedTree, Question, Tree
from wizard.review import drafts
from wizard.review.draft_model import Draft
from wizard.review.prefill import Prefill, attestation_tree_ref, prefill_from
from wizard.review.subject import UncommittedSubject, bind_paths, review_info, subject_paths


def prune(tree: Tree, answers: dict[str, AnswerValue]) -> dict[str, AnswerValue]:
    """Drop answers on abandoned branches; keep those on the path or still reachable from its frontier."""
    keep = live_questions(tree, answers)
    return {q: c for q, c in answers.items() if q in keep}


def live_questions(tree: Tree, answers: Mapping[str, AnswerValue]) -> set[str]:
    """Questions on the path the answers decide, or still reachable past its first unanswered one."""
    w = walk(tree, answers)
    keep = {s.question.id for s in w.steps}
    if w.unanswered is not None:
        frontier = [w.unanswered.id]
        while frontier:
            qid = frontier.pop()
            if qid in keep:
                continue
            keep.add(qid)
            q = tree.question_map.get(qid)
            if q:
                frontier.extend(r for r in q.routes if r in tree.question_map)
    return keep


class Session:
    """One review: the tree, the metadata, the answers and where the team is on the path."""

    def __init__(
        self,
        loaded: LoadedTree,
        root: Path,
        in_git: bool,
        meta: Meta | None = None,
        *,
        tree_ref: str | None = None,
        answers: Mapping[str, AnswerValue] | None = None,
        notes: dict[str, str] | None = None,
        redo: list[str] | None = None,
        replaces: Path | None = None,
        conditions: Mapping[str, ConditionInput] | None = None,
    ) -> None:
        self.loaded = loaded
        self.tree = loaded.tree
        self.root = root
        self.in_git = in_git
        self.meta = meta or default_meta(root, in_git)
        self.tree_ref = tree_ref or self.tree.id
        self.answers: dict[str, AnswerValue] = dict(answers or {})
        self.notes: dict[str, str] = dict(notes or {})
        # Warning id -> its owner and due date as the team set them (None: the default); kept while
        # answers change, recorded for the warnings raised at the save (``set_condition``).
        self.conditions: dict[str, ConditionInput] = dict(conditions or {})
        # Questions whose text changed since a previous attestation: must be answered again.
        self.redo: set[str] = set(redo or [])
        # The attestation this re-review started from (--from): the one place a save may replace, once
        # the team has seen what changes (``wizard.review.lifecycle.supersede_summary``) and confirmed.
        self.replaces = replaces
        self.position = 0
        # Set (``bind_head``) once the team confirmed binding HEAD although subject paths hold
        # uncommitted changes (``uncommitted()`` lists them).
        self.allow_dirty = False
        # The draft file this review was resumed from or last written to: moved when the name changes.
        self._draft_file: Path | None = None
        self._draft_pending = False  # an answer's draft write waits for ``flush_draft``

    def uncommitted(self) -> list[str]:
        """Files under the subject paths that differ from HEAD (what the review would not bind)."""
        if not self.in_git:
            return []
        try:
            return gitinfo.uncommitted(self.root, subject_paths(self.meta))
        except AuthreadyError:
            return []  # bad paths are reported when the attestation is built

    # -- path and position ------------------------------------------------------------------
    def path(self) -> list[Question]:
        """Questions on the current path: the answered ones, then the first unanswered (if any)."""
        w = walk(self.tree, self._effective_answers())
        qs = [s.question for s in w.steps]
        if w.unanswered is not None:
            qs.append(w.unanswered)
        return qs

    def _effective_answers(self) -> dict[str, AnswerValue]:
        return {q: c for q, c in self.answers.items() if q not in self.redo}

    def current(self) -> Question | None:
        """The question at the current position, or None when the walk has ended."""
        qs = self.path()
        if self.position >= len(qs):
            self.position = len(qs)
            w = walk(self.tree, self._effective_answers())
            return None if w.complete else qs[-1] if qs else None
        return qs[self.position]

    def resume_position(self) -> None:
        """Put the position at the first unanswered question (or the end)."""
        self.position = len(walk(self.tree, self._effective_answers()).steps)

    def go_to(self, number: int) -> None:
        """Move to question ``number`` (1-based) on the current path, clamped to it; nothing is answered."""
        self.position = max(0, min(number - 1, len(self.path()) - 1))

    def answer(self, choice_id: str | Sequence[str], note: str | None = None, *, defer_draft: bool = False) -> None:
        """Answer the current question, re-route, drop abandoned answers, move on, save the draft.

        ``choice_id``: a choice id, or for a select-all question the ids selected (any order; an
        exclusive answer alone). A wrong shape or unknown id is an ``InputError`` and changes nothing.

        ``defer_draft``: the draft is written by the next ``flush_draft`` (line mode shows the next
        question first, then writes it before reading another line).
        """
        q = self.current()
        if q is None:
            raise InputError("the review is complete; nothing to answer")
        try:
            value = as_value(q, choice_id if isinstance(choice_id, str) else list(choice_id))
        except AuthreadyError as exc:
            raise InputError(exc.message) from None
        if note:
            refuse_secrets([(note_field(q.text), note)])  # before it is kept anywhere, the draft included
        self.answers[q.id] = value
        self.redo.discard(q.id)
        if note is not None:
            self._keep_note(q.id, note)
        live = live_questions(self.tree, self._effective_answers()) | self.redo
        self.answers = {k: v for k, v in self.answers.items() if k in live}
        # A note typed on a question not answered yet stays while that question can still come up.
        self.notes = {k: v for k, v in self.notes.items() if k in live}
        self.position += 1
        if defer_draft:
            self._draft_pending = True
        else:
            self.save_draft()

    def _keep_note(self, qid: str, note: str) -> None:
        if note.strip():
            self.notes[qid] = note.strip()
        else:
            self.notes.pop(qid, None)

    def set_note(self, qid: str, note: str) -> None:
        """Keep (or, when blank, remove) the note on question ``qid`` without answering it.

        Refused (``AuthreadyError`` naming the question by its text) when it looks like a credential:
        then nothing is kept anywhere. The caller saves the draft when it likes (``save_draft``).
        """
        if note.strip():
            q = self.tree.question_map.get(qid)
            refuse_secrets([(note_field(q.text if q else qid), note)])
        self._keep_note(qid, note)

    def set_condition(self, finding_id: str, owner: str | None = None, due: str | None = None, *,
                      reviewed_at: str | None = None) -> None:
        """Set who fixes a raised warning and by when (None keeps the default: the first reviewer, the day the
        attestation expires), checked as an answers file's are; ``InputError`` naming it changes nothing."""
        verdict, reviewed = self.verdict(), review_clock(reviewed_at)
        self.conditions[finding_id] = check_condition(
            self.tree, verdict, finding_id, owner, due, reviewed, expiry(reviewed, verdict.valid_days))

    def back(self) -> bool:
        """Step back one question; False when already at the first."""
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def verdict(self) -> Verdict:
        """The provisional (or final) verdict for the answers so far."""
        return evaluate(self.tree, self._effective_answers())

    @property
    def complete(self) -> bool:
        return walk(self.tree, self._effective_answers()).complete

    # -- decisions a front-end takes for the team -----------------------------------------------
    def set_meta(self, meta: Meta) -> None:
        """Carry on with edited start fields (the draft follows the component to its new name)."""
        self.meta = meta

    def bind_head(self) -> None:
        """The team confirmed binding HEAD although subject paths hold uncommitted changes."""
        self.allow_dirty = True

    def keep_previous(self) -> None:
        """Save elsewhere instead of superseding the attestation this re-review started from."""
        self.replaces = None

    # -- drafts and saving ----------------------------------------------------------------------
    def to_draft(self) -> Draft:
        return Draft(
            tree=self.tree_ref,
            component=self.meta.component,
            reviewers=self.meta.reviewers,
            paths=self.meta.paths,
            position=self.position,
            answers={q: list(v) if isinstance(v, tuple) else v for q, v in self.answers.items()},
            notes=self.notes,
            redo=sorted(self.redo),
            replaces=str(self.replaces or ""),
            conditions={f: {k: v for k, v in vars(c).items() if v is not None} for f, c in self.conditions.items()},
        )

    @property
    def draft_path(self) -> Path:
        """Where this review's draft is kept: ``.authready/drafts/<tree>--<component>.toml``."""
        return drafts.draft_path(self.root, self.tree.id, self.meta.component)

    def save_draft(self) -> Path:
        """Write the draft atomically (overwrite: it is ours); keep drafts out of git.

        Drafts are files too: nothing that looks like a credential is written into one. A draft
        resumed from another name (the old one-per-tree layout, or before the component was
        renamed) moves to this review's name.
        """
        m = self.meta
        refuse_secrets(meta_fields(m.component, m.reviewers, m.paths))
        qtext = {q.id: q.text for q in self.tree.questions}
        refuse_secrets([(note_field(qtext.get(q, q)), n) for q, n in self.notes.items()])
        path = self.draft_path
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            write_atomic(ignore, b"# authready drafts are local work in progress\n*\n", overwrite=True)
        data = tomli_w.dumps(self.to_draft().model_dump(mode="json")).encode("utf-8")
        write_atomic(path, data, overwrite=True)
        self._draft_pending = False  # only once written: Ctrl+C in the middle of it writes it again
        if self._draft_file is not None and self._draft_file != path:
            self._draft_file.unlink(missing_ok=True)
        self._draft_file = path
        return path

    def flush_draft(self) -> None:
        """Write the draft an answer deferred (``answer(..., defer_draft=True)``), if any."""
        if self._draft_pending:
            self.save_draft()

    def discard_draft(self) -> None:
        """Remove this review's draft (and the file it was resumed from); no other review's."""
        self.draft_path.unlink(missing_ok=True)
        if self._draft_file is not None:
            self._draft_file.unlink(missing_ok=True)
        self._draft_pending = False

    @classmethod
    def start(cls, loaded: LoadedTree, root: Path, in_git: bool, meta: Meta, *, tree_ref: str | None = None,
              prefill: Prefill | None = None) -> "Session":
        """A new review from the start answers, pre-filled from ``--from`` when there is one."""
        return cls(
            loaded, root, in_git, meta, tree_ref=tree_ref,
            answers=prefill.answers if prefill else None,
            notes=prefill.notes if prefill else None,
            redo=prefill.redo if prefill else None,
            replaces=prefill.source if prefill else None,
            conditions=prefill.conditions if prefill else None,
        )

    @classmethod
    def from_draft(cls, loaded: LoadedTree, root: Path, in_git: bool, draft: Draft,
                   source: Path | None = None) -> "Session":
        """Resume ``draft`` (read from ``source``, which the next save replaces when its name differs)."""
        s = cls(
            loaded,
            root,
            in_git,
            Meta(draft.component, list(draft.reviewers), list(draft.paths)),
            tree_ref=draft.tree,
            answers={q: tuple(v) if isinstance(v, list) else v for q, v in draft.answers.items() if q in loaded.tree.question_map},
            notes=dict(draft.notes),
            redo=draft.redo,
            replaces=Path(draft.replaces) if draft.replaces else None,
            conditions={f: ConditionInput(c.get("owner"), c.get("due")) for f, c in draft.conditions.items()},
        )
        s.position = min(draft.position, len(s.path()))
        s._draft_file = source
        return s

    def attestation(self, reviewed_at: str | None = None, *, preview: bool = False) -> Attestation:
        """Build the attestation for the finished review (raises if unfinished).

        ``preview``: only to show it (e.g. what a supersede changes): uncommitted files do not stop it.
        """
        # Only a changed question still on the path blocks saving; one left on an abandoned
        # branch is not part of this review.
        stale = [q.id for q in self.path() if q.id in self.redo and q.id in self.answers]
        if stale:
            raise Unanswered("unanswered: " + ", ".join(stale) + " (changed since the last review)")
        info = review_info(self.root, self.in_git, self.meta, reviewed_at, allow_dirty=self.allow_dirty or preview)
        verdict = self.verdict()
        kept = applicable(self.conditions, verdict, info.reviewed_at, expiry(info.reviewed_at, verdict.valid_days))
        return build(self.loaded, self._effective_answers(), self.notes, info, kept)

    def supersedes(self, target: Path) -> bool:
        """Whether saving to ``target`` would replace the attestation this re-review started from."""
        return self.replaces is not None and target.exists() and target.resolve() == self.replaces

    def save(self, out: Path | None = None, reviewed_at: str | None = None, *, supersede: bool = False) -> Path:
        """Write the attestation and drop the draft; never over an existing file unless ``supersede``
        (a confirmed re-review: ``wizard.attestation.store.supersede`` records what it replaces)."""
        from wizard.attestation.store import supersede as replace

        att = self.attestation(reviewed_at)
        path = out or default_path(self.root, att.subject.component)
        if supersede:
            replace(att, path)
        else:
            save(att, path)
        self.discard_draft()
        return path


__all__ = [
    "Draft", "Meta", "Prefill", "Session", "UncommittedSubject", "attestation_tree_ref", "bind_paths",
    "live_questions", "prefill_from", "prune", "review_info", "subject_paths",
]
