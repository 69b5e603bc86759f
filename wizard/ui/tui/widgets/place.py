"""The place bar: a breadcrumb of the path so far and how far along the review is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from wizard.ui.tui.text import clean

if TYPE_CHECKING:
    from wizard.policy.tree import Question, Tree


_LONGEST: dict[int, tuple[Tree, dict[str, int]]] = {}


def remaining_questions(tree: Tree, question_id: str) -> int:
    """The most questions still to answer from ``question_id`` (itself included) to any end."""
    memo = _LONGEST.setdefault(id(tree), (tree, {}))[1]  # holding the tree keeps its id unique

    def longest(node: str, seen: frozenset[str] = frozenset()) -> int:
        if node in memo:
            return memo[node]
        q = tree.question_map.get(node)
        if q is None or node in seen:  # an end (or a cycle, which lint reports)
            return 0
        memo[node] = n = 1 + max(longest(q.route(c), seen | {node}) for c in q.choices)
        return n

    return longest(question_id)


def crumb(q: Question) -> str:
    """A short name for a question in the breadcrumb: its area, else its id."""
    return clean(q.area or q.id)


class PlaceBar(Static):
    """Two lines: ``Stage › Origin › [Expiry]`` and ``Question 3 · at most 4 more on this path ━━━━────``."""

    _state: tuple[list[Question], int, set[str], Tree] | None = None

    def show_place(self, path: list[Question], position: int, redo: set[str], tree: Tree) -> None:
        """Render the breadcrumb of ``path`` with ``position`` current; stale questions get a ``!``."""
        self._state = (path, position, set(redo), tree)
        self._render_place()

    def on_resize(self) -> None:
        self._render_place()

    def _render_place(self) -> None:
        if self._state is None:
            return
        path, position, redo, tree = self._state
        # Consecutive questions of one area share a crumb; the current area is highlighted.
        groups: list[tuple[str, list[int]]] = []
        for i, q in enumerate(path):
            name = crumb(q)
            if groups and groups[-1][0] == name and q.area:
                groups[-1][1].append(i)
            else:
                groups.append((name, [i]))
        names: list[Text] = []
        for name, members in groups:
            stale = any(path[i].id in redo for i in members)
            label = name + ("!" if stale else "")
            if position in members:
                names.append(Text(f" {label} ", style="bold reverse"))
            else:
                names.append(Text(label, style="" if members[0] < position else "dim"))
        line = Text(" › ").join(names)
        width = max(self.content_size.width, 20)
        if line.cell_len > width:
            line = Text("…") + line[line.cell_len - width + 1 :]
        current = path[position] if position < len(path) else None
        total = position + (remaining_questions(tree, current.id) if current else 0)
        total = max(total, len(path))
        # No "of up to N": N shrinks (31, then 5) when an answer picks a short branch, which reads as
        # a jump. How many questions can still follow this one is what the team needs to know.
        more = total - position - 1
        progress = Text(f"Question {position + 1} · ")
        progress.append("last on this path" if more == 0 else f"at most {more} more on this path")
        progress.append("  ")
        bar_width = 20
        done = round(bar_width * position / total) if total else bar_width
        progress.append("━" * done, style="bold")
        progress.append("─" * (bar_width - done), style="dim")
        self.update(line + Text("\n") + progress)
