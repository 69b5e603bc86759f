"""Line mode: the review as numbered line prompts, for screen readers, pipes and slow links.

``authready review --plain`` uses this mode when stdin or stdout is not a
terminal, when ``TERM=dumb``, when the ``ACCESSIBLE`` environment variable is
set (non-empty), or with ``--accessible``; otherwise plain mode is the
questionary prompts of :mod:`wizard.ui.plain.prompt`.

Each question is printed once: "Question 2 of about 24 — <area>", the text,
the numbered answers; then one line is read. A number answers; ``h`` why it
matters (with references), ``n`` a note, ``b`` back, ``o`` the questions on
the path with their answers, ``g N`` back to question N, ``?`` the keys. A
blank or invalid line gets "Type a number from 1 to N." and the prompt again
(Enter alone answers only where a default was announced: the earlier answer
in a re-review or a resumed draft). After an answer comes a one-line
confirmation, never the question again.

No escape sequences, no redraws, no cursor queries: plain text wrapped at
word boundaries to the terminal width (80 when unknown), read with
``readline`` (no GNU readline, which would emit escapes). This module never
imports questionary or prompt_toolkit.

Everything that decides lives in :class:`wizard.review.session.Session` (routing,
pruning, the draft, the writer), so the same answers give the same bytes as
``review --answers`` and the other front-ends, and a draft resumes anywhere.
Input ending exits 2 and Ctrl+C exits 130; both keep the draft.
"""

from __future__ import annotations

import os
import sys
import textwrap
import threading
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from wizard.infra import workspace
from wizard.infra.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, AuthreadyError
from wizard.ui.plain.prompt import (
    _check_new_file,
    _load,
    _meta_defaults,
    _peek_draft,
    _resolve,
    _tree_file,
    _TreeLoader,
    check_component,
    check_reviewers,
    literal,
    make_check_paths,
    split_list,
)

if TYPE_CHECKING:  # pragma: no cover
    from wizard.review.session import Prefill, Session
    from wizard.policy.tree import LoadedTree, Question

KEYS = (
    "Type a number and Enter to answer. Other keys, each followed by Enter: "
    "h why the question matters, n add a note, b back one question, "
    "o the questions so far with your answers, g and a number to go back to that question, "
    "? these keys. Ctrl+C stops; your answers are kept in a draft."
)


class _EndOfInput(Exception):
    """stdin ended (EOF) before the review was finished."""


