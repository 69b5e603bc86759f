"""``authready check`` for people and scripts: the status table and the JSON document.

Every field of a report may come from an attestation or a file name a pull request chose, so
every cell and every problem line is escaped with ``one_line``: no control character, newline or
bidi override reaches the terminal or the CI log. The JSON keeps the text as it is (``json``
escapes what it must) and its keys do not change: CI scripts read them.

The POLICY column names the tree each verdict was judged by as ``id vVERSION sha256:abcd1234``
(``policy_pins.label``, as pinning's messages do): the short hash tells two trees with one id and
version apart, which is exactly what a borrowed id looks like. JSON carries the full hash.
"""

from __future__ import annotations

import json

from wizard.render.escape import one_line
from wizard.trust.policy_pins import label
from wizard.trust.report import Report

HEADER = ("STATUS", "VERDICT", "SIGNERS", "EXPIRES", "POLICY", "ATTESTATION")


def summary(reports: list[Report]) -> str:
    """The last line of every check output: ``3 attestation(s): 2 passed, 1 failed``."""
    passed = sum(r.ok for r in reports)
    return f"{len(reports)} attestation(s): {passed} passed, {len(reports) - passed} failed"


def _signers_cell(r: Report) -> str:
    need = r.required_signers
    return f"{len(r.signers)}/{need}" if need else str(len(r.signers))


def check_text(reports: list[Report]) -> str:
    """One row per attestation; under a failing row its problems, under an expiring one its note."""
    rows = [HEADER]
    for r in reports:
        expires = one_line(r.expires_at or "?") + (f" (in {r.days_left}d)" if r.expiring else "")
        policy = one_line(label(r.policy["tree"], r.policy["version"], r.policy["sha256"])) if r.policy else "?"
        rows.append(("pass" if r.ok else "FAIL", one_line(r.label or "?"), _signers_cell(r), expires, policy,
                     one_line(r.display)))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(c.ljust(widths[j]) for j, c in enumerate(row[:5])) + "  " + row[5])
        if i and not reports[i - 1].ok:
            lines += [f"    {one_line(p.line())}" for p in reports[i - 1].problems]
        elif i and reports[i - 1].expiring:
            lines.append(f"    {one_line(reports[i - 1].display)}: {one_line(reports[i - 1].notes[-1])}")
    lines.append(summary(reports))
    return "\n".join(lines) + "\n"


def check_json(
    reports: list[Report], warnings: list[str], source: str, *, policy_trees: str = "working tree", trust_note: str | None = None
) -> str:
    """The whole run as one JSON document (``source``: where the allowed signers came from)."""
    doc = {
        "ok": all(r.ok for r in reports),
        "allowed_signers": source,
        "policy_trees": policy_trees,
        "trust_note": trust_note,
        "warnings": warnings,
        "passed": sum(r.ok for r in reports),
        "failed": sum(not r.ok for r in reports),
        "attestations": [r.to_json() for r in reports],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
