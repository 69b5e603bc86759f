"""Learn mode: browse the whole policy, or quiz on its scenarios (``authready learn [--quiz]``).

Nothing here records anything: it reads the tree (and its scenarios file) and
shows them. ``run_learn`` is what the CLI calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from wizard.ui.tui import SCREENS_CSS, START_CSS

if TYPE_CHECKING:
    from textual.screen import Screen

    from wizard.policy.tree import LoadedTree


class LearnApp(App[int]):
    """Browse the whole policy: every question, why it matters, where each choice leads."""

    CSS_PATH = [START_CSS, SCREENS_CSS]
    TITLE = "authready learn"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+c", "quit", "Quit", priority=True, key_display="^c"),
        Binding("q", "quit", "Quit", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),
    ]

    def __init__(self, tree: LoadedTree, *, quiz: bool = False, seed: int | None = None) -> None:
        super().__init__()
        self.loaded = tree
        """The policy tree being browsed."""
        self.quiz = quiz
        """Quiz mode (``learn --quiz``): situations from the tree's scenarios, guess the verdict."""
        self.seed = seed
        """Shuffles the quiz's situations (None: the scenarios file's order)."""

    def on_mount(self) -> None:
        screen: Screen[None]
        if self.quiz:
            from wizard.policy.quiz import Quiz
            from wizard.ui.tui.screens.quiz import QuizScreen

            screen = QuizScreen(Quiz(self.loaded, seed=self.seed))
        else:
            from wizard.ui.tui.screens.learn import LearnScreen

            screen = LearnScreen(self.loaded.tree)
        self.push_screen(screen)


def run_learn(*, tree_ref: str | None, quiz: bool = False) -> int:
    """``authready learn [--quiz]``: browse the tree, or quiz on its scenarios; returns the exit code."""
    import random

    from wizard.policy.tree import resolve_tree

    loaded = resolve_tree(tree_ref)
    if quiz:
        from wizard.policy.quiz import situations

        situations(loaded)  # no scenarios: say so on the command line, before the screen opens
    app = LearnApp(loaded, quiz=quiz, seed=random.randrange(1 << 30) if quiz else None)
    app.run()
    return app.return_code or 0
