"""Plain mode: the same review as the Textual app, asked as line prompts with questionary.

For screen readers, slow SSH links and terminals where a full-screen app is
awkward. ``authready review --plain`` asks the start questions (component,
reviewers, subject paths; the same defaults as the Textual app), then each
question on the path, then prints the verdict and writes the attestation.

Everything that decides something lives in :class:`wizard.review.session.Session`
(routing, pruning abandoned branches, the draft, the writer); this module only
asks and prints. So the same answers give byte-identical attestations here, in
the Textual app and with ``review --answers``, and a review started in one
front-end resumes in the other (the draft is ``.authready/drafts/<tree>.toml``).

Keys, on every question: the number keys (or arrows) and Enter pick an answer;
``h`` shows why the question matters and its references, ``n`` adds a note to
the answer, ``b`` goes back one question. Ctrl+C stops and keeps the draft
(exit 130); input ending (Ctrl+D, a closed pipe) stops with a message, writes
nothing, keeps the draft (exit 2).

Speed: importing this module imports neither questionary nor pydantic. On a
first review (no --from, no draft in the repo) the first prompt is shown as
soon as questionary is imported and git has named the defaults; the tree
(pydantic validation of a large TOML file) is loaded by a background thread
that starts once that prompt is drawn, while the team types.
``bench/bench_plain.py`` measures the time to the first prompt.

Tests drive it with ``input=create_pipe_input()`` and ``output=DummyOutput()``
and read what it prints from ``stream``.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from wizard.infra import workspace
from wizard.infra.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, AuthreadyError

if TYPE_CHECKING:  # pragma: no cover
    from wizard.review.session import Prefill, Session
    from wizard.policy.tree import LoadedTree, Question

# Values of the action entries in a question's list (choice ids match ^[a-z0-9]..., so no clash).
HELP = "<help>"
NOTE = "<note>"
BACK = "<back>"
SAVE = "<save>"
SAVE_AS = "<save-as>"
SUPERSEDE = "<supersede>"
QUIT = "<quit>"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def literal(text: str) -> str:
    """Tree text is data: show control characters (terminal escapes) visibly instead of obeying them."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


# -- lazy questionary ------------------------------------------------------------------------------


def _questionary():
    # No cursor-position queries: a terminal that does not answer them stalls each prompt ~1 s.
    # prompt_toolkit reads this when it draws; set it before the import, and only if the user has not.
    os.environ.setdefault("PROMPT_TOOLKIT_NO_CPR", "1")
    import questionary  # here, not at module level: headless imports and tests stay light

    return questionary


def _width() -> int:
    return max(20, shutil.get_terminal_size((80, 24)).columns)


def wrap(text: str, first: int = 0, indent: int = 0, width: int | None = None) -> str:
    """``text`` wrapped at word boundaries so the terminal never splits a word at the margin.

    ``first``: columns already taken on the first line (the ``? `` prefix, a pointer); ``indent``:
    spaces before each continuation line.
    """
    width = (width or _width()) - 1
    out: list[str] = []
    for para in text.split("\n"):
        lines = textwrap.wrap(
            " " * first + para, width=width, subsequent_indent=" " * indent,
            break_long_words=False, break_on_hyphens=False,
        ) or [""]
        lines[0] = lines[0][first:]
        out += lines
        first = indent
    return "\n".join(out)


class _EndOfInput(Exception):
    """The input ended (EOF) in the middle of the review."""


# -- the prompts ------------------------------------------------------------------------------------


