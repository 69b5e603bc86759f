"""A thin wrapper over questionary: one place for input/output, escaping, wrapping, Ctrl+C and EOF.

questionary (and prompt_toolkit) are imported on the first prompt, not with
this module: headless commands and line mode never load them. Cursor-position
queries are off (``PROMPT_TOOLKIT_NO_CPR=1`` unless the user set it): a terminal
that does not answer them stalls each prompt for about a second.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

from wizard.render.escape import block
from wizard.ui.plain.flow import EndOfInput
from wizard.ui.plain.text import screen_width, wrap

#: (value, title, shortcut key or None for automatic); a value None is a separator.
Choices = list[tuple[str | None, str, str | None]]


def _questionary() -> ModuleType:
    # prompt_toolkit reads this when it draws; set it before the import, and only if the user has not.
    os.environ.setdefault("PROMPT_TOOLKIT_NO_CPR", "1")
    import questionary  # here, not at module level: headless imports and tests stay light

    return questionary


class Prompts:
    """questionary prompts with the review's conventions; ``input``/``output`` go to prompt_toolkit."""

    def __init__(self, input: Any = None, output: Any = None, first_drawn: threading.Event | None = None) -> None:
        #: Set once the first prompt has been drawn (the background load waits for it).
        self.first_drawn = first_drawn or threading.Event()
        self.kwargs: dict[str, Any] = {}
        if input is not None:
            self.kwargs["input"] = input
        if output is not None:
            self.kwargs["output"] = output

    def _ask(self, question: Any) -> Any:
        if not self.first_drawn.is_set():
            question.application.after_render += lambda _app: self.first_drawn.set()
        try:
            return question.unsafe_ask()
        except EOFError:
            raise EndOfInput from None

    def text(self, message: str, default: str = "", check: Callable[[str], str | None] | None = None) -> str:
        """A line of text; ``check`` returns why it is refused (shown under the prompt) or None."""
        q = _questionary()
        kw: dict[str, Any] = dict(self.kwargs)
        if check is not None:
            kw["validate"] = lambda text: check(text) or True
        return str(self._ask(q.text(wrap(block(message), 2, 2), default=default, **kw)))

    def confirm(self, message: str, default: bool = True) -> bool:
        q = _questionary()
        return bool(self._ask(q.confirm(wrap(block(message), 2, 2), default=default, **self.kwargs)))

    def select(self, message: str, choices: Choices, default: str | None = None) -> str:
        """One of ``choices``' values, picked with its shortcut key or the arrows and Enter."""
        q = _questionary()
        items: list[Any] = []
        for value, title, key in choices:
            if value is None:
                items.append(q.Separator(title or "-" * 15))
            else:
                # " » 1) " comes before the title: continuation lines line up under its first word.
                items.append(q.Choice(title=wrap(block(title), 6, 6), value=value, shortcut_key=key if key else True))
        values = [v for v, _, _ in choices if v is not None]
        shortcuts = len(values) <= 30
        instruction = "(Use shortcuts or arrow keys)" if shortcuts else "(Use arrow keys)"
        text = wrap(block(message), 2, 2)
        last = text.rsplit("\n", 1)[-1]
        if (2 if last == text else 0) + len(last) + 1 + len(instruction) >= screen_width():
            text += "\n "  # the instruction on a line of its own rather than split at the margin
        question = q.select(
            text, instruction=instruction, choices=items, default=default if default in values else None,
            use_shortcuts=shortcuts, use_arrow_keys=True, use_jk_keys=False, **self.kwargs,
        )
        return str(self._ask(question))
