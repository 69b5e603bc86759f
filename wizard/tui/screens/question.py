"""One question at a time: choices, a note, why it matters, where we are, what it does."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wizard.errors import AuthreadyError
from wizard.tui.text import join, literal
from wizard.tui.widgets.choice import ChoiceLabel
from wizard.tui.widgets.footer import KeyFooter
from wizard.tui.widgets.place import PlaceBar
from wizard.tui.widgets.verdict import VerdictPanel

if TYPE_CHECKING:
    from wizard.review import Session
    from wizard.tree import Question, Tree
    from wizard.tui.app import ReviewApp


def why_text(q: "Question", tree: "Tree") -> Text:
    """The help text and the references (with their titles) of a question."""
    out = join(literal(q.help))
    if q.refs:
        out.append("\n\nReferences:")
        for ref in q.refs:
            out.append("\n• ")
            out.append(literal(ref, "bold"))
            title = tree.references.get(ref)
            if title:
                out.append(" — ")
                out.append(literal(title))
    return out


class QuestionScreen(Screen):
    """Shows the session's current question; answering, going back and notes go through the session."""

    app: "ReviewApp"

    BINDINGS = [
        Binding("1", "pick(1)", "Answer", key_display="1-9"),
        *[Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)],
        Binding("enter", "answer", "Answer highlighted", key_display="⏎", show=False),
        Binding("b", "back", "Back"),
        Binding("w", "toggle_why", "Why"),
        Binding("n", "note", "Note"),
        Binding("f", "forward", "Next unanswered"),
    ]

    def __init__(self, session: "Session") -> None:
        super().__init__()
        self.session = session
        """The review being answered; shared with the app and the summary."""
        self.question: "Question | None" = None
        """The question on screen."""

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield PlaceBar(id="place")
        with Horizontal(id="body"):
            with VerticalScroll(id="left"):
                yield Static(id="question")
                yield Static(id="stale", classes="notice")
                yield OptionList(id="choices")
                yield Input(id="note", placeholder="Note (optional; n)")
                yield Static(id="why")
            yield VerdictPanel(id="verdict")
        yield KeyFooter()

    def on_mount(self) -> None:
        tree = self.session.tree
        self.query_one("#topbar", Static).update(
            join("authready · ", literal(tree.title), f" v{tree.version} · ", literal(self.session.meta.component))
        )
        self.query_one("#why").border_title = "Why this matters (w)"
        for field in self.query(Input):
            field.cursor_blink = getattr(self.app, "input_cursor_blink", True)

    def on_screen_resume(self) -> None:
        self.query_one("#why").display = self.app.show_why
        self.show_question()

    # -- rendering ------------------------------------------------------------------------------
    def show_question(self) -> None:
        """Render the current question (after an answer, back, or resume)."""
        s = self.session
        q = s.current()
        if q is None:
            self.app.show_summary()
            return
        self.question = q
        path = s.path()
        position = min(s.position, len(path) - 1)
        self.query_one(PlaceBar).show_place(path, position, s.redo, s.tree)

        heading = Text()
        if q.area:
            heading.append(literal(q.area.upper(), "bold"))
            heading.append("\n")
        heading.append(literal(q.text, "bold"))
        self.query_one("#question", Static).update(heading)

        previous = s.answers.get(q.id)
        stale = q.id in s.redo
        notice = self.query_one("#stale", Static)
        if stale:
            prev = q.choice(previous) if previous else None
            notice.update(
                join(
                    "! Changed since the last review: answer again.",
                    join(" Previously: ", literal(prev.label)) if prev else "",
                )
            )
        notice.display = stale

        options = []
        highlight = 0
        for i, c in enumerate(q.choices):
            label = literal(c.label)
            if c.id == previous:
                highlight = i
                label.append("  (previous answer)" if stale else "  ✓ current answer", style="italic")
            options.append(Option(ChoiceLabel(str(i + 1) if i < 9 else "", label), id=c.id))
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options(options)
        choices.highlighted = highlight

        self.query_one("#note", Input).value = s.notes.get(q.id, "")
        self.query_one("#why", Static).update(why_text(q, s.tree))
        self.query_one(VerdictPanel).show_verdict(s.verdict())
        self.query_one("#left", VerticalScroll).scroll_home(animate=False)
        choices.focus()

    # -- answering -----------------------------------------------------------------------------
    def answer(self, choice_id: str) -> None:
        """Record ``choice_id`` (with the note) for the question on screen and move on."""
        if self.question is None:
            return
        note = self.query_one("#note", Input).value
        try:
            self.session.answer(choice_id, note)
        except AuthreadyError as exc:  # a credential-looking note: refused, nothing kept or written
            self.notify(exc.message, severity="error", markup=False, timeout=10)
            self.query_one("#note", Input).focus()
            return
        self.show_question()

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.answer(event.option.id)

    @on(Input.Submitted, "#note")
    def _note_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_answer()

    def action_pick(self, number: int) -> None:
        """Answer with choice ``number`` (1-based)."""
        if self.question is not None and 1 <= number <= len(self.question.choices):
            self.answer(self.question.choices[number - 1].id)

    def action_answer(self) -> None:
        """Answer with the highlighted choice."""
        choices = self.query_one("#choices", OptionList)
        if self.question is not None and choices.highlighted is not None:
            self.answer(self.question.choices[choices.highlighted].id)

    # -- moving ---------------------------------------------------------------------------------
    def action_back(self) -> None:
        """The previous question; from the first, back to the start screen."""
        self.stash_note()
        if self.session.back():
            self.show_question()
        else:
            self.app.pop_screen()

    def action_forward(self) -> None:
        """Skip ahead over answered questions to the first unanswered (or the summary)."""
        self.stash_note()
        self.session.resume_position()
        self.show_question()

    def action_toggle_why(self) -> None:
        """Show or hide the help and references."""
        why = self.query_one("#why")
        why.display = not why.display
        self.app.show_why = bool(why.display)

    def action_note(self) -> None:
        """Put the cursor in the note field (Enter there answers with the highlighted choice)."""
        self.query_one("#note", Input).focus()

    def stash_note(self) -> None:
        """Keep a typed note for the question on screen even if it is not answered yet."""
        if self.question is None:
            return
        value = self.query_one("#note", Input).value.strip()
        if value:
            self.session.notes[self.question.id] = value
        elif self.question.id not in self.session.answers:
            self.session.notes.pop(self.question.id, None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick" and self.question is not None and parameters:
            return int(parameters[0]) <= len(self.question.choices)  # type: ignore[arg-type]
        return True