class Prompts:
    """Thin wrapper over questionary: one place for input/output and for Ctrl+C / EOF behaviour."""

    def __init__(self, input: Any = None, output: Any = None) -> None:
        #: Set once the first prompt has been drawn (the background tree loader waits for it).
        self.first_drawn = threading.Event()
        self.kwargs: dict[str, Any] = {}
        if input is not None:
            self.kwargs["input"] = input
        if output is not None:
            self.kwargs["output"] = output

    def _ask(self, question) -> Any:
        if not self.first_drawn.is_set():
            question.application.after_render += lambda _app: self.first_drawn.set()
        try:
            return question.unsafe_ask()
        except EOFError:
            raise _EndOfInput from None

    def text(self, message: str, default: str = "", validate=None, instruction: str | None = None) -> str:
        q = _questionary()
        kw: dict[str, Any] = dict(self.kwargs)
        if validate is not None:
            kw["validate"] = validate
        if instruction:
            kw["instruction"] = instruction
        return self._ask(q.text(wrap(literal(message), 2, 2), default=default, **kw))

    def confirm(self, message: str, default: bool = True) -> bool:
        q = _questionary()
        return bool(self._ask(q.confirm(wrap(literal(message), 2, 2), default=default, **self.kwargs)))

    def select(self, message: str, choices: list[tuple[str, str, str | None]], default: str | None = None) -> str:
        """``choices``: (value, title, shortcut key or None for automatic); a value None is a separator."""
        q = _questionary()
        items: list[Any] = []
        for value, title, key in choices:
            if value is None:
                items.append(q.Separator(title or "-" * 15))
            else:
                # " » 1) " comes before the title: continuation lines line up under its first word.
                items.append(q.Choice(title=wrap(literal(title), 6, 6), value=value, shortcut_key=key if key else True))
        values = [v for v, _, _ in choices if v is not None]
        shortcuts = len(values) <= 30
        instruction = "(Use shortcuts or arrow keys)" if shortcuts else "(Use arrow keys)"
        text = wrap(literal(message), 2, 2)
        last = text.rsplit("\n", 1)[-1]
        if (2 if last == text else 0) + len(last) + 1 + len(instruction) >= _width():
            text += "\n "  # the instruction on a line of its own rather than split at the margin
        question = q.select(
            text,
            instruction=instruction,
            choices=items,
            default=default if default in values else None,
            use_shortcuts=shortcuts,
            use_arrow_keys=True,
            use_jk_keys=False,
            **self.kwargs,
        )
        return self._ask(question)


# -- validation of the start answers ---------------------------------------------------------------


