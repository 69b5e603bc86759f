"""The gate and conditions: a warning past its due date fails ``condition-overdue``; real keys, a real repo.

Each attestation is recorded with ``review --answers`` (``reviewed_at`` in the past, the due date set in
``[conditions]``), signed by both reviewers with ssh-keygen, and checked by ``verify`` and ``check``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from tests.helpers.repo import GO_ANSWERS
from tests.helpers.signing import cli, stamp, verify_json

CONDITIONAL = dict(GO_ANSWERS, expiry="partly")  # the mini tree's warning no-rotation; valid 90 days


def day(days_ago: int) -> str:
    return (datetime.now(timezone.utc) - timedelta(days=days_ago)).strftime("%Y-%m-%d")


def signed_conditional(signed, due: str | None, name: str = "payments", days_ago: float = 10):
    """A GO WITH CONDITIONS reviewed ``days_ago`` days ago, its warning due ``due`` (None: the default)."""
    conditions = {"no-rotation": {"owner": "bob@example.com", **({"due": due} if due else {})}}
    att = signed.record(CONDITIONAL, name=name, reviewed_at=stamp(days_ago), conditions=conditions)
    signed.sign(att, "alice")
    signed.sign(att, "bob")
    return att


def test_a_condition_past_its_due_date_fails(signed, capsys):
    due = day(9)
    att = signed_conditional(signed, due)
    rc, doc = verify_json(capsys, ".authready/payments.toml")
    assert rc == 1
    assert doc["problems"] == [{
        "code": "condition-overdue", "file": ".authready/payments.toml",
        "message": f"warning 'no-rotation' owned by bob@example.com was due {due}: fix it and re-review",
    }]
    assert doc["signers"] == ["alice@example.com", "bob@example.com"], "everything else passes"
    rc, out, _ = cli(capsys, "check")
    assert rc == 1
    assert (f".authready/payments.toml: warning 'no-rotation' owned by bob@example.com was due {due}: fix it and "
            "re-review [condition-overdue]") in out
    assert att.exists()


def test_due_today_still_passes_and_the_default_is_the_expiry_day(signed, capsys):
    signed_conditional(signed, day(0))
    rc, doc = verify_json(capsys, ".authready/payments.toml")
    assert rc == 0, doc["problems"]
    signed_conditional(signed, None, name="search")
    rc, doc = verify_json(capsys, ".authready/search.toml")
    assert rc == 0, doc["problems"]


def test_recorded_before_conditions_passes_with_a_note(signed, capsys):
    """An attestation from before this change: its warnings, no ``conditions``. Signed as it was."""
    att = signed.record(CONDITIONAL, name="payments")
    text = att.read_text()
    start = text.index("conditions = [")
    att.write_text(text[:start] + text[text.index("]\n", start) + 2:])
    signed.sign(att, "alice")
    signed.sign(att, "bob")
    rc, doc = verify_json(capsys, ".authready/payments.toml")
    assert rc == 0, doc["problems"]
    assert doc["notes"] == [
        "its warnings have no owner or due date (recorded before authready recorded conditions); the next review "
        "records them: authready review --from .authready/payments.toml"
    ]
    rc, out, _ = cli(capsys, "check", "--format", "json")
    assert rc == 0 and json.loads(out)["failed"] == 0
