"""Plain mode: the same review as the Textual app, asked as line prompts with questionary.

For screen readers, slow SSH links and terminals where a full-screen app is
awkward. ``authready review --plain`` lists this tree's drafts to resume,
asks the start fields (component, reviewers, subject paths; the same
defaults and rules as the Textual app), then each question on the path, then
prints the verdict and writes the attestation. The flow is
:class:`wizard.ui.plain.flow.PlainFlow`, shared with line mode; this module
only asks (menus, via :mod:`wizard.ui.plain.prompts`) and prints.

Keys, on every question: the number keys (or arrows) and Enter pick an answer
(on a select-all question, a checkbox: Space or the number checks each answer
that applies, Enter confirms; an answer that stands alone, or nothing checked,
is refused with a line under the list until fixed);
``h`` shows why the question matters and its references, ``n`` adds a note to
the answer, ``o`` the overview of every answer on the path (with notes,
findings and changes since ``--from``; then type a number or words from a
question to jump there), ``b`` goes back one question. Ctrl+C stops and keeps
the draft (exit 130); input ending (Ctrl+D, a closed pipe) stops with a
message, writes nothing, keeps the draft (exit 2).

Speed: importing this module imports neither questionary nor pydantic; the
first prompt is drawn before the tree is loaded (``wizard.ui.plain.boot``).
``bench/bench_plain.py`` measures the time to the first prompt. Tests drive
it with ``input=create_pipe_input()`` and ``output=DummyOutput()`` and read
what it prints from ``stream``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from wizard.render.escape import block
from wizard.ui.plain.flow import BACK, BIND, CANCEL, ELSEWHERE, QUIT, REPLACE, RESUME, SAVE, Check, PlainFlow
from wizard.ui.plain.prompts import Choices, Prompts
from wizard.ui.plain.select import labels, selected_ids, selection_problem
from wizard.ui.plain.text import as_path, new_file_problem
from wizard.ui.plain.views import note_problem, stale_line, verdict_notes

if TYPE_CHECKING:  # pragma: no cover
    from wizard.attestation.model import Attestation
    from wizard.policy.tree import Question
    from wizard.review.drafts import DraftInfo
    from wizard.review.session import Session

# Values of the action entries in a question's list (choice ids match ^[a-z0-9]..., so no clash).
HELP, NOTE, GO, NEW = "<help>", "<note>", "<overview>", "<new>"
_BACK, _QUIT = (BACK, "Back to the last question", "b"), (QUIT, "Quit without saving (the draft is kept)", "q")


class PlainReview(PlainFlow):
    """One plain-mode run: the shared flow, asked with questionary menus."""

    FIELD_LABELS = ("Component under review:", "Reviewers (comma-separated):",
                    "Subject paths (relative to the repo root, comma-separated):")
    WHY = "Why this matters"
    CONFIRM_OTHER_PATH = False  # the path was typed: save there

    def __init__(self, prompts: Prompts, stream: TextIO, err: TextIO, *, cwd: Path, out: Path | None = None,
                 reviewed_at: str | None = None) -> None:
        super().__init__(out=out, reviewed_at=reviewed_at, cwd=cwd)
        self.first_prompt = prompts.first_drawn
        self.ui = prompts
        self.stream = stream
        self.err = err
        self.area: str | None = None
        self.label = ""  # the verdict's label, for the save menus

    def say(self, text: str = "", indent: str = "") -> None:
        print(block(text), file=self.stream, flush=True)

    def intro(self) -> None:
        self.say("authready review, plain mode. Pick answers with the number keys or arrows and Enter "
                 "(where several apply: Space or the number checks each, Enter confirms); "
                 "h: why it matters, n: add a note, o: every answer (jump to a question), b: back. "
                 "Ctrl+C stops; your answers are kept.")

    def stopped(self, why: str) -> None:
        print(self.stop_message(why, "`authready review --plain` (or `authready review`)"), file=self.err, flush=True)

    # -- the start -----------------------------------------------------------------------------------
    def ask_field(self, label: str, default: str, check: Check) -> str:
        return self.ui.text(label, default, check)

    def ask_default(self, label: str, default: str, check: Check) -> str:
        """Not pre-filled: the default is shown in brackets and an empty line takes it."""
        return self.ui.text(f"{label} [{default}]:", "", lambda text: check(text.strip() or default)).strip() or default

    def ask_draft(self, drafts: list["DraftInfo"]) -> "DraftInfo | None":
        if len(drafts) == 1:
            return drafts[0] if self.ui.confirm(f"Resume the unfinished review of {self.draft_text(drafts[0])}?") else None
        choices: Choices = [(str(i), self.draft_text(d), None) for i, d in enumerate(drafts)]
        choices += [(None, "", None), (NEW, "Start a new review", "n")]
        picked = self.ui.select("Resume an unfinished review of this policy?", choices, default="0")
        return None if picked == NEW else drafts[int(picked)]

    def ask_existing_draft(self, info: "DraftInfo") -> str:
        return self.ui.select("Resume it, replace it, or cancel?", [
            (RESUME, "Resume that draft", None),
            (REPLACE, "Replace it with a new review (its answers are lost)", None),
            (CANCEL, "Cancel: back to the start fields", None),
        ], default=RESUME)

    # -- the path ------------------------------------------------------------------------------------
    def ask_question(self, session: "Session", q: "Question") -> None:
        """Ask one question until it is answered (or the team moves elsewhere on the path).

        A select-all question is a checkbox (Space or a number checks, Enter confirms); its
        actions are keys listed under it. Either way the earlier answer comes pre-selected.
        """
        if q.area and q.area != self.area:
            self.say("")
            self.say(f"== {q.area} ==")
        self.area = q.area
        note: str | None = None
        earlier = None if q.id in session.redo else session.answers.get(q.id)
        default = earlier if isinstance(earlier, str) else None
        checked = list(selected_ids(q, earlier))
        number = session.position + 1
        stale = stale_line(session, q, self.previous, f"Question {number}")
        if stale:
            self.say(stale)
        while True:
            current_note = session.notes.get(q.id, "") if note is None else note
            message = f"{number}. {q.text}" + (f"  [note: {current_note}]" if current_note else "")
            actions = [(HELP, "Why this matters (help and references)", "h"),
                       (NOTE, "Edit the note" if current_note else "Add a note to this answer", "n"),
                       (GO, "Overview (go to a question)", "o")]
            if session.position > 0:
                actions.append((BACK, "Back to the previous question", "b"))
            picked: str | list[str]
            if q.many:
                action, checked = self.ui.checkbox(message, [(c.id, c.label) for c in q.choices], checked, actions,
                                                   lambda ids: selection_problem(q, ids), pointed=default)
                picked, default = action or checked, action  # after an action the pointer comes back to it
            else:
                choices: Choices = [(c.id, c.label, None) for c in q.choices]
                choices += [(None, "", None)] + [(v, title, key) for v, title, key in actions]
                picked = default = self.ui.select(message, choices, default=default)
            if picked == HELP:
                self.say("")
                self.show_help(session, q)
                self.say("")
            elif picked == NOTE:
                note = self.ui.text("Note (Enter on an empty line to clear):", current_note,
                                    lambda text: note_problem(q, text))
            elif picked == GO:
                self.overview(session)
                query = self.ui.text("Go to question (a number or words from it; Enter stays here):")
                if query.strip() and self.go_to(session, query):
                    return
            elif picked == BACK:
                session.back()
                return
            else:
                before = session.verdict()
                session.answer(picked, note)
                if isinstance(picked, list):  # the checkbox's own line says only "done (2 selections)"
                    self.say("→ " + "; ".join(labels(q, picked)))
                self.tell_news(session, before)
                return

    # -- the end -------------------------------------------------------------------------------------
    def show_verdict(self, att: "Attestation") -> None:
        from wizard.render.verdict import verdict_text

        self.label = att.verdict.label
        self.say("")
        self.say(verdict_text(att).rstrip("\n"))
        notes = verdict_notes(self.session.verdict()) if self.session is not None else []
        if notes:  # caps and moot questions: the attestation records neither, the verdict shows both
            self.say("")
            for line in notes:
                self.say(line)
        self.say("")
        self.signer_warning(att)

    def ask_bind_head(self) -> str:
        picked = self.ui.select("Bind the committed version?", [
            (BIND, "Bind HEAD as it is and continue", "y"),
            (QUIT, "Quit without saving: commit first, then resume (the draft is kept)", "q"),
        ], default=QUIT)
        return picked

    def ask_supersede(self, target: Path) -> str:
        return self.ui.select(f"Verdict: {self.label}. Save it?", [
            (REPLACE, f"Replace {target} with this review (supersede)", "r"),
            (ELSEWHERE, "Save to another path", "a"), _BACK, _QUIT,
        ])

    def ask_other_path(self, target: Path) -> "Path | str":
        picked = self.ui.select(f"Verdict: {self.label}. Save it?", [
            (SAVE, f"Save to {target} (after moving the old file away)", "s"),
            (ELSEWHERE, "Save to another path", "a"), _BACK, _QUIT,
        ], default=SAVE)
        if picked != ELSEWHERE:
            return target if picked == SAVE else picked
        root = self.session.root if self.session else self.cwd
        raw = self.ui.text("Save the attestation to (relative to the repo root):", "",
                           lambda text: new_file_problem(text, root))
        return as_path(raw, root)

    def ask_save(self, target: Path, att: "Attestation") -> str:
        return self.ui.select(f"Verdict: {self.label}. Save it?", [
            (SAVE, f"Save the attestation to {target}", "s"), _BACK, _QUIT,
        ], default=SAVE)


def run_plain(
    *,
    tree_ref: str | None = None,
    from_attestation: Path | None = None,
    out: Path | None = None,
    input: Any = None,
    output: Any = None,
    cwd: Path | None = None,
    stream: TextIO | None = None,
    err: TextIO | None = None,
    reviewed_at: str | None = None,
) -> int:
    """Run a review with questionary prompts; returns the exit code.

    ``input``/``output`` go to prompt_toolkit (a pipe input and ``DummyOutput``
    in tests); ``stream`` receives everything printed, ``err`` the stop messages
    (default: ``stream`` if given, else stderr). ``cwd`` stands in for the
    working directory: the repo is found from it and relative paths start there.
    ``reviewed_at`` fixes the clock (else ``SOURCE_DATE_EPOCH``, else now).

    Exit codes: 0 saved (or quit at the verdict, draft kept); 130 Ctrl+C
    (draft kept); 2 input ended (draft kept) or a user error.
    """
    stream = stream or sys.stdout
    err = err or (stream if stream is not sys.stdout else sys.stderr)
    here = cwd or Path.cwd()
    review = PlainReview(Prompts(input, output), stream, err, cwd=here, reviewed_at=reviewed_at,
                         out=out if out is None or out.is_absolute() else here / out)
    return review.review(tree_ref, from_attestation, cwd)
