"""Asked before a new review would replace a saved draft: resume it, replace it, or go back.

A draft is one team's unfinished review; starting another review of the same
component would overwrite it. Nothing is discarded unless the team picks
"replace" here, and the highlighted (Enter) choice is the safe one: resume.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wizard.ui.tui.text import join, literal
from wizard.ui.tui.widgets.choice import ChoiceLabel
from wizard.ui.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from wizard.review.drafts import DraftInfo

CHOICES = (
    ("resume", "Resume the draft where it stopped"),
    ("replace", "Start over: replace the draft with a new review (its answers are discarded)"),
    ("cancel", "Cancel: back to the start screen"),
)
"""What the team can do, in the order listed (1-3); the first is highlighted."""


class DraftChoiceScreen(ModalScreen[str | None]):
    """Dismissed with "resume", "replace", or None (cancel: Esc, 3)."""

    BINDINGS = [
        Binding("1", "choose(1)", "Choose", key_display="1-3"),
        Binding("2", "choose(2)", "Choose", show=False),
        Binding("3", "choose(3)", "Choose", show=False),
        Binding("escape", "choose(3)", "Cancel", key_display="esc"),
    ]

    def __init__(self, draft: DraftInfo) -> None:
        super().__init__()
        self.draft = draft
        """The draft that a new review would replace."""

    def compose(self) -> ComposeResult:
        d = self.draft
        with Vertical(id="draft-choice"):
            yield Static(join(
                "A saved draft of a review of ", literal(d.component or "(no component)", "bold"),
                f" exists: {d.answered} answered, changed {d.changed:%Y-%m-%d %H:%M} UTC.\n",
                "A new review of this component would replace it.",
            ), id="draft-choice-text")
            yield OptionList(*(Option(ChoiceLabel(str(i), Text(label)), id=key)
                               for i, (key, label) in enumerate(CHOICES, 1)), id="draft-choices")
        yield KeyFooter()

    def on_mount(self) -> None:
        choices = self.query_one("#draft-choices", OptionList)
        choices.highlighted = 0
        choices.focus()

    def action_choose(self, number: int) -> None:
        """Close with the choice ``number`` (1-based; 3 is cancel)."""
        key = CHOICES[number - 1][0]
        self.dismiss(None if key == "cancel" else key)

    @on(OptionList.OptionSelected, "#draft-choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose(event.option_index + 1)
