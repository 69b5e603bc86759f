"""The review flow both plain modes share: drafts, start fields, the path, the verdict and the save.

Questionary prompts (:mod:`wizard.ui.plain.prompt`) and numbered lines
(:mod:`wizard.ui.plain.line`) ask differently but decide the same way, so the
decisions live here once and each mode supplies only its prompts (the
``ask_*`` methods) and how it prints. Everything the review itself decides
(routing, drafts, the rules of the start fields, the writer) lives in
``wizard.review``; this module only sequences it for a terminal.

The start: this tree's drafts are listed (component, answers, last change)
and one can be resumed; a draft whose start fields no longer pass the rules
(say a reviewer "Alice Smith", who cannot sign) has them asked again instead
of failing at the verdict. Starting a review of a component that has a draft
asks first: resume it, replace it, or cancel (back to the start fields).
A draft is never discarded without asking.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.infra.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from wizard.infra.workspace import Meta
from wizard.review.start import component_problem, paths_problem, reviewers_problem, split_list
from wizard.ui.plain import conditions, views
from wizard.ui.plain.text import plural

if TYPE_CHECKING:  # pragma: no cover
    from wizard.attestation.model import Attestation
    from wizard.policy.engine import AnswerValue, Verdict
    from wizard.policy.tree import Question
    from wizard.review.drafts import DraftInfo
    from wizard.review.load import ReviewSetup
    from wizard.review.session import Session
    from wizard.ui.plain.boot import Boot

# What the ask_* prompts answer (besides a path or a draft).
BACK, QUIT, SAVE, BIND, REPLACE, ELSEWHERE = "back", "quit", "save", "bind", "replace", "elsewhere"
RESUME, CANCEL = "resume", "cancel"

Check = Callable[[str], "str | None"]


class EndOfInput(Exception):
    """The input ended (EOF) in the middle of the review."""


class PlainFlow:
    """One plain-mode run; subclasses supply the prompts and the printing."""

    #: The start fields' prompts: component, reviewers, subject paths.
    FIELD_LABELS = ("Component under review", "Reviewers, comma-separated",
                    "Subject paths, relative to the repo root, comma-separated")
    WHY = "Why it matters"
    RESUME_NOTE = ""  # said after "Resuming … at question N."
    #: After "save elsewhere" picked a path: ask once more before writing (line mode suggests the path).
    CONFIRM_OTHER_PATH = True

    def __init__(self, *, out: Path | None, reviewed_at: str | None, cwd: Path) -> None:
        self.out = out
        self.reviewed_at = reviewed_at
        self.cwd = cwd
        self.session: Session | None = None
        self.previous: dict[str, str] = {}  # --from: question id -> the answer label as recorded
        self.prefilled: dict[str, AnswerValue] = {}  # --from: question id -> answer (the overview's markers)
        #: Set once the first prompt is on screen (the background load waits for it).
        self.first_prompt = threading.Event()

    # -- what each mode supplies -----------------------------------------------------------------
    def say(self, text: str = "", indent: str = "") -> None:
        raise NotImplementedError

    def intro(self) -> None:
        """The first lines: which mode this is and its keys."""
        raise NotImplementedError

    def stopped(self, why: str) -> None:
        """Say that the review stopped early (Ctrl+C, input ended); the draft is kept."""
        raise NotImplementedError

    def ask_field(self, label: str, default: str, check: Check) -> str:
        """A start field (``label`` from FIELD_LABELS) with its default; re-asked until ``check`` passes."""
        raise NotImplementedError

    def ask_default(self, label: str, default: str, check: Check) -> str:
        """``label [default]:``; Enter keeps the default; re-asked (one sentence why) until ``check`` passes."""
        raise NotImplementedError

    def ask_draft(self, drafts: list["DraftInfo"]) -> "DraftInfo | None":
        """Which draft to resume (None: a new review)."""
        raise NotImplementedError

    def ask_existing_draft(self, info: "DraftInfo") -> str:
        """RESUME, REPLACE or CANCEL: a new review of a component that has a draft."""
        raise NotImplementedError

    def ask_question(self, session: "Session", q: "Question") -> None:
        """Ask ``q`` until it is answered, or the team moves elsewhere on the path."""
        raise NotImplementedError

    def show_verdict(self, att: "Attestation") -> None:
        raise NotImplementedError

    def ask_bind_head(self) -> str:
        """BIND, QUIT or BACK: subject paths hold uncommitted changes."""
        raise NotImplementedError

    def ask_supersede(self, target: Path) -> str:
        """REPLACE, ELSEWHERE, BACK or QUIT: the re-review would replace ``target``."""
        raise NotImplementedError

    def ask_other_path(self, target: Path) -> "Path | str":
        """Where to save instead of the existing ``target`` (a path), or BACK or QUIT."""
        raise NotImplementedError

    def ask_save(self, target: Path, att: "Attestation") -> str:
        """SAVE, BACK or QUIT."""
        raise NotImplementedError

    def show(self, path: Path) -> str:
        """``path`` as this mode names it to the user."""
        return str(path)

    # -- the run ----------------------------------------------------------------------------------
    def review(self, tree_ref: str | None, from_attestation: Path | None, cwd: Path | None) -> int:
        """The whole run; returns the exit code (0 saved or quit, 2 input ended or bad input, 130 Ctrl+C)."""
        from wizard.ui.plain.boot import boot

        try:
            started = boot(tree_ref, from_attestation, cwd, self.first_prompt)
            self.intro()
            return self.run(self.open_review(started))
        except KeyboardInterrupt:
            self.stopped("interrupted")
            return EXIT_INTERRUPTED
        except EndOfInput:
            self.stopped("input ended before the review was finished")
            return EXIT_USAGE

    # -- the start --------------------------------------------------------------------------------
    def open_review(self, boot: "Boot") -> "Session":
        """Resume a draft or start a new review (asking before any draft would be replaced)."""
        for problem in boot.draft_problems:
            self.say(f"A draft could not be read and is left as it is: {problem}.")
        info = self.ask_draft(boot.drafts) if boot.drafts else None
        defaults = boot.meta
        while True:
            if info is not None:
                return self.resume(boot.setup(), info)
            meta = self.ask_meta(boot.root, boot.in_git, defaults)
            from wizard.review.drafts import draft_for, remove_draft

            existing = draft_for(boot.root, boot.tree_id, meta.component)
            if existing is not None:
                self.say(f"There is a draft of this review: {self.draft_text(existing)}.")
                picked = self.ask_existing_draft(existing)
                if picked == RESUME:
                    info = existing
                    continue
                if picked == CANCEL:
                    defaults = meta
                    continue
                remove_draft(existing.path)
            return self.begin(boot.setup(), meta)

    def draft_text(self, info: "DraftInfo") -> str:
        from wizard.ui.plain.text import draft_summary

        return draft_summary(info)

    def ask_meta(self, root: Path, in_git: bool, defaults: Meta, *, taken: Check | None = None) -> Meta:
        """The start fields, each checked where it is typed (``wizard.review.start``)."""
        def check_component(text: str) -> str | None:
            return component_problem(text) or (taken(text.strip()) if taken else None)

        component, reviewers, paths = self.FIELD_LABELS
        name = self.ask_field(component, defaults.component, check_component)
        who = self.ask_field(reviewers, ", ".join(defaults.reviewers), lambda t: reviewers_problem(split_list(t)))
        where = self.ask_field(paths, ", ".join(defaults.paths), lambda t: paths_problem(split_list(t), root, in_git))
        return Meta(name.strip(), split_list(who), split_list(where))

    def resume(self, setup: "ReviewSetup", info: "DraftInfo") -> "Session":
        """Resume a draft; start fields that no longer pass the rules are asked again first."""
        from wizard.review.drafts import draft_for
        from wizard.review.start import start_problems

        session = self.session = setup.resume(info)
        self.policy_line(setup)
        problems = start_problems(session.meta, setup.root, setup.in_git)
        if problems:
            self.say("This draft's start fields need fixing before the review can be saved: "
                     + "; ".join(f"{field}: {problem}" for field, problem in problems.items()) + ".")

            def taken(component: str) -> str | None:
                other = draft_for(setup.root, setup.loaded.tree.id, component)
                if other is None or other.path == info.path:
                    return None
                return f"there is another draft of {component!r}; choose another name, or resume that draft"

            session.set_meta(self.ask_meta(setup.root, setup.in_git, session.meta, taken=taken))
            session.save_draft()
        self.say(f"Resuming {session.meta.component or 'an unnamed component'} at question {session.position + 1}."
                 + self.RESUME_NOTE)
        return session

    def policy_line(self, setup: "ReviewSetup") -> None:
        t = setup.loaded.tree
        self.say(f"Policy: {t.title} ({t.id} {t.version}).")

    def begin(self, setup: "ReviewSetup", meta: Meta) -> "Session":
        """A new review from the start fields (and ``--from``); its draft is saved at once."""
        session = self.session = setup.start(meta)
        for warning in setup.warnings_for(meta):
            self.say(f"Warning: {warning}.")
        session.save_draft()  # Ctrl+C from here on keeps the start answers too
        self.policy_line(setup)
        prefill = setup.prefill
        if prefill:
            self.previous, self.prefilled = prefill.previous, dict(prefill.answers)
            self.say("Re-review: each question starts from the earlier answer; Enter alone keeps it.")
            if prefill.redo:
                self.say(f"{len(prefill.redo)} question(s) changed since that review and must be answered again: "
                         + ", ".join(prefill.redo) + ".")
        target = self.target(session)
        if target.exists():
            self.say(f"Note: {self.show(target)} already exists and will not be overwritten; "
                     "you can choose another path at the end.")
        return session

    def target(self, session: "Session") -> Path:
        from wizard.attestation.store import default_path

        return self.out or default_path(session.root, session.meta.component)

    # -- the path ---------------------------------------------------------------------------------
    def run(self, session: "Session") -> int:
        self.session = session
        while True:
            q = session.current()
            if q is None:
                result = self.finish(session)
                if result is None:
                    session.back()
                    continue
                return result
            self.ask_question(session, q)

    def tell_news(self, session: "Session", before: "Verdict") -> None:
        """Say at once what the last answer capped and which questions it made moot (asked no more)."""
        for line in views.news(before, session.verdict()):
            self.say(line)

    def show_help(self, session: "Session", q: "Question") -> None:
        for text, indent in views.help_lines(session, q, self.WHY):
            self.say(text, indent=indent)

    def overview(self, session: "Session") -> None:
        """Every question on the path with its answer, note, findings and change since ``--from``."""
        for text, indent in views.overview_lines(session, self.prefilled):
            self.say(text, indent=indent)

    def go_to(self, session: "Session", query: str) -> bool:
        """Move to the question ``query`` names (its number, or words from it); say why not otherwise."""
        found = views.find_question(session, self.prefilled, query)
        if isinstance(found, str):
            self.say(found)
            return False
        session.go_to(found)
        return True

    # -- the end ----------------------------------------------------------------------------------
    def finish(self, session: "Session") -> int | None:
        """Verdict, then the save. None: the team went back to the last question."""
        from wizard.attestation.model import TIMESTAMP, review_clock

        reviewed_at = self.reviewed_at or review_clock().strftime(TIMESTAMP)
        dirty = [] if session.allow_dirty else session.uncommitted()
        if dirty:
            self.say("")
            self.say(f"Uncommitted changes under the subject paths: {', '.join(dirty[:10])}"
                     + (f" and {len(dirty) - 10} more" if len(dirty) > 10 else "") + ".")
            self.say("The attestation binds the committed code (HEAD), not these changes.")
            picked = self.ask_bind_head()
            if picked != BIND:
                return None if picked == BACK else self.keep_draft()
            session.bind_head()
        att = session.attestation(reviewed_at)  # checks metadata and secrets; nothing written yet
        self.show_verdict(att)
        att = session.attestation(reviewed_at) if conditions.ask_conditions(self, session, reviewed_at) else att
        target = self.target(session)
        while True:
            if session.supersedes(target):
                from wizard.review.lifecycle import supersede_summary

                self.say(f"This re-review replaces {self.show(target)}. What changes:")
                for line in supersede_summary(target, att):
                    self.say(f"  - {line}", indent="    ")
                picked = self.ask_supersede(target)
                if picked == REPLACE:
                    return self.saved(session.save(target, reviewed_at, supersede=True), att, superseded=True)
                if picked in (BACK, QUIT):
                    return None if picked == BACK else self.keep_draft()
                session.keep_previous()  # save elsewhere: the existing file stays as it is
                continue
            if target.exists():
                self.say(f"{self.show(target)} already exists (it may be signed) and is never overwritten: "
                         "move it away, or save somewhere else.")
                other = self.ask_other_path(target)
                if isinstance(other, str):
                    return None if other == BACK else self.keep_draft()
                if self.CONFIRM_OTHER_PATH or other.exists():
                    target = other
                    continue
                return self.saved(session.save(other, reviewed_at), att)
            picked = self.ask_save(target, att)
            if picked != SAVE:
                return None if picked == BACK else self.keep_draft()
            if not target.exists():
                return self.saved(session.save(target, reviewed_at), att)

    def signer_warning(self, att: "Attestation") -> None:
        from wizard.review.lifecycle import signer_gap

        gap = signer_gap(att.verdict.required_signers, att.review.reviewers)
        if gap:
            self.say(f"Warning: {gap}.")

    def saved(self, path: Path, att: "Attestation", *, superseded: bool = False) -> int:
        note = " (supersedes the previous review; its signatures were removed)" if superseded else ""
        self.say(f"{att.verdict.label}: wrote {self.show(path)}{note}")
        self.say(f"next: authready sign {self.show(path)}")
        return EXIT_OK

    def keep_draft(self) -> int:
        self.say(f"Nothing written; the draft is kept in {self.draft_shown()}.")
        return EXIT_OK

    def draft_shown(self) -> str:
        return self.show(self.session.draft_path) if self.session is not None else "the draft"

    def stop_message(self, why: str, resume: str, no_session: str = "") -> str:
        """The one line printed when the review stops early (Ctrl+C, input ended)."""
        s = self.session
        if s is None:
            return f"authready: {why}; nothing was written.{no_session}"
        return (f"authready: {why}; nothing was written. {plural(len(s.answers), 'answer')} kept in the draft "
                f"{self.draft_shown()}: run {resume} to resume.")