def split_list(text: str) -> list[str]:
    """``"a, b ,,c"`` -> ``["a", "b", "c"]``."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _secret_problem(label: str, text: str) -> str | None:
    from wizard.infra.secrets import scan

    f = scan(text)
    if f is None:
        return None
    return f"{label} looks like it contains {f.kind} ({f.masked}); remove it (attestations are committed)"


def check_component(text: str) -> bool | str:
    if not text.strip():
        return "give the name of the component under review"
    return _secret_problem("the component", text) or True


def check_reviewers(text: str) -> bool | str:
    if not split_list(text):
        return "name at least one reviewer (e.g. alice@example.com)"
    return _secret_problem("a reviewer", text) or True


def make_check_paths(root: Path):
    def check_paths(text: str) -> bool | str:
        from wizard.infra.git import normalise_path

        for raw in split_list(text):
            try:
                p = normalise_path(raw)
            except AuthreadyError as exc:
                return exc.message
            if not (root / p).exists():
                return f"{p!r} does not exist under {root}"
        return _secret_problem("a path", text) or True

    return check_paths


def check_note(text: str) -> bool | str:
    return _secret_problem("the note", text) or True


# -- the review ---------------------------------------------------------------------------------------


def _resolve(p: Path | None, cwd: Path | None) -> Path | None:
    if p is None or cwd is None or p.is_absolute():
        return p
    return cwd / p


class PlainReview:
    """One plain-mode run: start questions, the path, the verdict, the save."""

    def __init__(
        self,
        prompts: Prompts,
        stream: TextIO,
        err: TextIO,
        *,
        out: Path | None = None,
        reviewed_at: str | None = None,
    ) -> None:
        self.ui = prompts
        self.stream = stream
        self.err = err
        self.out = out
        self.reviewed_at = reviewed_at
        self.session: Session | None = None
        self.previous: dict[str, str] = {}

    def say(self, text: str = "") -> None:
        print(literal(text), file=self.stream, flush=True)

    # -- start -------------------------------------------------------------------------------------
    def intro(self) -> None:
        self.say("authready review, plain mode. Pick answers with the number keys or arrows and Enter; "
                 "h: why it matters, n: add a note, b: back. Ctrl+C stops; your answers are kept.")

    def offer_draft(self, loaded: "LoadedTree", root: Path, in_git: bool) -> "Session | None":
        """If this tree has a draft (from either front-end), offer to resume it."""
        from wizard.review.session import load_draft

        draft = load_draft(root, loaded.tree.id)
        if draft is None or not self.confirm_resume(draft.component, len(draft.answers)):
            return None
        return self.resume(loaded, root, in_git)

    def confirm_resume(self, component: str, n: int) -> bool:
        what = component or "an unnamed component"
        return self.ui.confirm(f"Resume the unfinished review of {what} ({n} answer{'s' if n != 1 else ''})?", True)

    def resume(self, loaded: "LoadedTree", root: Path, in_git: bool) -> "Session":
        from wizard.review.session import Session, load_draft

        draft = load_draft(root, loaded.tree.id)
        if draft is None:
            raise AuthreadyError("the draft disappeared while starting; run the review again")
        session = self.session = Session.from_draft(loaded, root, in_git, draft)
        self.policy_line(loaded)
        self.say(f"Resuming {draft.component or 'an unnamed component'} at question {session.position + 1}.")
        return session

    def ask_meta(self, root: Path, component: str, reviewers: list[str], paths: list[str]) -> tuple[str, list[str], list[str]]:
        """The start questions, with defaults; each answer is checked at the prompt."""
        component = self.ui.text("Component under review:", component, check_component)
        reviewers_text = self.ui.text("Reviewers (comma-separated):", ", ".join(reviewers), check_reviewers)
        paths_text = self.ui.text(
            "Subject paths (relative to the repo root, comma-separated):", ", ".join(paths), make_check_paths(root)
        )
        return component.strip(), split_list(reviewers_text), split_list(paths_text)

    def policy_line(self, loaded: "LoadedTree") -> None:
        t = loaded.tree
        self.say(f"Policy: {t.title} ({t.id} {t.version})")

    def begin(
        self,
        loaded: "LoadedTree",
        root: Path,
        in_git: bool,
        tree_ref: str | None,
        meta: tuple[str, list[str], list[str]],
        prefill: "Prefill | None" = None,
    ) -> "Session":
        """A new session from the start answers (and ``--from``); the draft is saved at once."""
        from wizard.review.session import Meta, Session

        session = Session.start(loaded, root, in_git, Meta(*meta), tree_ref=tree_ref, prefill=prefill)
        from wizard.review.lifecycle import start_warnings

        for warning in start_warnings(root, in_git, session.meta.reviewers, session.meta.paths, loaded.tree):
            self.say(f"Warning: {warning}.")
        self.session = session
        session.save_draft()  # Ctrl+C from here on keeps the start answers too
        self.policy_line(loaded)
        if prefill:
            self.previous = prefill.previous
            if prefill.redo:
                self.say(f"{len(prefill.redo)} question(s) changed since that review and must be answered again: "
                         + ", ".join(prefill.redo))
        target = self.target(session)
        if target.exists():
            self.say(f"Note: {target} already exists and will not be overwritten; you can choose another path at the end.")
        return session

    def target(self, session: "Session") -> Path:
        from wizard.attestation.model import default_path

        return self.out or default_path(session.root, session.meta.component)

    # -- the path ----------------------------------------------------------------------------------
    def run(self, session: "Session") -> int:
        self.session = session
        area = None
        while True:
            q = session.current()
            if q is None:
                result = self.finish(session)
                if result is None:
                    session.back()
                    continue
                return result
            if q.area and q.area != area:
                self.say("")
                self.say(f"== {q.area} ==")
            area = q.area
            self.ask(session, q)

    def ask(self, session: "Session", q: "Question") -> None:
        """Ask one question until it is answered (or the team steps back)."""
        note: str | None = None
        existing = session.notes.get(q.id, "")
        stale = q.id in session.redo
        default = None if stale else session.answers.get(q.id)
        number = session.position + 1
        if stale:
            before = self.previous.get(q.id)
            self.say(f"Question {number} changed since the last review; answer it again"
                     + (f" (previously: {before})." if before else "."))
        while True:
            current_note = existing if note is None else note
            message = f"{number}. {q.text}"
            if current_note:
                message += f"  [note: {current_note}]"
            choices: list[tuple[str | None, str, str | None]] = [(c.id, c.label, None) for c in q.choices]
            choices.append((None, "", None))
            choices.append((HELP, "Why this matters (help and references)", "h"))
            choices.append((NOTE, "Edit the note" if current_note else "Add a note to this answer", "n"))
            if session.position > 0:
                choices.append((BACK, "Back to the previous question", "b"))
            picked = self.ui.select(message, choices, default=default)
            if picked == HELP:
                self.show_help(session, q)
                default = HELP
                continue
            if picked == NOTE:
                note = self.ui.text("Note (Enter on an empty line to clear):", current_note, check_note)
                default = NOTE
                continue
            if picked == BACK:
                session.back()
                return
            session.answer(picked, note)
            return

    def show_help(self, session: "Session", q: "Question") -> None:
        self.say("")
        self.say(f"Why this matters: {q.help}")
        if q.refs:
            self.say("References:")
            for ref in q.refs:
                title = session.tree.references.get(ref)
                self.say(f"  - {ref}: {title}" if title else f"  - {ref}")
        self.say("")

    # -- the end -------------------------------------------------------------------------------------
    def finish(self, session: "Session") -> int | None:
        """Show the verdict and save. None: the team went back to change an answer."""
        from wizard.attestation.model import TIMESTAMP, review_clock
        from wizard.render.verdict import verdict_text

        reviewed_at = self.reviewed_at or review_clock().strftime(TIMESTAMP)
        dirty = [] if session.allow_dirty else session.uncommitted()
        if dirty:
            self.say(f"Uncommitted changes under the subject paths: {', '.join(dirty[:10])}"
                     + (f" and {len(dirty) - 10} more" if len(dirty) > 10 else "") + ".")
            self.say("The attestation binds the committed code (HEAD), not these changes.")
            picked = self.ui.select(
                "Bind the committed version?",
                [(SAVE, "Bind HEAD as it is and continue", "y"),
                 (QUIT, "Quit without saving: commit first, then resume (the draft is kept)", "q")],
                default=QUIT,
            )
            if picked != SAVE:
                self.say(f"Nothing written; the draft is kept in {self.draft_path()}.")
                return EXIT_OK
            session.allow_dirty = True
        att = session.attestation(reviewed_at)  # checks metadata, secrets; nothing written yet
        self.say("")
        self.say(verdict_text(att).rstrip("\n"))
        self.say("")
        from wizard.review.lifecycle import signer_gap

        gap = signer_gap(att.verdict.required_signers, att.review.reviewers)
        if gap:
            self.say(f"Warning: {gap}.")
        target = self.target(session)
        while True:
            choices: list[tuple[str | None, str, str | None]] = []
            if session.supersedes(target):
                from wizard.review.lifecycle import supersede_summary

                self.say(f"This re-review replaces {target}. What changes:")
                for line in supersede_summary(target, att):
                    self.say(f"  - {line}")
                choices.append((SUPERSEDE, f"Replace {target} with this review (supersede)", "r"))
                choices.append((SAVE_AS, "Save to another path", "a"))
            elif target.exists():
                self.say(f"{target} already exists (it may be signed) and is never overwritten: move it away, "
                         "or save somewhere else.")
                choices.append((SAVE, f"Save to {target} (after moving the old file away)", "s"))
                choices.append((SAVE_AS, "Save to another path", "a"))
            else:
                choices.append((SAVE, f"Save the attestation to {target}", "s"))
            choices.append((BACK, "Back to the last question", "b"))
            choices.append((QUIT, "Quit without saving (the draft is kept)", "q"))
            picked = self.ui.select(f"Verdict: {att.verdict.label}. Save it?", choices, default=SAVE)
            if picked == BACK:
                return None
            if picked == QUIT:
                self.say(f"Nothing written; the draft is kept in {self.draft_path()}.")
                return EXIT_OK
            if picked == SUPERSEDE:
                path = session.save(target, reviewed_at, supersede=True)
                self.say(f"{att.verdict.label}: wrote {path} (supersedes the previous review; its signatures were removed)")
                self.say(f"next: authready sign {path}")
                return EXIT_OK
            if picked == SAVE_AS:
                raw = self.ui.text("Save the attestation to (relative to the repo root):", "",
                                   _check_new_file(session.root))
                target = _as_path(raw, session.root)
            if target.exists():
                continue
            path = session.save(target, reviewed_at)
            self.say(f"{att.verdict.label}: wrote {path}")
            self.say(f"next: authready sign {path}")
            return EXIT_OK

    def draft_path(self) -> Path | str:
        from wizard.review.session import draft_path

        if self.session is None:
            return "the draft"
        return draft_path(self.session.root, self.session.tree.id)


def _as_path(raw: str, root: Path) -> Path:
    p = Path(raw.strip()).expanduser()
    return p if p.is_absolute() else root / p


def _check_new_file(root: Path):
    def check(text: str) -> bool | str:
        if not text.strip():
            return "give a file path (relative to the repo root)"
        p = _as_path(text, root)
        if p.exists():
            return f"{p} exists; choose a new file"
        if p.suffix != ".toml":
            return "attestations are TOML files: end the name with .toml"
        return True

    return check


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
    """Run a review with line prompts; returns the exit code.

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
    root, in_git = workspace.repo_context(cwd)
    from_attestation = _resolve(from_attestation, cwd)
    out = _resolve(out, cwd)
    if tree_ref and cwd is not None and workspace.looks_like_path(tree_ref):
        tree_ref = str(_resolve(Path(tree_ref), cwd))

    prompts = Prompts(input, output)
    review = PlainReview(prompts, stream, err, out=out, reviewed_at=reviewed_at)
    try:
        tree_file = _tree_file(tree_ref) if from_attestation is None else None
        tree_id = workspace.peek_tree_id(tree_file) if tree_file is not None else None
        peeked = _peek_draft(root, tree_id) if tree_id is not None else None
        if tree_id is not None and peeked is not False:
            # The usual start: ask the first question at once and load the tree (pydantic
            # validation of a large file) in the background meanwhile.
            loader = _TreeLoader(tree_ref, prompts.first_drawn)
            review.intro()
            session = None
            if peeked is not None and review.confirm_resume(*peeked):
                session = review.resume(loader.result(), root, in_git)
            if session is None:
                meta = review.ask_meta(root, *_meta_defaults(root, in_git))
                session = review.begin(loader.result(), root, in_git, tree_ref, meta)
        else:
            # --from, or something unusual (an unreadable draft, a tree found another way): load first.
            loaded, prefill, tree_ref = _load(tree_ref, from_attestation, root)
            review.intro()
            session = review.offer_draft(loaded, root, in_git)
            if session is None:
                defaults = (
                    (prefill.meta.component, prefill.meta.reviewers, prefill.meta.paths)
                    if prefill
                    else _meta_defaults(root, in_git)
                )
                meta = review.ask_meta(root, *defaults)
                session = review.begin(loaded, root, in_git, tree_ref, meta, prefill)
        return review.run(session)
    except KeyboardInterrupt:
        print(_stopped("interrupted", review), file=err, flush=True)
        return EXIT_INTERRUPTED
    except _EndOfInput:
        print(_stopped("input ended before the review was finished", review), file=err, flush=True)
        return EXIT_USAGE


