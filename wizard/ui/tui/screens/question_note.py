"""The question screen's note field and choice lists, apart from the question itself.

A note is kept through the session (``Session.set_note``), which refuses a
credential-looking one before it reaches a draft; the field then says so and
keeps focus. Enter keeps the note and Esc puts back the kept one; neither answers.
:class:`QuestionScreen` builds on this base and adds the question, the answering
and the moving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.screen import Screen
from textual.widgets import Input, OptionList

from wizard.infra.errors import AuthreadyError
from wizard.ui.tui.view import keep_draft
from wizard.ui.tui.widgets.note import NoteInput

if TYPE_CHECKING:
    from wizard.policy.tree import Question
    from wizard.review.session import Session


class NoteScreen(Screen[None]):
    """The note field's keys and checks; the list on screen (``choices``) gets focus back after them."""

    session: Session
    """The review being answered (set by the subclass)."""
    question: Question | None = None
    """The question on screen."""

    @property
    def choices(self) -> OptionList:
        """The list on screen: the one-answer choices, or the select-all answers."""
        many = self.question is not None and self.question.many
        return self.query_one("#choices-many" if many else "#choices", OptionList)

    def _refused(self, exc: AuthreadyError) -> None:
        note = self.query_one("#note", Input)
        note.add_class("-refused")
        note.border_subtitle = "refused: not kept"
        self.notify(exc.message, severity="error", markup=False, timeout=10)
        note.focus()

    def action_note(self) -> None:
        """Put the cursor in the note field (Enter keeps the note, Esc cancels; neither answers)."""
        note = self.query_one("#note", Input)
        note.focus()
        self.call_after_refresh(note.scroll_visible, animate=False)

    def _keep_note(self, value: str) -> bool:
        """Keep the note through the session; a credential-looking one is refused (named by the question's text)."""
        if self.question is None:
            return True
        try:
            self.session.set_note(self.question.id, value)
        except AuthreadyError as exc:
            self._refused(exc)
            return False
        return True

    @on(NoteInput.Keep)
    def save_note(self) -> None:
        """Enter in the note field: check it, keep it (and the draft), back to the choices. Does not answer."""
        if self.question is None:
            return
        note = self.query_one("#note", Input)
        if not self._keep_note(note.value):
            return
        note.remove_class("-refused")
        note.border_subtitle = "note kept" if note.value.strip() else ""
        keep_draft(self.session, self.app)
        self.choices.focus()

    @on(NoteInput.Cancel)
    def cancel_note(self) -> None:
        """Esc in the note field: put back the note as it was kept and return to the choices."""
        if self.question is None:
            return
        note = self.query_one("#note", Input)
        note.value = self.session.notes.get(self.question.id, "")
        note.remove_class("-refused")
        note.border_subtitle = ""
        self.choices.focus()

    @on(Input.Submitted, "#note")
    def _note_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # the NoteInput's enter binding saves; nothing answers from the note field

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        # Leaving the note field any other way (Tab, the mouse) runs the same check.
        if event.widget.id == "note" and self.question is not None:
            note = self.query_one("#note", Input)
            if note.value != self.session.notes.get(self.question.id, "") and self._keep_note(note.value):
                note.remove_class("-refused")
        self.refresh_bindings()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.refresh_bindings()

    def stash_note(self) -> None:
        """Keep a typed note for the question on screen even if it is not answered yet (never a refused one)."""
        if self.question is None:
            return
        try:
            self.session.set_note(self.question.id, self.query_one("#note", Input).value)
        except AuthreadyError:
            return  # refused: the field says so; nothing is kept
