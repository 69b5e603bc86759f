"""A review in progress, shared by every front-end (Textual app, plain prompts).

The session holds the answers, the notes and the position on the path;
every change is saved as a draft so Ctrl+C or a crash loses nothing, and a
review started in one front-end resumes in the other. Front-ends only show
questions and call ``answer``/``back``; routing, pruning and saving live
here, so they behave the same everywhere and write the same bytes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import tomli_w
from pydantic import BaseModel, ConfigDict, Field

from wizard.infra import git as gitinfo
from wizard.attestation.model import (
    PRINCIPAL,
    Attestation,
    ReviewInfo,
    SubjectPath,
    build,
    default_path,
    meta_fields,
    note_field,
    review_clock,
    save,
)
from wizard.policy.engine import Verdict, evaluate, walk
from wizard.infra.errors import AuthreadyError
from wizard.infra.secrets import refuse_secrets
from wizard.infra.tomlio import load_model, write_atomic
from wizard.policy.tree import LoadedTree, Question, Tree
from wizard.infra.workspace import ATTESTATION_DIR, Meta, default_meta, draft_path



class UncommittedSubject(AuthreadyError):
    """Subject paths hold changes that are not committed: the review would bind HEAD, not them."""

    def __init__(self, files: list[str]) -> None:
        shown = ", ".join(files[:6]) + (f" and {len(files) - 6} more" if len(files) > 6 else "")
        super().__init__(
            f"uncommitted changes under the subject paths ({shown}); an attestation binds committed code: "
            "commit them first, or bind the committed version (HEAD) deliberately (--allow-dirty)"
        )
        self.files = files


def subject_paths(meta: Meta) -> list[str]:
    """The start screen's paths, normalised and de-duplicated; at least one, at most a few hundred."""
    paths = list(dict.fromkeys(gitinfo.normalise_path(p) for p in meta.paths if p.strip()))
    if not paths:
        raise AuthreadyError("paths: name at least one subject path (relative to the repo root; '.' for all)")
    if len(paths) > gitinfo.MAX_SUBJECT_PATHS:
        raise AuthreadyError(f"paths: {len(paths)} subject paths; at most {gitinfo.MAX_SUBJECT_PATHS} (name their folders)")
    inside = [p for p in paths if p == ATTESTATION_DIR or p.startswith(ATTESTATION_DIR + "/")]
    if inside:
        raise AuthreadyError(f"paths: {inside[0]!r} is where attestations live; it cannot be reviewed code")
    return paths


def bind_paths(root: Path, paths: list[str], *, allow_dirty: bool = False) -> list[SubjectPath]:
    """Each subject path with the git object it has in HEAD (committed code, never the working tree)."""
    head = gitinfo.head_commit(root)
    if head is None:
        raise AuthreadyError("the repo has no commit yet: commit the code under review first (an attestation binds commits)")
    if not allow_dirty:
        dirty = gitinfo.uncommitted(root, paths)
        if dirty:
            raise UncommittedSubject(dirty)
    objects = gitinfo.committed_objects(root, head, paths)
    for p in paths:
        o = objects[p]
        if o.kind == "symlink":
            raise AuthreadyError(f"subject path {p!r} is a symlink or a submodule (or passes through a symlink); "
                                 "name the folder or file in this repo that holds the code")
        if not o.bound:
            here = " exists but" if os.path.lexists(root / p) else ""
            raise AuthreadyError(
                f"subject path {p!r}{here} is not in the last commit (never committed, or ignored by .gitignore); "
                "commit it, or fix the path"
            )
    return [SubjectPath(path=p, git_object=objects[p].oid) for p in paths]


