"""The conditions an attestation ships with: a warning past its due date fails the gate.

Why: the policy brief accepts a warning as "a dated, owned fix". A GO WITH CONDITIONS that keeps
passing after the date its owner promised is a warning nobody fixed; ``condition-overdue`` says
whose it is and when it was due. A condition is due at the end of its day (UTC), so it fails from
the next day on. Attestations recorded before conditions were (no ``conditions`` in the verdict)
pass with a note: their warnings had no owner or date to miss, and the next review records them.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

from wizard.trust.codes import Code
from wizard.trust.report import Report

if TYPE_CHECKING:
    from wizard.attestation.model import Attestation


def check_conditions(report: Report, att: Attestation, now: datetime) -> None:
    """Fail each condition whose due date is before ``now``'s day; note warnings recorded without conditions."""
    from wizard.attestation.dates import parse_date

    verdict = att.verdict
    if verdict.conditions is None:
        if any(f.severity.value == "warning" for f in verdict.findings):
            report.notes.append(
                "its warnings have no owner or due date (recorded before authready recorded conditions); "
                f"the next review records them: authready review --from {report.display}"
            )
        return
    today = (now.astimezone(timezone.utc) if now.tzinfo else now).date()
    for c in verdict.conditions:
        if parse_date(c.due) < today:
            report.fail(
                Code.CONDITION_OVERDUE,
                f"warning {c.finding!r} owned by {c.owner} was due {c.due}: fix it and re-review",
            )
