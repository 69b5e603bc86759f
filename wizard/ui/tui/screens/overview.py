"""The answer overview: every question on the current path with its answer; jump to any.

The rows and the filter are ``wizard.review.overview``'s (the plain mode lists
the same). Type a number (the question's place on the path) or part of its text to narrow
the list; Enter closes it with that question's number (the question screen
moves the session there; nothing is answered); Esc closes it with None. Questions an
answer made moot are listed where the walk passed them, as not asked (no jump target).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from wizard.review.overview import Row, matches, overview_rows
from wizard.ui.tui.text import join, literal
from wizard.ui.tui.walk_text import path_entries, raised_labels, skip_line
from wizard.ui.tui.widgets.choice import ChoiceLabel
from wizard.ui.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from collections.abc import Mapping

    from wizard.policy.engine import AnswerValue, Skip, Step
    from wizard.policy.tree import Tree
    from wizard.review.session import Session


def row_text(row: Row, current: bool, step: Step | None = None, tree: Tree | None = None) -> Text:
    """A row: the question, then its answer, note marker, findings and change marker.

    ``step`` (the answered step) and ``tree`` name, for a select-all answer, which answer raised
    each finding; an answer that caps the verdict is marked ``at best …``.
    """
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
    many = step is not None and step.question.many
    if step is not None and many and tree is not None:
        for fid in dict.fromkeys(f for c in step.selected for f in c.raises):
            finding = tree.finding_map.get(fid)
            if finding is not None:
                out.append("  ")
                out.append("✗ " if finding.severity.value == "blocker" else "! ", style="bold")
                out.append(literal(finding.title))
                out.append(join(" (← ", literal(raised_labels(step, fid), "italic"), ")"))
    else:
        for severity, title in row.findings:
            out.append("  ")
            out.append("✗ " if severity == "blocker" else "! ", style="bold")
            out.append(literal(title))
    for c in step.selected if step is not None else ():
        if c.cap is not None:
            out.append(f"  at best {c.cap.label}", style="bold")
            if many:
                out.append(join(": ", literal(c.label, "italic")))
    if row.changed:
        out.append(f"  ⟳ {row.changed}", style="italic")
    return out


class OverviewScreen(Screen[int | None]):
    """Every question on the path: answer, note, findings, changes; Enter jumps to the highlighted one.

    Dismissed with the 1-based number of the question to go to, or None (Esc).
    """

    AUTO_FOCUS = "#jump"

    BINDINGS = [
        Binding("enter", "jump", "Go to question", key_display="⏎", priority=True),
        Binding("escape", "close", "Back to the question", key_display="esc", priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
        Binding("down", "move(1)", "Down", show=False, priority=True),
    ]

    def __init__(self, session: Session, prefilled: Mapping[str, AnswerValue] | None = None, *,
                 cursor_blink: bool = True) -> None:
        super().__init__()
        self.session = session
        """The review whose path is listed (read only: the question screen moves it)."""
        self.prefilled: Mapping[str, AnswerValue] = prefilled or {}
        """The answers a re-review started from: rows that differ are marked."""
        self.rows: list[Row] = []
        """Every question on the path."""
        self.shown: list[Row] = []
        """The rows the typed filter leaves."""
        self._cursor_blink = cursor_blink

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
        jump.cursor_blink = self._cursor_blink
        self._fill("")

    def _fill(self, query: str) -> None:
        from wizard.policy.engine import Skip

        s = self.session
        walk = s.verdict().walk
        steps = {st.question.id: st for st in walk.steps}
        # The questions passed as moot, each after the answered question the walk passed it from.
        after: dict[str, list[Skip]] = {}
        last = ""
        for entry in path_entries(s.tree, walk):
            if isinstance(entry, Skip):
                after.setdefault(last, []).append(entry)
            else:
                last = entry.question.id
        position = min(s.position, len(self.rows) - 1)
        self.shown = [r for r in self.rows if matches(r, query)]
        options: list[Option] = []
        for r in self.shown:
            step = steps.get(r.question.id)
            options.append(Option(ChoiceLabel(str(r.number), row_text(r, r.number - 1 == position, step, s.tree)),
                                  id=str(r.number)))
            if not query.strip():
                skipped = after.get(r.question.id, ())
                options.extend(Option(ChoiceLabel("", skip_line(k)), disabled=True) for k in skipped)
        listing = self.query_one("#overview", OptionList)
        listing.clear_options()
        listing.add_options(options)
        if self.shown:
            current = str(self.rows[position].number)
            listing.highlighted = 0 if query.strip() else listing.get_option_index(current)

    @on(Input.Changed, "#jump")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(OptionList.OptionSelected, "#overview")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.go_to(int(event.option.id))

    def action_move(self, step: int) -> None:
        """Move the highlight while the cursor stays in the filter field."""
        listing = self.query_one("#overview", OptionList)
        index = listing.highlighted or 0
        while 0 <= index + step < listing.option_count:  # over the not-asked lines (not jump targets)
            index += step
            if not listing.get_option_at_index(index).disabled:
                listing.highlighted = index
                return

    def action_jump(self) -> None:
        """Jump to the highlighted question (a number typed exactly goes to that question)."""
        query = self.query_one("#jump", Input).value.strip()
        if query.isdigit() and 1 <= int(query) <= len(self.rows):
            self.go_to(int(query))
            return
        listing = self.query_one("#overview", OptionList)
        if listing.highlighted is not None and listing.option_count:
            ident = listing.get_option_at_index(listing.highlighted).id
            if ident:
                self.go_to(int(ident))

    def go_to(self, number: int) -> None:
        """Close, asking for question ``number`` (1-based place on the path)."""
        self.dismiss(number)

    def action_close(self) -> None:
        """Close without moving."""
        self.dismiss(None)
