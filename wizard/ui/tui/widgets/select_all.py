"""A select-all question's answers: Textual's ``SelectionList``, numbered, wrapping, readable without colour.

Space (or the answer's number, or a click) toggles an answer; Enter confirms the
selection (:class:`SelectAllList.Confirmed`). An exclusive answer ("none of these",
"don't know") stands alone: selecting it clears the others, selecting another clears
it, and :class:`SelectAllList.Notice` says what was cleared.

Two changes to the stock widget: each answer is a :class:`ChoiceLabel` (number, then
the label wrapping under itself, as one-answer questions show them), and the box is
drawn as ``[x]`` / ``[ ]`` on the answer's first line only. The stock widget takes
every screen line for an answer of its own (textual#5326) and tells a selected box
from an empty one by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from wizard.ui.tui.text import join, literal
from wizard.ui.tui.widgets.choice import ChoiceLabel, FollowsHighlight

if TYPE_CHECKING:
    from collections.abc import Sequence

    from wizard.policy.tree import Choice, Question

BOX = {True: "[x]", False: "[ ]"}
"""The box before an answer: selected or not, readable without colour (and by a screen reader)."""


def quoted(choices: Sequence[Choice]) -> Text:
    """``"A", "B"``: answers named in a sentence (tree text, shown literally)."""
    return Text(", ").join(join("\u201c", literal(c.label), "\u201d") for c in choices)


def empty_text(q: Question) -> Text:
    """What confirming nothing says: pick the answer that says none apply, if that is the truth."""
    none = next((c for c in q.choices if c.exclusive and not c.dont_know), None)
    if none is None:
        return Text("Nothing selected: select every answer that applies (at least one).")
    return join("Nothing selected: select every answer that applies, or ", quoted([none]),
                " if that is the truth.")


class SelectAllList(SelectionList[str], FollowsHighlight):
    """The answers of a ``select = "many"`` question; the box shows which are selected."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "select", "Toggle", key_display="␣"),
        Binding("enter", "confirm", "Confirm", key_display="⏎"),
    ]

    DEFAULT_CSS = """
    SelectAllList {
        text-wrap: wrap;
        & > .selection-list--button { color: $text-muted; background: transparent; }
        & > .selection-list--button-highlighted { color: $text-muted; background: transparent; }
        & > .selection-list--button-selected { color: $text-success; background: transparent; text-style: bold; }
        & > .selection-list--button-selected-highlighted {
            color: $text-success; background: transparent; text-style: bold;
        }
    }
    """

    @dataclass
    class Confirmed(Message):
        """Enter: the team confirms ``selected`` (choice ids in the question's order; may be empty)."""

        selection_list: SelectAllList
        selected: tuple[str, ...]

        @property
        def control(self) -> SelectAllList:
            return self.selection_list

    @dataclass
    class Notice(Message):
        """Something to tell the team about the selection (answers cleared, nothing selected); None: nothing
        (the last notice no longer applies)."""

        text: Text | None
        error: bool = False

    question: Question | None = None
    """The question whose answers are listed."""

    def show_choices(self, q: Question, previous: Sequence[str]) -> None:
        """List ``q``'s answers numbered 1-9, those in ``previous`` (an earlier selection) selected."""
        self.question = q
        self.clear_options()
        options: list[Selection[str]] = []
        for i, c in enumerate(q.choices):
            label = literal(c.label)
            if c.exclusive:
                label.append("  (stands alone)", style="italic")
            option = Selection(label, c.id, c.id in previous, id=c.id)
            option._set_prompt(ChoiceLabel(str(i + 1) if i < 9 else "", label))  # numbered, wrapping
            options.append(option)
        self.add_options(options)
        self.border_title = "Select all that apply · 1-9/␣ toggle · ⏎ confirm"
        self.highlighted = next((i for i, c in enumerate(q.choices) if c.id in previous), 0)

    def chosen(self) -> tuple[str, ...]:
        """The selected choice ids, in the question's order."""
        picked = set(self.selected)
        return tuple(c.id for c in self.question.choices if c.id in picked) if self.question else ()

    def toggle_number(self, number: int) -> None:
        """Toggle answer ``number`` (1-based) and highlight it."""
        if self.question is not None and 1 <= number <= len(self.question.choices):
            self.highlighted = number - 1
            self.toggle(self.question.choices[number - 1].id)

    def action_confirm(self) -> None:
        """Enter: hand the selection to the screen (which answers, or says to select something)."""
        self.post_message(self.Confirmed(self, self.chosen()))

    def _on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        """Keep an exclusive answer alone, and say what a toggle cleared."""
        q = self.question
        value = event.selection.value
        choice = q.choice(value) if q is not None else None
        if q is None or choice is None or value not in self.selected:
            self.post_message(self.Notice(None))
            return
        if choice.exclusive:
            cleared = [c for c in q.choices if c.id != value and c.id in self.selected]
            reason = join(": ", quoted([choice]), " stands alone.")
        else:
            cleared = [c for c in q.choices if c.exclusive and c.id in self.selected]
            reason = Text(": it stands alone." if len(cleared) == 1 else ": they stand alone.")
        if not cleared:
            self.post_message(self.Notice(None))
            return
        for c in cleared:
            self.deselect(c.id)
        self.post_message(self.Notice(join("Cleared ", quoted(cleared), reason)))

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
            selection = self.get_option_at_index(index)
        except (IndexError, OptionDoesNotExist):
            return line
        base = next((seg.style for seg in line if seg.style), None) or self.rich_style
        if offset:  # a wrapped line: no box, the label stays under itself
            return Strip([Segment(" " * 4, base), *line])
        chosen = selection.value in self.selected
        component = ("selection-list--button" + ("-selected" if chosen else "")
                     + ("-highlighted" if self.highlighted == index else ""))
        box = base + self.get_component_rich_style(component) + Style(meta={"option": index})
        return Strip([Segment(BOX[chosen], box), Segment(" ", base), *line])