# -- the fast start: no pydantic before the first prompt ------------------------------------------------


def _meta_defaults(root: Path, in_git: bool) -> tuple[str, list[str], list[str]]:
    """The start questions' defaults (the same as the Textual app's), as ``ask_meta`` takes them."""
    m = workspace.default_meta(root, in_git)
    return m.component, m.reviewers, m.paths


def _tree_file(ref: str | None) -> Path | None:
    """The tree file to load, found without parsing it; None when unsure (then the slow path reports)."""
    try:
        path = workspace.tree_file(ref)
    except AuthreadyError:
        return None
    return path if path.is_file() else None


def _peek_draft(root: Path, tree_id: str) -> tuple[str, int] | None | Literal[False]:
    """(component, number of answers) of this tree's draft; None: no draft; False: unreadable (the core reports)."""
    import tomllib

    path = workspace.draft_path(root, tree_id)
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        component, answers = data.get("component", ""), data.get("answers", {})
        if not isinstance(component, str) or not isinstance(answers, dict):
            return False
        return component, len(answers)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


class _TreeLoader:
    """Loads the tree in a background thread, once the first prompt is on screen (so it never delays it)."""

    def __init__(self, tree_ref: str | None, start_after: threading.Event) -> None:
        self.tree_ref = tree_ref
        self._start_after = start_after
        self._loaded: LoadedTree | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="authready-tree-loader", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self._start_after.wait(timeout=2.0)
        try:
            from wizard.policy.tree import resolve_tree

            self._loaded = resolve_tree(self.tree_ref)
            import wizard.review.session  # noqa: F401  (the session comes next)
        except BaseException as exc:  # re-raised in the main thread
            self._error = exc

    def result(self) -> "LoadedTree":
        self._start_after.set()
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._loaded is not None
        return self._loaded


def _load(
    tree_ref: str | None, from_attestation: Path | None, root: Path
) -> tuple["LoadedTree", "Prefill | None", str | None]:
    """The tree (and what ``--from`` brings, and the tree it names), loaded before any prompt."""
    from wizard.review.session import attestation_tree_ref, prefill_from
    from wizard.policy.tree import resolve_tree

    att = None
    if from_attestation is not None:
        from wizard.attestation.model import load

        att, _ = load(from_attestation)
        if tree_ref is None:
            tree_ref = attestation_tree_ref(att, root)
    loaded = resolve_tree(tree_ref)
    return loaded, (prefill_from(att, loaded, from_attestation) if att is not None else None), tree_ref


def _stopped(why: str, review: PlainReview) -> str:
    s = review.session
    if s is None:
        return f"authready: {why}; nothing was written."
    n = len(s.answers)
    return (
        f"authready: {why}; nothing was written. {n} answer{'s' if n != 1 else ''} kept in the draft "
        f"{review.draft_path()}: run `authready review --plain` (or `authready review`) to resume."
    )
