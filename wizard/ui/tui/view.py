"""What the review's screens share without importing the app: view options and keeping the draft.

The app owns one :class:`ViewOptions` and hands it to each question screen it
opens, so presenter mode and the "why" panel stay as the team left them when
a new question screen is opened (after the start screen, or a resumed draft).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.infra.errors import AuthreadyError

if TYPE_CHECKING:
    from textual.app import App

    from wizard.review.session import Session


@dataclass
class ViewOptions:
    """How the question screens look; changed by the keys that toggle them."""

    presenter: bool = False
    """Presenter mode (``--presenter`` or p): a bigger question and verdict, no chrome."""
    show_why: bool = True
    """Whether the "why this matters" panel is shown (toggled with w)."""
    cursor_blink: bool = True
    """Whether text cursors blink (tests and screenshots turn it off for stable images)."""


def keep_draft(session: Session | None, app: App[Any]) -> Path | None:
    """Save the review's draft; a failure is shown as a notification (the review goes on) and gives None."""
    if session is None:
        return None
    try:
        return session.save_draft()
    except (AuthreadyError, OSError) as exc:
        app.notify(f"Draft not saved: {exc}", severity="error", markup=False)
        return None