def use_line_mode(accessible: bool = False, stdin: TextIO | None = None, stdout: TextIO | None = None) -> bool:
    """Whether ``review --plain`` should use line mode rather than questionary."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if accessible or os.environ.get("ACCESSIBLE", ""):
        return True
    if os.environ.get("TERM", "") == "dumb":
        return True
    return not (_isatty(stdin) and _isatty(stdout))


def terminal_width(stdout: TextIO) -> int:
    """The width to wrap at: the terminal's, else $COLUMNS, else 80 (never below 20)."""
    width = 0
    try:
        if stdout.isatty():
            width = os.get_terminal_size(stdout.fileno()).columns
    except (AttributeError, ValueError, OSError):
        width = 0
    if not width:
        try:
            width = int(os.environ.get("COLUMNS", "0"))
        except ValueError:
            width = 0
    return max(20, width or 80)


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class LineReview:
    """One line-mode run: start questions, the path, the verdict, the save."""

    def __init__(
        self,
        stdin: TextIO,
        stdout: TextIO,
        err: TextIO,
        *,
        width: int,
        cwd: Path,
        out: Path | None = None,
        reviewed_at: str | None = None,
    ) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.err = err
        self.width = width
        self.cwd = cwd
        self.out = out
        self.reviewed_at = reviewed_at
        self.session: Session | None = None
        self.previous: dict[str, str] = {}
        #: Set once the first prompt is written (the background tree loader waits for it).
        self.first_prompt = threading.Event()
        self._longest: dict[str, int] = {}
        self._out: list[str] = []
        self.last_area: str | None = None

    # -- output and input ----------------------------------------------------------------------------
    def _wrap(self, text: str, indent: str = "") -> list[str]:
        lines: list[str] = []
        for para in literal_lines(text):
            if not para.strip():
                lines.append("")
                continue
            lead = para[: len(para) - len(para.lstrip(" "))]
            lines += textwrap.wrap(
                para, width=self.width, subsequent_indent=lead + indent,
                break_long_words=False, break_on_hyphens=False,
            ) or [""]
        return lines

    def say(self, text: str = "", indent: str = "") -> None:
        """Queue lines of text; they reach the terminal in one write with the next prompt (or ``flush``)."""
        self._out.append("\n".join(self._wrap(text, indent)) + "\n")

    def flush(self) -> None:
        if self._out:
            self.stdout.write("".join(self._out))
            self._out.clear()
        self.stdout.flush()

    def ask(self, prompt: str) -> str:
        """Write the prompt (wrapped; the cursor stays after its last line) and read one line."""
        lines = self._wrap(prompt)
        self._out.append("\n".join(lines) + " ")
        self.flush()
        self.first_prompt.set()
        self.flush_draft()  # every answer is on disk before the next line is read
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            self.stdout.flush()
            raise _EndOfInput
        if not (_isatty(self.stdin) and _isatty(self.stdout)):
            # Piped input is not echoed into the output: end the prompt's line so the transcript reads
            # well (the line itself is not echoed: it may be a refused credential).
            self.stdout.write("\n")
            self.stdout.flush()
        return line.rstrip("\r\n")

    def flush_draft(self) -> None:
        flush = getattr(self.session, "flush_draft", None)
        if flush is not None:
            flush()

    def rel(self, path: Path) -> str:
        """A path as the user would type it from where they are (relative when inside the repo or cwd)."""
        path = Path(path)
        for base in (self.cwd, self.session.root if self.session else None):
            if base is None:
                continue
            try:
                path.resolve().relative_to(Path(base).resolve())
            except ValueError:
                continue
            return os.path.relpath(path.resolve(), self.cwd.resolve())
        return str(path)

    # -- start ---------------------------------------------------------------------------------------
    def intro(self) -> None:
        self.say("authready review, line mode. Each question is printed once with numbered answers.")
        self.say(KEYS)

    def confirm_resume(self, component: str, n: int) -> bool:
        what = component or "an unnamed component"
        while True:
            raw = self.ask(f"Resume the unfinished review of {what} ({_plural(n, 'answer')})? [Y/n]").strip().lower()
            if raw in ("", "y", "yes"):
                return True
            if raw in ("n", "no"):
                return False
            self.say("Type y to resume or n to start afresh.")

    def resume(self, loaded: "LoadedTree", root: Path, in_git: bool) -> "Session":
        from wizard.review.session import load_draft

        draft = load_draft(root, loaded.tree.id)
        if draft is None:
            raise AuthreadyError("the draft disappeared while starting; run the review again")
        session = self.session = _session_class().from_draft(loaded, root, in_git, draft)
        self.policy_line(loaded)
        self.say(f"Resuming {draft.component or 'an unnamed component'} at question {session.position + 1}. "
                 "Enter alone keeps an earlier answer where one is announced.")
        return session

    def ask_text(self, label: str, default: str, check) -> str:
        """A start question: the default is stated in words, never pre-filled; Enter keeps it."""
        while True:
            prompt = f"{label} [{default}] (Enter keeps it):" if default else f"{label}:"
            raw = self.ask(prompt).strip()
            value = raw or default
            ok = check(value)
            if ok is True:
                return value
            self.say(f"{ok}.")

    def ask_meta(self, root: Path, component: str, reviewers: list[str], paths: list[str]) -> tuple[str, list[str], list[str]]:
        component = self.ask_text("Component under review", component, check_component)
        reviewers_text = self.ask_text("Reviewers, comma-separated", ", ".join(reviewers), check_reviewers)
        paths_text = self.ask_text("Subject paths, relative to the repo root, comma-separated",
                                   ", ".join(paths), make_check_paths(root))
        return component.strip(), split_list(reviewers_text), split_list(paths_text)

    def policy_line(self, loaded: "LoadedTree") -> None:
        t = loaded.tree
        self.say(f"Policy: {t.title} ({t.id} {t.version}).")

    def begin(self, loaded: "LoadedTree", root: Path, in_git: bool, tree_ref: str | None,
              meta: tuple[str, list[str], list[str]], prefill: "Prefill | None" = None) -> "Session":
        from wizard.review.session import Meta

        session = _session_class().start(loaded, root, in_git, Meta(*meta), tree_ref=tree_ref, prefill=prefill)
        from wizard.review.lifecycle import start_warnings

        for warning in start_warnings(root, in_git, session.meta.reviewers, session.meta.paths, loaded.tree):
            self.say(f"Warning: {warning}.")
        self.session = session
        session.save_draft()
        self.policy_line(loaded)
        if prefill:
            self.previous = prefill.previous
            self.say("Re-review: each question announces the earlier answer; Enter alone keeps it.")
            if prefill.redo:
                self.say(f"{len(prefill.redo)} question(s) changed since that review and must be answered again: "
                         + ", ".join(prefill.redo) + ".")
        target = self.target(session)
        if target.exists():
            self.say(f"Note: {self.rel(target)} already exists and will not be overwritten; "
                     "you can choose another path at the end.")
        return session

    def target(self, session: "Session") -> Path:
        from wizard.attestation.model import default_path

        return self.out or default_path(session.root, session.meta.component)

    # -- the path --------------------------------------------------------------------------------------
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

    def longest_from(self, qid: str, seen: frozenset[str] = frozenset()) -> int:
        """Questions on the longest route from ``qid`` to an end (the 'about N' estimate)."""
        if qid in self._longest:
            return self._longest[qid]
        q = self.session.tree.question_map.get(qid) if self.session else None
        if q is None or qid in seen:
            return 0
        n = 1 + max((self.longest_from(c.next, seen | {qid}) for c in q.choices), default=0)
        self._longest[qid] = n
        return n

    def total(self, session: "Session") -> int:
        path = session.path()
        if session.complete or not path:
            return len(path)
        return len(path) - 1 + self.longest_from(path[-1].id)

    def ask_question(self, session: "Session", q: "Question") -> None:
        """Print the question once, then read lines until it is answered (or the team moves away)."""
        number = session.position + 1
        area = q.area if q.area != self.last_area else ""  # the area is announced when it changes
        self.last_area = q.area
        self.say("")
        self.say(f"Question {number} of about {max(number, self.total(session))}" + (f" — {area}" if area else ""))
        self.say(q.text)
        for i, c in enumerate(q.choices, 1):
            self.say(f"{i} {c.label}", indent="  ")
        n = len(q.choices)
        stale = q.id in session.redo
        default = None if stale else session.answers.get(q.id)
        dnum = next((i for i, c in enumerate(q.choices, 1) if c.id == default), None)
        if stale:
            before = self.previous.get(q.id)
            self.say("This question changed since the last review; answer it again"
                     + (f" (previously: {before})." if before else "."))
        elif dnum:
            self.say(f"Earlier answer: {dnum} {q.choices[dnum - 1].label}.")
        existing = session.notes.get(q.id, "")
        if existing:
            self.say(f"Note: {existing}")
        note: str | None = None  # None: keep the note as it is
        prompt = f"Answer 1 to {n}" + (f" (Enter keeps {dnum}):" if dnum else ":")
        while True:
            raw = self.ask(prompt).strip()
            key = raw.lower()
            if key == "" and dnum:
                key = str(dnum)
            if key.isdigit() and 1 <= int(key) <= n:
                choice = q.choices[int(key) - 1]
                try:
                    session.deferred = True  # the draft is written once the next prompt is shown
                    session.answer(choice.id, note)
                except AuthreadyError as exc:
                    self.say(exc.message)
                    note = None
                    continue
                finally:
                    session.deferred = False
                kept = session.notes.get(q.id)
                self.say(f"→ {key} {short(choice.label)}" + (" (with your note)" if kept and note is not None else ""))
                return
            if key == "h":
                self.show_help(session, q)
            elif key == "n":
                note = self.ask_note(q, existing if note is None else note)
            elif key == "b":
                if session.back():
                    return
                self.say("This is the first question; there is nothing before it.")
            elif key == "o":
                self.overview(session)
            elif key.startswith("g") and key[1:].strip().isdigit():
                target = int(key[1:].strip())
                last = len(session.path())
                if 1 <= target <= last:
                    session.position = target - 1
                    return
                self.say(f"Type g and a question number from 1 to {last}.")
            elif key == "?":
                self.say(KEYS)
            else:
                self.say(f"Type a number from 1 to {n}.")

    def ask_note(self, q: "Question", current: str) -> str | None:
        """Read a note; one that looks like a credential is refused (the Session's check) and asked again."""
        from wizard.attestation.model import note_field
        from wizard.infra.secrets import refuse_secrets

        while True:
            if current:
                raw = self.ask(f'Note (now: "{current}"; Enter keeps it, a single - removes it):').strip()
            else:
                raw = self.ask("Note (Enter alone adds none):").strip()
            if not raw:
                return None if not current else current
            if raw == "-":
                self.say("The note will be removed when you answer.")
                return ""
            try:
                refuse_secrets([(note_field(q.text), raw)])
            except AuthreadyError as exc:
                self.say(exc.message)
                continue
            self.say("Note kept; it is recorded with your answer.")
            return raw

    def show_help(self, session: "Session", q: "Question") -> None:
        self.say(f"Why it matters: {q.help}")
        if q.refs:
            self.say("References:")
            for ref in q.refs:
                title = session.tree.references.get(ref)
                self.say(f"  - {ref}: {title}" if title else f"  - {ref}", indent="    ")

    def overview(self, session: "Session") -> None:
        self.say("Questions on this path:")
        for i, q in enumerate(session.path(), 1):
            cid = None if q.id in session.redo else session.answers.get(q.id)
            c = q.choice(cid) if cid else None
            answer = c.label if c else "not answered yet"
            here = " (this question)" if i == session.position + 1 else ""
            self.say(f"  {i} {q.text} — {answer}{here}", indent="    ")
        self.say("Type g and a number to go back to that question, for example g 1.")

    # -- the end ---------------------------------------------------------------------------------------
    def finish(self, session: "Session") -> int | None:
        """Verdict first, then findings and remediation, then the save. None: back to the last question."""
        from wizard.attestation.model import TIMESTAMP, review_clock

        reviewed_at = self.reviewed_at or review_clock().strftime(TIMESTAMP)
        dirty = [] if session.allow_dirty else session.uncommitted()
        if dirty:
            self.say("")
            self.say(f"Uncommitted changes under the subject paths: {', '.join(dirty[:10])}"
                     + (f" and {len(dirty) - 10} more" if len(dirty) > 10 else "") + ".")
            self.say("The attestation binds the committed code (HEAD), not these changes.")
            while True:
                raw = self.ask("Bind the committed version anyway? [y/N] (b back; "
                               "Enter quits so you can commit first; the draft is kept)").strip().lower()
                if raw in ("y", "yes"):
                    session.allow_dirty = True
                    break
                if raw in ("", "n", "no"):
                    self.say(f"Nothing written; the draft is kept in {self.draft_path()}.")
                    return EXIT_OK
                if raw == "b":
                    return None
                self.say("Type y to bind HEAD, n to quit, or b to go back.")
        att = session.attestation(reviewed_at)  # checks metadata and secrets; nothing written yet
        v = att.verdict
        blockers = [f for f in v.findings if f.severity.value == "blocker"]
        warnings = [f for f in v.findings if f.severity.value == "warning"]
        self.say("")
        self.say(f"Verdict: {v.label}. {_plural(len(blockers), 'blocker')}, {_plural(len(warnings), 'warning')}.")
        from wizard.review.lifecycle import signer_gap

        gap = signer_gap(v.required_signers, att.review.reviewers)
        if gap:
            self.say(f"Warning: {gap}.")
        for word, fs in (("Blocker", blockers), ("Warning", warnings)):
            for f in fs:
                self.say(f"{word}: {f.title} (from {', '.join(f.raised_by)}).", indent="  ")
        if v.remediation:
            self.say("Remediation:")
            for i, step in enumerate(v.remediation, 1):
                self.say(f"  {i}. {step}", indent="     ")
        target = self.target(session)
        while True:
            if session.supersedes(target):
                from wizard.review.lifecycle import supersede_summary

                self.say(f"This re-review replaces {self.rel(target)}. What changes:")
                for line in supersede_summary(target, att):
                    self.say(f"- {line}", indent="  ")
                raw = self.ask(f"Replace {self.rel(target)}? [y/N] (n saves elsewhere, b back, q quit)").strip().lower()
                if raw == "b":
                    return None
                if raw == "q":
                    self.say(f"Nothing written; the draft is kept in {self.draft_path()}.")
                    return EXIT_OK
                if raw in ("y", "yes"):
                    path = session.save(target, reviewed_at, supersede=True)
                    self.say(f"{v.label}: wrote {self.rel(path)} (supersedes the previous review; its signatures "
                             "were removed)")
                    self.say(f"next: authready sign {self.rel(path)}")
                    return EXIT_OK
                session.replaces = None  # save elsewhere: fall through to a new path
                continue
            if target.exists():
                suggestion = _free_name(target)
                self.say(f"{self.rel(target)} already exists (it may be signed) and is never overwritten.")
                raw = self.ask(f"Save to another path [{self.rel(suggestion)}] (Enter keeps it; "
                               "b back, q quit):").strip()
                if raw.lower() == "b":
                    return None
                if raw.lower() == "q":
                    self.say(f"Nothing written; the draft is kept in {self.draft_path()}.")
                    return EXIT_OK
                if raw:
                    problem = _check_new_file(self.cwd)(raw)
                    if problem is not True:
                        self.say(f"{problem}.")
                        continue
                    target = _as_path(raw, self.cwd)
                else:
                    target = suggestion
                continue
            raw = self.ask(f"Save to {self.rel(target)}? [Y/n] (r references, b back)").strip().lower()
            if raw == "b":
                return None
            if raw in ("n", "no", "q"):
                self.say(f"Nothing written; the draft is kept in {self.draft_path()}.")
                return EXIT_OK
            if raw == "r":
                self.say("References:" if v.references else "No references.")
                for ref in v.references:
                    title = session.tree.references.get(ref)
                    self.say(f"  - {ref}: {title}" if title else f"  - {ref}", indent="    ")
                self.say("They are recorded in the attestation too.")
                continue
            if raw not in ("", "y", "yes"):
                self.say("Type y to save, n to quit without saving (the draft is kept), r for the references, "
                         "or b to go back to the last question.")
                continue
            if target.exists():
                continue
            path = session.save(target, reviewed_at)
            self.say(f"{v.label}: wrote {self.rel(path)}")
            self.say(f"next: authready sign {self.rel(path)}")
            return EXIT_OK

    def draft_path(self) -> str:
        from wizard.infra.workspace import draft_path

        if self.session is None:
            return "the draft"
        return self.rel(draft_path(self.session.root, self.session.tree.id))


