"""Both plain modes, after the verdict and before the save: who fixes each warning, and by when.

Why: a warning ships as "a dated, owned fix" (the policy brief), so the team names an owner
and a due date for each one before the attestation is written. Enter keeps the default shown
in brackets: the first reviewer, and the day the attestation expires (a warning is fixed within
its life); what a session kept from an earlier pass (a draft, going back) is offered instead
while it still fits. A refusal is one sentence, then the same prompt again. The rules are
``wizard.attestation.conditions``'s, the same as an answers file's ``[conditions]``, so both
write the same bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from wizard.review.session import Session
    from wizard.ui.plain.flow import PlainFlow


def ask_conditions(flow: "PlainFlow", session: "Session", reviewed_at: str) -> bool:
    """Ask the owner and due date of every warning raised (in finding order); False when there is none."""
    from wizard.attestation.conditions import ConditionInput, defaults, due_problem, owner_problem
    from wizard.attestation.dates import expiry
    from wizard.attestation.model import review_clock

    verdict = session.verdict()
    if not verdict.warnings:
        return False
    reviewed = review_clock(reviewed_at)
    expires = expiry(reviewed, verdict.valid_days)
    base = defaults(session.meta.reviewers, expires)
    flow.say("")
    flow.say(f"Each warning ships as a condition: who fixes it, and by when (at the latest {base.due}, "
             "the day this attestation expires). Enter keeps the value in brackets.")
    for rf in verdict.warnings:
        f = rf.finding
        kept = session.conditions.get(f.id, ConditionInput())
        field = f"owner of '{f.title}'"
        owner_now = kept.owner if kept.owner and owner_problem(kept.owner, field) is None else base.owner
        due_now = kept.due if kept.due and due_problem(kept.due, reviewed, expires) is None else base.due
        owner = flow.ask_default(f"Owner of '{f.title}'", owner_now or "", lambda text: owner_problem(text, field))
        due = flow.ask_default("Due date (YYYY-MM-DD)", due_now or "",
                               lambda text: due_problem(text, reviewed, expires))
        # A default kept stays a default (it follows the reviewers); only a value the team chose is stored.
        session.set_condition(f.id, None if owner == base.owner else owner, None if due == base.due else due,
                              reviewed_at=reviewed_at)
    session.save_draft()
    return True
