"""The answer overview: every question on the current path with its answer; jump to any.

Type a number (the question's place on the path) or part of its text to narrow
the list; Enter jumps there (the session's position moves, nothing is
answered); Esc goes back to the question screen unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wizard.ui.tui.text import join, literal
from wizard.ui.tui.widgets.choice import ChoiceLabel
from wizard.ui.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from wizard.review.session import Session
    from wizard.policy.tree import Question
    from wizard.ui.tui.app import ReviewApp


@dataclass(frozen=True)
class Row:
    """One question on the path as the overview lists it."""

    number: int
    question: "Question"
    answer: str | None
    note: bool
    findings: tuple[tuple[str, str], ...]  # (severity, title)
    changed: str | None  # why it differs from the --from attestation, if it does


def overview_rows(session: "Session", prefilled: dict[str, str]) -> list[Row]:
    """The current path (answered questions, then the first unanswered) as rows."""
    verdict = session.verdict()
    chosen = {st.question.id: st.choice for st in verdict.walk.steps}
    rows = []
    for i, q in enumerate(session.path(), 1):
        choice = chosen.get(q.id)
        findings = []
        if choice is not None:
            for fid in choice.raises:
                f = session.tree.finding_map.get(fid)
                if f is not None:
                    findings.append((f.severity.value, f.title))
        changed = None
        if q.id in session.redo:
            changed = "question changed since --from"
        elif prefilled:
            before = prefilled.get(q.id)
            if before is None:
                changed = "new since --from"
            elif choice is not None and choice.id != before:
                changed = "answer changed since --from"
        rows.append(Row(i, q, choice.label if choice is not None else None,
                        bool(session.notes.get(q.id)), tuple(findings), changed))
    return rows


def matches(row: Row, query: str) -> bool:
    """A number matches the question's place; other text, part of its text, area or answer."""
    query = query.strip().lower()
    if not query:
        return True
    if query.isdigit():
        return str(row.number).startswith(query)
    hay = " ".join(filter(None, [row.question.text, row.question.area, row.question.id, row.answer])).lower()
    return all(word in hay for word in query.split())


def row_text(row: Row, current: bool) -> Text:
    """A row: the question, then its answer, note marker, findings and change marker."""
    out = Text()
    if row.question.area:
        out.append(literal(row.question.area.upper(), "dim"))
        out.append(" · ")
    out.append(literal(row.question.text, "bold"))
    if current:
        out.append("  ◀ on screen", style="italic")
    out.append("\n→ ")
    if row.answer is None:
        out.append("not answered yet", style="italic")
    else:
        out.append(literal(row.answer))
    if row.note:
        out.append("  ✎ note")
    for severity, title in row.findings:
        out.append("  ")
        out.append("✗ " if severity == "blocker" else "! ", style="bold")
        out.append(literal(title))
    if row.changed:
        out.append(f"  ⟳ {row.changed}", style="italic")
    return out


class OverviewScreen(Screen):
    """Every question on the path: answer, note, findings, changes; Enter jumps to the highlighted one."""

    app: "ReviewApp"

    AUTO_FOCUS = "#jump"

    BINDINGS = [
        Binding("enter", "jump", "Go to question", key_display="⏎", priority=True),
        Binding("escape", "close", "Back to the question", key_display="esc", priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("down", "move(1)", "Down", show=False, priority=True),
    ]

    def __init__(self, session: "Session", prefilled: dict[str, str] | None = None) -> None:
        super().__init__()
        self.session = session
        self.prefilled = prefilled or {}
        self.rows: list[Row] = []
        self.shown: list[Row] = []

    def compose(self) -> ComposeResult:
        yield Static(id="topbar")
        yield Static(id="overview-hint")
        yield Input(id="jump", placeholder="number or part of the question, then Enter")
        yield OptionList(id="overview")
        yield KeyFooter()

    def on_mount(self) -> None:
        s = self.session
        self.query_one("#topbar", Static).update(
            join("authready · ", literal(s.tree.title), f" v{s.tree.version} · answers on this path")
        )
        self.rows = overview_rows(s, self.prefilled)
        answered = sum(1 for r in self.rows if r.answer is not None)
        hint = Text(f"{answered} of {len(self.rows)} question(s) on this path answered. "
                    "Type a number or words to find a question; ↑↓ and Enter jump there.")
        if self.prefilled:
            hint.append(" ⟳ marks what differs from the review it started from.")
        self.query_one("#overview-hint", Static).update(hint)
        jump = self.query_one("#jump", Input)
        jump.cursor_blink = getattr(self.app, "input_cursor_blink", True)
        self._fill("")

    def _fill(self, query: str) -> None:
        position = min(self.session.position, len(self.rows) - 1)
        self.shown = [r for r in self.rows if matches(r, query)]
        listing = self.query_one("#overview", OptionList)
        listing.clear_options()
        listing.add_options(
            Option(ChoiceLabel(str(r.number), row_text(r, r.number - 1 == position)), id=str(r.number))
            for r in self.shown
        )
        if self.shown:
            current = next((i for i, r in enumerate(self.shown) if r.number - 1 == position), 0)
            listing.highlighted = 0 if query.strip() else current

    @on(Input.Changed, "#jump")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(OptionList.OptionSelected, "#overview")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.go_to(int(event.option.id))

    def action_move(self, step: int) -> None:
        listing = self.query_one("#overview", OptionList)
        if listing.option_count:
            listing.highlighted = max(0, min((listing.highlighted or 0) + step, listing.option_count - 1))

    def action_jump(self) -> None:
        """Jump to the highlighted question (a number typed exactly goes to that question)."""
        query = self.query_one("#jump", Input).value.strip()
        if query.isdigit() and 1 <= int(query) <= len(self.rows):
            self.go_to(int(query))
            return
        listing = self.query_one("#overview", OptionList)
        if listing.highlighted is not None and self.shown:
            self.go_to(self.shown[listing.highlighted].number)

    def go_to(self, number: int) -> None:
        """Make question ``number`` (1-based place on the path) current and return to the question screen."""
        self.session.position = max(0, min(number - 1, len(self.rows) - 1))
        self.app.pop_screen()

    def action_close(self) -> None:
        self.app.pop_screen()
