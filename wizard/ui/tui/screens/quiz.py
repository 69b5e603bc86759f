"""The quiz (``authready learn --quiz``): a situation from the tree's scenarios, "what is the verdict?"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wizard.ui.tui.text import join, literal
from wizard.ui.tui.widgets.choice import ChoiceLabel
from wizard.ui.tui.widgets.footer import KeyFooter
from wizard.ui.tui.widgets.verdict import OUTCOME_CLASSES, SEVERITY_MARK

if TYPE_CHECKING:
    from wizard.policy.quiz import Feedback, Quiz, Situation


def situation_text(s: Situation) -> Text:
    """The answers on the situation's path, as the team gave them."""
    out = Text("The team answered:\n", style="bold")
    for area, question, answer in s.steps:
        out.append("\n• ")
        out.append(literal(question))
        out.append("\n  → ")
        out.append(literal(answer or "", "italic"))
    for line in s.not_asked:  # questions an answer made moot
        out.append("\n• ")
        out.append(literal(line, "dim"))
    return out


def feedback_text(fb: Feedback) -> Text:
    """Right or wrong, the right verdict and why: reasons, findings with their answers, references."""
    out = Text()
    if fb.correct:
        out.append(f"✓ Right: {fb.right.label}\n", style="bold")
    else:
        out.append(f"✗ Not quite: you said {fb.guess.label}; the verdict is {fb.right.label}\n", style="bold")
    for reason in fb.reasons:
        out.append("\n")
        out.append(literal(reason))
    if fb.findings:
        out.append("\n\nFindings\n", style="underline")
        for severity, title, raised in fb.findings:
            out.append("\n")
            out.append(SEVERITY_MARK[severity], style="bold")
            out.append(" ")
            out.append(literal(title))
            for by in raised:
                out.append("\n  raised by: ", style="italic")
                out.append(literal(by))
    if fb.references:
        out.append("\n\nReferences\n", style="underline")
        for ref, title in fb.references:
            out.append("\n• ")
            out.append(literal(ref, "bold"))
            if title:
                out.append(" — ")
                out.append(literal(title))
    return out


class QuizScreen(Screen[None]):
    """One situation at a time; 1-4 guess the verdict, Enter (or n) moves on; nothing is recorded."""

    BINDINGS = [
        Binding("1", "guess(1)", "Guess", key_display="1-4"),
        *[Binding(str(n), f"guess({n})", show=False) for n in range(2, 5)],
        Binding("n", "next", "Next situation"),
        Binding("pagedown", "scroll(1)", "More", key_display="PgDn", priority=True),
        Binding("pageup", "scroll(-1)", "Back up", key_display="PgUp", priority=True, show=False),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, quiz: Quiz) -> None:
        super().__init__()
        self.quiz = quiz
        """The round: its situations, the current one, the score."""

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        with Horizontal(id="quiz-body"):
            with VerticalScroll(id="quiz-left", can_focus=False):
                yield Static(id="quiz-situation")
            with VerticalScroll(id="quiz-right", can_focus=False):
                yield Static(Text("What is the verdict?", style="bold"), id="quiz-ask")
                yield OptionList(id="quiz-choices")
                yield Static(id="quiz-feedback")
        yield KeyFooter()

    def on_mount(self) -> None:
        from wizard.policy.quiz import CHOICES

        self.query_one("#quiz-choices", OptionList).add_options(
            Option(ChoiceLabel(str(i), Text(o.label)), id=o.value) for i, o in enumerate(CHOICES, 1)
        )
        self.show_situation()

    def _topbar(self) -> None:
        q = self.quiz
        t = q.loaded.tree
        where = f"situation {min(q.index + 1, q.total)} of {q.total}" if not q.done else "round over"
        self.query_one("#topbar", Static).update(
            join("authready · quiz · ", literal(t.title), f" · {where} · score {q.score}/{q.answered}")
        )

    def show_situation(self) -> None:
        q = self.quiz
        self._topbar()
        feedback = self.query_one("#quiz-feedback", Static)
        feedback.remove_class(*OUTCOME_CLASSES)
        feedback.display = False
        choices = self.query_one("#quiz-choices", OptionList)
        s = q.current
        if s is None:
            self.query_one("#quiz-situation", Static).update(
                Text(f"Round over: {q.score} of {q.answered} right. Press q to quit.", style="bold"))
            self.query_one("#quiz-ask").display = False
            choices.display = False
            self.refresh_bindings()
            return
        self.query_one("#quiz-situation", Static).update(situation_text(s))
        choices.highlighted = 0
        choices.focus()
        for pane in self.query(VerticalScroll):
            pane.scroll_home(animate=False)
        self.refresh_bindings()

    def action_guess(self, number: int) -> None:
        from wizard.policy.quiz import CHOICES

        if self.quiz.current is None or self.quiz.last is not None or not 1 <= number <= len(CHOICES):
            return
        fb = self.quiz.guess(CHOICES[number - 1])
        feedback = self.query_one("#quiz-feedback", Static)
        feedback.update(feedback_text(fb))
        feedback.add_class(f"outcome-{fb.right.value}")
        feedback.display = True
        self._topbar()
        self.refresh_bindings()
        self.query_one("#quiz-right", VerticalScroll).scroll_home(animate=False)

    @on(OptionList.OptionSelected, "#quiz-choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.quiz.last is not None:
            self.action_next()
        else:
            self.action_guess(event.option_index + 1)

    def action_next(self) -> None:
        if self.quiz.last is None:
            return
        self.quiz.next()
        self.show_situation()

    def action_scroll(self, direction: int) -> None:
        # Before a guess PgDn pages the situation; after it, the explanation.
        body = self.query_one("#quiz-left" if self.quiz.last is None else "#quiz-right", VerticalScroll)
        (body.scroll_page_down if direction > 0 else body.scroll_page_up)(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "guess":
            return self.quiz.current is not None and self.quiz.last is None
        if action == "next":
            return self.quiz.last is not None
        return True
