"""The Textual front-end. ``run_app`` and ``run_learn`` are the CLI's entry points."""

from __future__ import annotations

from pathlib import Path


def run_app(*, tree_ref: str | None, from_attestation: Path | None, out: Path | None) -> int:
    """Start the review wizard; returns the exit code."""
    from wizard.tui.app import run

    return run(tree_ref=tree_ref, from_attestation=from_attestation, out=out)


def run_learn(*, tree_ref: str | None) -> int:
    """Start the policy browser; returns the exit code."""
    from wizard.tui.app import run_learn as _run_learn

    return _run_learn(tree_ref=tree_ref)
