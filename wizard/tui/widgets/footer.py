"""The footer: Textual's, minus the recompositions that change nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class KeyFooter(Footer):
    """Every binding in view, as Textual's ``Footer`` shows them.

    Textual's footer starts empty, then rebuilds all its key widgets after every
    focus or screen-stack change, even when the keys it shows stay the same (at
    start-up it builds them twice right after the first frame). This one shows
    its keys from the first frame and rebuilds them only when what it would show
    (key, label, enabled, tooltip) changes.
    """

    def __init__(self) -> None:
        super().__init__()
        self._bindings_ready = True  # the screen's bindings are known by the time we compose
        self._shown: tuple[object, ...] | None = None
        self._pending = False

    def _keys_shown(self) -> tuple[object, ...]:
        app = self.app
        shown = [
            (binding.key, binding.action, binding.description, enabled, tooltip, id(binding.group),
             app.get_key_display(binding))
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        ]
        return (tuple(shown), self.compact, self.show_command_palette and app.ENABLE_COMMAND_PALETTE)

    def compose(self) -> ComposeResult:
        self._shown = self._keys_shown()
        return super().compose()

    def bindings_changed(self, screen: "Screen") -> None:
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        if self.is_attached and self._keys_shown() != self._shown:
            await self.recompose()