def review_info(
    root: Path, in_git: bool, meta: Meta, reviewed_at: str | None = None, repo: str | None = None,
    *, allow_dirty: bool = False, bind: bool = True,
) -> ReviewInfo:
    """Resolve metadata against the repo: normalised paths with the object ids committed in HEAD.

    ``bind=False`` (``evaluate``) only judges: object ids where they can be had, nothing required.
    """
    if not meta.component.strip():
        raise AuthreadyError("component: give the name of the component under review")
    reviewers = [r.strip() for r in meta.reviewers if r.strip()]
    if not reviewers:
        raise AuthreadyError("reviewers: name at least one reviewer (e.g. alice@example.com)")
    for r in reviewers:
        if not re.match(PRINCIPAL, r):
            raise AuthreadyError(
                f"reviewers: {r!r} cannot sign; use the principal from allowed_signers (e.g. alice@example.com), "
                "without spaces, commas, quotes or wildcards"
            )
    paths = [gitinfo.normalise_path(p) for p in meta.paths if p.strip()]
    bound = [SubjectPath(path=p) for p in paths]  # outside git (refused when saving): nothing bound
    if in_git and bind:
        bound = bind_paths(root, subject_paths(meta), allow_dirty=allow_dirty)
    elif in_git:  # only judging (evaluate): bind what can be bound, require nothing
        try:
            bound = bind_paths(root, subject_paths(meta), allow_dirty=True)
        except AuthreadyError:
            pass
    return ReviewInfo(
        component=meta.component.strip(),
        reviewers=reviewers,
        paths=bound,
        repo=repo or (gitinfo.repo_name(root) if in_git else root.name),
        root_commit=gitinfo.root_commit(root) if in_git else None,
        reviewed_at=review_clock(reviewed_at),
        root=root if in_git else None,
    )


def prune(tree: Tree, answers: dict[str, str]) -> dict[str, str]:
    """Drop answers on abandoned branches; keep those on the path or still reachable from its frontier."""
    keep = live_questions(tree, answers)
    return {q: c for q, c in answers.items() if q in keep}


def live_questions(tree: Tree, answers: dict[str, str]) -> set[str]:
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
                frontier.extend(c.next for c in q.choices if c.next in tree.question_map)
    return keep


@dataclass
class Prefill:
    """What a re-review (``--from ATTESTATION``) starts from: the earlier review, minus what went stale."""

    meta: Meta
    answers: dict[str, str]
    notes: dict[str, str]
    redo: list[str]  # questions whose text changed since: must be answered again
    previous: dict[str, str]  # question id -> the answer label as recorded
    source: Path | None = None  # the attestation re-reviewed: saving over it supersedes it (after confirming)


def attestation_tree_ref(att: Attestation, root: Path) -> str:
    """The tree an attestation was judged by: its repo-relative file, else its shipped id."""
    return str(root / att.policy.source) if att.policy.source else att.policy.tree


def prefill_from(att: Attestation, loaded: LoadedTree, source: Path) -> Prefill:
    """Pre-fill a re-review; answers the tree no longer offers are dropped, changed questions marked."""
    from wizard.attestation.model import stale_questions

    tree = loaded.tree
    if att.policy.tree != tree.id:
        raise AuthreadyError(
            f"this attestation was judged against tree {att.policy.tree!r}, not {tree.id!r}; "
            f"pass --tree {att.policy.tree}",
            path=source,
        )
    qmap = tree.question_map
    answers = {q: c for q, c in att.answer_map().items() if q in qmap and qmap[q].choice(c) is not None}
    return Prefill(
        meta=Meta(att.subject.component, list(att.review.reviewers), [p.path for p in att.subject.paths]),
        answers=answers,
        notes={q: n for q, n in att.note_map().items() if q in answers},
        redo=sorted(q for q in stale_questions(att, tree) if q in qmap),
        previous={a.question: a.answer for a in att.answers},
        source=source.resolve(),
    )


class Draft(BaseModel):
    """The draft file: enough to resume a review exactly where it stopped."""

    model_config = ConfigDict(extra="forbid")

    draft: int = 1
    tree: str
    component: str = ""
    reviewers: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)
    position: int = 0
    answers: dict[str, str] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    redo: list[str] = Field(default_factory=list)
    replaces: str = ""  # the attestation a re-review (--from) may supersede, as an absolute path


