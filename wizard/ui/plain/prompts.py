"""A thin wrapper over questionary: one place for input/output, escaping, wrapping, Ctrl+C and EOF.

questionary (and prompt_toolkit) are imported on the first prompt, not with
this module: headless commands and line mode never load them. Cursor-position
queries are off (``PROMPT_TOOLKIT_NO_CPR=1`` unless the user set it): a terminal
that does not answer them stalls each prompt for about a second.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from wizard.render.escape import block
from wizard.ui.plain.flow import EndOfInput
from wizard.ui.plain.text import screen_width, wrap

#: (value, title, shortcut key or None for automatic); a value None is a separator.
Choices = list[tuple[str | None, str, str | None]]
#: A checkbox's answer: an action's value (its key was pressed) or None (Enter), and the answers checked.
Checked = tuple[str | None, list[str]]


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

    def checkbox(self, message: str, choices: Sequence[tuple[str, str]], checked: Sequence[str],
                 actions: Sequence[tuple[str, str, str]], check: Callable[[list[str]], str | None],
                 pointed: str | None = None) -> Checked:
        """Select all that apply: Space (or an answer's number) checks and clears, Enter confirms.

        ``choices``: (value, title); ``checked``: the values checked at first (an earlier answer).
        ``actions``: (value, title, key) entries under the answers, as in :meth:`select`: the key
        (or the arrows) points at one, Enter (or Space) takes it, returning its value with what is
        checked so far (so the next ask starts from it). ``check`` says why a selection cannot be
        confirmed: it is shown under the list once Enter was refused, and follows every change
        (drawn with the list, not in questionary's toolbar, which needs cursor-position reports).
        ``pointed``: the entry the pointer starts on. Returns (None, the checked values in
        ``choices`` order) once Enter confirmed a selection ``check`` accepts.
        """
        q = _questionary()
        from prompt_toolkit.filters import Condition
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
        from questionary.prompts.common import InquirerControl

        values = [v for v, _ in choices]
        # " » ○ 1) " and " » h) " come before the titles: continuation lines line up under their first word.
        titles = {value: wrap(block(f"{key}) {title}"), 3, 6) for value, title, key in actions}
        items: list[Any] = [q.Choice(title=wrap(block(f"{i}) {title}"), 5, 8), value=value, checked=value in checked)
                            for i, (value, title) in enumerate(choices, 1)]
        items += [q.Separator("-" * 15)] + [q.Choice(title=titles[v], value=v) for v, _, _ in actions]
        instruction = "(Space or a number checks an answer; Enter confirms)"
        text = wrap(block(message), 2, 2)
        last = text.rsplit("\n", 1)[-1]
        if (2 if last == text else 0) + len(last) + 1 + len(instruction) >= screen_width():
            text += "\n "
        question = q.checkbox(text, choices=items, instruction=instruction, use_jk_keys=False,
                              initial_choice=pointed if pointed in titles or pointed in values else None, **self.kwargs)
        ic = next(c for c in question.application.layout.find_all_controls() if isinstance(c, InquirerControl))
        refused = [False]  # Enter was refused once: from then on the problem follows every change

        def in_order() -> list[str]:
            return [v for v in values if v in ic.selected_options]

        draw: Callable[[], list[Any]] = ic._get_choice_tokens

        def drawn() -> list[Any]:
            out = draw()
            # An action entry is drawn without a checkbox: it is done, not checked.
            out = [t for i, t in enumerate(out)
                   if not (t[1] in ("○ ", "● ") and i + 1 < len(out) and out[i + 1][1] in titles.values())]
            problem = check(in_order()) if refused[0] else None
            if problem:
                out += [("", "\n   "), ("class:validation-toolbar", wrap(block(problem), 3, 3))]
            return out

        ic.text = drawn
        on_action = Condition(lambda: ic.get_pointed_at().value in titles)
        extra = KeyBindings()

        @extra.add(" ", eager=True, filter=on_action)
        @extra.add("enter", eager=True, filter=on_action)
        def act(event: Any) -> None:
            event.app.exit(result=(ic.get_pointed_at().value, in_order()))

        @extra.add("enter", eager=True, filter=~on_action)
        def confirm(event: Any) -> None:
            refused[0] = check(in_order()) is not None
            if not refused[0]:
                ic.is_answered = True
                event.app.exit(result=(None, in_order()))

        for i, value in enumerate(values[:9], 1):
            @extra.add(str(i), eager=True)
            def toggle(_event: Any, v: str = value, at: int = i - 1) -> None:
                ic.pointed_at = at
                if v in ic.selected_options:
                    ic.selected_options.remove(v)
                else:
                    ic.selected_options.append(v)

        for value, _, key in actions:
            extra.add(key, eager=True)(lambda _event, at=len(values) + 1 + list(titles).index(value): _point(ic, at))
        for key in ("a", "i"):  # "all" and "invert" would check answers that stand alone together
            extra.add(key, eager=True)(lambda _event: None)
        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings, extra]) if app.key_bindings else extra
        picked: Checked = self._ask(question)
        return picked


def _point(ic: Any, at: int) -> None:
    ic.pointed_at = at
