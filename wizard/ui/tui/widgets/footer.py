"""The footer: Textual's, minus the recompositions that change nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.screen import Screen

Shown = tuple[Binding, bool, str]
"""A key the footer shows: the binding, whether it is enabled, its tooltip."""


class KeyFooter(Footer):
    """Every binding in view, as Textual's ``Footer`` shows them.

    Textual's footer starts empty, then rebuilds all its key widgets after every
    focus or screen-stack change, even when the keys it shows stay the same (at
    start-up it builds them twice right after the first frame). This one shows
    its keys from the first frame, builds each key in the footer's compact state
    (not compact first, then restyled), and rebuilds them only when what it would
    show (key, label, enabled, tooltip) changes.
    """

    def __init__(self) -> None:
        super().__init__()
        self._bindings_ready = True  # the screen's bindings are known by the time we compose
        self._shown: tuple[object, ...] | None = None
        self._pending = False

    def _shown_bindings(self) -> list[Shown]:
        """The bindings to show: the screen's (minus those it hides at this size), the app's last."""
        hidden = getattr(self.screen, "footer_hidden", ())
        rows = [(node is self.app, binding, enabled, tooltip)
                for (node, binding, enabled, tooltip) in self.screen.active_bindings.values()
                if binding.show and binding.action not in hidden]
        rows.sort(key=lambda row: (row[0], row[1].priority))  # the screen's keys in order, then Quit
        seen: set[str] = set()
        out: list[Shown] = []
        for _, binding, enabled, tooltip in rows:
            if binding.action not in seen:
                seen.add(binding.action)
                out.append((binding, enabled, tooltip))
        return out

    def _keys_shown(self, bindings: list[Shown] | None = None) -> tuple[object, ...]:
        """What the footer would show (compared to decide whether to rebuild it)."""
        app = self.app
        shown = [
            (binding.key, binding.action, binding.description, enabled, tooltip, id(binding.group),
             app.get_key_display(binding))
            for (binding, enabled, tooltip) in (self._shown_bindings() if bindings is None else bindings)
        ]
        return (tuple(shown), self.compact, self.show_command_palette and app.ENABLE_COMMAND_PALETTE)

    def compose(self) -> ComposeResult:
        bindings = self._shown_bindings()  # the screen's active bindings are worked out once per build
        self._shown = self._keys_shown(bindings)
        for binding, enabled, tooltip in bindings:
            key = FooterKey(
                binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                disabled=not enabled, tooltip=tooltip, classes="-compact" if self.compact else "",
            )
            # FooterKey starts compact and is then bound to the footer's setting: two restyles of every
            # key on every (re)compose. Start it as the footer is, so the binding changes nothing.
            key.set_reactive(FooterKey.compact, self.compact)
            yield key.data_bind(compact=Footer.compact)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        if self.is_attached and self._keys_shown() != self._shown:
            await self.recompose()
