"""The Textual front-end. ``run_app`` and ``run_learn`` are the CLI's entry points.

``app`` (the review wizard) and ``learn_app`` (learn mode, the quiz) are the two
Textual apps; ``screens/`` and ``widgets/`` are theirs, and never import them.
"""

from __future__ import annotations

from pathlib import Path

START_CSS = Path(__file__).parent / "app.tcss"
"""What the first frame (the start screen) needs: parsed before it is drawn."""
SCREENS_CSS = Path(__file__).parent / "screens.tcss"
"""Every other screen's styles: the review wizard reads them once its first frame is up."""


def run_app(*, tree_ref: str | None, from_attestation: Path | None, out: Path | None, presenter: bool = False) -> int:
    """Start the review wizard; returns the exit code."""
    from wizard.ui.tui.app import run

    return run(tree_ref=tree_ref, from_attestation=from_attestation, out=out, presenter=presenter)


def run_learn(*, tree_ref: str | None, quiz: bool = False) -> int:
    """Start the policy browser (or its quiz); returns the exit code."""
    from wizard.ui.tui.learn_app import run_learn as _run_learn

    return _run_learn(tree_ref=tree_ref, quiz=quiz)
