"""The summary's conditions: who fixes each warning, and by when, typed before the attestation is saved.

Why: a warning ships as "a dated, owned fix" (the policy brief), so the team names an owner and a due
date for each one, as plain mode asks them. The fields start **empty, with the default as a
placeholder** (the first reviewer; the day the attestation expires), not filled with it: an empty
field is what the session records as "the default" (None), which follows the reviewers and the
expiry if the team goes back and changes them, where a filled-in copy would freeze a value that
may no longer fit (a NO-GO expires sooner than a GO WITH CONDITIONS). Only what the team types is
kept as their choice (``Session.set_condition``), so a draft keeps it and a resumed review shows it.

Each field is checked by the session (the rules an answers file's ``[conditions]`` follow) on Enter
and when focus leaves it; a refusal is shown under it, literally, and the field keeps focus. Esc puts
back the value last kept and leaves the field, so the summary's keys work again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from wizard.infra.errors import AuthreadyError
from wizard.ui.tui.text import join, literal
from wizard.ui.tui.view import keep_draft

if TYPE_CHECKING:
    from wizard.attestation.conditions import ConditionInput
    from wizard.policy.engine import RaisedFinding
    from wizard.review.session import Session

KINDS = {"owner": "Owner", "due": "Due (YYYY-MM-DD)"}
"""The two fields of a condition, and their labels."""


class ConditionField(Input):
    """One owner or due-date field; Esc posts :class:`ConditionField.PutBack`."""

    BINDINGS = [
        Binding("enter", "submit", "Keep", key_display="⏎"),
        Binding("escape", "put_back", "Put back", key_display="esc"),
    ]

    class PutBack(Message):
        """Esc: show the value last kept again and leave the field."""

        def __init__(self, field: ConditionField) -> None:
            super().__init__()
            self.field = field

    def __init__(self, finding: RaisedFinding, kind: str, value: str, placeholder: str, ident: str) -> None:
        # validate_on empty: the session checks, on Enter and on leaving; select_on_focus: typing replaces.
        super().__init__(value, placeholder=placeholder, id=ident, classes=f"condition-{kind}", compact=True,
                         validate_on=(), tooltip=f"{KINDS[kind]} of {finding.finding.title}")
        self.finding = finding
        """The warning this field is about."""
        self.kind = kind
        """``owner`` or ``due``."""

    @property
    def what(self) -> str:
        """The field in words, for the line that says why saving waits."""
        return f"the {'owner' if self.kind == 'owner' else 'due date'} of '{self.finding.finding.title}'"

    def action_put_back(self) -> None:
        self.post_message(self.PutBack(self))


class ConditionsForm(Vertical):
    """Per warning raised: its title, an Owner field and a Due field, each with its refusal line under it."""

    def __init__(self, session: Session, reviewed_at: str | None) -> None:
        super().__init__(id="conditions")
        self.session = session
        """The review; conditions are kept through it."""
        self.reviewed_at = reviewed_at
        """The review time the due dates are checked against (None: ``SOURCE_DATE_EPOCH`` or now)."""
        verdict = session.verdict()
        self.warnings = list(verdict.warnings)
        """The warnings raised, in finding order (the attestation's)."""
        self.defaults, self._kept = self._start(verdict.valid_days)

    def _start(self, valid_days: int | None) -> tuple[ConditionInput, dict[str, ConditionInput]]:
        """The defaults, and what the session kept that still fits (a draft's date may have run out)."""
        from wizard.attestation.conditions import ConditionInput, defaults, due_problem, owner_problem
        from wizard.attestation.dates import expiry
        from wizard.attestation.model import review_clock

        reviewed = review_clock(self.reviewed_at)
        expires = expiry(reviewed, valid_days)
        kept = {}
        for rf in self.warnings:
            c = self.session.conditions.get(rf.finding.id, ConditionInput())
            owner = c.owner if c.owner and owner_problem(c.owner, "owner") is None else None
            due = c.due if c.due and due_problem(c.due, reviewed, expires) is None else None
            kept[rf.finding.id] = ConditionInput(owner, due)
        return defaults(self.session.meta.reviewers, expires), kept

    def compose(self) -> ComposeResult:
        yield Static(Text("Conditions", style="bold"), classes="section")
        yield Static(Text("Who fixes each warning, and by when. An empty field keeps its default (dimmed): the "
                          "first reviewer, due the day this attestation expires."), id="conditions-hint")
        for i, rf in enumerate(self.warnings):
            kept = self._kept[rf.finding.id]
            yield Static(join("⚠ ", literal(rf.finding.title, "bold"), Text(f"  [{rf.finding.id}]", style="dim")),
                         classes="condition-title")
            for kind, default in (("owner", self.defaults.owner), ("due", self.defaults.due)):
                with Horizontal(classes="condition-row"):
                    yield Static(Text(KINDS[kind]), classes="condition-label")
                    yield ConditionField(rf, kind, getattr(kept, kind) or "", f"{default} (default)",
                                         f"condition-{kind}-{i}")
                yield Static(id=f"condition-{kind}-{i}-problem", classes="error -hidden")  # under its field

    def on_mount(self) -> None:
        blink = bool(getattr(self.app, "input_cursor_blink", True))
        for field in self.fields:
            field.cursor_blink = blink

    @property
    def fields(self) -> list[ConditionField]:
        """Every field, in Tab order."""
        return list(self.query(ConditionField).results(ConditionField))

    def check(self, field: ConditionField) -> bool:
        """Keep ``field``'s value through the session when it passes; else show the refusal under it."""
        from wizard.attestation.conditions import ConditionInput

        fid = field.finding.finding.id
        kept = self._kept[fid]
        value = field.value.strip() or None
        owner, due = (value, kept.due) if field.kind == "owner" else (kept.owner, value)
        if (owner, due) != (kept.owner, kept.due) or field.has_class("-refused"):
            try:
                self.session.set_condition(fid, owner, due, reviewed_at=self.reviewed_at)
            except AuthreadyError as exc:
                self._problem(field, exc.message)
                return False
            self._kept[fid] = ConditionInput(owner, due)
            keep_draft(self.session, self.app)
        self._problem(field, None)
        return True

    def apply_all(self) -> ConditionField | None:
        """Check every field (as leaving each would); the first refused one, or None when all are kept."""
        refused = [field for field in self.fields if not self.check(field)]
        return refused[0] if refused else None

    def _problem(self, field: ConditionField, problem: str | None) -> None:
        line = self.query_one(f"#{field.id}-problem", Static)
        line.update(literal(problem) if problem else "")
        line.set_class(problem is None, "-hidden")
        field.set_class(problem is not None, "-refused")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter: keep the value and go on to the next field (after the last: the summary, where s saves)."""
        event.stop()
        field = event.input
        if not isinstance(field, ConditionField) or not self.check(field):
            return
        fields = self.fields
        index = fields.index(field)
        if index + 1 < len(fields):
            fields[index + 1].focus()
        else:
            self.screen.query_one("#summary-body").focus()

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        """Leaving a field (Tab, the mouse) checks it too; a refused one takes focus back."""
        field = event.input
        if not isinstance(field, ConditionField) or self.app.screen is not self.screen or not self.app.app_focus:
            return
        if not self.check(field):
            self.call_after_refresh(field.focus)

    @on(ConditionField.PutBack)
    def _put_back(self, event: ConditionField.PutBack) -> None:
        field = event.field
        field.value = getattr(self._kept[field.finding.finding.id], field.kind) or ""
        self._problem(field, None)
        self.screen.query_one("#summary-body").focus()
