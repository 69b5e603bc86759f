"""The question's choices: a list that grows to fit, and each choice's numbered label with a hanging indent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from wizard.ui.tui.text import literal

if TYPE_CHECKING:
    from wizard.policy.tree import Question

NUMBER_WIDTH = 2
"""Cells for the number; one more separates it from the label."""


class ChoiceLabel:
    """``1 Label that wraps`` with wrapped lines indented under the label, not the number.

    It draws exactly what a two-column ``Table.grid`` (number, label) draws, but
    renders the cells directly and keeps the lines per width: the option list asks
    for the same option several times per frame (its height, then each highlight
    state), and a Rich table measures and lays out its columns on every call.
    """

    def __init__(self, number: str, label: Text) -> None:
        self.number = number
        """The key that picks it ("" when it has none)."""
        self.label = label
        """The choice's text (already literal)."""
        self._lines: dict[tuple[int, str, bool], list[Segment]] = {}

    def table(self) -> Table:
        """The same row as a Rich table (what this draws; used for measuring)."""
        row = Table.grid(padding=(0, 1), expand=True)
        row.add_column(width=NUMBER_WIDTH, no_wrap=True)
        row.add_column(ratio=1)
        row.add_row(Text(self.number, style="bold"), self.label)
        return row

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        key = (width, options.encoding, options.legacy_windows)
        lines = self._lines.get(key)
        if lines is None:
            lines = self._lines[key] = self._render(console, options, width)
        yield from lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.table())

    def _render(self, console: Console, options: ConsoleOptions, width: int) -> list[Segment]:
        # As Table._render does for this grid: each cell padded and rendered at its column
        # width (left-justified, ellipsis on overflow), then shaped to the row's height.
        base = options.update(justify="left", overflow="ellipsis", height=None, highlight=False)
        null = Style.null()
        widths = (NUMBER_WIDTH + 1, width - NUMBER_WIDTH - 1)
        cells = [
            console.render_lines(Padding(Text(self.number, style="bold"), (0, 1, 0, 0)),
                                 base.update(width=widths[0], no_wrap=True), style=null),
            console.render_lines(Padding(self.label, (0, 0, 0, 0)),
                                 base.update(width=widths[1], no_wrap=False), style=null),
        ]
        height = max(len(cell) for cell in cells)
        shaped = [Segment.set_shape(Segment.align_top(cell, w, height, null), w, height)
                  for cell, w in zip(cells, widths)]
        out: list[Segment] = []
        new_line = Segment.line()
        for n in range(height):
            for cell in shaped:
                out.extend(cell[n])
            out.append(new_line)
        return out


class FollowsHighlight(OptionList):
    """An option list as tall as it needs, never a scrollbar of its own; the column around it scrolls.

    Moving the highlight keeps it in view by scrolling that column (its parent), so the question
    and everything above the list stay put while the list is short enough.
    """

    def scroll_to_highlight(self, top: bool = False) -> None:
        super().scroll_to_highlight(top)
        if self.highlighted is not None:
            self.call_after_refresh(self._scroll_column)

    def _scroll_column(self) -> None:
        column = self.parent
        index = self.highlighted
        if not isinstance(column, ScrollableContainer):
            return
        if index == 0:  # the top of the column: whatever stands above the choices stays in view
            column.scroll_home(animate=False, immediate=True)
            return
        lines: dict[int, int] = getattr(self, "_index_to_line", {})
        heights: dict[int, int] = getattr(self, "_heights", {})
        if index is None or index not in lines or not self.region:
            return
        top = self.virtual_region.y + self.styles.gutter.top + lines[index]
        column.scroll_to_region(Region(0, top, 1, heights.get(index, 1)), animate=False, immediate=True)


class ChoiceList(FollowsHighlight):
    """The choices of a one-answer question, numbered; picking one answers."""

    def show_choices(self, q: Question, previous: str | None, stale: bool) -> None:
        """List ``q``'s choices numbered 1-9, the earlier answer (``previous``) marked and highlighted."""
        options: list[Option] = []
        highlight = 0
        for i, c in enumerate(q.choices):
            label = literal(c.label)
            if c.id == previous:
                highlight = i
                label.append("  (previous answer)" if stale else "  ✓ current answer", style="italic")
            options.append(Option(ChoiceLabel(str(i + 1) if i < 9 else "", label), id=c.id))
        self.clear_options()
        self.add_options(options)
        self.highlighted = highlight