def load_draft(root: Path, tree_id: str) -> Draft | None:
    """The saved draft for this tree, or None. A corrupt draft is an error, not silently dropped."""
    path = draft_path(root, tree_id)
    if not path.is_file():
        return None
    return load_model(Draft, path)[0]


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
        answers: dict[str, str] | None = None,
        notes: dict[str, str] | None = None,
        redo: list[str] | None = None,
        replaces: Path | None = None,
    ) -> None:
        self.loaded = loaded
        self.tree = loaded.tree
        self.root = root
        self.in_git = in_git
        self.meta = meta or default_meta(root, in_git)
        self.tree_ref = tree_ref or self.tree.id
        self.answers: dict[str, str] = dict(answers or {})
        self.notes: dict[str, str] = dict(notes or {})
        # Questions whose text changed since a previous attestation: must be answered again.
        self.redo: set[str] = set(redo or [])
        # The attestation this re-review started from (--from): the one place a save may replace, once
        # the team has seen what changes (``wizard.review.lifecycle.supersede_summary``) and confirmed.
        self.replaces = replaces
        self.position = 0
        # Set by a front-end once the team confirmed binding HEAD although subject paths hold
        # uncommitted changes (``uncommitted()`` lists them).
        self.allow_dirty = False

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

    def _effective_answers(self) -> dict[str, str]:
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

    def answer(self, choice_id: str, note: str | None = None) -> None:
        """Answer the current question, re-route, drop abandoned answers, move on, save the draft."""
        q = self.current()
        if q is None:
            raise AuthreadyError("the review is complete; nothing to answer")
        if q.choice(choice_id) is None:
            raise AuthreadyError(f"unknown choice {choice_id!r} for question {q.id!r}")
        if note:
            refuse_secrets([(note_field(q.text), note)])  # before it is kept anywhere, the draft included
        self.answers[q.id] = choice_id
        self.redo.discard(q.id)
        if note is not None:
            if note.strip():
                self.notes[q.id] = note.strip()
            else:
                self.notes.pop(q.id, None)
        live = live_questions(self.tree, self._effective_answers()) | self.redo
        self.answers = {k: v for k, v in self.answers.items() if k in live}
        # A note typed on a question not answered yet stays while that question can still come up.
        self.notes = {k: v for k, v in self.notes.items() if k in live}
        self.position += 1
        self.save_draft()

    def back(self) -> bool:
        """Step back one question; False when already at the first."""
        if self.position == 0:
            return False
        self.position -= 1
        return True

    @property
    def total_hint(self) -> int:
        """Questions on the path so far plus the longest remaining route: a 'how far along' bound."""
        return len(self.path())

    def verdict(self) -> Verdict:
        """The provisional (or final) verdict for the answers so far."""
        return evaluate(self.tree, self._effective_answers())

    @property
    def complete(self) -> bool:
        return walk(self.tree, self._effective_answers()).complete

    # -- drafts and saving ----------------------------------------------------------------------
    def to_draft(self) -> Draft:
        return Draft(
            tree=self.tree_ref,
            component=self.meta.component,
            reviewers=self.meta.reviewers,
            paths=self.meta.paths,
            position=self.position,
            answers=self.answers,
            notes=self.notes,
            redo=sorted(self.redo),
            replaces=str(self.replaces or ""),
        )

    def save_draft(self) -> Path:
        """Write the draft atomically (overwrite: it is ours); keep drafts out of git.

        Drafts are files too: nothing that looks like a credential is written into one.
        """
        m = self.meta
        refuse_secrets(meta_fields(m.component, m.reviewers, m.paths))
        qtext = {q.id: q.text for q in self.tree.questions}
        refuse_secrets([(note_field(qtext.get(q, q)), n) for q, n in self.notes.items()])
        path = draft_path(self.root, self.tree.id)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            write_atomic(ignore, b"# authready drafts are local work in progress\n*\n", overwrite=True)
        data = tomli_w.dumps(self.to_draft().model_dump(mode="json")).encode("utf-8")
        write_atomic(path, data, overwrite=True)
        return path

    def discard_draft(self) -> None:
        draft_path(self.root, self.tree.id).unlink(missing_ok=True)

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
        )

    @classmethod
    def from_draft(cls, loaded: LoadedTree, root: Path, in_git: bool, draft: Draft) -> "Session":
        s = cls(
            loaded,
            root,
            in_git,
            Meta(draft.component, list(draft.reviewers), list(draft.paths)),
            tree_ref=draft.tree,
            answers={q: c for q, c in draft.answers.items() if q in loaded.tree.question_map},
            notes=dict(draft.notes),
            redo=draft.redo,
            replaces=Path(draft.replaces) if draft.replaces else None,
        )
        s.position = min(draft.position, len(s.path()))
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
        return build(self.loaded, self._effective_answers(), self.notes, info)

    def supersedes(self, target: Path) -> bool:
        """Whether saving to ``target`` would replace the attestation this re-review started from."""
        return self.replaces is not None and target.exists() and target.resolve() == self.replaces

    def save(self, out: Path | None = None, reviewed_at: str | None = None, *, supersede: bool = False) -> Path:
        """Write the attestation and drop the draft; never over an existing file unless ``supersede``
        (a confirmed re-review: ``wizard.attestation.model.supersede`` records what it replaces)."""
        from wizard.attestation.model import supersede as replace

        att = self.attestation(reviewed_at)
        path = out or default_path(self.root, att.subject.component)
        if supersede:
            replace(att, path)
        else:
            save(att, path)
        self.discard_draft()
        return path
