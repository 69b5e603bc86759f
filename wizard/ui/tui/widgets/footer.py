"""The footer: Textual's, minus the recompositions that change nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

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

    def _shown_bindings(self) -> list:
        """The bindings to show: the screen's (minus those it hides at this size), the app's last."""
        hidden = getattr(self.screen, "footer_hidden", ())
        rows = [(node is self.app, binding, enabled, tooltip)
                for (node, binding, enabled, tooltip) in self.screen.active_bindings.values()
                if binding.show and binding.action not in hidden]
        rows.sort(key=lambda row: (row[0], row[1].priority))  # the screen's keys in order, then Quit
        seen: set[str] = set()
        out = []
        for _, binding, enabled, tooltip in rows:
            if binding.action not in seen:
                seen.add(binding.action)
                out.append((binding, enabled, tooltip))
        return out

    def _keys_shown(self) -> tuple[object, ...]:
        app = self.app
        shown = [
            (binding.key, binding.action, binding.description, enabled, tooltip, id(binding.group),
             app.get_key_display(binding))
            for (binding, enabled, tooltip) in self._shown_bindings()
        ]
        return (tuple(shown), self.compact, self.show_command_palette and app.ENABLE_COMMAND_PALETTE)

    def compose(self) -> ComposeResult:
        self._shown = self._keys_shown()
        bindings = self._shown_bindings()
        self.styles.grid_size_columns = len(bindings)
        for binding, enabled, tooltip in bindings:
            yield FooterKey(
                binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                disabled=not enabled, tooltip=tooltip,
            ).data_bind(compact=Footer.compact)

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
