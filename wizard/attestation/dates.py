"""Dates of a review's conditions: the due-date form, its window, and when an attestation expires.

Apart from ``model`` (which checks every recorded due date with them) so the model stays one
readable page; no pydantic here, so the plain prompts check a typed date without loading it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from wizard.infra.errors import AuthreadyError

DATE = "%Y-%m-%d"  # a condition's due date

_DATE_SHAPE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_date(v: str) -> date:
    """Parse ``YYYY-MM-DD`` (a real calendar date; the only form a due date takes)."""
    try:
        if not _DATE_SHAPE.match(v):
            raise ValueError
        return date.fromisoformat(v)
    except (TypeError, ValueError):
        raise ValueError(f"{v!r} is not a date like 2026-12-31 (YYYY-MM-DD)") from None


def due_problem(due: str, reviewed_at: datetime, expires_at: datetime) -> str | None:
    """Why ``due`` cannot be a condition's due date for a review at ``reviewed_at`` expiring at
    ``expires_at`` (not a date, before the review's day, after the expiry's day), or None."""
    try:
        day = parse_date(due)
    except ValueError as exc:
        return str(exc)
    if day < reviewed_at.date():
        return f"{due} is before the review ({reviewed_at:{DATE}}); give a date from then on"
    if day > expires_at.date():
        return (f"{due} is after the attestation expires ({expires_at:{DATE}}); "
                "a warning must be fixed within the attestation's life")
    return None


def expiry(reviewed_at: datetime, valid_days: int | None) -> datetime:
    """When a review at ``reviewed_at`` expires: ``valid_days`` later (at least one day)."""
    try:
        return reviewed_at + timedelta(days=valid_days or 1)
    except OverflowError:
        raise AuthreadyError(f"reviewed_at {reviewed_at:{DATE}} is too far in the future") from None
