"""The note field of a question: Enter keeps the note, Esc puts it back; neither answers."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class NoteInput(Input):
    """Enter posts :class:`NoteInput.Keep`, Esc :class:`NoteInput.Cancel`; the screen decides what they do."""

    BINDINGS = [
        Binding("enter", "keep", "Save note", key_display="⏎"),
        Binding("escape", "cancel", "Cancel note", key_display="esc"),
    ]

    class Keep(Message):
        """Keep the note as typed (if it passes the credential check) and return to the choices."""

    class Cancel(Message):
        """Put back the note as it was kept and return to the choices."""

    def __init__(self, *, id: str, placeholder: str, cursor_blink: bool = True) -> None:
        # select_on_focus off: typing adds to a kept note, never wipes it. validate_on empty: no
        # validators, so no restyling on every key.
        super().__init__(id=id, placeholder=placeholder, select_on_focus=False, validate_on=())
        self.cursor_blink = cursor_blink

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        self.cursor_position = len(self.value)

    def action_keep(self) -> None:
        """Enter: ask the screen to keep the note."""
        self.post_message(self.Keep())

    def action_cancel(self) -> None:
        """Esc: ask the screen to put the note back."""
        self.post_message(self.Cancel())
