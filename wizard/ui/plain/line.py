"""Line mode: the review as numbered line prompts, for screen readers, pipes and slow links.

``authready review --plain`` uses this mode when stdin or stdout is not a
terminal, when ``TERM=dumb``, when the ``ACCESSIBLE`` environment variable is
set (non-empty), or with ``--accessible``; otherwise plain mode is the
questionary prompts of :mod:`wizard.ui.plain.prompt`.

Each question is printed once: "Question 2 of about 24 — <area>", the text,
the numbered answers; then one line is read. A number answers (a select-all
question takes numbers separated by commas, ``1,3``, and names each mistake in
them in one sentence: a number it does not have, one typed twice, an answer
that stands alone typed with others); ``h`` why it
matters (with references), ``n`` a note, ``b`` back, ``o`` the questions on
the path with their answers, notes, findings and changes since ``--from``,
``g N`` (or ``g`` and words from a question) goes there, ``?`` the keys. A
blank or invalid line gets "Type a number from 1 to N." and the prompt again
(Enter alone answers only where a default was announced: the earlier answer
in a re-review or a resumed draft). After an answer comes a one-line
confirmation, never the question again, then what the answer capped ("At best
GO WITH CONDITIONS: …") and which questions it made moot ("Not asked: …").

No escape sequences, no redraws, no cursor queries: plain text wrapped at
word boundaries to the terminal width (80 when unknown), read with
``readline`` (no GNU readline, which would emit escapes). This module never
imports questionary or prompt_toolkit. The flow (drafts, start fields, the
save) is :class:`wizard.ui.plain.flow.PlainFlow`, shared with the prompts.
Input ending exits 2 and Ctrl+C exits 130; both keep the draft.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from wizard.infra.errors import AuthreadyError
from wizard.ui.plain.flow import CANCEL, REPLACE, RESUME, Check, EndOfInput
from wizard.ui.plain.line_end import LineEnd
from wizard.ui.plain.select import HOW, labels, numbers, parse_numbers, selected_ids
from wizard.ui.plain.text import isatty, short, terminal_width, wrap_block
from wizard.ui.plain.views import note_problem, stale_line

if TYPE_CHECKING:  # pragma: no cover
    from wizard.policy.tree import Question
    from wizard.review.drafts import DraftInfo
    from wizard.review.session import Session

KEYS = (
    "Type a number and Enter to answer (where several apply, numbers separated by commas). "
    "Other keys, each followed by Enter: "
    "h why the question matters, n add a note, b back one question, "
    "o every question on the path with its answer, g and a number (or words from a question) to go there, "
    "? these keys. Ctrl+C stops; your answers are kept in a draft."
)


def use_line_mode(accessible: bool = False, stdin: TextIO | None = None, stdout: TextIO | None = None) -> bool:
    """Whether ``review --plain`` should use line mode rather than questionary."""
    if accessible or os.environ.get("ACCESSIBLE", "") or os.environ.get("TERM", "") == "dumb":
        return True
    return not (isatty(stdin or sys.stdin) and isatty(stdout or sys.stdout))


class LineReview(LineEnd):
    """One line-mode run: the shared flow, asked as numbered lines."""

    RESUME_NOTE = " Enter alone keeps an earlier answer where one is announced."

    def __init__(self, stdin: TextIO, stdout: TextIO, err: TextIO, *, width: int, cwd: Path,
                 out: Path | None = None, reviewed_at: str | None = None) -> None:
        super().__init__(out=out, reviewed_at=reviewed_at, cwd=cwd)
        self.stdin = stdin
        self.stdout = stdout
        self.err = err
        self.width = width
        self._longest: dict[str, int] = {}
        self._out: list[str] = []
        self.last_area: str | None = None

    # -- output and input ----------------------------------------------------------------------------
    def say(self, text: str = "", indent: str = "") -> None:
        """Queue lines of text; they reach the terminal in one write with the next prompt (or ``flush``)."""
        self._out.append("\n".join(wrap_block(text, self.width, indent)) + "\n")

    def flush(self) -> None:
        if self._out:
            self.stdout.write("".join(self._out))
            self._out.clear()
        self.stdout.flush()

    def ask(self, prompt: str) -> str:
        """Write the prompt (wrapped; the cursor stays after its last line) and read one line."""
        self._out.append("\n".join(wrap_block(prompt, self.width)) + " ")
        self.flush()
        self.first_prompt.set()
        if self.session is not None:
            self.session.flush_draft()  # every answer is on disk before the next line is read
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            self.stdout.flush()
            raise EndOfInput
        if not (isatty(self.stdin) and isatty(self.stdout)):
            # Piped input is not echoed into the output: end the prompt's line so the transcript reads
            # well (the line itself is not echoed: it may be a refused credential).
            self.stdout.write("\n")
            self.stdout.flush()
        return line.rstrip("\r\n")

    def show(self, path: Path) -> str:
        """A path as the user would type it from where they are (relative when inside the repo or cwd)."""
        for base in (self.cwd, self.session.root if self.session else None):
            if base is None:
                continue
            try:
                path.resolve().relative_to(Path(base).resolve())
            except ValueError:
                continue
            return os.path.relpath(path.resolve(), self.cwd.resolve())
        return str(path)

    # -- the start -----------------------------------------------------------------------------------
    def intro(self) -> None:
        self.say("authready review, line mode. Each question is printed once with numbered answers.")
        self.say(KEYS)

    def stopped(self, why: str) -> None:
        if why == "interrupted" and self.session is not None:
            try:
                self.session.flush_draft()
            except (AuthreadyError, OSError):
                pass
        msg = self.stop_message(why, "`authready review --plain`",
                                " To record a review without prompts, use `authready review --answers FILE`.")
        try:
            self.flush()
        except (OSError, ValueError):
            pass
        print(msg, file=self.err, flush=True)

    def ask_field(self, label: str, default: str, check: Check) -> str:
        """The default is stated in words, never pre-filled; Enter keeps it."""
        return self.ask_checked(f"{label} [{default}] (Enter keeps it):" if default else f"{label}:", default, check)

    def ask_default(self, label: str, default: str, check: Check) -> str:
        return self.ask_checked(f"{label} [{default}]:", default, check)

    def ask_checked(self, prompt: str, default: str, check: Check) -> str:
        """Read until a line (blank: ``default``) passes ``check``; each refusal is one sentence."""
        while True:
            value = self.ask(prompt).strip() or default
            problem = check(value)
            if problem is None:
                return value
            self.say(f"{problem}.")

    def ask_draft(self, drafts: list["DraftInfo"]) -> "DraftInfo | None":
        if len(drafts) == 1:
            yes = {"": RESUME, "y": RESUME, "yes": RESUME, "n": CANCEL, "no": CANCEL}
            picked = self.pick(f"Resume the unfinished review of {self.draft_text(drafts[0])}? [Y/n]", yes,
                               "Type y to resume or n to start a new review.")
            return drafts[0] if picked == RESUME else None
        self.say("Unfinished reviews of this policy (drafts):")
        for i, info in enumerate(drafts, 1):
            self.say(f"{i} {self.draft_text(info)}", indent="  ")
        keys = {str(i): str(i) for i in range(1, len(drafts) + 1)} | {"": "1", "n": "", "no": ""}
        picked = self.pick(f"Resume 1 to {len(drafts)}, or n for a new review (Enter resumes 1):", keys,
                           f"Type a number from 1 to {len(drafts)}, or n to start a new review.")
        return drafts[int(picked) - 1] if picked else None

    def ask_existing_draft(self, info: "DraftInfo") -> str:
        self.say("1 Resume that draft", indent="  ")
        self.say("2 Replace it with a new review (its answers are lost)", indent="  ")
        self.say("3 Cancel: back to the start fields", indent="  ")
        keys = {"": RESUME, "1": RESUME, "2": REPLACE, "3": CANCEL}
        return self.pick("Choose 1 to 3 (Enter keeps 1):", keys, "Type 1 to resume, 2 to replace, 3 to cancel.")

    # -- the path --------------------------------------------------------------------------------------
    def longest_from(self, qid: str, seen: frozenset[str] = frozenset()) -> int:
        """Questions on the longest route from ``qid`` to an end (the 'about N' estimate)."""
        if qid in self._longest:
            return self._longest[qid]
        q = self.session.tree.question_map.get(qid) if self.session else None
        if q is None or qid in seen:
            return 0
        n = 1 + max((self.longest_from(r, seen | {qid}) for r in q.routes), default=0)
        self._longest[qid] = n
        return n

    def total(self, session: "Session") -> int:
        path = session.path()
        if session.complete or not path:
            return len(path)
        return len(path) - 1 + self.longest_from(path[-1].id)

    def ask_question(self, session: "Session", q: "Question") -> None:
        """Print the question once, then read lines until it is answered (or the team moves away).

        A select-all question takes numbers separated by commas; a mistake in them (a number it
        does not have, one typed twice, an answer that stands alone typed with others) is named
        in one sentence and the prompt comes again.
        """
        number = session.position + 1
        area = q.area if q.area != self.last_area else ""  # the area is announced when it changes
        self.last_area = q.area
        self.say("")
        self.say(f"Question {number} of about {max(number, self.total(session))}" + (f" — {area}" if area else ""))
        self.say(q.text)
        for i, c in enumerate(q.choices, 1):
            self.say(f"{i} {c.label}", indent="  ")
        n = len(q.choices)
        earlier = selected_ids(q, None if q.id in session.redo else session.answers.get(q.id))
        dnum = numbers(q, earlier)
        if q.many:
            self.say(HOW)
        stale = stale_line(session, q, self.previous, "This question")
        if stale:
            self.say(stale)
        elif dnum:
            self.say(f"Earlier answer: {dnum} {'; '.join(labels(q, earlier))}.")
        existing = session.notes.get(q.id, "")
        if existing:
            self.say(f"Note: {existing}")
        note: str | None = None  # None: keep the note as it is
        prompt = (f"Answers 1 to {n}, separated by commas" if q.many else f"Answer 1 to {n}") + (
            f" (Enter keeps {dnum}):" if dnum else ":")
        retry = f"Type numbers from 1 to {n}, separated by commas (e.g. 1,3)." if q.many else \
            f"Type a number from 1 to {n}."
        while True:
            raw = self.ask(prompt).strip()
            key = raw.lower() or dnum
            picked = parse_numbers(q, key) if q.many else (
                (q.choices[int(key) - 1].id,) if key.isdigit() and 1 <= int(key) <= n else None)
            if isinstance(picked, str):
                self.say(picked)
            elif picked is not None:
                before = session.verdict()
                try:  # the draft is written once the next prompt is shown
                    session.answer(list(picked) if q.many else picked[0], note, defer_draft=True)
                except AuthreadyError as exc:
                    self.say(exc.message)
                    note = None
                    continue
                kept = session.notes.get(q.id)
                self.say(f"→ {numbers(q, picked)} {'; '.join(short(label) for label in labels(q, picked))}"
                         + (" (with your note)" if kept and note is not None else ""))
                self.tell_news(session, before)
                return
            elif key == "h":
                self.show_help(session, q)
            elif key == "n":
                note = self.ask_note(q, existing if note is None else note)
            elif key == "b":
                if session.back():
                    return
                self.say("This is the first question; there is nothing before it.")
            elif key == "o":
                self.overview(session)
                self.say("Type g and a number (or words from a question) to go there, for example g 1.")
            elif key[:1] == "g" and (key[1:2] in ("", " ") or key[1:].isdigit()):
                if raw[1:].strip() and self.go_to(session, raw[1:]):
                    return
                self.say("Type g and a question number (or words from the question), for example g 1.")
            elif key == "?":
                self.say(KEYS)
            else:
                self.say(retry)

    def ask_note(self, q: "Question", current: str) -> str | None:
        """Read a note; one that looks like a credential is refused (the Session's check) and asked again."""
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
            problem = note_problem(q, raw)
            if problem:
                self.say(problem)
                continue
            self.say("Note kept; it is recorded with your answer.")
            return raw


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
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    err = stderr or sys.stderr
    here = (cwd or Path.cwd()).resolve()
    review = LineReview(stdin, stdout, err, width=width or terminal_width(stdout), cwd=here,
                        out=out if out is None or out.is_absolute() else here / out, reviewed_at=reviewed_at)
    try:
        return review.review(tree_ref, from_attestation, cwd)
    finally:
        review.flush()
