"""One question at a time: choices, a note, why it matters, where we are, what it does.

The screen shows the session's current question and changes the review only
through the session's methods. When the walk ends it posts
:class:`QuestionScreen.Finished`; the app opens the summary.

A one-answer question lists its choices (1-9 or Enter answers at once); a select-all
question lists them with boxes (``SelectAllList``: space or 1-9 toggles, Enter
confirms), since answering at the first key would let a team record one fact of two.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, OptionList, Static

from wizard.infra.errors import AuthreadyError
from wizard.ui.tui.screens.question_note import NoteScreen
from wizard.ui.tui.text import join, literal, why_text
from wizard.ui.tui.view import ViewOptions
from wizard.ui.tui.widgets.choice import ChoiceList
from wizard.ui.tui.widgets.footer import KeyFooter
from wizard.ui.tui.widgets.note import NoteInput
from wizard.ui.tui.widgets.place import PlaceBar
from wizard.ui.tui.widgets.select_all import SelectAllList, empty_text
from wizard.ui.tui.widgets.verdict import VerdictPanel

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from wizard.policy.engine import AnswerValue
    from wizard.policy.tree import Question
    from wizard.review.session import Session


NARROW = 90
"""Below this many columns the live verdict moves under the choices."""


class QuestionScreen(NoteScreen):
    """Shows the session's current question; answering, going back and notes go through the session."""

    AUTO_FOCUS = ""
    """No focus on compose: ``show_question`` focuses the choices once they are filled in, without
    scrolling (an automatic focus would scroll the half-built column to centre the list)."""

    BINDINGS = [
        Binding("1", "pick(1)", "Answer", key_display="1-9"),
        *[Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)],
        *[Binding(str(n), f"toggle_answer({n})", show=False) for n in range(1, 10)],  # select-all (the list says)
        Binding("enter", "answer", "Answer highlighted", key_display="⏎", show=False),
        Binding("b", "back", "Back"),
        Binding("w", "toggle_why", "Why"),
        Binding("n", "note", "Note"),
        Binding("f", "forward", "Next open"),
        Binding("o", "overview", "Overview"),
        Binding("p", "presenter", "Present"),
        Binding("pagedown", "scroll(1)", "More", key_display="PgDn", priority=True),
        Binding("pageup", "scroll(-1)", "Back up", key_display="PgUp", priority=True, show=False),
    ]

    NOTE_ACTIONS = {"pick", "toggle_answer", "answer", "back", "toggle_why", "note", "forward", "overview",
                    "presenter", "scroll"}
    """Actions hidden (and off) while the note field has focus: its keys type into the note."""

    class Finished(Message):
        """The walk has ended (every question on the path answered): time for the summary."""

    def __init__(self, session: Session, view: ViewOptions,
                 prefilled: Mapping[str, AnswerValue] | None = None) -> None:
        super().__init__()
        self.session = session
        """The review being answered; shared with the app and the summary."""
        self.view = view
        """Presenter mode and the "why" panel: the app's, so they outlast this screen."""
        self.prefilled: Mapping[str, AnswerValue] = prefilled or {}
        """The answers a re-review started from (``--from``): the overview marks what differs."""
        self.question: Question | None = None
        """The question on screen."""

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield PlaceBar(id="place")
        yield Static(id="question")
        with Horizontal(id="body"):
            with VerticalScroll(id="left", can_focus=False):
                yield Static(id="stale", classes="notice")
                yield ChoiceList(id="choices")
                yield SelectAllList(id="choices-many")
                yield Static(id="select-hint")
                yield NoteInput(id="note", placeholder="Note (n; Enter keeps it, Esc cancels)",
                                cursor_blink=self.view.cursor_blink)
                yield VerdictPanel(id="verdict-inline")
                yield Static(id="why")
            yield VerdictPanel(id="verdict")
        yield KeyFooter()

    def on_mount(self) -> None:
        tree = self.session.tree
        self.query_one("#topbar", Static).update(
            join("authready · ", literal(tree.title), f" v{tree.version} · ", literal(self.session.meta.component))
        )
        self.query_one("#why").border_title = "Why this matters (w · PgDn scrolls)"
        self._fit(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    footer_hidden: frozenset[str] = frozenset()
    """Actions the footer leaves out at this width (their keys still work)."""

    def _fit(self, width: int) -> None:
        narrow = width < NARROW
        if self.has_class("-narrow") != narrow:
            self.set_class(narrow, "-narrow")
        hidden = {"presenter", "forward"} if width < 70 else {"presenter"} if width < NARROW else set()
        if width < 70 and self.question is not None and self.question.many:
            hidden.add("overview")  # room for the select-all keys (confirm, toggle) and Quit
        if frozenset(hidden) != self.footer_hidden or not hasattr(self, "_fitted"):
            self._fitted = True
            self.footer_hidden = frozenset(hidden)
            footer = self.query_one(KeyFooter)
            footer.compact = narrow
            self.refresh_bindings()

    def on_screen_resume(self) -> None:
        self._present(self.view.presenter)
        self.show_question()

    def _present(self, on: bool) -> None:
        self.set_class(on, "-presenter")
        self.query_one("#why").display = self.view.show_why and not on

    # -- rendering ------------------------------------------------------------------------------
    def show_question(self) -> None:
        """Render the current question (after an answer, back, a jump, or resume)."""
        from wizard.policy.engine import path_cap

        s = self.session
        q = s.current()
        if q is None:
            self.post_message(self.Finished())
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
        before = (previous,) if isinstance(previous, str) else previous or ()
        stale = q.id in s.redo
        notice = self.query_one("#stale", Static)
        if stale:
            labels = [c.label for c in q.choices if c.id in before]
            notice.update(
                join(
                    "! Changed since the last review: answer again.",
                    join(" Previously: ", literal("; ".join(labels))) if labels else "",
                )
            )
        notice.display = stale

        one = self.query_one("#choices", ChoiceList)
        many = self.query_one("#choices-many", SelectAllList)
        one.display, many.display = not q.many, q.many
        self._fit(self.app.size.width)
        self.query_one("#select-hint", Static).display = False
        if q.many:
            many.show_choices(q, before)
        else:
            one.show_choices(q, previous if isinstance(previous, str) else None, stale)
        choices = self.choices

        note = self.query_one("#note", Input)
        note.value = s.notes.get(q.id, "")
        note.border_subtitle = ""
        note.remove_class("-refused")
        self.query_one("#why", Static).update(why_text(q, s.tree))
        verdict = s.verdict()
        cap = path_cap(s.tree, verdict.walk)
        for panel in self.query(VerdictPanel):
            panel.show_verdict(verdict, cap)
        self.query_one("#left", VerticalScroll).scroll_home(animate=False)
        choices.focus(scroll_visible=False)  # the column starts at its top; the highlight keeps itself in view

    # -- answering -----------------------------------------------------------------------------
    def answer(self, choice_id: str | Sequence[str]) -> None:
        """Record ``choice_id`` (the ids selected, for a select-all question) with the note, and move on."""
        if self.question is None:
            return
        note = self.query_one("#note", Input).value
        try:
            self.session.answer(choice_id, note)
        except AuthreadyError as exc:  # a credential-looking note: refused, nothing kept or written
            self._refused(exc)
            return
        self.show_question()

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.answer(event.option.id)

    @on(SelectAllList.Confirmed)
    def _confirmed(self, event: SelectAllList.Confirmed) -> None:
        """Enter on a select-all question: answer with the selection; an empty one is not an answer."""
        event.stop()
        if self.question is None:
            return
        if not event.selected:
            self._hint(empty_text(self.question), error=True)
            return
        self.answer(list(event.selected))

    @on(SelectAllList.Notice)
    def _notice(self, event: SelectAllList.Notice) -> None:
        event.stop()
        self._hint(event.text, error=event.error)

    def _hint(self, text: Text | None, *, error: bool) -> None:
        """Say something about the selection under the list (what a toggle cleared, why Enter did nothing);
        None hides what was said."""
        hint = self.query_one("#select-hint", Static)
        hint.display = text is not None
        if text is None:
            return
        hint.update(text)
        hint.set_class(error, "-error")
        self.call_after_refresh(hint.scroll_visible, animate=False)

    def action_pick(self, number: int) -> None:
        """Answer with choice ``number`` (1-based)."""
        if self.question is not None and 1 <= number <= len(self.question.choices):
            self.answer(self.question.choices[number - 1].id)

    def action_toggle_answer(self, number: int) -> None:
        """Toggle answer ``number`` (1-based) of a select-all question."""
        self.query_one("#choices-many", SelectAllList).toggle_number(number)

    def action_answer(self) -> None:
        """Answer with the highlighted choice (a select-all question: confirm the selection)."""
        choices = self.choices
        if isinstance(choices, SelectAllList):
            choices.action_confirm()
        elif self.question is not None and choices.highlighted is not None:
            self.answer(self.question.choices[choices.highlighted].id)

    # -- moving ---------------------------------------------------------------------------------
    def action_back(self) -> None:
        """The previous question; from the first, back to the start screen."""
        self.stash_note()
        if self.session.back():
            self.show_question()
        else:
            self.dismiss()

    def action_forward(self) -> None:
        """Skip ahead over answered questions to the first unanswered (or the summary)."""
        self.stash_note()
        self.session.resume_position()
        self.show_question()

    def action_overview(self) -> None:
        """Every question on the path with its answer; jump to any."""
        from wizard.ui.tui.screens.overview import OverviewScreen

        self.stash_note()
        overview = OverviewScreen(self.session, self.prefilled, cursor_blink=self.view.cursor_blink)
        self.app.push_screen(overview, self._jumped)

    def _jumped(self, number: int | None) -> None:
        """The overview closed: move to the question it picked (None: stay). The resume shows it."""
        if number is not None:
            self.session.go_to(number)

    def action_toggle_why(self) -> None:
        """Show or hide the help and references (shown: scrolled into view)."""
        why = self.query_one("#why")
        why.display = not why.display
        self.view.show_why = bool(why.display)
        if why.display and self.has_class("-presenter"):
            self._present(False)
            self.view.presenter = False
        if why.display:
            self.call_after_refresh(why.scroll_visible, animate=False)

    def action_scroll(self, direction: int) -> None:
        """Page the question column (the rationale and references) up or down."""
        left = self.query_one("#left", VerticalScroll)
        if direction > 0:
            left.scroll_page_down(animate=False)
        else:
            left.scroll_page_up(animate=False)

    def action_presenter(self) -> None:
        """Presenter mode: bigger question and verdict, no chrome; the keys still work."""
        self.view.presenter = not self.view.presenter
        self._present(self.view.presenter)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.focused
        if focused is not None and focused.id == "note" and action in self.NOTE_ACTIONS:
            return False
        if action in ("pick", "toggle_answer") and self.question is not None and parameters:
            number = parameters[0]  # the n of the binding's "pick(n)"
            wanted = self.question.many is (action == "toggle_answer")  # 1-9 answers, or toggles in a select-all list
            return wanted and isinstance(number, int) and number <= len(self.question.choices)
        return True