def _session_class():
    """A Session whose draft write after an answer can wait until the next prompt is on the screen.

    The draft (two fsyncs) is the slowest part of an answer; line mode shows the next question
    first and writes the draft right after, before it reads another line (and on Ctrl+C).
    """
    from wizard.review.session import Session

    class LineSession(Session):
        deferred = False
        pending = False

        def save_draft(self) -> Path:
            if self.deferred:
                self.pending = True
                return workspace.draft_path(self.root, self.tree.id)
            path = super().save_draft()
            self.pending = False  # only once written: Ctrl+C in the middle of it writes it again
            return path

        def flush_draft(self) -> None:
            if self.pending:
                self.save_draft()

    return LineSession


def short(label: str, limit: int = 16) -> str:
    """An answer's label for the confirmation: up to its first colon, else its first words, then "…"."""
    head, colon, _ = label.partition(":")
    if colon and len(head) <= limit:
        return head + ": …"
    if len(label) <= limit + 6:
        return label
    cut = label[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;.")
    return cut + " …"


def literal_lines(text: str) -> list[str]:
    """Lines of ``text`` with control characters shown visibly (tabs become spaces)."""
    return [literal(line.replace("\t", "    ")) for line in text.split("\n")]


def _as_path(raw: str, base: Path) -> Path:
    p = Path(raw.strip()).expanduser()
    return p if p.is_absolute() else base / p


def _free_name(target: Path) -> Path:
    """``name-2.toml``, ``name-3.toml``…: the first that does not exist."""
    stem = target.stem
    for i in range(2, 1000):
        candidate = target.with_name(f"{stem}-{i}{target.suffix or '.toml'}")
        if not candidate.exists():
            return candidate
    raise AuthreadyError(f"no free file name beside {target}; give --out")


def run_line(
    *,
    tree_ref: str | None = None,
    from_attestation: Path | None = None,
    out: Path | None = None,
    cwd: Path | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    reviewed_at: str | None = None,
    width: int | None = None,
) -> int:
    """Run a review in line mode; returns the exit code (0 saved or quit, 2 input ended, 130 Ctrl+C)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    err = stderr or sys.stderr
    here = (cwd or Path.cwd()).resolve()
    root, in_git = workspace.repo_context(cwd)
    from_attestation = _resolve(from_attestation, cwd)
    out = _resolve(out, cwd)
    if tree_ref and cwd is not None and workspace.looks_like_path(tree_ref):
        tree_ref = str(_resolve(Path(tree_ref), cwd))
    review = LineReview(stdin, stdout, err, width=width or terminal_width(stdout), cwd=here,
                        out=out, reviewed_at=reviewed_at)
    try:
        tree_file = _tree_file(tree_ref) if from_attestation is None else None
        tree_id = workspace.peek_tree_id(tree_file) if tree_file is not None else None
        peeked = _peek_draft(root, tree_id) if tree_id is not None else None
        if tree_id is not None and peeked is not False:
            loader = _TreeLoader(tree_ref, review.first_prompt)  # loads while the team types
            review.intro()
            session = None
            if peeked is not None and review.confirm_resume(*peeked):
                session = review.resume(loader.result(), root, in_git)
            if session is None:
                meta = review.ask_meta(root, *_meta_defaults(root, in_git))
                session = review.begin(loader.result(), root, in_git, tree_ref, meta)
        else:
            loaded, prefill, tree_ref = _load(tree_ref, from_attestation, root)
            review.intro()
            session = None
            from wizard.review.session import load_draft

            draft = load_draft(root, loaded.tree.id)
            if draft is not None and review.confirm_resume(draft.component, len(draft.answers)):
                session = review.resume(loaded, root, in_git)
            if session is None:
                defaults = ((prefill.meta.component, prefill.meta.reviewers, prefill.meta.paths)
                            if prefill else _meta_defaults(root, in_git))
                meta = review.ask_meta(root, *defaults)
                session = review.begin(loaded, root, in_git, tree_ref, meta, prefill)
        try:
            return review.run(session)
        finally:
            review.flush()
    except KeyboardInterrupt:
        try:
            review.flush_draft()
        except (AuthreadyError, OSError):
            pass
        _print_stop(err, stdout, "interrupted", review)
        return EXIT_INTERRUPTED
    except _EndOfInput:
        _print_stop(err, stdout, "input ended before the review was finished", review)
        return EXIT_USAGE


def _print_stop(err: TextIO, stdout: TextIO, why: str, review: LineReview) -> None:
    s = review.session
    if s is None:
        msg = (f"authready: {why}; nothing was written. To record a review without prompts, "
               "use `authready review --answers FILE`.")
    else:
        n = len(s.answers)
        msg = (f"authready: {why}; nothing was written. {_plural(n, 'answer')} kept in the draft "
               f"{review.draft_path()}: run `authready review --plain` to resume.")
    try:
        review.flush()
    except (OSError, ValueError):
        pass
    print(msg, file=err, flush=True)
